/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One entry and one exit event per system call of the target kernel,
 * with LTTng's names (syscall_entry_openat, syscall_exit_openat) and the
 * argument names of the kernel's prototypes; and LTTng's
 * syscall_entry_unknown/syscall_exit_unknown for the numbers whose
 * prototype the generator could not use. The list comes from
 * syscalls_gen.h, generated at build time by gen_syscalls.py from the
 * kernel's own syscall table and include/linux/syscalls.h.
 *
 * No tracepoint each: one probe on sys_enter and one on sys_exit
 * (syscalls.c) test the call's number in a bitmap of enabled calls and
 * run the probe of its event only when set, with the call's registers
 * (and return value), and a struct ktrace_sc_args or ktrace_sc_ret only
 * for the calls whose events record more (user strings, the unknown
 * events' registers, pipe's fds, wait4's status). Exit events record ret,
 * then the call's output arguments (KTRACE_SYSCALL_OUT: pointers to
 * non-const memory, as their address, and pipe's fds by value; see
 * gen_syscalls.py and docs/TRACE-FORMAT.md). 64-bit system calls only:
 * compat (32-bit) ones are not recorded by these events. Read several
 * times by define_events.h: no include guard around the events, and
 * KTRACE_SYSCALL_OUT is undefined at the end, so that events.c's table
 * gets syscalls_gen.h's own (a KTRACE_SYSCALL() entry).
 */
#if defined(CONFIG_HAVE_SYSCALL_TRACEPOINTS) && defined(CONFIG_X86_64)

#ifndef _KTRACE_EVENTS_SYSCALL_TABLE_HELPERS
#define _KTRACE_EVENTS_SYSCALL_TABLE_HELPERS
#include "probes/syscalls_internal.h"

#define KTRACE_SYSCALL(nr, name, strings, fields)			\
KTRACE_EVENT_INTERNAL(syscall_entry_##name,				\
	KTRACE_PROTO(struct pt_regs *regs,				\
		     const struct ktrace_sc_args *a),			\
	KTRACE_FIELDS(fields))						\
KTRACE_EVENT_INTERNAL(syscall_exit_##name,				\
	KTRACE_PROTO(struct pt_regs *regs, long ret,			\
		     const struct ktrace_sc_ret *r),			\
	KTRACE_FIELDS(kt_int(long, ret, ret)))
#define KTRACE_SYSCALL_UNKNOWN(nr, name)
#endif /* _KTRACE_EVENTS_SYSCALL_TABLE_HELPERS */

#define KTRACE_SYSCALL_OUT(nr, name, strings, fields, exit_fields)	\
KTRACE_EVENT_INTERNAL(syscall_entry_##name,				\
	KTRACE_PROTO(struct pt_regs *regs,				\
		     const struct ktrace_sc_args *a),			\
	KTRACE_FIELDS(fields))						\
KTRACE_EVENT_INTERNAL(syscall_exit_##name,				\
	KTRACE_PROTO(struct pt_regs *regs, long ret,			\
		     const struct ktrace_sc_ret *r),			\
	KTRACE_FIELDS(kt_int(long, ret, ret)				\
		      exit_fields))

#include "probes/syscalls_gen.h"

KTRACE_EVENT_INTERNAL(syscall_entry_unknown,
	KTRACE_PROTO(struct pt_regs *regs, const struct ktrace_sc_args *a),
	KTRACE_FIELDS(
		kt_int(long, id, a->id)
		kt_array(unsigned long, args, a->args, KTRACE_SC_NR_ARGS)
	))

KTRACE_EVENT_INTERNAL(syscall_exit_unknown,
	KTRACE_PROTO(struct pt_regs *regs, long ret,
		     const struct ktrace_sc_ret *r),
	KTRACE_FIELDS(
		kt_int(long, id, r->id)
		kt_int(long, ret, ret)
		kt_array(unsigned long, args, r->args, KTRACE_SC_NR_ARGS)
	))

#undef KTRACE_SYSCALL_OUT

#endif /* CONFIG_HAVE_SYSCALL_TRACEPOINTS && CONFIG_X86_64 */
