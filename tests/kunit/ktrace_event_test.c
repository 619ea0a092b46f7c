// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for ktrace events: enabling events and contexts in a
 * channel, and what the record path writes.
 *
 * Every case that records reads the packets back through the ring
 * buffer's reader API and decodes them as a CTF reader decodes them from
 * the session's metadata: the packet header and context, each event's
 * compact or extended header with its timestamp rebuilt from the low 27
 * bits, the channel's contexts, then the event's fields by their
 * descriptions. The decoder asserts on anything a reader would reject, so
 * every recording case also checks the stream's framing.
 *
 * The decoder assumes a little-endian CPU, as the KUnit VM (x86_64) is:
 * there the compact header's 5-bit id is in the low bits of its first byte.
 */
#include <kunit/test.h>
#include <linux/bitmap.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/prio.h>
#include <linux/sizes.h>
#include <linux/tracepoint.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/umh.h>
#include <linux/unaligned.h>
#include <linux/utsname.h>
#include <asm/unistd.h>

#include "core/core_internal.h"
#include "probes/probes.h"
#include "ringbuffer/ringbuffer.h"
#include "ktrace_test_trace.h"

#define T_PAYLOAD		0xabcdefULL
/* ktrace_test events fired by the test thread in the recording cases. */
#define T_NR_FIRED		100
/* Enable/disable cycles of the stress case. */
#define T_STRESS_CYCLES		1000
/* Sessions destroyed under the firing threads. */
#define T_DESTROY_ROUNDS	8
/* ktrace_test events a firing thread records between two naps. */
#define T_FIRE_BATCH		32

/* ---- Control: enabling events and contexts ------------------------------ */

/* Expected result: the number of available sched_ events. */
#define T_ALL_SCHED	INT_MAX

struct t_pattern {
	const char *desc;
	const char *pattern;
	int ret;
};

static const struct t_pattern t_patterns[] = {
	{ "exact name", "ktrace_test", 1 },
	{ "glob over every sched_ event", "sched_*", T_ALL_SCHED },
	{ "glob with ?", "sched_switc?", 1 },
	{ "unknown name", "no_such_event", -ENOENT },
	{ "glob matching nothing", "no_such_*", -ENOENT },
	{ "64 characters, unknown",
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	  -ENOENT },
	{ "empty", "", -EINVAL },
	{ "65 characters",
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	  -EINVAL },
	{ "space", "sched switch", -EINVAL },
	{ "slash", "a/b", -EINVAL },
	{ "dot", "sched.switch", -EINVAL },
	{ "trailing newline", "ktrace_test\n", -EINVAL },
};

KUNIT_ARRAY_PARAM_DESC(t_patterns, t_patterns, desc);

static int t_available_sched_events(void)
{
	const struct ktrace_event_desc *desc;
	unsigned int i;
	int n = 0;

	for (i = 0; i < ktrace_probes_count(); i++) {
		desc = ktrace_probes_desc(i);
		n += !strncmp(desc->name, "sched_", 6) &&
		     ktrace_probes_available(desc);
	}
	return n;
}

static void event_enable_matches_pattern(struct kunit *test)
{
	const struct t_pattern *p = test->param_value;
	int want = p->ret == T_ALL_SCHED ? t_available_sched_events() : p->ret;
	struct t_fix *f = t_setup(test, PAGE_SIZE);
	struct t_listing *l;
	unsigned int i;

	KUNIT_ASSERT_GT(test, t_available_sched_events(), 1);
	KUNIT_EXPECT_EQ(test, ktrace_event_enable(f->c, p->pattern), want);
	l = t_list(test, f->c);
	KUNIT_EXPECT_EQ(test, l->n, max(want, 0));
	KUNIT_EXPECT_EQ(test, t_nr_enabled(l), max(want, 0));
	for (i = 0; i < l->n; i++)
		KUNIT_EXPECT_TRUE(test, ktrace_probes_available(l->desc[i]));
	if (p->ret == T_ALL_SCHED)
		for (i = 0; i < l->n; i++)
			KUNIT_EXPECT_EQ(test,
					strncmp(l->desc[i]->name, "sched_", 6),
					0);

	/* Disabling takes the same patterns and gives the same count. */
	KUNIT_EXPECT_EQ(test, ktrace_event_disable(f->c, p->pattern), want);
	if (want <= 0)
		return;
	l = t_list(test, f->c);
	KUNIT_EXPECT_EQ(test, l->n, want);
	KUNIT_EXPECT_EQ(test, t_nr_enabled(l), 0);
	/* Enabling again counts the events, with no new ones. */
	KUNIT_EXPECT_EQ(test, ktrace_event_enable(f->c, p->pattern), want);
	KUNIT_EXPECT_EQ(test, ktrace_event_enable(f->c, p->pattern), want);
	KUNIT_EXPECT_EQ(test, t_list(test, f->c)->n, want);
}

static void event_disable_needs_an_enabled_event(struct kunit *test)
{
	struct t_fix *f = t_setup(test, PAGE_SIZE);

	KUNIT_EXPECT_EQ(test, ktrace_event_disable(f->c, "ktrace_test"),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, ktrace_event_disable(f->c, "*"), -ENOENT);
	t_enable(test, f->c, "ktrace_test");
	t_enable(test, f->c, "sched_switch");
	KUNIT_EXPECT_EQ(test, ktrace_event_disable(f->c, "sched_wakeup"),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, ktrace_event_disable(f->c, "ktrace_test"), 1);
	KUNIT_EXPECT_EQ(test, ktrace_event_disable(f->c, "ktrace_test"),
			-ENOENT);
	/* A glob disables only the enabled events it matches. */
	KUNIT_EXPECT_EQ(test, ktrace_event_disable(f->c, "*"), 1);
	KUNIT_EXPECT_EQ(test, ktrace_event_disable(f->c, "*"), -ENOENT);
	KUNIT_EXPECT_EQ(test, t_nr_enabled(t_list(test, f->c)), 0);
}

