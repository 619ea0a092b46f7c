// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for module/ringbuffer: geometry, positions and their wrap,
 * reserve/commit and sub-buffer switch, packet callbacks, discard and
 * overwrite accounting, every reader result, flush and finalize, compact
 * timestamps (full_ts), zeroed padding, a running discarded count that
 * never goes down, and a stress case with writers in threads and in hard
 * interrupts on every CPU against concurrent readers (one that snapshots
 * and consumes, one that streams with get_next/put_next), whose counts
 * must reconcile exactly and whose compact timestamps must all be exact.
 */
#include <kunit/test.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/hrtimer.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "ringbuffer/ringbuffer.h"

#define T_MAGIC		0xc1fc1fc1u
#define T_SUBBUF	PAGE_SIZE
#define T_ALIGN		8

/* The test client's packet header: begin fills the first half, end the rest. */
struct t_hdr {
	u32 magic;
	u32 begin_cpu;		/* buffer CPU given to subbuf_begin() */
	u32 run_cpu;		/* CPU subbuf_begin() ran on */
	u32 ends;		/* subbuf_end() calls for this packet */
	u64 begin_ts;
	u64 ts_begin;
	u64 ts_end;
	u64 content_size;
	u64 packet_size;
	u64 seq;
	u64 discarded;
	u32 cpu;
	u32 pad;
};

#define T_HDR		sizeof(struct t_hdr)
#define T_PAYLOAD	(T_SUBBUF - ALIGN(T_HDR, T_ALIGN))
/* Three of these, aligned, fill a packet but for a few bytes. */
#define T_THIRD		((T_PAYLOAD / 3) & ~(T_ALIGN - 1))

/* Every test event: a header, then a pattern derived from (writer, seq). */
struct t_event {
	u32 len;		/* ctx->len: with full_ts_extra if full_ts */
	u32 writer;
	u64 seq;
	u64 ts;
	u32 full_ts;		/* ctx->full_ts */
	u32 pad;
	u64 pattern[];
};

#define T_EV		sizeof(struct t_event)

struct t_fix;

struct t_client {
	u32 magic;
	/*
	 * If set, called at the end of subbuf_begin(): where a writer that
	 * interrupts the one entering a sub-buffer would run.
	 */
	void (*on_begin)(struct t_client *client);
	struct t_fix *fix;
	int ret[2];
};

static void t_subbuf_begin(void *priv, unsigned int cpu, void *subbuf, u64 ts)
{
	struct t_client *client = priv;
	struct t_hdr *h = subbuf;

	memset(h, 0, sizeof(*h));
	h->magic = client->magic;
	h->begin_cpu = cpu;
	h->run_cpu = raw_smp_processor_id();
	h->begin_ts = ts;
	if (client->on_begin)
		client->on_begin(client);
}

static void t_subbuf_end(void *priv, unsigned int cpu, void *subbuf,
			 const struct ktrace_rb_packet_info *info)
{
	struct t_hdr *h = subbuf;

	h->ends++;
	h->ts_begin = info->ts_begin;
	h->ts_end = info->ts_end;
	h->content_size = info->content_size;
	h->packet_size = info->packet_size;
	h->seq = info->seq;
	h->discarded = info->events_discarded;
	h->cpu = info->cpu;
}

static const struct ktrace_rb_ops t_ops = {
	.subbuf_begin = t_subbuf_begin,
	.subbuf_end = t_subbuf_end,
};

static struct t_client t_client = { .magic = T_MAGIC };

static u64 t_pattern(u32 writer, u64 seq, unsigned int i)
{
	return (seq * 0x9e3779b97f4a7c15ULL) ^ ((u64)writer << 40) ^
	       ((i + 1) * 0xd6e8feb86659fd93ULL);
}

/* Fill the event @ctx reserved: all of its ctx->len bytes. */
static void t_fill_event(const struct ktrace_rb_ctx *ctx, u32 writer, u64 seq)
{
	struct t_event *ev = ctx->data;
	unsigned int i;

	ev->len = ctx->len;
	ev->writer = writer;
	ev->seq = seq;
	ev->ts = ctx->ts;
	ev->full_ts = ctx->full_ts;
	ev->pad = 0;
	for (i = 0; i < (ctx->len - T_EV) / sizeof(u64); i++)
		ev->pattern[i] = t_pattern(writer, seq, i);
}

static bool t_event_intact(const struct t_event *ev)
{
	unsigned int i;

	for (i = 0; i < (ev->len - T_EV) / sizeof(u64); i++)
		if (ev->pattern[i] != t_pattern(ev->writer, ev->seq, i))
			return false;
	return true;
}

/*
 * One channel for a unit case; the case runs pinned to @cpu. Events get
 * @full_ts_extra more bytes when they need their full timestamp.
 */
struct t_fix {
	struct ktrace_rb_chan *chan;
	struct ktrace_rb_buf *buf;
	unsigned long start;
	unsigned int cpu;
	unsigned int ts_bits;
	size_t full_ts_extra;
	u64 seq;
};

KUNIT_DEFINE_ACTION_WRAPPER(t_destroy_action, ktrace_rb_destroy,
			    struct ktrace_rb_chan *);

static struct t_fix *t_setup_cfg(struct kunit *test,
				 const struct ktrace_rb_config *cfg)
{
	struct t_fix *t;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	/* This case's thread stays on one CPU, so one buffer gets it all. */
	t->cpu = raw_smp_processor_id();
	KUNIT_ASSERT_EQ(test, set_cpus_allowed_ptr(current, cpumask_of(t->cpu)),
			0);
	t->chan = ktrace_rb_create(cfg);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t->chan);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, t_destroy_action,
							t->chan), 0);
	t->buf = ktrace_rb_buf(t->chan, t->cpu);
	t->start = cfg->start_pos;
	t->ts_bits = cfg->ts_bits;
	return t;
}

static struct t_fix *t_setup(struct kunit *test, enum ktrace_rb_mode mode,
			     unsigned int num_subbuf, unsigned long start)
{
	struct ktrace_rb_config cfg = {
		.mode = mode,
		.subbuf_size = T_SUBBUF,
		.num_subbuf = num_subbuf,
		.header_size = T_HDR,
		.event_align = T_ALIGN,
		.ops = &t_ops,
		.priv = &t_client,
		.start_pos = start,
	};

	return t_setup_cfg(test, &cfg);
}

/* What the CTF extended event header adds for a full timestamp. */
#define T_EXTRA		9

/* A discard-mode channel of four packets with compact timestamps. */
static struct t_fix *t_setup_ts(struct kunit *test, unsigned int ts_bits)
{
	struct ktrace_rb_config cfg = {
		.mode = KTRACE_RB_DISCARD,
		.subbuf_size = T_SUBBUF,
		.num_subbuf = 4,
		.header_size = T_HDR,
		.event_align = T_ALIGN,
		.ops = &t_ops,
		.priv = &t_client,
		.ts_bits = ts_bits,
	};
	struct t_fix *t = t_setup_cfg(test, &cfg);

	t->full_ts_extra = T_EXTRA;
	return t;
}

/*
 * Write one event of @len bytes (plus full_ts_extra if it needs a full
 * timestamp); its seq is the fixture's next. @ctx gets the reservation.
 */
static int t_write_ctx(struct t_fix *t, size_t len, struct ktrace_rb_ctx *ctx)
{
	int ret;

	ctx->full_ts_extra = t->full_ts_extra;
	ret = ktrace_rb_reserve(t->chan, ctx, len);
	if (ret)
		return ret;
	t_fill_event(ctx, 0, t->seq++);
	ktrace_rb_commit(t->chan, ctx);
	return 0;
}

static int t_write(struct t_fix *t, size_t len, unsigned long *pos)
{
	struct ktrace_rb_ctx ctx;
	int ret;

	ret = t_write_ctx(t, len, &ctx);
	if (!ret && pos)
		*pos = ctx.pos;
	return ret;
}

/* Busy-wait until the clock is at least @ns past @ts. */
static void t_wait_past(u64 ts, u64 ns)
{
	while (ktrace_rb_clock() - ts < ns)
		cpu_relax();
}

static unsigned long t_pkt(const struct t_fix *t, unsigned int n)
{
	return t->start + n * T_SUBBUF;
}

/*
 * Check the header of the held packet at @pos and the events in it, which
 * must be the fixture's events @first_seq onwards; return their number.
 * Every event without a full timestamp must be less than 2^ts_bits after
 * the one before it in the packet (or after ts_begin, for the first).
 */
static unsigned int t_check_held(struct kunit *test, struct t_fix *t,
				 unsigned long pos, u64 first_seq)
{
	const struct t_hdr *h = ktrace_rb_held_data(t->buf);
	unsigned long off = ALIGN(T_HDR, T_ALIGN);
	const struct t_event *ev;
	unsigned int n = 0;
	u64 ts;

	KUNIT_ASSERT_NOT_NULL(test, h);
	KUNIT_EXPECT_EQ(test, h->magic, T_MAGIC);
	KUNIT_EXPECT_EQ(test, h->ends, 1);
	KUNIT_EXPECT_EQ(test, h->begin_cpu, t->cpu);
	KUNIT_EXPECT_EQ(test, h->cpu, t->cpu);
	KUNIT_EXPECT_EQ(test, h->begin_ts, h->ts_begin);
	KUNIT_EXPECT_LE(test, h->ts_begin, h->ts_end);
	KUNIT_EXPECT_EQ(test, h->packet_size, T_SUBBUF);
	KUNIT_EXPECT_GE(test, h->content_size, T_HDR);
	KUNIT_EXPECT_LE(test, h->content_size, h->packet_size);
	KUNIT_EXPECT_EQ(test, h->seq, (u64)((pos - t->start) / T_SUBBUF));

	ts = h->ts_begin;
	for (; off < h->content_size; off = ALIGN(off + ev->len, T_ALIGN)) {
		ev = (const void *)h + off;
		KUNIT_ASSERT_GE(test, ev->len, T_EV);
		KUNIT_ASSERT_LE(test, off + ev->len, h->content_size);
		KUNIT_EXPECT_EQ(test, ev->seq, first_seq + n);
		KUNIT_EXPECT_TRUE(test, t_event_intact(ev));
		KUNIT_EXPECT_LE(test, ts, ev->ts);
		if (!t->ts_bits)
			KUNIT_EXPECT_FALSE(test, ev->full_ts);
		else if (!ev->full_ts)
			KUNIT_EXPECT_LT_MSG(test, ev->ts - ts, BIT_ULL(t->ts_bits),
					    "compact timestamp of event %llu",
					    ev->seq);
		ts = ev->ts;
		n++;
	}
	KUNIT_EXPECT_LE(test, ts, h->ts_end);
	return n;
}

static void t_counters(struct t_fix *t, struct ktrace_rb_counters *c)
{
	ktrace_rb_get_counters(t->buf, c);
}

/* ---- Geometry ---- */

/* A valid configuration but for one field. */
enum t_field {
	T_MODE, T_SUBBUF_SIZE, T_NUM_SUBBUF, T_HEADER_SIZE, T_EVENT_ALIGN,
	T_OPS, T_START_POS, T_TS_BITS,
};

struct t_geometry {
	const char *desc;
	enum t_field field;
	unsigned long value;
	int err;
};

