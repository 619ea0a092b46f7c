// SPDX-License-Identifier: GPL-2.0
/*
 * ktrace sessions: the table, their life and their state. Their channels
 * are in channel.c, their snapshot outputs and counter in output.c.
 *
 * Lifetime: the session table (an allocating xarray) holds one reference
 * on every listed session; lookups return a new reference taken under
 * sessions_lock, so a listed session never reaches a zero count.
 * ktrace_session_destroy() stops the session, finalizes its ring buffers
 * and drops the table's reference; channels, outputs and buffers are freed
 * by the release of the last reference.
 *
 * Locking: sessions_lock, a mutex, protects the table and every mutable
 * field of every session, including its output and channel lists. The
 * control path is not hot; one lock keeps it obviously correct.
 */
#include <linux/atomic.h>
#include <linux/ctype.h>
#include <linux/err.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <kunit/visibility.h>

#include "core/core_internal.h"
#include "probes/probes.h"
#include "ringbuffer/ringbuffer.h"

/* See core_internal.h for what it protects. */
DEFINE_MUTEX(sessions_lock);
static DEFINE_XARRAY_ALLOC1(sessions);
static u32 sessions_next_id;
/* See core_internal.h. */
atomic_t core_live_objects = ATOMIC_INIT(0);

/**
 * ktrace_core_live_objects() - count of live core objects, for leak tests
 *
 * Context: any.
 * Return: sessions, channels and snapshot outputs allocated and not yet
 * freed.
 */
int ktrace_core_live_objects(void)
{
	return atomic_read(&core_live_objects);
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_core_live_objects);

/**
 * ktrace_name_valid() - check a session, channel or output name
 * @name: the name, or NULL.
 *
 * Context: any.
 * Return: true if @name has 1 to KTRACE_NAME_MAX characters, all from
 * [A-Za-z0-9_.-].
 */
bool ktrace_name_valid(const char *name)
{
	size_t i, len;

	if (!name)
		return false;
	len = strnlen(name, KTRACE_NAME_MAX + 1);
	if (len == 0 || len > KTRACE_NAME_MAX)
		return false;
	for (i = 0; i < len; i++) {
		char c = name[i];

		if (!isalnum(c) && c != '_' && c != '.' && c != '-')
			return false;
	}
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_name_valid);

static void session_release(struct kref *ref)
{
	struct ktrace_session *s = container_of(ref, struct ktrace_session,
						ref);

	ktrace_session_channels_free(s);
	ktrace_session_outputs_free(s);
	ktrace_metadata_cache_release(s);
	kfree(s);
	atomic_dec(&core_live_objects);
}

/* Caller holds sessions_lock. */
static struct ktrace_session *session_find_name(const char *name)
{
	struct ktrace_session *s;
	unsigned long id;

	xa_for_each(&sessions, id, s)
		if (!strcmp(s->name, name))
			return s;
	return NULL;
}

/**
 * ktrace_session_create() - create and list a session
 * @name: 1 to KTRACE_NAME_MAX characters from [A-Za-z0-9_.-], unique.
 * @mode: normal or snapshot.
 *
 * The session starts with no channel, no output and state
 * KTRACE_SESSION_NEVER_STARTED.
 *
 * Context: process context, may sleep; takes sessions_lock.
 * Return: the session, with a reference for the caller to put, or
 * ERR_PTR(-EINVAL) for a bad name or mode, ERR_PTR(-EEXIST) if a session
 * of that name exists, ERR_PTR(-EBUSY) when no id is free,
 * ERR_PTR(-ENOMEM) when memory runs out.
 */
struct ktrace_session *ktrace_session_create(const char *name,
					     enum ktrace_session_mode mode)
{
	struct ktrace_session *s;
	int ret;