static void event_ids_follow_enabling_order(struct kunit *test)
{
	static const char * const order[] = {
		"sched_switch", "ktrace_test", "sched_process_exec",
		"sched_wakeup",
	};
	struct t_fix *f = t_setup(test, PAGE_SIZE);
	struct t_listing *l;
	unsigned int i;

	for (i = 0; i < 3; i++)
		t_enable(test, f->c, order[i]);
	KUNIT_EXPECT_EQ(test, ktrace_event_disable(f->c, "sched_switch"), 1);
	KUNIT_EXPECT_EQ(test, ktrace_event_disable(f->c, "ktrace_test"), 1);
	t_enable(test, f->c, order[3]);
	/* Enabled again: the same id, no new entry. */
	t_enable(test, f->c, "sched_switch");

	l = t_list(test, f->c);
	KUNIT_ASSERT_EQ(test, l->n, ARRAY_SIZE(order));
	for (i = 0; i < l->n; i++) {
		KUNIT_EXPECT_EQ(test, l->id[i], i);
		KUNIT_EXPECT_PTR_EQ(test, l->desc[i], t_desc(test, order[i]));
		KUNIT_EXPECT_EQ_MSG(test, l->enabled[i], i != 1, "%s",
				    order[i]);
	}

	/* A second channel numbers its own events from 0. */
	f->c = t_add_channel(test, f->s, "other", PAGE_SIZE);
	t_enable(test, f->c, "ktrace_test");
	l = t_list(test, f->c);
	KUNIT_ASSERT_EQ(test, l->n, 1);
	KUNIT_EXPECT_EQ(test, l->id[0], 0);
}

static void event_destroyed_session_rejects_changes(struct kunit *test)
{
	struct t_fix *f = t_setup(test, PAGE_SIZE);

	t_enable(test, f->c, "ktrace_test");
	KUNIT_ASSERT_EQ(test, ktrace_session_destroy(f->s), 0);
	KUNIT_EXPECT_EQ(test, ktrace_event_enable(f->c, "sched_switch"),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, ktrace_event_enable(f->c, "ktrace_test"),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, ktrace_event_disable(f->c, "ktrace_test"),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, ktrace_context_add(f->c, KTRACE_CONTEXT_PID),
			-ENOENT);
	/* Pattern checks come first. */
	KUNIT_EXPECT_EQ(test, ktrace_event_enable(f->c, "a/b"), -EINVAL);
	/* The events stay listed, disabled, for the metadata. */
	KUNIT_EXPECT_EQ(test, t_list(test, f->c)->n, 1);
	KUNIT_EXPECT_EQ(test, t_nr_enabled(t_list(test, f->c)), 0);
}

enum t_ctx_setup {
	T_CTX_FRESH,
	T_CTX_HAS_PID,
	T_CTX_STARTED,
	T_CTX_STOPPED,
	T_CTX_DESTROYED,
};

struct t_ctx_add {
	const char *desc;
	enum t_ctx_setup setup;
	int type;
	int ret;
};

static const struct t_ctx_add t_ctx_adds[] = {
	{ "pid on a fresh channel", T_CTX_FRESH, KTRACE_CONTEXT_PID, 0 },
	{ "hostname on a fresh channel", T_CTX_FRESH, KTRACE_CONTEXT_HOSTNAME,
	  0 },
	{ "type past the last", T_CTX_FRESH, KTRACE_CONTEXT_COUNT, -EINVAL },
	{ "negative type", T_CTX_FRESH, -1, -EINVAL },
	{ "tid after pid", T_CTX_HAS_PID, KTRACE_CONTEXT_TID, 0 },
	{ "duplicate", T_CTX_HAS_PID, KTRACE_CONTEXT_PID, -EEXIST },
	{ "bad type before duplicate check", T_CTX_HAS_PID, 99, -EINVAL },
	{ "while active", T_CTX_STARTED, KTRACE_CONTEXT_PID, -EBUSY },
	{ "after stop", T_CTX_STOPPED, KTRACE_CONTEXT_PID, -EBUSY },
	{ "after destroy", T_CTX_DESTROYED, KTRACE_CONTEXT_PID, -ENOENT },
};

KUNIT_ARRAY_PARAM_DESC(t_ctx_adds, t_ctx_adds, desc);

static void event_context_add_checks_type_and_state(struct kunit *test)
{
	const struct t_ctx_add *p = test->param_value;
	struct t_fix *f = t_setup(test, PAGE_SIZE);
	unsigned int before;

	if (p->setup == T_CTX_HAS_PID)
		KUNIT_ASSERT_EQ(test,
				ktrace_context_add(f->c, KTRACE_CONTEXT_PID), 0);
	if (p->setup == T_CTX_STARTED || p->setup == T_CTX_STOPPED)
		t_start(test, f);
	if (p->setup == T_CTX_STOPPED)
		t_stop(test, f);
	if (p->setup == T_CTX_DESTROYED)
		KUNIT_ASSERT_EQ(test, ktrace_session_destroy(f->s), 0);

	before = f->c->nr_contexts;
	KUNIT_EXPECT_EQ(test,
			ktrace_context_add(f->c,
					   (enum ktrace_context_type)p->type),
			p->ret);
	/* Only a success changes the stream layout. */
	KUNIT_EXPECT_EQ(test, f->c->nr_contexts, before + !p->ret);
}

/* ---- Recording ---------------------------------------------------------- */

