// SPDX-License-Identifier: GPL-2.0
/*
 * Per-syscall events: one probe on sys_enter and one on sys_exit, each
 * registered while at least one syscall_entry_<name> (or exit) event is
 * enabled somewhere. For every system call they test its number in a
 * bitmap of enabled calls; only a set bit costs more: the arguments are
 * read, user strings copied, and the probe of that call's event runs,
 * which records into the channels that enable it.
 *
 * A bit is set while its event has users (ktrace_probes_get()); for the
 * syscall_*_unknown events, the bits of every number without a usable
 * prototype. Registration and the bitmaps change under probes_lock; the
 * dispatchers read the bitmaps without locks.
 *
 * User strings are copied with copy_from_user_nofault(), page by page,
 * so a probe never faults or sleeps: a string that cannot be read is
 * recorded as "(fault)", a NULL one as "(null)", and one longer than
 * KTRACE_SC_STRLEN - 1 bytes is cut and ends in "...".
 *
 * 64-bit system calls only: the number of a compat (32-bit) call means
 * another call, so compat calls are not recorded by these events (the raw
 * syscall_entry/syscall_exit events still record them).
 */
#include <linux/bitmap.h>
#include <linux/compat.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <linux/uaccess.h>
#include <asm/syscall.h>
#include <asm/unistd.h>

#include "probes/probes_internal.h"
#include "probes/syscalls_internal.h"

#if defined(CONFIG_HAVE_SYSCALL_TRACEPOINTS) && defined(CONFIG_X86_64) && \
	KTRACE_SYSCALLS_NR

/* Bytes read per copy_from_user_nofault() while looking for the NUL. */
#define SC_CHUNK	64

static DECLARE_BITMAP(sc_entry_on, KTRACE_SYSCALLS_NR);
static DECLARE_BITMAP(sc_exit_on, KTRACE_SYSCALLS_NR);
static struct ktrace_probe *sc_entry_probe[KTRACE_SYSCALLS_NR];
static struct ktrace_probe *sc_exit_probe[KTRACE_SYSCALLS_NR];
/* The kernel's sys_enter and sys_exit, bound by the raw events' probes. */
static struct tracepoint *sc_tp_enter, *sc_tp_exit;
/* Enabled entry and exit events; the dispatcher is registered while > 0. */
static unsigned int sc_entry_users, sc_exit_users;
/*
 * Where a call's user strings are copied, one set per CPU: the dispatcher
 * disables preemption from the copy to the end of the probe, for the
 * calls that need it only (sc_enter_slow()).
 */
struct sc_strings {
	char buf[KTRACE_SC_NR_STRINGS][KTRACE_SC_STRLEN];
};

static DEFINE_PER_CPU(struct sc_strings, sc_strings);

static const char *sc_copy_string(char *buf, unsigned long uaddr)
{
	size_t len = 0, chunk;
	const char *nul;

	if (!uaddr)
		return "(null)";
	while (len < KTRACE_SC_STRLEN - 1) {
		chunk = min3(KTRACE_SC_STRLEN - 1 - len,
			     PAGE_SIZE - offset_in_page(uaddr + len),
			     (size_t)SC_CHUNK);
		if (copy_from_user_nofault(buf + len,
					   (const void __user *)(uaddr + len),
					   chunk)) {
			if (!len)
				return "(fault)";
			break;
		}
		nul = memchr(buf + len, '\0', chunk);
		if (nul)
			return buf;
		len += chunk;
	}
	/* Cut: say so. */
	buf[len] = '\0';
	if (len >= 3)
		memcpy(buf + len - 3, "...", 3);
	return buf;
}

/*
 * The calls whose probes need more than their registers: user strings to
 * copy, syscall_entry_unknown's registers (entry); syscall_exit_unknown's
 * registers, pipe's fds and wait4's status (exit). Set at init.
 */
static DECLARE_BITMAP(sc_entry_more, KTRACE_SYSCALLS_NR);
static DECLARE_BITMAP(sc_exit_more, KTRACE_SYSCALLS_NR);

