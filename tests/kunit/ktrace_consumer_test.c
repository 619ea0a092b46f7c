// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for streaming (ABI 3): the consumer fd and what the kernel
 * knows of a session's consumer, the stop sequence, the append-only
 * metadata fd, SESSION_CLEAR, channel disable/enable and the read timer.
 *
 * The ioctls run through the files' real operations with user memory from
 * kunit_vm_mmap(), as for a process; polls go through vfs_poll() with a
 * poll table that completes on wakeup.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include "abi/abi_internal.h"
#include "abi/uapi/ktrace.h"
#include "core/core_internal.h"
#include "core/event.h"
#include "core/metadata.h"
#include "core/session.h"
#include "probes/probes.h"
#include "ringbuffer/ringbuffer.h"

#include "ktrace_test_stream.h"

static struct file *t_consumer_open(struct kunit *test, struct t_env *e)
{
	struct ktrace_open_consumer req = {
		.size = sizeof(req),
		.session_id = ktrace_session_id(e->session),
	};
	struct file *file = ktrace_abi_consumer_open(&req);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, file);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, t_file_release,
							file), 0);
	return file;
}

static struct ktrace_consumer_status t_status(struct ktrace_session *s)
{
	struct ktrace_consumer_status st;

	ktrace_session_consumer_status(s, &st);
	return st;
}

/* Events written into a channel's buffers, all CPUs. */
static u64 t_written(struct ktrace_channel *c)
{
	struct ktrace_rb_counters cnt;
	struct ktrace_rb_buf *buf;
	unsigned int cpu;
	u64 n = 0;

	for_each_possible_cpu(cpu) {
		buf = ktrace_rb_buf(ktrace_channel_rb(c), cpu);
		if (!buf)
			continue;
		ktrace_rb_get_counters(buf, &cnt);
		n += cnt.written;
	}
	return n;
}

/*
 * KTRACE_IOC_OPEN_CONSUMER through /dev/ktrace's ioctl: one row per
 * rejection, everything else valid.
 */
enum t_oc_state {
	T_OC_NORMAL,
	T_OC_SNAPSHOT,
	T_OC_DESTROYED,
	T_OC_ATTACHED,		/* a consumer is attached already */
};

struct t_oc_args {
	struct ktrace_open_consumer req;
	u64 tail;
};

struct t_oc_case {
	const char *desc;
	enum t_oc_state state;
	bool bad_pointer;
	void (*prep)(struct t_oc_args *a);
	long expected;		/* 1: a new fd */
};

static void t_oc_small(struct t_oc_args *a)
{
	a->req.size = KTRACE_OPEN_CONSUMER_SIZE_VER0 - 4;
}

static void t_oc_tail(struct t_oc_args *a)
{
	a->req.size = sizeof(*a);
	a->tail = 1;
}

static void t_oc_zero_tail(struct t_oc_args *a)
{
	a->req.size = sizeof(*a);
}

static void t_oc_flags(struct t_oc_args *a)
{
	a->req.flags = 1;
}

static void t_oc_reserved(struct t_oc_args *a)
{
	a->req.reserved = 1;
}

static void t_oc_session(struct t_oc_args *a)
{
	a->req.session_id = U32_MAX;
}

static const struct t_oc_case t_oc_cases[] = {
	{ "valid", T_OC_NORMAL, false, NULL, 1 },
	{ "larger struct, zero tail", T_OC_NORMAL, false, t_oc_zero_tail, 1 },
	{ "size below version 0", T_OC_NORMAL, false, t_oc_small, -EINVAL },
	{ "non-zero unknown tail", T_OC_NORMAL, false, t_oc_tail, -EINVAL },
	{ "flags", T_OC_NORMAL, false, t_oc_flags, -EINVAL },
	{ "reserved", T_OC_NORMAL, false, t_oc_reserved, -EINVAL },
	{ "bad pointer", T_OC_NORMAL, true, NULL, -EFAULT },
	{ "unknown session", T_OC_NORMAL, false, t_oc_session, -ENOENT },
	{ "destroyed session", T_OC_DESTROYED, false, NULL, -ENOENT },
	{ "snapshot session", T_OC_SNAPSHOT, false, NULL, -EOPNOTSUPP },
	{ "second consumer", T_OC_ATTACHED, false, NULL, -EBUSY },
};

KUNIT_ARRAY_PARAM_DESC(t_oc_cases, t_oc_cases, desc);

