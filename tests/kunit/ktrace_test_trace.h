/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit helpers shared by the suites that record events: a snapshot
 * session with one channel, and a decoder that reads the channel's
 * packets back through the ring buffer's reader API as a CTF reader
 * decodes them from the metadata (packet header and context, compact or
 * extended event headers with timestamps rebuilt, the channel's
 * contexts, then each event's fields by their descriptions). It asserts
 * on anything a reader would reject.
 *
 * It assumes a little-endian CPU, as the KUnit VM (x86_64) is.
 */
#ifndef _KTRACE_TEST_TRACE_H
#define _KTRACE_TEST_TRACE_H

#include <kunit/test.h>
#include <linux/bitmap.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include "core/core_internal.h"
#include "probes/probes.h"
#include "ringbuffer/ringbuffer.h"

#define T_NUM_SUBBUF		4
#define T_TS_WRAP		BIT_ULL(KTRACE_CTF_COMPACT_TS_BITS)
#define T_TS_MASK		(T_TS_WRAP - 1)
#define T_ID_MASK		(BIT(KTRACE_CTF_COMPACT_ID_BITS) - 1)

/* ---- Fixture: a snapshot session with one channel ---------------------- */

struct t_fix {
	struct ktrace_session *s;
	struct ktrace_channel *c;
};

/* A kthread that sleeps until kthread_stop(): a task to name or preempt. */
static inline int t_idle_thread(void *arg)
{
	set_current_state(TASK_INTERRUPTIBLE);
	while (!kthread_should_stop()) {
		schedule();
		set_current_state(TASK_INTERRUPTIBLE);
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

/* Destroy (if still listed) and drop the test's reference. */
static inline void t_session_release(void *p)
{
	struct ktrace_session *s = p;

	ktrace_session_destroy(s);
	ktrace_session_put(s);
}

static inline struct ktrace_channel *t_add_channel(struct kunit *test,
						   struct ktrace_session *s,
						   const char *name,
						   unsigned long subbuf_size)
{
	struct ktrace_channel_attr attr = {
		.name = name,
		.subbuf_size = subbuf_size,
		.num_subbuf = T_NUM_SUBBUF,
	};
	struct ktrace_channel *c = ktrace_channel_create(s, &attr);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, c);
	return c;
}

static inline struct t_fix *t_setup(struct kunit *test, unsigned long subbuf_size)
{
	struct t_fix *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, f);
	f->s = ktrace_session_create("kt_event", KTRACE_SESSION_SNAPSHOT);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, f->s);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, t_session_release,
							f->s), 0);
	f->c = t_add_channel(test, f->s, "chan", subbuf_size);
	return f;
}

static inline void t_enable(struct kunit *test, struct ktrace_channel *c,
			    const char *name)
{
	KUNIT_ASSERT_EQ_MSG(test, ktrace_event_enable(c, name), 1, "%s", name);
}

static inline void t_start(struct kunit *test, struct t_fix *f)
{
	KUNIT_ASSERT_EQ(test, ktrace_session_start(f->s), 0);
}

static inline void t_stop(struct kunit *test, struct t_fix *f)
{
	KUNIT_ASSERT_EQ(test, ktrace_session_stop(f->s), 0);
}

static inline const struct ktrace_event_desc *t_desc(struct kunit *test,
						     const char *name)
{
	const struct ktrace_event_desc *desc = ktrace_probes_find(name);

	KUNIT_ASSERT_NOT_NULL_MSG(test, desc, "%s", name);
	return desc;
}

/* ---- The events of a channel, as ktrace_event_for_each() lists them ---- */

#define T_LIST_MAX	64

struct t_listing {
	unsigned int n;
	u32 id[T_LIST_MAX];
	bool enabled[T_LIST_MAX];
	const struct ktrace_event_desc *desc[T_LIST_MAX];
};

static inline int t_list_one(void *arg, const struct ktrace_event *ev)
{
	struct t_listing *l = arg;

	if (l->n == T_LIST_MAX)
		return -ENOSPC;
	l->id[l->n] = ev->id;
	l->enabled[l->n] = ev->enabled;
	l->desc[l->n] = ev->desc;
	l->n++;
	return 0;
}

