// SPDX-License-Identifier: GPL-2.0
/*
 * ktrace ring buffer: allocation, geometry and accessors.
 *
 * Layout of one per-CPU buffer (num_subbuf = 4):
 *
 *          ring: num_subbuf sub-buffers, one vmap              spare
 *  +--------------+--------------+--------------+--------------+ +--------+
 *  |hdr|ev|ev|pad |hdr|ev|ev|ev| |hdr|ev|ev     |hdr|ev|ev|pad | | copy of|
 *  +--------------+--------------+--------------+--------------+ | a held |
 *   slot 0         slot 1         slot 2  ^      slot 3          | packet |
 *                  ^ consumed             offset                 +--------+
 *
 *  mmap area (read-only): ring pages, then the spare's pages.
 *
 * Positions. offset (the writer's) and consumed (the reader's) are
 * free-running byte counters. The sub-buffer at position pos lives in slot
 * (pos >> subbuf_order) & (num_subbuf - 1); pos - ring_size is the same
 * slot one lap earlier. Positions are only compared by signed difference
 * (rb_before()), so they may wrap around.
 *
 * Writers (write.c). A writer moves offset with local_cmpxchg() on its own
 * CPU, so nested contexts (irq, NMI) simply retry. An event never spans
 * sub-buffers: if it does not fit, the same cmpxchg pads the rest of the
 * current sub-buffer (closing it) and enters the next one. Offset sitting
 * exactly on a sub-buffer boundary means that the sub-buffer before it is
 * closed and the next one not yet entered. Entering the sub-buffer at sb
 * requires the previous lap of its slot (sb - ring_size) to be delivered
 * (else an interrupted writer still owns it: the event is dropped) and,
 * in discard mode, consumed to be past that previous lap. In overwrite
 * mode the writer instead pushes consumed past it with a cmpxchg and, only
 * if its cmpxchg won, counts that packet's events as overwritten.
 *
 * Compact timestamps (ts_bits != 0). The client writes only the low
 * ts_bits bits of an event's timestamp; a reader rebuilds it from the
 * previous event of the packet, or from ts_begin for the first event, so
 * the delta must stay below 2^ts_bits. last_ts holds the clock of the last
 * reservation, stored after its cmpxchg, and of the last packet opened
 * (rb_open(), flushes too). Inside the cmpxchg loop a writer takes
 * full_ts = (ts - last_ts) >> ts_bits != 0 and sizes its event with
 * full_ts_extra more bytes if so: the cmpxchg only succeeds if no other
 * reservation came in between, so the event before ours is the last one
 * reserved. An event that enters a sub-buffer is its first one, its ts is
 * the packet's ts_begin (delta 0): it never needs full_ts. The choice can
 * only err towards full_ts: last_ts is never newer than the event before
 * ours. A nested writer that interrupts another between its cmpxchg and
 * its store of last_ts reads an older last_ts (a larger delta); the
 * interrupted writer then stores a ts older than the nested event's, so
 * the next event also sees a larger delta than the true one.
 *
 * Commit. Every byte of a sub-buffer is committed exactly once: the header
 * by the writer that entered it, each event (with its alignment padding)
 * by its writer, the closing padding by the writer that closed it. The
 * per-slot commit counter accumulates over laps (rb_slot_full()); the
 * commit that fills it "delivers" the packet: subbuf_end() completes the
 * header, then a release store publishes delivered = sb | 1. As the next
 * lap cannot be entered before that, packets of a slot are delivered in
 * order, and no byte of the next lap can be committed early.
 *
 * Readers (read.c): copy on get. get_subbuf(pos) checks that pos is
 * delivered (acquire, pairs with the release above) and that the writer
 * has not entered the slot's next lap (offset not past pos + ring_size),
 * copies the sub-buffer into the reader's private spare, then re-reads
 * offset after smp_rmb(). A writer entering a slot stores offset, then
 * smp_wmb(), then writes the slot. So if the copy read a single byte
 * written in the next lap, the re-read sees offset past pos + ring_size and
 * the get fails with -EAGAIN; otherwise the copy is exactly the delivered
 * packet. The writer never waits for the reader, the reader keeps its
 * copy, unchanged, until put_subbuf(), and reading never alters the ring,
 * so two gets of the same pos give the same bytes. The slot's packet
 * state (times, content end, discarded count) is read under the same
 * protocol, by get_subbuf() for the held packet and by packet_info() to
 * describe a packet without copying it. One reader at a time: a reader
 * claims the buffer with reader_open().
 *
 * Wakeups. Pollers wait on read_wait. Writers may run in NMI, so the
 * delivering commit does not call wake_up() but queues an irq_work, and
 * only when the queue has a sleeper; finalize wakes the pollers directly.
 *
 * Accounting. A packet leaves the buffer through exactly one cmpxchg on
 * consumed that moves consumed past it: the reader's (get_next_subbuf()
 * once its copy is intact, move_consumer(): the events count as read) or
 * an overwriting writer's (they count as overwritten). The loser learns
 * it: the writer sees consumed already past, the reader gets -EAGAIN
 * (get_next_subbuf()) or -ESTALE (move_consumer()). So for every CPU,
 * written = read + overwritten + still in the buffer, and events offered
 * to reserve = written + discarded.
 *
 * Memory barriers and their pairs:
 *  - smp_wmb() after entering a slot in rb_open()     <-> smp_rmb() before
 *    re-reading offset in rb_slot_intact() (get_subbuf, packet_info);
 *  - smp_store_release(&slot->delivered) in rb_deliver() <->
 *    smp_load_acquire(&slot->delivered) in rb_check_delivered() and
 *    rb_readable();
 *  - smp_store_release(&chan->final_done) in ktrace_rb_finalize() <->
 *    smp_load_acquire(&chan->final_done) in rb_check_delivered() and
 *    ktrace_rb_poll();
 *  - smp_mb() in wq_has_sleeper() after delivering in rb_deliver() <->
 *    smp_mb() between poll_wait() and rb_readable() in ktrace_rb_poll():
 *    either the writer sees the poller queued, or the poller sees the
 *    packet delivered;
 *  - cmpxchg on consumed is fully ordered on both sides; in discard mode
 *    the writer's read of consumed orders its later stores into the slot
 *    by control dependency (the reader's copy is complete by then anyway).
 * Writer-only state (offset, commit, records, packet state, last_ts) is
 * shared only with contexts nested on the same CPU, where program order
 * suffices.
 */
