/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internals of module/probes: the runtime state of each event's probe,
 * shared by the generated table (events.c) and its management (probes.c).
 */
#ifndef _KTRACE_PROBES_INTERNAL_H
#define _KTRACE_PROBES_INTERNAL_H

#include <linux/list.h>
#include <linux/percpu.h>

#include "probes/probes.h"

struct tracepoint;

/**
 * struct ktrace_probe - one event's probe
 * @desc: what the event records; ktrace_event_desc pointers handed out
 *	point here.
 * @func: the probe function, registered on the tracepoint.
 * @tp: the tracepoint, bound at init; NULL if this kernel lacks it.
 * @events: the struct ktrace_event of every channel the event was enabled
 *	in (RCU list, written under probes_lock).
 * @users: enabled events among @events; the probe is registered while
 *	non-zero.
 * @hits: calls of the probe, per CPU, for diagnostics.
 * @syscall: for a per-syscall event, its number plus one, or
 *	KTRACE_SC_UNKNOWN for syscall_{entry,exit}_unknown; 0 otherwise.
 * @syscall_exit: whether that event is the exit one.
 */
struct ktrace_probe {
	struct ktrace_event_desc desc;
	void *func;
	struct tracepoint *tp;
	struct hlist_head events;
	unsigned int users;
	u64 __percpu *hits;
	int syscall;
	bool syscall_exit;
};

extern struct ktrace_probe ktrace_probe_table[];
extern const unsigned int ktrace_probe_table_size;

void ktrace_probe_fire_test(struct ktrace_probe *probe, u64 seq, u64 payload);

#endif /* _KTRACE_PROBES_INTERNAL_H */
