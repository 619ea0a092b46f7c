/* SPDX-License-Identifier: GPL-2.0 */
/*
 * System call entry and exit, one generic event each, on the raw
 * sys_enter/sys_exit tracepoints. The fields are those of LTTng's
 * syscall_entry_unknown/syscall_exit_unknown (the system call number
 * and its six argument registers, or its return value); LTTng itself
 * names one event per system call ("syscall_entry_openat", ...), which
 * is what Trace Compass's system call analysis looks for. Read several
 * times by define_events.h: no include guard around the events.
 *
 * The tracepoints exist only where the architecture selects
 * HAVE_SYSCALL_TRACEPOINTS; trace/events/syscalls.h declares them under
 * the same condition.
 */
#ifdef CONFIG_HAVE_SYSCALL_TRACEPOINTS

#ifndef _KTRACE_EVENTS_SYSCALLS_HELPERS
#define _KTRACE_EVENTS_SYSCALLS_HELPERS
#include <linux/sched.h>
#include <asm/ptrace.h>
#include <asm/syscall.h>

/* syscall_get_arguments() fills this many registers. */
#define KTRACE_SYSCALL_NR_ARGS	6
#endif /* _KTRACE_EVENTS_SYSCALLS_HELPERS */

KTRACE_EVENT_CODE(syscall_entry, sys_enter,
	KTRACE_PROTO(struct pt_regs *regs, long id),
	KTRACE_LOCALS(unsigned long args[KTRACE_SYSCALL_NR_ARGS] __uninitialized;),
	KTRACE_CODE(syscall_get_arguments(current, regs, args);),
	KTRACE_FIELDS(
		kt_int(long, id, id)
		kt_array(unsigned long, args, args, KTRACE_SYSCALL_NR_ARGS)
	))

/* sys_exit does not pass the number: it is still in the registers. */
KTRACE_EVENT(syscall_exit, sys_exit,
	KTRACE_PROTO(struct pt_regs *regs, long ret),
	KTRACE_FIELDS(
		kt_int(long, id, syscall_get_nr(current, regs))
		kt_int(long, ret, ret)
	))

#endif /* CONFIG_HAVE_SYSCALL_TRACEPOINTS */
