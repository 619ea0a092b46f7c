// SPDX-License-Identifier: GPL-2.0
/*
 * Streaming: what the kernel knows of a normal session's consumer (the
 * userspace process that writes its streams to disk), the session's stop
 * sequence, and clearing the buffers.
 *
 * The consumer attaches through its consumer fd (module/abi/consumer_fd.c)
 * and reports what it wrote; the kernel never writes files. The stop
 * sequence counts the stops: a stop first closes the packet being written
 * in every stream, then increments it and wakes the consumer, so a
 * consumer that drains every stream after reading sequence S has
 * everything recorded up to stop S. It reports S as synced once that is on
 * disk, which is what "ktracectl stop" waits for.
 *
 * Locking is the sessions' (see core_internal.h); pollers of the consumer
 * fd read stop_seq, the synced sequence and destroyed without it.
 */
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/poll.h>
#include <linux/string.h>
#include <linux/wait.h>
#include <kunit/visibility.h>

#include "core/core_internal.h"
#include "ringbuffer/ringbuffer.h"

/* Events consumed from all of @s's streams since its channels were made. */
static u64 session_events_read(struct ktrace_session *s)
{
	struct ktrace_rb_counters cnt;
	struct ktrace_rb_buf *buf;
	struct ktrace_channel *c;
	unsigned int cpu;
	u64 n = 0;

	list_for_each_entry(c, &s->channels, node) {
		for_each_possible_cpu(cpu) {
			buf = ktrace_rb_buf(c->rb, cpu);
			if (!buf)
				continue;
			ktrace_rb_get_counters(buf, &cnt);
			n += cnt.read;
		}
	}
	return n;
}

/**
 * ktrace_session_consumer_attach() - attach a session's consumer
 * @s: the session, a normal one.
 * @pid: the consumer's tgid, as listed.
 *
 * The report, and the events it has read, start from zero.
 *
 * Context: process context, may sleep; takes sessions_lock.
 * Return: 0, or -ENOENT if @s is destroyed, -EOPNOTSUPP for a snapshot
 * session, -EBUSY if a consumer is attached.
 */
