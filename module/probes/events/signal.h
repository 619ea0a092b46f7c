/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Signal delivery, with LTTng's names and fields. Read several times by
 * define_events.h: no include guard around the events.
 */
#ifndef _KTRACE_EVENTS_SIGNAL_HELPERS
#define _KTRACE_EVENTS_SIGNAL_HELPERS
#include <linux/sched/signal.h>
#include <linux/signal.h>

/*
 * info may be one of the markers SEND_SIG_NOINFO (NULL: sent from user
 * space) or SEND_SIG_PRIV (sent by the kernel), not a siginfo: they read
 * as errno 0 and code SI_USER or SI_KERNEL, as the kernel prints them.
 */
static inline int ktrace_signal_errno(const struct kernel_siginfo *info)
{
	if (info == SEND_SIG_NOINFO || info == SEND_SIG_PRIV)
		return 0;
	return info->si_errno;
}

static inline int ktrace_signal_code(const struct kernel_siginfo *info)
{
	if (info == SEND_SIG_NOINFO)
		return SI_USER;
	if (info == SEND_SIG_PRIV)
		return SI_KERNEL;
	return info->si_code;
}
#endif /* _KTRACE_EVENTS_SIGNAL_HELPERS */

/* sa_handler may be SIG_DFL (0) or SIG_IGN (1). */
KTRACE_EVENT(signal_deliver, signal_deliver,
	KTRACE_PROTO(int sig, struct kernel_siginfo *info,
		     struct k_sigaction *ka),
	KTRACE_FIELDS(
		kt_int(int, sig, sig)
		kt_int(int, errno, ktrace_signal_errno(info))
		kt_int(int, code, ktrace_signal_code(info))
		kt_hex(unsigned long, sa_handler,
		       (__force unsigned long)ka->sa.sa_handler)
		kt_int(unsigned long, sa_flags, ka->sa.sa_flags)
	))
