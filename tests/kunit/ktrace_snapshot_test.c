// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the kernel side of snapshots (module/snapshot) and the
 * ring buffer calls a snapshot makes: flush every stream, sample its
 * positions, index the packets of the range. The cases are the ways a
 * snapshot could go wrong for its user: a range a writer made longer than
 * the ring while it was sampled (a writer is driven between the two loads
 * of ktrace_rb_snapshot() by a KUnit static stub), and flushes that would
 * cost the data of an idle stream that is snapshotted again and again.
 */
#include <kunit/static_stub.h>
#include <kunit/test.h>
#include <linux/cpumask.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "ringbuffer/ringbuffer.h"
#include "ringbuffer/ringbuffer_internal.h"
#include "snapshot/snapshot.h"

#define T_SUBBUF	PAGE_SIZE
#define T_NUM_SUBBUF	4U
#define T_RING		(T_NUM_SUBBUF * T_SUBBUF)

/* The test client's packet header; events are one u64 each: their seq. */
struct t_hdr {
	u64 ts_begin;
	u64 seq;
	u64 content_size;
};

#define T_HDR		sizeof(struct t_hdr)
/* An event that fills a packet's payload: its packet closes at once. */
#define T_FULL		(T_SUBBUF - T_HDR)

static void t_subbuf_begin(void *priv, unsigned int cpu, void *subbuf, u64 ts)
{
	struct t_hdr *h = subbuf;

	h->ts_begin = ts;
}

static void t_subbuf_end(void *priv, unsigned int cpu, void *subbuf,
			 const struct ktrace_rb_packet_info *info)
{
	struct t_hdr *h = subbuf;

	h->seq = info->seq;
	h->content_size = info->content_size;
}

static const struct ktrace_rb_ops t_ops = {
	.subbuf_begin = t_subbuf_begin,
	.subbuf_end = t_subbuf_end,
};

/* One overwrite-mode channel; the case runs pinned to one CPU. */
struct t_fix {
	struct ktrace_rb_chan *chan;
	struct ktrace_rb_buf *buf;
	u64 seq;		/* of the next event */
	unsigned int laps;	/* laps the static stub writes */
	unsigned int windows;	/* times the static stub ran */
};

KUNIT_DEFINE_ACTION_WRAPPER(t_destroy_action, ktrace_rb_destroy,
			    struct ktrace_rb_chan *);

static struct t_fix *t_setup(struct kunit *test)
{
	const struct ktrace_rb_config cfg = {
		.mode = KTRACE_RB_OVERWRITE,
		.subbuf_size = T_SUBBUF,
		.num_subbuf = T_NUM_SUBBUF,
		.header_size = T_HDR,
		.event_align = sizeof(u64),
		.ops = &t_ops,
	};
	unsigned int cpu = raw_smp_processor_id();
	struct t_fix *t;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_ASSERT_EQ(test, set_cpus_allowed_ptr(current, cpumask_of(cpu)),
			0);
	t->chan = ktrace_rb_create(&cfg);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t->chan);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, t_destroy_action,
							t->chan), 0);
	t->buf = ktrace_rb_buf(t->chan, cpu);
	test->priv = t;
	return t;
}

/* Write one event of @len bytes on this CPU; its first u64 is its seq. */
static int t_write(struct t_fix *t, size_t len)
{
	struct ktrace_rb_ctx ctx;
	int ret;

	ret = ktrace_rb_reserve(t->chan, &ctx, len);
	if (ret)
		return ret;
	memset(ctx.data, 0, len);
	*(u64 *)ctx.data = t->seq++;
	ktrace_rb_commit(t->chan, &ctx);
	return 0;
}

/* The seq of the first event of the packet at @pos, or -errno. */
static s64 t_first_seq(struct t_fix *t, unsigned long pos)
{
	const struct t_hdr *h;
	s64 seq;
	int ret;

	ret = ktrace_rb_get_subbuf(t->buf, pos);
	if (ret)
		return ret;
	h = ktrace_rb_held_data(t->buf);
	seq = h->content_size > T_HDR ? *(const u64 *)(h + 1) : -ENODATA;
	ktrace_rb_put_subbuf(t->buf);
	return seq;
}

/*
 * Replaces ktrace_rb_snapshot_window(): what writers on this CPU could do
 * between the snapshot's load of consumed and its load of the offset.
 */
static void t_write_laps(struct ktrace_rb_buf *buf)
{
	struct t_fix *t = kunit_get_current_test()->priv;
	unsigned int i;

	t->windows++;
	for (i = 0; i < t->laps * T_NUM_SUBBUF; i++)
		t_write(t, T_FULL);
}