static void consumer_open_checks_its_argument(struct kunit *test)
{
	const struct t_oc_case *c = test->param_value;
	struct t_oc_args a = {};
	struct t_oc_args __user *ua;
	struct file *file;
	struct t_env e;
	bool cloexec;
	long ret;

	t_env_init(test, &e, "kt_cons_open", c->state == T_OC_SNAPSHOT ?
		   KTRACE_SESSION_SNAPSHOT : KTRACE_SESSION_NORMAL);
	ua = e.umem;
	a.req.size = sizeof(a.req);
	a.req.session_id = ktrace_session_id(e.session);
	if (c->prep)
		c->prep(&a);
	KUNIT_ASSERT_EQ(test, copy_to_user(ua, &a, sizeof(a)), 0);
	if (c->state == T_OC_DESTROYED)
		KUNIT_ASSERT_EQ(test, ktrace_session_destroy(e.session), 0);
	if (c->state == T_OC_ATTACHED)
		t_consumer_open(test, &e);

	ret = ktrace_abi_dev_ioctl(NULL, KTRACE_IOC_OPEN_CONSUMER,
				   (unsigned long)(c->bad_pointer ? T_BAD_UPTR :
						   (void __user *)ua));
	if (c->expected != 1) {
		KUNIT_EXPECT_EQ(test, ret, c->expected);
		/* A refused request attaches nothing, or not us. */
		if (c->state == T_OC_NORMAL)
			KUNIT_EXPECT_FALSE(test, t_status(e.session).attached);
		return;
	}
	KUNIT_ASSERT_GE(test, ret, 0);
	rcu_read_lock();
	cloexec = close_on_exec(ret, current->files);
	rcu_read_unlock();
	KUNIT_EXPECT_TRUE(test, cloexec);
	file = fget(ret);
	KUNIT_EXPECT_NOT_NULL(test, file);
	if (file) {
		KUNIT_EXPECT_STREQ(test,
				   (const char *)file_dentry(file)->d_name.name,
				   "[ktrace_consumer]");
		KUNIT_EXPECT_FALSE(test, file->f_mode & FMODE_WRITE);
		fput(file);
	}
	KUNIT_EXPECT_TRUE(test, t_status(e.session).attached);
	KUNIT_EXPECT_EQ(test, t_status(e.session).pid, task_tgid_nr(current));
	KUNIT_EXPECT_EQ(test, close_fd(ret), 0);
	flush_delayed_fput();
	/* Closing the last fd detaches. */
	KUNIT_EXPECT_FALSE(test, t_status(e.session).attached);
}

static void consumer_is_one_per_session_until_closed(struct kunit *test)
{
	struct ktrace_open_consumer req = { .size = sizeof(req) };
	struct ktrace_consumer_report r = {
		.bytes_written = 4096, .packets_written = 1,
	};
	struct file *file, *again;
	struct t_env e;

	t_env_init(test, &e, "kt_cons_one", KTRACE_SESSION_NORMAL);
	req.session_id = ktrace_session_id(e.session);
	KUNIT_EXPECT_FALSE(test, t_status(e.session).attached);
	file = ktrace_abi_consumer_open(&req);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, file);
	KUNIT_EXPECT_TRUE(test, t_status(e.session).attached);
	KUNIT_EXPECT_EQ(test, t_status(e.session).pid, task_tgid_nr(current));
	KUNIT_EXPECT_PTR_EQ(test, ktrace_abi_consumer_open(&req),
			    ERR_PTR(-EBUSY));
	KUNIT_ASSERT_EQ(test, ktrace_session_consumer_report(e.session, &r), 0);

	/* Released (the process died or closed it): detached. */
	__fput_sync(file);
	KUNIT_EXPECT_FALSE(test, t_status(e.session).attached);
	/* What it reported stays listed... */
	KUNIT_EXPECT_EQ(test, t_status(e.session).report.bytes_written, 4096);
	/* ... until the next consumer attaches, which starts from zero. */
	again = t_consumer_open(test, &e);
	KUNIT_EXPECT_TRUE(test, t_status(e.session).attached);
	KUNIT_EXPECT_EQ(test, t_status(e.session).report.bytes_written, 0);
	KUNIT_EXPECT_EQ(test, t_status(e.session).report.packets_written, 0);
	/* The session lives as long as the consumer fd. */
	KUNIT_ASSERT_EQ(test, ktrace_session_destroy(e.session), 0);
	KUNIT_EXPECT_EQ(test, vfs_poll(again, NULL) & EPOLLHUP, EPOLLHUP);
}

/* KTRACE_CONSUMER_SET_STATS, one row per rejection. */
struct t_stats_args {
	struct ktrace_consumer_stats st;
	u64 tail;
};

struct t_stats_case {
	const char *desc;
	bool bad_pointer;
	unsigned int cmd;
	void (*prep)(struct t_stats_args *a);
	long expected;
};

/* Before each row: one stop, and a report of 100 bytes, 2 packets, stop 1. */
#define T_BYTES		100
#define T_PACKETS	2

static void t_st_valid(struct t_stats_args *a)
{
	a->st.bytes_written = T_BYTES + 1;
	a->st.packets_written = T_PACKETS;
	a->st.synced_stop_seq = 1;
	a->st.error = 28;	/* ENOSPC */
}

static void t_st_small(struct t_stats_args *a)
{
	t_st_valid(a);
	a->st.size = KTRACE_CONSUMER_STATS_SIZE_VER0 - 8;
}

static void t_st_tail(struct t_stats_args *a)
{
	t_st_valid(a);
	a->st.size = sizeof(*a);
	a->tail = 1;
}

static void t_st_zero_tail(struct t_stats_args *a)
{
	t_st_valid(a);
	a->st.size = sizeof(*a);
}

static void t_st_error_max(struct t_stats_args *a)
{
	t_st_valid(a);
	a->st.error = 4095;
}

static void t_st_error_big(struct t_stats_args *a)
{
	t_st_valid(a);
	a->st.error = 4096;
}