/* Fires T_NR_FIRED ktrace_test events with @fire and reads them back. */
static void t_test_events_recorded(struct kunit *test,
				   int (*fire)(u64 seq, u32 count, u64 payload))
{
	struct t_fix *f = t_setup(test, PAGE_SIZE);
	struct ktrace_rb_counters cnt;
	unsigned long *seen;
	u64 written = 0, seq, *next;
	struct t_trace *tr;
	struct t_event *ev;
	unsigned int i, cpu;

	seen = kunit_kcalloc(test, BITS_TO_LONGS(T_NR_FIRED), sizeof(long),
			     GFP_KERNEL);
	next = kunit_kcalloc(test, nr_cpu_ids, sizeof(*next), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, seen);
	KUNIT_ASSERT_NOT_NULL(test, next);

	t_enable(test, f->c, "ktrace_test");
	t_start(test, f);
	KUNIT_ASSERT_EQ(test, fire(0, T_NR_FIRED, T_PAYLOAD), 0);
	t_stop(test, f);
	tr = t_read(test, f->c);

	KUNIT_EXPECT_EQ(test, tr->nr, T_NR_FIRED);
	for (i = 0; i < tr->nr; i++) {
		ev = &tr->ev[i];
		KUNIT_ASSERT_TRUE(test, t_is(ev, "ktrace_test"));
		seq = t_int(test, ev, "seq");
		KUNIT_ASSERT_LT(test, seq, T_NR_FIRED);
		KUNIT_EXPECT_FALSE_MSG(test, __test_and_set_bit(seq, seen),
				       "seq %llu twice", seq);
		/* A CPU's events are in the order they were fired. */
		KUNIT_EXPECT_GE_MSG(test, seq, next[ev->cpu], "cpu %u", ev->cpu);
		next[ev->cpu] = seq + 1;
		KUNIT_EXPECT_EQ(test, t_int(test, ev, "payload"), T_PAYLOAD);
		KUNIT_EXPECT_EQ(test, ev->payload_len, 2 * sizeof(u64));
	}
	KUNIT_EXPECT_TRUE(test, bitmap_full(seen, T_NR_FIRED));
	KUNIT_EXPECT_EQ(test, tr->lost_packets, 0);
	KUNIT_EXPECT_EQ(test, tr->events_discarded, 0);
	for_each_possible_cpu(cpu) {
		if (!ktrace_rb_buf(ktrace_channel_rb(f->c), cpu))
			continue;	/* never online: no buffer */
		ktrace_rb_get_counters(ktrace_rb_buf(ktrace_channel_rb(f->c),
						     cpu), &cnt);
		written += cnt.written;
	}
	KUNIT_EXPECT_EQ(test, written, T_NR_FIRED);
}

static void event_test_events_are_recorded(struct kunit *test)
{
	t_test_events_recorded(test, ktrace_probes_fire_test);
}

/*
 * From 6.13 on, sys_enter and sys_exit call their probes preemptible,
 * under tasks-trace RCU only: the same events, with no "suspicious RCU
 * usage" (PROVE_RCU) in the kernel log.
 */
static void event_recorded_from_a_faultable_tracepoint(struct kunit *test)
{
	t_test_events_recorded(test, ktrace_probes_fire_test_faultable);
}

static void t_expect_seqs(struct kunit *test, const struct t_trace *tr,
			  const u64 *seqs, unsigned int n)
{
	unsigned long *seen;
	unsigned int i, j;
	u64 seq;

	seen = kunit_kcalloc(test, BITS_TO_LONGS(n), sizeof(long), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, seen);
	KUNIT_EXPECT_EQ(test, tr->nr, n);
	for (i = 0; i < tr->nr; i++) {
		seq = t_int(test, &tr->ev[i], "seq");
		for (j = 0; j < n; j++)
			if (seqs[j] == seq)
				break;
		KUNIT_EXPECT_LT_MSG(test, j, n, "seq %llu recorded", seq);
		if (j < n)
			KUNIT_EXPECT_FALSE(test, __test_and_set_bit(j, seen));
	}
}

static void event_nothing_recorded_unless_enabled_and_active(struct kunit *test)
{
	static const u64 recorded[] = { 100, 101, 300, 301, 500, 501 };
	struct t_fix *f = t_setup(test, PAGE_SIZE);
	struct ktrace_channel *quiet;
	struct t_trace *tr;

	quiet = t_add_channel(test, f->s, "quiet", PAGE_SIZE);
	t_enable(test, f->c, "ktrace_test");
	ktrace_probes_fire_test(0, 2, T_PAYLOAD);	/* never started */
	t_start(test, f);
	ktrace_probes_fire_test(100, 2, T_PAYLOAD);
	KUNIT_ASSERT_EQ(test, ktrace_event_disable(f->c, "ktrace_test"), 1);
	ktrace_probes_fire_test(200, 2, T_PAYLOAD);	/* disabled */
	t_enable(test, f->c, "ktrace_test");
	ktrace_probes_fire_test(300, 2, T_PAYLOAD);
	t_stop(test, f);
	ktrace_probes_fire_test(400, 2, T_PAYLOAD);	/* stopped */
	t_start(test, f);
	ktrace_probes_fire_test(500, 2, T_PAYLOAD);
	t_stop(test, f);

	tr = t_read(test, f->c);
	t_expect_seqs(test, tr, recorded, ARRAY_SIZE(recorded));
	/* A channel of the same session without the event: not a byte. */
	tr = t_read(test, quiet);
	KUNIT_EXPECT_EQ(test, tr->nr_packets, 0);
	KUNIT_EXPECT_EQ(test, tr->nr, 0);
}