	if (!ktrace_name_valid(name))
		return ERR_PTR(-EINVAL);
	if (mode != KTRACE_SESSION_NORMAL && mode != KTRACE_SESSION_SNAPSHOT)
		return ERR_PTR(-EINVAL);
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return ERR_PTR(-ENOMEM);
	/* One reference for the table, one for the caller. */
	kref_init(&s->ref);
	kref_get(&s->ref);
	s->mode = mode;
	s->state = KTRACE_SESSION_NEVER_STARTED;
	s->next_output_id = 1;
	uuid_gen(&s->uuid);
	s->clock_offset_ns = ktime_get_real_ns() - ktrace_rb_clock();
	s->creation_time = ktime_get_real_seconds();
	INIT_LIST_HEAD(&s->outputs);
	INIT_LIST_HEAD(&s->channels);
	init_waitqueue_head(&s->consumer_wait);
	strscpy(s->name, name, sizeof(s->name));
	ret = ktrace_metadata_cache_create(s);
	if (ret) {
		kfree(s);
		return ERR_PTR(ret);
	}

	mutex_lock(&sessions_lock);
	if (session_find_name(name)) {
		ret = -EEXIST;
		goto out_unlock;
	}
	ret = xa_alloc_cyclic(&sessions, &s->id, s, xa_limit_32b,
			      &sessions_next_id, GFP_KERNEL);
	if (ret < 0)
		goto out_unlock;
	atomic_inc(&core_live_objects);
	mutex_unlock(&sessions_lock);
	return s;

out_unlock:
	mutex_unlock(&sessions_lock);
	ktrace_metadata_cache_release(s);
	kfree(s);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_session_create);

/**
 * ktrace_session_get() - take a reference on a session
 * @s: a session the caller already holds a reference on.
 *
 * Context: any.
 */
void ktrace_session_get(struct ktrace_session *s)
{
	kref_get(&s->ref);
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_session_get);

/**
 * ktrace_session_put() - drop a reference on a session
 * @s: the session, or NULL.
 *
 * The last reference frees the session, its outputs, its channels and
 * their ring buffers; only a destroyed session can lose its last one.
 *
 * Context: process context, may sleep (freeing ring buffers waits for an
 * RCU grace period).
 */
void ktrace_session_put(struct ktrace_session *s)
{
	if (s)
		kref_put(&s->ref, session_release);
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_session_put);

/**
 * ktrace_session_lookup_id() - find a listed session by id
 * @id: the session id.
 *
 * Context: process context, may sleep; takes sessions_lock.
 * Return: the session with a new reference, or NULL if no listed session
 * has that id.
 */
struct ktrace_session *ktrace_session_lookup_id(u32 id)
{
	struct ktrace_session *s;

	mutex_lock(&sessions_lock);
	s = xa_load(&sessions, id);
	if (s)
		kref_get(&s->ref);
	mutex_unlock(&sessions_lock);
	return s;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_session_lookup_id);

/**
 * ktrace_session_lookup_name() - find a listed session by name
 * @name: the session name.
 *
 * Context: process context, may sleep; takes sessions_lock.
 * Return: the session with a new reference, or NULL if no listed session
 * has that name.
 */
struct ktrace_session *ktrace_session_lookup_name(const char *name)
{
	struct ktrace_session *s;

	if (!ktrace_name_valid(name))
		return NULL;
	mutex_lock(&sessions_lock);
	s = session_find_name(name);
	if (s)
		kref_get(&s->ref);
	mutex_unlock(&sessions_lock);
	return s;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_session_lookup_name);

/**
 * ktrace_session_list_ids() - the ids of the listed sessions
 * @ids: array that receives up to @max ids, in increasing order.
 * @max: room in @ids; 0 to only count.
 *
 * Context: process context, may sleep; takes sessions_lock.
 * Return: the number of listed sessions, which may exceed @max.
 */
int ktrace_session_list_ids(u32 *ids, unsigned int max)
{
	struct ktrace_session *s;
	unsigned long id;
	int n = 0;

	mutex_lock(&sessions_lock);
	xa_for_each(&sessions, id, s) {
		if (n < max)
			ids[n] = s->id;
		n++;
	}
	mutex_unlock(&sessions_lock);
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_session_list_ids);

/* Why @s cannot start now; caller holds sessions_lock. */
static int session_startable_locked(struct ktrace_session *s)
{
	if (s->destroyed)
		return -ENOENT;
	if (s->state == KTRACE_SESSION_ACTIVE)
		return -EALREADY;
	return 0;
}

