/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit helpers shared by the suites that read a channel through its
 * files (ktrace_stream_test.c, ktrace_consumer_test.c): a session with
 * one small channel and user memory for the ioctls, the stream and
 * metadata fds opened as a process opens them, events written on the
 * buffer's CPU, and a poll table that completes on wakeup.
 *
 * Not to be included with ktrace_test_trace.h, whose fixture has its own
 * T_NUM_SUBBUF and t_session_release().
 */
#ifndef _KTRACE_TEST_STREAM_H
#define _KTRACE_TEST_STREAM_H

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/poll.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/wait.h>

#include "abi/abi_internal.h"
#include "abi/uapi/ktrace.h"
#include "core/core_internal.h"
#include "core/session.h"
#include "ringbuffer/ringbuffer.h"

#define T_SUBBUF	PAGE_SIZE
#define T_NUM_SUBBUF	4U
#define T_EVENT_LEN	200U
/* Events that fill one packet: the next one closes it. */
#define T_PER_PACKET	((T_SUBBUF - sizeof(struct ktrace_ctf_packet)) / \
			 T_EVENT_LEN)
/* A user address that is never mapped (below mmap_min_addr). */
#define T_BAD_UPTR	((void __user *)16)
#define T_UMEM_SIZE	(4 * PAGE_SIZE)

/* One session, its channel and the buffer a test reads. */
struct t_env {
	struct ktrace_session *session;
	struct ktrace_channel *channel;
	struct ktrace_rb_chan *rb;
	struct ktrace_rb_buf *buf;
	unsigned int cpu;
	void __user *umem;	/* T_UMEM_SIZE bytes of user memory */
};

static inline void t_session_release(void *p)
{
	struct ktrace_session *s = p;

	ktrace_session_destroy(s);
	ktrace_session_put(s);
}

static inline void t_file_release(void *p)
{
	__fput_sync(p);
}

static inline void __user *t_user_mem(struct kunit *test)
{
	unsigned long addr = kunit_vm_mmap(test, NULL, 0, T_UMEM_SIZE,
					   PROT_READ | PROT_WRITE,
					   MAP_ANONYMOUS | MAP_PRIVATE, 0);

	KUNIT_ASSERT_NE(test, addr, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(addr));
	return (void __user *)addr;
}

/* A session @name in @mode with one channel of @attr, the first CPU's. */
static inline void t_env_attr(struct kunit *test, struct t_env *e,
			      const char *name, enum ktrace_session_mode mode,
			      const struct ktrace_channel_attr *attr)
{
	/* Files closed by earlier cases may still hold their sessions. */
	flush_delayed_fput();
	e->session = ktrace_session_create(name, mode);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, e->session);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, t_session_release,
							e->session), 0);
	e->channel = ktrace_channel_create(e->session, attr);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, e->channel);
	e->rb = ktrace_channel_rb(e->channel);
	e->cpu = cpumask_first(cpu_online_mask);
	e->buf = ktrace_rb_buf(e->rb, e->cpu);
	e->umem = t_user_mem(test);
}

/* The same, the channel "chan" of T_NUM_SUBBUF packets of T_SUBBUF. */
static inline void t_env_init(struct kunit *test, struct t_env *e,
			      const char *name, enum ktrace_session_mode mode)
{
	struct ktrace_channel_attr attr = {
		.name = "chan",
		.subbuf_size = T_SUBBUF,
		.num_subbuf = T_NUM_SUBBUF,
	};

	t_env_attr(test, e, name, mode, &attr);
}

static inline long t_ioctl(struct file *file, unsigned int cmd,
			   const void __user *arg)
{
	return file->f_op->unlocked_ioctl(file, cmd, (unsigned long)arg);
}

static inline struct file *t_stream_open(struct kunit *test, struct t_env *e)
{
	struct ktrace_open_stream req = {
		.size = sizeof(req),
		.session_id = ktrace_session_id(e->session),
		.channel_id = ktrace_channel_id(e->channel),
		.cpu = e->cpu,
	};
	struct file *file = ktrace_abi_stream_open(&req);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, file);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, t_file_release,
							file), 0);
	return file;
}

static inline struct file *t_metadata_open(struct kunit *test,
					   struct t_env *e)
{
	struct ktrace_open_metadata req = {
		.size = sizeof(req),
		.session_id = ktrace_session_id(e->session),
	};
	struct file *file = ktrace_abi_metadata_open(&req);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, file);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, t_file_release,
							file), 0);
	return file;
}

/* Writing events: from an IPI on the buffer's CPU, so they land there. */
struct t_fill {
	struct ktrace_rb_chan *rb;
	unsigned int events;
	int ret;
};

static inline void t_fill_on_cpu(void *arg)
{
	struct t_fill *f = arg;
	unsigned int i;

	for (i = 0; i < f->events; i++) {
		struct ktrace_rb_ctx ctx = {};

		f->ret = ktrace_rb_reserve(f->rb, &ctx, T_EVENT_LEN);
		if (f->ret)
			return;
		memset(ctx.data, 'a' + i % 26, ctx.len);
		ktrace_rb_commit(f->rb, &ctx);
	}
}

static inline void t_write(struct kunit *test, struct t_env *e,
			   unsigned int events)
{
	struct t_fill f = { .rb = e->rb, .events = events };

	KUNIT_ASSERT_EQ(test, smp_call_function_single(e->cpu, t_fill_on_cpu,
						       &f, 1), 0);
	KUNIT_ASSERT_EQ(test, f.ret, 0);
}

/* A poll table that records the wait queue and completes on wakeup. */
struct t_poll {
	struct poll_table_struct pt;
	wait_queue_head_t *head;
	struct wait_queue_entry entry;
	struct completion woken;
};

static inline int t_poll_wake(struct wait_queue_entry *wq, unsigned int mode,
			      int sync, void *key)
{
	struct t_poll *p = container_of(wq, struct t_poll, entry);

	complete(&p->woken);
	return 0;
}

static inline void t_poll_queue(struct file *file, wait_queue_head_t *head,
				struct poll_table_struct *pt)
{
	struct t_poll *p = container_of(pt, struct t_poll, pt);

	p->head = head;
	init_waitqueue_func_entry(&p->entry, t_poll_wake);
	add_wait_queue(head, &p->entry);
}

static inline __poll_t t_poll_start(struct t_poll *p, struct file *file)
{
	init_completion(&p->woken);
	p->head = NULL;
	init_poll_funcptr(&p->pt, t_poll_queue);
	return vfs_poll(file, &p->pt);
}

static inline void t_poll_stop(struct t_poll *p)
{
	if (p->head)
		remove_wait_queue(p->head, &p->entry);
	p->head = NULL;
}

#endif /* _KTRACE_TEST_STREAM_H */