#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/gfp.h>
#include <linux/irq_work.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/topology.h>
#include <linux/vmalloc.h>
#include <linux/wait.h>

#include "ringbuffer/ringbuffer_internal.h"

static int rb_check_config(const struct ktrace_rb_config *cfg)
{
	unsigned int align = cfg->event_align ? cfg->event_align : 1;

	if (cfg->mode != KTRACE_RB_DISCARD && cfg->mode != KTRACE_RB_OVERWRITE)
		return -EINVAL;
	if (!cfg->ops || !cfg->ops->subbuf_begin || !cfg->ops->subbuf_end)
		return -EINVAL;
	if (!is_power_of_2(cfg->subbuf_size) || cfg->subbuf_size < PAGE_SIZE)
		return -EINVAL;
	if (!is_power_of_2(cfg->num_subbuf) || cfg->num_subbuf < 2)
		return -EINVAL;
	/* Signed position differences must cover the ring many times over. */
	if (ilog2(cfg->subbuf_size) + ilog2(cfg->num_subbuf) > BITS_PER_LONG - 4)
		return -EINVAL;
	if (cfg->header_size >= cfg->subbuf_size)
		return -EINVAL;
	if (!is_power_of_2(align) || align > PAGE_SIZE)
		return -EINVAL;
	/* Room for at least one byte of event after the header. */
	if (ALIGN(cfg->header_size, align) >= cfg->subbuf_size)
		return -EINVAL;
	if (cfg->start_pos & (cfg->subbuf_size - 1))
		return -EINVAL;
	if (cfg->ts_bits > 63)
		return -EINVAL;
	return 0;
}

