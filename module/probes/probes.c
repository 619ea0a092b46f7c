// SPDX-License-Identifier: GPL-2.0
/*
 * ktrace probes: binding the event table (events.c) to the kernel's
 * tracepoints, and registering each probe while some channel records its
 * event.
 *
 * Tracepoints are looked up by name among the kernel's built-in
 * tracepoints at load time, so a tracepoint that this kernel lacks makes
 * its event unavailable instead of failing the module load. A probe is
 * registered on its tracepoint only while at least one channel has the
 * event enabled: an event nobody records costs nothing.
 *
 * Locking: probes_lock (a mutex) serialises registration and the writers
 * of each probe's event list; probes walk that list with preemption
 * disabled (define_events.h), whatever the tracepoint's own protection
 * (RCU-sched before 6.13, tasks-trace RCU for faultable tracepoints,
 * SRCU from 7.x on), and ktrace_probes_synchronize() waits for every walk
 * and every probe call in progress.
 */
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/rculist.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <kunit/visibility.h>

#include "probes/probes_internal.h"
#include "probes/syscalls_internal.h"

static DEFINE_MUTEX(probes_lock);
static struct ktrace_probe *probe_test;

#define for_each_probe(probe)						\
	for (probe = ktrace_probe_table;				\
	     probe < ktrace_probe_table + ktrace_probe_table_size; probe++)

static struct ktrace_probe *to_probe(const struct ktrace_event_desc *desc)
{
	return container_of(desc, struct ktrace_probe, desc);
}

static void probe_lookup(struct tracepoint *tp, void *priv)
{
	struct ktrace_probe *probe;

	for_each_probe(probe)
		if (probe->desc.tracepoint && !probe->tp &&
		    !strcmp(tp->name, probe->desc.tracepoint))
			probe->tp = tp;
}

static void probes_free(void)
{
	struct ktrace_probe *probe;

	for_each_probe(probe) {
		free_percpu(probe->hits);
		probe->hits = NULL;
		probe->tp = NULL;
	}
}

/**
 * ktrace_probes_init() - bind every event of the table to its tracepoint
 *
 * An event whose tracepoint is missing from this kernel is left
 * unavailable and reported in the kernel log. Nothing is registered yet.
 *
 * Context: process context, may sleep.
 * Return: 0, or -ENOMEM when the counters cannot be allocated.
 */
int ktrace_probes_init(void)
{
	struct ktrace_probe *probe;

	for_each_probe(probe) {
		INIT_HLIST_HEAD(&probe->events);
		probe->users = 0;
		probe->hits = alloc_percpu(u64);
		if (!probe->hits)
			goto out_free;
		if (!strcmp(probe->desc.name, "ktrace_test"))
			probe_test = probe;
	}
	for_each_kernel_tracepoint(probe_lookup, NULL);
	ktrace_sc_init();
	for_each_probe(probe)
		if (probe->desc.tracepoint && !probe->tp)
			pr_info("ktrace: event %s unavailable: no tracepoint %s\n",
				probe->desc.name, probe->desc.tracepoint);
	return 0;

out_free:
	probes_free();
	return -ENOMEM;
}

/**
 * ktrace_probes_exit() - release the table
 *
 * Every session is gone by now, so no probe is registered; this waits for
 * probes that may still be running before freeing their counters.
 *
 * Context: process context, may sleep.
 */
void ktrace_probes_exit(void)
{
	ktrace_probes_synchronize();
	probes_free();
}

/**
 * ktrace_probes_count() - the number of events in the table
 *
 * Context: any.
 * Return: the number of events, available or not.
 */
unsigned int ktrace_probes_count(void)
{
	return ktrace_probe_table_size;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_probes_count);

/**
 * ktrace_probes_desc() - an event of the table, by index
 * @index: less than ktrace_probes_count().
 *
 * Context: any.
 * Return: its description, valid while the module is loaded; NULL for an
 * index out of range.
 */
