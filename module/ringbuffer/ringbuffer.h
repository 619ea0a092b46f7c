/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktrace ring buffer: per-CPU buffers of sub-buffers (packets), lockless
 * writers, non-destructive readers. The whole public API is here; the
 * channel and per-CPU buffer structures are opaque.
 *
 * A channel has one buffer for every CPU that has been online since it was
 * made (ktrace_rb_buf() returns NULL for the others). A writer reserves room
 * for one event in the buffer of the CPU it runs on, fills it and commits
 * it. Each sub-buffer is one packet: the client's subbuf_begin() callback
 * writes the packet header when a sub-buffer is entered, and subbuf_end()
 * completes the packet context once every byte of the sub-buffer is
 * committed. The ring buffer knows nothing of what the packets contain.
 *
 * Positions are free-running byte counters (unsigned long) that wrap
 * around; compare them only through their signed difference.
 *
 * Compact timestamps: a client whose event headers may carry only the low
 * bits of the timestamp sets &ktrace_rb_config.ts_bits, and the reserve
 * tells it, in &ktrace_rb_ctx.full_ts, when an event must carry all 64.
 *
 * No WARN or BUG is reachable from userspace input or from timing
 * (machines run with panic_on_warn): whatever a caller passes, and however
 * writers, readers and flushes interleave, every function here answers
 * with its documented result or errno. Positions sampled while writers
 * run are made consistent (ktrace_rb_snapshot()), never asserted.
 */
#ifndef _KTRACE_RINGBUFFER_H
#define _KTRACE_RINGBUFFER_H

#include <linux/ktime.h>	/* before timekeeping.h, which 6.1 needs */
#include <linux/timekeeping.h>
#include <linux/types.h>

struct file;
struct page;
struct poll_table_struct;
struct ktrace_rb_chan;
struct ktrace_rb_buf;

/* Deepest nesting of writers on one CPU (task, softirq, irq, NMI). */
#define KTRACE_RB_MAX_NESTING	4

/**
 * enum ktrace_rb_mode - what a writer does when the buffer is full
 * @KTRACE_RB_DISCARD: drop the new event and count it.
 * @KTRACE_RB_OVERWRITE: reclaim the oldest sub-buffer (flight recorder)
 *	and count its events as overwritten.
 */
enum ktrace_rb_mode {
	KTRACE_RB_DISCARD,
	KTRACE_RB_OVERWRITE,
};

/**
 * struct ktrace_rb_packet_info - what subbuf_end() records in a packet
 * @ts_begin: clock when the sub-buffer was entered.
 * @ts_end: clock when the sub-buffer was closed.
 * @content_size: bytes used, from the start of the header to the end of
 *	the last event.
 * @packet_size: bytes of the packet, the sub-buffer size.
 * @seq: sequence number: sub-buffers produced on this CPU before this one,
 *	so a skipped or overwritten packet shows as a gap.
 * @events_discarded: events this CPU buffer dropped (all causes) up to the
 *	closing of this packet: a running count, never less than the packet
 *	before's.
 * @cpu: the CPU the buffer belongs to.
 */
struct ktrace_rb_packet_info {
	u64 ts_begin;
	u64 ts_end;
	unsigned long content_size;
	unsigned long packet_size;
	u64 seq;
	unsigned long events_discarded;
	unsigned int cpu;
};

/**
 * struct ktrace_rb_ops - client callbacks, both mandatory
 * @subbuf_begin: write the packet header (config header_size bytes) at
 *	@subbuf, which was entered at clock @ts. Runs in the writer's context
 *	(any context, including NMI): must not sleep, lock or allocate.
 * @subbuf_end: complete the header at @subbuf from @info once the packet is
 *	fully committed. Same context rules as @subbuf_begin. May run in a
 *	context nested inside the writer that called @subbuf_begin, but
 *	always after @subbuf_begin has returned.
 */
struct ktrace_rb_ops {
	void (*subbuf_begin)(void *priv, unsigned int cpu, void *subbuf,
			     u64 ts);
	void (*subbuf_end)(void *priv, unsigned int cpu, void *subbuf,
			   const struct ktrace_rb_packet_info *info);
};