/* Positions start, start + subbuf_size, ... each in its own slot. */
static void rb_buf_reset(struct ktrace_rb_buf *buf)
{
	struct ktrace_rb_chan *chan = buf->chan;
	unsigned long sb = chan->start;
	unsigned int i;

	local_set(&buf->offset, sb);
	atomic_long_set(&buf->consumed, sb);
	for (i = 0; i < chan->num_subbuf; i++, sb += chan->subbuf_size) {
		struct rb_slot *slot = rb_slot(buf, sb);

		local_set(&slot->commit, rb_commit_base(chan, sb));
		/* The lap before the first one counts as delivered. */
		slot->delivered = (sb - chan->ring_size) | 1;
	}
}

/* Queued by rb_deliver() when the buffer has pollers. */
static void rb_wakeup(struct irq_work *work)
{
	struct ktrace_rb_buf *buf = container_of(work, struct ktrace_rb_buf,
						 wakeup);

	wake_up_all(&buf->read_wait);
}

static void rb_buf_free(struct ktrace_rb_buf *buf)
{
	unsigned long i;

	/* The last writers may have queued a wakeup. */
	irq_work_sync(&buf->wakeup);
	kvfree(buf->slots);
	vunmap(buf->spare);
	vunmap(buf->ring);
	for (i = 0; i < buf->nr_pages; i++)
		__free_page(buf->pages[i]);
	kvfree(buf->pages);
	kfree(buf);
}

static struct ktrace_rb_buf *rb_buf_alloc(struct ktrace_rb_chan *chan,
					  unsigned int cpu)
{
	const gfp_t gfp = GFP_KERNEL | __GFP_RETRY_MAYFAIL | __GFP_NOWARN;
	unsigned long ring_pages = chan->ring_size >> PAGE_SHIFT;
	unsigned long spare_pages = chan->subbuf_size >> PAGE_SHIFT;
	int node = cpu_to_node(cpu);
	struct ktrace_rb_buf *buf;
	unsigned long i;

	buf = kzalloc_node(sizeof(*buf), GFP_KERNEL, node);
	if (!buf)
		return ERR_PTR(-ENOMEM);
	buf->chan = chan;
	buf->cpu = cpu;
	init_waitqueue_head(&buf->read_wait);
	init_irq_work(&buf->wakeup, rb_wakeup);
	if (ring_pages + spare_pages > totalram_pages())
		goto out_free_buf;
	buf->pages = kvcalloc(ring_pages + spare_pages, sizeof(*buf->pages),
			      gfp);
	if (!buf->pages)
		goto out_free_buf;
	for (i = 0; i < ring_pages + spare_pages; i++) {
		buf->pages[i] = alloc_pages_node(node, gfp | __GFP_ZERO, 0);
		if (!buf->pages[i])
			goto out_free_pages;
	}
	buf->ring = vmap(buf->pages, ring_pages, VM_MAP, PAGE_KERNEL);
	if (!buf->ring)
		goto out_free_pages;
	buf->spare = vmap(buf->pages + ring_pages, spare_pages, VM_MAP,
			  PAGE_KERNEL);
	if (!buf->spare)
		goto out_unmap_ring;
	buf->slots = kvzalloc_node(array_size(chan->num_subbuf,
					      sizeof(*buf->slots)), gfp, node);
	if (!buf->slots)
		goto out_unmap_spare;
	buf->nr_pages = ring_pages + spare_pages;
	rb_buf_reset(buf);
	return buf;

out_unmap_spare:
	vunmap(buf->spare);
out_unmap_ring:
	vunmap(buf->ring);
out_free_pages:
	while (i--)
		__free_page(buf->pages[i]);
	kvfree(buf->pages);
out_free_buf:
	kfree(buf);
	return ERR_PTR(-ENOMEM);
}

static void rb_free_bufs(struct ktrace_rb_chan *chan)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		if (chan->bufs[cpu])
			rb_buf_free(chan->bufs[cpu]);
}