static const struct ktrace_rb_ops t_ops_no_end = {
	.subbuf_begin = t_subbuf_begin,
};

static const struct t_geometry t_bad_geometry[] = {
	{ "num_subbuf 0", T_NUM_SUBBUF, 0, -EINVAL },
	{ "num_subbuf 1", T_NUM_SUBBUF, 1, -EINVAL },
	{ "num_subbuf 3, not a power of two", T_NUM_SUBBUF, 3, -EINVAL },
	{ "subbuf_size 0", T_SUBBUF_SIZE, 0, -EINVAL },
	{ "subbuf_size below PAGE_SIZE", T_SUBBUF_SIZE, PAGE_SIZE / 2,
	  -EINVAL },
	{ "subbuf_size not a power of two", T_SUBBUF_SIZE, 3 * PAGE_SIZE,
	  -EINVAL },
	{ "ring too large for position arithmetic", T_SUBBUF_SIZE,
	  1UL << (BITS_PER_LONG - 5), -EINVAL },
	{ "header as large as the sub-buffer", T_HEADER_SIZE, PAGE_SIZE,
	  -EINVAL },
	{ "aligned header as large as the sub-buffer", T_HEADER_SIZE,
	  PAGE_SIZE - 4, -EINVAL },
	{ "event_align not a power of two", T_EVENT_ALIGN, 3, -EINVAL },
	{ "event_align above PAGE_SIZE", T_EVENT_ALIGN, 2 * PAGE_SIZE,
	  -EINVAL },
	{ "start_pos not sub-buffer aligned", T_START_POS, 8, -EINVAL },
	{ "unknown mode", T_MODE, 7, -EINVAL },
	{ "no ops", T_OPS, 0, -EINVAL },
	{ "ops without subbuf_end", T_OPS, (unsigned long)&t_ops_no_end,
	  -EINVAL },
	{ "more memory than the machine has", T_SUBBUF_SIZE, 1UL << 40,
	  -ENOMEM },
	{ "ts_bits 64: nothing left compact", T_TS_BITS, 64, -EINVAL },
};

static void t_geometry_desc(const struct t_geometry *g, char *desc)
{
	strscpy(desc, g->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(t_bad_geometry, t_bad_geometry, t_geometry_desc);

static void rb_create_rejects_bad_geometry(struct kunit *test)
{
	const struct t_geometry *g = test->param_value;
	struct ktrace_rb_config cfg = {
		.mode = KTRACE_RB_OVERWRITE,
		.subbuf_size = PAGE_SIZE,
		.num_subbuf = 4,
		.header_size = T_HDR,
		.event_align = T_ALIGN,
		.ops = &t_ops,
		.ts_bits = 63,
	};
	struct ktrace_rb_chan *chan;

	/* The valid configuration is accepted... */
	chan = ktrace_rb_create(&cfg);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, chan);
	ktrace_rb_destroy(chan);
	/* ... and this one field makes it fail. */
	switch (g->field) {
	case T_MODE:
		cfg.mode = g->value;
		break;
	case T_SUBBUF_SIZE:
		cfg.subbuf_size = g->value;
		break;
	case T_NUM_SUBBUF:
		cfg.num_subbuf = g->value;
		break;
	case T_HEADER_SIZE:
		cfg.header_size = g->value;
		break;
	case T_EVENT_ALIGN:
		cfg.event_align = g->value;
		break;
	case T_OPS:
		cfg.ops = (const struct ktrace_rb_ops *)g->value;
		break;
	case T_START_POS:
		cfg.start_pos = g->value;
		break;
	case T_TS_BITS:
		cfg.ts_bits = g->value;
		break;
	}
	chan = ktrace_rb_create(&cfg);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(chan), g->err);
	if (!IS_ERR(chan))
		ktrace_rb_destroy(chan);
}

static void rb_create_allocates_every_possible_cpu(struct kunit *test)
{
	struct ktrace_rb_config cfg = {
		.mode = KTRACE_RB_OVERWRITE,
		.subbuf_size = 2 * PAGE_SIZE,
		.num_subbuf = 8,
		.header_size = T_HDR,
		.event_align = T_ALIGN,
		.ops = &t_ops,
		.priv = &t_client,
	};
	unsigned long pgoff, npages = (8 + 1) * 2;
	struct ktrace_rb_chan *chan;
	struct ktrace_rb_buf *buf;
	unsigned int cpu;

	chan = ktrace_rb_create(&cfg);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, chan);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, t_destroy_action,
							chan), 0);
	KUNIT_EXPECT_EQ(test, ktrace_rb_subbuf_size(chan), 2 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, ktrace_rb_num_subbuf(chan), 8);
	KUNIT_EXPECT_PTR_EQ(test, ktrace_rb_priv(chan), (void *)&t_client);
	KUNIT_EXPECT_NULL(test, ktrace_rb_buf(chan, nr_cpu_ids));
	/* A buffer for each online CPU; the others get theirs when online. */
	for_each_online_cpu(cpu) {
		buf = ktrace_rb_buf(chan, cpu);
		KUNIT_ASSERT_NOT_NULL(test, buf);
		KUNIT_EXPECT_EQ(test, ktrace_rb_mmap_size(buf),
				npages * PAGE_SIZE);
		KUNIT_EXPECT_EQ(test, ktrace_rb_held_mmap_offset(buf),
				8 * 2 * PAGE_SIZE);
		for (pgoff = 0; pgoff < npages; pgoff++)
			KUNIT_EXPECT_NOT_NULL(test,
					      ktrace_rb_mmap_page(buf, pgoff));
		KUNIT_EXPECT_NULL(test, ktrace_rb_mmap_page(buf, npages));
	}
}

/* ---- Writer ---- */

static void rb_reserve_commit_places_events_in_order(struct kunit *test)
{
	struct t_fix *t = t_setup(test, KTRACE_RB_DISCARD, 4, 0);
	unsigned long pos[3], consumed, produced;
	struct ktrace_rb_counters c;
	unsigned int i;

	for (i = 0; i < 3; i++)
		KUNIT_ASSERT_EQ(test, t_write(t, T_EV + 8 * i + 1, &pos[i]), 0);
	KUNIT_EXPECT_EQ(test, pos[0], ALIGN(T_HDR, T_ALIGN));
	KUNIT_EXPECT_EQ(test, pos[1], pos[0] + ALIGN(T_EV + 1, T_ALIGN));
	KUNIT_EXPECT_EQ(test, pos[2], pos[1] + ALIGN(T_EV + 9, T_ALIGN));
	t_counters(t, &c);
	KUNIT_EXPECT_EQ(test, c.written, 3);
	KUNIT_EXPECT_EQ(test, c.discarded, 0);

	/* The packet is still open: not readable yet. */
	ktrace_rb_snapshot(t->buf, &consumed, &produced);
	KUNIT_EXPECT_EQ(test, consumed, 0);
	KUNIT_EXPECT_EQ(test, produced, 0);
	KUNIT_EXPECT_EQ(test, ktrace_rb_get_subbuf(t->buf, 0), -EAGAIN);

	ktrace_rb_flush(t->buf, false);
	KUNIT_ASSERT_EQ(test, ktrace_rb_get_subbuf(t->buf, 0), 0);
	KUNIT_EXPECT_EQ(test, t_check_held(test, t, 0, 0), 3);
	KUNIT_EXPECT_EQ(test, ((const struct t_hdr *)
			       ktrace_rb_held_data(t->buf))->content_size,
			pos[2] + T_EV + 17);
	KUNIT_EXPECT_EQ(test, ktrace_rb_put_subbuf(t->buf), 0);
}

static void rb_event_never_spans_subbufs(struct kunit *test)
{
	struct t_fix *t = t_setup(test, KTRACE_RB_DISCARD, 4, 0);
	unsigned long len = 200, per_packet = T_PAYLOAD / len, pos, i;
	const struct t_hdr *h;

	for (i = 0; i < per_packet; i++)
		KUNIT_ASSERT_EQ(test, t_write(t, len, &pos), 0);
	KUNIT_EXPECT_LT(test, pos + len, t_pkt(t, 1));
	/* One more does not fit: the packet is closed, padded. */
	KUNIT_ASSERT_EQ(test, t_write(t, len, &pos), 0);
	KUNIT_EXPECT_EQ(test, pos, t_pkt(t, 1) + ALIGN(T_HDR, T_ALIGN));

	KUNIT_ASSERT_EQ(test, ktrace_rb_get_subbuf(t->buf, t_pkt(t, 0)), 0);
	KUNIT_EXPECT_EQ(test, t_check_held(test, t, t_pkt(t, 0), 0),
			per_packet);
	h = ktrace_rb_held_data(t->buf);
	KUNIT_EXPECT_EQ(test, h->content_size,
			ALIGN(T_HDR, T_ALIGN) + per_packet * len);
	KUNIT_EXPECT_EQ(test, ktrace_rb_put_subbuf(t->buf), 0);
}

static void rb_event_filling_payload_closes_packet(struct kunit *test)
{
	struct t_fix *t = t_setup(test, KTRACE_RB_DISCARD, 4, 0);
	unsigned long consumed, produced, pos;

	KUNIT_ASSERT_EQ(test, t_write(t, T_PAYLOAD, &pos), 0);
	KUNIT_EXPECT_EQ(test, pos + T_PAYLOAD, t_pkt(t, 1));
	/* Readable at once, no flush needed. */
	ktrace_rb_snapshot(t->buf, &consumed, &produced);
	KUNIT_EXPECT_EQ(test, produced, t_pkt(t, 1));
	KUNIT_ASSERT_EQ(test, ktrace_rb_get_subbuf(t->buf, t_pkt(t, 0)), 0);
	KUNIT_EXPECT_EQ(test, t_check_held(test, t, t_pkt(t, 0), 0), 1);
	KUNIT_EXPECT_EQ(test, ((const struct t_hdr *)
			       ktrace_rb_held_data(t->buf))->content_size,
			T_SUBBUF);
	KUNIT_EXPECT_EQ(test, ktrace_rb_put_subbuf(t->buf), 0);
}

