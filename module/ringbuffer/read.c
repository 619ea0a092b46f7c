// SPDX-License-Identifier: GPL-2.0
/*
 * ktrace ring buffer, read side: position snapshots, getting and putting
 * sub-buffers, describing packets, moving the consumed position, polling
 * and waking pollers, clearing.
 * One reader per CPU buffer at a time: a reader claims the buffer with
 * ktrace_rb_reader_open() and serialises its own calls (e.g. with the
 * stream fd's mutex).
 * The design and the memory-barrier pairs are described at the top of
 * ringbuffer.c.
 */
#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/export.h>
#include <linux/mm.h>
#include <linux/poll.h>
#include <linux/string.h>
#include <linux/wait.h>
#include <kunit/visibility.h>

#include "ringbuffer/ringbuffer_internal.h"

/*
 * Is the packet at @pos delivered, and its slot not yet entered for the
 * next lap? Then whatever the caller reads of it is good if
 * rb_slot_intact() still says so afterwards.
 */
static int rb_check_delivered(struct ktrace_rb_buf *buf, unsigned long pos)
{
	const struct ktrace_rb_chan *chan = buf->chan;
	unsigned long w;
	bool final;

	/* Pairs with smp_store_release() in ktrace_rb_finalize(). */
	final = smp_load_acquire(&chan->final_done);
	w = local_read(&buf->offset);
	if (!rb_before(pos, w))
		return final ? -ENODATA : -EAGAIN;
	/* Older than the buffer's first packet, or already overwritten. */
	if (rb_before(pos, chan->start) || rb_before(pos + chan->ring_size, w))
		return -EAGAIN;
	/* Pairs with smp_store_release() in rb_deliver(). */
	if (smp_load_acquire(&rb_slot(buf, pos)->delivered) != (pos | 1))
		return -EAGAIN;
	return 0;
}

/*
 * After reading the packet at @pos or its slot: was none of it rewritten
 * meanwhile? A writer entering the next lap moves offset past
 * pos + ring_size before writing anything of it.
 */
static bool rb_slot_intact(struct ktrace_rb_buf *buf, unsigned long pos)
{
	/* Pairs with smp_wmb() in rb_open(). */
	smp_rmb();
	return !rb_before(pos + buf->chan->ring_size,
			  local_read(&buf->offset));
}

/*
 * Copy the packet at @pos, and what its slot says of it, into the reader's
 * spare if it is delivered and stays intact during the copy. Only the
 * content is copied; the rest of the spare is zeroed, so the padding that
 * readers copy out after the content holds nothing of earlier laps. That
 * costs the reader nothing: copy and zeroing together touch the same
 * subbuf_size bytes a whole copy would, and writers do no more work.
 */
static int rb_copy_subbuf(struct ktrace_rb_buf *buf, unsigned long pos)
{
	const struct ktrace_rb_chan *chan = buf->chan;
	unsigned long len;
	int ret;

	ret = rb_check_delivered(buf, pos);
	if (ret)
		return ret;
	rb_slot_info(buf, pos, &buf->held_info);
	buf->held_records = READ_ONCE(rb_slot(buf, pos)->packet_records);
	/* Any size, if the slot is being rewritten: rb_slot_intact() says. */
	len = min(buf->held_info.content_size, chan->subbuf_size);
	memcpy(buf->spare, rb_addr(buf, pos), len);
	memset(buf->spare + len, 0, chan->subbuf_size - len);
	if (!rb_slot_intact(buf, pos))
		return -EAGAIN;
	return 0;
}

/*
 * Where ktrace_rb_snapshot() has loaded consumed and not yet the write
 * offset. Empty, and compiled out without KUnit; a KUnit case redirects it
 * (kunit_activate_static_stub()) to run writers in that window.
 */
VISIBLE_IF_KUNIT void ktrace_rb_snapshot_window(struct ktrace_rb_buf *buf)
{
#ifdef KTRACE_HAVE_KUNIT_STATIC_STUB
	KUNIT_STATIC_STUB_REDIRECT(ktrace_rb_snapshot_window, buf);
#endif
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_rb_snapshot_window);

/**
 * ktrace_rb_snapshot() - sample a buffer's positions
 * @buf: the buffer.
 * @consumed: the consumed position: the oldest packet not yet consumed,
 *	and never more than a ring before @produced.
 * @produced: the start of the sub-buffer being written: packets in
 *	[@consumed, @produced) are closed (not necessarily all committed yet).
 *
 * The range is always valid: @produced is not before @consumed, and it
 * holds at most num_subbuf packets, however far writers run meanwhile.
 *
 * Context: any.
 */
