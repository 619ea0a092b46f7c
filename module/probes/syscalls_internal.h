/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internals of the per-syscall events: what the sys_enter/sys_exit
 * dispatcher (syscalls.c) hands to the probe of syscall_entry_<name> and
 * syscall_exit_<name>, and the table, generated at build time from the
 * target kernel (gen_syscalls.py), that maps a system call number to its
 * two events.
 */
#ifndef _KTRACE_PROBES_SYSCALLS_INTERNAL_H
#define _KTRACE_PROBES_SYSCALLS_INTERNAL_H

#include <linux/types.h>
#include <asm/ptrace.h>

#include "probes/syscalls_gen.h"

struct ktrace_probe;

/* Registers a system call takes. */
#define KTRACE_SC_NR_ARGS	6
/* User strings copied per call, and the bytes kept of each, NUL included. */
#define KTRACE_SC_NR_STRINGS	3
#define KTRACE_SC_STRLEN	256

#ifdef CONFIG_X86_64
/*
 * Argument @i of a 64-bit system call, from the registers it came in
 * (syscall_get_arguments()'s order). The probes read each argument here
 * when they write it, with @i a constant: one load, instead of a copy of
 * all six registers for every call whether its event records them or not.
 */
static __always_inline unsigned long ktrace_sc_arg(const struct pt_regs *regs,
						   unsigned int i)
{
	switch (i) {
	case 0:
		return regs->di;
	case 1:
		return regs->si;
	case 2:
		return regs->dx;
	case 3:
		return regs->r10;
	case 4:
		return regs->r8;
	default:
		return regs->r9;
	}
}
#endif

/**
 * struct ktrace_sc_args - what a system call's entry probe gets besides
 *	its registers, for the calls that need more (NULL for the others)
 * @id: its number (syscall_entry_unknown).
 * @str: for each argument that is a user string, the copy to record.
 * @args: its six argument registers (syscall_entry_unknown).
 */
struct ktrace_sc_args {
	long id;
	const char *str[KTRACE_SC_NR_ARGS];
	unsigned long args[KTRACE_SC_NR_ARGS];
};

/**
 * struct ktrace_sc_ret - what a system call's exit probe gets besides its
 *	registers and return value, for the calls that need more (NULL for
 *	the others)
 * @id: its number (syscall_exit_unknown).
 * @args: its six argument registers at exit (syscall_exit_unknown).
 * @fds: pipe()'s and pipe2()'s two fds, read from user memory at exit
 *	({ -1, -1 } when the call failed or they cannot be read).
 * @status: wait4()'s status, read from user memory at exit (0 when the
 *	call reaped no child or it cannot be read).
 */
struct ktrace_sc_ret {
	long id;
	unsigned long args[KTRACE_SC_NR_ARGS];
	int fds[2];
	int status;
};

/**
 * struct ktrace_sc_desc - one system call number
 * @entry: the probe function of its entry event, NULL for no system call.
 * @exit: that of its exit event.
 * @entry_name: the entry event's name (syscall_entry_unknown for a call
 *	without a usable prototype).
 * @exit_name: the exit event's name.
 * @strings: bit i set when argument i is a user string.
 * @unknown: its events are syscall_entry_unknown and syscall_exit_unknown,
 *	which record its number and its six argument registers as an array.
 */
struct ktrace_sc_desc {
	void (*entry)(void *probe, struct pt_regs *regs,
		      const struct ktrace_sc_args *a);
	void (*exit)(void *probe, struct pt_regs *regs, long ret,
		     const struct ktrace_sc_ret *r);
	const char *entry_name;
	const char *exit_name;
	u8 strings;
	bool unknown;
};

#if KTRACE_SYSCALLS_NR
extern const struct ktrace_sc_desc ktrace_sc_table[KTRACE_SYSCALLS_NR];
#endif

/* A struct ktrace_probe's syscall mark for syscall_{entry,exit}_unknown. */
#define KTRACE_SC_UNKNOWN	(-1)

void ktrace_sc_init(void);
int ktrace_sc_enable(struct ktrace_probe *probe);
void ktrace_sc_disable(struct ktrace_probe *probe);
bool ktrace_sc_available(void);

#endif /* _KTRACE_PROBES_SYSCALLS_INTERNAL_H */
