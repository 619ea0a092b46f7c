/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktrace events and contexts of a channel, and the record path that
 * probes use to write one event into a channel.
 *
 * An event enabled in a channel gets a struct ktrace_event, linked into
 * its probe's list of events to record into. It stays there, and keeps its
 * id, until its session is freed: disabling only clears a flag, so the
 * probes never run on freed memory and the metadata keeps describing every
 * event that may be in the buffers.
 */
#ifndef _KTRACE_CORE_EVENT_H
#define _KTRACE_CORE_EVENT_H

#include <linux/list.h>
#include <linux/string.h>
#include <linux/types.h>

#include "ringbuffer/ringbuffer.h"

struct ktrace_channel;
struct ktrace_event_desc;

/**
 * struct ktrace_event - an event enabled in a channel
 * @probe_node: in the probe's RCU list of events to record into.
 * @chan_node: in the channel's list, in id order.
 * @chan: the channel.
 * @desc: what the event records.
 * @id: its id in the channel's stream (CTF event id), in enabling order.
 * @enabled: it records: read by probes without locks. @requested, and its
 *	channel enabled.
 * @requested: enabled by EVENT_ENABLE, not disabled since: what EVENT_GET
 *	reports, whether or not the channel is enabled.
 */
struct ktrace_event {
	struct hlist_node probe_node;
	struct list_head chan_node;
	struct ktrace_channel *chan;
	const struct ktrace_event_desc *desc;
	u32 id;
	bool enabled;
	bool requested;
};

/**
 * enum ktrace_context_type - extra fields a channel records with every event
 * @KTRACE_CONTEXT_PID: process id (tgid) of the current task.
 * @KTRACE_CONTEXT_TID: thread id (pid) of the current task.
 * @KTRACE_CONTEXT_PPID: process id of its parent.
 * @KTRACE_CONTEXT_PROCNAME: its comm.
 * @KTRACE_CONTEXT_PRIO: its priority, shifted as LTTng shifts it.
 * @KTRACE_CONTEXT_VPID: process id in its pid namespace.
 * @KTRACE_CONTEXT_VTID: thread id in its pid namespace.
 * @KTRACE_CONTEXT_CPU_ID: the CPU.
 * @KTRACE_CONTEXT_HOSTNAME: the host name of its UTS namespace.
 * @KTRACE_CONTEXT_COUNT: number of context types.
 */
enum ktrace_context_type {
	KTRACE_CONTEXT_PID,
	KTRACE_CONTEXT_TID,
	KTRACE_CONTEXT_PPID,
	KTRACE_CONTEXT_PROCNAME,
	KTRACE_CONTEXT_PRIO,
	KTRACE_CONTEXT_VPID,
	KTRACE_CONTEXT_VTID,
	KTRACE_CONTEXT_CPU_ID,
	KTRACE_CONTEXT_HOSTNAME,
	KTRACE_CONTEXT_COUNT,
};

/**
 * struct ktrace_record - one event being written, on the probe's stack
 * @rb: the ring buffer reservation.
 * @chan: the ring buffer it is reserved in.
 *
 * The write position is not here: ktrace_record_begin() returns it and
 * ktrace_record_write() advances it, in a local of the probe. The record
 * escapes to out-of-line functions (the ring buffer's slow path), and a
 * position kept in it would be reloaded and stored again around every
 * field, since the bytes written through it may alias it.
 */
struct ktrace_record {
	struct ktrace_rb_ctx rb;
	struct ktrace_rb_chan *chan;
};

/* Control: process context, may sleep; serialised with the sessions. */
int ktrace_event_enable(struct ktrace_channel *c, const char *pattern);
int ktrace_event_disable(struct ktrace_channel *c, const char *pattern);
int ktrace_event_for_each(struct ktrace_channel *c,
			  int (*fn)(void *arg, const struct ktrace_event *ev),
			  void *arg);
int ktrace_context_add(struct ktrace_channel *c,
		       enum ktrace_context_type type);
const char *ktrace_context_name(enum ktrace_context_type type);
unsigned int ktrace_channel_contexts(const struct ktrace_channel *c,
				     enum ktrace_context_type *types,
				     unsigned int max);

/*
 * Record path: any context, including NMI; never sleeps. Its start and
 * end, ktrace_record_begin() and ktrace_record_end(), are inline in
 * core/record.h.
 */

/**
 * ktrace_record_write() - append payload bytes to the event being written
 * @pos: where they go: what ktrace_record_begin() (core/record.h)
 *	returned, or the previous ktrace_record_write()'s return.
 * @src: the bytes.
 * @len: how many; the total must be the payload_len given to begin.
 *
 * Always inlined: with a constant @len, as for every fixed-size field,
 * the copy is a few moves instead of a call to memcpy().
 *
 * Return: where the next bytes go.
 */
static __always_inline char *
ktrace_record_write(char *pos, const void *src, size_t len)
{
	memcpy(pos, src, len);
	return pos + len;
}

#endif /* _KTRACE_CORE_EVENT_H */
