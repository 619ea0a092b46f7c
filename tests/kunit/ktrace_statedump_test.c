// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the statedump (module/probes/statedump.c): what it
 * records about a thread and an open file the test made, when it runs,
 * and that it survives threads exiting and files closing under it.
 *
 * The test's files are installed in the table of the case's kernel
 * thread, which every kernel thread shares, so each thread group
 * leader among the kernel threads lists them.
 */
#include <kunit/test.h>
#include <linux/anon_inodes.h>
#include <linux/delay.h>
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/fcntl.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/sizes.h>
#include <linux/user_namespace.h>
#include <linux/utsname.h>
#include <net/net_namespace.h>

#include "probes/statedump_internal.h"
#include "ktrace_test_trace.h"

/* Kernel threads forked and reaped, and files opened and closed, in the race. */
#define T_CHURN		1000
/*
 * Open files while the statedump's cost is measured: every kernel thread
 * shares them, so each thread group leader among them lists them all.
 */
#define T_COST_FDS	64

static const struct file_operations t_fops = {
	.owner = THIS_MODULE,
};

/* An fd of the current task, on an anonymous inode called @name. */
static int t_open_fd(const char *name)
{
	struct file *f;
	int fd;

	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0)
		return fd;
	f = anon_inode_getfile(name, &t_fops, NULL, O_RDONLY);
	if (IS_ERR(f)) {
		put_unused_fd(fd);
		return PTR_ERR(f);
	}
	fd_install(fd, f);
	return fd;
}

static void t_close_fd(void *fd)
{
	close_fd((unsigned long)fd);
}

static void t_stop_thread(void *k)
{
	kthread_stop_put(k);
}

/* A sleeping kernel thread named @name, stopped when the case ends. */
static struct task_struct *t_thread(struct kunit *test, const char *name)
{
	struct task_struct *k = kthread_create(t_idle_thread, NULL, "%s", name);
	unsigned int i;

	KUNIT_ASSERT_FALSE(test, IS_ERR(k));
	get_task_struct(k);
	wake_up_process(k);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, t_stop_thread, k),
			0);
	/* Let it reach its sleep (a few ticks at most). */
	for (i = 0; i < 100 && READ_ONCE(k->__state) != TASK_INTERRUPTIBLE; i++)
		schedule_timeout_uninterruptible(1);
	return k;
}

static struct t_fix *t_statedump_session(struct kunit *test)
{
	struct t_fix *f = t_setup(test, SZ_256K);

	KUNIT_ASSERT_GT(test, ktrace_event_enable(f->c, "lttng_statedump_*"), 6);
	return f;
}

static const struct t_event *t_find_thread(struct kunit *test,
					   const struct t_trace *tr, pid_t tid)
{
	unsigned int i;

	for (i = 0; i < tr->nr; i++)
		if (t_is(&tr->ev[i], "lttng_statedump_process_state") &&
		    (pid_t)t_int(test, &tr->ev[i], "tid") == tid)
			return &tr->ev[i];
	return NULL;
}

static const struct t_event *t_find_fd(struct kunit *test,
				       const struct t_trace *tr, pid_t pid,
				       int fd)
{
	unsigned int i;

	for (i = 0; i < tr->nr; i++)
		if (t_is(&tr->ev[i], "lttng_statedump_file_descriptor") &&
		    (pid_t)t_int(test, &tr->ev[i], "pid") == pid &&
		    (int)t_int(test, &tr->ev[i], "fd") == fd)
			return &tr->ev[i];
	return NULL;
}

/*
 * The first start records a statedump that names a thread the test
 * created and a file it opened, with LTTng's encodings.
 */
