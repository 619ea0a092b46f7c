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
 * A channel with timer_wakeup (a read timer) has its pollers wait on
 * timer_wait instead, which writers never look at: the client's timer
 * calls ktrace_rb_wake_readers(), which wakes them if a packet is ready.
 *
 * Accounting. A packet leaves the buffer through exactly one cmpxchg on
 * consumed that moves consumed past it: the reader's (get_next_subbuf()
 * once its copy is intact, move_consumer(): the events count as read) or
 * an overwriting writer's (they count as overwritten). The loser learns
 * it: the writer sees consumed already past, the reader gets -EAGAIN
 * (get_next_subbuf()) or -ESTALE (move_consumer()). So for every CPU,
 * written = read + overwritten + still in the buffer, and events offered
 * to reserve = written + discarded. get_next_subbuf() adds the events of
 * the packet it consumed to the buffer's events_read (the counters' read);
 * move_consumer() adds nothing there.
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
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
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

/*
 * Pages of every buffer of every channel (ring and spare), what
 * ktrace_rb_config.mem_limit bounds. A channel charges its buffers before
 * allocating them, so that a request over the limit fails at once and
 * concurrent creations cannot pass it together; a buffer uncharges its
 * pages when it is freed.
 */
static atomic_long_t rb_mem_pages = ATOMIC_LONG_INIT(0);

/* Charges @pages unless the total would pass @limit_pages (0: no limit). */
static bool rb_mem_charge(unsigned long pages, unsigned long limit_pages)
{
	long old = atomic_long_read(&rb_mem_pages);

	do {
		if (limit_pages && (pages > limit_pages ||
				    old > limit_pages - pages))
			return false;
	} while (!atomic_long_try_cmpxchg(&rb_mem_pages, &old, old + pages));
	return true;
}

static void rb_mem_uncharge(unsigned long pages)
{
	atomic_long_sub(pages, &rb_mem_pages);
}

/* Pages of one buffer of @chan: its ring and the reader's spare. */
static unsigned long rb_buf_pages(const struct ktrace_rb_chan *chan)
{
	return (chan->ring_size + chan->subbuf_size) >> PAGE_SHIFT;
}

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
	rb_mem_uncharge(buf->nr_pages);
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
	unsigned long spare_pages = rb_buf_pages(chan) - ring_pages;
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
	init_waitqueue_head(&buf->timer_wait);
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

/*
 * CPU hotplug. A channel allocates buffers for the CPUs online when it is
 * made, and for each CPU that comes online later in the prepare stage of
 * its bring-up, on the control CPU, before the new CPU runs anything: so
 * every CPU that can run a writer has its buffer (write.c relies on it),
 * as the kernel's trace ring buffer does (trace_rb_cpu_prepare()). A CPU
 * that goes offline keeps its buffer and its data; possible CPUs that are
 * never online cost nothing. A failed allocation fails the CPU's bring-up.
 */
static enum cpuhp_state rb_cpuhp_state;

static void rb_buf_publish(struct ktrace_rb_chan *chan, unsigned int cpu,
			   struct ktrace_rb_buf *buf)
{
	/* A reader sees it initialised: pairs with ktrace_rb_buf()'s acquire. */
	smp_store_release(&chan->bufs[cpu], buf);
}

static int rb_cpu_prepare(unsigned int cpu, struct hlist_node *node)
{
	struct ktrace_rb_chan *chan = hlist_entry(node, struct ktrace_rb_chan,
						  cpuhp_node);
	struct ktrace_rb_buf *buf;

	/* Back online with its data; or finalized, never written again. */
	if (chan->bufs[cpu] || READ_ONCE(chan->finalized))
		return 0;
	buf = rb_buf_alloc(chan, cpu);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	/* Past max_buffer_mib maybe: a CPU's bring-up is never refused for it. */
	rb_mem_charge(buf->nr_pages, 0);
	rb_buf_publish(chan, cpu, buf);
	return 0;
}

/**
 * ktrace_rb_init() - set up the CPU hotplug state of every channel
 *
 * Context: module init, may sleep.
 * Return: 0, or the errno of cpuhp_setup_state_multi().
 */
