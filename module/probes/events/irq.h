/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hard and soft interrupt events, with LTTng's names and fields: Trace
 * Compass's Resources view and IRQ analysis, and lttng-analyses' irq
 * statistics, pair each entry with its exit by irq number or softirq
 * vector. Read several times by define_events.h: no include guard
 * around the events.
 */
#ifndef _KTRACE_EVENTS_IRQ_HELPERS
#define _KTRACE_EVENTS_IRQ_HELPERS
#include <linux/interrupt.h>
#endif /* _KTRACE_EVENTS_IRQ_HELPERS */

/* A handler without a name (action->name == NULL) is recorded as "(null)". */
KTRACE_EVENT(irq_handler_entry, irq_handler_entry,
	KTRACE_PROTO(int irq, struct irqaction *action),
	KTRACE_FIELDS(
		kt_int(int, irq, irq)
		kt_string(name, action->name)
	))

KTRACE_EVENT(irq_handler_exit, irq_handler_exit,
	KTRACE_PROTO(int irq, struct irqaction *action, int ret),
	KTRACE_FIELDS(
		kt_int(int, irq, irq)
		kt_int(int, ret, ret)
	))

#define KTRACE_IRQ_SOFTIRQ(event, tp)					\
KTRACE_EVENT(event, tp,							\
	KTRACE_PROTO(unsigned int vec_nr),				\
	KTRACE_FIELDS(							\
		kt_int(unsigned int, vec, vec_nr)			\
	))
KTRACE_IRQ_SOFTIRQ(irq_softirq_entry, softirq_entry)
KTRACE_IRQ_SOFTIRQ(irq_softirq_exit, softirq_exit)
KTRACE_IRQ_SOFTIRQ(irq_softirq_raise, softirq_raise)
#undef KTRACE_IRQ_SOFTIRQ