/**
 * struct ktrace_rb_config - geometry and behaviour of a channel
 * @mode: full-buffer policy.
 * @subbuf_size: bytes per sub-buffer: a power of two, at least PAGE_SIZE.
 * @num_subbuf: sub-buffers per CPU: a power of two, at least 2.
 * @header_size: bytes subbuf_begin() writes; less than @subbuf_size.
 * @event_align: alignment of every event's start (power of two up to
 *	PAGE_SIZE; 0 means 1).
 * @ops: the packet callbacks.
 * @priv: passed to the callbacks, see also ktrace_rb_priv().
 * @start_pos: initial position, a multiple of @subbuf_size; 0 in normal
 *	use. Tests start just below the wrap point of the position counters.
 * @ts_bits: compact timestamps. 0: none, &ktrace_rb_ctx.full_ts is always
 *	false. 1 to 63: the client writes only the low @ts_bits bits of an
 *	event's timestamp, unless ktrace_rb_reserve() sets
 *	&ktrace_rb_ctx.full_ts; a reader rebuilds the timestamp from the
 *	previous one in the packet (the previous event's, or the packet's
 *	ts_begin for its first event), which is right as long as the delta is
 *	below 2^@ts_bits ns. See &ktrace_rb_ctx.full_ts for the guarantee.
 * @mem_limit: bytes that the buffers of every channel together may take,
 *	this one's included, for ktrace_rb_create() to succeed; 0 for no
 *	limit. See ktrace_rb_mem_bytes().
 * @timer_wakeup: writers do not wake pollers when they deliver a packet:
 *	the client calls ktrace_rb_wake_readers() periodically instead (a
 *	read timer), which saves writers a wakeup per packet.
 */
struct ktrace_rb_config {
	enum ktrace_rb_mode mode;
	unsigned long subbuf_size;
	unsigned int num_subbuf;
	unsigned int header_size;
	unsigned int event_align;
	const struct ktrace_rb_ops *ops;
	void *priv;
	unsigned long start_pos;
	unsigned int ts_bits;
	unsigned long mem_limit;
	bool timer_wakeup;
};

/**
 * struct ktrace_rb_ctx - one reserved event, on the writer's stack
 * @full_ts_extra: input, set by the caller before ktrace_rb_reserve():
 *	bytes the event takes in addition to the len argument when it must
 *	carry its full timestamp (the extended header). Ignored, so it may be
 *	left unset, when the channel's &ktrace_rb_config.ts_bits is 0.
 * @data: where the event's @len bytes go.
 * @len: bytes reserved at @data: the len argument of ktrace_rb_reserve(),
 *	plus @full_ts_extra when @full_ts is set.
 * @pos: position of @data in the buffer.
 * @ts: clock of the event, taken at reservation: events of one CPU are in
 *	position order and clock order.
 * @cpu: the CPU whose buffer holds the event.
 * @full_ts: the event must carry its full 64-bit timestamp (and has
 *	@full_ts_extra more bytes for it). Always false when
 *	&ktrace_rb_config.ts_bits is 0. Otherwise false only if @ts minus the
 *	timestamp of the previous event of the same packet (or minus the
 *	packet's ts_begin when this event is the first of its packet) is less
 *	than 2^ts_bits; it may be true more often than needed (e.g. after a
 *	nested writer), never less.
 * @buf: private to the ring buffer.
 * @commit_len: private to the ring buffer.
 */
struct ktrace_rb_ctx {
	size_t full_ts_extra;
	void *data;
	size_t len;
	unsigned long pos;
	u64 ts;
	unsigned int cpu;
	bool full_ts;
	struct ktrace_rb_buf *buf;
	unsigned long commit_len;
};

/**
 * struct ktrace_rb_counters - event accounting of one CPU buffer
 * @written: events committed.
 * @discarded_full: events dropped because the buffer was full (discard
 *	mode, or a sub-buffer still held by an interrupted writer).
 * @discarded_nesting: events dropped beyond KTRACE_RB_MAX_NESTING.
 * @discarded_oversize: events larger than a sub-buffer's payload (with
 *	&ktrace_rb_ctx.full_ts_extra when the channel has compact timestamps).
 * @discarded: sum of the three above.
 * @overwritten: committed events reclaimed by writers in overwrite mode
 *	before a reader consumed them.
 * @read: committed events of the packets a reader consumed with
 *	ktrace_rb_get_next_subbuf(); not those ktrace_rb_move_consumer()
 *	skipped, nor those ktrace_rb_get_subbuf() only copied.
 */