static void t_st_bytes_down(struct t_stats_args *a)
{
	t_st_valid(a);
	a->st.bytes_written = T_BYTES - 1;
}

static void t_st_packets_down(struct t_stats_args *a)
{
	t_st_valid(a);
	a->st.packets_written = T_PACKETS - 1;
}

static void t_st_synced_ahead(struct t_stats_args *a)
{
	t_st_valid(a);
	a->st.synced_stop_seq = 2;
}

static void t_st_synced_down(struct t_stats_args *a)
{
	t_st_valid(a);
	a->st.synced_stop_seq = 0;
}

static const struct t_stats_case t_stats_cases[] = {
	{ "valid", false, KTRACE_CONSUMER_SET_STATS, t_st_valid, 0 },
	{ "larger struct, zero tail", false, KTRACE_CONSUMER_SET_STATS,
	  t_st_zero_tail, 0 },
	{ "error 4095", false, KTRACE_CONSUMER_SET_STATS, t_st_error_max, 0 },
	{ "size below version 0", false, KTRACE_CONSUMER_SET_STATS,
	  t_st_small, -EINVAL },
	{ "non-zero unknown tail", false, KTRACE_CONSUMER_SET_STATS,
	  t_st_tail, -EINVAL },
	{ "error 4096", false, KTRACE_CONSUMER_SET_STATS, t_st_error_big,
	  -EINVAL },
	{ "bytes written going down", false, KTRACE_CONSUMER_SET_STATS,
	  t_st_bytes_down, -EINVAL },
	{ "packets written going down", false, KTRACE_CONSUMER_SET_STATS,
	  t_st_packets_down, -EINVAL },
	{ "synced past the stop sequence", false, KTRACE_CONSUMER_SET_STATS,
	  t_st_synced_ahead, -EINVAL },
	{ "synced going down", false, KTRACE_CONSUMER_SET_STATS,
	  t_st_synced_down, -EINVAL },
	{ "bad pointer", true, KTRACE_CONSUMER_SET_STATS, t_st_valid,
	  -EFAULT },
	{ "unknown command", false, _IOW(KTRACE_IOC_MAGIC, 0x32, u64),
	  t_st_valid, -ENOTTY },
	{ "a stream command", false, KTRACE_STREAM_GET_NEXT_SUBBUF,
	  t_st_valid, -ENOTTY },
};

KUNIT_ARRAY_PARAM_DESC(t_stats_cases, t_stats_cases, desc);

static void consumer_set_stats_checks_its_argument(struct kunit *test)
{
	const struct t_stats_case *c = test->param_value;
	struct ktrace_consumer_report r = {
		.bytes_written = T_BYTES, .packets_written = T_PACKETS,
		.synced_stop_seq = 1,
	};
	struct ktrace_consumer_status st;
	struct t_stats_args a = {};
	struct file *file;
	struct t_env e;

	t_env_init(test, &e, "kt_cons_stats", KTRACE_SESSION_NORMAL);
	file = t_consumer_open(test, &e);
	KUNIT_ASSERT_EQ(test, ktrace_session_start(e.session), 0);
	KUNIT_ASSERT_EQ(test, ktrace_session_stop(e.session), 0);
	KUNIT_ASSERT_EQ(test, ktrace_session_consumer_report(e.session, &r), 0);
	a.st.size = sizeof(a.st);
	c->prep(&a);
	KUNIT_ASSERT_EQ(test, copy_to_user(e.umem, &a, sizeof(a)), 0);

	KUNIT_EXPECT_EQ(test, t_ioctl(file, c->cmd, c->bad_pointer ?
				      T_BAD_UPTR : e.umem), c->expected);
	st = t_status(e.session);
	if (c->expected) {
		/* Nothing of a refused report is recorded. */
		KUNIT_EXPECT_EQ(test, st.report.bytes_written, T_BYTES);
		KUNIT_EXPECT_EQ(test, st.report.packets_written, T_PACKETS);
		KUNIT_EXPECT_EQ(test, st.report.synced_stop_seq, 1);
		KUNIT_EXPECT_EQ(test, st.report.error, 0);
		return;
	}
	KUNIT_EXPECT_EQ(test, st.report.bytes_written, a.st.bytes_written);
	KUNIT_EXPECT_EQ(test, st.report.packets_written, T_PACKETS);
	KUNIT_EXPECT_EQ(test, st.report.synced_stop_seq, 1);
	KUNIT_EXPECT_EQ(test, st.report.error, a.st.error);
}

