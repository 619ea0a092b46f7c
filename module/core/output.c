// SPDX-License-Identifier: GPL-2.0
/*
 * The outputs of a session and its snapshot counter. A snapshot session's
 * outputs are what "ktracectl snapshot add-output" records: a name, a
 * destination the kernel never interprets, and a default size. A normal
 * session has at most one output, its trace output ("trace"): the
 * directory its consumer writes to, with no size. Outputs are freed with
 * their session (ktrace_session_outputs_free()) or deleted. Locking is
 * the sessions' (see core_internal.h).
 */
#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include "core/core_internal.h"

struct session_output {
	struct list_head node;
	u32 id;
	u64 max_size;
	char name[KTRACE_NAME_MAX + 1];
	char *dest;
};

/**
 * ktrace_session_outputs_free() - free the outputs of a dying session
 * @s: the session, whose last reference is gone.
 *
 * Context: any that may sleep.
 */
void ktrace_session_outputs_free(struct ktrace_session *s)
{
	struct session_output *o, *tmp;

	list_for_each_entry_safe(o, tmp, &s->outputs, node) {
		list_del(&o->node);
		kfree(o->dest);
		kfree(o);
		atomic_dec(&core_live_objects);
	}
}

/* Caller holds sessions_lock. */
static struct session_output *output_find_name(struct ktrace_session *s,
					       const char *name)
{
	struct session_output *o;

	list_for_each_entry(o, &s->outputs, node)
		if (!strcmp(o->name, name))
			return o;
	return NULL;
}

/**
 * ktrace_session_output_add() - add an output to a session
 * @s: the session.
 * @name: 1 to KTRACE_NAME_MAX characters from [A-Za-z0-9_.-], unique in
 *	@s; NULL or "" for "snapshot-<id>" (snapshot sessions) or "trace"
 *	(normal sessions).
 * @dest: destination string, non-empty, shorter than
 *	KTRACE_OUTPUT_DEST_MAX; copied.
 * @max_size: default maximum snapshot size in bytes; 0 for no limit, the
 *	only value a normal session's trace output takes.
 * @id: receives the new output's id.
 *
 * Context: process context, may sleep; takes sessions_lock.
 * Return: 0, or -EINVAL for a bad name or destination or a size for a
 * normal session, -ENOENT if @s is destroyed, -EEXIST if @s has an output
 * of that name, -EMLINK if @s is a normal session with an output already,
 * -EOVERFLOW when output ids are exhausted, -ENOMEM when memory runs out.
 */
int ktrace_session_output_add(struct ktrace_session *s, const char *name,
			      const char *dest, u64 max_size, u32 *id)
{
	struct session_output *o;
	size_t dest_len;
	int ret;

	if (name && name[0] && !ktrace_name_valid(name))
		return -EINVAL;
	if (!dest || (s->mode == KTRACE_SESSION_NORMAL && max_size))
		return -EINVAL;
	dest_len = strnlen(dest, KTRACE_OUTPUT_DEST_MAX);
	if (dest_len == 0 || dest_len == KTRACE_OUTPUT_DEST_MAX)
		return -EINVAL;
	o = kzalloc(sizeof(*o), GFP_KERNEL);
	if (!o)
		return -ENOMEM;
	o->dest = kmemdup_nul(dest, dest_len, GFP_KERNEL);
	if (!o->dest) {
		ret = -ENOMEM;
		goto out_free_output;
	}
	o->max_size = max_size;

	mutex_lock(&sessions_lock);
	if (s->destroyed) {
		ret = -ENOENT;
		goto out_unlock;
	}
	if (!s->next_output_id) {
		ret = -EOVERFLOW;
		goto out_unlock;
	}
	o->id = s->next_output_id;
	if (name && name[0])
		strscpy(o->name, name, sizeof(o->name));
	else if (s->mode == KTRACE_SESSION_NORMAL)
		strscpy(o->name, KTRACE_TRACE_OUTPUT_NAME, sizeof(o->name));
	else
		snprintf(o->name, sizeof(o->name), "snapshot-%u", o->id);
	if (output_find_name(s, o->name)) {
		ret = -EEXIST;
		goto out_unlock;
	}
	if (s->mode == KTRACE_SESSION_NORMAL && !list_empty(&s->outputs)) {
		ret = -EMLINK;
		goto out_unlock;
	}
	s->next_output_id++;
	list_add_tail(&o->node, &s->outputs);
	atomic_inc(&core_live_objects);
	*id = o->id;
	mutex_unlock(&sessions_lock);
	return 0;

out_unlock:
	mutex_unlock(&sessions_lock);
	kfree(o->dest);
out_free_output:
	kfree(o);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_session_output_add);

