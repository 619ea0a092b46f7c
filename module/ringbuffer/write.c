// SPDX-License-Identifier: GPL-2.0
/*
 * ktrace ring buffer, write side: reserve, commit, sub-buffer switch and
 * flush. The design and the memory-barrier pairs are described at the top
 * of ringbuffer.c.
 *
 * Everything here runs on the CPU that owns the buffer, with preemption
 * disabled, possibly interrupted at any instruction by another writer of
 * the same buffer (irq, NMI) that runs to completion before we resume.
 */
#include <linux/align.h>
#include <linux/atomic.h>
#include <linux/cpu.h>
#include <linux/export.h>
#include <linux/irq_work.h>
#include <linux/irqflags.h>
#include <linux/mutex.h>
#include <linux/preempt.h>
#include <linux/smp.h>
#include <linux/wait.h>

#include "ringbuffer/reserve.h"
#include "ringbuffer/ringbuffer_internal.h"

static unsigned long rb_discarded(struct ktrace_rb_buf *buf)
{
	return local_read(&buf->discarded_full) +
	       local_read(&buf->discarded_nesting) +
	       local_read(&buf->discarded_oversize);
}

/* The sub-buffer at @sb is fully committed: complete and publish it. */
void rb_deliver(struct ktrace_rb_buf *buf, struct rb_slot *slot, unsigned long sb)
{
	const struct ktrace_rb_chan *chan = buf->chan;
	struct ktrace_rb_packet_info info;

	rb_slot_info(buf, sb, &info);
	/* Nothing of the next lap can be committed before we publish. */
	slot->packet_records = local_read(&slot->records);
	local_set(&slot->records, 0);
	chan->ops->subbuf_end(chan->priv, buf->cpu, rb_addr(buf, sb), &info);
	/* Pairs with smp_load_acquire() in rb_check_delivered(). */
	smp_store_release(&slot->delivered, sb | 1);
	/*
	 * Wake pollers. wq_has_sleeper() is smp_mb() then a lockless look at
	 * the wait queue: it pairs with smp_mb() in ktrace_rb_poll(), which
	 * adds itself to the queue before looking at delivered. Writers may
	 * run in NMI, where wake_up() cannot: irq_work does it for us.
	 */
	if (wq_has_sleeper(&buf->read_wait))
		irq_work_queue(&buf->wakeup);
}

static void rb_commit_bytes(struct ktrace_rb_buf *buf, unsigned long sb,
			    unsigned long len)
{
	rb_commit_slot(buf, rb_slot(buf, sb), sb, len);
}

/*
 * The packet at @sb ends at @end: remember what subbuf_end() will need.
 * @discarded is rb_discarded() as the closing writer read it after its
 * read of offset and before the cmpxchg that closed the packet, never
 * later: a writer that interrupts us after that cmpxchg may close a later
 * packet and have events refused before we get here, and the count must
 * not go down from one packet to the next.
 */
static void rb_close(struct ktrace_rb_buf *buf, unsigned long sb,
		     unsigned long end, u64 ts, unsigned long discarded)
{
	struct rb_slot *slot = rb_slot(buf, sb);

	slot->content_end = end;
	slot->ts_end = ts;
	slot->discarded = discarded;
}

/*
 * Is the slot of the sub-buffer at @sb free: its previous lap consumed, so
 * that entering @sb costs no packet?
 */
static bool rb_slot_free(struct ktrace_rb_buf *buf, unsigned long sb)
{
	const struct ktrace_rb_chan *chan = buf->chan;

	return !rb_before(atomic_long_read(&buf->consumed),
			  sb - chan->ring_size + chan->subbuf_size);
}

/*
 * May the writer enter the sub-buffer at @sb? The previous lap of its slot
 * must be delivered: otherwise a writer we interrupted still has an event
 * reserved there. In discard mode it must also have been consumed.
 */