static void rb_oversize_event_is_refused_and_counted(struct kunit *test)
{
	struct t_fix *t = t_setup(test, KTRACE_RB_OVERWRITE, 4, 0);
	struct ktrace_rb_counters c;

	KUNIT_EXPECT_EQ(test, t_write(t, T_PAYLOAD + 1, NULL), -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, t_write(t, T_SUBBUF, NULL), -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, t_write(t, SIZE_MAX, NULL), -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, t_write(t, 0, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, t_write(t, T_PAYLOAD, NULL), 0);
	t_counters(t, &c);
	KUNIT_EXPECT_EQ(test, c.discarded_oversize, 3);
	KUNIT_EXPECT_EQ(test, c.discarded, 3);
	KUNIT_EXPECT_EQ(test, c.written, 1);
}

static void rb_nesting_deeper_than_limit_is_refused(struct kunit *test)
{
	struct t_fix *t = t_setup(test, KTRACE_RB_DISCARD, 4, 0);
	struct ktrace_rb_ctx ctx[KTRACE_RB_MAX_NESTING + 1];
	int ret[KTRACE_RB_MAX_NESTING + 1];
	struct ktrace_rb_counters c;
	int i;

	/* Each reserve disables preemption: no KUnit call until commit. */
	for (i = 0; i <= KTRACE_RB_MAX_NESTING; i++)
		ret[i] = ktrace_rb_reserve(t->chan, &ctx[i], T_EV);
	for (i = KTRACE_RB_MAX_NESTING - 1; i >= 0; i--) {
		if (ret[i])
			continue;
		t_fill_event(&ctx[i], 0, i);
		ktrace_rb_commit(t->chan, &ctx[i]);
	}

	for (i = 0; i < KTRACE_RB_MAX_NESTING; i++) {
		KUNIT_EXPECT_EQ(test, ret[i], 0);
		if (i)
			KUNIT_EXPECT_EQ(test, ctx[i].pos, ctx[i - 1].pos + T_EV);
	}
	KUNIT_EXPECT_EQ(test, ret[KTRACE_RB_MAX_NESTING], -EDEADLK);
	t_counters(t, &c);
	KUNIT_EXPECT_EQ(test, c.written, KTRACE_RB_MAX_NESTING);
	KUNIT_EXPECT_EQ(test, c.discarded_nesting, 1);
	KUNIT_EXPECT_EQ(test, c.discarded, 1);
	/* The nesting count unwound: the next event goes through. */
	KUNIT_EXPECT_EQ(test, t_write(t, T_EV, NULL), 0);
}

/* ---- Positions ---- */

static void rb_positions_wrap_around(struct kunit *test)
{
	/* Three packets below the wrap point, five above it. */
	struct t_fix *t = t_setup(test, KTRACE_RB_DISCARD, 4,
				  0UL - 3 * T_SUBBUF);
	unsigned long pos, consumed, produced;
	unsigned int i;

	for (i = 0; i < 8; i++) {
		KUNIT_ASSERT_EQ(test, t_write(t, T_PAYLOAD, NULL), 0);
		KUNIT_ASSERT_EQ(test, ktrace_rb_get_next_subbuf(t->buf, &pos),
				0);
		KUNIT_EXPECT_EQ(test, pos, t_pkt(t, i));
		KUNIT_EXPECT_EQ(test, t_check_held(test, t, pos, i), 1);
		KUNIT_EXPECT_EQ(test, ktrace_rb_put_next_subbuf(t->buf), 0);
	}
	ktrace_rb_snapshot(t->buf, &consumed, &produced);
	KUNIT_EXPECT_EQ(test, consumed, 5 * T_SUBBUF);
	KUNIT_EXPECT_EQ(test, produced, 5 * T_SUBBUF);
	/* Before the first packet, even across the wrap. */
	KUNIT_EXPECT_EQ(test, ktrace_rb_get_subbuf(t->buf, t_pkt(t, 0) -
						   T_SUBBUF), -EAGAIN);
}

static void rb_overwrite_wraps_around(struct kunit *test)
{
	struct t_fix *t = t_setup(test, KTRACE_RB_OVERWRITE, 2,
				  0UL - T_SUBBUF);
	unsigned long consumed, produced;
	struct ktrace_rb_counters c;
	unsigned int i;

	for (i = 0; i < 5; i++)
		KUNIT_ASSERT_EQ(test, t_write(t, T_PAYLOAD, NULL), 0);
	ktrace_rb_snapshot(t->buf, &consumed, &produced);
	KUNIT_EXPECT_EQ(test, consumed, 2 * T_SUBBUF);
	KUNIT_EXPECT_EQ(test, produced, 4 * T_SUBBUF);
	t_counters(t, &c);
	KUNIT_EXPECT_EQ(test, c.overwritten, 3);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, ktrace_rb_get_subbuf(t->buf, t_pkt(t, i)),
				-EAGAIN);
	for (i = 3; i < 5; i++) {
		KUNIT_ASSERT_EQ(test, ktrace_rb_get_subbuf(t->buf, t_pkt(t, i)),
				0);
		KUNIT_EXPECT_EQ(test, t_check_held(test, t, t_pkt(t, i), i), 1);
		KUNIT_EXPECT_EQ(test, ktrace_rb_put_subbuf(t->buf), 0);
	}
}

