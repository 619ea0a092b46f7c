// SPDX-License-Identifier: GPL-2.0
/*
 * ktrace channels: one ring buffer channel each, their switch and read
 * timers, enabling and disabling them, and their getters. A channel
 * belongs to one session and lives as long as it: channels are freed by
 * the release of the session's last reference
 * (ktrace_session_channels_free()). Locking is the sessions' (see
 * core_internal.h).
 */
#include <linux/atomic.h>
#include <linux/err.h>
#include <linux/list.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include <kunit/visibility.h>

#include "core/core_internal.h"
#include "ringbuffer/ringbuffer.h"

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
	struct ktrace_rb_buf *buf;
	unsigned int cpu;

	/*
	 * Only online CPUs whose open packet holds events: an idle or
	 * nohz_full CPU with nothing new gets no flush IPI. An offline CPU's
	 * packet waits for the next snapshot's flush.
	 */
	for_each_online_cpu(cpu) {
		buf = ktrace_rb_buf(c->rb, cpu);
		if (buf && ktrace_rb_has_open_events(buf))
			ktrace_rb_flush(buf, false);
	}
	queue_delayed_work(system_unbound_wq, &c->switch_work,
			   usecs_to_jiffies(c->switch_timer_us));
}

/*
 * The read timer (LTTng's): writers of a channel that has one do not wake
 * stream pollers on delivery; this wakes the pollers of every stream that
 * has a packet ready, every read_timer_us. Like the switch timer it runs
 * only while the session is active; a stop wakes the pollers itself.
 */
static void channel_read_work(struct work_struct *work)
{
	struct ktrace_channel *c = container_of(to_delayed_work(work),
						struct ktrace_channel,
						read_work);
	struct ktrace_rb_buf *buf;
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		buf = ktrace_rb_buf(c->rb, cpu);
		if (buf)
			ktrace_rb_wake_readers(buf);
	}
	queue_delayed_work(system_unbound_wq, &c->read_work,
			   usecs_to_jiffies(c->read_timer_us));
}

/**
 * ktrace_session_timers_start() - arm the switch and read timers of a
 *	session
 * @s: the session, being started.
 *
 * Context: process context; the caller holds sessions_lock.
 */
void ktrace_session_timers_start(struct ktrace_session *s)
{
	struct ktrace_channel *c;

	list_for_each_entry(c, &s->channels, node) {
		if (c->switch_timer_us)
			queue_delayed_work(system_unbound_wq, &c->switch_work,
					   usecs_to_jiffies(c->switch_timer_us));
		if (c->read_timer_us)
			queue_delayed_work(system_unbound_wq, &c->read_work,
					   usecs_to_jiffies(c->read_timer_us));
	}
}

/**
 * ktrace_session_timers_stop() - cancel the switch and read timers of a
 *	session
 * @s: the session, being stopped or destroyed.
 *
 * Waits for running timer work, which never takes sessions_lock.
 *
 * Context: process context, may sleep; the caller holds sessions_lock.
 */