static bool rb_can_open(struct ktrace_rb_buf *buf, unsigned long sb)
{
	const struct ktrace_rb_chan *chan = buf->chan;
	unsigned long prev = sb - chan->ring_size;

	if (READ_ONCE(rb_slot(buf, sb)->delivered) != (prev | 1))
		return false;
	/*
	 * The stores into the slot that follow are ordered after this load
	 * by control dependency; the reader's copy was done before its
	 * fully ordered cmpxchg on consumed.
	 */
	return chan->mode != KTRACE_RB_DISCARD || rb_slot_free(buf, sb);
}

/*
 * Overwrite mode: entering @sb reclaims the previous lap of its slot, so
 * push consumed past it. Normally that is one packet; it is more when we
 * interrupted a writer between its entering a sub-buffer and its push.
 * Whoever wins the cmpxchg on consumed accounts for the packets: the
 * reader counts them as read, we count them as overwritten.
 */
static void rb_push_consumed(struct ktrace_rb_buf *buf, unsigned long sb)
{
	const struct ktrace_rb_chan *chan = buf->chan;
	unsigned long next = sb - chan->ring_size + chan->subbuf_size;
	long old = atomic_long_read(&buf->consumed);
	unsigned long pos, lost = 0;

	while (rb_before(old, next)) {
		/* Fully ordered, against the reader's cmpxchg (read.c). */
		if (atomic_long_try_cmpxchg(&buf->consumed, &old, next)) {
			for (pos = old; pos != next; pos += chan->subbuf_size)
				lost += rb_slot(buf, pos)->packet_records;
			local_add(lost, &buf->overwritten);
			return;
		}
	}
}

/* We moved offset into the sub-buffer at @sb: start its packet. */
static void rb_open(struct ktrace_rb_buf *buf, unsigned long sb, u64 ts)
{
	const struct ktrace_rb_chan *chan = buf->chan;

	/*
	 * Pairs with smp_rmb() in rb_copy_subbuf(): a reader that copies any
	 * byte of this lap sees offset past the previous lap.
	 */
	smp_wmb();
	rb_slot(buf, sb)->ts_begin = ts;
	/* Compact timestamps of this packet start from ts_begin. */
	local64_set(&buf->last_ts, ts);
	if (chan->mode == KTRACE_RB_OVERWRITE)
		rb_push_consumed(buf, sb);
	chan->ops->subbuf_begin(chan->priv, buf->cpu, rb_addr(buf, sb), ts);
	rb_commit_bytes(buf, sb, chan->header_size);
}

/*
 * The event does not fit in the current sub-buffer, none is entered yet,
 * or it ends exactly at the end of one: close and enter sub-buffers as
 * needed, within the same cmpxchg on offset. @extra is what a full
 * timestamp adds to @len. Not inlined: once a sub-buffer, it would cost
 * the fast path registers on every event.
 */
noinline int rb_reserve_slow(struct ktrace_rb_buf *buf,
			     struct ktrace_rb_ctx *ctx, size_t len, size_t extra)
{
	const struct ktrace_rb_chan *chan = buf->chan;
	unsigned long o, sb, area, begin, end, size, discarded;
	bool close_old, open, full;
	u64 ts;

	do {
		o = local_read(&buf->offset);
		discarded = rb_discarded(buf);
		ts = ktrace_rb_clock();
		sb = rb_subbuf_trunc(chan, o);
		area = o;
		open = !rb_subbuf_offset(chan, o);
		close_old = false;
		full = false;
		size = len;
		if (!open) {
			/* Staying in this packet: the fast path's rule. */
			full = rb_need_full_ts(chan, buf, ts);
			if (full)
				size += extra;
			end = ALIGN(o, chan->event_align) + size;
			if (rb_before(sb + chan->subbuf_size, end)) {
				close_old = true;
				open = true;
				sb += chan->subbuf_size;
			}
		}
		if (open) {
			if (!rb_can_open(buf, sb)) {
				local_inc(&buf->discarded_full);
				return -ENOBUFS;
			}
			area = sb + chan->header_size;
			/* First of its packet: ts is ts_begin, delta 0. */
			full = false;
			size = len;
		}
		begin = ALIGN(area, chan->event_align);
		end = begin + size;
	} while (local_cmpxchg(&buf->offset, o, end) != o);