int ktrace_session_consumer_attach(struct ktrace_session *s, pid_t pid)
{
	int ret = 0;

	mutex_lock(&sessions_lock);
	if (s->destroyed) {
		ret = -ENOENT;
	} else if (s->mode != KTRACE_SESSION_NORMAL) {
		ret = -EOPNOTSUPP;
	} else if (s->consumer_attached) {
		ret = -EBUSY;
	} else {
		s->consumer_attached = true;
		s->consumer_pid = pid;
		memset(&s->consumer, 0, sizeof(s->consumer));
		s->consumer_read_base = session_events_read(s);
	}
	mutex_unlock(&sessions_lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_session_consumer_attach);

/**
 * ktrace_session_consumer_detach() - detach the consumer
 * @s: the session, whose consumer attached with
 *	ktrace_session_consumer_attach().
 *
 * Its last report stays listed until the next consumer attaches.
 *
 * Context: process context, may sleep; takes sessions_lock.
 */
void ktrace_session_consumer_detach(struct ktrace_session *s)
{
	mutex_lock(&sessions_lock);
	s->consumer_attached = false;
	s->consumer_pid = 0;
	mutex_unlock(&sessions_lock);
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_session_consumer_detach);

/**
 * ktrace_session_consumer_report() - record what the consumer wrote
 * @s: the session.
 * @r: the report: counters that never decrease, a synced stop sequence
 *	not above the session's, an errno or 0.
 *
 * Context: process context, may sleep; takes sessions_lock.
 * Return: 0, or -EINVAL (nothing recorded) if @r->error is above 4095, a
 * counter or the synced sequence is below the last report, or the synced
 * sequence is above the session's stop sequence.
 */
int ktrace_session_consumer_report(struct ktrace_session *s,
				   const struct ktrace_consumer_report *r)
{
	const struct ktrace_consumer_report *cur = &s->consumer;
	int ret = 0;

	if (r->error > MAX_ERRNO)
		return -EINVAL;
	mutex_lock(&sessions_lock);
	if (r->bytes_written < cur->bytes_written ||
	    r->packets_written < cur->packets_written ||
	    r->synced_stop_seq < cur->synced_stop_seq ||
	    r->synced_stop_seq > s->stop_seq) {
		ret = -EINVAL;
	} else {
		s->consumer.bytes_written = r->bytes_written;
		s->consumer.packets_written = r->packets_written;
		s->consumer.error = r->error;
		/* ktrace_session_consumer_poll() reads it locklessly. */
		WRITE_ONCE(s->consumer.synced_stop_seq, r->synced_stop_seq);
	}
	mutex_unlock(&sessions_lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_session_consumer_report);

/* Bytes of closed packets not yet consumed in @c's streams. */
static u64 channel_lag(struct ktrace_channel *c)
{
	unsigned long consumed, produced;
	struct ktrace_rb_buf *buf;
	unsigned int cpu;
	u64 lag = 0;

	for_each_possible_cpu(cpu) {
		buf = ktrace_rb_buf(c->rb, cpu);
		if (!buf)
			continue;
		ktrace_rb_snapshot(buf, &consumed, &produced);
		lag += produced - consumed;
	}
	return lag;
}

/**
 * ktrace_session_consumer_status() - the streaming state of a session
 * @s: the session.
 * @st: filled in; @st->lag is computed now, from every stream.
 *
 * Context: process context, may sleep; takes sessions_lock.
 */
void ktrace_session_consumer_status(struct ktrace_session *s,
				    struct ktrace_consumer_status *st)
{
	struct ktrace_channel *c;

	mutex_lock(&sessions_lock);
	st->attached = s->consumer_attached;
	st->pid = s->consumer_pid;
	st->report = s->consumer;
	st->stop_seq = s->stop_seq;
	st->lag = 0;
	list_for_each_entry(c, &s->channels, node)
		st->lag += channel_lag(c);
	/* Counters only grow, and readers were attached to this session. */
	st->events_read = session_events_read(s) - s->consumer_read_base;
	mutex_unlock(&sessions_lock);
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_session_consumer_status);

/**
 * ktrace_session_consumer_poll() - poll for work of a session's consumer
 * @s: the session.
 * @file: the consumer's file.
 * @wait: the poll table.
 *
 * Context: process context, as a file's poll operation.
 * Return: EPOLLIN | EPOLLRDNORM while the stop sequence is above the
 * synced one the consumer reported; EPOLLHUP (too) once @s is destroyed.
 */
__poll_t ktrace_session_consumer_poll(struct ktrace_session *s,
				      struct file *file, poll_table *wait)
{
	__poll_t mask = 0;

	/*
	 * Stops and destroy write under sessions_lock, then wake_up_all(),
	 * which takes the queue's lock that poll_wait() took: either we are
	 * queued before they wake, or we see what they wrote.
	 */
	poll_wait(file, &s->consumer_wait, wait);
	if (READ_ONCE(s->stop_seq) > READ_ONCE(s->consumer.synced_stop_seq))
		mask |= EPOLLIN | EPOLLRDNORM;
	if (READ_ONCE(s->destroyed))
		mask |= EPOLLHUP;
	return mask;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_session_consumer_poll);

/**
 * ktrace_session_stop_seq() - the stop sequence of a session
 * @s: the session.
 *
 * Context: process context, may sleep; takes sessions_lock.
 * Return: how many times @s was stopped (destroying it active counts).
 */
u64 ktrace_session_stop_seq(struct ktrace_session *s)
{
	u64 seq;

	mutex_lock(&sessions_lock);
	seq = s->stop_seq;
	mutex_unlock(&sessions_lock);
	return seq;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_session_stop_seq);

/*
 * Close the packet being written in every stream of @s that holds events,
 * so that they are delivered. Probes must be done with @s: called after
 * the state left ACTIVE and ktrace_probes_synchronize().
 */
void ktrace_session_flush_locked(struct ktrace_session *s)
{
	struct ktrace_channel *c;
	struct ktrace_rb_buf *buf;
	unsigned int cpu;

	lockdep_assert_held(&sessions_lock);
	list_for_each_entry(c, &s->channels, node) {
		for_each_possible_cpu(cpu) {
			buf = ktrace_rb_buf(c->rb, cpu);
			if (buf)
				ktrace_rb_flush(buf, false);
		}
	}
}

/*
 * A stop is complete (everything recorded is in delivered packets): count
 * it and wake the consumer and every stream's pollers.
 */
void ktrace_session_stopped_locked(struct ktrace_session *s)
{
	struct ktrace_channel *c;
	struct ktrace_rb_buf *buf;
	unsigned int cpu;

	lockdep_assert_held(&sessions_lock);
	WRITE_ONCE(s->stop_seq, s->stop_seq + 1);
	wake_up_all(&s->consumer_wait);
	list_for_each_entry(c, &s->channels, node) {
		for_each_possible_cpu(cpu) {
			buf = ktrace_rb_buf(c->rb, cpu);
			if (buf)
				ktrace_rb_wake_readers(buf);
		}
	}
}

/**
 * ktrace_session_clear() - discard what a session's buffers hold
 * @s: the session, in any state and mode.
 *
 * Every stream of every channel, enabled or not, drops its closed packets
 * not yet consumed, after the packet being written is closed: see
 * ktrace_rb_clear() for what readers see.
 *
 * Context: process context, may sleep; takes sessions_lock.
 * Return: 0, or -ENOENT if @s is destroyed.
 */
int ktrace_session_clear(struct ktrace_session *s)
{
	struct ktrace_channel *c;
	struct ktrace_rb_buf *buf;
	unsigned int cpu;

	mutex_lock(&sessions_lock);
	if (s->destroyed) {
		mutex_unlock(&sessions_lock);
		return -ENOENT;
	}
	list_for_each_entry(c, &s->channels, node) {
		for_each_possible_cpu(cpu) {
			buf = ktrace_rb_buf(c->rb, cpu);
			if (buf)
				ktrace_rb_clear(buf);
		}
	}
	mutex_unlock(&sessions_lock);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_session_clear);