const struct ktrace_event_desc *ktrace_probes_desc(unsigned int index)
{
	if (index >= ktrace_probe_table_size)
		return NULL;
	return &ktrace_probe_table[index].desc;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_probes_desc);

/**
 * ktrace_probes_find() - an event of the table, by name
 * @name: the event name.
 *
 * Context: any.
 * Return: its description, or NULL for an unknown name.
 */
const struct ktrace_event_desc *ktrace_probes_find(const char *name)
{
	struct ktrace_probe *probe;

	for_each_probe(probe)
		if (!strcmp(probe->desc.name, name))
			return &probe->desc;
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_probes_find);

/**
 * ktrace_probes_available() - whether an event can be recorded here
 * @desc: the event.
 *
 * Context: any.
 * Return: true for ktrace's own events, for events whose tracepoint
 * this kernel has, and for the per-syscall events where it has sys_enter
 * and sys_exit.
 */
bool ktrace_probes_available(const struct ktrace_event_desc *desc)
{
	struct ktrace_probe *probe = to_probe(desc);

	if (probe->syscall)
		return ktrace_sc_available();
	return !desc->tracepoint || probe->tp;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_probes_available);

/**
 * ktrace_probes_is_syscall() - whether an event is a per-syscall event
 * @desc: the event.
 *
 * Context: any.
 * Return: true for syscall_entry_<name>, syscall_exit_<name> and
 * syscall_{entry,exit}_unknown; false for the raw syscall_entry and
 * syscall_exit and every other event.
 */
bool ktrace_probes_is_syscall(const struct ktrace_event_desc *desc)
{
	return to_probe(desc)->syscall;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_probes_is_syscall);

/**
 * ktrace_probes_hits() - how often an event's probe has run, on all CPUs
 * @desc: the event.
 *
 * Context: any.
 * Return: the number of calls of its probe since the module was loaded.
 */
u64 ktrace_probes_hits(const struct ktrace_event_desc *desc)
{
	struct ktrace_probe *probe = to_probe(desc);
	u64 sum = 0;
	int cpu;

	if (!probe->hits)
		return 0;
	for_each_possible_cpu(cpu)
		sum += *per_cpu_ptr(probe->hits, cpu);
	return sum;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_probes_hits);

/**
 * ktrace_probes_link() - make a probe visit an enabled-event node
 * @desc: the event.
 * @node: the probe_node of a struct ktrace_event, not linked yet.
 *
 * Context: process context, may sleep; takes probes_lock.
 * Return: 0, or -ENODEV if the event is unavailable on this kernel.
 */
int ktrace_probes_link(const struct ktrace_event_desc *desc,
		       struct hlist_node *node)
{
	struct ktrace_probe *probe = to_probe(desc);

	if (!ktrace_probes_available(desc))
		return -ENODEV;
	mutex_lock(&probes_lock);
	hlist_add_tail_rcu(node, &probe->events);
	mutex_unlock(&probes_lock);
	return 0;
}

/**
 * ktrace_probes_unlink() - undo ktrace_probes_link()
 * @node: the linked node.
 *
 * Probes running now may still visit @node: free it only after
 * ktrace_probes_synchronize().
 *
 * Context: process context, may sleep; takes probes_lock.
 */
void ktrace_probes_unlink(struct hlist_node *node)
{
	mutex_lock(&probes_lock);
	hlist_del_rcu(node);
	mutex_unlock(&probes_lock);
}

/**
 * ktrace_probes_get() - keep an event's probe registered
 * @desc: the event.
 *
 * The first user registers the probe on its tracepoint.
 *
 * Context: process context, may sleep; takes probes_lock.
 * Return: 0, or -ENODEV if the event is unavailable, or the errno of
 * tracepoint_probe_register().
 */