static void event_contexts_are_recorded(struct kunit *test)
{
	/* Every type, in an order of their own. */
	static const enum ktrace_context_type types[] = {
		KTRACE_CONTEXT_HOSTNAME, KTRACE_CONTEXT_CPU_ID,
		KTRACE_CONTEXT_PROCNAME, KTRACE_CONTEXT_PRIO,
		KTRACE_CONTEXT_TID, KTRACE_CONTEXT_PID, KTRACE_CONTEXT_VTID,
		KTRACE_CONTEXT_VPID, KTRACE_CONTEXT_PPID,
	};
	struct t_fix *f = t_setup(test, PAGE_SIZE);
	const struct t_event *ev;
	struct t_trace *tr;
	unsigned int i;
	pid_t ppid;

	BUILD_BUG_ON(ARRAY_SIZE(types) != KTRACE_CONTEXT_COUNT);
	for (i = 0; i < ARRAY_SIZE(types); i++)
		KUNIT_ASSERT_EQ(test, ktrace_context_add(f->c, types[i]), 0);
	t_enable(test, f->c, "ktrace_test");
	t_start(test, f);
	ktrace_probes_fire_test(0, 3, T_PAYLOAD);
	t_stop(test, f);
	tr = t_read(test, f->c);

	rcu_read_lock();
	ppid = task_tgid_nr(rcu_dereference(current->real_parent));
	rcu_read_unlock();
	KUNIT_ASSERT_EQ(test, tr->lay.nr_contexts, ARRAY_SIZE(types));
	KUNIT_ASSERT_EQ(test, tr->nr, 3);
	for (i = 0; i < tr->nr; i++) {
		ev = &tr->ev[i];
		KUNIT_EXPECT_EQ(test, t_context_int(test, tr, ev,
						    KTRACE_CONTEXT_PID),
				current->tgid);
		KUNIT_EXPECT_EQ(test, t_context_int(test, tr, ev,
						    KTRACE_CONTEXT_TID),
				current->pid);
		KUNIT_EXPECT_EQ(test, t_context_int(test, tr, ev,
						    KTRACE_CONTEXT_PPID), ppid);
		KUNIT_EXPECT_EQ(test, t_context_int(test, tr, ev,
						    KTRACE_CONTEXT_VPID),
				task_tgid_vnr(current));
		KUNIT_EXPECT_EQ(test, t_context_int(test, tr, ev,
						    KTRACE_CONTEXT_VTID),
				task_pid_vnr(current));
		KUNIT_EXPECT_EQ(test, t_context_int(test, tr, ev,
						    KTRACE_CONTEXT_PRIO),
				current->prio - MAX_RT_PRIO);
		KUNIT_EXPECT_EQ(test, t_context_int(test, tr, ev,
						    KTRACE_CONTEXT_CPU_ID),
				ev->cpu);
		KUNIT_EXPECT_STREQ(test,
				   t_context_text(test, tr, ev,
						  KTRACE_CONTEXT_PROCNAME),
				   current->comm);
		KUNIT_EXPECT_STREQ(test,
				   t_context_text(test, tr, ev,
						  KTRACE_CONTEXT_HOSTNAME),
				   utsname()->nodename);
		/* The payload follows the contexts, intact. */
		KUNIT_EXPECT_EQ(test, t_int(test, ev, "seq"), i);
		KUNIT_EXPECT_EQ(test, t_int(test, ev, "payload"), T_PAYLOAD);
	}
}

/* ---- Field encodings, through real events ------------------------------ */

static void event_integer_fields_are_cpu_order_u64(struct kunit *test)
{
	const u64 seq = 0x8877665544332211ULL, payload = 0xfedcba9876543210ULL;
	const struct ktrace_event_desc *desc = t_desc(test, "ktrace_test");
	const struct ktrace_field_desc *fs, *fp;
	struct t_fix *f = t_setup(test, PAGE_SIZE);
	const struct t_event *ev;
	struct t_trace *tr;

	t_enable(test, f->c, "ktrace_test");
	t_start(test, f);
	ktrace_probes_fire_test(seq, 1, payload);
	t_stop(test, f);
	tr = t_read(test, f->c);

	KUNIT_ASSERT_EQ(test, tr->nr, 1);
	ev = &tr->ev[0];
	KUNIT_EXPECT_PTR_EQ(test, ev->desc, desc);
	KUNIT_EXPECT_EQ(test, memcmp(t_field(test, ev, "seq", &fs), &seq,
				     sizeof(seq)), 0);
	KUNIT_EXPECT_EQ(test, memcmp(t_field(test, ev, "payload", &fp),
				     &payload, sizeof(payload)), 0);
	KUNIT_EXPECT_EQ(test, fs->kind, KTRACE_FIELD_INTEGER);
	KUNIT_EXPECT_EQ(test, fs->size, sizeof(u64));
	KUNIT_EXPECT_FALSE(test, fs->is_signed);
	KUNIT_EXPECT_FALSE(test, fs->hex);
	KUNIT_EXPECT_EQ(test, fp->kind, KTRACE_FIELD_INTEGER);
	KUNIT_EXPECT_EQ(test, fp->size, sizeof(u64));
	KUNIT_EXPECT_FALSE(test, fp->is_signed);
	KUNIT_EXPECT_TRUE(test, fp->hex);
}

/* LTTng's prev_state of a task that slept in TASK_UNINTERRUPTIBLE. */
#define T_STATE_UNINTERRUPTIBLE	2

static void event_text_array_field_holds_comm(struct kunit *test)
{
	struct t_fix *f = t_setup(test, SZ_16K);
	unsigned int i, out = 0, in = 0, slept = 0;
	const struct ktrace_field_desc *fd;
	const struct t_event *ev;
	struct t_trace *tr;

	t_enable(test, f->c, "sched_switch");
	t_start(test, f);
	for (i = 0; i < 5; i++)
		usleep_range(2000, 3000);
	t_stop(test, f);
	tr = t_read(test, f->c);

	KUNIT_ASSERT_GT(test, tr->nr, 0);
	t_field(test, &tr->ev[0], "prev_comm", &fd);
	KUNIT_EXPECT_EQ(test, fd->length, TASK_COMM_LEN);
	for (i = 0; i < tr->nr; i++) {
		ev = &tr->ev[i];
		/* Every comm is NUL-terminated within its array. */
		t_text_field(test, ev, "prev_comm");
		t_text_field(test, ev, "next_comm");
		if ((pid_t)t_int(test, ev, "prev_tid") == current->pid) {
			KUNIT_EXPECT_STREQ(test,
					   t_text_field(test, ev, "prev_comm"),
					   current->comm);
			KUNIT_EXPECT_EQ(test, (int)t_int(test, ev, "prev_prio"),
					current->prio - MAX_RT_PRIO);
			slept += (long)t_int(test, ev, "prev_state") ==
				 T_STATE_UNINTERRUPTIBLE;
			out++;
		}
		if ((pid_t)t_int(test, ev, "next_tid") == current->pid) {
			KUNIT_EXPECT_STREQ(test,
					   t_text_field(test, ev, "next_comm"),
					   current->comm);
			in++;
		}
	}
	KUNIT_EXPECT_GE(test, out, 5);
	KUNIT_EXPECT_GE(test, in, 5);
	KUNIT_EXPECT_GE(test, slept, 5);
}

