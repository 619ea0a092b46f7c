// SPDX-License-Identifier: GPL-2.0
/*
 * Ring buffer benchmark: ktrace's ring buffer against the kernel's own
 * trace_buffer (kernel/trace/ring_buffer.c), in the same boot, with the
 * same loop: reserve a fixed-size event on CPU 0, fill it, commit it.
 *
 * Each peer runs with no reader, then with a reader thread on CPU 1 that
 * consumes what the writer produces. Results are printed as
 *   ktrace_rb_bench: <peer> reader=<off|on> events=<n> ns/event=<x.yy>
 * Under qemu -icount shift=0 one guest nanosecond is one instruction, so
 * the same numbers are then instructions per event.
 *
 * Loading the module runs the benchmark; unload it afterwards. (It does not
 * refuse to load instead: busybox insmod retries a failed load, which would
 * run everything twice.)
 */
#include <linux/completion.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/ring_buffer.h>

#include "ringbuffer/ringbuffer.h"

static unsigned int events = 200000;
module_param(events, uint, 0444);
MODULE_PARM_DESC(events, "events written per run");

static unsigned int runs = 3;
module_param(runs, uint, 0444);
MODULE_PARM_DESC(runs, "runs per configuration; the fastest is reported");

#define BENCH_EVENT_SIZE	32
#define BENCH_SUBBUF_SIZE	(64 * 1024)
#define BENCH_NUM_SUBBUF	8
#define BENCH_WRITER_CPU	0
#define BENCH_READER_CPU	1

struct bench_peer {
	const char *name;
	int (*setup)(void);
	void (*teardown)(void);
	/* Write one event; returns false when it was dropped. */
	bool (*write)(u64 seq);
	/* One pass of the reader over what is ready; 0 when nothing was. */
	unsigned long (*read)(void);
};

/* ktrace: an overwrite-mode channel; the packet header is one u64. */

static struct ktrace_rb_chan *kt_chan;

static void kt_subbuf_begin(void *priv, unsigned int cpu, void *subbuf, u64 ts)
{
	*(u64 *)subbuf = ts;
}

static void kt_subbuf_end(void *priv, unsigned int cpu, void *subbuf,
			  const struct ktrace_rb_packet_info *info)
{
}

static const struct ktrace_rb_ops kt_ops = {
	.subbuf_begin = kt_subbuf_begin,
	.subbuf_end = kt_subbuf_end,
};

static int kt_setup(void)
{
	const struct ktrace_rb_config cfg = {
		.mode = KTRACE_RB_OVERWRITE,
		.subbuf_size = BENCH_SUBBUF_SIZE,
		.num_subbuf = BENCH_NUM_SUBBUF,
		.header_size = sizeof(u64),
		.event_align = sizeof(u64),
		.ops = &kt_ops,
	};

	kt_chan = ktrace_rb_create(&cfg);
	return PTR_ERR_OR_ZERO(kt_chan);
}

static void kt_teardown(void)
{
	ktrace_rb_destroy(kt_chan);
}

static bool kt_write(u64 seq)
{
	struct ktrace_rb_ctx ctx;
	u64 *p;

	if (ktrace_rb_reserve(kt_chan, &ctx, BENCH_EVENT_SIZE))
		return false;
	p = ctx.data;
	p[0] = ctx.ts;
	p[1] = seq;
	p[2] = ~seq;
	p[3] = seq ^ 0x5a5a5a5a5a5a5a5aULL;
	ktrace_rb_commit(kt_chan, &ctx);
	return true;
}

static unsigned long kt_read(void)
{
	struct ktrace_rb_buf *buf = ktrace_rb_buf(kt_chan, BENCH_WRITER_CPU);
	unsigned long n = 0, pos;

	while (!ktrace_rb_get_next_subbuf(buf, &pos)) {
		ktrace_rb_put_next_subbuf(buf);
		n++;
	}
	return n;
}

/* The kernel's trace_buffer, in overwrite mode like ktrace's. */

static struct trace_buffer *k_buf;

static int k_setup(void)
{
	k_buf = ring_buffer_alloc(BENCH_SUBBUF_SIZE * BENCH_NUM_SUBBUF,
				  RB_FL_OVERWRITE);
	return k_buf ? 0 : -ENOMEM;
}

static void k_teardown(void)
{
	ring_buffer_free(k_buf);
}