static inline struct t_listing *t_list(struct kunit *test, struct ktrace_channel *c)
{
	struct t_listing *l = kunit_kzalloc(test, sizeof(*l), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, l);
	KUNIT_ASSERT_EQ(test, ktrace_event_for_each(c, t_list_one, l), 0);
	return l;
}

static inline unsigned int t_nr_enabled(const struct t_listing *l)
{
	unsigned int i, n = 0;

	for (i = 0; i < l->n; i++)
		n += l->enabled[i];
	return n;
}

/* ---- The decoder ------------------------------------------------------- */

/*
 * What a reader learns from the metadata about one channel's stream: the
 * packet size, the contexts every event carries and the event of each id.
 */
struct t_layout {
	u32 stream_id;
	unsigned long subbuf_size;
	unsigned int nr_contexts;
	enum ktrace_context_type context[KTRACE_CONTEXT_COUNT];
	const struct ktrace_field_desc *context_field[KTRACE_CONTEXT_COUNT];
	unsigned int nr_events;
	const struct ktrace_event_desc *events[T_LIST_MAX];
};

/* One decoded event; its bytes stay in the trace's copy of its packet. */
struct t_event {
	unsigned int cpu;
	u64 packet_seq;
	u32 id;
	bool extended;
	u64 ts;
	const struct ktrace_event_desc *desc;
	const u8 *context;
	const u8 *payload;
	size_t payload_len;
};

/* Everything read from a channel: events in stream order, CPU by CPU. */
struct t_trace {
	struct t_layout lay;
	unsigned int nr_packets;
	/* Packets missing from the sequence numbers (overwritten). */
	u64 lost_packets;
	u64 events_discarded;
	u8 uuid[UUID_SIZE];
	unsigned int nr, cap;
	struct t_event *ev;
};

/* Where the decoder is in a packet; @at names it in messages. */
struct t_cursor {
	const u8 *pkt;
	const u8 *p;
	const u8 *end;
	unsigned int cpu;
	u64 seq;
	char at[64];
};

/* Name the current position, e.g. "cpu 1 packet 3 +120". */
static inline void t_mark(struct t_cursor *cur)
{
	snprintf(cur->at, sizeof(cur->at), "cpu %u packet %llu +%td", cur->cpu,
		 cur->seq, cur->p - cur->pkt);
}

static inline void t_layout_init(struct kunit *test, struct t_layout *lay,
				 struct ktrace_channel *c)
{
	struct t_listing *l = t_list(test, c);
	unsigned int i;

	lay->stream_id = ktrace_channel_id(c);
	lay->subbuf_size = ktrace_rb_subbuf_size(ktrace_channel_rb(c));
	/* Fixed since the session's first start. */
	lay->nr_contexts = c->nr_contexts;
	for (i = 0; i < c->nr_contexts; i++) {
		lay->context[i] = c->contexts[i];
		lay->context_field[i] = ktrace_context_field(c->contexts[i]);
	}
	/* Ids are dense, from 0, in enabling order: the listing's order. */
	lay->nr_events = l->n;
	for (i = 0; i < l->n; i++) {
		KUNIT_ASSERT_EQ(test, l->id[i], i);
		lay->events[i] = l->desc[i];
	}
}

static inline bool t_int_size_valid(unsigned int size)
{
	return size == 1 || size == 2 || size == 4 || size == 8;
}