static noinline void sc_enter_slow(struct pt_regs *regs, long id)
{
	const struct ktrace_sc_desc *d = &ktrace_sc_table[id];
	struct ktrace_sc_args a __uninitialized;
	struct sc_strings *s;
	unsigned int i, slot = 0;

	a.id = id;
	if (d->unknown)
		syscall_get_arguments(current, regs, a.args);
	preempt_disable_notrace();
	s = this_cpu_ptr(&sc_strings);
	for (i = 0; i < KTRACE_SC_NR_ARGS; i++)
		if (d->strings & BIT(i) && slot < KTRACE_SC_NR_STRINGS)
			a.str[i] = sc_copy_string(s->buf[slot++],
						  ktrace_sc_arg(regs, i));
	d->entry(sc_entry_probe[id], regs, &a);
	preempt_enable_notrace();
}

/*
 * Most calls take the fast way: the probe of the call's event gets the
 * registers, reads each argument it records when it writes it
 * (ktrace_sc_arg()), and disables preemption around its own walk of the
 * channels, as every probe does. So the dispatcher needs no frame and
 * calls the probe last.
 */
static void sc_sys_enter(void *data, struct pt_regs *regs, long id)
{
	if ((unsigned long)id >= KTRACE_SYSCALLS_NR ||
	    !test_bit(id, sc_entry_on) || in_compat_syscall())
		return;
	if (unlikely(test_bit(id, sc_entry_more)))
		sc_enter_slow(regs, id);
	else
		ktrace_sc_table[id].entry(sc_entry_probe[id], regs, NULL);
}

/*
 * The outputs recorded by value (gen_syscalls.py's CONTENTS): the fds
 * pipe() and pipe2() wrote, as LTTng records them, and wait4()'s status.
 * Read without faulting, as the probe context requires.
 */
static void sc_out_values(struct ktrace_sc_ret *r, struct pt_regs *regs,
			  long ret)
{
	r->fds[0] = -1;
	r->fds[1] = -1;
	r->status = 0;
	if ((r->id == __NR_pipe || r->id == __NR_pipe2) && !ret &&
	    copy_from_user_nofault(r->fds,
				   (const void __user *)ktrace_sc_arg(regs, 0),
				   sizeof(r->fds))) {
		r->fds[0] = -1;
		r->fds[1] = -1;
	}
	if (r->id == __NR_wait4 && ret > 0 && ktrace_sc_arg(regs, 1) &&
	    copy_from_user_nofault(&r->status,
				   (const void __user *)ktrace_sc_arg(regs, 1),
				   sizeof(r->status)))
		r->status = 0;
}

static noinline void sc_exit_slow(struct pt_regs *regs, long id, long ret)
{
	const struct ktrace_sc_desc *d = &ktrace_sc_table[id];
	struct ktrace_sc_ret r __uninitialized;

	r.id = id;
	if (d->unknown)
		syscall_get_arguments(current, regs, r.args);
	sc_out_values(&r, regs, ret);
	d->exit(sc_exit_probe[id], regs, ret, &r);
}

static void sc_sys_exit(void *data, struct pt_regs *regs, long ret)
{
	long id = syscall_get_nr(current, regs);

	if ((unsigned long)id >= KTRACE_SYSCALLS_NR ||
	    !test_bit(id, sc_exit_on) || in_compat_syscall())
		return;
	if (unlikely(test_bit(id, sc_exit_more)))
		sc_exit_slow(regs, id, ret);
	else
		ktrace_sc_table[id].exit(sc_exit_probe[id], regs, ret, NULL);
}

static struct tracepoint *sc_tp_of(const char *raw_event)
{
	const struct ktrace_event_desc *desc = ktrace_probes_find(raw_event);

	return desc ? container_of(desc, struct ktrace_probe, desc)->tp : NULL;
}

static void sc_mark(struct ktrace_probe **probes, const char *name, int nr,
		    bool exit)
{
	const struct ktrace_event_desc *desc = ktrace_probes_find(name);
	struct ktrace_probe *probe;

	if (!desc)
		return;
	probe = container_of(desc, struct ktrace_probe, desc);
	probes[nr] = probe;
	probe->syscall_exit = exit;
	probe->syscall = strcmp(name + strlen(exit ? "syscall_exit_" :
						     "syscall_entry_"),
				"unknown") ? nr + 1 : KTRACE_SC_UNKNOWN;
}