/*
 * LTTng records a preempted task's prev_state as TASK_REPORT_MAX (the
 * kernel prints it "R+"), not 0: a real-time thread woken on the test
 * thread's CPU while preemption is disabled takes the CPU from it at
 * preempt_enable(). Pinning the test thread lasts as long as the case:
 * KUnit runs each case in a thread of its own.
 */
static void event_preempted_prev_state_is_task_report_max(struct kunit *test)
{
	struct t_fix *f = t_setup(test, SZ_16K);
	unsigned int i, preempted = 0;
	struct task_struct *k;
	const struct t_event *ev;
	struct t_trace *tr;
	int cpu;

	cpu = raw_smp_processor_id();
	KUNIT_ASSERT_EQ(test, set_cpus_allowed_ptr(current, cpumask_of(cpu)), 0);
	k = kthread_create(t_idle_thread, NULL, "kt_preempter");
	KUNIT_ASSERT_FALSE(test, IS_ERR(k));
	kthread_bind(k, cpu);
	sched_set_fifo(k);
	get_task_struct(k);

	t_enable(test, f->c, "sched_switch");
	t_start(test, f);
	preempt_disable();
	wake_up_process(k);
	preempt_enable();
	t_stop(test, f);
	kthread_stop(k);
	tr = t_read(test, f->c);

	for (i = 0; i < tr->nr; i++) {
		ev = &tr->ev[i];
		if ((pid_t)t_int(test, ev, "prev_tid") != current->pid ||
		    (pid_t)t_int(test, ev, "next_tid") != k->pid)
			continue;
		KUNIT_EXPECT_EQ(test, (long)t_int(test, ev, "prev_state"),
				(long)TASK_REPORT_MAX);
		preempted++;
	}
	put_task_struct(k);
	KUNIT_EXPECT_EQ(test, preempted, 1);
}

static int t_run_true(void)
{
	char *argv[2], *envp[2];

	argv[0] = "/bin/true";
	argv[1] = NULL;
	envp[0] = "PATH=/bin";
	envp[1] = NULL;
	return call_usermodehelper(argv[0], argv, envp, UMH_WAIT_PROC);
}

static void event_string_field_is_nul_terminated(struct kunit *test)
{
	static const char path[] = "/bin/true";
	struct t_fix *f = t_setup(test, SZ_16K);
	const struct ktrace_field_desc *fd;
	const struct t_event *ev;
	struct t_trace *tr;
	unsigned int i, found = 0;

	t_enable(test, f->c, "sched_process_exec");
	t_start(test, f);
	KUNIT_ASSERT_EQ(test, t_run_true(), 0);
	t_stop(test, f);
	tr = t_read(test, f->c);

	for (i = 0; i < tr->nr; i++) {
		ev = &tr->ev[i];
		if (strcmp((const char *)t_field(test, ev, "filename", &fd),
			   path))
			continue;
		KUNIT_EXPECT_EQ(test, fd->kind, KTRACE_FIELD_STRING);
		/* The string, its NUL, then tid and old_tid. */
		KUNIT_EXPECT_EQ(test, ev->payload_len,
				sizeof(path) + 2 * sizeof(pid_t));
		KUNIT_EXPECT_EQ(test, t_int(test, ev, "tid"),
				t_int(test, ev, "old_tid"));
		found++;
	}
	KUNIT_EXPECT_EQ(test, found, 1);
}

/* The first field of @desc of @kind, or NULL. */
static const struct ktrace_field_desc *
t_field_of_kind(const struct ktrace_event_desc *desc,
		enum ktrace_field_kind kind)
{
	unsigned int i;

	for (i = 0; i < desc->nr_fields; i++)
		if (desc->fields[i].kind == kind)
			return &desc->fields[i];
	return NULL;
}

/* Skip the case when @name is not in this module (yet) or this kernel. */
static const struct ktrace_event_desc *t_desc_or_skip(struct kunit *test,
						      const char *name)
{
	const struct ktrace_event_desc *desc = ktrace_probes_find(name);

	if (!desc)
		kunit_skip(test, "no event %s in module/probes/events", name);
	if (!ktrace_probes_available(desc))
		kunit_skip(test, "%s unavailable on this kernel", name);
	return desc;
}

static void event_array_field_holds_syscall_args(struct kunit *test)
{
	const struct ktrace_event_desc *desc;
	const struct ktrace_field_desc *args;
	struct t_fix *f;
	const struct t_event *ev;
	struct t_trace *tr;
	unsigned int i, found = 0;
	const u8 *p;

	desc = t_desc_or_skip(test, "syscall_entry");
	args = t_field_of_kind(desc, KTRACE_FIELD_ARRAY);
	KUNIT_ASSERT_NOT_NULL(test, args);
	KUNIT_EXPECT_EQ(test, args->length, 6);
	KUNIT_EXPECT_EQ(test, args->size, sizeof(unsigned long));
	KUNIT_EXPECT_FALSE(test, args->is_signed);

	f = t_setup(test, SZ_64K);
	KUNIT_ASSERT_EQ(test, ktrace_context_add(f->c, KTRACE_CONTEXT_PROCNAME),
			0);
	t_enable(test, f->c, "syscall_entry");
	t_start(test, f);
	KUNIT_ASSERT_EQ(test, t_run_true(), 0);
	t_stop(test, f);
	tr = t_read(test, f->c);

	for (i = 0; i < tr->nr; i++) {
		ev = &tr->ev[i];
		if (t_int(test, ev, "id") != __NR_exit_group ||
		    strcmp(t_context_text(test, tr, ev,
					  KTRACE_CONTEXT_PROCNAME), "true"))
			continue;
		/* exit_group(0): the first argument is the exit status. */
		p = t_field(test, ev, args->name, NULL);
		KUNIT_EXPECT_EQ(test, get_unaligned((const unsigned long *)p),
				0);
		found++;
	}
	KUNIT_EXPECT_EQ(test, found, 1);
}

