/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktrace ring buffer internals, shared by ringbuffer.c (allocation and
 * accessors), write.c (reserve, commit, switch, flush) and read.c (reader).
 * See the top of ringbuffer.c for the design.
 */
#ifndef _KTRACE_RINGBUFFER_INTERNAL_H
#define _KTRACE_RINGBUFFER_INTERNAL_H

#include <linux/cache.h>
#include <linux/irq_work.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <asm/local.h>
#include <asm/local64.h>

#include "ringbuffer/ringbuffer.h"

/*
 * KUnit static stubs (module/Kbuild checks the kernel has them) let a test
 * case run code at chosen points of the reader: see
 * ktrace_rb_snapshot_window().
 */
#ifdef KTRACE_HAVE_KUNIT_STATIC_STUB
#include <kunit/static_stub.h>
#endif

/* Bits of ktrace_rb_buf.reader_flags. */
#define RB_READER_HELD	0	/* a sub-buffer is held by the reader */
#define RB_READER_OPEN	1	/* a reader has claimed the buffer */

/*
 * One slot of the ring: the writer-side state of the sub-buffer that is
 * currently at index i. Written only on the owning CPU, except @delivered,
 * which the reader reads.
 */
struct rb_slot {
	/* Bytes committed, cumulative over all laps: see rb_slot_full(). */
	local_t commit;
	/* Events committed in the current lap. */
	local_t records;
	/* pos | 1 of the last delivered packet in this slot. */
	unsigned long delivered;
	/* Events of the last delivered packet: what an overwrite loses. */
	unsigned long packet_records;
	/* Packet state, set when it is entered and closed. */
	u64 ts_begin;
	u64 ts_end;
	unsigned long content_end;
	unsigned long discarded;
};

struct ktrace_rb_buf {
	/* Writer side: modified only on the owning CPU. */
	local_t offset;
	local_t nesting;
	local_t written;
	local_t overwritten;
	local_t discarded_full;
	local_t discarded_nesting;
	local_t discarded_oversize;
	/*
	 * Clock of the last reservation or packet opening: see "Compact
	 * timestamps" at the top of ringbuffer.c. local64_t for a store
	 * that nested writers never see torn, also on 32-bit.
	 */
	local64_t last_ts;
	struct rb_slot *slots;
	void *ring;			/* vmap of the num_subbuf sub-buffers */

	/* Shared with the reader and with pushing writers. */
	atomic_long_t consumed ____cacheline_aligned_in_smp;

	/* Reader side. */
	unsigned long reader_flags;
	unsigned long held_pos;
	bool held_next;
	struct ktrace_rb_packet_info held_info;
	unsigned long held_records;	/* events of the held packet */
	/* Events of packets consumed by ktrace_rb_get_next_subbuf(). */
	atomic_long_t events_read;
	void *spare;			/* vmap of the reader's sub-buffer */
	/* Pollers; woken from rb_deliver() through @wakeup (any context). */
	wait_queue_head_t read_wait;
	struct irq_work wakeup;
	/* Pollers of a timer_wakeup channel: see ktrace_rb_wake_readers(). */
	wait_queue_head_t timer_wait;

	struct ktrace_rb_chan *chan;
	unsigned int cpu;
	unsigned long nr_pages;		/* ring pages then spare pages */
	struct page **pages;
};

struct ktrace_rb_chan {
	unsigned long subbuf_size;
	unsigned long subbuf_mask;	/* subbuf_size - 1 */
	unsigned long ring_size;	/* subbuf_size * num_subbuf */
	unsigned long commit_mask;	/* see rb_slot_full() */
	unsigned long max_event;	/* largest event: the payload */
	unsigned long start;		/* first position */
	unsigned int subbuf_order;
	unsigned int num_subbuf;
	unsigned int num_subbuf_order;
	unsigned int header_size;
	unsigned int event_align;
	unsigned int ts_bits;		/* 0: no compact timestamps */
	enum ktrace_rb_mode mode;
	const struct ktrace_rb_ops *ops;
	void *priv;
	bool timer_wakeup;		/* pollers wait on timer_wait */
	bool finalized;			/* writers refuse new events */
	bool final_done;		/* ... and the last packets are out */
	struct hlist_node cpuhp_node;	/* buffers for CPUs coming online */
	struct ktrace_rb_buf *bufs[];	/* nr_cpu_ids; NULL: never online */
};