void ktrace_rb_snapshot(struct ktrace_rb_buf *buf, unsigned long *consumed,
			unsigned long *produced)
{
	const struct ktrace_rb_chan *chan = buf->chan;
	unsigned long c, p;

	c = atomic_long_read(&buf->consumed);
	ktrace_rb_snapshot_window(buf);
	/*
	 * Pairs with the fully ordered cmpxchg in rb_push_consumed(), done
	 * after offset moved: we never see consumed ahead of produced.
	 */
	smp_rmb();
	p = rb_subbuf_trunc(chan, local_read(&buf->offset));
	/*
	 * In overwrite mode writers may have lapped the ring since we loaded
	 * consumed, and a writer that has just entered a sub-buffer pushes
	 * consumed only after moving offset. Whatever is before
	 * p - ring_size is overwritten or about to be: leave it out.
	 */
	if (rb_before(c, p - chan->ring_size))
		c = p - chan->ring_size;
	*consumed = c;
	*produced = p;
}
EXPORT_SYMBOL_GPL(ktrace_rb_snapshot);

/**
 * ktrace_rb_get_subbuf() - get a stable copy of the packet at a position
 * @buf: the buffer.
 * @pos: the packet's position, a multiple of the sub-buffer size.
 *
 * On success the packet is held until ktrace_rb_put_subbuf(): read it with
 * ktrace_rb_held_data(), ktrace_rb_held_page() or through the mmap area,
 * and its description with ktrace_rb_held_packet_info().
 * Writers neither wait for the reader nor change what it holds. Nothing in
 * the buffer changes, consumed included: getting the same @pos again gives
 * the same bytes.
 *
 * Context: any; one reader per buffer at a time.
 * Return: 0 on success;
 * -EINVAL if @pos is not sub-buffer aligned;
 * -EBUSY if the reader already holds a packet;
 * -EAGAIN if the packet is still being written or committed, was
 * overwritten (or is older than the first packet), or was overwritten
 * while being got;
 * -ENODATA if the channel is finalized and nothing will come at @pos.
 */
int ktrace_rb_get_subbuf(struct ktrace_rb_buf *buf, unsigned long pos)
{
	int ret;

	if (rb_subbuf_offset(buf->chan, pos))
		return -EINVAL;
	if (test_and_set_bit_lock(RB_READER_HELD, &buf->reader_flags))
		return -EBUSY;
	ret = rb_copy_subbuf(buf, pos);
	if (ret) {
		clear_bit_unlock(RB_READER_HELD, &buf->reader_flags);
		return ret;
	}
	buf->held_pos = pos;
	buf->held_next = false;
	return 0;
}
EXPORT_SYMBOL_GPL(ktrace_rb_get_subbuf);

/**
 * ktrace_rb_put_subbuf() - release the packet got with ktrace_rb_get_subbuf()
 * @buf: the buffer.
 *
 * Context: any; one reader per buffer at a time.
 * Return: 0, or -EINVAL if no packet is held.
 */
int ktrace_rb_put_subbuf(struct ktrace_rb_buf *buf)
{
	if (!test_bit(RB_READER_HELD, &buf->reader_flags))
		return -EINVAL;
	buf->held_next = false;
	clear_bit_unlock(RB_READER_HELD, &buf->reader_flags);
	return 0;
}
EXPORT_SYMBOL_GPL(ktrace_rb_put_subbuf);

/**
 * ktrace_rb_get_next_subbuf() - get and consume the packet at the consumed
 *	position
 * @buf: the buffer.
 * @pos: set to the packet's position on success.
 *
 * For streaming readers. The packet is consumed as it is got: from then
 * on it is the reader's, its events count as read, and a writer that
 * reclaims its sub-buffer meanwhile (overwrite mode) neither changes the
 * reader's copy nor counts them as overwritten. Release it with
 * ktrace_rb_put_next_subbuf().
 *
 * Context: any; one reader per buffer at a time.
 * Return: as ktrace_rb_get_subbuf(), except for -EINVAL; -EAGAIN also
 * when a writer reclaimed the packet, and counted its events as
 * overwritten, before it could be consumed.
 */