/* Bytes of field @f at @p, where @avail bytes of content are left. */
static inline size_t t_field_len(struct kunit *test, const struct ktrace_field_desc *f,
				 const u8 *p, size_t avail)
{
	size_t n;

	switch (f->kind) {
	case KTRACE_FIELD_INTEGER:
	case KTRACE_FIELD_ENUM:
		KUNIT_ASSERT_TRUE_MSG(test, t_int_size_valid(f->size),
				      "%s: size %u", f->name, f->size);
		return f->size;
	case KTRACE_FIELD_ARRAY:
		KUNIT_ASSERT_TRUE_MSG(test, t_int_size_valid(f->size),
				      "%s: size %u", f->name, f->size);
		return (size_t)f->size * f->length;
	case KTRACE_FIELD_ARRAY_TEXT:
		KUNIT_ASSERT_EQ_MSG(test, f->size, 1, "%s", f->name);
		return f->length;
	case KTRACE_FIELD_STRING:
		n = strnlen((const char *)p, avail);
		KUNIT_ASSERT_LT_MSG(test, n, avail,
				    "%s: no NUL before content_size", f->name);
		return n + 1;
	}
	KUNIT_FAIL_AND_ABORT(test, "%s: unknown kind %d", f->name, f->kind);
	return 0;
}

/* Consume @len bytes of content; they must be there. */
static inline const u8 *t_take(struct kunit *test, struct t_cursor *cur, size_t len,
			       const char *what)
{
	const u8 *p = cur->p;

	KUNIT_ASSERT_LE_MSG(test, len, (size_t)(cur->end - cur->p),
			    "%s: %s overruns content_size", cur->at,
			    what);
	cur->p += len;
	return p;
}

static inline void t_take_field(struct kunit *test, struct t_cursor *cur,
				const struct ktrace_field_desc *f)
{
	t_take(test, cur, t_field_len(test, f, cur->p, cur->end - cur->p),
	       f->name);
}

/*
 * A CTF reader's rule for a clock field of 27 bits: the first value at or
 * after @prev whose low bits are @low.
 */
static inline u64 t_ts_rebuild(u64 prev, u32 low)
{
	u64 ts = (prev & ~T_TS_MASK) | low;

	if (low < (prev & T_TS_MASK))
		ts += T_TS_WRAP;
	return ts;
}

static inline struct t_event *t_event_new(struct kunit *test, struct t_trace *tr)
{
	struct t_event *ev;

	if (tr->nr == tr->cap) {
		unsigned int cap = tr->cap ? 2 * tr->cap : 256;

		ev = kvmalloc_array(cap, sizeof(*ev), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, ev);
		if (tr->nr)
			memcpy(ev, tr->ev, tr->nr * sizeof(*ev));
		kvfree(tr->ev);
		tr->ev = ev;
		tr->cap = cap;
	}
	ev = &tr->ev[tr->nr++];
	memset(ev, 0, sizeof(*ev));
	return ev;
}

/* Decode one event at @cur; @ts is the previous timestamp of the stream. */
static inline void t_decode_event(struct kunit *test, struct t_trace *tr,
				  struct t_cursor *cur, u64 ts_end, u64 *ts)
{
	const struct t_layout *lay = &tr->lay;
	struct t_event *ev = t_event_new(test, tr);
	const u8 *h;
	unsigned int i;
	u32 word;

	t_mark(cur);
	ev->cpu = cur->cpu;
	ev->packet_seq = cur->seq;
	if ((*cur->p & T_ID_MASK) != KTRACE_CTF_EXTENDED_ID) {
		h = t_take(test, cur, KTRACE_CTF_COMPACT_SIZE, "compact header");
		word = get_unaligned((const u32 *)h);
		ev->id = word & T_ID_MASK;
		ev->ts = t_ts_rebuild(*ts, word >> KTRACE_CTF_COMPACT_ID_BITS);
	} else {
		h = t_take(test, cur, KTRACE_CTF_EXTENDED_SIZE,
			   "extended header");
		/* The 3 bits after the 5-bit id pad to the byte. */
		KUNIT_ASSERT_EQ_MSG(test, h[0], KTRACE_CTF_EXTENDED_ID,
				    "%s: padding bits set", cur->at);
		ev->extended = true;
		ev->id = get_unaligned((const u32 *)(h + 1));
		ev->ts = get_unaligned((const u64 *)(h + 5));
	}
	KUNIT_ASSERT_LT_MSG(test, ev->id, lay->nr_events,
			    "%s: unknown event id", cur->at);
	ev->desc = lay->events[ev->id];
	KUNIT_ASSERT_GE_MSG(test, ev->ts, *ts,
			    "%s: %s: timestamp goes back", cur->at,
			    ev->desc->name);
	KUNIT_ASSERT_LE_MSG(test, ev->ts, ts_end,
			    "%s: %s: timestamp after timestamp_end",
			    cur->at, ev->desc->name);
	*ts = ev->ts;