static void statedump_first_start_lists_thread_and_fd(struct kunit *test)
{
	struct task_struct *k = t_thread(test, "kt_sd_thread");
	long fd = t_open_fd("[ktrace_sd_test]");
	struct t_fix *f = t_statedump_session(test);
	const struct t_event *ev;
	struct t_trace *tr;

	KUNIT_ASSERT_GE(test, fd, 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, t_close_fd,
							(void *)fd), 0);
	t_start(test, f);
	t_stop(test, f);
	tr = t_read(test, f->c);

	KUNIT_EXPECT_EQ(test, t_count(tr, "lttng_statedump_start"), 1);
	KUNIT_EXPECT_EQ(test, t_count(tr, "lttng_statedump_end"), 1);
	KUNIT_EXPECT_GT(test, t_count(tr, "lttng_statedump_cpu_topology"), 0);
	KUNIT_EXPECT_GT(test, t_count(tr, "lttng_statedump_network_interface"),
			0);

	ev = t_find_thread(test, tr, k->pid);
	KUNIT_ASSERT_NOT_NULL(test, ev);
	KUNIT_EXPECT_STREQ(test, t_text_field(test, ev, "name"), "kt_sd_thread");
	KUNIT_EXPECT_EQ(test, (pid_t)t_int(test, ev, "pid"), k->tgid);
	rcu_read_lock();
	KUNIT_EXPECT_EQ(test, (pid_t)t_int(test, ev, "ppid"),
			task_tgid_nr(rcu_dereference(k->real_parent)));
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, (int)t_int(test, ev, "type"),
			KTRACE_SD_KERNEL_THREAD);
	KUNIT_EXPECT_EQ(test, (int)t_int(test, ev, "status"),
			KTRACE_SD_STATUS_WAIT);
	KUNIT_EXPECT_EQ(test, (int)t_int(test, ev, "mode"),
			KTRACE_SD_MODE_UNKNOWN);
	KUNIT_EXPECT_EQ(test, (pid_t)t_int(test, ev, "vtid"), k->pid);
	KUNIT_EXPECT_EQ(test, (int)t_int(test, ev, "ns_level"), 0);

	ev = t_find_thread(test, tr, current->pid);
	KUNIT_ASSERT_NOT_NULL(test, ev);
	KUNIT_EXPECT_EQ(test, (int)t_int(test, ev, "status"),
			KTRACE_SD_STATUS_WAIT_CPU);

	ev = t_find_fd(test, tr, current->tgid, fd);
	KUNIT_ASSERT_NOT_NULL(test, ev);
	KUNIT_EXPECT_STREQ(test, t_string_field(test, ev, "filename"),
			   "anon_inode:[ktrace_sd_test]");
	KUNIT_EXPECT_TRUE(test, t_int(test, ev, "flags") & O_CLOEXEC);
	KUNIT_EXPECT_TRUE(test, t_int(test, ev, "fmode") & FMODE_READ);
	KUNIT_EXPECT_EQ(test, t_int(test, ev, "file_table_address"),
			(u64)(unsigned long)current->files);
}

/* A second start records none; a request records one more. */
/* The event @name of thread @tid (its tid field), or NULL. */
static const struct t_event *t_find_tid(struct kunit *test,
					const struct t_trace *tr,
					const char *name, pid_t tid)
{
	unsigned int i;

	for (i = 0; i < tr->nr; i++)
		if (t_is(&tr->ev[i], name) &&
		    (pid_t)t_int(test, &tr->ev[i], "tid") == tid)
			return &tr->ev[i];
	return NULL;
}

/* How many events @name of thread @tid there are. */
static unsigned int t_count_tid(struct kunit *test, const struct t_trace *tr,
				const char *name, pid_t tid)
{
	unsigned int i, n = 0;

	for (i = 0; i < tr->nr; i++)
		n += t_is(&tr->ev[i], name) &&
		     (pid_t)t_int(test, &tr->ev[i], "tid") == tid;
	return n;
}

/*
 * Each thread's namespaces, as LTTng 2.13's lttng_statedump_process_*_ns
 * events record them: a kernel thread is in the initial ones (one level
 * each), root in the initial user namespace; its pid namespace event
 * repeats what its process_state says.
 */
