/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Work item execution, with LTTng's names and fields. At the end the
 * work item may have been freed or reused by its own function, so only
 * the addresses the tracepoint passes are recorded. Read several times
 * by define_events.h: no include guard around the events.
 */
#ifndef _KTRACE_EVENTS_WORKQUEUE_HELPERS
#define _KTRACE_EVENTS_WORKQUEUE_HELPERS
#include <linux/workqueue.h>
#endif /* _KTRACE_EVENTS_WORKQUEUE_HELPERS */

KTRACE_EVENT(workqueue_execute_start, workqueue_execute_start,
	KTRACE_PROTO(struct work_struct *work),
	KTRACE_FIELDS(
		kt_hex(unsigned long, work, (unsigned long)work)
		kt_hex(unsigned long, function, (unsigned long)work->func)
	))

KTRACE_EVENT(workqueue_execute_end, workqueue_execute_end,
	KTRACE_PROTO(struct work_struct *work, work_func_t function),
	KTRACE_FIELDS(
		kt_hex(unsigned long, work, (unsigned long)work)
		kt_hex(unsigned long, function, (unsigned long)function)
	))