	ev->context = cur->p;
	for (i = 0; i < lay->nr_contexts; i++)
		t_take_field(test, cur, lay->context_field[i]);
	ev->payload = cur->p;
	for (i = 0; i < ev->desc->nr_fields; i++)
		t_take_field(test, cur, &ev->desc->fields[i]);
	ev->payload_len = cur->p - ev->payload;
}

/* Per-CPU stream state carried from one packet to the next. */
struct t_stream {
	unsigned int cpu;
	bool started;
	u64 seq;
	u64 ts;
	u64 discarded;
};

/* Check one packet's header and context, then decode its events. */
static inline void t_decode_packet(struct kunit *test, struct t_trace *tr,
				   struct t_stream *st, const void *pkt)
{
	const struct ktrace_ctf_packet *h = pkt;
	const struct t_layout *lay = &tr->lay;
	struct t_cursor cur = {
		.pkt = pkt,
		.p = pkt,
		.cpu = st->cpu,
		.seq = h->packet_seq_num,
	};

	t_mark(&cur);

	KUNIT_ASSERT_EQ_MSG(test, h->magic, KTRACE_CTF_MAGIC, "%s: magic",
			    cur.at);
	if (!tr->nr_packets)
		memcpy(tr->uuid, h->uuid, sizeof(tr->uuid));
	KUNIT_ASSERT_EQ_MSG(test, memcmp(h->uuid, tr->uuid, sizeof(tr->uuid)),
			    0, "%s: uuid differs", cur.at);
	KUNIT_ASSERT_EQ_MSG(test, h->stream_id, lay->stream_id,
			    "%s: stream_id", cur.at);
	KUNIT_ASSERT_EQ_MSG(test, h->stream_instance_id, st->cpu,
			    "%s: stream_instance_id", cur.at);
	KUNIT_ASSERT_EQ_MSG(test, h->cpu_id, st->cpu, "%s: cpu_id",
			    cur.at);
	KUNIT_ASSERT_EQ_MSG(test, h->content_size % BITS_PER_BYTE, 0,
			    "%s: content_size %llu", cur.at,
			    h->content_size);
	KUNIT_ASSERT_GE_MSG(test, h->content_size,
			    (u64)sizeof(*h) * BITS_PER_BYTE,
			    "%s: content_size %llu", cur.at,
			    h->content_size);
	KUNIT_ASSERT_LE_MSG(test, h->content_size, h->packet_size,
			    "%s: content_size %llu", cur.at,
			    h->content_size);
	/* As in LTTng, a packet ends at the page after its content. */
	KUNIT_ASSERT_EQ_MSG(test, h->packet_size,
			    (u64)PAGE_ALIGN(h->content_size / BITS_PER_BYTE) *
			    BITS_PER_BYTE,
			    "%s: packet_size %llu", cur.at,
			    h->packet_size);
	KUNIT_ASSERT_LE_MSG(test, h->packet_size,
			    (u64)lay->subbuf_size * BITS_PER_BYTE,
			    "%s: packet_size %llu", cur.at,
			    h->packet_size);
	KUNIT_ASSERT_LE_MSG(test, h->timestamp_begin, h->timestamp_end,
			    "%s: time range", cur.at);
	if (st->started) {
		KUNIT_ASSERT_GT_MSG(test, h->packet_seq_num, st->seq,
				    "%s: sequence number goes back",
				    cur.at);
		KUNIT_ASSERT_GE_MSG(test, h->timestamp_begin, st->ts,
				    "%s: begins before the last packet",
				    cur.at);
		KUNIT_ASSERT_GE_MSG(test, h->events_discarded, st->discarded,
				    "%s: events_discarded goes back",
				    cur.at);
		tr->lost_packets += h->packet_seq_num - st->seq - 1;
	}
	st->started = true;
	st->seq = h->packet_seq_num;
	st->ts = h->timestamp_begin;
	st->discarded = h->events_discarded;
	tr->events_discarded = max(tr->events_discarded, h->events_discarded);