static void consumer_poll_wakes_at_stop_and_hangs_up(struct kunit *test)
{
	struct ktrace_consumer_stats st = { .size = sizeof(st) };
	struct file *file;
	struct t_poll p;
	struct t_env e;
	u64 seq = ~0ULL;

	t_env_init(test, &e, "kt_cons_poll", KTRACE_SESSION_NORMAL);
	file = t_consumer_open(test, &e);
	KUNIT_ASSERT_EQ(test, ktrace_session_start(e.session), 0);
	KUNIT_EXPECT_EQ(test, t_poll_start(&p, file), 0);
	KUNIT_EXPECT_NOT_NULL(test, p.head);
	KUNIT_EXPECT_EQ(test, t_ioctl(file, KTRACE_CONSUMER_GET_STOP_SEQ,
				      e.umem), 0);
	KUNIT_EXPECT_EQ(test, get_user(seq, (u64 __user *)e.umem), 0);
	KUNIT_EXPECT_EQ(test, seq, 0);

	/* A consumer sleeping in poll wakes at the stop. */
	KUNIT_ASSERT_EQ(test, ktrace_session_stop(e.session), 0);
	KUNIT_EXPECT_GT(test, wait_for_completion_timeout(&p.woken, 10 * HZ),
			0);
	t_poll_stop(&p);
	KUNIT_EXPECT_EQ(test, vfs_poll(file, NULL), EPOLLIN | EPOLLRDNORM);
	KUNIT_EXPECT_EQ(test, t_ioctl(file, KTRACE_CONSUMER_GET_STOP_SEQ,
				      e.umem), 0);
	KUNIT_EXPECT_EQ(test, get_user(seq, (u64 __user *)e.umem), 0);
	KUNIT_EXPECT_EQ(test, seq, 1);
	KUNIT_EXPECT_EQ(test, t_status(e.session).stop_seq, 1);

	/* Reporting the stop as synced ends the work. */
	st.synced_stop_seq = 1;
	KUNIT_ASSERT_EQ(test, copy_to_user(e.umem, &st, sizeof(st)), 0);
	KUNIT_EXPECT_EQ(test, t_ioctl(file, KTRACE_CONSUMER_SET_STATS,
				      e.umem), 0);
	KUNIT_EXPECT_EQ(test, vfs_poll(file, NULL), 0);

	/* Destroying an active session counts as a stop, and hangs up. */
	KUNIT_ASSERT_EQ(test, ktrace_session_start(e.session), 0);
	KUNIT_EXPECT_EQ(test, t_poll_start(&p, file), 0);
	KUNIT_ASSERT_EQ(test, ktrace_session_destroy(e.session), 0);
	KUNIT_EXPECT_GT(test, wait_for_completion_timeout(&p.woken, 10 * HZ),
			0);
	t_poll_stop(&p);
	KUNIT_EXPECT_EQ(test, vfs_poll(file, NULL),
			EPOLLIN | EPOLLRDNORM | EPOLLHUP);
	KUNIT_EXPECT_EQ(test, ktrace_session_stop_seq(e.session), 2);
}

/*
 * A stop closes the packet being written in every stream: everything
 * recorded before it is readable by GET_NEXT_SUBBUF, and the lag counts
 * it until it is consumed.
 */
static void stop_flushes_every_stream(struct kunit *test)
{
	struct file *stream;
	struct t_poll p;
	struct t_env e;
	u64 size = 0;

	t_env_init(test, &e, "kt_cons_flush", KTRACE_SESSION_NORMAL);
	stream = t_stream_open(test, &e);
	KUNIT_ASSERT_EQ(test, ktrace_session_start(e.session), 0);
	t_write(test, &e, 3);
	KUNIT_EXPECT_EQ(test, vfs_poll(stream, NULL), 0);
	KUNIT_EXPECT_EQ(test, t_status(e.session).lag, 0);
	KUNIT_EXPECT_EQ(test, t_poll_start(&p, stream), 0);

	KUNIT_ASSERT_EQ(test, ktrace_session_stop(e.session), 0);
	KUNIT_EXPECT_GT(test, wait_for_completion_timeout(&p.woken, 10 * HZ),
			0);
	t_poll_stop(&p);
	KUNIT_EXPECT_EQ(test, vfs_poll(stream, NULL), EPOLLIN | EPOLLRDNORM);
	KUNIT_EXPECT_EQ(test, t_status(e.session).lag, T_SUBBUF);
	KUNIT_ASSERT_EQ(test, t_ioctl(stream, KTRACE_STREAM_GET_NEXT_SUBBUF,
				      NULL), 0);
	KUNIT_EXPECT_EQ(test, t_status(e.session).lag, 0);
	KUNIT_EXPECT_EQ(test, t_ioctl(stream, KTRACE_STREAM_GET_SUBBUF_SIZE,
				      e.umem), 0);
	KUNIT_EXPECT_EQ(test, get_user(size, (u64 __user *)e.umem), 0);
	KUNIT_EXPECT_EQ(test, size,
			sizeof(struct ktrace_ctf_packet) + 3 * T_EVENT_LEN);
	KUNIT_ASSERT_EQ(test, t_ioctl(stream, KTRACE_STREAM_PUT_NEXT_SUBBUF,
				      NULL), 0);
	/* Nothing more: the stream is drained. */
	KUNIT_EXPECT_EQ(test, t_ioctl(stream, KTRACE_STREAM_GET_NEXT_SUBBUF,
				      NULL), -EAGAIN);
}

/* Read a metadata fd from its position to the end; kvfree() the text. */
static char *t_read_all(struct kunit *test, struct file *file, size_t *len)
{
	size_t size = 64 * PAGE_SIZE;
	char *buf = kvzalloc(size, GFP_KERNEL);
	ssize_t n;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	*len = 0;
	for (;;) {
		n = kernel_read(file, buf + *len, size - 1 - *len, &file->f_pos);
		KUNIT_ASSERT_GE(test, n, 0);
		if (!n)
			break;
		*len += n;
		KUNIT_ASSERT_LT(test, *len, size - 1);
	}
	return buf;
}