static void rb_snapshot_and_move_consumer(struct kunit *test)
{
	struct t_fix *t = t_setup(test, KTRACE_RB_DISCARD, 4, 0);
	unsigned long consumed, produced;

	ktrace_rb_snapshot(t->buf, &consumed, &produced);
	KUNIT_EXPECT_EQ(test, consumed, 0);
	KUNIT_EXPECT_EQ(test, produced, 0);
	KUNIT_ASSERT_EQ(test, t_write(t, T_PAYLOAD, NULL), 0);
	KUNIT_ASSERT_EQ(test, t_write(t, T_PAYLOAD, NULL), 0);
	KUNIT_ASSERT_EQ(test, t_write(t, T_EV, NULL), 0);
	ktrace_rb_snapshot(t->buf, &consumed, &produced);
	KUNIT_EXPECT_EQ(test, consumed, 0);
	KUNIT_EXPECT_EQ(test, produced, t_pkt(t, 2));

	KUNIT_EXPECT_EQ(test, ktrace_rb_move_consumer(t->buf, 0, 8), -EINVAL);
	KUNIT_EXPECT_EQ(test, ktrace_rb_move_consumer(t->buf, 8, T_SUBBUF),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, ktrace_rb_move_consumer(t->buf, T_SUBBUF, 0),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, ktrace_rb_move_consumer(t->buf, 0, t_pkt(t, 3)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, ktrace_rb_move_consumer(t->buf, T_SUBBUF,
						      t_pkt(t, 2)), -ESTALE);
	KUNIT_EXPECT_EQ(test, ktrace_rb_move_consumer(t->buf, 0, t_pkt(t, 2)),
			0);
	ktrace_rb_snapshot(t->buf, &consumed, &produced);
	KUNIT_EXPECT_EQ(test, consumed, t_pkt(t, 2));
	KUNIT_EXPECT_EQ(test, produced, t_pkt(t, 2));
}

/* ---- Packets ---- */

static void rb_packet_callbacks_record_packet_info(struct kunit *test)
{
	struct t_fix *t = t_setup(test, KTRACE_RB_DISCARD, 2, 0);
	const struct t_hdr *h;
	unsigned long pos;
	u64 ts_end0;
	int i;

	for (i = 0; i < 3; i++)
		KUNIT_ASSERT_EQ(test, t_write(t, 32, NULL), 0);
	/* Does not fit: closes packet 0, fills packet 1 exactly. */
	KUNIT_ASSERT_EQ(test, t_write(t, T_PAYLOAD, NULL), 0);
	/* Full: two events discarded. */
	KUNIT_EXPECT_EQ(test, t_write(t, 32, NULL), -ENOBUFS);
	KUNIT_EXPECT_EQ(test, t_write(t, 32, NULL), -ENOBUFS);

	KUNIT_ASSERT_EQ(test, ktrace_rb_get_next_subbuf(t->buf, &pos), 0);
	KUNIT_EXPECT_EQ(test, t_check_held(test, t, pos, 0), 3);
	h = ktrace_rb_held_data(t->buf);
	KUNIT_EXPECT_EQ(test, h->content_size, ALIGN(T_HDR, T_ALIGN) + 3 * 32);
	KUNIT_EXPECT_EQ(test, h->discarded, 0);
	KUNIT_EXPECT_EQ(test, h->run_cpu, t->cpu);
	ts_end0 = h->ts_end;
	KUNIT_EXPECT_EQ(test, ktrace_rb_put_next_subbuf(t->buf), 0);

	KUNIT_ASSERT_EQ(test, ktrace_rb_get_next_subbuf(t->buf, &pos), 0);
	KUNIT_EXPECT_EQ(test, t_check_held(test, t, pos, 3), 1);
	h = ktrace_rb_held_data(t->buf);
	/* Closed before the discards; opened by the event that closed 0. */
	KUNIT_EXPECT_EQ(test, h->discarded, 0);
	KUNIT_EXPECT_EQ(test, h->ts_begin, ts_end0);
	KUNIT_EXPECT_EQ(test, h->ts_end, h->ts_begin);
	KUNIT_EXPECT_EQ(test, ktrace_rb_put_next_subbuf(t->buf), 0);

	/* Packet 2 carries the running discarded count. */
	KUNIT_ASSERT_EQ(test, t_write(t, 32, NULL), 0);
	ktrace_rb_flush(t->buf, false);
	KUNIT_ASSERT_EQ(test, ktrace_rb_get_next_subbuf(t->buf, &pos), 0);
	KUNIT_EXPECT_EQ(test, pos, t_pkt(t, 2));
	KUNIT_EXPECT_EQ(test, t_check_held(test, t, pos, 4), 1);
	h = ktrace_rb_held_data(t->buf);
	KUNIT_EXPECT_EQ(test, h->discarded, 2);
	KUNIT_EXPECT_EQ(test, ktrace_rb_put_next_subbuf(t->buf), 0);
}

/* ---- Modes ---- */

static void rb_discard_mode_drops_when_full(struct kunit *test)
{
	struct t_fix *t = t_setup(test, KTRACE_RB_DISCARD, 2, 0);
	struct ktrace_rb_counters c;
	unsigned long pos;

	KUNIT_ASSERT_EQ(test, t_write(t, T_PAYLOAD, NULL), 0);
	KUNIT_ASSERT_EQ(test, t_write(t, T_PAYLOAD, NULL), 0);
	KUNIT_EXPECT_EQ(test, t_write(t, T_EV, NULL), -ENOBUFS);
	KUNIT_EXPECT_EQ(test, t_write(t, T_PAYLOAD, NULL), -ENOBUFS);
	t_counters(t, &c);
	KUNIT_EXPECT_EQ(test, c.written, 2);
	KUNIT_EXPECT_EQ(test, c.discarded_full, 2);
	KUNIT_EXPECT_EQ(test, c.discarded, 2);
	KUNIT_EXPECT_EQ(test, c.overwritten, 0);

	/* Consuming one packet makes room for one more. */
	KUNIT_ASSERT_EQ(test, ktrace_rb_get_next_subbuf(t->buf, &pos), 0);
	KUNIT_EXPECT_EQ(test, ktrace_rb_put_next_subbuf(t->buf), 0);
	KUNIT_EXPECT_EQ(test, t_write(t, T_PAYLOAD, NULL), 0);
	KUNIT_EXPECT_EQ(test, t_write(t, T_PAYLOAD, NULL), -ENOBUFS);
	t_counters(t, &c);
	KUNIT_EXPECT_EQ(test, c.written, 3);
	KUNIT_EXPECT_EQ(test, c.discarded_full, 3);
}

static void rb_overwrite_mode_reclaims_oldest(struct kunit *test)
{
	struct t_fix *t = t_setup(test, KTRACE_RB_OVERWRITE, 2, 0);
	unsigned long consumed, produced, pos;
	struct ktrace_rb_counters c;
	unsigned int i;

	/* Packets 0 and 1 of three events each, packets 2 and 3 of one. */
	for (i = 0; i < 6; i++)
		KUNIT_ASSERT_EQ(test, t_write(t, T_THIRD, NULL), 0);
	KUNIT_ASSERT_EQ(test, t_write(t, T_PAYLOAD, NULL), 0);
	t_counters(t, &c);
	KUNIT_EXPECT_EQ(test, c.overwritten, 3);
	KUNIT_ASSERT_EQ(test, t_write(t, T_PAYLOAD, NULL), 0);
	t_counters(t, &c);
	KUNIT_EXPECT_EQ(test, c.written, 8);
	KUNIT_EXPECT_EQ(test, c.overwritten, 6);
	KUNIT_EXPECT_EQ(test, c.discarded, 0);

	ktrace_rb_snapshot(t->buf, &consumed, &produced);
	KUNIT_EXPECT_EQ(test, consumed, t_pkt(t, 2));
	KUNIT_EXPECT_EQ(test, produced, t_pkt(t, 4));
	KUNIT_EXPECT_EQ(test, ktrace_rb_get_subbuf(t->buf, t_pkt(t, 1)),
			-EAGAIN);
	KUNIT_ASSERT_EQ(test, ktrace_rb_get_next_subbuf(t->buf, &pos), 0);
	KUNIT_EXPECT_EQ(test, pos, t_pkt(t, 2));
	KUNIT_EXPECT_EQ(test, t_check_held(test, t, pos, 6), 1);
	/*
	 * Its slot is reclaimed while it is held: the reader keeps its copy
	 * and writes it out, so its event counts as read, never also as
	 * overwritten.
	 */
	KUNIT_ASSERT_EQ(test, t_write(t, T_PAYLOAD, NULL), 0);
	KUNIT_EXPECT_EQ(test, t_check_held(test, t, pos, 6), 1);
	KUNIT_EXPECT_EQ(test, ktrace_rb_put_next_subbuf(t->buf), 0);
	t_counters(t, &c);
	KUNIT_EXPECT_EQ(test, c.written, 9);
	KUNIT_EXPECT_EQ(test, c.overwritten, 6);
	/* written = read (1) + overwritten + left in the buffer (2). */
	ktrace_rb_snapshot(t->buf, &consumed, &produced);
	KUNIT_EXPECT_EQ(test, consumed, t_pkt(t, 3));
	KUNIT_EXPECT_EQ(test, produced, t_pkt(t, 5));
}

/* ---- Reader results ---- */

static void rb_get_rejects_unaligned_pos(struct kunit *test)
{
	struct t_fix *t = t_setup(test, KTRACE_RB_DISCARD, 4, 0);

	KUNIT_ASSERT_EQ(test, t_write(t, T_PAYLOAD, NULL), 0);
	KUNIT_EXPECT_EQ(test, ktrace_rb_get_subbuf(t->buf, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, ktrace_rb_get_subbuf(t->buf, T_SUBBUF / 2),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, ktrace_rb_get_subbuf(t->buf, 0), 0);
	KUNIT_EXPECT_EQ(test, ktrace_rb_put_subbuf(t->buf), 0);
}

static void rb_get_while_holding_is_busy(struct kunit *test)
{
	struct t_fix *t = t_setup(test, KTRACE_RB_DISCARD, 4, 0);
	unsigned long pos;

	KUNIT_ASSERT_EQ(test, t_write(t, T_PAYLOAD, NULL), 0);
	KUNIT_ASSERT_EQ(test, t_write(t, T_PAYLOAD, NULL), 0);
	KUNIT_ASSERT_EQ(test, ktrace_rb_get_subbuf(t->buf, 0), 0);
	KUNIT_EXPECT_EQ(test, ktrace_rb_get_subbuf(t->buf, 0), -EBUSY);
	KUNIT_EXPECT_EQ(test, ktrace_rb_get_subbuf(t->buf, T_SUBBUF), -EBUSY);
	KUNIT_EXPECT_EQ(test, ktrace_rb_get_next_subbuf(t->buf, &pos), -EBUSY);
	KUNIT_EXPECT_EQ(test, ktrace_rb_put_subbuf(t->buf), 0);
	KUNIT_EXPECT_EQ(test, ktrace_rb_get_subbuf(t->buf, T_SUBBUF), 0);
	KUNIT_EXPECT_EQ(test, ktrace_rb_put_subbuf(t->buf), 0);
}

static void rb_put_without_get_is_invalid(struct kunit *test)
{
	struct t_fix *t = t_setup(test, KTRACE_RB_DISCARD, 4, 0);

	KUNIT_EXPECT_EQ(test, ktrace_rb_put_subbuf(t->buf), -EINVAL);
	KUNIT_EXPECT_EQ(test, ktrace_rb_put_next_subbuf(t->buf), -EINVAL);
	KUNIT_EXPECT_NULL(test, ktrace_rb_held_data(t->buf));
	KUNIT_EXPECT_NULL(test, ktrace_rb_held_page(t->buf, 0));
	/* put_next releases only what get_next got. */
	KUNIT_ASSERT_EQ(test, t_write(t, T_PAYLOAD, NULL), 0);
	KUNIT_ASSERT_EQ(test, ktrace_rb_get_subbuf(t->buf, 0), 0);
	KUNIT_EXPECT_EQ(test, ktrace_rb_put_next_subbuf(t->buf), -EINVAL);
	KUNIT_EXPECT_EQ(test, ktrace_rb_put_subbuf(t->buf), 0);
	KUNIT_EXPECT_EQ(test, ktrace_rb_put_subbuf(t->buf), -EINVAL);
}

static void rb_get_fails_while_being_written(struct kunit *test)
{
	struct t_fix *t = t_setup(test, KTRACE_RB_DISCARD, 4, 0);
	unsigned long pos;

	/* Nothing written yet, then a packet still open. */
	KUNIT_EXPECT_EQ(test, ktrace_rb_get_subbuf(t->buf, 0), -EAGAIN);
	KUNIT_EXPECT_EQ(test, ktrace_rb_get_next_subbuf(t->buf, &pos), -EAGAIN);
	KUNIT_ASSERT_EQ(test, t_write(t, T_EV, NULL), 0);
	KUNIT_EXPECT_EQ(test, ktrace_rb_get_subbuf(t->buf, 0), -EAGAIN);
	/* Future positions. */
	KUNIT_EXPECT_EQ(test, ktrace_rb_get_subbuf(t->buf, T_SUBBUF), -EAGAIN);
	KUNIT_EXPECT_EQ(test, ktrace_rb_get_subbuf(t->buf, 8 * T_SUBBUF),
			-EAGAIN);
	KUNIT_EXPECT_NULL(test, ktrace_rb_held_data(t->buf));
}

static void rb_get_fails_until_fully_committed(struct kunit *test)
{
	struct t_fix *t = t_setup(test, KTRACE_RB_DISCARD, 4, 0);
	struct ktrace_rb_ctx a, b;
	int ret_a, ret_b, get0, get1, put1;

	/* Preemption is off from the first reserve to its commit. */
	ret_a = ktrace_rb_reserve(t->chan, &a, T_EV);
	if (!ret_a)
		t_fill_event(&a, 0, 0);
	/* Nested: does not fit, closes packet 0 and fills packet 1. */
	ret_b = ktrace_rb_reserve(t->chan, &b, T_PAYLOAD);
	if (!ret_b) {
		t_fill_event(&b, 0, 1);
		ktrace_rb_commit(t->chan, &b);
	}
	get0 = ktrace_rb_get_subbuf(t->buf, 0);
	get1 = ktrace_rb_get_subbuf(t->buf, T_SUBBUF);
	put1 = ktrace_rb_put_subbuf(t->buf);
	if (!ret_a)
		ktrace_rb_commit(t->chan, &a);

	KUNIT_ASSERT_EQ(test, ret_a, 0);
	KUNIT_ASSERT_EQ(test, ret_b, 0);
	KUNIT_EXPECT_EQ(test, get0, -EAGAIN);
	KUNIT_EXPECT_EQ(test, get1, 0);
	KUNIT_EXPECT_EQ(test, put1, 0);
	KUNIT_ASSERT_EQ(test, ktrace_rb_get_subbuf(t->buf, 0), 0);
	KUNIT_EXPECT_EQ(test, t_check_held(test, t, 0, 0), 1);
	KUNIT_EXPECT_EQ(test, ktrace_rb_put_subbuf(t->buf), 0);
}

static void rb_get_fails_once_overwritten(struct kunit *test)
{
	struct t_fix *t = t_setup(test, KTRACE_RB_OVERWRITE, 4, 0);
	unsigned int i;

	for (i = 0; i < 6; i++)
		KUNIT_ASSERT_EQ(test, t_write(t, T_PAYLOAD, NULL), 0);
	/* Packets 0 and 1 were reclaimed for packets 4 and 5. */
	KUNIT_EXPECT_EQ(test, ktrace_rb_get_subbuf(t->buf, t_pkt(t, 0)),
			-EAGAIN);
	KUNIT_EXPECT_EQ(test, ktrace_rb_get_subbuf(t->buf, t_pkt(t, 1)),
			-EAGAIN);
	KUNIT_ASSERT_EQ(test, ktrace_rb_get_subbuf(t->buf, t_pkt(t, 2)), 0);
	KUNIT_EXPECT_EQ(test, t_check_held(test, t, t_pkt(t, 2), 2), 1);
	KUNIT_EXPECT_EQ(test, ktrace_rb_put_subbuf(t->buf), 0);
}

static void rb_get_after_finalize_is_nodata(struct kunit *test)
{
	struct t_fix *t = t_setup(test, KTRACE_RB_DISCARD, 4, 0);
	unsigned long consumed, produced, pos;
	struct ktrace_rb_counters c;

	KUNIT_ASSERT_EQ(test, t_write(t, T_EV, NULL), 0);
	KUNIT_ASSERT_EQ(test, t_write(t, T_EV, NULL), 0);
	ktrace_rb_finalize(t->chan);
	ktrace_rb_finalize(t->chan);
	KUNIT_EXPECT_EQ(test, t_write(t, T_EV, NULL), -ESHUTDOWN);
	t_counters(t, &c);
	KUNIT_EXPECT_EQ(test, c.written, 2);
	KUNIT_EXPECT_EQ(test, c.discarded, 0);

	/* Finalize closed the open packet; flushing now changes nothing. */
	ktrace_rb_flush(t->buf, true);
	ktrace_rb_snapshot(t->buf, &consumed, &produced);
	KUNIT_EXPECT_EQ(test, produced, t_pkt(t, 1));
	KUNIT_ASSERT_EQ(test, ktrace_rb_get_next_subbuf(t->buf, &pos), 0);
	KUNIT_EXPECT_EQ(test, t_check_held(test, t, pos, 0), 2);
	KUNIT_EXPECT_EQ(test, ktrace_rb_put_next_subbuf(t->buf), 0);
	KUNIT_EXPECT_EQ(test, ktrace_rb_get_next_subbuf(t->buf, &pos),
			-ENODATA);
	KUNIT_EXPECT_EQ(test, ktrace_rb_get_subbuf(t->buf, t_pkt(t, 3)),
			-ENODATA);

	/* A buffer that never saw an event has nothing at all. */
	if (num_online_cpus() > 1) {
		unsigned int other = cpumask_next(t->cpu, cpu_online_mask);
		struct ktrace_rb_buf *buf;

		if (other >= nr_cpu_ids)
			other = cpumask_first(cpu_online_mask);
		buf = ktrace_rb_buf(t->chan, other);
		KUNIT_EXPECT_EQ(test, ktrace_rb_get_subbuf(buf, 0), -ENODATA);
	}
}

static void rb_reads_are_not_destructive(struct kunit *test)
{
	struct t_fix *t = t_setup(test, KTRACE_RB_OVERWRITE, 4, 0);
	unsigned long consumed, produced, off, pgoff;
	void *copy;
	const void *held;
	struct page *page;

	copy = kunit_kzalloc(test, T_SUBBUF, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, copy);
	KUNIT_ASSERT_EQ(test, t_write(t, 100, NULL), 0);
	KUNIT_ASSERT_EQ(test, t_write(t, 200, NULL), 0);
	ktrace_rb_flush(t->buf, false);

	KUNIT_ASSERT_EQ(test, ktrace_rb_get_subbuf(t->buf, 0), 0);
	held = ktrace_rb_held_data(t->buf);
	memcpy(copy, held, T_SUBBUF);
	/* The held copy is what the pages give to mmap and splice. */
	for (off = 0; off < T_SUBBUF; off += PAGE_SIZE) {
		page = ktrace_rb_held_page(t->buf, off);
		KUNIT_ASSERT_NOT_NULL(test, page);
		pgoff = (ktrace_rb_held_mmap_offset(t->buf) + off) >> PAGE_SHIFT;
		KUNIT_EXPECT_PTR_EQ(test, page,
				    ktrace_rb_mmap_page(t->buf, pgoff));
		KUNIT_EXPECT_EQ(test, memcmp(page_address(page), held + off,
					     PAGE_SIZE), 0);
	}
	KUNIT_EXPECT_NULL(test, ktrace_rb_held_page(t->buf, T_SUBBUF));
	/* ... and the ring's own pages are untouched. */
	KUNIT_EXPECT_EQ(test, memcmp(page_address(ktrace_rb_mmap_page(t->buf,
								      0)),
				     held, PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, ktrace_rb_put_subbuf(t->buf), 0);

	KUNIT_ASSERT_EQ(test, ktrace_rb_get_subbuf(t->buf, 0), 0);
	KUNIT_EXPECT_EQ(test, memcmp(copy, ktrace_rb_held_data(t->buf),
				     T_SUBBUF), 0);
	KUNIT_EXPECT_EQ(test, ktrace_rb_put_subbuf(t->buf), 0);
	ktrace_rb_snapshot(t->buf, &consumed, &produced);
	KUNIT_EXPECT_EQ(test, consumed, 0);
}

/*
 * The bytes between a packet's content and its end, which readers copy
 * out as padding, are zero, even when the sub-buffer held a longer packet
 * in an earlier lap.
 */
static void rb_padding_after_lap_is_zero(struct kunit *test)
{
	struct t_fix *t = t_setup(test, KTRACE_RB_OVERWRITE, 2, 0);
	unsigned long off, content;
	const u8 *p;
	unsigned int i;

	for (i = 0; i < 2; i++)
		KUNIT_ASSERT_EQ(test, t_write(t, T_PAYLOAD, NULL), 0);
	/* Packet 2 reuses the sub-buffer of packet 0. */
	KUNIT_ASSERT_EQ(test, t_write(t, T_EV + 8, NULL), 0);
	ktrace_rb_flush(t->buf, false);
	KUNIT_ASSERT_EQ(test, ktrace_rb_get_subbuf(t->buf, t_pkt(t, 2)), 0);
	KUNIT_EXPECT_EQ(test, t_check_held(test, t, t_pkt(t, 2), 2), 1);
	p = ktrace_rb_held_data(t->buf);
	content = ((const struct t_hdr *)p)->content_size;
	KUNIT_EXPECT_EQ(test, content, ALIGN(T_HDR, T_ALIGN) + T_EV + 8);
	for (off = content; off < T_SUBBUF && !p[off]; off++)
		;
	KUNIT_EXPECT_EQ_MSG(test, off, T_SUBBUF,
			    "byte %#x at %lu, after content ending at %lu",
			    off < T_SUBBUF ? p[off] : 0, off, content);
	KUNIT_EXPECT_EQ(test, ktrace_rb_put_subbuf(t->buf), 0);
}

/* Once, from the first subbuf_begin(): fill a packet, then lose an event. */
static void t_nested_close_then_discard(struct t_client *client)
{
	client->on_begin = NULL;
	client->ret[0] = t_write(client->fix, T_PAYLOAD, NULL);
	client->ret[1] = t_write(client->fix, T_PAYLOAD + 1, NULL);
}

/*
 * A writer interrupts the one that entered packet 0, before that one has
 * closed it: the interrupting writer fills and closes packet 1, then has
 * an event refused. The running count of discarded events in the packet
 * headers must still never go down from one packet to the next.
 */
static void rb_events_discarded_never_decreases(struct kunit *test)
{
	struct ktrace_rb_config cfg = {
		.mode = KTRACE_RB_DISCARD,
		.subbuf_size = T_SUBBUF,
		.num_subbuf = 4,
		.header_size = T_HDR,
		.event_align = T_ALIGN,
		.ops = &t_ops,
	};
	static const u64 first_seq[] = { 1, 0, 2 };
	struct t_client *client;
	const struct t_hdr *h;
	u64 discarded = 0;
	struct t_fix *t;
	unsigned int i;

	client = kunit_kzalloc(test, sizeof(*client), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, client);
	client->magic = T_MAGIC;
	cfg.priv = client;
	t = t_setup_cfg(test, &cfg);
	client->fix = t;
	client->on_begin = t_nested_close_then_discard;

	/* Fills packet 0 exactly: it closes once subbuf_begin() returns. */
	KUNIT_ASSERT_EQ(test, t_write(t, T_PAYLOAD, NULL), 0);
	KUNIT_ASSERT_EQ(test, client->ret[0], 0);
	KUNIT_ASSERT_EQ(test, client->ret[1], -EMSGSIZE);
	KUNIT_ASSERT_EQ(test, t_write(t, T_EV, NULL), 0);
	ktrace_rb_flush(t->buf, false);

	for (i = 0; i < ARRAY_SIZE(first_seq); i++) {
		KUNIT_ASSERT_EQ(test, ktrace_rb_get_subbuf(t->buf, t_pkt(t, i)),
				0);
		KUNIT_EXPECT_EQ(test, t_check_held(test, t, t_pkt(t, i),
						   first_seq[i]), 1);
		h = ktrace_rb_held_data(t->buf);
		KUNIT_EXPECT_GE_MSG(test, h->discarded, discarded,
				    "packet %u after packet %u", i, i - 1);
		discarded = h->discarded;
		KUNIT_EXPECT_EQ(test, ktrace_rb_put_subbuf(t->buf), 0);
	}
	/* The refused event is counted, in a packet closed after it. */
	KUNIT_EXPECT_EQ(test, discarded, 1);
}

/* ---- Flush ---- */

static void rb_flush_closes_packet_with_events(struct kunit *test)
{
	struct t_fix *t = t_setup(test, KTRACE_RB_DISCARD, 4, 0);
	unsigned long consumed, produced;

	ktrace_rb_flush(t->buf, false);
	ktrace_rb_snapshot(t->buf, &consumed, &produced);
	KUNIT_EXPECT_EQ(test, produced, 0);
	KUNIT_EXPECT_EQ(test, ktrace_rb_get_subbuf(t->buf, 0), -EAGAIN);

	KUNIT_ASSERT_EQ(test, t_write(t, 32, NULL), 0);
	ktrace_rb_flush(t->buf, false);
	ktrace_rb_flush(t->buf, false);
	ktrace_rb_snapshot(t->buf, &consumed, &produced);
	KUNIT_EXPECT_EQ(test, produced, t_pkt(t, 1));
	KUNIT_ASSERT_EQ(test, ktrace_rb_get_subbuf(t->buf, 0), 0);
	KUNIT_EXPECT_EQ(test, t_check_held(test, t, 0, 0), 1);
	KUNIT_EXPECT_EQ(test, ((const struct t_hdr *)
			       ktrace_rb_held_data(t->buf))->content_size,
			ALIGN(T_HDR, T_ALIGN) + 32);
	KUNIT_EXPECT_EQ(test, ktrace_rb_put_subbuf(t->buf), 0);

	/* The next event opens packet 1. */
	KUNIT_ASSERT_EQ(test, t_write(t, 32, NULL), 0);
	ktrace_rb_flush(t->buf, true);
	KUNIT_ASSERT_EQ(test, ktrace_rb_get_subbuf(t->buf, t_pkt(t, 1)), 0);
	KUNIT_EXPECT_EQ(test, t_check_held(test, t, t_pkt(t, 1), 1), 1);
	KUNIT_EXPECT_EQ(test, ktrace_rb_put_subbuf(t->buf), 0);
}

static void rb_flush_empty_too_emits_empty_packets(struct kunit *test)
{
	struct t_fix *t = t_setup(test, KTRACE_RB_DISCARD, 4, 0);
	unsigned long consumed, produced;
	const struct t_hdr *h;
	unsigned int i, cpu;

	for (i = 0; i < 2; i++) {
		ktrace_rb_flush(t->buf, true);
		KUNIT_ASSERT_EQ(test, ktrace_rb_get_subbuf(t->buf, t_pkt(t, i)),
				0);
		KUNIT_EXPECT_EQ(test, t_check_held(test, t, t_pkt(t, i), 0), 0);
		h = ktrace_rb_held_data(t->buf);
		KUNIT_EXPECT_EQ(test, h->content_size, T_HDR);
		KUNIT_EXPECT_EQ(test, ktrace_rb_put_subbuf(t->buf), 0);
	}
	ktrace_rb_snapshot(t->buf, &consumed, &produced);
	KUNIT_EXPECT_EQ(test, produced, t_pkt(t, 2));

	/* The switch runs on the CPU that owns the buffer. */
	for_each_online_cpu(cpu) {
		struct ktrace_rb_buf *buf = ktrace_rb_buf(t->chan, cpu);
		unsigned long pos = cpu == t->cpu ? t_pkt(t, 2) : 0;

		ktrace_rb_flush(buf, true);
		KUNIT_ASSERT_EQ(test, ktrace_rb_get_subbuf(buf, pos), 0);
		h = ktrace_rb_held_data(buf);
		KUNIT_EXPECT_EQ(test, h->begin_cpu, cpu);
		KUNIT_EXPECT_EQ(test, h->run_cpu, cpu);
		KUNIT_EXPECT_EQ(test, h->cpu, cpu);
		KUNIT_EXPECT_EQ(test, ktrace_rb_put_subbuf(buf), 0);
	}
}

/* ---- Compact timestamps ---- */

/* T_TS_BITS bits of timestamp: a gap of 1024 ns needs a full one. */
#define T_TS_BITS	10
#define T_TS_GAP	BIT_ULL(T_TS_BITS)

static const struct t_hdr *t_get(struct kunit *test, struct t_fix *t,
				 unsigned long pos)
{
	KUNIT_ASSERT_EQ(test, ktrace_rb_get_subbuf(t->buf, pos), 0);
	return ktrace_rb_held_data(t->buf);
}

static void rb_ts_bits_zero_never_sets_full_ts(struct kunit *test)
{
	struct t_fix *t = t_setup(test, KTRACE_RB_DISCARD, 4, 0);
	struct ktrace_rb_ctx ctx;
	unsigned long pos = ALIGN(T_HDR, T_ALIGN);
	unsigned int i;

	/* Ignored without ts_bits: neither added nor checked. */
	t->full_ts_extra = SIZE_MAX;
	for (i = 0; i < 4; i++) {
		KUNIT_ASSERT_EQ(test, t_write_ctx(t, T_EV, &ctx), 0);
		KUNIT_EXPECT_FALSE(test, ctx.full_ts);
		KUNIT_EXPECT_EQ(test, ctx.len, T_EV);
		KUNIT_EXPECT_EQ(test, ctx.pos, pos);
		pos += T_EV;
		t_wait_past(ctx.ts, 4 * T_TS_GAP);
	}
	KUNIT_ASSERT_EQ(test, t_write_ctx(t, T_PAYLOAD, &ctx), 0);
	KUNIT_EXPECT_FALSE(test, ctx.full_ts);
	KUNIT_EXPECT_EQ(test, ctx.len, T_PAYLOAD);
	t_get(test, t, 0);
	KUNIT_EXPECT_EQ(test, t_check_held(test, t, 0, 0), 4);
	KUNIT_EXPECT_EQ(test, ktrace_rb_put_subbuf(t->buf), 0);
}

static void rb_first_event_of_packet_has_compact_ts(struct kunit *test)
{
	struct t_fix *t = t_setup_ts(test, T_TS_BITS);
	struct ktrace_rb_ctx ctx;

	/* Long after the channel was created: delta 0 to ts_begin. */
	t_wait_past(ktrace_rb_clock(), T_TS_GAP);
	KUNIT_ASSERT_EQ(test, t_write_ctx(t, T_EV, &ctx), 0);
	KUNIT_EXPECT_FALSE(test, ctx.full_ts);
	KUNIT_EXPECT_EQ(test, ctx.len, T_EV);
	KUNIT_EXPECT_EQ(test, ctx.pos, t_pkt(t, 0) + ALIGN(T_HDR, T_ALIGN));

	/* Flushed: the next event enters packet 1 and is its first. */
	ktrace_rb_flush(t->buf, false);
	t_wait_past(ctx.ts, T_TS_GAP);
	KUNIT_ASSERT_EQ(test, t_write_ctx(t, T_EV, &ctx), 0);
	KUNIT_EXPECT_FALSE(test, ctx.full_ts);
	KUNIT_EXPECT_EQ(test, ctx.len, T_EV);
	KUNIT_EXPECT_EQ(test, ctx.pos, t_pkt(t, 1) + ALIGN(T_HDR, T_ALIGN));

	/* The same after an empty packet that a flush opened and closed. */
	ktrace_rb_flush(t->buf, false);
	ktrace_rb_flush(t->buf, true);
	t_wait_past(ctx.ts, T_TS_GAP);
	KUNIT_ASSERT_EQ(test, t_write_ctx(t, T_EV, &ctx), 0);
	KUNIT_EXPECT_FALSE(test, ctx.full_ts);
	KUNIT_EXPECT_EQ(test, ctx.pos, t_pkt(t, 3) + ALIGN(T_HDR, T_ALIGN));
}

static void rb_event_after_long_gap_gets_full_ts(struct kunit *test)
{
	struct t_fix *t = t_setup_ts(test, T_TS_BITS);
	struct ktrace_rb_ctx a, b;
	const struct t_hdr *h;
	const struct t_event *ev;

	KUNIT_ASSERT_EQ(test, t_write_ctx(t, T_EV, &a), 0);
	t_wait_past(a.ts, T_TS_GAP);
	KUNIT_ASSERT_EQ(test, t_write_ctx(t, T_EV, &b), 0);
	KUNIT_EXPECT_TRUE(test, b.full_ts);
	KUNIT_EXPECT_GE(test, b.ts - a.ts, T_TS_GAP);
	KUNIT_EXPECT_EQ(test, b.len, T_EV + T_EXTRA);
	KUNIT_EXPECT_EQ(test, b.pos, a.pos + T_EV);

	/* The extra bytes are in the packet: it ends after them. */
	ktrace_rb_flush(t->buf, false);
	h = t_get(test, t, 0);
	KUNIT_EXPECT_EQ(test, t_check_held(test, t, 0, 0), 2);
	KUNIT_EXPECT_EQ(test, h->content_size, b.pos + T_EV + T_EXTRA);
	ev = (const void *)h + b.pos;
	KUNIT_EXPECT_EQ(test, ev->len, T_EV + T_EXTRA);
	KUNIT_EXPECT_EQ(test, ev->full_ts, 1);
	KUNIT_EXPECT_EQ(test, ktrace_rb_put_subbuf(t->buf), 0);
}

static void rb_back_to_back_events_keep_compact_ts(struct kunit *test)
{
	/* 2^40 ns is about 18 minutes. */
	struct t_fix *t = t_setup_ts(test, 40);
	struct ktrace_rb_ctx ctx;
	unsigned long pos = ALIGN(T_HDR, T_ALIGN);
	unsigned int i;

	for (i = 0; i < 8; i++) {
		KUNIT_ASSERT_EQ(test, t_write_ctx(t, T_EV, &ctx), 0);
		KUNIT_EXPECT_FALSE(test, ctx.full_ts);
		KUNIT_EXPECT_EQ(test, ctx.len, T_EV);
		KUNIT_EXPECT_EQ(test, ctx.pos, pos);
		pos += T_EV;
		t_wait_past(ctx.ts, T_TS_GAP);
	}
	ktrace_rb_flush(t->buf, false);
	t_get(test, t, 0);
	KUNIT_EXPECT_EQ(test, t_check_held(test, t, 0, 0), 8);
	KUNIT_EXPECT_EQ(test, ktrace_rb_put_subbuf(t->buf), 0);
}

static void rb_oversize_check_counts_full_ts_extra(struct kunit *test)
{
	struct t_fix *t = t_setup_ts(test, T_TS_BITS);
	struct ktrace_rb_counters c;
	struct ktrace_rb_ctx ctx;

	/* Refused even where a compact timestamp would do: the first. */
	KUNIT_EXPECT_EQ(test, t_write(t, T_PAYLOAD - T_EXTRA + 1, NULL),
			-EMSGSIZE);
	KUNIT_EXPECT_EQ(test, t_write(t, T_PAYLOAD, NULL), -EMSGSIZE);
	t->full_ts_extra = SIZE_MAX;
	KUNIT_EXPECT_EQ(test, t_write(t, T_EV, NULL), -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, t_write(t, 0, NULL), -EINVAL);
	t->full_ts_extra = T_EXTRA;
	KUNIT_ASSERT_EQ(test, t_write_ctx(t, T_PAYLOAD - T_EXTRA, &ctx), 0);
	KUNIT_EXPECT_FALSE(test, ctx.full_ts);
	KUNIT_EXPECT_EQ(test, ctx.len, T_PAYLOAD - T_EXTRA);
	t_counters(t, &c);
	KUNIT_EXPECT_EQ(test, c.discarded_oversize, 3);
	KUNIT_EXPECT_EQ(test, c.written, 1);
}

/*
 * Fill packet 0 but for the last 64 bytes, wait, then write @len bytes:
 * the event takes the slow path, as it reaches the end of the packet.
 */
static void t_write_at_packet_end(struct kunit *test, struct t_fix *t,
				  size_t len, struct ktrace_rb_ctx *ctx)
{
	struct ktrace_rb_ctx a;

	KUNIT_ASSERT_EQ(test, t_write_ctx(t, T_PAYLOAD - 64, &a), 0);
	KUNIT_ASSERT_EQ(test, a.pos + a.len, t_pkt(t, 0) + T_SUBBUF - 64);
	t_wait_past(a.ts, T_TS_GAP);
	KUNIT_ASSERT_EQ(test, t_write_ctx(t, len, ctx), 0);
}

static void rb_full_ts_event_can_end_packet_exactly(struct kunit *test)
{
	struct t_fix *t = t_setup_ts(test, T_TS_BITS);
	unsigned long consumed, produced;
	struct ktrace_rb_ctx b;
	const struct t_hdr *h;

	/* 55 + 9 bytes fill the packet: the slow path stays in it. */
	t_write_at_packet_end(test, t, 64 - T_EXTRA, &b);
	KUNIT_EXPECT_TRUE(test, b.full_ts);
	KUNIT_EXPECT_EQ(test, b.len, 64);
	KUNIT_EXPECT_EQ(test, b.pos, t_pkt(t, 0) + T_SUBBUF - 64);

	/* Closed and delivered by that event, no flush needed. */
	ktrace_rb_snapshot(t->buf, &consumed, &produced);
	KUNIT_EXPECT_EQ(test, produced, t_pkt(t, 1));
	h = t_get(test, t, t_pkt(t, 0));
	KUNIT_EXPECT_EQ(test, t_check_held(test, t, t_pkt(t, 0), 0), 2);
	KUNIT_EXPECT_EQ(test, h->content_size, T_SUBBUF);
	KUNIT_EXPECT_EQ(test, ktrace_rb_put_subbuf(t->buf), 0);
}

static void rb_full_ts_event_too_long_opens_packet_compact(struct kunit *test)
{
	struct t_fix *t = t_setup_ts(test, T_TS_BITS);
	struct ktrace_rb_ctx b;
	const struct t_hdr *h;

	/* 56 bytes would fit compact, 65 do not: packet 1 it is. */
	t_write_at_packet_end(test, t, 64 - T_EXTRA + 1, &b);
	KUNIT_EXPECT_FALSE(test, b.full_ts);
	KUNIT_EXPECT_EQ(test, b.len, 64 - T_EXTRA + 1);
	KUNIT_EXPECT_EQ(test, b.pos, t_pkt(t, 1) + ALIGN(T_HDR, T_ALIGN));

	h = t_get(test, t, t_pkt(t, 0));
	KUNIT_EXPECT_EQ(test, t_check_held(test, t, t_pkt(t, 0), 0), 1);
	KUNIT_EXPECT_EQ(test, h->content_size, T_SUBBUF - 64);
	KUNIT_EXPECT_EQ(test, ktrace_rb_put_subbuf(t->buf), 0);
}

#define T_TS_PACKETS	3
#define T_TS_LEN(seq)	(T_EV + 8 * ((seq) % 5))
/* Every third event comes after a gap that needs a full timestamp. */
#define T_TS_WAITS(seq)	((seq) % 3 == 1)

static void rb_compact_ts_deltas_hold_over_packets(struct kunit *test)
{
	/* 16 us: most events without a gap stay compact, even under TCG. */
	struct t_fix *t = t_setup_ts(test, 14);
	unsigned int full = 0, compact = 0, waited = 0;
	unsigned long pos, off;
	struct ktrace_rb_ctx ctx;
	const struct t_event *ev;
	const struct t_hdr *h;
	u64 seq = 0, prev_ts = 0;

	do {
		if (T_TS_WAITS(t->seq))
			t_wait_past(prev_ts, BIT_ULL(14));
		KUNIT_ASSERT_EQ(test, t_write_ctx(t, T_TS_LEN(t->seq), &ctx), 0);
		prev_ts = ctx.ts;
	} while ((long)(ctx.pos - t_pkt(t, T_TS_PACKETS)) < 0);
	ktrace_rb_flush(t->buf, false);

	for (pos = t_pkt(t, 0); pos != t_pkt(t, T_TS_PACKETS + 1);
	     pos += T_SUBBUF) {
		h = t_get(test, t, pos);
		seq += t_check_held(test, t, pos, seq);
		for (off = ALIGN(T_HDR, T_ALIGN); off < h->content_size;
		     off = ALIGN(off + ev->len, T_ALIGN)) {
			ev = (const void *)h + off;
			KUNIT_EXPECT_EQ(test, ev->len, T_TS_LEN(ev->seq) +
					(ev->full_ts ? T_EXTRA : 0));
			/* A gap needs a full timestamp unless it opens. */
			if (T_TS_WAITS(ev->seq) &&
			    off != ALIGN(T_HDR, T_ALIGN)) {
				KUNIT_EXPECT_TRUE(test, ev->full_ts);
				waited++;
			}
			if (ev->full_ts)
				full++;
			else
				compact++;
		}
		KUNIT_EXPECT_EQ(test, ktrace_rb_put_subbuf(t->buf), 0);
	}
	KUNIT_EXPECT_EQ(test, seq, t->seq);
	kunit_info(test, "%u full, %u compact, %u after a gap\n", full,
		   compact, waited);
	KUNIT_EXPECT_GE(test, full, waited);
	KUNIT_EXPECT_GT(test, waited, 0);
	KUNIT_EXPECT_GE(test, compact, T_TS_PACKETS + 1);
}

/* ---- Stress ---- */

#define S_SECONDS	10
#define S_TIMER_NS	(200 * NSEC_PER_USEC)
#define S_TIMER_EVENTS	4
#define S_FLUSH_NS	(20 * NSEC_PER_MSEC)
#define S_NUM_SUBBUF	8
#define S_NUM_CHANS	4
/*
 * Channel 0 (overwrite) has compact timestamps of 2^16 ns, channels 1
 * (discard) and 2 (overwrite) none. The readers of channels 0 and 1 read
 * as a snapshot reader that consumes (get, then move consumed); the
 * reader of channel 2 streams, as a session's consumer (get_next, write
 * out, put_next).
 */
#define S_TS_BITS	16
#define S_EXTRA		sizeof(u64)
#define S_EV_LEN(seq)	(T_EV + sizeof(u64) * ((seq) % 6))
#define S_EV_MAX	(S_EV_LEN(5) + S_EXTRA)

struct s_state;

/* One channel and its reader's state (only its reader touches it). */
struct s_chan {
	struct s_state *st;
	struct ktrace_rb_chan *chan;
	const char *name;
	bool streaming;
	bool timer_wakeup;	/* the reader also plays the read timer */
	unsigned long start;
	unsigned int ts_bits;
	struct task_struct *reader;
	u64 *next_seq;		/* per writer: lowest seq it may show next */
	u64 *last_discarded;	/* per CPU */
	u64 read, packets, stale, again;
	u64 full_ts, compact_ts;	/* events read, by timestamp form */
};

struct s_writer {
	u32 id;
	unsigned int cpu;
	u64 seq;
	u64 offered[S_NUM_CHANS];
};

/* The writers of one CPU: a pinned thread and a hard-irq hrtimer. */
struct s_cpu {
	struct s_state *st;
	struct s_writer thread;
	struct s_writer irq;
	struct task_struct *task;
	struct hrtimer timer;
};

struct s_state {
	struct s_chan ch[S_NUM_CHANS];
	struct s_cpu *cpus;
	bool stop_timers;
	atomic_t errors;
	char first_error[160];
};

static __printf(2, 3) void s_error(struct s_state *st, const char *fmt, ...)
{
	va_list args;

	if (atomic_inc_return(&st->errors) != 1)
		return;
	va_start(args, fmt);
	vsnprintf(st->first_error, sizeof(st->first_error), fmt, args);
	va_end(args);
}

static void s_write(struct s_state *st, struct s_writer *w)
{
	size_t len = S_EV_LEN(w->seq);
	struct ktrace_rb_ctx ctx = { .full_ts_extra = S_EXTRA };
	int i, ret;

	for (i = 0; i < S_NUM_CHANS; i++) {
		ret = ktrace_rb_reserve(st->ch[i].chan, &ctx, len);
		if (!ret) {
			t_fill_event(&ctx, w->id, w->seq);
			ktrace_rb_commit(st->ch[i].chan, &ctx);
			if (ctx.cpu != w->cpu)
				s_error(st, "writer %u on cpu %u wrote to cpu %u",
					w->id, w->cpu, ctx.cpu);
		} else if (ret != -ENOBUFS && ret != -EDEADLK) {
			s_error(st, "writer %u: reserve: %d", w->id, ret);
			continue;
		}
		w->offered[i]++;
	}
	w->seq++;
}

static enum hrtimer_restart s_timer_fn(struct hrtimer *timer)
{
	struct s_cpu *sc = container_of(timer, struct s_cpu, timer);
	int i;

	if (READ_ONCE(sc->st->stop_timers))
		return HRTIMER_NORESTART;
	for (i = 0; i < S_TIMER_EVENTS; i++)
		s_write(sc->st, &sc->irq);
	hrtimer_forward_now(timer, ns_to_ktime(S_TIMER_NS));
	return HRTIMER_RESTART;
}

static int s_thread_fn(void *arg)
{
	struct s_cpu *sc = arg;

	/* Bound to its CPU: the pinned timer fires there too. */
	hrtimer_start(&sc->timer, ns_to_ktime(S_TIMER_NS),
		      HRTIMER_MODE_REL_PINNED_HARD);
	while (!kthread_should_stop()) {
		s_write(sc->st, &sc->thread);
		if (!(sc->thread.seq & 31))
			cond_resched();
	}
	return 0;
}

/*
 * Validate one packet got from @cpu's buffer; return its events. Writers
 * in threads and in interrupts mix in it, so compact timestamps are
 * checked where nested writers could break them.
 */
static unsigned int s_validate(struct s_chan *c, unsigned int cpu,
			       unsigned long pos, const void *pkt)
{
	const struct t_hdr *h = pkt;
	unsigned long off = ALIGN(T_HDR, T_ALIGN);
	const struct t_event *ev;
	unsigned int n = 0;
	struct s_state *st = c->st;
	u64 ts = h->ts_begin;

	if (h->magic != T_MAGIC || h->ends != 1 || h->begin_cpu != cpu ||
	    h->run_cpu != cpu || h->cpu != cpu || h->begin_ts != h->ts_begin ||
	    h->ts_begin > h->ts_end || h->packet_size != T_SUBBUF ||
	    h->content_size < T_HDR || h->content_size > h->packet_size ||
	    h->seq != (pos - c->start) / T_SUBBUF ||
	    h->discarded < c->last_discarded[cpu]) {
		s_error(st, "cpu %u %#lx: header %#x %u %u/%u/%u %llu..%llu %llu/%llu %llu %llu",
			cpu, pos, h->magic, h->ends, h->begin_cpu, h->run_cpu,
			h->cpu, h->ts_begin, h->ts_end, h->content_size,
			h->packet_size, h->seq, h->discarded);
		return 0;
	}
	c->last_discarded[cpu] = h->discarded;

	for (; off < h->content_size; off = ALIGN(off + ev->len, T_ALIGN)) {
		ev = pkt + off;
		if (ev->len < T_EV || ev->len > S_EV_MAX ||
		    off + ev->len > h->content_size) {
			s_error(st, "cpu %u pos %#lx+%lu: event length %u",
				cpu, pos, off, ev->len);
			return n;
		}
		if (ev->writer != cpu && ev->writer != nr_cpu_ids + cpu) {
			s_error(st, "cpu %u pos %#lx+%lu: writer %u",
				cpu, pos, off, ev->writer);
			return n;
		}
		if (ev->seq < c->next_seq[ev->writer]) {
			s_error(st, "writer %u: seq %llu after %llu",
				ev->writer, ev->seq,
				c->next_seq[ev->writer] - 1);
			return n;
		}
		c->next_seq[ev->writer] = ev->seq + 1;
		if (!t_event_intact(ev)) {
			s_error(st, "writer %u seq %llu: torn event",
				ev->writer, ev->seq);
			return n;
		}
		if (ev->len != S_EV_LEN(ev->seq) + (ev->full_ts ? S_EXTRA : 0) ||
		    (ev->full_ts && !c->ts_bits)) {
			s_error(st, "writer %u seq %llu: length %u, full_ts %u",
				ev->writer, ev->seq, ev->len, ev->full_ts);
			return n;
		}
		if (ev->ts < ts || (c->ts_bits && !ev->full_ts &&
				    ev->ts - ts >= BIT_ULL(c->ts_bits))) {
			s_error(st, "writer %u seq %llu: ts %llu after %llu, full_ts %u",
				ev->writer, ev->seq, ev->ts, ts, ev->full_ts);
			return n;
		}
		ts = ev->ts;
		if (ev->full_ts)
			c->full_ts++;
		else
			c->compact_ts++;
		n++;
	}
	return n;
}

/*
 * Snapshot, then get, validate, put and consume packet by packet. Events
 * count as read only when our move of consumed wins. While draining, with
 * every writer stopped and flushed, nothing may fail.
 */
static unsigned long s_snapshot_cpu(struct s_chan *c, unsigned int cpu,
				    bool drain)
{
	struct ktrace_rb_buf *buf = ktrace_rb_buf(c->chan, cpu);
	unsigned long consumed, produced, pos, got = 0;
	unsigned int n;
	int ret;

	ktrace_rb_snapshot(buf, &consumed, &produced);
	for (pos = consumed; (long)(produced - pos) > 0; pos += T_SUBBUF) {
		ret = ktrace_rb_get_subbuf(buf, pos);
		if (ret == -EAGAIN && !drain) {
			c->again++;
			break;
		}
		if (ret) {
			s_error(c->st, "cpu %u pos %#lx: get_subbuf: %d",
				cpu, pos, ret);
			break;
		}
		n = s_validate(c, cpu, pos, ktrace_rb_held_data(buf));
		ret = ktrace_rb_put_subbuf(buf);
		if (ret)
			s_error(c->st, "put_subbuf: %d", ret);
		got++;
		ret = ktrace_rb_move_consumer(buf, pos, pos + T_SUBBUF);
		if (!ret) {
			c->read += n;
			c->packets++;
			continue;
		}
		if (ret == -ESTALE && !drain) {
			c->stale++;
			break;
		}
		s_error(c->st, "cpu %u pos %#lx: move_consumer: %d", cpu, pos,
			ret);
		break;
	}
	return got;
}

/*
 * Get the next packet, validate it, put it, as a session's consumer does:
 * whatever it got, it writes out, so its events count as read whatever
 * put_next says (a writer that reclaimed the packet meanwhile used to be
 * told only by put_next's -ESTALE, counted in stale). -EAGAIN ends a pass.
 */
static unsigned long s_stream_cpu(struct s_chan *c, unsigned int cpu,
				  bool drain)
{
	struct ktrace_rb_buf *buf = ktrace_rb_buf(c->chan, cpu);
	unsigned long pos, got = 0;
	int ret;

	for (;;) {
		ret = ktrace_rb_get_next_subbuf(buf, &pos);
		if (ret) {
			if (ret != -EAGAIN)
				s_error(c->st, "cpu %u: get_next_subbuf: %d",
					cpu, ret);
			else if (!drain)
				c->again++;
			return got;
		}
		c->read += s_validate(c, cpu, pos, ktrace_rb_held_data(buf));
		c->packets++;
		got++;
		ret = ktrace_rb_put_next_subbuf(buf);
		if (ret == -ESTALE)
			c->stale++;
		else if (ret)
			s_error(c->st, "cpu %u: put_next_subbuf: %d", cpu, ret);
	}
}

static unsigned long s_read_cpu(struct s_chan *c, unsigned int cpu,
				bool drain)
{
	return c->streaming ? s_stream_cpu(c, cpu, drain) :
			      s_snapshot_cpu(c, cpu, drain);
}

static int s_reader_fn(void *arg)
{
	struct s_chan *c = arg;
	u64 next_flush = ktime_get_ns() + S_FLUSH_NS;
	unsigned long got;
	unsigned int cpu;

	while (!kthread_should_stop()) {
		got = 0;
		for_each_online_cpu(cpu)
			got += s_read_cpu(c, cpu, false);
		if (ktime_get_ns() > next_flush) {
			for_each_online_cpu(cpu)
				ktrace_rb_flush(ktrace_rb_buf(c->chan, cpu),
						false);
			next_flush = ktime_get_ns() + S_FLUSH_NS;
		}
		/* What a read timer does, racing with the writers. */
		if (c->timer_wakeup)
			for_each_online_cpu(cpu)
				ktrace_rb_wake_readers(ktrace_rb_buf(c->chan,
								     cpu));
		if (!got)
			usleep_range(100, 200);
		cond_resched();
	}
	return 0;
}

static void s_setup_chan(struct kunit *test, struct s_state *st,
			 struct s_chan *c, const char *name,
			 enum ktrace_rb_mode mode, unsigned int ts_bits,
			 bool streaming, bool timer_wakeup)
{
	struct ktrace_rb_config cfg = {
		.mode = mode,
		.subbuf_size = T_SUBBUF,
		.num_subbuf = S_NUM_SUBBUF,
		.header_size = T_HDR,
		.event_align = T_ALIGN,
		.ops = &t_ops,
		.priv = &t_client,
		/* Positions wrap a few packets in. */
		.start_pos = 0UL - 3 * T_SUBBUF,
		.ts_bits = ts_bits,
		.timer_wakeup = timer_wakeup,
	};

	c->st = st;
	c->name = name;
	c->streaming = streaming;
	c->timer_wakeup = timer_wakeup;
	c->start = cfg.start_pos;
	c->ts_bits = ts_bits;
	c->chan = ktrace_rb_create(&cfg);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, c->chan);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, t_destroy_action,
							c->chan), 0);
	c->next_seq = kunit_kcalloc(test, 2 * nr_cpu_ids, sizeof(u64),
				    GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c->next_seq);
	c->last_discarded = kunit_kcalloc(test, nr_cpu_ids, sizeof(u64),
					  GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c->last_discarded);
}