int ktrace_rb_get_next_subbuf(struct ktrace_rb_buf *buf, unsigned long *pos)
{
	unsigned long consumed = atomic_long_read(&buf->consumed);
	long expected = consumed;
	int ret;

	ret = ktrace_rb_get_subbuf(buf, consumed);
	if (ret)
		return ret;
	/*
	 * The copy is intact: consume it now. Whoever moves consumed past
	 * the packet accounts for its events (see "Accounting" at the top of
	 * ringbuffer.c). Fully ordered, against the writer's cmpxchg in
	 * rb_push_consumed().
	 */
	if (!atomic_long_try_cmpxchg(&buf->consumed, &expected,
				     consumed + buf->chan->subbuf_size)) {
		ktrace_rb_put_subbuf(buf);
		return -EAGAIN;
	}
	/* Only the reader adds; the counters are read from any context. */
	atomic_long_add(buf->held_records, &buf->events_read);
	buf->held_next = true;
	*pos = consumed;
	return 0;
}
EXPORT_SYMBOL_GPL(ktrace_rb_get_next_subbuf);

/**
 * ktrace_rb_put_next_subbuf() - release the packet got with
 *	ktrace_rb_get_next_subbuf()
 * @buf: the buffer.
 *
 * The packet was consumed when it was got.
 *
 * Context: any; one reader per buffer at a time.
 * Return: 0, or -EINVAL if no packet got with ktrace_rb_get_next_subbuf()
 * is held.
 */
int ktrace_rb_put_next_subbuf(struct ktrace_rb_buf *buf)
{
	if (!test_bit(RB_READER_HELD, &buf->reader_flags) || !buf->held_next)
		return -EINVAL;
	return ktrace_rb_put_subbuf(buf);
}
EXPORT_SYMBOL_GPL(ktrace_rb_put_next_subbuf);

/**
 * ktrace_rb_move_consumer() - move the consumed position forward
 * @buf: the buffer.
 * @old: where the caller believes consumed is (from ktrace_rb_snapshot()).
 * @new: where to move it; sub-buffer aligned, not before @old nor after
 *	the produced position.
 *
 * Packets in [@old, @new) count as read only on success: with -ESTALE an
 * overwriting writer (or another move) moved consumed first. Their events
 * are not added to &ktrace_rb_counters.read, which counts only what
 * ktrace_rb_get_next_subbuf() consumed.
 *
 * Context: any; one reader per buffer at a time.
 * Return: 0 on success;
 * -EINVAL if @old or @new is unaligned, @new is before @old or after the
 * produced position;
 * -ESTALE if consumed was not at @old.
 */
int ktrace_rb_move_consumer(struct ktrace_rb_buf *buf, unsigned long old,
			    unsigned long new)
{
	const struct ktrace_rb_chan *chan = buf->chan;
	long expected = old;

	if (rb_subbuf_offset(chan, old) || rb_subbuf_offset(chan, new))
		return -EINVAL;
	if (rb_before(new, old) ||
	    rb_before(rb_subbuf_trunc(chan, local_read(&buf->offset)), new))
		return -EINVAL;
	/* Fully ordered, against the writer's cmpxchg in rb_push_consumed(). */
	if (!atomic_long_try_cmpxchg(&buf->consumed, &expected, new))
		return -ESTALE;
	return 0;
}
EXPORT_SYMBOL_GPL(ktrace_rb_move_consumer);

/**
 * ktrace_rb_held_data() - the kernel address of the held packet
 * @buf: the buffer.
 *
 * Context: any; valid until ktrace_rb_put_subbuf().
 * Return: the packet's subbuf_size bytes, or NULL if none is held.
 */
const void *ktrace_rb_held_data(struct ktrace_rb_buf *buf)
{
	if (!test_bit(RB_READER_HELD, &buf->reader_flags))
		return NULL;
	return buf->spare;
}
EXPORT_SYMBOL_GPL(ktrace_rb_held_data);

/**
 * ktrace_rb_held_page() - the page holding one byte of the held packet
 * @buf: the buffer.
 * @offset: byte offset in the packet.
 *
 * For splice: the byte is at offset_in_page(@offset) in the page.
 *
 * Context: any; valid until ktrace_rb_put_subbuf().
 * Return: the page, or NULL if none is held or @offset is past the packet.
 */
struct page *ktrace_rb_held_page(struct ktrace_rb_buf *buf,
				 unsigned long offset)
{
	const struct ktrace_rb_chan *chan = buf->chan;

	if (!test_bit(RB_READER_HELD, &buf->reader_flags) ||
	    offset >= chan->subbuf_size)
		return NULL;
	return buf->pages[(chan->ring_size + offset) >> PAGE_SHIFT];
}
EXPORT_SYMBOL_GPL(ktrace_rb_held_page);