static void metadata_fd_appends_declarations(struct kunit *test)
{
	struct ktrace_channel_attr attr = {
		.name = "late",
		.subbuf_size = T_SUBBUF,
		.num_subbuf = T_NUM_SUBBUF,
	};
	char *first, *more, *whole, *late;
	size_t len1, len2, wlen, llen;
	struct file *file, *other;
	struct ktrace_channel *c2;
	struct t_poll p;
	struct t_env e;

	t_env_init(test, &e, "kt_cons_md", KTRACE_SESSION_NORMAL);
	KUNIT_ASSERT_EQ(test, ktrace_context_add(e.channel, KTRACE_CONTEXT_PID),
			0);
	file = t_metadata_open(test, &e);
	first = t_read_all(test, file, &len1);
	KUNIT_EXPECT_GT(test, len1, 0);
	KUNIT_EXPECT_TRUE(test, !strncmp(first, "/* CTF 1.8 */", 13));
	KUNIT_EXPECT_NOT_NULL(test, strstr(first, "stream {\n\tid = 0;"));
	KUNIT_EXPECT_NULL(test, strstr(first, "event {"));
	/* At the end: read returns 0, poll has nothing, no hang-up. */
	KUNIT_EXPECT_EQ(test, t_poll_start(&p, file), 0);
	/* The stream class is out: its contexts are fixed. */
	KUNIT_EXPECT_EQ(test, ktrace_context_add(e.channel,
						 KTRACE_CONTEXT_TID), -EBUSY);

	/* Enabling an event, also while active, appends it and wakes. */
	KUNIT_ASSERT_EQ(test, ktrace_session_start(e.session), 0);
	KUNIT_ASSERT_EQ(test, ktrace_event_enable(e.channel, "ktrace_test"), 1);
	KUNIT_EXPECT_GT(test, wait_for_completion_timeout(&p.woken, 10 * HZ),
			0);
	t_poll_stop(&p);
	KUNIT_EXPECT_EQ(test, vfs_poll(file, NULL), EPOLLIN | EPOLLRDNORM);
	more = t_read_all(test, file, &len2);
	KUNIT_EXPECT_TRUE(test, !strncmp(more, "event {", 7));
	KUNIT_EXPECT_NOT_NULL(test, strstr(more, "name = \"ktrace_test\";"));
	KUNIT_EXPECT_EQ(test, vfs_poll(file, NULL), 0);
	KUNIT_EXPECT_EQ(test, vfs_llseek(file, 0, SEEK_END), len1 + len2);

	/* The concatenation is the metadata of the session as it is now. */
	whole = ktrace_metadata_generate(e.session, &wlen);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, whole);
	KUNIT_EXPECT_EQ(test, wlen, len1 + len2);
	KUNIT_EXPECT_EQ(test, memcmp(whole, first, len1), 0);
	KUNIT_EXPECT_EQ(test, memcmp(whole + len1, more, len2), 0);
	kvfree(whole);

	/* A new fd has a position of its own, from the start. */
	other = t_metadata_open(test, &e);
	whole = t_read_all(test, other, &wlen);
	KUNIT_EXPECT_EQ(test, wlen, len1 + len2);
	kvfree(whole);

	/* A channel added later: its stream class comes after the events. */
	KUNIT_ASSERT_EQ(test, ktrace_session_stop(e.session), 0);
	c2 = ktrace_channel_create(e.session, &attr);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, c2);
	KUNIT_ASSERT_EQ(test, ktrace_event_enable(c2, "ktrace_test"), 1);
	late = t_read_all(test, file, &llen);
	KUNIT_EXPECT_TRUE(test, !strncmp(late, "stream {\n\tid = 1;", 17));
	KUNIT_EXPECT_NOT_NULL(test, strstr(late, "stream_id = 1;"));

	/* pread leaves the position; the text never changes. */
	KUNIT_EXPECT_EQ(test, kernel_read(file, late, 13, &(loff_t){ 0 }), 13);
	KUNIT_EXPECT_TRUE(test, !strncmp(late, "/* CTF 1.8 */", 13));

	/* Destroyed: the fd keeps what was appended, and hangs up. */
	KUNIT_ASSERT_EQ(test, ktrace_session_destroy(e.session), 0);
	KUNIT_EXPECT_EQ(test, vfs_poll(file, NULL), EPOLLHUP);
	KUNIT_EXPECT_EQ(test, vfs_poll(other, NULL), EPOLLIN | EPOLLRDNORM);
	kvfree(first);
	kvfree(more);
	kvfree(late);
}

