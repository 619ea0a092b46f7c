// SPDX-License-Identifier: GPL-2.0
/*
 * Events enabled in channels, and the record path.
 *
 * Enabling an event in a channel the first time creates its struct
 * ktrace_event, gives it the channel's next id and links it into the
 * probe's list; the probe's tracepoint is registered while at least one
 * linked event is enabled. Disabling clears the flag and drops that
 * registration. The struct stays linked until the session is destroyed,
 * which unlinks it, waits for running probes and only then lets the
 * session's release free it: a probe never runs on freed memory.
 *
 * Record layout of one event (all packed, CPU byte order):
 *
 *   +-----------------------+-------------------+------------------+
 *   | event header          | contexts          | payload          |
 *   | compact: 4 bytes      | channel's, in the | event's fields,  |
 *   | extended: 13 bytes    | order added       | in table order   |
 *   +-----------------------+-------------------+------------------+
 */
#include <linux/err.h>
#include <linux/ctype.h>
#include <linux/glob.h>
#include <linux/slab.h>
#include <kunit/visibility.h>

#include "core/core_internal.h"
#include "probes/probes.h"

/* Longest event name or glob pattern, without the NUL. */
#define EVENT_PATTERN_MAX	64

static bool event_pattern_valid(const char *pattern)
{
	size_t len = strnlen(pattern, EVENT_PATTERN_MAX + 1);
	size_t i;

	if (!len || len > EVENT_PATTERN_MAX)
		return false;
	for (i = 0; i < len; i++) {
		char ch = pattern[i];

		if (!isalnum(ch) && ch != '_' && ch != '*' && ch != '?')
			return false;
	}
	return true;
}

static bool event_pattern_is_glob(const char *pattern)
{
	return strpbrk(pattern, "*?");
}

/*
 * A glob reaches the per-syscall events only when it starts with
 * "syscall_", as lttng keeps system calls apart from tracepoints: "*"
 * stays the kernel's tracepoints, "syscall_entry_*" is every call.
 */
static bool event_glob_reaches(const char *pattern,
			       const struct ktrace_event_desc *desc)
{
	return !ktrace_probes_is_syscall(desc) ||
	       !strncmp(pattern, "syscall_", strlen("syscall_"));
}

/* Caller holds sessions_lock. */
static struct ktrace_event *
event_find(struct ktrace_channel *c, const struct ktrace_event_desc *desc)
{
	struct ktrace_event *ev;

	list_for_each_entry(ev, &c->events, chan_node)
		if (ev->desc == desc)
			return ev;
	return NULL;
}

/* Caller holds sessions_lock. */
static int event_enable_one(struct ktrace_channel *c,
			    const struct ktrace_event_desc *desc)
{
	struct ktrace_event *ev = event_find(c, desc);
	int ret;

	if (ev && ev->requested)
		return 0;
	if (!ev) {
		ev = kzalloc(sizeof(*ev), GFP_KERNEL);
		if (!ev)
			return -ENOMEM;
		ev->chan = c;
		ev->desc = desc;
		ev->id = c->next_event_id;
		ret = ktrace_probes_link(desc, &ev->probe_node);
		if (ret) {
			kfree(ev);
			return ret;
		}
		c->next_event_id++;
		list_add_tail(&ev->chan_node, &c->events);
	}
	/* A disabled channel's events record once it is enabled. */
	if (c->enabled) {
		ret = ktrace_probes_get(desc);
		if (ret)
			return ret;
		WRITE_ONCE(ev->enabled, true);
	}
	ev->requested = true;
	return 0;
}

/* Caller holds sessions_lock: @ev stops recording. */
static void event_pause_one(struct ktrace_event *ev)
{
	if (!ev->enabled)
		return;
	WRITE_ONCE(ev->enabled, false);
	ktrace_probes_put(ev->desc);
}

/* Caller holds sessions_lock. */
static void event_disable_one(struct ktrace_event *ev)
{
	ev->requested = false;
	event_pause_one(ev);
}

/**
 * ktrace_channel_events_pause() - stop recording a channel's events
 * @c: the channel, being disabled.
 *
 * Their requested state stays.
 *
 * Context: process context, may sleep; the caller holds sessions_lock.
 */
void ktrace_channel_events_pause(struct ktrace_channel *c)
{
	struct ktrace_event *ev;

	lockdep_assert_held(&sessions_lock);
	list_for_each_entry(ev, &c->events, chan_node)
		event_pause_one(ev);
}

/**
 * ktrace_channel_events_resume() - record a channel's requested events
 * @c: the channel, being enabled.
 *
 * Context: process context, may sleep; the caller holds sessions_lock.
 * Return: 0, or the errno of a probe's registration: then none of the
 * channel's events records.
 */
int ktrace_channel_events_resume(struct ktrace_channel *c)
{
	struct ktrace_event *ev;
	int ret;

	lockdep_assert_held(&sessions_lock);
	list_for_each_entry(ev, &c->events, chan_node) {
		if (!ev->requested || ev->enabled)
			continue;
		ret = ktrace_probes_get(ev->desc);
		if (ret) {
			ktrace_channel_events_pause(c);
			return ret;
		}
		WRITE_ONCE(ev->enabled, true);
	}
	return 0;
}

