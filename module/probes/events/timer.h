/* SPDX-License-Identifier: GPL-2.0 */
/*
 * High-resolution timer events, with LTTng's names and fields. Pointers
 * (the timer, its callback) are recorded as hexadecimal integers, never
 * dereferenced after the callback ran: hrtimer_expire_exit may see a
 * timer that its callback freed. Read several times by define_events.h:
 * no include guard around the events.
 */
#ifndef _KTRACE_EVENTS_TIMER_HELPERS
#define _KTRACE_EVENTS_TIMER_HELPERS
#include <linux/hrtimer.h>
#include <linux/version.h>

#define KTRACE_HRTIMER_MODE(m)	{ .label = #m, .value = m }
static const struct ktrace_enum_entry ktrace_hrtimer_mode_entries[] = {
	KTRACE_HRTIMER_MODE(HRTIMER_MODE_ABS),
	KTRACE_HRTIMER_MODE(HRTIMER_MODE_REL),
	KTRACE_HRTIMER_MODE(HRTIMER_MODE_PINNED),
	KTRACE_HRTIMER_MODE(HRTIMER_MODE_SOFT),
	KTRACE_HRTIMER_MODE(HRTIMER_MODE_HARD),
	KTRACE_HRTIMER_MODE(HRTIMER_MODE_ABS_PINNED),
	KTRACE_HRTIMER_MODE(HRTIMER_MODE_REL_PINNED),
	KTRACE_HRTIMER_MODE(HRTIMER_MODE_ABS_SOFT),
	KTRACE_HRTIMER_MODE(HRTIMER_MODE_REL_SOFT),
	KTRACE_HRTIMER_MODE(HRTIMER_MODE_ABS_PINNED_SOFT),
	KTRACE_HRTIMER_MODE(HRTIMER_MODE_REL_PINNED_SOFT),
	KTRACE_HRTIMER_MODE(HRTIMER_MODE_ABS_HARD),
	KTRACE_HRTIMER_MODE(HRTIMER_MODE_REL_HARD),
	KTRACE_HRTIMER_MODE(HRTIMER_MODE_ABS_PINNED_HARD),
	KTRACE_HRTIMER_MODE(HRTIMER_MODE_REL_PINNED_HARD),
};

#undef KTRACE_HRTIMER_MODE

/*
 * Flag values share their number with a combination (PINNED is
 * ABS_PINNED): readers show every label of a value, as for LTTng's.
 */
static const struct ktrace_enum_desc ktrace_hrtimer_mode = {
	.entries = ktrace_hrtimer_mode_entries,
	.nr_entries = ARRAY_SIZE(ktrace_hrtimer_mode_entries),
};

#define KTRACE_KERNEL_RANGE(a, b, c, x, y, z)				\
	(LINUX_VERSION_CODE >= KERNEL_VERSION(a, b, c) &&		\
	 LINUX_VERSION_CODE < KERNEL_VERSION(x, y, z))

/*
 * hrtimer_start gained a was_armed argument ("hrtimer: Reduce trace
 * noise in hrtimer_start()") in 7.1, and in the stable series from
 * 6.1.175, 6.6.141, 6.12.91, 6.18.33 and 7.0.10: the Debian kernels,
 * 6.1.0-56 (6.1.192) and 6.12.117, both have it.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(7, 1, 0) ||			\
	KTRACE_KERNEL_RANGE(7, 0, 10, 7, 1, 0) ||			\
	KTRACE_KERNEL_RANGE(6, 18, 33, 6, 19, 0) ||			\
	KTRACE_KERNEL_RANGE(6, 12, 91, 6, 13, 0) ||			\
	KTRACE_KERNEL_RANGE(6, 6, 141, 6, 7, 0) ||			\
	KTRACE_KERNEL_RANGE(6, 1, 175, 6, 2, 0)
#define KTRACE_HRTIMER_START_WAS_ARMED 1
#else
#define KTRACE_HRTIMER_START_WAS_ARMED 0
#endif
#undef KTRACE_KERNEL_RANGE
#endif /* _KTRACE_EVENTS_TIMER_HELPERS */

#if KTRACE_HRTIMER_START_WAS_ARMED
KTRACE_EVENT(timer_hrtimer_start, hrtimer_start,
	KTRACE_PROTO(struct hrtimer *hrtimer, enum hrtimer_mode mode,
		     bool was_armed),
	KTRACE_FIELDS(
		kt_hex(unsigned long, hrtimer, (unsigned long)hrtimer)
		kt_hex(unsigned long, function, (unsigned long)hrtimer->function)
		kt_int(s64, expires, hrtimer_get_expires(hrtimer))
		kt_int(s64, softexpires, hrtimer_get_softexpires(hrtimer))
		kt_enum(unsigned int, mode, mode, ktrace_hrtimer_mode)
		kt_int(bool, was_armed, was_armed)
	))
#else
KTRACE_EVENT(timer_hrtimer_start, hrtimer_start,
	KTRACE_PROTO(struct hrtimer *hrtimer, enum hrtimer_mode mode),
	KTRACE_FIELDS(
		kt_hex(unsigned long, hrtimer, (unsigned long)hrtimer)
		kt_hex(unsigned long, function, (unsigned long)hrtimer->function)
		kt_int(s64, expires, hrtimer_get_expires(hrtimer))
		kt_int(s64, softexpires, hrtimer_get_softexpires(hrtimer))
		kt_enum(unsigned int, mode, mode, ktrace_hrtimer_mode)
	))
#endif

/* Newer kernels pass now by value (Kbuild reads their headers). */
#ifdef KTRACE_HAVE_HRTIMER_EXPIRE_NOW_VALUE
KTRACE_EVENT(timer_hrtimer_expire_entry, hrtimer_expire_entry,
	KTRACE_PROTO(struct hrtimer *hrtimer, ktime_t now),
	KTRACE_FIELDS(
		kt_hex(unsigned long, hrtimer, (unsigned long)hrtimer)
		kt_int(s64, now, now)
		kt_hex(unsigned long, function, (unsigned long)hrtimer->function)
	))
#else
KTRACE_EVENT(timer_hrtimer_expire_entry, hrtimer_expire_entry,
	KTRACE_PROTO(struct hrtimer *hrtimer, ktime_t *now),
	KTRACE_FIELDS(
		kt_hex(unsigned long, hrtimer, (unsigned long)hrtimer)
		kt_int(s64, now, *now)
		kt_hex(unsigned long, function, (unsigned long)hrtimer->function)
	))
#endif

KTRACE_EVENT(timer_hrtimer_expire_exit, hrtimer_expire_exit,
	KTRACE_PROTO(struct hrtimer *hrtimer),
	KTRACE_FIELDS(
		kt_hex(unsigned long, hrtimer, (unsigned long)hrtimer)
	))