	/* rb_open() stores last_ts for an event that enters a packet. */
	if (!open)
		local64_set(&buf->last_ts, ts);
	if (close_old) {
		unsigned long old_sb = rb_subbuf_trunc(chan, o);

		rb_close(buf, old_sb, o, ts, discarded);
		rb_commit_bytes(buf, old_sb, old_sb + chan->subbuf_size - o);
	}
	if (open)
		rb_open(buf, sb, ts);
	if (!rb_subbuf_offset(chan, end))
		rb_close(buf, sb, end, ts, discarded);

	ctx->ts = ts;
	ctx->pos = begin;
	ctx->len = size;
	ctx->full_ts = full;
	ctx->commit_len = end - area;
	return 0;
}

/**
 * ktrace_rb_reserve() - reserve room for one event in this CPU's buffer
 * @chan: the channel.
 * @ctx: in: &ktrace_rb_ctx.full_ts_extra, when the channel has compact
 *	timestamps (&ktrace_rb_config.ts_bits). Filled in: where to write the
 *	event, its length, position and timestamp, and whether the event must
 *	carry its full timestamp (&ktrace_rb_ctx.full_ts).
 * @len: bytes of the event (with a compact timestamp, when the channel has
 *	ts_bits).
 *
 * With ts_bits set, the event gets @ctx->full_ts_extra more bytes, and
 * @ctx->full_ts is set, unless @ctx->ts minus the timestamp of the previous
 * event of the same packet (or minus the packet's ts_begin when the event
 * is the first of its packet) is less than 2^ts_bits: the decision is
 * taken atomically with the reservation. It may be set when not needed
 * (after nested writers), never the other way round. @ctx->len is then the
 * total reserved: @len, plus @ctx->full_ts_extra if @ctx->full_ts.
 *
 * The total must fit in a sub-buffer's payload (subbuf_size minus
 * header_size rounded up to event_align). With ts_bits set the check is on
 * @len + @ctx->full_ts_extra, whether or not this event needs the full
 * timestamp, so that whether an event fits never depends on timing.
 *
 * On success, preemption stays disabled until ktrace_rb_commit(@chan,
 * @ctx), which must follow soon, in the same context. Nothing is counted
 * for -EINVAL and -ESHUTDOWN; the other errors count the event as
 * discarded, by cause.
 *
 * Context: any context, including NMI. Lockless; never sleeps.
 * Return: 0 on success;
 * -EINVAL if @len is 0;
 * -ESHUTDOWN if the channel is finalized or being destroyed;
 * -EDEADLK if KTRACE_RB_MAX_NESTING writers are already nested on this CPU;
 * -EMSGSIZE if the total (@len, plus @ctx->full_ts_extra when ts_bits is
 * set) is larger than a sub-buffer's payload;
 * -ENOBUFS if the buffer is full (discard mode, or in either mode when the
 * next sub-buffer is still held by a writer this one interrupted).
 */
int ktrace_rb_reserve(struct ktrace_rb_chan *chan, struct ktrace_rb_ctx *ctx,
		      size_t len)
{
	int ret;

	preempt_disable_notrace();
	ret = ktrace_rb_reserve_fast(chan, ctx, len);
	if (ret)
		preempt_enable_notrace();
	return ret;
}
EXPORT_SYMBOL_GPL(ktrace_rb_reserve);

/**
 * ktrace_rb_commit() - publish an event reserved by ktrace_rb_reserve()
 * @chan: the channel.
 * @ctx: the context ktrace_rb_reserve() filled in.
 *
 * The commit that completes a sub-buffer calls the client's subbuf_end()
 * and makes the packet readable. Re-enables preemption.
 *
 * Context: the context of the matching reserve. Lockless; never sleeps.
 */