struct ktrace_rb_counters {
	u64 written;
	u64 discarded_full;
	u64 discarded_nesting;
	u64 discarded_oversize;
	u64 discarded;
	u64 overwritten;
	u64 read;
};

/**
 * ktrace_rb_clock() - the clock of every ring buffer timestamp
 *
 * Context: any, including NMI.
 * Return: monotonic time in nanoseconds.
 */
static inline u64 ktrace_rb_clock(void)
{
	return ktime_get_mono_fast_ns();
}

int ktrace_rb_init(void);
void ktrace_rb_exit(void);
struct ktrace_rb_chan *ktrace_rb_create(const struct ktrace_rb_config *cfg);
void ktrace_rb_destroy(struct ktrace_rb_chan *chan);
void ktrace_rb_finalize(struct ktrace_rb_chan *chan);
struct ktrace_rb_buf *ktrace_rb_buf(struct ktrace_rb_chan *chan,
				    unsigned int cpu);
void *ktrace_rb_priv(const struct ktrace_rb_chan *chan);
unsigned long ktrace_rb_subbuf_size(const struct ktrace_rb_chan *chan);
unsigned int ktrace_rb_num_subbuf(const struct ktrace_rb_chan *chan);
unsigned long ktrace_rb_mem_bytes(void);
unsigned long ktrace_rb_chan_mem_bytes(struct ktrace_rb_chan *chan);
unsigned int ktrace_rb_chan_nr_bufs(struct ktrace_rb_chan *chan);

/* Writer */
int ktrace_rb_reserve(struct ktrace_rb_chan *chan, struct ktrace_rb_ctx *ctx,
		      size_t len);
void ktrace_rb_commit(struct ktrace_rb_chan *chan,
		      const struct ktrace_rb_ctx *ctx);
void ktrace_rb_flush(struct ktrace_rb_buf *buf, bool empty_too);
bool ktrace_rb_has_open_events(struct ktrace_rb_buf *buf);

/* Reader */
int ktrace_rb_reader_open(struct ktrace_rb_buf *buf);
void ktrace_rb_reader_close(struct ktrace_rb_buf *buf);
void ktrace_rb_snapshot(struct ktrace_rb_buf *buf, unsigned long *consumed,
			unsigned long *produced);
int ktrace_rb_get_subbuf(struct ktrace_rb_buf *buf, unsigned long pos);
int ktrace_rb_put_subbuf(struct ktrace_rb_buf *buf);
int ktrace_rb_get_next_subbuf(struct ktrace_rb_buf *buf, unsigned long *pos);
int ktrace_rb_put_next_subbuf(struct ktrace_rb_buf *buf);
int ktrace_rb_move_consumer(struct ktrace_rb_buf *buf, unsigned long old,
			    unsigned long new);
const void *ktrace_rb_held_data(struct ktrace_rb_buf *buf);
struct page *ktrace_rb_held_page(struct ktrace_rb_buf *buf,
				 unsigned long offset);
unsigned long ktrace_rb_held_mmap_offset(struct ktrace_rb_buf *buf);
struct page *ktrace_rb_mmap_page(struct ktrace_rb_buf *buf,
				 unsigned long pgoff);
unsigned long ktrace_rb_mmap_size(const struct ktrace_rb_buf *buf);
int ktrace_rb_held_packet_info(struct ktrace_rb_buf *buf,
			       struct ktrace_rb_packet_info *info);
int ktrace_rb_packet_info(struct ktrace_rb_buf *buf, unsigned long pos,
			  struct ktrace_rb_packet_info *info);
__poll_t ktrace_rb_poll(struct ktrace_rb_buf *buf, struct file *filp,
			struct poll_table_struct *wait);
bool ktrace_rb_wake_readers(struct ktrace_rb_buf *buf);
void ktrace_rb_clear(struct ktrace_rb_buf *buf);
void ktrace_rb_get_counters(struct ktrace_rb_buf *buf,
			    struct ktrace_rb_counters *c);

#endif /* _KTRACE_RINGBUFFER_H */