static inline unsigned long rb_subbuf_trunc(const struct ktrace_rb_chan *chan,
					    unsigned long pos)
{
	return pos & ~chan->subbuf_mask;
}

static inline unsigned long rb_subbuf_offset(const struct ktrace_rb_chan *chan,
					     unsigned long pos)
{
	return pos & chan->subbuf_mask;
}

static inline struct rb_slot *rb_slot(const struct ktrace_rb_buf *buf,
				      unsigned long pos)
{
	const struct ktrace_rb_chan *chan = buf->chan;

	return &buf->slots[(pos >> chan->subbuf_order) &
			   (chan->num_subbuf - 1)];
}

static inline void *rb_addr(const struct ktrace_rb_buf *buf,
			    unsigned long pos)
{
	return buf->ring + (pos & (buf->chan->ring_size - 1));
}

/* True when @a is before @b, positions being free-running counters. */
static inline bool rb_before(unsigned long a, unsigned long b)
{
	return (long)(a - b) < 0;
}

/*
 * Value of rb_slot.commit once the sub-buffer at @sb has been entered but
 * nothing of it is committed yet; adding subbuf_size gives the value once
 * it is full, which is also the empty value of the next lap. Computed
 * modulo commit_mask + 1 = 2^BITS_PER_LONG / num_subbuf, the period of
 * (pos >> num_subbuf_order) when pos wraps around.
 */
static inline unsigned long rb_commit_base(const struct ktrace_rb_chan *chan,
					   unsigned long sb)
{
	return sb >> chan->num_subbuf_order;
}

static inline bool rb_slot_full(const struct ktrace_rb_chan *chan,
				unsigned long commit, unsigned long sb)
{
	return ((commit - rb_commit_base(chan, sb) - chan->subbuf_size) &
		chan->commit_mask) == 0;
}

/*
 * What subbuf_end() and readers are told about the packet at @sb, from its
 * slot. Writers call it on their own slot; readers call it racily and
 * then check that the writer has not entered the slot's next lap (see
 * "Readers" at the top of ringbuffer.c), hence READ_ONCE().
 */
static inline void rb_slot_info(const struct ktrace_rb_buf *buf,
				unsigned long sb,
				struct ktrace_rb_packet_info *info)
{
	const struct ktrace_rb_chan *chan = buf->chan;
	const struct rb_slot *slot = rb_slot(buf, sb);

	info->ts_begin = READ_ONCE(slot->ts_begin);
	info->ts_end = READ_ONCE(slot->ts_end);
	info->content_size = READ_ONCE(slot->content_end) - sb;
	info->packet_size = chan->subbuf_size;
	info->seq = (sb - chan->start) >> chan->subbuf_order;
	info->events_discarded = READ_ONCE(slot->discarded);
	info->cpu = buf->cpu;
}

/* How rb_flush() switches sub-buffers. */
enum rb_flush_mode {
	RB_FLUSH_ACTIVE,	/* close the current one if it holds events */
	RB_FLUSH_EMPTY,		/* close it even if empty, or emit an empty
				 * one into a free sub-buffer
				 */
	RB_FLUSH_FINAL,		/* close it if entered, even after finalize */
};

void rb_flush(struct ktrace_rb_buf *buf, enum rb_flush_mode how);

#if IS_ENABLED(CONFIG_KUNIT)
void ktrace_rb_snapshot_window(struct ktrace_rb_buf *buf);
#endif

#endif /* _KTRACE_RINGBUFFER_INTERNAL_H */