/* Positions and sequence numbers after a clear: a gap, no corruption. */
static void session_clear_drops_what_was_not_consumed(struct kunit *test)
{
	struct ktrace_packet_info *info;
	u8 *held_before;
	struct file *stream;
	struct t_env e;
	u64 seq_held;

	info = kunit_kzalloc(test, sizeof(*info), GFP_KERNEL);
	held_before = kunit_kzalloc(test, T_SUBBUF, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, info);
	KUNIT_ASSERT_NOT_NULL(test, held_before);
	t_env_init(test, &e, "kt_cons_clear", KTRACE_SESSION_NORMAL);
	stream = t_stream_open(test, &e);
	KUNIT_ASSERT_EQ(test, ktrace_session_start(e.session), 0);
	/* Three full packets, and one open with an event. */
	t_write(test, &e, 3 * T_PER_PACKET + 1);

	/* The reader holds the first packet while the clear runs. */
	KUNIT_ASSERT_EQ(test, t_ioctl(stream, KTRACE_STREAM_GET_NEXT_SUBBUF,
				      NULL), 0);
	memcpy(held_before, ktrace_rb_held_data(e.buf), T_SUBBUF);
	info->size = sizeof(*info);
	KUNIT_ASSERT_EQ(test, copy_to_user(e.umem, info, sizeof(*info)), 0);
	KUNIT_ASSERT_EQ(test, t_ioctl(stream, KTRACE_STREAM_GET_PACKET_INFO,
				      e.umem), 0);
	KUNIT_ASSERT_EQ(test, copy_from_user(info, e.umem, sizeof(*info)), 0);
	seq_held = info->seq;
	KUNIT_EXPECT_GT(test, t_status(e.session).lag, 0);

	KUNIT_ASSERT_EQ(test, ktrace_session_clear(e.session), 0);
	KUNIT_EXPECT_EQ(test, t_status(e.session).lag, 0);
	KUNIT_EXPECT_EQ(test, memcmp(held_before, ktrace_rb_held_data(e.buf),
				     T_SUBBUF), 0);
	KUNIT_EXPECT_EQ(test, t_ioctl(stream, KTRACE_STREAM_PUT_NEXT_SUBBUF,
				      NULL), 0);
	/* The two closed packets and the flushed one are gone. */
	KUNIT_EXPECT_EQ(test, t_ioctl(stream, KTRACE_STREAM_GET_NEXT_SUBBUF,
				      NULL), -EAGAIN);
	KUNIT_EXPECT_EQ(test, vfs_poll(stream, NULL), 0);

	/* What comes next reads normally, after a gap in the sequence. */
	t_write(test, &e, 2);
	ktrace_rb_flush(e.buf, false);
	KUNIT_ASSERT_EQ(test, t_ioctl(stream, KTRACE_STREAM_GET_NEXT_SUBBUF,
				      NULL), 0);
	KUNIT_ASSERT_EQ(test, copy_to_user(e.umem, info, sizeof(*info)), 0);
	KUNIT_ASSERT_EQ(test, t_ioctl(stream, KTRACE_STREAM_GET_PACKET_INFO,
				      e.umem), 0);
	KUNIT_ASSERT_EQ(test, copy_from_user(info, e.umem, sizeof(*info)), 0);
	KUNIT_EXPECT_EQ(test, info->seq, seq_held + 4);
	KUNIT_EXPECT_EQ(test, info->content_size,
			sizeof(struct ktrace_ctf_packet) + 2 * T_EVENT_LEN);
	KUNIT_EXPECT_EQ(test, t_ioctl(stream, KTRACE_STREAM_PUT_NEXT_SUBBUF,
				      NULL), 0);
	/* Clearing a destroyed session: not found. */
	KUNIT_ASSERT_EQ(test, ktrace_session_destroy(e.session), 0);
	KUNIT_EXPECT_EQ(test, ktrace_session_clear(e.session), -ENOENT);
}

/* A snapshot session's next snapshot starts after the clear. */
static void session_clear_empties_a_snapshot(struct kunit *test)
{
	unsigned long consumed, produced;
	struct t_env e;

	t_env_init(test, &e, "kt_cons_clear_snap", KTRACE_SESSION_SNAPSHOT);
	KUNIT_ASSERT_EQ(test, ktrace_session_start(e.session), 0);
	/*
	 * Overwrite mode: more than the ring holds. The open packet has its
	 * slot: the ring's other slots hold closed packets.
	 */
	t_write(test, &e, (T_NUM_SUBBUF + 2) * T_PER_PACKET);
	ktrace_rb_snapshot(e.buf, &consumed, &produced);
	KUNIT_EXPECT_EQ(test, produced - consumed,
			(T_NUM_SUBBUF - 1) * T_SUBBUF);
	KUNIT_ASSERT_EQ(test, ktrace_session_clear(e.session), 0);
	ktrace_rb_flush(e.buf, false);
	ktrace_rb_snapshot(e.buf, &consumed, &produced);
	KUNIT_EXPECT_EQ(test, produced, consumed);
	t_write(test, &e, 1);
	ktrace_rb_flush(e.buf, false);
	ktrace_rb_snapshot(e.buf, &consumed, &produced);
	KUNIT_EXPECT_EQ(test, produced - consumed, T_SUBBUF);
}

