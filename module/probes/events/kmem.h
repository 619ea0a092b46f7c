/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Page allocator events, with LTTng's names and fields, which Trace
 * Compass's memory usage analysis reads (order, per thread). Read
 * several times by define_events.h: no include guard around the events.
 */
#ifndef _KTRACE_EVENTS_KMEM_HELPERS
#define _KTRACE_EVENTS_KMEM_HELPERS
#include <linux/gfp.h>
#include <linux/mm.h>

/* A failed allocation has no page: its pfn is recorded as -1UL. */
static inline unsigned long ktrace_kmem_pfn(struct page *page)
{
	return page ? page_to_pfn(page) : -1UL;
}
#endif /* _KTRACE_EVENTS_KMEM_HELPERS */

KTRACE_EVENT(kmem_mm_page_alloc, mm_page_alloc,
	KTRACE_PROTO(struct page *page, unsigned int order, gfp_t gfp_flags,
		     int migratetype),
	KTRACE_FIELDS(
		kt_hex(unsigned long, page, (unsigned long)page)
		kt_int(unsigned long, pfn, ktrace_kmem_pfn(page))
		kt_int(unsigned int, order, order)
		kt_int(unsigned int, gfp_flags, (__force unsigned int)gfp_flags)
		kt_int(int, migratetype, migratetype)
	))

KTRACE_EVENT(kmem_mm_page_free, mm_page_free,
	KTRACE_PROTO(struct page *page, unsigned int order),
	KTRACE_FIELDS(
		kt_hex(unsigned long, page, (unsigned long)page)
		kt_int(unsigned long, pfn, page_to_pfn(page))
		kt_int(unsigned int, order, order)
	))