/* Stop writers first, then timers, then readers: nothing restarts them. */
static void s_stop(struct s_state *st)
{
	unsigned int cpu;
	int i;

	WRITE_ONCE(st->stop_timers, true);
	for_each_possible_cpu(cpu) {
		struct s_cpu *sc = &st->cpus[cpu];

		if (sc->task) {
			kthread_stop(sc->task);
			sc->task = NULL;
			hrtimer_cancel(&sc->timer);
		}
	}
	for (i = 0; i < S_NUM_CHANS; i++) {
		if (st->ch[i].reader) {
			kthread_stop(st->ch[i].reader);
			st->ch[i].reader = NULL;
		}
	}
}

static void s_reconcile(struct kunit *test, struct s_state *st, int i)
{
	struct s_chan *c = &st->ch[i];
	u64 offered = 0, irq_offered = 0, written = 0, discarded = 0;
	u64 overwritten = 0;
	struct ktrace_rb_counters cnt;
	unsigned long consumed, produced;
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		struct ktrace_rb_buf *buf = ktrace_rb_buf(c->chan, cpu);

		if (!buf)	/* never online: no buffer, no writer */
			continue;
		offered += st->cpus[cpu].thread.offered[i] +
			   st->cpus[cpu].irq.offered[i];
		irq_offered += st->cpus[cpu].irq.offered[i];
		ktrace_rb_get_counters(buf, &cnt);
		written += cnt.written;
		discarded += cnt.discarded;
		overwritten += cnt.overwritten;
		ktrace_rb_snapshot(buf, &consumed, &produced);
		KUNIT_EXPECT_EQ_MSG(test, consumed, produced, "cpu %u", cpu);
	}
	kunit_info(test, "%s: offered %llu (irq %llu) written %llu read %llu discarded %llu overwritten %llu packets %llu again %llu stale %llu full_ts %llu compact %llu\n",
		   c->name, offered, irq_offered, written,
		   c->read, discarded, overwritten, c->packets, c->again,
		   c->stale, c->full_ts, c->compact_ts);
	KUNIT_EXPECT_EQ(test, offered, c->read + discarded + overwritten);
	KUNIT_EXPECT_EQ(test, written, c->read + overwritten);
	KUNIT_EXPECT_GT(test, c->read, 0);
	KUNIT_EXPECT_GT(test, irq_offered, 0);
	/* At least every packet's first event has a compact timestamp. */
	if (c->ts_bits)
		KUNIT_EXPECT_GT(test, c->compact_ts, 0);
}

