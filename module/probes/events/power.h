/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CPU idle and frequency events, with LTTng's names and fields, which
 * Trace Compass's Resources view reads. Both tracepoints pass the new
 * state and the CPU; leaving idle is state PWR_EVENT_EXIT, (u32)-1.
 * Read several times by define_events.h: no include guard around the
 * events.
 */
KTRACE_EVENT(power_cpu_idle, cpu_idle,
	KTRACE_PROTO(unsigned int state, unsigned int cpu_id),
	KTRACE_FIELDS(
		kt_int(u32, state, state)
		kt_int(u32, cpu_id, cpu_id)
	))

/* state is the new frequency, in kHz. */
KTRACE_EVENT(power_cpu_frequency, cpu_frequency,
	KTRACE_PROTO(unsigned int frequency, unsigned int cpu_id),
	KTRACE_FIELDS(
		kt_int(u32, state, frequency)
		kt_int(u32, cpu_id, cpu_id)
	))