/**
 * ktrace_rb_create() - allocate a channel: one buffer per possible CPU
 * @cfg: geometry, mode and client callbacks; copied, need not outlive the
 *	call (but @cfg->ops and @cfg->priv must outlive the channel).
 *
 * Context: process context, may sleep.
 * Return: the channel, or ERR_PTR(-EINVAL) for a bad configuration (see
 * struct ktrace_rb_config), ERR_PTR(-ENOMEM) when memory runs out.
 */
struct ktrace_rb_chan *ktrace_rb_create(const struct ktrace_rb_config *cfg)
{
	struct ktrace_rb_chan *chan;
	unsigned int cpu;
	int ret;

	ret = rb_check_config(cfg);
	if (ret)
		return ERR_PTR(ret);
	chan = kzalloc(struct_size(chan, bufs, nr_cpu_ids), GFP_KERNEL);
	if (!chan)
		return ERR_PTR(-ENOMEM);
	chan->mode = cfg->mode;
	chan->subbuf_size = cfg->subbuf_size;
	chan->subbuf_mask = cfg->subbuf_size - 1;
	chan->subbuf_order = ilog2(cfg->subbuf_size);
	chan->num_subbuf = cfg->num_subbuf;
	chan->num_subbuf_order = ilog2(cfg->num_subbuf);
	chan->ring_size = cfg->subbuf_size * cfg->num_subbuf;
	chan->commit_mask = ULONG_MAX >> chan->num_subbuf_order;
	chan->header_size = cfg->header_size;
	chan->event_align = cfg->event_align ? cfg->event_align : 1;
	chan->ts_bits = cfg->ts_bits;
	chan->max_event = cfg->subbuf_size - ALIGN(cfg->header_size,
						   chan->event_align);
	chan->ops = cfg->ops;
	chan->priv = cfg->priv;
	chan->start = cfg->start_pos;