static void rb_stress_writers_everywhere_counts_reconcile(struct kunit *test)
{
	struct s_state *st;
	ktime_t deadline;
	unsigned int cpu;
	int i;

	st = kunit_kzalloc(test, sizeof(*st), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, st);
	st->cpus = kunit_kcalloc(test, nr_cpu_ids, sizeof(*st->cpus),
				 GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, st->cpus);
	s_setup_chan(test, st, &st->ch[0], "overwrite", KTRACE_RB_OVERWRITE,
		     S_TS_BITS, false, false);
	s_setup_chan(test, st, &st->ch[1], "discard", KTRACE_RB_DISCARD, 0,
		     false, false);
	s_setup_chan(test, st, &st->ch[2], "overwrite, streaming",
		     KTRACE_RB_OVERWRITE, 0, true, false);
	/* A normal session's channel, read as its consumer reads it. */
	s_setup_chan(test, st, &st->ch[3], "discard, streaming, read timer",
		     KTRACE_RB_DISCARD, S_TS_BITS, true, true);

	for_each_online_cpu(cpu) {
		struct s_cpu *sc = &st->cpus[cpu];
		struct task_struct *task;

		sc->st = st;
		sc->thread.id = cpu;
		sc->thread.cpu = cpu;
		sc->irq.id = nr_cpu_ids + cpu;
		sc->irq.cpu = cpu;
		hrtimer_init(&sc->timer, CLOCK_MONOTONIC,
			     HRTIMER_MODE_REL_PINNED_HARD);
		sc->timer.function = s_timer_fn;
		task = kthread_create_on_cpu(s_thread_fn, sc, cpu,
					     "ktrace_rbw/%u");
		if (IS_ERR(task)) {
			s_error(st, "writer thread: %ld", PTR_ERR(task));
			break;
		}
		sc->task = task;
	}
	for (i = 0; i < S_NUM_CHANS; i++) {
		struct task_struct *task;

		task = kthread_run(s_reader_fn, &st->ch[i], "ktrace_rbr/%d", i);
		if (IS_ERR(task)) {
			s_error(st, "reader thread: %ld", PTR_ERR(task));
			break;
		}
		st->ch[i].reader = task;
	}
	for_each_possible_cpu(cpu)
		if (st->cpus[cpu].task)
			wake_up_process(st->cpus[cpu].task);

	deadline = ktime_add_ms(ktime_get(), S_SECONDS * MSEC_PER_SEC);
	while (!atomic_read(&st->errors) && ktime_before(ktime_get(), deadline))
		msleep(100);
	s_stop(st);

	/* Close every packet, then read what is left: nothing may fail. */
	for (i = 0; i < S_NUM_CHANS; i++) {
		for_each_possible_cpu(cpu) {
			if (!ktrace_rb_buf(st->ch[i].chan, cpu))
				continue;	/* never online */
			ktrace_rb_flush(ktrace_rb_buf(st->ch[i].chan, cpu),
					true);
			s_read_cpu(&st->ch[i], cpu, true);
		}
	}
	KUNIT_ASSERT_EQ_MSG(test, atomic_read(&st->errors), 0, "%s",
			    st->first_error);
	for (i = 0; i < S_NUM_CHANS; i++)
		s_reconcile(test, st, i);
}

