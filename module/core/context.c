// SPDX-License-Identifier: GPL-2.0
/*
 * Contexts: fields a channel records with every event, after the event
 * header and before the payload, describing the task and CPU the event
 * happened on. In interrupt context that is the interrupted task, as in
 * LTTng.
 *
 * Each context has a fixed size, so a channel's context bytes per event
 * are known when the context is added; contexts cannot be added once the
 * session has started, so the layout of a stream never changes.
 */
#include <linux/err.h>
#include <linux/nsproxy.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/prio.h>
#include <linux/smp.h>
#include <linux/utsname.h>
#include <kunit/visibility.h>

#include "core/core_internal.h"
#include "probes/probes.h"

/*
 * The record path writes each context straight into the event, one
 * switch case each (ktrace_context_record()), with no call per context:
 * the table below only describes the fields, for the metadata.
 */
static __always_inline char *record_s32(char *pos, s32 v)
{
	return ktrace_record_write(pos, &v, sizeof(v));
}

static __always_inline pid_t context_ppid(void)
{
	pid_t ppid;

	rcu_read_lock();
	ppid = task_tgid_nr(rcu_dereference(current->real_parent));
	rcu_read_unlock();
	return ppid;
}

static char *record_hostname(char *pos)
{
	static const char none[__NEW_UTS_LEN + 1];
	const char *name = none;
	struct nsproxy *ns;

	/* An exiting task may have dropped its namespaces already. */
	rcu_read_lock();
	ns = current->nsproxy;
	if (ns)
		name = ns->uts_ns->name.nodename;
	pos = ktrace_record_write(pos, name, __NEW_UTS_LEN + 1);
	rcu_read_unlock();
	return pos;
}

#define CONTEXT_S32(_name)						\
	{ .name = #_name, .kind = KTRACE_FIELD_INTEGER,			\
	  .size = sizeof(s32), .is_signed = true }
#define CONTEXT_TEXT(_name, _len)					\
	{ .name = #_name, .kind = KTRACE_FIELD_ARRAY_TEXT,		\
	  .size = 1, .length = (_len) }

static const struct ktrace_field_desc context_types[KTRACE_CONTEXT_COUNT] = {
	[KTRACE_CONTEXT_PID] = CONTEXT_S32(pid),
	[KTRACE_CONTEXT_TID] = CONTEXT_S32(tid),
	[KTRACE_CONTEXT_PPID] = CONTEXT_S32(ppid),
	[KTRACE_CONTEXT_PROCNAME] = CONTEXT_TEXT(procname, TASK_COMM_LEN),
	[KTRACE_CONTEXT_PRIO] = CONTEXT_S32(prio),
	[KTRACE_CONTEXT_VPID] = CONTEXT_S32(vpid),
	[KTRACE_CONTEXT_VTID] = CONTEXT_S32(vtid),
	[KTRACE_CONTEXT_CPU_ID] = CONTEXT_S32(cpu_id),
	[KTRACE_CONTEXT_HOSTNAME] = CONTEXT_TEXT(hostname, __NEW_UTS_LEN + 1),
};

static unsigned int context_size(const struct ktrace_field_desc *f)
{
	return f->size * (f->length ? f->length : 1);
}

/**
 * ktrace_context_field() - the field a context type records
 * @t: the context type, less than KTRACE_CONTEXT_COUNT.
 *
 * Context: any.
 * Return: its description, for the metadata.
 */
const struct ktrace_field_desc *ktrace_context_field(enum ktrace_context_type t)
{
	return &context_types[t];
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_context_field);

/**
 * ktrace_context_name() - the name of a context type
 * @type: the context type.
 *
 * Context: any.
 * Return: its name ("pid", "procname", ...), or NULL for an unknown type.
 */
const char *ktrace_context_name(enum ktrace_context_type type)
{
	if ((unsigned int)type >= KTRACE_CONTEXT_COUNT)
		return NULL;
	return context_types[type].name;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_context_name);

/**
 * ktrace_context_add() - record a context with every event of a channel
 * @c: the channel.
 * @type: the context type.
 *
 * Context: process context, may sleep; takes sessions_lock.
 * Return: 0, or -EINVAL for an unknown @type, -EEXIST if the channel has
 * it already, -EBUSY once the session has been started or the channel's
 * stream class is in the metadata cache (the stream layout is fixed from
 * then on), -ENOENT if the session is destroyed.
 */
int ktrace_context_add(struct ktrace_channel *c, enum ktrace_context_type type)
{
	unsigned int i;
	int ret = 0;

	if ((unsigned int)type >= KTRACE_CONTEXT_COUNT)
		return -EINVAL;
	mutex_lock(&sessions_lock);
	if (c->session->destroyed) {
		ret = -ENOENT;
		goto out_unlock;
	}
	if (c->session->started_once || c->md_stream_done) {
		ret = -EBUSY;
		goto out_unlock;
	}
	for (i = 0; i < c->nr_contexts; i++) {
		if (c->contexts[i] == type) {
			ret = -EEXIST;
			goto out_unlock;
		}
	}
	c->contexts[c->nr_contexts] = type;
	c->context_size += context_size(&context_types[type]);
	/* ktrace_channel_contexts() may read without sessions_lock. */
	smp_store_release(&c->nr_contexts, c->nr_contexts + 1);
out_unlock:
	mutex_unlock(&sessions_lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_context_add);

/**
 * ktrace_channel_contexts() - the contexts a channel records
 * @c: the channel.
 * @types: filled with its context types, in the order they were added.
 * @max: room in @types.
 *
 * Context: any that may read the channel (sessions_lock or a reference on
 * its session held).
 * Return: how many were written, at most @max.
 */
unsigned int ktrace_channel_contexts(const struct ktrace_channel *c,
				     enum ktrace_context_type *types,
				     unsigned int max)
{
	unsigned int i, n;

	/* Pairs with ktrace_context_add()'s release: contexts[< n] are set. */
	n = smp_load_acquire(&c->nr_contexts);
	for (i = 0; i < n && i < max; i++)
		types[i] = c->contexts[i];
	return i;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_channel_contexts);

/*
 * Record path: write the channel's contexts, c->context_size bytes, at
 * @pos; returns where the event's payload goes.
 */
char *ktrace_context_record(const struct ktrace_channel *c, char *pos)
{
	unsigned int i;

	for (i = 0; i < c->nr_contexts; i++) {
		switch (c->contexts[i]) {
		case KTRACE_CONTEXT_PID:
			pos = record_s32(pos, task_tgid_nr(current));
			break;
		case KTRACE_CONTEXT_TID:
			pos = record_s32(pos, task_pid_nr(current));
			break;
		case KTRACE_CONTEXT_PPID:
			pos = record_s32(pos, context_ppid());
			break;
		case KTRACE_CONTEXT_PROCNAME:
			pos = ktrace_record_write(pos, current->comm,
						  TASK_COMM_LEN);
			break;
		case KTRACE_CONTEXT_PRIO:
			pos = record_s32(pos, current->prio - MAX_RT_PRIO);
			break;
		case KTRACE_CONTEXT_VPID:
			pos = record_s32(pos, task_tgid_vnr(current));
			break;
		case KTRACE_CONTEXT_VTID:
			pos = record_s32(pos, task_pid_vnr(current));
			break;
		case KTRACE_CONTEXT_CPU_ID:
			pos = record_s32(pos, raw_smp_processor_id());
			break;
		case KTRACE_CONTEXT_HOSTNAME:
			pos = record_hostname(pos);
			break;
		}
	}
	return pos;
}
