/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Scheduler events, with LTTng's names and fields so that Trace Compass's
 * Control Flow, Resources and CPU usage views read them. Read several
 * times by define_events.h: no include guard around the events.
 */
#ifndef _KTRACE_EVENTS_SCHED_HELPERS
#define _KTRACE_EVENTS_SCHED_HELPERS
#include <linux/binfmts.h>
#include <linux/sched.h>
#include <linux/sched/prio.h>

/*
 * Priorities as LTTng records them (lttng-modules' sched probes, checked
 * against 2.13.9): the kernel's prio minus MAX_RT_PRIO (100), which is
 * what task_prio() and /proc/<pid>/stat show. Normal tasks are 0..39
 * (nice -20..19, so 20 for nice 0), real-time ones -100..-2 (rt_priority
 * 99..1) and deadline ones -101.
 */
static inline int ktrace_sched_prio(const struct task_struct *p)
{
	return p->prio - MAX_RT_PRIO;
}

/*
 * LTTng's prev_state, as the kernel's own sched_switch computes it:
 * TASK_REPORT_MAX for a task that was preempted (the kernel prints "R+"),
 * 0 for one that yielded while runnable, otherwise one bit per reported
 * state (1 interruptible, 2 uninterruptible, 4 stopped, ...).
 */
static inline long ktrace_sched_prev_state(bool preempt,
					   const struct task_struct *prev,
					   unsigned int prev_state)
{
	unsigned int index;

	if (preempt)
		return TASK_REPORT_MAX;
	index = __task_state_index(prev_state, prev->exit_state);
	return index ? 1L << (index - 1) : 0;
}

/* As the kernel's rt_effective_prio(), LTTng's scale (above). */
static inline int ktrace_sched_pi_prio(const struct task_struct *tsk,
				       const struct task_struct *pi_task)
{
	int prio = tsk->normal_prio;

	if (pi_task)
		prio = min(prio, pi_task->prio);
	return prio - MAX_RT_PRIO;
}
#endif /* _KTRACE_EVENTS_SCHED_HELPERS */

KTRACE_EVENT(sched_switch, sched_switch,
	KTRACE_PROTO(bool preempt, struct task_struct *prev,
		     struct task_struct *next, unsigned int prev_state),
	KTRACE_FIELDS(
		kt_text(prev_comm, prev->comm, TASK_COMM_LEN)
		kt_int(pid_t, prev_tid, prev->pid)
		kt_int(int, prev_prio, ktrace_sched_prio(prev))
		kt_int(long, prev_state,
		       ktrace_sched_prev_state(preempt, prev, prev_state))
		kt_text(next_comm, next->comm, TASK_COMM_LEN)
		kt_int(pid_t, next_tid, next->pid)
		kt_int(int, next_prio, ktrace_sched_prio(next))
	))

#define KTRACE_SCHED_WAKEUP(event)					\
KTRACE_EVENT(event, event,						\
	KTRACE_PROTO(struct task_struct *p),				\
	KTRACE_FIELDS(							\
		kt_text(comm, p->comm, TASK_COMM_LEN)			\
		kt_int(pid_t, tid, p->pid)				\
		kt_int(int, prio, ktrace_sched_prio(p))			\
		kt_int(int, target_cpu, task_cpu(p))			\
	))
KTRACE_SCHED_WAKEUP(sched_waking)
KTRACE_SCHED_WAKEUP(sched_wakeup)
KTRACE_SCHED_WAKEUP(sched_wakeup_new)
#undef KTRACE_SCHED_WAKEUP

KTRACE_EVENT(sched_migrate_task, sched_migrate_task,
	KTRACE_PROTO(struct task_struct *p, int dest_cpu),
	KTRACE_FIELDS(
		kt_text(comm, p->comm, TASK_COMM_LEN)
		kt_int(pid_t, tid, p->pid)
		kt_int(int, prio, ktrace_sched_prio(p))
		kt_int(int, orig_cpu, task_cpu(p))
		kt_int(int, dest_cpu, dest_cpu)
	))

/*
 * A priority boosted by, or back from, priority inheritance (PI futexes,
 * rt_mutexes). newprio is what the kernel will set: the task's own
 * normal priority, raised to its top waiter's if that is higher.
 */
KTRACE_EVENT(sched_pi_setprio, sched_pi_setprio,
	KTRACE_PROTO(struct task_struct *tsk, struct task_struct *pi_task),
	KTRACE_FIELDS(
		kt_text(comm, tsk->comm, TASK_COMM_LEN)
		kt_int(pid_t, tid, tsk->pid)
		kt_int(int, oldprio, ktrace_sched_prio(tsk))
		kt_int(int, newprio, ktrace_sched_pi_prio(tsk, pi_task))
	))

KTRACE_EVENT(sched_process_fork, sched_process_fork,
	KTRACE_PROTO(struct task_struct *parent, struct task_struct *child),
	KTRACE_FIELDS(
		kt_text(parent_comm, parent->comm, TASK_COMM_LEN)
		kt_int(pid_t, parent_tid, parent->pid)
		kt_int(pid_t, parent_pid, parent->tgid)
		kt_text(child_comm, child->comm, TASK_COMM_LEN)
		kt_int(pid_t, child_tid, child->pid)
		kt_int(pid_t, child_pid, child->tgid)
	))

KTRACE_EVENT(sched_process_exec, sched_process_exec,
	KTRACE_PROTO(struct task_struct *p, pid_t old_pid,
		     struct linux_binprm *bprm),
	KTRACE_FIELDS(
		kt_string(filename, bprm->filename)
		kt_int(pid_t, tid, p->pid)
		kt_int(pid_t, old_tid, old_pid)
	))

#define KTRACE_SCHED_PROCESS(event, proto)				\
KTRACE_EVENT(event, event,						\
	KTRACE_PROTO(proto),						\
	KTRACE_FIELDS(							\
		kt_text(comm, p->comm, TASK_COMM_LEN)			\
		kt_int(pid_t, tid, p->pid)				\
		kt_int(int, prio, ktrace_sched_prio(p))			\
	))
/* Newer kernels pass group_dead too (Kbuild reads their headers). */
#ifdef KTRACE_HAVE_SCHED_EXIT_GROUP_DEAD
KTRACE_SCHED_PROCESS(sched_process_exit,
		     KTRACE_PROTO(struct task_struct *p, bool group_dead))
#else
KTRACE_SCHED_PROCESS(sched_process_exit, struct task_struct *p)
#endif
KTRACE_SCHED_PROCESS(sched_process_free, struct task_struct *p)
#undef KTRACE_SCHED_PROCESS