static struct kunit_case ringbuffer_test_cases[] = {
	KUNIT_CASE_PARAM(rb_create_rejects_bad_geometry,
			 t_bad_geometry_gen_params),
	KUNIT_CASE(rb_create_allocates_every_possible_cpu),
	KUNIT_CASE(rb_reserve_commit_places_events_in_order),
	KUNIT_CASE(rb_event_never_spans_subbufs),
	KUNIT_CASE(rb_event_filling_payload_closes_packet),
	KUNIT_CASE(rb_oversize_event_is_refused_and_counted),
	KUNIT_CASE(rb_nesting_deeper_than_limit_is_refused),
	KUNIT_CASE(rb_positions_wrap_around),
	KUNIT_CASE(rb_overwrite_wraps_around),
	KUNIT_CASE(rb_snapshot_and_move_consumer),
	KUNIT_CASE(rb_packet_callbacks_record_packet_info),
	KUNIT_CASE(rb_discard_mode_drops_when_full),
	KUNIT_CASE(rb_overwrite_mode_reclaims_oldest),
	KUNIT_CASE(rb_get_rejects_unaligned_pos),
	KUNIT_CASE(rb_get_while_holding_is_busy),
	KUNIT_CASE(rb_put_without_get_is_invalid),
	KUNIT_CASE(rb_get_fails_while_being_written),
	KUNIT_CASE(rb_get_fails_until_fully_committed),
	KUNIT_CASE(rb_get_fails_once_overwritten),
	KUNIT_CASE(rb_get_after_finalize_is_nodata),
	KUNIT_CASE(rb_reads_are_not_destructive),
	KUNIT_CASE(rb_padding_after_lap_is_zero),
	KUNIT_CASE(rb_events_discarded_never_decreases),
	KUNIT_CASE(rb_flush_closes_packet_with_events),
	KUNIT_CASE(rb_flush_empty_too_emits_empty_packets),
	KUNIT_CASE(rb_ts_bits_zero_never_sets_full_ts),
	KUNIT_CASE(rb_first_event_of_packet_has_compact_ts),
	KUNIT_CASE(rb_event_after_long_gap_gets_full_ts),
	KUNIT_CASE(rb_back_to_back_events_keep_compact_ts),
	KUNIT_CASE(rb_oversize_check_counts_full_ts_extra),
	KUNIT_CASE(rb_full_ts_event_can_end_packet_exactly),
	KUNIT_CASE(rb_full_ts_event_too_long_opens_packet_compact),
	KUNIT_CASE(rb_compact_ts_deltas_hold_over_packets),
	KUNIT_CASE_SLOW(rb_stress_writers_everywhere_counts_reconcile),
	{}
};

static struct kunit_suite ringbuffer_test_suite = {
	.name = "ktrace_ringbuffer",
	.test_cases = ringbuffer_test_cases,
};

kunit_test_suite(ringbuffer_test_suite);

MODULE_DESCRIPTION("KUnit tests for the ktrace ring buffer");
MODULE_LICENSE("GPL");