/**
 * ktrace_rb_held_mmap_offset() - where the held packet is in the mmap area
 * @buf: the buffer.
 *
 * Context: any.
 * Return: the byte offset of the held packet in the area described by
 * ktrace_rb_mmap_size(); the same for every packet.
 */
unsigned long ktrace_rb_held_mmap_offset(struct ktrace_rb_buf *buf)
{
	return buf->chan->ring_size;
}
EXPORT_SYMBOL_GPL(ktrace_rb_held_mmap_offset);

/**
 * ktrace_rb_held_packet_info() - describe the held packet
 * @buf: the buffer.
 * @info: filled with what the packet's slot said when it was got: the
 *	same values subbuf_end() wrote into its header.
 *
 * Context: any; one reader per buffer at a time.
 * Return: 0, or -ENODATA if no packet is held.
 */
int ktrace_rb_held_packet_info(struct ktrace_rb_buf *buf,
			       struct ktrace_rb_packet_info *info)
{
	if (!test_bit(RB_READER_HELD, &buf->reader_flags))
		return -ENODATA;
	*info = buf->held_info;
	return 0;
}
EXPORT_SYMBOL_GPL(ktrace_rb_held_packet_info);

/**
 * ktrace_rb_packet_info() - describe a packet without getting it
 * @buf: the buffer.
 * @pos: the packet's position, a multiple of the sub-buffer size.
 * @info: filled on success with the values subbuf_end() wrote into the
 *	packet's header.
 *
 * Reads only the packet's slot, under the protocol of
 * ktrace_rb_get_subbuf(): nothing is copied, held or consumed, and it may
 * be called while the reader holds another packet. A packet described
 * here may be overwritten before it is got.
 *
 * Context: any; one reader per buffer at a time.
 * Return: 0 on success;
 * -EINVAL if @pos is not sub-buffer aligned;
 * -EAGAIN if the packet is still being written or committed, was
 * overwritten (or is older than the first packet), or was overwritten
 * while being described;
 * -ENODATA if the channel is finalized and nothing will come at @pos.
 */
int ktrace_rb_packet_info(struct ktrace_rb_buf *buf, unsigned long pos,
			  struct ktrace_rb_packet_info *info)
{
	struct ktrace_rb_packet_info tmp;
	int ret;

	if (rb_subbuf_offset(buf->chan, pos))
		return -EINVAL;
	ret = rb_check_delivered(buf, pos);
	if (ret)
		return ret;
	rb_slot_info(buf, pos, &tmp);
	if (!rb_slot_intact(buf, pos))
		return -EAGAIN;
	*info = tmp;
	return 0;
}
EXPORT_SYMBOL_GPL(ktrace_rb_packet_info);

/**
 * ktrace_rb_reader_open() - claim a buffer for one reader
 * @buf: the buffer.
 *
 * The reader functions assume one reader per buffer: the reader's copy
 * of a packet (and the mmap area's last sub-buffer) is per buffer. A
 * reader claims the buffer before its first get and releases it with
 * ktrace_rb_reader_close().
 *
 * Context: any.
 * Return: 0, or -EBUSY if another reader has it.
 */
int ktrace_rb_reader_open(struct ktrace_rb_buf *buf)
{
	if (test_and_set_bit_lock(RB_READER_OPEN, &buf->reader_flags))
		return -EBUSY;
	return 0;
}
EXPORT_SYMBOL_GPL(ktrace_rb_reader_open);

/**
 * ktrace_rb_reader_close() - release a buffer claimed with
 *	ktrace_rb_reader_open()
 * @buf: the buffer.
 *
 * Puts the held packet, if any, without consuming it.
 *
 * Context: any; by the reader that opened @buf.
 */
void ktrace_rb_reader_close(struct ktrace_rb_buf *buf)
{
	if (test_bit(RB_READER_HELD, &buf->reader_flags))
		ktrace_rb_put_subbuf(buf);
	clear_bit_unlock(RB_READER_OPEN, &buf->reader_flags);
}
EXPORT_SYMBOL_GPL(ktrace_rb_reader_close);

/* Is the packet at consumed closed and delivered? */
static bool rb_readable(struct ktrace_rb_buf *buf)
{
	const struct ktrace_rb_chan *chan = buf->chan;
	unsigned long consumed = atomic_long_read(&buf->consumed);
	unsigned long produced = rb_subbuf_trunc(chan,
						 local_read(&buf->offset));

	if (!rb_before(consumed, produced))
		return false;
	/* Pairs with smp_store_release() in rb_deliver(). */
	return smp_load_acquire(&rb_slot(buf, consumed)->delivered) ==
	       (consumed | 1);
}

