/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Writeback, with LTTng's names and fields: lttng-analyses adds the pages
 * written back to the I/O system calls running meanwhile. Read several
 * times by define_events.h: no include guard around the events.
 */

/* Once per pass of a flusher over its dirty inodes. */
KTRACE_EVENT(writeback_pages_written, writeback_pages_written,
	KTRACE_PROTO(long pages_written),
	KTRACE_FIELDS(
		kt_int(long, pages, pages_written)
	))