static int output_del(struct ktrace_session *s, const char *name, u32 id)
{
	struct session_output *o, *found = NULL;
	int ret = 0;

	mutex_lock(&sessions_lock);
	list_for_each_entry(o, &s->outputs, node) {
		if (name ? !strcmp(o->name, name) : o->id == id) {
			found = o;
			break;
		}
	}
	/* The consumer writes to a normal session's output. */
	if (found && s->consumer_attached)
		ret = -EBUSY;
	else if (found)
		list_del(&found->node);
	mutex_unlock(&sessions_lock);
	if (!found)
		return -ENOENT;
	if (ret)
		return ret;
	kfree(found->dest);
	kfree(found);
	atomic_dec(&core_live_objects);
	return 0;
}

/**
 * ktrace_session_output_del_id() - delete an output by id
 * @s: the session.
 * @id: the output id.
 *
 * Context: process context, may sleep; takes sessions_lock.
 * Return: 0, or -ENOENT if @s has no output with that id, -EBUSY while
 * a consumer is attached to @s.
 */
int ktrace_session_output_del_id(struct ktrace_session *s, u32 id)
{
	return output_del(s, NULL, id);
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_session_output_del_id);

/**
 * ktrace_session_output_del_name() - delete an output by name
 * @s: the session.
 * @name: the output name.
 *
 * Context: process context, may sleep; takes sessions_lock.
 * Return: 0, or -ENOENT if @s has no output with that name, -EBUSY while
 * a consumer is attached to @s.
 */
int ktrace_session_output_del_name(struct ktrace_session *s,
				   const char *name)
{
	if (!ktrace_name_valid(name))
		return -ENOENT;
	return output_del(s, name, 0);
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_session_output_del_name);

/**
 * ktrace_session_output_for_each() - visit the snapshot outputs
 * @s: the session.
 * @fn: called for each output in the order they were added; a non-zero
 *	return stops the walk. Runs under sessions_lock: it must not call
 *	this API, and @o is valid only during the call.
 * @arg: passed to @fn.
 *
 * Context: process context, may sleep; takes sessions_lock.
 * Return: 0 after visiting every output, or the first non-zero return of
 * @fn.
 */
int ktrace_session_output_for_each(struct ktrace_session *s,
				   int (*fn)(void *arg,
					     const struct ktrace_snapshot_output *o),
				   void *arg)
{
	struct ktrace_snapshot_output info;
	struct session_output *o;
	int ret = 0;

	mutex_lock(&sessions_lock);
	list_for_each_entry(o, &s->outputs, node) {
		info.id = o->id;
		info.name = o->name;
		info.dest = o->dest;
		info.max_size = o->max_size;
		ret = fn(arg, &info);
		if (ret)
			break;
	}
	mutex_unlock(&sessions_lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_session_output_for_each);

/**
 * ktrace_session_snapshot_count() - snapshots recorded so far
 * @s: the session.
 *
 * Context: process context, may sleep; takes sessions_lock.
 * Return: the snapshot counter.
 */
u64 ktrace_session_snapshot_count(struct ktrace_session *s)
{
	u64 n;

	mutex_lock(&sessions_lock);
	n = s->snapshot_count;
	mutex_unlock(&sessions_lock);
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_session_snapshot_count);

/**
 * ktrace_session_snapshot_bump() - count one recorded snapshot
 * @s: the session.
 *
 * Call only after a snapshot was recorded successfully.
 *
 * Context: process context, may sleep; takes sessions_lock.
 */
void ktrace_session_snapshot_bump(struct ktrace_session *s)
{
	mutex_lock(&sessions_lock);
	s->snapshot_count++;
	mutex_unlock(&sessions_lock);
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_session_snapshot_bump);
