// SPDX-License-Identifier: GPL-2.0
/*
 * The metadata cache of a session, as LTTng keeps one: the session's CTF
 * metadata as an append-only text that every metadata fd reads from its
 * own position. metadata.c writes the declarations; this file keeps the
 * text, serves it and wakes its readers.
 *
 * The cache follows its session lazily: a sync (under sessions_lock)
 * appends whatever declaration it lacks. Syncs run when a metadata fd is
 * opened, when a reader reaches the end or polls, and a last time when
 * the session is destroyed; enabling events and adding channels only wake
 * the pollers, who sync. Bytes once in the cache never change, so a
 * reader that copies everything it reads to a file always has a valid
 * description of every event its streams may hold.
 *
 * Lifetime and locking. The session holds one reference and every metadata
 * fd one, so a destroyed session's metadata stays readable. @session is
 * the session while it is listed, NULL once destroyed: read and written
 * under sessions_lock. @lock, taken inside sessions_lock, protects the
 * text; readers copy out under it into a buffer of their own and never
 * fault on user memory with it held. @len only grows; pollers read it
 * with READ_ONCE().
 */
#include <linux/err.h>
#include <linux/kref.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/wait.h>
#include <kunit/visibility.h>

#include "core/core_internal.h"
#include "core/metadata.h"

struct ktrace_metadata_cache {
	struct kref ref;
	/* Protects @text, @len and @size; see the top of this file. */
	struct mutex lock;
	char *text;
	size_t len;
	size_t size;
	wait_queue_head_t wait;
	struct ktrace_session *session;
};

static void md_cache_free(struct kref *ref)
{
	struct ktrace_metadata_cache *md =
		container_of(ref, struct ktrace_metadata_cache, ref);

	kvfree(md->text);
	mutex_destroy(&md->lock);
	kfree(md);
}

/**
 * ktrace_metadata_cache_create() - give a new session its metadata cache
 * @s: the session, not yet listed.
 *
 * Context: process context, may sleep.
 * Return: 0 or -ENOMEM.
 */
int ktrace_metadata_cache_create(struct ktrace_session *s)
{
	struct ktrace_metadata_cache *md = kzalloc(sizeof(*md), GFP_KERNEL);

	if (!md)
		return -ENOMEM;
	kref_init(&md->ref);
	mutex_init(&md->lock);
	init_waitqueue_head(&md->wait);
	md->session = s;
	s->md = md;
	return 0;
}

/**
 * ktrace_metadata_cache_release() - drop the session's reference
 * @s: the session, being freed (or never listed).
 *
 * Context: process context, may sleep.
 */
void ktrace_metadata_cache_release(struct ktrace_session *s)
{
	if (s->md)
		kref_put(&s->md->ref, md_cache_free);
	s->md = NULL;
}

/**
 * ktrace_metadata_cache_append() - append text to a session's cache
 * @s: the session.
 * @text: the declarations, whole.
 * @len: their length.
 *
 * Context: process context, may sleep; the caller holds sessions_lock.
 * Return: 0, or -ENOMEM (nothing appended).
 */
int ktrace_metadata_cache_append(struct ktrace_session *s, const char *text,
				 size_t len)
{
	struct ktrace_metadata_cache *md = s->md;
	size_t need;
	char *bigger;

	lockdep_assert_held(&sessions_lock);
	if (!len)
		return 0;
	mutex_lock(&md->lock);
	if (check_add_overflow(md->len, len, &need))
		goto out_nomem;
	if (need > md->size) {
		size_t size = max3(need, 2 * md->size, (size_t)PAGE_SIZE);

		bigger = kvmalloc(size, GFP_KERNEL);
		if (!bigger)
			goto out_nomem;
		if (md->len)
			memcpy(bigger, md->text, md->len);
		kvfree(md->text);
		md->text = bigger;
		md->size = size;
	}
	memcpy(md->text + md->len, text, len);
	/* Pollers read it without the lock. */
	WRITE_ONCE(md->len, need);
	mutex_unlock(&md->lock);
	wake_up_all(&md->wait);
	return 0;

out_nomem:
	mutex_unlock(&md->lock);
	return -ENOMEM;
}

/**
 * ktrace_metadata_cache_changed() - a session gained channels or events
 * @s: the session.
 *
 * Wakes the pollers of its metadata fds, which sync the cache.
 *
 * Context: any that may wake a wait queue.
 */
void ktrace_metadata_cache_changed(struct ktrace_session *s)
{
	if (wq_has_sleeper(&s->md->wait))
		wake_up_all(&s->md->wait);
}