static void statedump_lists_namespaces(struct kunit *test)
{
	static const char *const kinds[] = {
		"pid", "cgroup", "ipc", "net", "user", "uts", "time",
	};
	struct task_struct *k = t_thread(test, "kt_sd_ns");
	struct t_fix *f = t_statedump_session(test);
	const struct t_event *ev, *ps;
	char name[64];
	struct t_trace *tr;
	unsigned int i;

	t_start(test, f);
	t_stop(test, f);
	tr = t_read(test, f->c);

	for (i = 0; i < ARRAY_SIZE(kinds); i++) {
		snprintf(name, sizeof(name), "lttng_statedump_process_%s_ns",
			 kinds[i]);
		/* In the initial namespaces: one level, one event each. */
		KUNIT_EXPECT_EQ_MSG(test, t_count_tid(test, tr, name, k->pid), 1,
				    "%s", name);
	}
	ev = t_find_tid(test, tr, "lttng_statedump_process_uts_ns", k->pid);
	KUNIT_ASSERT_NOT_NULL(test, ev);
	KUNIT_EXPECT_EQ(test, (unsigned int)t_int(test, ev, "uts_ns_inum"),
			init_uts_ns.ns.inum);
	ev = t_find_tid(test, tr, "lttng_statedump_process_net_ns", k->pid);
	KUNIT_ASSERT_NOT_NULL(test, ev);
	KUNIT_EXPECT_EQ(test, (unsigned int)t_int(test, ev, "net_ns_inum"),
			init_net.ns.inum);
	ev = t_find_tid(test, tr, "lttng_statedump_process_user_ns", k->pid);
	KUNIT_ASSERT_NOT_NULL(test, ev);
	KUNIT_EXPECT_EQ(test, (unsigned int)t_int(test, ev, "user_ns_inum"),
			init_user_ns.ns.inum);
	KUNIT_EXPECT_EQ(test, (int)t_int(test, ev, "ns_level"), 0);
	KUNIT_EXPECT_EQ(test, (uid_t)t_int(test, ev, "vuid"), 0);
	KUNIT_EXPECT_EQ(test, (gid_t)t_int(test, ev, "vegid"), 0);
	ev = t_find_tid(test, tr, "lttng_statedump_process_pid_ns", k->pid);
	ps = t_find_thread(test, tr, k->pid);
	KUNIT_ASSERT_NOT_NULL(test, ev);
	KUNIT_ASSERT_NOT_NULL(test, ps);
	KUNIT_EXPECT_EQ(test, t_int(test, ev, "ns_inum"),
			t_int(test, ps, "ns_inum"));
	KUNIT_EXPECT_EQ(test, (pid_t)t_int(test, ev, "vtid"), k->pid);
	KUNIT_EXPECT_EQ(test, (int)t_int(test, ev, "ns_level"), 0);
}

static void statedump_again_only_on_request(struct kunit *test)
{
	struct t_fix *f = t_statedump_session(test);
	struct t_trace *tr;

	t_start(test, f);
	t_stop(test, f);
	t_start(test, f);
	KUNIT_EXPECT_EQ(test, ktrace_probes_statedump(NULL), 0);
	t_stop(test, f);
	tr = t_read(test, f->c);
	KUNIT_EXPECT_EQ(test, t_count(tr, "lttng_statedump_start"), 2);
	KUNIT_EXPECT_EQ(test, t_count(tr, "lttng_statedump_end"), 2);
}

/* Nothing is walked when no channel has a statedump event. */
static void statedump_walks_nothing_unless_enabled(struct kunit *test)
{
	struct ktrace_statedump_stats st = { .tasks = 1, .fds = 1 };
	struct t_fix *f = t_setup(test, PAGE_SIZE);

	t_enable(test, f->c, "ktrace_test");
	t_start(test, f);
	KUNIT_EXPECT_EQ(test, ktrace_probes_statedump(&st), 0);
	KUNIT_EXPECT_EQ(test, st.tasks, 0);
	KUNIT_EXPECT_EQ(test, st.fds, 0);
	t_stop(test, f);
}

struct t_churn {
	atomic_t done;
	struct completion forks_done, fds_done;
};

static int t_exit_at_once(void *arg)
{
	return 0;
}

static int t_fork_churn(void *arg)
{
	struct t_churn *ch = arg;
	struct task_struct *k;
	unsigned int i;

	for (i = 0; i < T_CHURN; i++) {
		k = kthread_create(t_exit_at_once, NULL, "kt_sd_churn%u", i);
		if (IS_ERR(k))
			continue;
		get_task_struct(k);
		wake_up_process(k);
		kthread_stop_put(k);
	}
	atomic_inc(&ch->done);
	complete(&ch->forks_done);
	return 0;
}

