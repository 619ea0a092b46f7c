/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ring buffer's write fast path, inline: the reserve and the commit of
 * one event, for the writers that pay for a call on every event (the
 * probes, through module/core/record.h) and for write.c, whose exported
 * ktrace_rb_reserve() and ktrace_rb_commit() are these same functions.
 * The slow path (entering and closing sub-buffers) and the delivery of a
 * full packet stay out of line in write.c. The rules of write.c apply:
 * the design and the memory-barrier pairs are at the top of ringbuffer.c.
 *
 * Only module/ringbuffer and module/core/record.h include this.
 */
#ifndef _KTRACE_RINGBUFFER_RESERVE_H
#define _KTRACE_RINGBUFFER_RESERVE_H

#include <linux/align.h>
#include <linux/compiler.h>
#include <linux/smp.h>

#include "ringbuffer/ringbuffer_internal.h"

/* write.c: the reserve's slow path and the delivery of a full packet. */
int rb_reserve_slow(struct ktrace_rb_buf *buf, struct ktrace_rb_ctx *ctx,
		    size_t len, size_t extra);
void rb_deliver(struct ktrace_rb_buf *buf, struct rb_slot *slot,
		unsigned long sb);

/*
 * Must an event reserved at clock @ts carry its full timestamp? Called
 * inside the cmpxchg loop on offset: if the cmpxchg succeeds, no event was
 * reserved since we read offset, and last_ts is at most the clock of the
 * event before ours (see "Compact timestamps" at the top of ringbuffer.c).
 * A writer that we interrupted between its cmpxchg and its store of
 * last_ts left an older value there: we see a larger delta than the true
 * one and may choose full_ts for nothing, never the other way round. A
 * clock that went backwards gives a huge unsigned delta: full_ts too.
 */
static __always_inline bool rb_need_full_ts(const struct ktrace_rb_chan *chan,
					    struct ktrace_rb_buf *buf, u64 ts)
{
	return chan->ts_bits &&
	       ((ts - (u64)local64_read(&buf->last_ts)) >> chan->ts_bits);
}

/* Does an event from @o to @end stay strictly inside @o's sub-buffer? */
static __always_inline bool rb_fits(const struct ktrace_rb_chan *chan,
				    unsigned long o, unsigned long end)
{
	return rb_subbuf_offset(chan, o) &&
	       !((o ^ end) & ~chan->subbuf_mask);
}

/* Inline: every event's commit runs it. */
static __always_inline void rb_commit_slot(struct ktrace_rb_buf *buf,
					   struct rb_slot *slot,
					   unsigned long sb,
					   unsigned long len)
{
	unsigned long commit = local_add_return(len, &slot->commit);

	if (rb_slot_full(buf->chan, commit, sb))
		rb_deliver(buf, slot, sb);
}

/*
 * ktrace_rb_reserve_fast() - ktrace_rb_reserve(), inline, for a caller
 * that has disabled preemption already and keeps it disabled until the
 * commit: the probes do around their walk (module/probes/define_events.h),
 * so that a second disable here would be paid on every event for
 * nothing. See ktrace_rb_reserve() in write.c, which disables preemption
 * around it for its other callers.
 */
static __always_inline int ktrace_rb_reserve_fast(struct ktrace_rb_chan *chan,
						  struct ktrace_rb_ctx *ctx,
						  size_t len)
{
	struct ktrace_rb_buf *buf;
	unsigned long o, begin, end, size;
	size_t extra = 0;
	bool full;
	int ret;

	if (unlikely(READ_ONCE(chan->finalized)))
		return -ESHUTDOWN;
	buf = chan->bufs[smp_processor_id()];
	if (unlikely(local_inc_return(&buf->nesting) > KTRACE_RB_MAX_NESTING)) {
		local_inc(&buf->discarded_nesting);
		ret = -EDEADLK;
		goto out_unnest;
	}
	if (chan->ts_bits)
		extra = ctx->full_ts_extra;
	/* len <= max_event, then extra <= max_event - len: no overflow. */
	if (unlikely(len - 1 >= chan->max_event ||
		     extra > chan->max_event - len)) {
		if (!len) {
			ret = -EINVAL;
			goto out_unnest;
		}
		local_inc(&buf->discarded_oversize);
		ret = -EMSGSIZE;
		goto out_unnest;
	}

	do {
		o = local_read(&buf->offset);
		ctx->ts = ktrace_rb_clock();
		full = rb_need_full_ts(chan, buf, ctx->ts);
		size = full ? len + extra : len;
		begin = ALIGN(o, chan->event_align);
		end = begin + size;
		if (unlikely(!rb_fits(chan, o, end))) {
			ret = rb_reserve_slow(buf, ctx, len, extra);
			if (ret)
				goto out_unnest;
			goto out_fill;
		}
	} while (local_cmpxchg(&buf->offset, o, end) != o);
	/*
	 * A writer nested from here to the store sees the older last_ts:
	 * a larger delta, so at worst a full timestamp it did not need.
	 */
	local64_set(&buf->last_ts, ctx->ts);
	ctx->pos = begin;
	ctx->len = size;
	ctx->full_ts = full;
	ctx->commit_len = end - o;
out_fill:
	ctx->buf = buf;
	ctx->cpu = buf->cpu;
	ctx->data = rb_addr(buf, ctx->pos);
	return 0;

out_unnest:
	local_dec(&buf->nesting);
	return ret;
}

/*
 * ktrace_rb_commit_fast() - ktrace_rb_commit(), inline, with preemption
 * left disabled for the caller to enable (see ktrace_rb_reserve_fast()).
 */
static __always_inline void
ktrace_rb_commit_fast(struct ktrace_rb_chan *chan, const struct ktrace_rb_ctx *ctx)
{
	struct ktrace_rb_buf *buf = ctx->buf;
	unsigned long sb = rb_subbuf_trunc(chan, ctx->pos);
	struct rb_slot *slot = rb_slot(buf, sb);

	/* Counted before the bytes: the delivering commit reads them. */
	local_inc(&slot->records);
	local_inc(&buf->written);
	rb_commit_slot(buf, slot, sb, ctx->commit_len);
	local_dec(&buf->nesting);
}

#endif /* _KTRACE_RINGBUFFER_RESERVE_H */