int ktrace_rb_init(void)
{
	int ret = cpuhp_setup_state_multi(CPUHP_BP_PREPARE_DYN,
					  "ktrace/ringbuffer:prepare",
					  rb_cpu_prepare, NULL);

	if (ret < 0)
		return ret;
	rb_cpuhp_state = ret;
	return 0;
}

/**
 * ktrace_rb_exit() - remove the CPU hotplug state
 *
 * Every channel must be destroyed first.
 *
 * Context: module exit, may sleep.
 */
void ktrace_rb_exit(void)
{
	cpuhp_remove_multi_state(rb_cpuhp_state);
}

/**
 * ktrace_rb_create() - allocate a channel: a buffer per online CPU
 * @cfg: geometry, mode, memory limit and client callbacks; copied, need
 *	not outlive the call (but @cfg->ops and @cfg->priv must outlive the
 *	channel).
 *
 * CPUs that come online later get their buffer then; see ktrace_rb_buf().
 * Needs ktrace_rb_init().
 *
 * Context: process context, may sleep; takes the CPU hotplug lock.
 * Return: the channel, or ERR_PTR(-EINVAL) for a bad configuration (see
 * struct ktrace_rb_config), ERR_PTR(-ENOMEM) when one buffer is larger
 * than the machine's memory or memory runs out, ERR_PTR(-ENOSPC) when the
 * buffers would take the total past @cfg->mem_limit.
 */
struct ktrace_rb_chan *ktrace_rb_create(const struct ktrace_rb_config *cfg)
{
	struct ktrace_rb_chan *chan;
	unsigned long pages, left;
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
	chan->timer_wakeup = cfg->timer_wakeup;
	chan->max_event = cfg->subbuf_size - ALIGN(cfg->header_size,
						   chan->event_align);
	chan->ops = cfg->ops;
	chan->priv = cfg->priv;
	chan->start = cfg->start_pos;

	pages = rb_buf_pages(chan);
	if (pages > totalram_pages()) {
		ret = -ENOMEM;
		goto out_free_chan;
	}
	/*
	 * In the hotplug state first: a CPU coming online from now on gets
	 * its buffer from rb_cpu_prepare(). Then, with hotplug held off, the
	 * CPUs online already and still without one.
	 */
	ret = cpuhp_state_add_instance_nocalls(rb_cpuhp_state,
					       &chan->cpuhp_node);
	if (ret)
		goto out_free_chan;
	cpus_read_lock();
	left = 0;
	for_each_online_cpu(cpu)
		if (!chan->bufs[cpu])
			left += pages;
	if (!rb_mem_charge(left, cfg->mem_limit >> PAGE_SHIFT)) {
		left = 0;
		ret = -ENOSPC;
		goto out_free_bufs;
	}
	for_each_online_cpu(cpu) {
		struct ktrace_rb_buf *buf;

		if (chan->bufs[cpu])
			continue;
		buf = rb_buf_alloc(chan, cpu);
		if (IS_ERR(buf)) {
			ret = PTR_ERR(buf);
			goto out_free_bufs;
		}
		rb_buf_publish(chan, cpu, buf);
		left -= pages;
	}
	cpus_read_unlock();
	return chan;

out_free_bufs:
	cpus_read_unlock();
	cpuhp_state_remove_instance_nocalls(rb_cpuhp_state, &chan->cpuhp_node);
	/* What was charged and not allocated; buffers uncharge their own. */
	rb_mem_uncharge(left);
	rb_free_bufs(chan);
out_free_chan:
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
	/* No buffer is added once this returns. */
	cpuhp_state_remove_instance_nocalls(rb_cpuhp_state, &chan->cpuhp_node);
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
	struct ktrace_rb_buf *buf;
	unsigned int cpu;