static int t_fd_churn(void *arg)
{
	struct t_churn *ch = arg;
	unsigned int i;
	int fd;

	for (i = 0; i < T_CHURN; i++) {
		fd = t_open_fd("[ktrace_sd_churn]");
		if (fd >= 0)
			close_fd(fd);
		cond_resched();
	}
	atomic_inc(&ch->done);
	complete(&ch->fds_done);
	return 0;
}

/*
 * Statedumps while kernel threads are forked and reaped and files are
 * opened and closed: KASAN and lockdep watch, and every record of every
 * statedump decodes.
 */
static void statedump_races_forks_exits_and_fd_churn(struct kunit *test)
{
	struct t_churn *ch = kunit_kzalloc(test, sizeof(*ch), GFP_KERNEL);
	struct t_fix *f = t_statedump_session(test);
	struct task_struct *forks, *fds;
	unsigned int dumps = 0;
	struct t_trace *tr;

	KUNIT_ASSERT_NOT_NULL(test, ch);
	init_completion(&ch->forks_done);
	init_completion(&ch->fds_done);
	t_start(test, f);
	forks = kthread_run(t_fork_churn, ch, "kt_sd_forks");
	KUNIT_ASSERT_FALSE(test, IS_ERR(forks));
	fds = kthread_run(t_fd_churn, ch, "kt_sd_fds");
	if (IS_ERR(fds)) {
		wait_for_completion(&ch->forks_done);
		KUNIT_FAIL(test, "no fd churn thread");
		return;
	}
	while (atomic_read(&ch->done) < 2) {
		KUNIT_EXPECT_EQ(test, ktrace_probes_statedump(NULL), 0);
		dumps++;
		/* Let the churn run too on a machine with few CPUs. */
		usleep_range(1000, 2000);
	}
	wait_for_completion(&ch->forks_done);
	wait_for_completion(&ch->fds_done);
	t_stop(test, f);
	kunit_info(test, "%u statedumps during the churn", dumps);
	KUNIT_EXPECT_GT(test, dumps, 0);
	/* The buffers overwrite: what is left must decode. */
	tr = t_read(test, f->c);
	KUNIT_EXPECT_GT(test, tr->nr, 0);
}

/* How fast a statedump walks threads and files (docs/PERFORMANCE.md). */
static void statedump_cost(struct kunit *test)
{
	struct ktrace_statedump_stats st;
	struct t_fix *f = t_statedump_session(test);
	unsigned int i;
	long fd;
	int ret;
	u64 ns;

	for (i = 0; i < T_COST_FDS; i++) {
		fd = t_open_fd("[ktrace_sd_cost]");
		KUNIT_ASSERT_GE(test, fd, 0);
		ret = kunit_add_action_or_reset(test, t_close_fd, (void *)fd);
		KUNIT_ASSERT_EQ(test, ret, 0);
	}
	t_start(test, f);
	ns = ktime_get_ns();
	KUNIT_EXPECT_EQ(test, ktrace_probes_statedump(&st), 0);
	ns = ktime_get_ns() - ns;
	t_stop(test, f);
	KUNIT_EXPECT_GT(test, st.tasks, 0);
	KUNIT_EXPECT_GE(test, st.fds, T_COST_FDS);
	kunit_info(test, "statedump: %llu threads, %llu fds in %llu us: %llu threads+fds per ms\n",
		   st.tasks, st.fds, ns / NSEC_PER_USEC,
		   (st.tasks + st.fds) * NSEC_PER_MSEC / max_t(u64, ns, 1));
}

static struct kunit_case statedump_test_cases[] = {
	KUNIT_CASE(statedump_first_start_lists_thread_and_fd),
	KUNIT_CASE(statedump_lists_namespaces),
	KUNIT_CASE(statedump_again_only_on_request),
	KUNIT_CASE(statedump_walks_nothing_unless_enabled),
	KUNIT_CASE_SLOW(statedump_races_forks_exits_and_fd_churn),
	KUNIT_CASE_SLOW(statedump_cost),
	{}
};

static struct kunit_suite statedump_test_suite = {
	.name = "ktrace_statedump",
	.test_cases = statedump_test_cases,
};

kunit_test_suite(statedump_test_suite);

MODULE_DESCRIPTION("KUnit tests for ktrace's statedump");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