/**
 * ktrace_event_enable() - enable events in a channel
 * @c: the channel.
 * @pattern: an event name, or a glob (`*`, `?`) matching several; up to
 *	64 characters from [A-Za-z0-9_*?].
 *
 * Takes effect at once, also while the session is active; in a disabled
 * channel, once the channel is enabled. An event keeps
 * its id when disabled and enabled again. A glob enables the matching
 * events this kernel can trace and leaves out the unavailable ones, and
 * the per-syscall events unless it starts with "syscall_"; when
 * enabling one fails, the events enabled before it stay enabled.
 *
 * Context: process context, may sleep; takes sessions_lock.
 * Return: the number of matching events, now all enabled (including those
 * already enabled), or -EINVAL for a bad pattern, -ENOENT if nothing
 * matches (or the session is destroyed), -ENODEV if the named event is
 * unavailable on this kernel, -ENOMEM, or the errno of the tracepoint
 * registration.
 */
int ktrace_event_enable(struct ktrace_channel *c, const char *pattern)
{
	const struct ktrace_event_desc *desc;
	unsigned int i;
	int ret = 0, n = 0;

	if (!event_pattern_valid(pattern))
		return -EINVAL;
	mutex_lock(&sessions_lock);
	if (c->session->destroyed) {
		ret = -ENOENT;
		goto out_unlock;
	}
	if (!event_pattern_is_glob(pattern)) {
		desc = ktrace_probes_find(pattern);
		if (!desc)
			ret = -ENOENT;
		else if (!ktrace_probes_available(desc))
			ret = -ENODEV;
		else
			ret = event_enable_one(c, desc);
		n = 1;
		goto out_unlock;
	}
	for (i = 0; i < ktrace_probes_count(); i++) {
		desc = ktrace_probes_desc(i);
		if (!glob_match(pattern, desc->name) ||
		    !ktrace_probes_available(desc) ||
		    !event_glob_reaches(pattern, desc))
			continue;
		ret = event_enable_one(c, desc);
		if (ret)
			goto out_unlock;
		n++;
	}
	if (!n)
		ret = -ENOENT;
out_unlock:
	mutex_unlock(&sessions_lock);
	/* New events get their declaration in the metadata cache. */
	if (n)
		ktrace_metadata_cache_changed(c->session);
	return ret ? ret : n;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_event_enable);

/**
 * ktrace_event_disable() - disable events in a channel
 * @c: the channel.
 * @pattern: an event name or a glob, as for ktrace_event_enable().
 *
 * Probes already running may still record the event; none starts doing
 * so after this returns. The event keeps its id and its place in the
 * metadata.
 *
 * Context: process context, may sleep; takes sessions_lock.
 * Return: the number of events disabled, or -EINVAL for a bad pattern,
 * -ENOENT if no enabled event of the channel matches (or the session is
 * destroyed).
 */
int ktrace_event_disable(struct ktrace_channel *c, const char *pattern)
{
	struct ktrace_event *ev;
	int n = 0;

	if (!event_pattern_valid(pattern))
		return -EINVAL;
	mutex_lock(&sessions_lock);
	if (!c->session->destroyed) {
		list_for_each_entry(ev, &c->events, chan_node) {
			if (ev->requested &&
			    glob_match(pattern, ev->desc->name)) {
				event_disable_one(ev);
				n++;
			}
		}
	}
	mutex_unlock(&sessions_lock);
	return n ? n : -ENOENT;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_event_disable);

/**
 * ktrace_event_for_each() - call a function on each event of a channel
 * @c: the channel.
 * @fn: called in id order, for enabled and disabled events; a non-zero
 *	return stops the walk. Runs under sessions_lock: it must not call
 *	back into the core API.
 * @arg: passed to @fn.
 *
 * Context: process context, may sleep; takes sessions_lock.
 * Return: 0, or the first non-zero value @fn returned.
 */
int ktrace_event_for_each(struct ktrace_channel *c,
			  int (*fn)(void *arg, const struct ktrace_event *ev),
			  void *arg)
{
	struct ktrace_event *ev;
	int ret = 0;

	mutex_lock(&sessions_lock);
	list_for_each_entry(ev, &c->events, chan_node) {
		ret = fn(arg, ev);
		if (ret)
			break;
	}
	mutex_unlock(&sessions_lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_event_for_each);

/*
 * Session destroy, under sessions_lock: no probe may find the channel's
 * events any more. The caller waits for running probes before the
 * buffers are finalized and the events freed.
 */
void ktrace_channel_events_unlink(struct ktrace_channel *c)
{
	struct ktrace_event *ev;

	lockdep_assert_held(&sessions_lock);
	list_for_each_entry(ev, &c->events, chan_node) {
		event_pause_one(ev);
		ktrace_probes_unlink(&ev->probe_node);
	}
}

/* Session release: the events were unlinked and probes waited for. */
void ktrace_channel_events_free(struct ktrace_channel *c)
{
	struct ktrace_event *ev, *tmp;

	list_for_each_entry_safe(ev, tmp, &c->events, chan_node) {
		list_del(&ev->chan_node);
		kfree(ev);
	}
}