static void event_enum_field_holds_a_named_value(struct kunit *test)
{
	const struct ktrace_event_desc *desc;
	const struct ktrace_field_desc *mode;
	const struct ktrace_enum_desc *e;
	struct t_fix *f;
	struct t_trace *tr;
	unsigned int i, j, n;
	s64 v;

	desc = t_desc_or_skip(test, "timer_hrtimer_start");
	mode = t_field_of_kind(desc, KTRACE_FIELD_ENUM);
	KUNIT_ASSERT_NOT_NULL(test, mode);
	e = mode->enum_desc;
	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_ASSERT_GT(test, e->nr_entries, 0);

	f = t_setup(test, SZ_16K);
	t_enable(test, f->c, "timer_hrtimer_start");
	t_start(test, f);
	for (i = 0; i < 5; i++)
		usleep_range(100, 200);
	t_stop(test, f);
	tr = t_read(test, f->c);

	n = t_count(tr, "timer_hrtimer_start");
	KUNIT_EXPECT_GE(test, n, 5);
	for (i = 0; i < tr->nr; i++) {
		v = (s64)t_int(test, &tr->ev[i], mode->name);
		for (j = 0; j < e->nr_entries; j++)
			if (e->entries[j].value == v)
				break;
		KUNIT_EXPECT_LT_MSG(test, j, e->nr_entries,
				    "%s %lld has no label", mode->name, v);
	}
}

/* ---- Compact and extended event headers --------------------------------- */

/* One ktrace_test event with the clock as payload; the clock after. */
struct t_stamp {
	u64 before;
	u64 after;
};

static struct t_stamp t_fire_clocked(u64 seq)
{
	struct t_stamp s = { .before = ktrace_rb_clock() };

	ktrace_probes_fire_test(seq, 1, s.before);
	s.after = ktrace_rb_clock();
	return s;
}

/* A decoded ktrace_test event: its timestamp is within its stamp. */
static void t_expect_stamped(struct kunit *test, const struct t_event *ev,
			     const struct t_stamp *s)
{
	KUNIT_EXPECT_EQ(test, t_int(test, ev, "payload"), s->before);
	KUNIT_EXPECT_GE(test, ev->ts, s->before);
	KUNIT_EXPECT_LE(test, ev->ts, s->after);
}

/* Sleep until the clock's low 27 bits are @ns from wrapping around. */
static void t_sleep_until_wrap_minus(u64 ns)
{
	u64 left = T_TS_WRAP - (ktrace_rb_clock() & T_TS_MASK);

	if (left < ns)
		left += T_TS_WRAP;
	msleep(div_u64(left - ns, NSEC_PER_MSEC));
}

static void event_back_to_back_events_have_compact_headers(struct kunit *test)
{
	struct t_fix *f = t_setup(test, SZ_64K);
	struct t_stamp s[10];
	struct t_trace *tr;
	unsigned int i;

	t_enable(test, f->c, "ktrace_test");
	t_start(test, f);
	migrate_disable();
	for (i = 0; i < ARRAY_SIZE(s); i++)
		s[i] = t_fire_clocked(i);
	migrate_enable();
	t_stop(test, f);
	tr = t_read(test, f->c);

	KUNIT_ASSERT_EQ(test, tr->nr, ARRAY_SIZE(s));
	/* Nothing stalled the loop for 2^27 ns: no event needs more. */
	KUNIT_ASSERT_LT(test, s[ARRAY_SIZE(s) - 1].after - s[0].before,
			T_TS_WRAP);
	for (i = 0; i < tr->nr; i++) {
		KUNIT_EXPECT_FALSE_MSG(test, tr->ev[i].extended, "event %u", i);
		KUNIT_EXPECT_EQ(test, tr->ev[i].packet_seq, 0);
		KUNIT_EXPECT_EQ(test, t_int(test, &tr->ev[i], "seq"), i);
		t_expect_stamped(test, &tr->ev[i], &s[i]);
	}
}

static void event_compact_timestamp_wraps_past_27_bits(struct kunit *test)
{
	const u64 margin = 30 * NSEC_PER_MSEC;
	struct t_fix *f = t_setup(test, SZ_64K);
	struct t_stamp a, b;
	struct t_trace *tr;

	t_enable(test, f->c, "ktrace_test");
	t_start(test, f);
	migrate_disable();
	/* a just before the low 27 bits wrap, b just after. */
	t_sleep_until_wrap_minus(margin);
	a = t_fire_clocked(0);
	msleep(div_u64(2 * margin, NSEC_PER_MSEC));
	b = t_fire_clocked(1);
	migrate_enable();
	t_stop(test, f);
	tr = t_read(test, f->c);

	KUNIT_ASSERT_TRUE_MSG(test, (a.after ^ b.before) & ~T_TS_MASK,
			      "no wrap between %llu and %llu", a.after,
			      b.before);
	KUNIT_ASSERT_LT_MSG(test, b.after - a.before, T_TS_WRAP,
			    "slept too long");
	KUNIT_ASSERT_EQ(test, tr->nr, 2);
	KUNIT_EXPECT_EQ(test, tr->ev[0].packet_seq, tr->ev[1].packet_seq);
	KUNIT_EXPECT_FALSE(test, tr->ev[0].extended);
	KUNIT_EXPECT_FALSE(test, tr->ev[1].extended);
	/* The low bits went down: only the reader's carry gets b right. */
	KUNIT_EXPECT_LT(test, tr->ev[1].ts & T_TS_MASK,
			tr->ev[0].ts & T_TS_MASK);
	t_expect_stamped(test, &tr->ev[0], &a);
	t_expect_stamped(test, &tr->ev[1], &b);
}