/**
 * ktrace_session_start() - start recording
 * @s: the session.
 *
 * Creates channel0 first if the session has no channel (its buffers are
 * allocated without sessions_lock held), and arms the switch timer of
 * every channel that has one. The first start then records a statedump
 * (ktrace_probes_statedump()), after sessions_lock is released; one that
 * finds no memory for its path buffer records nothing, and
 * KTRACE_CMD_REGENERATE_STATEDUMP can ask again.
 *
 * Context: process context, may sleep; takes sessions_lock.
 * Return: 0, or -ENOENT if @s is destroyed, -EALREADY if it is active, an
 * errno of ktrace_session_default_channel().
 */
int ktrace_session_start(struct ktrace_session *s)
{
	struct ktrace_channel *c;
	bool need_channel, first = false;
	int ret;

	mutex_lock(&sessions_lock);
	ret = session_startable_locked(s);
	need_channel = !s->num_channels;
	mutex_unlock(&sessions_lock);
	if (ret)
		return ret;
	if (need_channel) {
		c = ktrace_session_default_channel(s);
		/* -EBUSY: another start won the race. */
		if (IS_ERR(c))
			return PTR_ERR(c) == -EBUSY ? -EALREADY : PTR_ERR(c);
	}

	mutex_lock(&sessions_lock);
	/* Checked again: the lock was dropped while channel0 was made. */
	ret = session_startable_locked(s);
	if (!ret) {
		/* Pairs with smp_load_acquire() in ktrace_record_begin(). */
		smp_store_release(&s->state, KTRACE_SESSION_ACTIVE);
		first = !s->started_once;
		s->started_once = true;
		ktrace_session_timers_start(s);
	}
	mutex_unlock(&sessions_lock);
	/* As LTTng: the first start records the state the trace begins in. */
	if (first)
		ktrace_probes_statedump(NULL);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_session_start);

/**
 * ktrace_session_stop_counted() - stop recording, and say which stop it was
 * @s: the session.
 * @stop_seq: set on success to the session's stop sequence after this
 *	stop; may be NULL.
 *
 * Cancels the channels' timers and waits for running ones, and for probes
 * still recording; then closes the packet being written in every stream
 * (so that every event recorded is in a delivered packet), increments the
 * stop sequence and wakes the consumer and the streams' pollers.
 *
 * Context: process context, may sleep; takes sessions_lock.
 * Return: 0, or -ENOENT if @s is destroyed, -EALREADY if it is not active.
 */