/**
 * ktrace_metadata_cache_detach_locked() - a session is being destroyed
 * @s: the session.
 *
 * Appends its last declarations (when memory allows), then the cache no
 * longer follows it: pollers at the end see EPOLLHUP.
 *
 * Context: process context, may sleep; the caller holds sessions_lock.
 */
void ktrace_metadata_cache_detach_locked(struct ktrace_session *s)
{
	lockdep_assert_held(&sessions_lock);
	ktrace_metadata_sync_locked(s);
	s->md->session = NULL;
	wake_up_all(&s->md->wait);
}

/**
 * ktrace_metadata_cache_sync() - bring a cache up to date with its session
 * @md: the cache.
 *
 * Context: process context, may sleep; takes sessions_lock.
 * Return: 0 (also once the session is destroyed: nothing is left to
 * append), or an errno of ktrace_metadata_sync_locked().
 */
int ktrace_metadata_cache_sync(struct ktrace_metadata_cache *md)
{
	int ret = 0;

	mutex_lock(&sessions_lock);
	if (md->session)
		ret = ktrace_metadata_sync_locked(md->session);
	mutex_unlock(&sessions_lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_metadata_cache_sync);

/**
 * ktrace_metadata_cache_open() - a reader's reference on a session's cache
 * @s: the session, held by the caller.
 *
 * Syncs the cache first, so that a reader that opens it after configuring
 * the session reads every declaration at once.
 *
 * Context: process context, may sleep; takes sessions_lock.
 * Return: the cache, with a reference for ktrace_metadata_cache_put(), or
 * an ERR_PTR() with an errno of ktrace_metadata_sync_locked().
 */
struct ktrace_metadata_cache *
ktrace_metadata_cache_open(struct ktrace_session *s)
{
	struct ktrace_metadata_cache *md = s->md;
	int ret;

	ret = ktrace_metadata_cache_sync(md);
	if (ret)
		return ERR_PTR(ret);
	kref_get(&md->ref);
	return md;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_metadata_cache_open);

/**
 * ktrace_metadata_cache_put() - drop a reader's reference
 * @md: the cache, or NULL.
 *
 * Context: process context, may sleep.
 */
void ktrace_metadata_cache_put(struct ktrace_metadata_cache *md)
{
	if (md)
		kref_put(&md->ref, md_cache_free);
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_metadata_cache_put);

/**
 * ktrace_metadata_cache_len() - bytes in a cache
 * @md: the cache.
 *
 * Context: any.
 * Return: its length now; it only grows.
 */
size_t ktrace_metadata_cache_len(struct ktrace_metadata_cache *md)
{
	return READ_ONCE(md->len);
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_metadata_cache_len);

/**
 * ktrace_metadata_cache_copy() - copy bytes out of a cache
 * @md: the cache.
 * @dst: a kernel buffer of @count bytes.
 * @count: at most that many bytes.
 * @pos: from this offset.
 *
 * Context: process context, may sleep.
 * Return: the number of bytes copied: 0 at or past the end.
 */
size_t ktrace_metadata_cache_copy(struct ktrace_metadata_cache *md, void *dst,
				  size_t count, size_t pos)
{
	size_t n = 0;

	mutex_lock(&md->lock);
	if (pos < md->len) {
		n = min(count, md->len - pos);
		memcpy(dst, md->text + pos, n);
	}
	mutex_unlock(&md->lock);
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_metadata_cache_copy);

/**
 * ktrace_metadata_cache_poll() - poll a cache for bytes past a position
 * @md: the cache.
 * @file: the file being polled.
 * @wait: the poll table.
 * @pos: the reader's position.
 *
 * Syncs the cache first (a failed sync leaves it for the next poll).
 *
 * Context: process context, as a file's poll operation; takes
 * sessions_lock.
 * Return: EPOLLIN | EPOLLRDNORM when the cache holds bytes past @pos;
 * otherwise EPOLLHUP once the session is destroyed; otherwise 0.
 */
__poll_t ktrace_metadata_cache_poll(struct ktrace_metadata_cache *md,
				    struct file *file, poll_table *wait,
				    size_t pos)
{
	bool gone;

	/* Appends and changes wake after their writes, under the queue lock. */
	poll_wait(file, &md->wait, wait);
	mutex_lock(&sessions_lock);
	if (md->session)
		ktrace_metadata_sync_locked(md->session);
	gone = !md->session;
	mutex_unlock(&sessions_lock);
	if (pos < READ_ONCE(md->len))
		return EPOLLIN | EPOLLRDNORM;
	return gone ? EPOLLHUP : 0;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_metadata_cache_poll);