/* The queue pollers of @buf wait on: see "Wakeups" in ringbuffer.c. */
static wait_queue_head_t *rb_poll_queue(struct ktrace_rb_buf *buf)
{
	return buf->chan->timer_wakeup ? &buf->timer_wait : &buf->read_wait;
}

/**
 * ktrace_rb_poll() - poll a buffer for the next packet to consume
 * @buf: the buffer.
 * @filp: the file being polled.
 * @wait: the poll table.
 *
 * Registers on the buffer's wait queue, which the commit that delivers a
 * packet (through irq_work) and ktrace_rb_finalize() wake; for a channel
 * with &ktrace_rb_config.timer_wakeup, ktrace_rb_wake_readers() and
 * ktrace_rb_finalize().
 *
 * Context: process context, as a file's poll operation.
 * Return: EPOLLIN | EPOLLRDNORM when the packet at the consumed position
 * is ready for ktrace_rb_get_next_subbuf(); otherwise EPOLLHUP when the
 * channel is finalized (nothing more will come); otherwise 0.
 */
__poll_t ktrace_rb_poll(struct ktrace_rb_buf *buf, struct file *filp,
			poll_table *wait)
{
	poll_wait(filp, rb_poll_queue(buf), wait);
	/*
	 * Pairs with smp_mb() in wq_has_sleeper() in rb_deliver() and in
	 * ktrace_rb_wake_readers().
	 */
	smp_mb();
	if (rb_readable(buf))
		return EPOLLIN | EPOLLRDNORM;
	/* Pairs with smp_store_release() in ktrace_rb_finalize(). */
	if (smp_load_acquire(&buf->chan->final_done))
		return EPOLLHUP;
	return 0;
}
EXPORT_SYMBOL_GPL(ktrace_rb_poll);

/**
 * ktrace_rb_wake_readers() - wake a buffer's pollers if a packet is ready
 * @buf: the buffer.
 *
 * What a read timer calls periodically for a channel with
 * &ktrace_rb_config.timer_wakeup, and what a stop calls after flushing,
 * for every channel: the pollers are woken when the packet at the
 * consumed position is delivered. A poller that queued itself before the
 * packet was delivered is woken by the next call.
 *
 * Context: process or softirq context (wake_up() of a wait queue).
 * Return: true if a packet was ready.
 */
bool ktrace_rb_wake_readers(struct ktrace_rb_buf *buf)
{
	if (!rb_readable(buf))
		return false;
	/* wq_has_sleeper(): smp_mb(), pairs with the one in ktrace_rb_poll(). */
	if (wq_has_sleeper(&buf->timer_wait))
		wake_up_all(&buf->timer_wait);
	if (wq_has_sleeper(&buf->read_wait))
		wake_up_all(&buf->read_wait);
	return true;
}
EXPORT_SYMBOL_GPL(ktrace_rb_wake_readers);

/**
 * ktrace_rb_clear() - discard what a buffer holds
 * @buf: the buffer.
 *
 * Closes the packet being written if it holds events (as
 * ktrace_rb_flush(@buf, false)), then moves the consumed position to the
 * produced one: every closed packet not yet consumed is dropped, whether
 * or not it is fully committed yet. Nothing is rewritten: positions and
 * packet sequence numbers go on, so readers see the dropped packets as a
 * gap, and a packet the reader holds stays as it is. The dropped events
 * are counted neither as read nor as overwritten. A racing
 * ktrace_rb_get_next_subbuf() either consumed its packet first (it keeps
 * it) or fails with -EAGAIN.
 *
 * Context: process context, may sleep (the flush takes the CPU hotplug
 * lock).
 */
void ktrace_rb_clear(struct ktrace_rb_buf *buf)
{
	const struct ktrace_rb_chan *chan = buf->chan;
	long old;
	unsigned long produced;

	rb_flush(buf, RB_FLUSH_ACTIVE);
	old = atomic_long_read(&buf->consumed);
	do {
		produced = rb_subbuf_trunc(chan, local_read(&buf->offset));
		if (!rb_before(old, produced))
			return;
		/* Fully ordered, against the cmpxchg of readers and writers. */
	} while (!atomic_long_try_cmpxchg(&buf->consumed, &old, produced));
}
EXPORT_SYMBOL_GPL(ktrace_rb_clear);