static void event_gap_over_27_bits_gets_extended_header(struct kunit *test)
{
	struct t_fix *f = t_setup(test, SZ_64K);
	struct t_stamp a, b, c;
	struct t_trace *tr;

	t_enable(test, f->c, "ktrace_test");
	t_start(test, f);
	migrate_disable();
	a = t_fire_clocked(0);
	msleep(200);
	b = t_fire_clocked(1);
	c = t_fire_clocked(2);
	migrate_enable();
	t_stop(test, f);
	tr = t_read(test, f->c);

	KUNIT_ASSERT_GE(test, b.before - a.after, T_TS_WRAP);
	KUNIT_ASSERT_EQ(test, tr->nr, 3);
	/* One packet: the gap alone makes b extended. */
	KUNIT_EXPECT_EQ(test, tr->ev[0].packet_seq, 0);
	KUNIT_EXPECT_EQ(test, tr->ev[2].packet_seq, 0);
	KUNIT_EXPECT_FALSE(test, tr->ev[0].extended);
	KUNIT_EXPECT_TRUE(test, tr->ev[1].extended);
	KUNIT_EXPECT_EQ(test, tr->ev[1].id, tr->ev[0].id);
	t_expect_stamped(test, &tr->ev[0], &a);
	t_expect_stamped(test, &tr->ev[1], &b);
	/* c is compact again, rebuilt from b's full timestamp. */
	if (c.after - b.before < T_TS_WRAP)
		KUNIT_EXPECT_FALSE(test, tr->ev[2].extended);
	t_expect_stamped(test, &tr->ev[2], &c);
}

static void event_packets_stay_readable_after_destroy(struct kunit *test)
{
	static const u64 recorded[] = { 0, 1, 2, 3 };
	struct t_fix *f = t_setup(test, PAGE_SIZE);
	struct ktrace_rb_buf *buf;
	unsigned long pos;
	struct t_trace *tr;
	unsigned int cpu;

	t_enable(test, f->c, "ktrace_test");
	t_start(test, f);
	ktrace_probes_fire_test(0, ARRAY_SIZE(recorded), T_PAYLOAD);
	/* Destroy while active; the fixture still holds a reference. */
	KUNIT_ASSERT_EQ(test, ktrace_session_destroy(f->s), 0);
	ktrace_probes_fire_test(100, 2, T_PAYLOAD);

	tr = t_read(test, f->c);
	t_expect_seqs(test, tr, recorded, ARRAY_SIZE(recorded));
	/* Everything was read: nothing more will ever come. */
	for_each_possible_cpu(cpu) {
		buf = ktrace_rb_buf(ktrace_channel_rb(f->c), cpu);
		if (!buf)
			continue;	/* never online: no buffer */
		KUNIT_EXPECT_EQ_MSG(test, ktrace_rb_get_next_subbuf(buf, &pos),
				    -ENODATA, "cpu %u", cpu);
	}
}

/* ---- Stress ------------------------------------------------------------- */

/*
 * One kthread per online CPU, bound to it, records ktrace_test events
 * {seq, payload = its CPU} in batches, napping in between so that the
 * scheduler's events happen on every CPU too.
 */
struct t_firer {
	struct task_struct *task;
	unsigned int cpu;
	u64 seq;
};

struct t_firers {
	struct t_firer *f;
};

static int t_firer_fn(void *arg)
{
	struct t_firer *f = arg;

	while (!kthread_should_stop()) {
		ktrace_probes_fire_test(f->seq, T_FIRE_BATCH, f->cpu);
		f->seq += T_FIRE_BATCH;
		usleep_range(20, 100);
	}
	return 0;
}

static void t_firers_stop(void *arg)
{
	struct t_firers *fs = arg;
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		if (fs->f[cpu].task) {
			kthread_stop(fs->f[cpu].task);
			fs->f[cpu].task = NULL;
		}
	}
}

static struct t_firers *t_firers_start(struct kunit *test)
{
	struct task_struct *task;
	struct t_firers *fs;
	unsigned int cpu;

	fs = kunit_kzalloc(test, sizeof(*fs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fs);
	fs->f = kunit_kcalloc(test, nr_cpu_ids, sizeof(*fs->f), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fs->f);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, t_firers_stop,
							fs), 0);
	for_each_online_cpu(cpu) {
		fs->f[cpu].cpu = cpu;
		task = kthread_create_on_cpu(t_firer_fn, &fs->f[cpu], cpu,
					     "kt_fire/%u");
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, task);
		fs->f[cpu].task = task;
		wake_up_process(task);
	}
	return fs;
}

/*
 * Two bystander probes on sched_switch. With them registered, ktrace's
 * own probe joins and leaves a list of three or more: the tracepoint then
 * swaps its probe array without the RCU grace period that the 0-1-2
 * transitions of its static call wait for, so the stress case can really
 * register and unregister ktrace's probe in each of its 1000 cycles.
 */
static void t_bystander_probe(void *data, bool preempt,
			      struct task_struct *prev,
			      struct task_struct *next, unsigned int state)
{
}

static int t_bystander_data[2];

static void t_find_sched_switch(struct tracepoint *tp, void *priv)
{
	struct tracepoint **found = priv;

	if (!strcmp(tp->name, "sched_switch"))
		*found = tp;
}

static void t_bystanders_remove(void *arg)
{
	struct tracepoint *tp = arg;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(t_bystander_data); i++)
		tracepoint_probe_unregister(tp, t_bystander_probe,
					    &t_bystander_data[i]);
	tracepoint_synchronize_unregister();
}

static void t_bystanders_add(struct kunit *test)
{
	struct tracepoint *tp = NULL;
	unsigned int i;

	for_each_kernel_tracepoint(t_find_sched_switch, &tp);
	KUNIT_ASSERT_NOT_NULL(test, tp);
	for (i = 0; i < ARRAY_SIZE(t_bystander_data); i++)
		KUNIT_ASSERT_EQ(test,
				tracepoint_probe_register(tp, t_bystander_probe,
							  &t_bystander_data[i]),
				0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							t_bystanders_remove,
							tp), 0);
}