void ktrace_session_timers_stop(struct ktrace_session *s)
{
	struct ktrace_channel *c;

	list_for_each_entry(c, &s->channels, node) {
		cancel_delayed_work_sync(&c->switch_work);
		cancel_delayed_work_sync(&c->read_work);
	}
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

/*
 * The global bound on buffer memory, in MiB: every channel's buffers
 * together. 0 at load means half of the RAM; writable at run time, where
 * it bounds the channels created from then on.
 */
VISIBLE_IF_KUNIT unsigned int ktrace_max_buffer_mib;
EXPORT_SYMBOL_IF_KUNIT(ktrace_max_buffer_mib);
module_param_named(max_buffer_mib, ktrace_max_buffer_mib, uint, 0644);
MODULE_PARM_DESC(max_buffer_mib,
		 "MiB that the buffers of all channels may take (default: half of the RAM)");

/**
 * ktrace_channel_init() - settle the module parameters of channels
 *
 * Context: module init.
 */
void ktrace_channel_init(void)
{
	if (!ktrace_max_buffer_mib)
		ktrace_max_buffer_mib = max(1UL,
					    totalram_pages() >> (20 - PAGE_SHIFT + 1));
}

/**
 * ktrace_buffer_limit_mib() - the bound on buffer memory
 *
 * Context: any.
 * Return: the max_buffer_mib module parameter, in MiB.
 */
unsigned int ktrace_buffer_limit_mib(void)
{
	return READ_ONCE(ktrace_max_buffer_mib);
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_buffer_limit_mib);

#if IS_ENABLED(CONFIG_KUNIT)
/* See struct ktrace_core_test_hooks. */
struct ktrace_core_test_hooks ktrace_core_test_hooks;
EXPORT_SYMBOL_IF_KUNIT(ktrace_core_test_hooks);
#endif

/* Why @s cannot take a channel named @name now; caller holds the lock. */
static int channel_refused_locked(struct ktrace_session *s, const char *name)
{
	lockdep_assert_held(&sessions_lock);
	if (s->destroyed)
		return -ENOENT;
	if (s->state == KTRACE_SESSION_ACTIVE)
		return -EBUSY;
	if (channel_find(s, name))
		return -EEXIST;
	return 0;
}

/*
 * Creates a channel, or with @reuse returns the one of that name. The
 * buffers, the expensive part, are allocated without sessions_lock: list,
 * stop and destroy of other sessions never wait behind them. The session
 * is checked before (so a doomed request allocates nothing) and again
 * after, since it may have changed meanwhile; the loser of a race frees
 * its channel.
 */
static struct ktrace_channel *
channel_create(struct ktrace_session *s, const struct ktrace_channel_attr *attr,
	       bool reuse)
{
	struct ktrace_rb_config cfg = {
		.subbuf_size = attr->subbuf_size,
		.num_subbuf = attr->num_subbuf,
		.header_size = sizeof(struct ktrace_ctf_packet),
		/* CTF fields here are byte-aligned: events are packed. */
		.event_align = 1,
		.ts_bits = KTRACE_CTF_COMPACT_TS_BITS,
		.ops = &ktrace_ctf_rb_ops,
		.mem_limit = (unsigned long)ktrace_buffer_limit_mib() << 20,
	};
	enum ktrace_channel_mode mode = attr->mode;
	struct ktrace_channel *c, *found;
	int ret;

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
	if (attr->read_timer_us > KTRACE_READ_TIMER_US_MAX ||
	    attr->tracefile_count > KTRACE_TRACEFILE_COUNT_LIMIT ||
	    (attr->tracefile_count && !attr->tracefile_size))
		return ERR_PTR(-EINVAL);
	if (attr->tracefile_size && s->mode != KTRACE_SESSION_NORMAL)
		return ERR_PTR(-EINVAL);

	mutex_lock(&sessions_lock);
	found = reuse ? channel_find(s, attr->name) : NULL;
	ret = found ? 0 : channel_refused_locked(s, attr->name);
	mutex_unlock(&sessions_lock);
	if (found)
		return found;
	if (ret)
		return ERR_PTR(ret);

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return ERR_PTR(-ENOMEM);
	if (!cfg.subbuf_size)
		cfg.subbuf_size = KTRACE_CHANNEL_DEFAULT_SUBBUF_SIZE;
	if (!cfg.num_subbuf)
		cfg.num_subbuf = KTRACE_CHANNEL_DEFAULT_NUM_SUBBUF;
	/* A trace file holds at least one packet. */
	if (attr->tracefile_size && attr->tracefile_size < cfg.subbuf_size) {
		ret = -EINVAL;
		goto out_free_channel;
	}
	cfg.timer_wakeup = attr->read_timer_us != 0;
	cfg.mode = mode == KTRACE_CHANNEL_MODE_OVERWRITE ?
		KTRACE_RB_OVERWRITE : KTRACE_RB_DISCARD;
	cfg.priv = c;
	c->rb = ktrace_rb_create(&cfg);
	if (IS_ERR(c->rb)) {
		ret = PTR_ERR(c->rb);
		goto out_free_channel;
	}
	c->session = s;
	INIT_LIST_HEAD(&c->events);
	c->mode = mode;
	c->output = attr->output;
	c->switch_timer_us = attr->switch_timer_us;
	INIT_DELAYED_WORK(&c->switch_work, channel_switch_work);
	c->read_timer_us = attr->read_timer_us;
	INIT_DELAYED_WORK(&c->read_work, channel_read_work);
	c->tracefile_size = attr->tracefile_size;
	c->tracefile_count = attr->tracefile_count;
	c->enabled = !attr->disabled;
	strscpy(c->name, attr->name, sizeof(c->name));
#if IS_ENABLED(CONFIG_KUNIT)
	if (ktrace_core_test_hooks.channel_alloc)
		ktrace_core_test_hooks.channel_alloc(s);
#endif

	mutex_lock(&sessions_lock);
	found = reuse ? channel_find(s, attr->name) : NULL;
	ret = found ? 0 : channel_refused_locked(s, attr->name);
	if (!found && !ret) {
		/* The CTF stream id, in creation order: before any event. */
		c->id = s->next_channel_id++;
		list_add_tail(&c->node, &s->channels);
		s->num_channels++;
		atomic_inc(&core_live_objects);
	}
	mutex_unlock(&sessions_lock);
	if (!found && !ret) {
		ktrace_metadata_cache_changed(s);
		return c;
	}

	ktrace_rb_destroy(c->rb);
	kfree(c);
	return found ?: ERR_PTR(ret);

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
 * the caller holds a reference on @s. Its buffers are allocated without
 * sessions_lock held.
 *
 * Context: process context, may sleep; takes sessions_lock.
 * Return: the channel, or ERR_PTR(-EINVAL) for a bad name, mode, output
 * hint, geometry (see struct ktrace_rb_config), read timer or tracefile
 * bounds (see struct ktrace_channel_attr), ERR_PTR(-ENOENT) if @s
 * is destroyed, ERR_PTR(-EBUSY) if @s is active, ERR_PTR(-EEXIST) if @s
 * has a channel of that name, ERR_PTR(-ENOSPC) if its buffers would take
 * the buffers of all channels past max_buffer_mib, ERR_PTR(-ENOMEM) when
 * memory runs out.
 */
struct ktrace_channel *
ktrace_channel_create(struct ktrace_session *s,
		      const struct ktrace_channel_attr *attr)
{
	return channel_create(s, attr, false);
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
	static const struct ktrace_channel_attr attr = {
		.name = KTRACE_CHANNEL_DEFAULT_NAME,
		.mode = KTRACE_CHANNEL_MODE_DEFAULT,
		.output = KTRACE_CHANNEL_OUTPUT_SPLICE,
	};

	return channel_create(s, &attr, true);
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
 * ktrace_session_channels_free() - free the channels of a dying session
 * @s: the session, whose last reference is gone.
 *
 * Context: process context, may sleep (freeing ring buffers waits for an
 * RCU grace period).
 */
void ktrace_session_channels_free(struct ktrace_session *s)
{
	struct ktrace_channel *c, *tmp;

	list_for_each_entry_safe(c, tmp, &s->channels, node) {
		list_del(&c->node);
		ktrace_channel_events_free(c);
		ktrace_rb_destroy(c->rb);
		kfree(c);
		atomic_dec(&core_live_objects);
	}
}

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

/**
 * ktrace_channel_read_timer_us() - the read-timer period of a channel
 * @c: the channel.
 *
 * Context: any.
 * Return: the period in microseconds, 0 when writers wake readers.
 */
u32 ktrace_channel_read_timer_us(const struct ktrace_channel *c)
{
	return c->read_timer_us;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_channel_read_timer_us);

/**
 * ktrace_channel_tracefile_size() - bytes per trace file, for the consumer
 * @c: the channel.
 *
 * Context: any.
 * Return: the size, 0 for no limit.
 */
u64 ktrace_channel_tracefile_size(const struct ktrace_channel *c)
{
	return c->tracefile_size;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_channel_tracefile_size);

/**
 * ktrace_channel_tracefile_count() - trace files kept per stream
 * @c: the channel.
 *
 * Context: any.
 * Return: the count, 0 for no limit.
 */
u32 ktrace_channel_tracefile_count(const struct ktrace_channel *c)
{
	return c->tracefile_count;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_channel_tracefile_count);

/**
 * ktrace_channel_enabled() - whether a channel records
 * @c: the channel.
 *
 * Context: any; a racy look unless the caller holds sessions_lock.
 * Return: false once ktrace_channel_set_enabled() disabled it.
 */
bool ktrace_channel_enabled(const struct ktrace_channel *c)
{
	return READ_ONCE(c->enabled);
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_channel_enabled);

/**
 * ktrace_channel_set_enabled() - enable or disable a channel
 * @c: the channel.
 * @enable: true to enable.
 *
 * A disabled channel records nothing: its events stop recording (their
 * probes are released), and keep the state EVENT_ENABLE and EVENT_DISABLE
 * give them, which takes effect when the channel is enabled again. Its
 * buffers, timers and counters stay. Allowed in any session state.
 *
 * Context: process context, may sleep; takes sessions_lock.
 * Return: 0; -EALREADY if the channel already is in that state; -ENOENT
 * if the session is destroyed; the errno of a probe's registration when
 * enabling (the channel then stays disabled).
 */
int ktrace_channel_set_enabled(struct ktrace_channel *c, bool enable)
{
	int ret = 0;

	mutex_lock(&sessions_lock);
	if (c->session->destroyed) {
		ret = -ENOENT;
	} else if (c->enabled == enable) {
		ret = -EALREADY;
	} else if (enable) {
		ret = ktrace_channel_events_resume(c);
		if (!ret)
			WRITE_ONCE(c->enabled, true);
	} else {
		WRITE_ONCE(c->enabled, false);
		ktrace_channel_events_pause(c);
	}
	mutex_unlock(&sessions_lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_channel_set_enabled);
