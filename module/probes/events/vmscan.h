/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Page reclaim, with LTTng's names and fields: lttng-analyses marks the
 * I/O system call during which an allocation woke kswapd. Read several
 * times by define_events.h: no include guard around the events.
 */
#ifndef _KTRACE_EVENTS_VMSCAN_HELPERS
#define _KTRACE_EVENTS_VMSCAN_HELPERS
#include <linux/gfp.h>
#endif /* _KTRACE_EVENTS_VMSCAN_HELPERS */

/* zid is the zone's index in its node (ZONE_DMA, ZONE_NORMAL, ...). */
KTRACE_EVENT(mm_vmscan_wakeup_kswapd, mm_vmscan_wakeup_kswapd,
	KTRACE_PROTO(int nid, int zid, int order, gfp_t gfp_flags),
	KTRACE_FIELDS(
		kt_int(int, nid, nid)
		kt_int(int, zid, zid)
		kt_int(int, order, order)
		kt_int(unsigned int, gfp_flags, (__force unsigned int)gfp_flags)
	))
