// SPDX-License-Identifier: GPL-2.0
/*
 * ktrace tracepoint probes.
 *
 * Each entry of probe_table names an event and the kernel tracepoint it is
 * attached to. Tracepoints are looked up by name among the kernel's built-in
 * tracepoints, so a tracepoint that this kernel lacks makes its event
 * unavailable instead of failing the module load.
 *
 * Each probe's prototype is checked at build time against the kernel's
 * own tracepoint declaration (check_trace_callback_type_<tracepoint>(),
 * which DECLARE_TRACE provides for exactly this), so a tracepoint whose
 * arguments changed is a build error, never a probe reading the wrong
 * arguments. Kbuild makes incompatible-pointer-types an error for this
 * folder.
 */
#include <linux/percpu.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <kunit/visibility.h>
#include <trace/events/sched.h>

#include "probes.h"

struct ktrace_probe {
	const char *event;
	const char *tracepoint;
	void *func;
	/* Bound at init; NULL when this kernel has no such tracepoint. */
	struct tracepoint *tp;
	u64 __percpu *hits;
};

static void probe_sched_process_exec(void *data, struct task_struct *p,
				     pid_t old_pid, struct linux_binprm *bprm)
{
	struct ktrace_probe *probe = data;

	this_cpu_inc(*probe->hits);
}

static struct ktrace_probe probe_table[] = {
	{
		.event = "sched_process_exec",
		.tracepoint = "sched_process_exec",
		.func = probe_sched_process_exec,
	},
};

static void probe_lookup(struct tracepoint *tp, void *priv)
{
	struct ktrace_probe *probe;

	for (probe = probe_table; probe < probe_table + ARRAY_SIZE(probe_table);
	     probe++) {
		if (!probe->tp && !strcmp(tp->name, probe->tracepoint))
			probe->tp = tp;
	}
}

static struct ktrace_probe *probe_find(const char *event)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(probe_table); i++)
		if (!strcmp(probe_table[i].event, event))
			return &probe_table[i];
	return NULL;
}

static void probes_unregister(void)
{
	struct ktrace_probe *probe;

	for (probe = probe_table; probe < probe_table + ARRAY_SIZE(probe_table);
	     probe++) {
		if (probe->tp)
			tracepoint_probe_unregister(probe->tp, probe->func,
						    probe);
	}
	/* No probe may still be running when the counters go away. */
	tracepoint_synchronize_unregister();
	for (probe = probe_table; probe < probe_table + ARRAY_SIZE(probe_table);
	     probe++) {
		free_percpu(probe->hits);
		probe->hits = NULL;
		probe->tp = NULL;
	}
}

/**
 * ktrace_probes_init() - bind and register every probe of the event table
 *
 * An event whose tracepoint is missing from this kernel, or whose
 * registration fails, is left unavailable and reported in the kernel log.
 *
 * Context: process context, may sleep.
 * Return: 0, or -ENOMEM when the counters cannot be allocated.
 */
int ktrace_probes_init(void)
{
	struct ktrace_probe *probe;
	int ret;

	for (probe = probe_table; probe < probe_table + ARRAY_SIZE(probe_table);
	     probe++) {
		probe->hits = alloc_percpu(u64);
		if (!probe->hits)
			goto out_free;
	}
	/* Compile-time only: these calls generate no code. */
	check_trace_callback_type_sched_process_exec(probe_sched_process_exec);

	for_each_kernel_tracepoint(probe_lookup, NULL);

	for (probe = probe_table; probe < probe_table + ARRAY_SIZE(probe_table);
	     probe++) {
		if (!probe->tp) {
			pr_info("ktrace: event %s unavailable: no tracepoint %s\n",
				probe->event, probe->tracepoint);
			continue;
		}
		ret = tracepoint_probe_register(probe->tp, probe->func, probe);
		if (ret) {
			pr_warn("ktrace: event %s unavailable: registering on %s failed (%d)\n",
				probe->event, probe->tracepoint, ret);
			probe->tp = NULL;
		}
	}
	return 0;

out_free:
	for (probe = probe_table; probe < probe_table + ARRAY_SIZE(probe_table);
	     probe++) {
		free_percpu(probe->hits);
		probe->hits = NULL;
	}
	return -ENOMEM;
}

/**
 * ktrace_probes_exit() - unregister every probe and wait for running ones
 *
 * Context: process context, sleeps until no probe can run any more.
 */
void ktrace_probes_exit(void)
{
	probes_unregister();
}

/**
 * ktrace_probes_available() - whether an event's probe is registered
 * @event: event name
 *
 * Context: any.
 * Return: true when @event exists and is attached to its tracepoint.
 */
bool ktrace_probes_available(const char *event)
{
	struct ktrace_probe *probe = probe_find(event);

	return probe && probe->tp;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_probes_available);

/**
 * ktrace_probes_hits() - how often an event's probe has run, on all CPUs
 * @event: event name
 *
 * Context: any.
 * Return: the number of hits, 0 for an unknown or unavailable event.
 */
u64 ktrace_probes_hits(const char *event)
{
	struct ktrace_probe *probe = probe_find(event);
	u64 sum = 0;
	int cpu;

	if (!probe || !probe->hits)
		return 0;
	for_each_possible_cpu(cpu)
		sum += *per_cpu_ptr(probe->hits, cpu);
	return sum;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_probes_hits);

/**
 * ktrace_probes_show() - print each event, its state and its hit count
 * @m: seq_file to print to
 *
 * Context: process context.
 */
void ktrace_probes_show(struct seq_file *m)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(probe_table); i++)
		seq_printf(m, "%s %s %llu\n", probe_table[i].event,
			   probe_table[i].tp ? "available" : "unavailable",
			   ktrace_probes_hits(probe_table[i].event));
}