static bool k_write(u64 seq)
{
	struct ring_buffer_event *ev;
	u64 *p;

	ev = ring_buffer_lock_reserve(k_buf, BENCH_EVENT_SIZE);
	if (!ev)
		return false;
	p = ring_buffer_event_data(ev);
	p[0] = 0;	/* the kernel's event header holds the time */
	p[1] = seq;
	p[2] = ~seq;
	p[3] = seq ^ 0x5a5a5a5a5a5a5a5aULL;
#ifdef KTRACE_BENCH_COMMIT_WITHOUT_EVENT
	ring_buffer_unlock_commit(k_buf);
#else
	ring_buffer_unlock_commit(k_buf, ev);
#endif
	return true;
}

static unsigned long k_read(void)
{
	unsigned long n = 0;
	u64 ts;

	while (ring_buffer_consume(k_buf, BENCH_WRITER_CPU, &ts, NULL))
		n++;
	return n;
}

static const struct bench_peer peers[] = {
	{ "ktrace", kt_setup, kt_teardown, kt_write, kt_read },
	{ "kernel", k_setup, k_teardown, k_write, k_read },
};

static int bench_reader(void *data)
{
	const struct bench_peer *peer = data;

	while (!kthread_should_stop()) {
		if (!peer->read())
			cond_resched();
	}
	return 0;
}

struct bench_job {
	const struct bench_peer *peer;
	s64 ns;
	struct completion done;
};

/* The measured loop, on the writer CPU: identical for both peers. */
static int bench_writer(void *data)
{
	struct bench_job *job = data;
	const struct bench_peer *peer = job->peer;
	unsigned long dropped = 0;
	u64 seq, t0, t1;

	preempt_disable();
	t0 = ktime_get_ns();
	for (seq = 0; seq < events; seq++)
		dropped += !peer->write(seq);
	t1 = ktime_get_ns();
	preempt_enable();

	if (dropped)
		pr_warn("ktrace_rb_bench: %s dropped %lu events\n", peer->name,
			dropped);
	job->ns = t1 - t0;
	complete(&job->done);

	/* Exit only through kthread_stop(), before the module can go away. */
	set_current_state(TASK_INTERRUPTIBLE);
	while (!kthread_should_stop()) {
		schedule();
		set_current_state(TASK_INTERRUPTIBLE);
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

static s64 bench_run(const struct bench_peer *peer, bool reader_on)
{
	struct task_struct *reader = NULL, *writer;
	struct bench_job job = { .peer = peer };
	int ret;

	init_completion(&job.done);
	ret = peer->setup();
	if (ret)
		return ret;
	if (reader_on) {
		reader = kthread_create_on_cpu(bench_reader, (void *)peer,
					       BENCH_READER_CPU, "ktrace-rd/%u");
		if (IS_ERR(reader)) {
			ret = PTR_ERR(reader);
			goto out_teardown;
		}
		wake_up_process(reader);
	}
	writer = kthread_create_on_cpu(bench_writer, &job, BENCH_WRITER_CPU,
				       "ktrace-wr/%u");
	if (IS_ERR(writer)) {
		ret = PTR_ERR(writer);
		goto out_stop_reader;
	}
	wake_up_process(writer);
	wait_for_completion(&job.done);
	kthread_stop(writer);

out_stop_reader:
	if (reader)
		kthread_stop(reader);
out_teardown:
	peer->teardown();
	return ret ? ret : job.ns;
}

static int __init ktrace_rb_bench_init(void)
{
	unsigned int p, reader_on, r;

	if (num_online_cpus() < 2 || !cpu_online(BENCH_WRITER_CPU) ||
	    !cpu_online(BENCH_READER_CPU))
		return -ENODEV;

	for (reader_on = 0; reader_on < 2; reader_on++) {
		for (p = 0; p < ARRAY_SIZE(peers); p++) {
			s64 best = S64_MAX;

			for (r = 0; r < runs; r++) {
				s64 ns = bench_run(&peers[p], reader_on);

				if (ns < 0)
					return ns;
				best = min(best, ns);
			}
			pr_info("ktrace_rb_bench: %s reader=%s events=%u ns/event=%llu.%02llu\n",
				peers[p].name, reader_on ? "on" : "off", events,
				best / events, (best * 100 / events) % 100);
		}
	}
	return 0;
}
module_init(ktrace_rb_bench_init);

static void __exit ktrace_rb_bench_exit(void)
{
}
module_exit(ktrace_rb_bench_exit);

MODULE_DESCRIPTION("ktrace ring buffer benchmark against the kernel's");
MODULE_LICENSE("GPL");
