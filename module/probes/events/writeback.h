/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Writeback, with LTTng's names and fields: lttng-analyses adds the pages
 * written back to the I/O system calls running meanwhile. Read several
 * times by define_events.h: no include guard around the events.
 */

/* By a flusher (wb_workfn()), after each round of its work: pages it wrote. */
KTRACE_EVENT(writeback_pages_written, writeback_pages_written,
	KTRACE_PROTO(long pages_written),
	KTRACE_FIELDS(
		kt_int(long, pages, pages_written)
	))