	for_each_possible_cpu(cpu) {
		struct ktrace_rb_buf *buf = rb_buf_alloc(chan, cpu);

		if (IS_ERR(buf)) {
			ret = PTR_ERR(buf);
			goto out_free_bufs;
		}
		chan->bufs[cpu] = buf;
	}
	return chan;

out_free_bufs:
	rb_free_bufs(chan);
	kfree(chan);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_GPL(ktrace_rb_create);

/**
 * ktrace_rb_destroy() - free a channel
 * @chan: the channel, or NULL.
 *
 * Writers may still be calling ktrace_rb_reserve() (they get -ESHUTDOWN);
 * events already reserved are committed before the memory goes. No reader
 * may have a buffer open (ktrace_rb_reader_open()) or be polling one.
 *
 * Context: process context, may sleep.
 */
void ktrace_rb_destroy(struct ktrace_rb_chan *chan)
{
	if (!chan)
		return;
	WRITE_ONCE(chan->finalized, true);
	/* Reserve to commit runs with preemption off: wait for them all. */
	synchronize_rcu();
	rb_free_bufs(chan);
	kfree(chan);
}
EXPORT_SYMBOL_GPL(ktrace_rb_destroy);

/**
 * ktrace_rb_finalize() - stop writing for good and close the last packets
 * @chan: the channel.
 *
 * Afterwards ktrace_rb_reserve() fails with -ESHUTDOWN, every committed
 * event is in a delivered packet, and getting a sub-buffer at or past the
 * end fails with -ENODATA. Pollers are woken (ktrace_rb_poll() reports
 * EPOLLHUP once the data is consumed). Calling it again does nothing.
 *
 * Context: process context, may sleep; callers serialise finalize and
 * destroy of a channel (flushes may run concurrently).
 */
void ktrace_rb_finalize(struct ktrace_rb_chan *chan)
{
	unsigned int cpu;

	if (READ_ONCE(chan->final_done))
		return;
	WRITE_ONCE(chan->finalized, true);
	/* Reserve to commit runs with preemption off: wait for them all. */
	synchronize_rcu();
	for_each_possible_cpu(cpu)
		rb_flush(chan->bufs[cpu], RB_FLUSH_FINAL);
	/*
	 * Pairs with smp_load_acquire() in rb_check_delivered() and
	 * ktrace_rb_poll(); the wait queue lock orders it before the pollers'
	 * next look.
	 */
	smp_store_release(&chan->final_done, true);
	for_each_possible_cpu(cpu)
		wake_up_all(&chan->bufs[cpu]->read_wait);
}
EXPORT_SYMBOL_GPL(ktrace_rb_finalize);

/**
 * ktrace_rb_buf() - the buffer of one CPU
 * @chan: the channel.
 * @cpu: a possible CPU.
 *
 * Context: any.
 * Return: the buffer, or NULL if @cpu is not a possible CPU.
 */
struct ktrace_rb_buf *ktrace_rb_buf(struct ktrace_rb_chan *chan,
				    unsigned int cpu)
{
	if (cpu >= nr_cpu_ids)
		return NULL;
	return chan->bufs[cpu];
}
EXPORT_SYMBOL_GPL(ktrace_rb_buf);

/**
 * ktrace_rb_priv() - the client's private pointer given at creation
 * @chan: the channel.
 *
 * Context: any.
 * Return: &ktrace_rb_config.priv.
 */
void *ktrace_rb_priv(const struct ktrace_rb_chan *chan)
{
	return chan->priv;
}
EXPORT_SYMBOL_GPL(ktrace_rb_priv);

/**
 * ktrace_rb_subbuf_size() - bytes per sub-buffer
 * @chan: the channel.
 *
 * Context: any.
 * Return: &ktrace_rb_config.subbuf_size.
 */
unsigned long ktrace_rb_subbuf_size(const struct ktrace_rb_chan *chan)
{
	return chan->subbuf_size;
}
EXPORT_SYMBOL_GPL(ktrace_rb_subbuf_size);

/**
 * ktrace_rb_num_subbuf() - sub-buffers per CPU buffer
 * @chan: the channel.
 *
 * Context: any.
 * Return: &ktrace_rb_config.num_subbuf.
 */
unsigned int ktrace_rb_num_subbuf(const struct ktrace_rb_chan *chan)
{
	return chan->num_subbuf;
}
EXPORT_SYMBOL_GPL(ktrace_rb_num_subbuf);

/**
 * ktrace_rb_mmap_size() - bytes of a buffer's read-only mmap area
 * @buf: the buffer.
 *
 * The area is the ring's sub-buffers in slot order, then the reader's
 * sub-buffer (see ktrace_rb_held_mmap_offset()).
 *
 * Context: any.
 * Return: the size in bytes, a multiple of PAGE_SIZE.
 */
unsigned long ktrace_rb_mmap_size(const struct ktrace_rb_buf *buf)
{
	return buf->nr_pages << PAGE_SHIFT;
}
EXPORT_SYMBOL_GPL(ktrace_rb_mmap_size);

/**
 * ktrace_rb_mmap_page() - the page backing one page of the mmap area
 * @buf: the buffer.
 * @pgoff: page index in the area.
 *
 * Context: any.
 * Return: the page, or NULL if @pgoff is beyond the area.
 */
struct page *ktrace_rb_mmap_page(struct ktrace_rb_buf *buf,
				 unsigned long pgoff)
{
	if (pgoff >= buf->nr_pages)
		return NULL;
	return buf->pages[pgoff];
}
EXPORT_SYMBOL_GPL(ktrace_rb_mmap_page);

/**
 * ktrace_rb_get_counters() - read a buffer's event accounting
 * @buf: the buffer.
 * @c: filled with the counters.
 *
 * Writers may be running: each counter is read once, the set is not a
 * snapshot of one instant.
 *
 * Context: any.
 */
void ktrace_rb_get_counters(struct ktrace_rb_buf *buf,
			    struct ktrace_rb_counters *c)
{
	c->written = local_read(&buf->written);
	c->overwritten = local_read(&buf->overwritten);
	c->discarded_full = local_read(&buf->discarded_full);
	c->discarded_nesting = local_read(&buf->discarded_nesting);
	c->discarded_oversize = local_read(&buf->discarded_oversize);
	c->discarded = c->discarded_full + c->discarded_nesting +
		       c->discarded_oversize;
}
EXPORT_SYMBOL_GPL(ktrace_rb_get_counters);