static void snapshot_range_stays_within_ring_when_writers_lap(struct kunit *test)
{
	struct t_fix *t = t_setup(test);
	struct ktrace_snapshot_packet *pkts;
	unsigned long consumed, produced;
	long len, n, i;

	pkts = kunit_kcalloc(test, T_NUM_SUBBUF, sizeof(*pkts), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pkts);
	/* Two packets, then two laps while the snapshot samples. */
	KUNIT_ASSERT_EQ(test, t_write(t, T_FULL), 0);
	KUNIT_ASSERT_EQ(test, t_write(t, T_FULL), 0);
	t->laps = 2;
	kunit_activate_static_stub(test, ktrace_rb_snapshot_window,
				   t_write_laps);
	ktrace_rb_snapshot(t->buf, &consumed, &produced);
	kunit_deactivate_static_stub(test, ktrace_rb_snapshot_window);
	KUNIT_ASSERT_EQ(test, t->windows, 1);
	KUNIT_EXPECT_EQ(test, produced, (2 + 2 * T_NUM_SUBBUF) * T_SUBBUF);

	/* At most a ring: the packet index takes the range... */
	len = ktrace_snapshot_range_len(t->chan, consumed, produced);
	KUNIT_ASSERT_GE_MSG(test, len, 0, "consumed %#lx produced %#lx",
			    consumed, produced);
	KUNIT_EXPECT_LE(test, len, T_NUM_SUBBUF);
	n = ktrace_snapshot_packet_index(t->chan, raw_smp_processor_id(),
					 consumed, produced, pkts, len);
	/* ... and every packet of the ring is in it, and can be got. */
	KUNIT_ASSERT_EQ(test, n, T_NUM_SUBBUF);
	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_EQ(test, pkts[i].pos, produced - T_RING +
				i * T_SUBBUF);
		KUNIT_EXPECT_EQ(test, t_first_seq(t, pkts[i].pos),
				t->seq - T_NUM_SUBBUF + i);
	}
	/* Sampled again, with no writer in between: the same range. */
	ktrace_rb_snapshot(t->buf, &consumed, &produced);
	KUNIT_EXPECT_EQ(test, produced - consumed, T_RING);
}

/*
 * A snapshot flushes every stream with FLUSH_EMPTY (docs/ABI.md), so that
 * the packets' time range reaches the present, then samples it: an agent
 * that snapshots an idle CPU again and again must find its data intact.
 */
static void flush_empty_keeps_oldest_packet_of_idle_stream(struct kunit *test)
{
	struct t_fix *t = t_setup(test);
	unsigned long consumed, produced;
	unsigned int i;

	/* A full ring: four packets, the last one still open. */
	for (i = 0; i < T_NUM_SUBBUF - 1; i++)
		KUNIT_ASSERT_EQ(test, t_write(t, T_FULL), 0);
	KUNIT_ASSERT_EQ(test, t_write(t, sizeof(u64)), 0);

	for (i = 0; i < 3; i++) {
		ktrace_rb_flush(t->buf, true);
		ktrace_rb_snapshot(t->buf, &consumed, &produced);
		KUNIT_EXPECT_EQ_MSG(test, consumed, 0, "snapshot %u", i);
		KUNIT_EXPECT_EQ_MSG(test, produced, T_RING, "snapshot %u", i);
		KUNIT_EXPECT_EQ_MSG(test, t_first_seq(t, 0), 0, "snapshot %u",
				    i);
	}
	/* Events go on where they left off, and reclaim as they must. */
	KUNIT_ASSERT_EQ(test, t_write(t, sizeof(u64)), 0);
	ktrace_rb_flush(t->buf, true);
	ktrace_rb_snapshot(t->buf, &consumed, &produced);
	KUNIT_EXPECT_EQ(test, consumed, T_SUBBUF);
	KUNIT_EXPECT_EQ(test, produced, T_RING + T_SUBBUF);
	KUNIT_EXPECT_EQ(test, t_first_seq(t, T_RING), T_NUM_SUBBUF);
}

static void flush_empty_uses_free_subbufs(struct kunit *test)
{
	struct t_fix *t = t_setup(test);
	unsigned long consumed, produced;
	const struct t_hdr *h;
	unsigned int i;

	/* One packet, then empty ones while sub-buffers are free. */
	KUNIT_ASSERT_EQ(test, t_write(t, sizeof(u64)), 0);
	for (i = 0; i < T_NUM_SUBBUF + 2; i++)
		ktrace_rb_flush(t->buf, true);
	ktrace_rb_snapshot(t->buf, &consumed, &produced);
	KUNIT_EXPECT_EQ(test, consumed, 0);
	KUNIT_EXPECT_EQ(test, produced, T_RING);
	KUNIT_EXPECT_EQ(test, t_first_seq(t, 0), 0);
	for (i = 1; i < T_NUM_SUBBUF; i++) {
		KUNIT_ASSERT_EQ(test, ktrace_rb_get_subbuf(t->buf,
							   i * T_SUBBUF), 0);
		h = ktrace_rb_held_data(t->buf);
		KUNIT_EXPECT_EQ(test, h->content_size, T_HDR);
		KUNIT_EXPECT_EQ(test, h->seq, i);
		KUNIT_EXPECT_EQ(test, ktrace_rb_put_subbuf(t->buf), 0);
	}
}

static struct kunit_case snapshot_test_cases[] = {
	KUNIT_CASE(snapshot_range_stays_within_ring_when_writers_lap),
	KUNIT_CASE(flush_empty_keeps_oldest_packet_of_idle_stream),
	KUNIT_CASE(flush_empty_uses_free_subbufs),
	{}
};

static struct kunit_suite snapshot_test_suite = {
	.name = "ktrace_snapshot",
	.test_cases = snapshot_test_cases,
};

kunit_test_suite(snapshot_test_suite);

MODULE_DESCRIPTION("KUnit tests for ktrace snapshots");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