static void event_stress_enable_disable_while_recording(struct kunit *test)
{
	struct t_fix *f = t_setup(test, SZ_16K);
	unsigned int i, tests, switches;
	const struct ktrace_event_desc *sw = ktrace_probes_find("sched_switch");
	struct t_firers *fs;
	const struct t_event *ev;
	struct t_trace *tr;
	u64 *next, seq, t0, hits;

	next = kunit_kcalloc(test, nr_cpu_ids, sizeof(*next), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, next);
	KUNIT_ASSERT_NOT_NULL(test, sw);
	t_bystanders_add(test);
	/* Wakeups from interrupts nest inside the other writers. */
	t_enable(test, f->c, "sched_waking");
	t_start(test, f);
	fs = t_firers_start(test);

	t0 = ktime_get_ns();
	for (i = 0; i < T_STRESS_CYCLES; i++) {
		t_enable(test, f->c, "ktrace_test");
		t_enable(test, f->c, "sched_switch");
		if (!(i % 16))
			usleep_range(100, 200);
		KUNIT_ASSERT_EQ(test, ktrace_event_disable(f->c, "ktrace_test"),
				1);
		KUNIT_ASSERT_EQ(test,
				ktrace_event_disable(f->c, "sched_switch"), 1);
	}
	/* The probe is really gone between cycles: it no longer runs. */
	hits = ktrace_probes_hits(sw);
	msleep(20);
	KUNIT_EXPECT_EQ(test, ktrace_probes_hits(sw), hits);
	t_enable(test, f->c, "ktrace_test");
	t_enable(test, f->c, "sched_switch");
	msleep(20);
	t_firers_stop(fs);
	t_stop(test, f);
	tr = t_read(test, f->c);

	tests = t_count(tr, "ktrace_test");
	switches = t_count(tr, "sched_switch");
	kunit_info(test, "%u cycles in %llu ms; read %u packets (%llu lost), %u events: %u ktrace_test, %u sched_switch, %u sched_waking\n",
		   T_STRESS_CYCLES, div_u64(ktime_get_ns() - t0, NSEC_PER_MSEC),
		   tr->nr_packets, tr->lost_packets, tr->nr, tests, switches,
		   t_count(tr, "sched_waking"));
	KUNIT_EXPECT_GT(test, tests, 0);
	KUNIT_EXPECT_GT(test, switches, 0);
	for (i = 0; i < tr->nr; i++) {
		ev = &tr->ev[i];
		if (!t_is(ev, "ktrace_test"))
			continue;
		/* Each CPU's own thread, in its order. */
		KUNIT_ASSERT_EQ(test, t_int(test, ev, "payload"), ev->cpu);
		seq = t_int(test, ev, "seq");
		KUNIT_ASSERT_GE_MSG(test, seq, next[ev->cpu], "cpu %u",
				    ev->cpu);
		next[ev->cpu] = seq + 1;
	}
}

/* A session this case destroys itself, or its cleanup does. */
struct t_owned {
	struct ktrace_session *s;
};

static void t_owned_release(void *arg)
{
	struct t_owned *o = arg;

	if (o->s)
		t_session_release(o->s);
}

static void event_stress_destroy_while_recording(struct kunit *test)
{
	const struct ktrace_event_desc *desc = t_desc(test, "ktrace_test");
	int live = ktrace_core_live_objects();
	struct ktrace_channel *c;
	struct t_owned *o;
	unsigned int i;
	u64 hits;

	o = kunit_kzalloc(test, sizeof(*o), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, o);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, t_owned_release,
							o), 0);
	t_firers_start(test);

	for (i = 0; i < T_DESTROY_ROUNDS; i++) {
		o->s = ktrace_session_create("kt_event_gone",
					     KTRACE_SESSION_SNAPSHOT);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, o->s);
		c = t_add_channel(test, o->s, "chan", PAGE_SIZE);
		KUNIT_ASSERT_EQ(test, ktrace_context_add(c, KTRACE_CONTEXT_PID),
				0);
		t_enable(test, c, "ktrace_test");
		t_enable(test, c, "sched_switch");
		t_enable(test, c, "sched_waking");
		KUNIT_ASSERT_EQ(test, ktrace_session_start(o->s), 0);
		msleep(5 + 5 * i);

		/* Destroy and free under the firing threads. */
		KUNIT_ASSERT_EQ(test, ktrace_session_destroy(o->s), 0);
		ktrace_session_put(o->s);
		o->s = NULL;
		KUNIT_EXPECT_EQ(test, ktrace_core_live_objects(), live);

		/* The threads go on calling the probe: nothing is left. */
		hits = ktrace_probes_hits(desc);
		msleep(20);
		KUNIT_EXPECT_GT(test, ktrace_probes_hits(desc), hits);
	}
	/* The firers' cleanup action stops them. */
}

static struct kunit_case event_test_cases[] = {
	KUNIT_CASE_PARAM(event_enable_matches_pattern, t_patterns_gen_params),
	KUNIT_CASE(event_disable_needs_an_enabled_event),
	KUNIT_CASE(event_ids_follow_enabling_order),
	KUNIT_CASE(event_destroyed_session_rejects_changes),
	KUNIT_CASE_PARAM(event_context_add_checks_type_and_state,
			 t_ctx_adds_gen_params),
	KUNIT_CASE(event_test_events_are_recorded),
	KUNIT_CASE(event_recorded_from_a_faultable_tracepoint),
	KUNIT_CASE(event_nothing_recorded_unless_enabled_and_active),
	KUNIT_CASE(event_contexts_are_recorded),
	KUNIT_CASE(event_integer_fields_are_cpu_order_u64),
	KUNIT_CASE(event_text_array_field_holds_comm),
	KUNIT_CASE(event_preempted_prev_state_is_task_report_max),
	KUNIT_CASE(event_string_field_is_nul_terminated),
	KUNIT_CASE(event_array_field_holds_syscall_args),
	KUNIT_CASE(event_enum_field_holds_a_named_value),
	KUNIT_CASE(event_back_to_back_events_have_compact_headers),
	KUNIT_CASE(event_compact_timestamp_wraps_past_27_bits),
	KUNIT_CASE(event_gap_over_27_bits_gets_extended_header),
	KUNIT_CASE(event_packets_stay_readable_after_destroy),
	KUNIT_CASE_SLOW(event_stress_enable_disable_while_recording),
	KUNIT_CASE_SLOW(event_stress_destroy_while_recording),
	{}
};

static struct kunit_suite event_test_suite = {
	.name = "ktrace_event",
	.test_cases = event_test_cases,
};

kunit_test_suite(event_test_suite);

MODULE_DESCRIPTION("KUnit tests for ktrace events, contexts and their records");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