	if (READ_ONCE(chan->final_done))
		return;
	WRITE_ONCE(chan->finalized, true);
	/* Reserve to commit runs with preemption off: wait for them all. */
	synchronize_rcu();
	for_each_possible_cpu(cpu) {
		buf = ktrace_rb_buf(chan, cpu);
		if (buf)
			rb_flush(buf, RB_FLUSH_FINAL);
	}
	/*
	 * Pairs with smp_load_acquire() in rb_check_delivered() and
	 * ktrace_rb_poll(); the wait queue lock orders it before the pollers'
	 * next look.
	 */
	smp_store_release(&chan->final_done, true);
	for_each_possible_cpu(cpu) {
		buf = ktrace_rb_buf(chan, cpu);
		if (buf) {
			wake_up_all(&buf->read_wait);
			wake_up_all(&buf->timer_wait);
		}
	}
}
EXPORT_SYMBOL_GPL(ktrace_rb_finalize);

/**
 * ktrace_rb_buf() - the buffer of one CPU
 * @chan: the channel.
 * @cpu: a possible CPU.
 *
 * A CPU has a buffer once it has been online since the channel was made:
 * it keeps it when it goes offline.
 *
 * Context: any.
 * Return: the buffer, or NULL if @cpu is not a possible CPU or has not
 * been online since the channel was made.
 */
struct ktrace_rb_buf *ktrace_rb_buf(struct ktrace_rb_chan *chan,
				    unsigned int cpu)
{
	if (cpu >= nr_cpu_ids)
		return NULL;
	/* Pairs with smp_store_release() in rb_buf_publish(). */
	return smp_load_acquire(&chan->bufs[cpu]);
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
 * ktrace_rb_mem_bytes() - memory the buffers of every channel take
 *
 * Context: any.
 * Return: bytes of ring and reader pages allocated and not yet freed, what
 * &ktrace_rb_config.mem_limit bounds.
 */
unsigned long ktrace_rb_mem_bytes(void)
{
	return atomic_long_read(&rb_mem_pages) << PAGE_SHIFT;
}
EXPORT_SYMBOL_GPL(ktrace_rb_mem_bytes);

/**
 * ktrace_rb_chan_mem_bytes() - memory the buffers of one channel take
 * @chan: the channel.
 *
 * Context: any.
 * Return: bytes of ring and reader pages of its buffers.
 */
unsigned long ktrace_rb_chan_mem_bytes(struct ktrace_rb_chan *chan)
{
	return (unsigned long)ktrace_rb_chan_nr_bufs(chan) * rb_buf_pages(chan)
	       << PAGE_SHIFT;
}
EXPORT_SYMBOL_GPL(ktrace_rb_chan_mem_bytes);

/**
 * ktrace_rb_chan_nr_bufs() - how many CPUs have a buffer in a channel
 * @chan: the channel.
 *
 * Context: any.
 * Return: the number of buffers.
 */
unsigned int ktrace_rb_chan_nr_bufs(struct ktrace_rb_chan *chan)
{
	unsigned int cpu, n = 0;

	for_each_possible_cpu(cpu)
		if (ktrace_rb_buf(chan, cpu))
			n++;
	return n;
}
EXPORT_SYMBOL_GPL(ktrace_rb_chan_nr_bufs);

/**
 * ktrace_rb_has_open_events() - whether a buffer's open packet holds events
 * @buf: the buffer, of any CPU.
 *
 * A racy look at the writer's position, for periodic flushes to leave
 * alone the CPUs that have nothing to flush: an event reserved just after
 * is found by the next look.
 *
 * Context: any.
 * Return: true if a sub-buffer is open and an event was reserved in it.
 */
bool ktrace_rb_has_open_events(struct ktrace_rb_buf *buf)
{
	const struct ktrace_rb_chan *chan = buf->chan;
	unsigned long off = rb_subbuf_offset(chan, local_read(&buf->offset));

	return off > ALIGN(chan->header_size, chan->event_align);
}
EXPORT_SYMBOL_GPL(ktrace_rb_has_open_events);

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
	c->read = atomic_long_read(&buf->events_read);
	c->discarded_full = local_read(&buf->discarded_full);
	c->discarded_nesting = local_read(&buf->discarded_nesting);
	c->discarded_oversize = local_read(&buf->discarded_oversize);
	c->discarded = c->discarded_full + c->discarded_nesting +
		       c->discarded_oversize;
}
EXPORT_SYMBOL_GPL(ktrace_rb_get_counters);