int ktrace_probes_get(const struct ktrace_event_desc *desc)
{
	struct ktrace_probe *probe = to_probe(desc);
	int ret = 0;

	if (!ktrace_probes_available(desc))
		return -ENODEV;
	mutex_lock(&probes_lock);
	if (!probe->users && probe->tp)
		ret = tracepoint_probe_register(probe->tp, probe->func, probe);
	else if (!probe->users && probe->syscall)
		ret = ktrace_sc_enable(probe);
	if (!ret)
		probe->users++;
	mutex_unlock(&probes_lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_probes_get);

/**
 * ktrace_probes_put() - drop a ktrace_probes_get()
 * @desc: the event.
 *
 * The last user unregisters the probe. A call already running may still
 * be in progress when this returns.
 *
 * Context: process context, may sleep; takes probes_lock.
 */
void ktrace_probes_put(const struct ktrace_event_desc *desc)
{
	struct ktrace_probe *probe = to_probe(desc);

	mutex_lock(&probes_lock);
	if (!--probe->users && probe->tp)
		tracepoint_probe_unregister(probe->tp, probe->func, probe);
	else if (!probe->users && probe->syscall)
		ktrace_sc_disable(probe);
	mutex_unlock(&probes_lock);
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_probes_put);

/**
 * ktrace_probes_synchronize() - wait for every probe call in progress
 *
 * Context: process context, sleeps.
 */
void ktrace_probes_synchronize(void)
{
	/* The probe calls: RCU-sched, SRCU or tasks-trace, by kernel. */
	tracepoint_synchronize_unregister();
	/*
	 * The walks, and ktrace_probes_fire_test(): preemption disabled.
	 * From 7.x on, tracepoint_synchronize_unregister() no longer waits
	 * for those.
	 */
	synchronize_rcu();
}

/* Calls between two chances to reschedule in ktrace_probes_fire_test(). */
#define FIRE_TEST_BATCH	256

/**
 * ktrace_probes_fire_test() - record ktrace_test events
 * @seq: sequence number of the first event; each next one adds 1.
 * @count: how many events.
 * @payload: recorded in every event.
 *
 * Records into every channel where ktrace_test is enabled and whose
 * session is active, on the calling CPU, as a tracepoint would.
 *
 * Context: process context, may sleep between events.
 * Return: 0.
 */
int ktrace_probes_fire_test(u64 seq, u32 count, u64 payload)
{
	u32 i;

	for (i = 0; i < count; i++) {
		/* Probes run with preemption disabled, as under a tracepoint. */
		preempt_disable_notrace();
		ktrace_probe_fire_test(probe_test, seq + i, payload);
		preempt_enable_notrace();
		if (i % FIRE_TEST_BATCH == FIRE_TEST_BATCH - 1)
			cond_resched();
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_probes_fire_test);

/**
 * ktrace_probes_fire_test_faultable() - record ktrace_test events as a
 *	faultable tracepoint calls its probes
 * @seq: sequence number of the first event; each next one adds 1.
 * @count: how many events.
 * @payload: recorded in every event.
 *
 * From 6.13 on, sys_enter and sys_exit are faultable tracepoints: they call
 * their probes preemptible, under tasks-trace RCU instead of RCU-sched.
 * This calls the ktrace_test probe preemptible too, so that the probe path
 * is tested for that context on any kernel.
 *
 * Context: process context, may sleep between events.
 * Return: 0.
 */
int ktrace_probes_fire_test_faultable(u64 seq, u32 count, u64 payload)
{
	u32 i;

	for (i = 0; i < count; i++) {
		ktrace_probe_fire_test(probe_test, seq + i, payload);
		if (i % FIRE_TEST_BATCH == FIRE_TEST_BATCH - 1)
			cond_resched();
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_probes_fire_test_faultable);

/**
 * ktrace_probes_show() - print each event, its state and its hit count
 * @m: seq_file to print to
 *
 * Context: process context.
 */
void ktrace_probes_show(struct seq_file *m)
{
	struct ktrace_probe *probe;

	for_each_probe(probe)
		seq_printf(m, "%s %s %llu\n", probe->desc.name,
			   ktrace_probes_available(&probe->desc) ?
			   "available" : "unavailable",
			   ktrace_probes_hits(&probe->desc));
}