int ktrace_session_stop_counted(struct ktrace_session *s, u64 *stop_seq)
{
	int ret = 0;

	mutex_lock(&sessions_lock);
	if (s->destroyed)
		ret = -ENOENT;
	else if (s->state != KTRACE_SESSION_ACTIVE)
		ret = -EALREADY;
	else
		WRITE_ONCE(s->state, KTRACE_SESSION_STOPPED);
	if (!ret) {
		ktrace_session_timers_stop(s);
		/* Events recorded before stop are complete when it returns. */
		ktrace_probes_synchronize();
		ktrace_session_flush_locked(s);
		ktrace_session_stopped_locked(s);
		if (stop_seq)
			*stop_seq = s->stop_seq;
	}
	mutex_unlock(&sessions_lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_session_stop_counted);

/**
 * ktrace_session_stop() - stop recording
 * @s: the session.
 *
 * As ktrace_session_stop_counted(): when it returns, every event of the
 * session is complete, in a delivered packet.
 *
 * Context: process context, may sleep; takes sessions_lock.
 * Return: 0, or -ENOENT if @s is destroyed, -EALREADY if it is not active.
 */
int ktrace_session_stop(struct ktrace_session *s)
{
	return ktrace_session_stop_counted(s, NULL);
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_session_stop);

/* Caller holds sessions_lock; drops the table's reference after unlock. */
static void session_unlist_locked(struct ktrace_session *s)
{
	bool was_active = s->state == KTRACE_SESSION_ACTIVE;
	struct ktrace_channel *c;

	lockdep_assert_held(&sessions_lock);
	if (was_active) {
		WRITE_ONCE(s->state, KTRACE_SESSION_STOPPED);
		ktrace_session_timers_stop(s);
	}
	list_for_each_entry(c, &s->channels, node)
		ktrace_channel_events_unlink(c);
	/* No probe still writes into the buffers once they are finalized. */
	ktrace_probes_synchronize();
	list_for_each_entry(c, &s->channels, node)
		ktrace_rb_finalize(c->rb);
	/* Its last declarations, then the cache follows the session no more. */
	ktrace_metadata_cache_detach_locked(s);
	/* Pollers of the consumer fd see it, and EPOLLHUP, once woken. */
	WRITE_ONCE(s->destroyed, true);
	/* Destroying an active session stops it: count it as a stop. */
	if (was_active)
		ktrace_session_stopped_locked(s);
	else
		wake_up_all(&s->consumer_wait);
	xa_erase(&sessions, s->id);
}

/**
 * ktrace_session_destroy() - stop a session and unlist it
 * @s: the session; the caller keeps its own reference.
 *
 * Stops the session if active, finalizes its ring buffers (readers still
 * holding a reference can read what was recorded) and drops the table's
 * reference: lookups no longer find it, and it is freed with its last
 * reference.
 *
 * Context: process context, may sleep; takes sessions_lock.
 * Return: 0, or -ENOENT if @s was already destroyed.
 */
int ktrace_session_destroy(struct ktrace_session *s)
{
	mutex_lock(&sessions_lock);
	if (s->destroyed) {
		mutex_unlock(&sessions_lock);
		return -ENOENT;
	}
	session_unlist_locked(s);
	mutex_unlock(&sessions_lock);
	ktrace_session_put(s);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_session_destroy);

/**
 * ktrace_session_destroy_all() - destroy every listed session
 *
 * For module unload: afterwards only references still held elsewhere keep
 * sessions alive.
 *
 * Context: process context, may sleep; takes sessions_lock.
 */
void ktrace_session_destroy_all(void)
{
	struct ktrace_session *s;
	unsigned long id;

	for (;;) {
		id = 0;
		mutex_lock(&sessions_lock);
		s = xa_find(&sessions, &id, ULONG_MAX, XA_PRESENT);
		if (s)
			session_unlist_locked(s);
		mutex_unlock(&sessions_lock);
		if (!s)
			break;
		ktrace_session_put(s);
	}
}

/**
 * ktrace_session_id() - the id of a session
 * @s: the session.
 *
 * Context: any.
 * Return: the id, fixed for the session's life.
 */
u32 ktrace_session_id(const struct ktrace_session *s)
{
	return s->id;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_session_id);

/**
 * ktrace_session_name() - the name of a session
 * @s: the session.
 *
 * Context: any.
 * Return: the name, valid while @s is held.
 */
const char *ktrace_session_name(const struct ktrace_session *s)
{
	return s->name;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_session_name);

/**
 * ktrace_session_mode() - the mode of a session
 * @s: the session.
 *
 * Context: any.
 * Return: normal or snapshot, fixed at creation.
 */
enum ktrace_session_mode ktrace_session_mode(const struct ktrace_session *s)
{
	return s->mode;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_session_mode);

/**
 * ktrace_session_state() - the state of a session
 * @s: the session.
 *
 * Context: process context, may sleep; takes sessions_lock.
 * Return: never started, active or stopped.
 */
enum ktrace_session_state ktrace_session_state(struct ktrace_session *s)
{
	enum ktrace_session_state state;

	mutex_lock(&sessions_lock);
	state = s->state;
	mutex_unlock(&sessions_lock);
	return state;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_session_state);

/**
 * ktrace_session_started_once() - whether a session was ever started
 * @s: the session.
 *
 * Context: process context, may sleep; takes sessions_lock.
 * Return: true once ktrace_session_start() has succeeded on @s.
 */
bool ktrace_session_started_once(struct ktrace_session *s)
{
	bool started;

	mutex_lock(&sessions_lock);
	started = s->started_once;
	mutex_unlock(&sessions_lock);
	return started;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_session_started_once);