static void channel_disable_stops_recording_and_keeps_events(struct kunit *test)
{
	struct ktrace_channel_attr attr = {
		.name = "off",
		.subbuf_size = T_SUBBUF,
		.num_subbuf = T_NUM_SUBBUF,
		.disabled = true,
	};
	struct ktrace_channel *off;
	struct ktrace_event *ev;
	struct t_env e;

	t_env_init(test, &e, "kt_cons_chdis", KTRACE_SESSION_NORMAL);
	off = ktrace_channel_create(e.session, &attr);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, off);
	KUNIT_EXPECT_FALSE(test, ktrace_channel_enabled(off));
	KUNIT_EXPECT_TRUE(test, ktrace_channel_enabled(e.channel));
	KUNIT_ASSERT_EQ(test, ktrace_event_enable(e.channel, "ktrace_test"), 1);
	/* Enabled in a disabled channel: requested, not recording. */
	KUNIT_ASSERT_EQ(test, ktrace_event_enable(off, "ktrace_test"), 1);
	KUNIT_ASSERT_EQ(test, ktrace_session_start(e.session), 0);

	ktrace_probes_fire_test(0, 10, 0);
	KUNIT_EXPECT_EQ(test, t_written(e.channel), 10);
	KUNIT_EXPECT_EQ(test, t_written(off), 0);

	KUNIT_EXPECT_EQ(test, ktrace_channel_set_enabled(e.channel, false), 0);
	KUNIT_EXPECT_EQ(test, ktrace_channel_set_enabled(e.channel, false),
			-EALREADY);
	KUNIT_EXPECT_EQ(test, ktrace_channel_set_enabled(off, true), 0);
	KUNIT_EXPECT_EQ(test, ktrace_channel_set_enabled(off, true),
			-EALREADY);
	ktrace_probes_fire_test(10, 5, 0);
	KUNIT_EXPECT_EQ(test, t_written(e.channel), 10);
	KUNIT_EXPECT_EQ(test, t_written(off), 5);
	/* The disabled channel's event keeps its state. */
	list_for_each_entry(ev, &e.channel->events, chan_node) {
		KUNIT_EXPECT_TRUE(test, ev->requested);
		KUNIT_EXPECT_FALSE(test, ev->enabled);
	}
	/* Disabling the event while the channel is disabled sticks. */
	KUNIT_EXPECT_EQ(test, ktrace_event_disable(e.channel, "ktrace_test"),
			1);
	KUNIT_EXPECT_EQ(test, ktrace_channel_set_enabled(e.channel, true), 0);
	ktrace_probes_fire_test(15, 5, 0);
	KUNIT_EXPECT_EQ(test, t_written(e.channel), 10);
	KUNIT_ASSERT_EQ(test, ktrace_event_enable(e.channel, "ktrace_test"), 1);
	ktrace_probes_fire_test(20, 5, 0);
	KUNIT_EXPECT_EQ(test, t_written(e.channel), 15);
	KUNIT_EXPECT_EQ(test, t_written(off), 15);

	KUNIT_ASSERT_EQ(test, ktrace_session_destroy(e.session), 0);
	KUNIT_EXPECT_EQ(test, ktrace_channel_set_enabled(off, false), -ENOENT);
}

/*
 * A channel with a read timer: a delivered packet does not wake the
 * stream's poller by itself (writers skip the wakeup); the timer, which
 * runs while the session is active, does.
 */
static void read_timer_wakes_stream_pollers(struct kunit *test)
{
	struct ktrace_channel_attr attr = {
		.name = "timed",
		.subbuf_size = T_SUBBUF,
		.num_subbuf = T_NUM_SUBBUF,
		.read_timer_us = 2000,
	};
	struct file *stream;
	struct t_poll p;
	struct t_env e;

	t_env_attr(test, &e, "kt_cons_rtimer", KTRACE_SESSION_NORMAL, &attr);
	KUNIT_EXPECT_EQ(test, ktrace_channel_read_timer_us(e.channel), 2000);
	stream = t_stream_open(test, &e);
	KUNIT_EXPECT_EQ(test, t_poll_start(&p, stream), 0);
	/* Not active: no timer. A delivered packet alone wakes nobody. */
	t_write(test, &e, T_PER_PACKET + 1);
	KUNIT_EXPECT_EQ(test, wait_for_completion_timeout(&p.woken, HZ / 5),
			0);
	KUNIT_EXPECT_EQ(test, vfs_poll(stream, NULL), EPOLLIN | EPOLLRDNORM);
	/* The timer does, within its period once the session is active. */
	KUNIT_ASSERT_EQ(test, ktrace_session_start(e.session), 0);
	KUNIT_EXPECT_GT(test, wait_for_completion_timeout(&p.woken, 10 * HZ),
			0);
	t_poll_stop(&p);
	KUNIT_ASSERT_EQ(test, ktrace_session_stop(e.session), 0);
}

/* The bounds a channel's streaming attributes are held to. */
struct t_attr_case {
	const char *desc;
	enum ktrace_session_mode mode;
	u32 read_timer_us;
	u64 tracefile_size;
	u32 tracefile_count;
	int expected;
};

