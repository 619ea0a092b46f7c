/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The probes' fast path into module/core: ktrace_record_begin() and
 * ktrace_record_end(), always inlined into each probe function
 * (module/probes/define_events.h), with ktrace_record_write() of event.h,
 * and through them the ring buffer's reserve and commit
 * (ringbuffer/reserve.h).
 *
 * The record path used to be a call from the probe to event.c, which
 * called the ring buffer's reserve, which called the clock, and a call to
 * the commit; inlining them saves their prologues, epilogues and spills
 * on every event (docs/PERFORMANCE.md). It needs the channel's layout, so
 * this header includes core_internal.h: module/probes may include it, and
 * only read, through these inline functions, the fields that probes
 * already read locklessly (ktrace_event.enabled, ktrace_session.state)
 * or that are fixed before the session's first start (the channel's
 * ring buffer and contexts). Nothing else outside module/core includes it
 * (docs/DESIGN.md, Layers).
 */
#ifndef _KTRACE_CORE_RECORD_H
#define _KTRACE_CORE_RECORD_H

#include <linux/compiler.h>
#include <asm/barrier.h>

#include "core/core_internal.h"
#include "core/event.h"
#include "ringbuffer/reserve.h"

/**
 * ktrace_record_begin() - start writing one event into its channel
 * @ev: the event, as linked into its probe's list.
 * @r: on the caller's stack; filled in.
 * @payload_len: bytes of the event's fields.
 * @payload: set to where the payload goes, when this returns true.
 *
 * Writes the event header and the channel's contexts. The caller writes
 * exactly @payload_len bytes with ktrace_record_write() from *@payload,
 * then calls ktrace_record_end(). Nothing is written when the event is
 * disabled, the session is not active, or the ring buffer refuses the
 * event (which it counts as discarded).
 *
 * Context: a probe, in any context including NMI, with preemption
 * disabled until ktrace_record_end() (define_events.h disables it around
 * the walk; the ring buffer's fast path does not disable it again).
 * Never sleeps.
 * Return: true if the caller must write the payload and end the record.
 */
static __always_inline bool ktrace_record_begin(struct ktrace_event *ev,
						struct ktrace_record *r,
						size_t payload_len,
						char **payload)
{
	const struct ktrace_channel *c = ev->chan;
	bool compact = ev->id < KTRACE_CTF_EXTENDED_ID;
	size_t header = compact ? KTRACE_CTF_COMPACT_SIZE :
				  KTRACE_CTF_EXTENDED_SIZE;
	char *pos;

	if (!READ_ONCE(ev->enabled))
		return false;
	/*
	 * Pairs with smp_store_release() in ktrace_session_start(): the
	 * channel's contexts, fixed before the first start, are visible.
	 */
	if (smp_load_acquire(&c->session->state) != KTRACE_SESSION_ACTIVE)
		return false;
	r->rb.full_ts_extra = compact ? KTRACE_CTF_EXTENDED_SIZE -
					KTRACE_CTF_COMPACT_SIZE : 0;
	if (ktrace_rb_reserve_fast(c->rb, &r->rb,
				   header + c->context_size + payload_len))
		return false;
	r->chan = c->rb;
	pos = r->rb.data;
	if (compact && !r->rb.full_ts) {
		u32 word = ev->id |
			   (u32)r->rb.ts << KTRACE_CTF_COMPACT_ID_BITS;

		pos = ktrace_record_write(pos, &word, sizeof(word));
	} else {
		u8 tag = KTRACE_CTF_EXTENDED_ID;
		u32 id = ev->id;
		u64 ts = r->rb.ts;

		pos = ktrace_record_write(pos, &tag, sizeof(tag));
		pos = ktrace_record_write(pos, &id, sizeof(id));
		pos = ktrace_record_write(pos, &ts, sizeof(ts));
	}
	if (c->nr_contexts)
		pos = ktrace_context_record(c, pos);
	*payload = pos;
	return true;
}

/**
 * ktrace_record_end() - publish an event started by ktrace_record_begin()
 * @ev: the event.
 * @r: the record, with its whole payload written.
 *
 * The ring buffer's commit, inline (ringbuffer/reserve.h).
 *
 * Context: the context of the matching begin. Never sleeps.
 */
static __always_inline void ktrace_record_end(struct ktrace_event *ev,
					      struct ktrace_record *r)
{
	ktrace_rb_commit_fast(r->chan, &r->rb);
}

#endif /* _KTRACE_CORE_RECORD_H */