	cur.p = cur.pkt + sizeof(*h);
	cur.end = cur.pkt + h->content_size / BITS_PER_BYTE;
	while (cur.p < cur.end)
		t_decode_event(test, tr, &cur, h->timestamp_end, &st->ts);
	KUNIT_ASSERT_PTR_EQ_MSG(test, cur.p, cur.end,
				"%s: decoding ends past content_size",
				cur.at);
	st->ts = h->timestamp_end;
	tr->nr_packets++;
}

/* Close the open packet of @cpu's buffer, then get, copy and decode all. */
static inline void t_read_cpu(struct kunit *test, struct t_trace *tr,
			      struct ktrace_rb_chan *rb, unsigned int cpu)
{
	struct ktrace_rb_buf *buf = ktrace_rb_buf(rb, cpu);
	unsigned long pos, consumed, produced;
	struct t_stream st = { .cpu = cpu };
	void *pkt;
	int ret;

	ktrace_rb_flush(buf, false);
	for (;;) {
		pkt = kunit_kmalloc(test, tr->lay.subbuf_size, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, pkt);
		ret = ktrace_rb_get_next_subbuf(buf, &pos);
		if (ret)
			break;
		memcpy(pkt, ktrace_rb_held_data(buf), tr->lay.subbuf_size);
		KUNIT_ASSERT_EQ(test, ktrace_rb_put_next_subbuf(buf), 0);
		t_decode_packet(test, tr, &st, pkt);
	}
	kunit_kfree(test, pkt);
	/* Nothing more yet, or nothing more ever once destroyed. */
	KUNIT_ASSERT_TRUE_MSG(test, ret == -EAGAIN || ret == -ENODATA,
			      "cpu %u: get_next_subbuf: %d", cpu, ret);
	ktrace_rb_snapshot(buf, &consumed, &produced);
	KUNIT_ASSERT_EQ_MSG(test, consumed, produced,
			    "cpu %u: packets left unread", cpu);
}

static inline void t_trace_free(void *p)
{
	struct t_trace *tr = p;

	kvfree(tr->ev);
}

/*
 * Read and decode every packet of every CPU buffer of @c. The session
 * must not be recording any more (stopped or destroyed).
 */
static inline struct t_trace *t_read(struct kunit *test, struct ktrace_channel *c)
{
	struct ktrace_rb_chan *rb = ktrace_channel_rb(c);
	struct t_trace *tr;
	unsigned int cpu;

	tr = kunit_kzalloc(test, sizeof(*tr), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, tr);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, t_trace_free, tr),
			0);
	t_layout_init(test, &tr->lay, c);
	for_each_possible_cpu(cpu)
		if (ktrace_rb_buf(rb, cpu))	/* CPUs that were online */
			t_read_cpu(test, tr, rb, cpu);
	return tr;
}

/* ---- Reading decoded events --------------------------------------------- */

static inline bool t_is(const struct t_event *ev, const char *name)
{
	return !strcmp(ev->desc->name, name);
}

static inline unsigned int t_count(const struct t_trace *tr, const char *name)
{
	unsigned int i, n = 0;

	for (i = 0; i < tr->nr; i++)
		n += t_is(&tr->ev[i], name);
	return n;
}

/* The bytes of field @name of @ev, and optionally its description. */
static inline const u8 *t_field(struct kunit *test, const struct t_event *ev,
				const char *name, const struct ktrace_field_desc **fp)
{
	const u8 *p = ev->payload, *end = ev->payload + ev->payload_len;
	const struct ktrace_field_desc *f;
	unsigned int i;

	for (i = 0; i < ev->desc->nr_fields; i++) {
		f = &ev->desc->fields[i];
		if (!strcmp(f->name, name)) {
			if (fp)
				*fp = f;
			return p;
		}
		p += t_field_len(test, f, p, end - p);
	}
	KUNIT_FAIL_AND_ABORT(test, "%s has no field %s", ev->desc->name, name);
	return NULL;
}