void ktrace_rb_commit(struct ktrace_rb_chan *chan,
		      const struct ktrace_rb_ctx *ctx)
{
	ktrace_rb_commit_fast(chan, ctx);
	preempt_enable_notrace();
}
EXPORT_SYMBOL_GPL(ktrace_rb_commit);

/* Switch sub-buffers on the CPU that owns @buf, with interrupts off. */
static void rb_flush_local(struct ktrace_rb_buf *buf, enum rb_flush_mode how)
{
	const struct ktrace_rb_chan *chan = buf->chan;
	unsigned long o, sb, content, discarded;
	bool open;
	u64 ts;

	if (how != RB_FLUSH_FINAL && READ_ONCE(chan->finalized))
		return;
	do {
		o = local_read(&buf->offset);
		discarded = rb_discarded(buf);
		ts = ktrace_rb_clock();
		sb = rb_subbuf_trunc(chan, o);
		content = o;
		open = !rb_subbuf_offset(chan, o);
		if (open) {
			/*
			 * The last sub-buffer is closed already. An empty
			 * packet goes only where it costs no packet, in
			 * either mode: flushing never destroys data.
			 * Consumed only moves forward: a free slot stays
			 * free.
			 */
			if (how != RB_FLUSH_EMPTY || !rb_can_open(buf, sb) ||
			    !rb_slot_free(buf, sb))
				return;
			content = sb + chan->header_size;
		} else if (how == RB_FLUSH_ACTIVE &&
			   o - sb <= chan->header_size) {
			return;
		}
	} while (local_cmpxchg(&buf->offset, o,
			       sb + chan->subbuf_size) != o);

	if (open)
		rb_open(buf, sb, ts);
	rb_close(buf, sb, content, ts, discarded);
	rb_commit_bytes(buf, sb, sb + chan->subbuf_size - content);
}

struct rb_flush_req {
	struct ktrace_rb_buf *buf;
	enum rb_flush_mode how;
};

static void rb_flush_ipi(void *info)
{
	struct rb_flush_req *req = info;

	rb_flush_local(req->buf, req->how);
}

/*
 * Serialises flushes of offline CPUs' buffers: they run on whichever CPU
 * asks, and local_cmpxchg() is only atomic on one CPU. Flushes of online
 * CPUs are serialised by running on the owning CPU.
 */
static DEFINE_MUTEX(rb_offline_flush_lock);

/* Context: process context, may sleep. */
void rb_flush(struct ktrace_rb_buf *buf, enum rb_flush_mode how)
{
	struct rb_flush_req req = { .buf = buf, .how = how };

	cpus_read_lock();
	if (cpu_online(buf->cpu)) {
		smp_call_function_single(buf->cpu, rb_flush_ipi, &req, 1);
	} else {
		/* No writer can run there until we drop the hotplug lock. */
		mutex_lock(&rb_offline_flush_lock);
		local_irq_disable();
		rb_flush_local(buf, how);
		local_irq_enable();
		mutex_unlock(&rb_offline_flush_lock);
	}
	cpus_read_unlock();
}

/**
 * ktrace_rb_flush() - close the current sub-buffer of a CPU buffer
 * @buf: the buffer.
 * @empty_too: also when it holds no event, and when no sub-buffer is open
 *	then produce an empty packet, so that the packets' time ranges reach
 *	the present.
 *
 * Runs the switch on the CPU that owns @buf. The packet becomes readable
 * once every event reserved in it is committed. Does nothing once the
 * channel is finalized, or when an empty packet would need a sub-buffer
 * that is not free: in either mode, a flush never reclaims a packet that
 * was not consumed, so flushing an idle buffer again and again keeps its
 * data.
 *
 * Context: process context, may sleep (takes the CPU hotplug lock).
 */
void ktrace_rb_flush(struct ktrace_rb_buf *buf, bool empty_too)
{
	rb_flush(buf, empty_too ? RB_FLUSH_EMPTY : RB_FLUSH_ACTIVE);
}
EXPORT_SYMBOL_GPL(ktrace_rb_flush);
