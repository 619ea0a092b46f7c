// SPDX-License-Identifier: GPL-2.0
/*
 * ktrace sessions, their snapshot outputs and their channels.
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

struct session_output {
	struct list_head node;
	u32 id;
	u64 max_size;
	char name[KTRACE_NAME_MAX + 1];
	char *dest;
};

/* See core_internal.h for what it protects. */
DEFINE_MUTEX(sessions_lock);
static DEFINE_XARRAY_ALLOC1(sessions);
static u32 sessions_next_id;
/* Sessions, channels and outputs allocated and not yet freed. */
static atomic_t core_live_objects = ATOMIC_INIT(0);

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
	struct session_output *o, *otmp;
	struct ktrace_channel *c, *ctmp;

	list_for_each_entry_safe(c, ctmp, &s->channels, node) {
		list_del(&c->node);
		ktrace_channel_events_free(c);
		ktrace_rb_destroy(c->rb);
		kfree(c);
		atomic_dec(&core_live_objects);
	}
	list_for_each_entry_safe(o, otmp, &s->outputs, node) {
		list_del(&o->node);
		kfree(o->dest);
		kfree(o);
		atomic_dec(&core_live_objects);
	}
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
	strscpy(s->name, name, sizeof(s->name));

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

/*
 * The switch timer: close partly filled packets periodically so that a
 * quiet CPU's events become readable. It runs only while the session is
 * active; stop and destroy cancel it before anything else flushes or
 * finalizes the buffers.
 */
static void channel_switch_work(struct work_struct *work)
{
	struct ktrace_channel *c = container_of(to_delayed_work(work),
						struct ktrace_channel,
						switch_work);
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		ktrace_rb_flush(ktrace_rb_buf(c->rb, cpu), false);
	schedule_delayed_work(&c->switch_work,
			      usecs_to_jiffies(c->switch_timer_us));
}

/* Caller holds sessions_lock. */
static void session_timers_start(struct ktrace_session *s)
{
	struct ktrace_channel *c;

	list_for_each_entry(c, &s->channels, node)
		if (c->switch_timer_us)
			schedule_delayed_work(&c->switch_work,
					      usecs_to_jiffies(c->switch_timer_us));
}

/* Caller holds sessions_lock; the work never takes it. */
static void session_timers_stop(struct ktrace_session *s)
{
	struct ktrace_channel *c;

	list_for_each_entry(c, &s->channels, node)
		cancel_delayed_work_sync(&c->switch_work);
}

