/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktrace's own events. ktrace_test has no tracepoint: it is recorded only
 * when a client asks for it (ktrace_probes_fire_test()), with a sequence
 * number and payload of the client's choosing, so that tests and
 * benchmarks can produce a known stream of events. Read several times by
 * define_events.h: no include guard around the events.
 */
KTRACE_EVENT_INTERNAL(ktrace_test,
	KTRACE_PROTO(u64 seq, u64 payload),
	KTRACE_FIELDS(
		kt_int(u64, seq, seq)
		kt_hex(u64, payload, payload)
	))