/* An integer of @size bytes at @p, sign-extended if @is_signed. */
static inline u64 t_load_int(const u8 *p, unsigned int size, bool is_signed)
{
	switch (size) {
	case 1:
		return is_signed ? (u64)(s8)*p : *p;
	case 2:
		return is_signed ? (u64)(s16)get_unaligned((const u16 *)p) :
				   get_unaligned((const u16 *)p);
	case 4:
		return is_signed ? (u64)(s32)get_unaligned((const u32 *)p) :
				   get_unaligned((const u32 *)p);
	default:
		return get_unaligned((const u64 *)p);
	}
}

/* Integer or enum field @name of @ev; cast the result to its C type. */
static inline u64 t_int(struct kunit *test, const struct t_event *ev,
			const char *name)
{
	const struct ktrace_field_desc *f;
	const u8 *p = t_field(test, ev, name, &f);

	KUNIT_ASSERT_TRUE_MSG(test, f->kind == KTRACE_FIELD_INTEGER ||
			      f->kind == KTRACE_FIELD_ENUM, "%s", name);
	return t_load_int(p, f->size, f->is_signed);
}

/* Text of @len bytes at @p: it must be NUL-terminated within them. */
static inline const char *t_text(struct kunit *test, const u8 *p, size_t len)
{
	KUNIT_ASSERT_NOT_NULL_MSG(test, memchr(p, '\0', len),
				  "text not NUL-terminated");
	return (const char *)p;
}

static inline const char *t_text_field(struct kunit *test, const struct t_event *ev,
				       const char *name)
{
	const struct ktrace_field_desc *f;
	const u8 *p = t_field(test, ev, name, &f);

	KUNIT_ASSERT_EQ_MSG(test, f->kind, KTRACE_FIELD_ARRAY_TEXT, "%s", name);
	return t_text(test, p, f->length);
}

/* Context @type of @ev, and optionally its description. */
static inline const u8 *t_context(struct kunit *test, const struct t_trace *tr,
				  const struct t_event *ev,
				  enum ktrace_context_type type,
				  const struct ktrace_field_desc **fp)
{
	const struct t_layout *lay = &tr->lay;
	const u8 *p = ev->context;
	unsigned int i;

	for (i = 0; i < lay->nr_contexts; i++) {
		if (lay->context[i] == type) {
			if (fp)
				*fp = lay->context_field[i];
			return p;
		}
		p += t_field_len(test, lay->context_field[i], p,
				 ev->payload - p);
	}
	KUNIT_FAIL_AND_ABORT(test, "no context %s", ktrace_context_name(type));
	return NULL;
}

static inline s64 t_context_int(struct kunit *test, const struct t_trace *tr,
				const struct t_event *ev,
				enum ktrace_context_type type)
{
	const struct ktrace_field_desc *f;
	const u8 *p = t_context(test, tr, ev, type, &f);

	KUNIT_ASSERT_EQ_MSG(test, f->kind, KTRACE_FIELD_INTEGER, "%s",
			    f->name);
	return t_load_int(p, f->size, f->is_signed);
}

static inline const char *t_context_text(struct kunit *test, const struct t_trace *tr,
					 const struct t_event *ev,
					 enum ktrace_context_type type)
{
	const struct ktrace_field_desc *f;
	const u8 *p = t_context(test, tr, ev, type, &f);

	KUNIT_ASSERT_EQ_MSG(test, f->kind, KTRACE_FIELD_ARRAY_TEXT, "%s",
			    f->name);
	return t_text(test, p, f->length);
}

/* A NUL-terminated string field (kt_string). */
static inline const char *t_string_field(struct kunit *test,
					  const struct t_event *ev,
					  const char *name)
{
	const struct ktrace_field_desc *fd;
	const u8 *p = t_field(test, ev, name, &fd);

	KUNIT_EXPECT_EQ(test, fd->kind, KTRACE_FIELD_STRING);
	return (const char *)p;
}

#endif /* _KTRACE_TEST_TRACE_H */