/**
 * ktrace_sc_init() - bind the per-syscall events to their numbers
 *
 * Called by ktrace_probes_init() once the tracepoints are bound.
 *
 * Context: module init.
 */
void ktrace_sc_init(void)
{
	const struct ktrace_sc_desc *d;
	int nr;

	sc_tp_enter = sc_tp_of("syscall_entry");
	sc_tp_exit = sc_tp_of("syscall_exit");
	for (nr = 0; nr < KTRACE_SYSCALLS_NR; nr++) {
		d = &ktrace_sc_table[nr];
		if (!d->entry)
			continue;
		sc_mark(sc_entry_probe, d->entry_name, nr, false);
		sc_mark(sc_exit_probe, d->exit_name, nr, true);
		if (d->strings || d->unknown)
			__set_bit(nr, sc_entry_more);
		if (d->unknown || nr == __NR_pipe || nr == __NR_pipe2 ||
		    nr == __NR_wait4)
			__set_bit(nr, sc_exit_more);
	}
}

/**
 * ktrace_sc_available() - whether this kernel has sys_enter and sys_exit
 *
 * Context: any.
 * Return: true if the per-syscall events can be recorded.
 */
bool ktrace_sc_available(void)
{
	return sc_tp_enter && sc_tp_exit;
}

static void sc_set_bits(const struct ktrace_probe *probe, unsigned long *on,
			bool set)
{
	int nr;

	if (probe->syscall != KTRACE_SC_UNKNOWN) {
		assign_bit(probe->syscall - 1, on, set);
		return;
	}
	for (nr = 0; nr < KTRACE_SYSCALLS_NR; nr++)
		if (sc_entry_probe[nr] == probe || sc_exit_probe[nr] == probe)
			assign_bit(nr, on, set);
}

/**
 * ktrace_sc_enable() - start recording a per-syscall event
 * @probe: the event's probe, on its first user.
 *
 * Context: process context, may sleep; caller holds probes_lock.
 * Return: 0, -ENODEV without sys_enter/sys_exit, or the errno of
 * tracepoint_probe_register().
 */
int ktrace_sc_enable(struct ktrace_probe *probe)
{
	bool exit = probe->syscall_exit;
	unsigned int *users = exit ? &sc_exit_users : &sc_entry_users;
	int ret;

	if (!ktrace_sc_available())
		return -ENODEV;
	if (!*users) {
		ret = exit ? tracepoint_probe_register(sc_tp_exit,
						       sc_sys_exit, NULL) :
			     tracepoint_probe_register(sc_tp_enter,
						       sc_sys_enter, NULL);
		if (ret)
			return ret;
	}
	(*users)++;
	sc_set_bits(probe, exit ? sc_exit_on : sc_entry_on, true);
	return 0;
}

/**
 * ktrace_sc_disable() - undo ktrace_sc_enable(), on the last user
 * @probe: the event's probe.
 *
 * A dispatcher call already running may still record the event.
 *
 * Context: process context, may sleep; caller holds probes_lock.
 */
void ktrace_sc_disable(struct ktrace_probe *probe)
{
	bool exit = probe->syscall_exit;
	unsigned int *users = exit ? &sc_exit_users : &sc_entry_users;

	sc_set_bits(probe, exit ? sc_exit_on : sc_entry_on, false);
	if (--(*users))
		return;
	if (exit)
		tracepoint_probe_unregister(sc_tp_exit, sc_sys_exit, NULL);
	else
		tracepoint_probe_unregister(sc_tp_enter, sc_sys_enter, NULL);
}

#else /* no 64-bit syscall table */

void ktrace_sc_init(void)
{
}

bool ktrace_sc_available(void)
{
	return false;
}

int ktrace_sc_enable(struct ktrace_probe *probe)
{
	return -ENODEV;
}

void ktrace_sc_disable(struct ktrace_probe *probe)
{
}

#endif