/* Caller holds sessions_lock. */
static struct ktrace_channel *channel_find(struct ktrace_session *s,
					   const char *name)
{
	struct ktrace_channel *c;

	list_for_each_entry(c, &s->channels, node)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

/* Caller holds sessions_lock. */
static struct ktrace_channel *
channel_create_locked(struct ktrace_session *s,
		      const struct ktrace_channel_attr *attr)
{
	struct ktrace_rb_config cfg = {
		.subbuf_size = attr->subbuf_size,
		.num_subbuf = attr->num_subbuf,
		.header_size = sizeof(struct ktrace_ctf_packet),
		/* CTF fields here are byte-aligned: events are packed. */
		.event_align = 1,
		.ts_bits = KTRACE_CTF_COMPACT_TS_BITS,
		.ops = &ktrace_ctf_rb_ops,
	};
	enum ktrace_channel_mode mode = attr->mode;
	struct ktrace_channel *c;
	int ret;

	lockdep_assert_held(&sessions_lock);
	if (!ktrace_name_valid(attr->name))
		return ERR_PTR(-EINVAL);
	if (mode == KTRACE_CHANNEL_MODE_DEFAULT)
		mode = s->mode == KTRACE_SESSION_SNAPSHOT ?
			KTRACE_CHANNEL_MODE_OVERWRITE :
			KTRACE_CHANNEL_MODE_DISCARD;
	if (mode != KTRACE_CHANNEL_MODE_DISCARD &&
	    mode != KTRACE_CHANNEL_MODE_OVERWRITE)
		return ERR_PTR(-EINVAL);
	if (attr->output != KTRACE_CHANNEL_OUTPUT_SPLICE &&
	    attr->output != KTRACE_CHANNEL_OUTPUT_MMAP)
		return ERR_PTR(-EINVAL);
	if (s->destroyed)
		return ERR_PTR(-ENOENT);
	if (s->state == KTRACE_SESSION_ACTIVE)
		return ERR_PTR(-EBUSY);
	if (channel_find(s, attr->name))
		return ERR_PTR(-EEXIST);

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return ERR_PTR(-ENOMEM);
	if (!cfg.subbuf_size)
		cfg.subbuf_size = KTRACE_CHANNEL_DEFAULT_SUBBUF_SIZE;
	if (!cfg.num_subbuf)
		cfg.num_subbuf = KTRACE_CHANNEL_DEFAULT_NUM_SUBBUF;
	cfg.mode = mode == KTRACE_CHANNEL_MODE_OVERWRITE ?
		KTRACE_RB_OVERWRITE : KTRACE_RB_DISCARD;
	cfg.priv = c;
	c->rb = ktrace_rb_create(&cfg);
	if (IS_ERR(c->rb)) {
		ret = PTR_ERR(c->rb);
		goto out_free_channel;
	}
	c->session = s;
	c->id = s->next_channel_id++;
	INIT_LIST_HEAD(&c->events);
	c->mode = mode;
	c->output = attr->output;
	c->switch_timer_us = attr->switch_timer_us;
	INIT_DELAYED_WORK(&c->switch_work, channel_switch_work);
	strscpy(c->name, attr->name, sizeof(c->name));
	list_add_tail(&c->node, &s->channels);
	s->num_channels++;
	atomic_inc(&core_live_objects);
	return c;

out_free_channel:
	kfree(c);
	return ERR_PTR(ret);
}

/**
 * ktrace_channel_create() - create a channel in a session
 * @s: the session.
 * @attr: name, geometry, mode, switch timer and output hint.
 *
 * The channel lives as long as its session: the pointer stays valid while
 * the caller holds a reference on @s.
 *
 * Context: process context, may sleep; takes sessions_lock.
 * Return: the channel, or ERR_PTR(-EINVAL) for a bad name, mode, output
 * hint or geometry (see struct ktrace_rb_config), ERR_PTR(-ENOENT) if @s
 * is destroyed, ERR_PTR(-EBUSY) if @s is active, ERR_PTR(-EEXIST) if @s
 * has a channel of that name, ERR_PTR(-ENOMEM) when memory runs out.
 */
struct ktrace_channel *
ktrace_channel_create(struct ktrace_session *s,
		      const struct ktrace_channel_attr *attr)
{
	struct ktrace_channel *c;

	mutex_lock(&sessions_lock);
	c = channel_create_locked(s, attr);
	mutex_unlock(&sessions_lock);
	return c;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_channel_create);

/**
 * ktrace_channel_lookup() - find a channel of a session by name
 * @s: the session.
 * @name: the channel name.
 *
 * Context: process context, may sleep; takes sessions_lock.
 * Return: the channel (valid while @s is held), or NULL.
 */
struct ktrace_channel *ktrace_channel_lookup(struct ktrace_session *s,
					     const char *name)
{
	struct ktrace_channel *c;

	if (!ktrace_name_valid(name))
		return NULL;
	mutex_lock(&sessions_lock);
	c = channel_find(s, name);
	mutex_unlock(&sessions_lock);
	return c;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_channel_lookup);

/**
 * ktrace_channel_lookup_id() - find a channel of a session by id
 * @s: the session.
 * @id: the channel id (its CTF stream id).
 *
 * Context: process context, may sleep; takes sessions_lock.
 * Return: the channel (valid while @s is held), or NULL.
 */
struct ktrace_channel *ktrace_channel_lookup_id(struct ktrace_session *s,
						u32 id)
{
	struct ktrace_channel *c, *found = NULL;

	mutex_lock(&sessions_lock);
	list_for_each_entry(c, &s->channels, node) {
		if (c->id == id) {
			found = c;
			break;
		}
	}
	mutex_unlock(&sessions_lock);
	return found;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_channel_lookup_id);

/**
 * ktrace_channel_for_each() - call a function on each channel of a session
 * @s: the session.
 * @fn: called in channel id order; a non-zero return stops the walk. Runs
 *	under sessions_lock: it must not call back into the session API.
 * @arg: passed to @fn.
 *
 * Context: process context, may sleep; takes sessions_lock.
 * Return: 0, or the first non-zero value @fn returned.
 */
int ktrace_channel_for_each(struct ktrace_session *s,
			    int (*fn)(void *arg, struct ktrace_channel *c),
			    void *arg)
{
	struct ktrace_channel *c;
	int ret = 0;

	mutex_lock(&sessions_lock);
	list_for_each_entry(c, &s->channels, node) {
		ret = fn(arg, c);
		if (ret)
			break;
	}
	mutex_unlock(&sessions_lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_channel_for_each);

/* Caller holds sessions_lock. */
static struct ktrace_channel *default_channel_locked(struct ktrace_session *s)
{
	static const struct ktrace_channel_attr attr = {
		.name = KTRACE_CHANNEL_DEFAULT_NAME,
		.mode = KTRACE_CHANNEL_MODE_DEFAULT,
		.output = KTRACE_CHANNEL_OUTPUT_SPLICE,
	};
	struct ktrace_channel *c;

	c = channel_find(s, KTRACE_CHANNEL_DEFAULT_NAME);
	if (c)
		return c;
	return channel_create_locked(s, &attr);
}

/**
 * ktrace_session_default_channel() - the session's channel0
 * @s: the session.
 *
 * Creates channel0 with the default geometry (4 sub-buffers of 1 MiB per
 * CPU), the session's default mode and splice output, unless it exists.
 *
 * Context: process context, may sleep; takes sessions_lock.
 * Return: channel0, or an ERR_PTR() as from ktrace_channel_create().
 */
struct ktrace_channel *ktrace_session_default_channel(struct ktrace_session *s)
{
	struct ktrace_channel *c;

	mutex_lock(&sessions_lock);
	c = default_channel_locked(s);
	mutex_unlock(&sessions_lock);
	return c;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_session_default_channel);

/**
 * ktrace_session_num_channels() - how many channels a session has
 * @s: the session.
 *
 * Context: process context, may sleep; takes sessions_lock.
 * Return: the number of channels.
 */
unsigned int ktrace_session_num_channels(struct ktrace_session *s)
{
	unsigned int n;

	mutex_lock(&sessions_lock);
	n = s->num_channels;
	mutex_unlock(&sessions_lock);
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_session_num_channels);

/**
 * ktrace_session_start() - start recording
 * @s: the session.
 *
 * Creates channel0 first if the session has no channel, and arms the
 * switch timer of every channel that has one. The first start then
 * records a statedump (ktrace_probes_statedump()), after sessions_lock is
 * released; one that finds no memory for its path buffer records nothing,
 * and KTRACE_CMD_REGENERATE_STATEDUMP can ask again.
 *
 * Context: process context, may sleep; takes sessions_lock.
 * Return: 0, or -ENOENT if @s is destroyed, -EALREADY if it is active, an
 * errno of ktrace_session_default_channel().
 */
int ktrace_session_start(struct ktrace_session *s)
{
	struct ktrace_channel *c;
	bool first = false;
	int ret = 0;

	mutex_lock(&sessions_lock);
	if (s->destroyed) {
		ret = -ENOENT;
		goto out_unlock;
	}
	if (s->state == KTRACE_SESSION_ACTIVE) {
		ret = -EALREADY;
		goto out_unlock;
	}
	if (!s->num_channels) {
		c = default_channel_locked(s);
		if (IS_ERR(c)) {
			ret = PTR_ERR(c);
			goto out_unlock;
		}
	}
	/* Pairs with smp_load_acquire() in ktrace_record_begin(). */
	smp_store_release(&s->state, KTRACE_SESSION_ACTIVE);
	first = !s->started_once;
	s->started_once = true;
	session_timers_start(s);
out_unlock:
	mutex_unlock(&sessions_lock);
	/* As LTTng: the first start records the state the trace begins in. */
	if (first)
		ktrace_probes_statedump(NULL);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_session_start);

/**
 * ktrace_session_stop() - stop recording
 * @s: the session.
 *
 * Cancels the channels' switch timers and waits for running ones, and
 * for probes still recording, so that every event of the session is
 * complete in its buffers when this returns.
 *
 * Context: process context, may sleep; takes sessions_lock.
 * Return: 0, or -ENOENT if @s is destroyed, -EALREADY if it is not active.
 */
int ktrace_session_stop(struct ktrace_session *s)
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
		session_timers_stop(s);
		/* Events recorded before stop are complete when it returns. */
		ktrace_probes_synchronize();
	}
	mutex_unlock(&sessions_lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_session_stop);

/* Caller holds sessions_lock; drops the table's reference after unlock. */
static void session_unlist_locked(struct ktrace_session *s)
{
	struct ktrace_channel *c;

	lockdep_assert_held(&sessions_lock);
	if (s->state == KTRACE_SESSION_ACTIVE) {
		WRITE_ONCE(s->state, KTRACE_SESSION_STOPPED);
		session_timers_stop(s);
	}
	list_for_each_entry(c, &s->channels, node)
		ktrace_channel_events_unlink(c);
	/* No probe still writes into the buffers once they are finalized. */
	ktrace_probes_synchronize();
	list_for_each_entry(c, &s->channels, node)
		ktrace_rb_finalize(c->rb);
	s->destroyed = true;
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
 * ktrace_session_output_add() - add a snapshot output to a session
 * @s: the session.
 * @name: 1 to KTRACE_NAME_MAX characters from [A-Za-z0-9_.-], unique in
 *	@s; NULL or "" for "snapshot-<id>".
 * @dest: destination string, non-empty, shorter than
 *	KTRACE_OUTPUT_DEST_MAX; copied.
 * @max_size: default maximum snapshot size in bytes; 0 for no limit.
 * @id: receives the new output's id.
 *
 * Context: process context, may sleep; takes sessions_lock.
 * Return: 0, or -EINVAL for a bad name or destination, -ENOENT if @s is
 * destroyed, -EEXIST if @s has an output of that name, -EOVERFLOW when
 * output ids are exhausted, -ENOMEM when memory runs out.
 */
int ktrace_session_output_add(struct ktrace_session *s, const char *name,
			      const char *dest, u64 max_size, u32 *id)
{
	struct session_output *o;
	size_t dest_len;
	int ret;

	if (name && name[0] && !ktrace_name_valid(name))
		return -EINVAL;
	if (!dest)
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
	else
		snprintf(o->name, sizeof(o->name), "snapshot-%u", o->id);
	if (output_find_name(s, o->name)) {
		ret = -EEXIST;
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

	mutex_lock(&sessions_lock);
	list_for_each_entry(o, &s->outputs, node) {
		if (name ? !strcmp(o->name, name) : o->id == id) {
			found = o;
			list_del(&o->node);
			break;
		}
	}
	mutex_unlock(&sessions_lock);
	if (!found)
		return -ENOENT;
	kfree(found->dest);
	kfree(found);
	atomic_dec(&core_live_objects);
	return 0;
}

/**
 * ktrace_session_output_del_id() - delete a snapshot output by id
 * @s: the session.
 * @id: the output id.
 *
 * Context: process context, may sleep; takes sessions_lock.
 * Return: 0, or -ENOENT if @s has no output with that id.
 */
int ktrace_session_output_del_id(struct ktrace_session *s, u32 id)
{
	return output_del(s, NULL, id);
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_session_output_del_id);

/**
 * ktrace_session_output_del_name() - delete a snapshot output by name
 * @s: the session.
 * @name: the output name.
 *
 * Context: process context, may sleep; takes sessions_lock.
 * Return: 0, or -ENOENT if @s has no output with that name.
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

/**
 * ktrace_channel_id() - the id of a channel
 * @c: the channel.
 *
 * Context: any.
 * Return: the id, unique in the session and fixed: its CTF stream id.
 */
u32 ktrace_channel_id(const struct ktrace_channel *c)
{
	return c->id;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_channel_id);

/**
 * ktrace_channel_name() - the name of a channel
 * @c: the channel.
 *
 * Context: any.
 * Return: the name, valid while the channel's session is held.
 */
const char *ktrace_channel_name(const struct ktrace_channel *c)
{
	return c->name;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_channel_name);

/**
 * ktrace_channel_mode() - the full-buffer policy of a channel
 * @c: the channel.
 *
 * Context: any.
 * Return: KTRACE_CHANNEL_MODE_DISCARD or KTRACE_CHANNEL_MODE_OVERWRITE,
 * never the default.
 */
enum ktrace_channel_mode ktrace_channel_mode(const struct ktrace_channel *c)
{
	return c->mode;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_channel_mode);

/**
 * ktrace_channel_switch_timer_us() - the switch-timer period of a channel
 * @c: the channel.
 *
 * Context: any.
 * Return: the period in microseconds, 0 for none.
 */
u32 ktrace_channel_switch_timer_us(const struct ktrace_channel *c)
{
	return c->switch_timer_us;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_channel_switch_timer_us);

/**
 * ktrace_channel_output() - the output hint of a channel
 * @c: the channel.
 *
 * Context: any.
 * Return: splice or mmap.
 */
enum ktrace_channel_output ktrace_channel_output(const struct ktrace_channel *c)
{
	return c->output;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_channel_output);

/**
 * ktrace_channel_rb() - the ring buffer of a channel
 * @c: the channel.
 *
 * Context: any.
 * Return: the ring buffer channel, valid while the session is held.
 */
struct ktrace_rb_chan *ktrace_channel_rb(const struct ktrace_channel *c)
{
	return c->rb;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_channel_rb);