static const struct t_attr_case t_attr_cases[] = {
	{ "none", KTRACE_SESSION_NORMAL, 0, 0, 0, 0 },
	{ "read timer at its bound", KTRACE_SESSION_NORMAL,
	  KTRACE_READ_TIMER_MAX, 0, 0, 0 },
	{ "read timer past its bound", KTRACE_SESSION_NORMAL,
	  KTRACE_READ_TIMER_MAX + 1, 0, 0, -EINVAL },
	{ "tracefile of one sub-buffer, 3 files", KTRACE_SESSION_NORMAL, 0,
	  T_SUBBUF, 3, 0 },
	{ "tracefile smaller than a sub-buffer", KTRACE_SESSION_NORMAL, 0,
	  T_SUBBUF - 1, 0, -EINVAL },
	{ "tracefile count without a size", KTRACE_SESSION_NORMAL, 0, 0, 3,
	  -EINVAL },
	{ "tracefile count at its bound", KTRACE_SESSION_NORMAL, 0,
	  T_SUBBUF, KTRACE_TRACEFILE_COUNT_MAX, 0 },
	{ "tracefile count past its bound", KTRACE_SESSION_NORMAL, 0,
	  T_SUBBUF, KTRACE_TRACEFILE_COUNT_MAX + 1, -EINVAL },
	{ "tracefile size in a snapshot session", KTRACE_SESSION_SNAPSHOT, 0,
	  T_SUBBUF, 0, -EINVAL },
	{ "read timer in a snapshot session", KTRACE_SESSION_SNAPSHOT, 1000,
	  0, 0, 0 },
};

KUNIT_ARRAY_PARAM_DESC(t_attr_cases, t_attr_cases, desc);

static void channel_streaming_attributes_are_bounded(struct kunit *test)
{
	const struct t_attr_case *c = test->param_value;
	struct ktrace_channel_attr attr = {
		.name = "c",
		.subbuf_size = T_SUBBUF,
		.num_subbuf = T_NUM_SUBBUF,
		.read_timer_us = c->read_timer_us,
		.tracefile_size = c->tracefile_size,
		.tracefile_count = c->tracefile_count,
	};
	struct ktrace_session *s;
	struct ktrace_channel *ch;

	flush_delayed_fput();
	s = ktrace_session_create("kt_cons_attr", c->mode);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, s);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, t_session_release,
							s), 0);
	ch = ktrace_channel_create(s, &attr);
	if (c->expected) {
		KUNIT_EXPECT_PTR_EQ(test, ch, ERR_PTR(c->expected));
		KUNIT_EXPECT_EQ(test, ktrace_session_num_channels(s), 0);
		return;
	}
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ch);
	KUNIT_EXPECT_EQ(test, ktrace_channel_read_timer_us(ch),
			c->read_timer_us);
	KUNIT_EXPECT_EQ(test, ktrace_channel_tracefile_size(ch),
			c->tracefile_size);
	KUNIT_EXPECT_EQ(test, ktrace_channel_tracefile_count(ch),
			c->tracefile_count);
	KUNIT_EXPECT_TRUE(test, ktrace_channel_enabled(ch));
}

/* A normal session has one output, its trace output. */
static void normal_session_has_one_trace_output(struct kunit *test)
{
	struct t_env e;
	u32 id;

	t_env_init(test, &e, "kt_cons_out", KTRACE_SESSION_NORMAL);
	KUNIT_EXPECT_EQ(test, ktrace_session_output_add(e.session, NULL,
							"/tmp/t", 4096, &id),
			-EINVAL);
	KUNIT_ASSERT_EQ(test, ktrace_session_output_add(e.session, NULL,
							"/tmp/t", 0, &id), 0);
	KUNIT_EXPECT_EQ(test, ktrace_session_output_add(e.session, "other",
							"/tmp/u", 0, &id),
			-EMLINK);
	/* Its consumer writes there: it stays while one is attached. */
	t_consumer_open(test, &e);
	KUNIT_EXPECT_EQ(test, ktrace_session_output_del_name(e.session,
							     "trace"), -EBUSY);
	KUNIT_EXPECT_EQ(test, ktrace_session_output_del_id(e.session, id),
			-EBUSY);
}

static struct kunit_case consumer_test_cases[] = {
	KUNIT_CASE_PARAM(consumer_open_checks_its_argument,
			 t_oc_cases_gen_params),
	KUNIT_CASE(consumer_is_one_per_session_until_closed),
	KUNIT_CASE_PARAM(consumer_set_stats_checks_its_argument,
			 t_stats_cases_gen_params),
	KUNIT_CASE(consumer_poll_wakes_at_stop_and_hangs_up),
	KUNIT_CASE(stop_flushes_every_stream),
	KUNIT_CASE(metadata_fd_appends_declarations),
	KUNIT_CASE(session_clear_drops_what_was_not_consumed),
	KUNIT_CASE(session_clear_empties_a_snapshot),
	KUNIT_CASE(channel_disable_stops_recording_and_keeps_events),
	KUNIT_CASE(read_timer_wakes_stream_pollers),
	KUNIT_CASE_PARAM(channel_streaming_attributes_are_bounded,
			 t_attr_cases_gen_params),
	KUNIT_CASE(normal_session_has_one_trace_output),
	{}
};

static struct kunit_suite consumer_test_suite = {
	.name = "ktrace_consumer",
	.test_cases = consumer_test_cases,
};

kunit_test_suite(consumer_test_suite);

MODULE_DESCRIPTION("KUnit tests for ktrace streaming: consumer, metadata, clear");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
