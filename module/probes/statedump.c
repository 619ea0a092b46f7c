// SPDX-License-Identifier: GPL-2.0
/*
 * The statedump: the processes and threads, their open files, the block
 * devices, the interrupt handlers, the network interfaces and the CPUs,
 * recorded as lttng_statedump_* events between lttng_statedump_start and
 * lttng_statedump_end. A viewer reads it as the state of the machine at
 * that point, so a trace that holds only its newest packets still names
 * every thread and file in it.
 *
 * It runs in process context and never holds a lock while it sleeps:
 *
 *  - processes are visited one at a time by tgid, the way /proc's
 *    readdir does (find_ge_pid() under RCU, then a task reference), so a
 *    process that exits meanwhile is either skipped or still safe to read;
 *    its threads are read under RCU; cond_resched() between processes;
 *  - open files are visited one fd at a time, as /proc/<pid>/fd does:
 *    each file is looked up under RCU with a reference taken, read,
 *    then put; the file table's lock is never held across a record;
 *  - interrupts, block devices and interfaces are read under the locks or
 *    RCU that keep each of them alive, for the few records each has.
 *
 * None of these locks is taken by a tracepoint probe, and records are
 * lockless: writers on other CPUs never wait for a statedump.
 *
 * Every record goes into every channel that has its event enabled, in
 * every active session (as ktrace_test does): a statedump of one session
 * also refreshes the others that record the statedump events.
 */
#include <linux/blkdev.h>
#include <linux/err.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/cgroup.h>
#include <linux/cred.h>
#include <linux/inetdevice.h>
#include <linux/interrupt.h>
#include <linux/ipc_namespace.h>
#include <linux/irq.h>
#include <linux/irqdesc.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/nsproxy.h>
#include <linux/pid_namespace.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/time_namespace.h>
#include <linux/uidgid.h>
#include <linux/user_namespace.h>
#include <linux/utsname.h>
#include <net/net_namespace.h>
#include <kunit/visibility.h>

#include "probes/probes_internal.h"
#include "probes/statedump_internal.h"

/* One statedump at a time, so that start and end pairs never interleave. */
static DEFINE_MUTEX(statedump_lock);

struct sd_ctx {
	struct ktrace_probe *start, *end, *process, *fd, *bdev, *irq,
			    *netif, *cpu;
	struct ktrace_probe *ns[KTRACE_SD_NS_NR];	/* by ktrace_sd_ns_kind */
	bool any_ns;		/* some channel wants one of them */
	char *path;		/* a page for d_path() */
	struct ktrace_statedump_stats *stats;
};

static struct ktrace_probe *sd_probe(const char *name)
{
	const struct ktrace_event_desc *desc = ktrace_probes_find(name);

	return desc ? container_of(desc, struct ktrace_probe, desc) : NULL;
}

/* Whether some channel may record @probe's event: cheap, lockless. */
static bool sd_wanted(const struct ktrace_probe *probe)
{
	return probe && !hlist_empty(&probe->events);
}

/* Record one event into the channels that enable it, if any may. */
#define SD_FIRE(fire, probe, ...)					\
	do {								\
		struct ktrace_probe *__p = (probe);			\
									\
		if (sd_wanted(__p))					\
			fire(__p, ##__VA_ARGS__);			\
	} while (0)

static int sd_status(const struct task_struct *t)
{
	unsigned int state = READ_ONCE(t->__state);
	int exit_state = READ_ONCE(t->exit_state);

	if (exit_state == EXIT_ZOMBIE)
		return KTRACE_SD_STATUS_ZOMBIE;
	if (exit_state == EXIT_DEAD)
		return KTRACE_SD_STATUS_DEAD;
	/* Running or runnable: viewers sort out which from sched_switch. */
	if (state == TASK_RUNNING)
		return KTRACE_SD_STATUS_WAIT_CPU;
	if (state & (TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE))
		return KTRACE_SD_STATUS_WAIT;
	return KTRACE_SD_STATUS_UNNAMED;
}

/* @sd's pid namespace fields: @t's ids in @ns, one of its levels. */
static void sd_pid_ns(struct ktrace_sd_ns *sd, struct task_struct *t,
		      struct pid_namespace *ns)
{
	sd->vtid = task_pid_nr_ns(t, ns);
	sd->vpid = task_tgid_nr_ns(t, ns);
	sd->vppid = task_tgid_nr_ns(rcu_dereference(t->real_parent), ns);
	sd->pid_ns_level = ns->level;
	sd->inum[KTRACE_SD_NS_PID] = ns->ns.inum;
}

/* @sd's user namespace fields: @cred seen from @ns, one of its levels. */
static void sd_user_ns(struct ktrace_sd_ns *sd, const struct cred *cred,
		       struct user_namespace *ns)
{
	sd->vuid = from_kuid_munged(ns, cred->uid);
	sd->veuid = from_kuid_munged(ns, cred->euid);
	sd->vsuid = from_kuid_munged(ns, cred->suid);
	sd->vgid = from_kgid_munged(ns, cred->gid);
	sd->vegid = from_kgid_munged(ns, cred->egid);
	sd->vsgid = from_kgid_munged(ns, cred->sgid);
	sd->user_ns_level = ns->level;
	sd->inum[KTRACE_SD_NS_USER] = ns->ns.inum;
}

/*
 * The lttng_statedump_process_<kind>_ns events of thread @t, as LTTng
 * 2.13 records them: one pid_ns and one user_ns event per level, from
 * the thread's own namespace up to the initial one (a child namespace
 * holds a reference on its parent), one event for each other kind. The
 * nsproxy is read under task_lock(), as /proc's ns links do; a thread
 * past exit_namespaces() has none and gets no such event, as in LTTng.
 * Caller holds rcu_read_lock() (the pid namespace, the credentials).
 */
static void sd_namespaces(struct sd_ctx *ctx, struct task_struct *t)
{
	struct pid_namespace *pns = task_active_pid_ns(t);
	const struct cred *cred = __task_cred(t);
	struct ktrace_sd_ns sd = { .tid = t->pid };
	struct user_namespace *uns;
	struct nsproxy *proxy;
	int kind;

	task_lock(t);
	proxy = t->nsproxy;
	if (proxy) {
		sd.inum[KTRACE_SD_NS_UTS] = proxy->uts_ns->ns.inum;
		/* NULL without SYSVIPC and POSIX_MQUEUE. */
		if (proxy->ipc_ns)
			sd.inum[KTRACE_SD_NS_IPC] = proxy->ipc_ns->ns.inum;
		sd.inum[KTRACE_SD_NS_NET] = proxy->net_ns->ns.inum;
#ifdef CONFIG_CGROUPS
		sd.inum[KTRACE_SD_NS_CGROUP] = proxy->cgroup_ns->ns.inum;
#endif
#ifdef CONFIG_TIME_NS
		sd.inum[KTRACE_SD_NS_TIME] = proxy->time_ns->ns.inum;
#endif
	}
	task_unlock(t);
	if (!proxy || !pns)
		return;
	for (; pns; pns = pns->parent) {
		sd_pid_ns(&sd, t, pns);
		SD_FIRE(ktrace_sd_fire_ns, ctx->ns[KTRACE_SD_NS_PID],
			KTRACE_SD_NS_PID, &sd);
	}
	for (uns = cred->user_ns; uns; uns = uns->parent) {
		sd_user_ns(&sd, cred, uns);
		SD_FIRE(ktrace_sd_fire_ns, ctx->ns[KTRACE_SD_NS_USER],
			KTRACE_SD_NS_USER, &sd);
	}
	for (kind = 0; kind < KTRACE_SD_NS_NR; kind++)
		if (kind != KTRACE_SD_NS_PID && kind != KTRACE_SD_NS_USER)
			SD_FIRE(ktrace_sd_fire_ns, ctx->ns[kind], kind, &sd);
}

/* Caller holds rcu_read_lock(). */
static void sd_thread(struct sd_ctx *ctx, struct task_struct *t)
{
	struct pid_namespace *ns = task_active_pid_ns(t);
	struct task_struct *parent = rcu_dereference(t->real_parent);
	struct ktrace_sd_process sd = {
		.tid = t->pid,
		.pid = t->tgid,
		.ppid = task_tgid_nr(parent),
		.type = t->flags & PF_KTHREAD ? KTRACE_SD_KERNEL_THREAD :
						KTRACE_SD_USER_THREAD,
		.mode = KTRACE_SD_MODE_UNKNOWN,
		.submode = KTRACE_SD_SUBMODE_NONE,
		.status = sd_status(t),
		.cpu = task_cpu(t),
		.files = (unsigned long)READ_ONCE(t->files),
	};

	/* A task that has gone through exit_notify() has no pid namespace. */
	if (ns) {
		sd.vtid = task_pid_nr_ns(t, ns);
		sd.vpid = task_tgid_nr_ns(t, ns);
		sd.vppid = task_tgid_nr_ns(parent, ns);
		sd.ns_level = ns->level;
		sd.ns_inum = ns->ns.inum;
	}
	get_task_comm(sd.name, t);
	SD_FIRE(ktrace_sd_fire_process, ctx->process, &sd);
	ctx->stats->tasks++;
	if (ctx->any_ns)
		sd_namespaces(ctx, t);
}

/*
 * The next open file of @task at or after *@fd, with a reference, or
 * NULL at the end of its table.
 */
static struct file *sd_next_file(struct task_struct *task, unsigned int *fd)
{
#ifdef KTRACE_HAVE_FGET_TASK_NEXT
	return fget_task_next(task, fd);
#else
	struct file *f;

	rcu_read_lock();
#ifdef KTRACE_HAVE_FDGET_RCU
	f = task_lookup_next_fdget_rcu(task, fd);
#else
	for (;; (*fd)++) {
		f = task_lookup_next_fd_rcu(task, fd);
		/* Skip a file whose last reference is going away. */
		if (!f || get_file_rcu(f))
			break;
	}
#endif
	rcu_read_unlock();
	return f;
#endif
}

/* What LTTng records as flags: f_flags, with O_CLOEXEC from the table. */
static unsigned int sd_fd_flags(struct task_struct *task, unsigned int fd,
				const struct file *f, unsigned long *files_addr)
{
	unsigned int flags = f->f_flags;
	struct files_struct *files;
	struct fdtable *fdt;

	task_lock(task);
	files = task->files;
	*files_addr = (unsigned long)files;
	if (files) {
		rcu_read_lock();
		fdt = files_fdtable(files);
		if (fd < fdt->max_fds && test_bit(fd, fdt->close_on_exec))
			flags |= O_CLOEXEC;
		rcu_read_unlock();
	}
	task_unlock(task);
	return flags;
}

static void sd_files(struct sd_ctx *ctx, struct task_struct *leader)
{
	struct ktrace_sd_fd sd = { .pid = leader->tgid };
	unsigned int fd;
	struct file *f;

	for (fd = 0; (f = sd_next_file(leader, &fd)); fd++) {
		sd.fd = fd;
		sd.flags = sd_fd_flags(leader, fd, f, &sd.files);
		sd.fmode = (__force unsigned int)f->f_mode;
		sd.filename = d_path(&f->f_path, ctx->path, PAGE_SIZE);
		if (IS_ERR(sd.filename))
			sd.filename = "(unknown)";
		SD_FIRE(ktrace_sd_fire_fd, ctx->fd, &sd);
		fput(f);
		ctx->stats->fds++;
		cond_resched();
	}
}

static void sd_processes(struct sd_ctx *ctx)
{
	struct task_struct *leader, *t;
	unsigned int nr = 1;
	struct pid *pid;

	for (;;) {
		rcu_read_lock();
		pid = find_ge_pid(nr, &init_pid_ns);
		if (!pid) {
			rcu_read_unlock();
			break;
		}
		nr = pid_nr(pid) + 1;
		leader = pid_task(pid, PIDTYPE_TGID);
		if (!leader) {
			/* A thread's pid, or a process that is gone. */
			rcu_read_unlock();
			continue;
		}
		get_task_struct(leader);
		for_each_thread(leader, t)
			sd_thread(ctx, t);
		rcu_read_unlock();

		if (sd_wanted(ctx->fd))
			sd_files(ctx, leader);
		put_task_struct(leader);
		cond_resched();
	}
}

static unsigned int sd_nr_irqs(void)
{
#ifdef KTRACE_HAVE_IRQ_GET_NR_IRQS
	return irq_get_nr_irqs();
#else
	return nr_irqs;
#endif
}

static void sd_interrupts(struct sd_ctx *ctx)
{
	struct ktrace_sd_irq sd;
	struct irqaction *action;
	struct irq_data *data;
	struct irq_desc *desc;
	unsigned long flags;
	unsigned int irq;

	if (!sd_wanted(ctx->irq))
		return;
	for (irq = 0; irq < sd_nr_irqs(); irq++) {
		/* Descriptors are freed after an RCU grace period. */
		rcu_read_lock();
		data = irq_get_irq_data(irq);
		if (!data) {
			rcu_read_unlock();
			continue;
		}
		desc = irq_data_to_desc(data);
		/* The handlers list changes only under desc->lock. */
		raw_spin_lock_irqsave(&desc->lock, flags);
		for (action = desc->action; action; action = action->next) {
			sd.irq = irq;
			sd.name = data->chip && data->chip->name ?
				  data->chip->name : "";
			sd.action = action->name ? action->name : "";
			sd.tid = action->thread ? action->thread->pid : 0;
			SD_FIRE(ktrace_sd_fire_irq, ctx->irq, &sd);
		}
		raw_spin_unlock_irqrestore(&desc->lock, flags);
		rcu_read_unlock();
		cond_resched();
	}
}

/* Called with inode->i_lock held. */
static unsigned long sd_inode_state(struct inode *inode)
{
#ifdef KTRACE_HAVE_INODE_STATE_READ
	return inode_state_read(inode);
#else
	return inode->i_state;
#endif
}

static void sd_block_devices(struct sd_ctx *ctx)
{
	struct super_block *sb = blockdev_superblock;
	char name[BDEVNAME_SIZE];
	struct ktrace_sd_bdev sd = { .diskname = name };
	struct inode *inode;
	bool skip;

	if (!sd_wanted(ctx->bdev))
		return;
	/* As iterate_bdevs(): the list lock keeps each inode in place. */
	spin_lock(&sb->s_inode_list_lock);
	list_for_each_entry(inode, &sb->s_inodes, i_sb_list) {
		spin_lock(&inode->i_lock);
		skip = (sd_inode_state(inode) &
			(I_FREEING | I_WILL_FREE | I_NEW)) ||
		       !S_ISBLK(inode->i_mode);
		spin_unlock(&inode->i_lock);
		if (skip)
			continue;
		sd.dev = I_BDEV(inode)->bd_dev;
		snprintf(name, sizeof(name), "%pg", I_BDEV(inode));
		SD_FIRE(ktrace_sd_fire_bdev, ctx->bdev, &sd);
	}
	spin_unlock(&sb->s_inode_list_lock);
}

static void sd_network_interfaces(struct sd_ctx *ctx)
{
	struct ktrace_sd_netif sd;
	const struct in_ifaddr *ifa;
	struct in_device *in_dev;
	struct net_device *dev;
	bool any;

	if (!sd_wanted(ctx->netif))
		return;
	rcu_read_lock();
	for_each_netdev_rcu(&init_net, dev) {
		sd.name = dev->name;
		any = false;
		in_dev = __in_dev_get_rcu(dev);
		if (in_dev && (dev->flags & IFF_UP)) {
			in_dev_for_each_ifa_rcu(ifa, in_dev) {
				/* The address as a number, as LTTng shows it. */
				sd.address_ipv4 = ntohl(ifa->ifa_address);
				SD_FIRE(ktrace_sd_fire_netif, ctx->netif, &sd);
				any = true;
			}
		}
		if (!any) {
			sd.address_ipv4 = 0;
			SD_FIRE(ktrace_sd_fire_netif, ctx->netif, &sd);
		}
	}
	rcu_read_unlock();
}

static void sd_cpus(struct sd_ctx *ctx)
{
#ifdef CONFIG_X86
	struct ktrace_sd_cpu sd = { .architecture = "x86" };
	const struct cpuinfo_x86 *c;
	int cpu;

	if (!sd_wanted(ctx->cpu))
		return;
	for_each_online_cpu(cpu) {
		c = &cpu_data(cpu);
		sd.cpu_id = c->cpu_index;
		sd.vendor = c->x86_vendor_id[0] ? c->x86_vendor_id : "unknown";
		sd.family = c->x86;
		sd.model = c->x86_model;
		sd.model_name = c->x86_model_id[0] ? c->x86_model_id :
						     "unknown";
#ifdef KTRACE_HAVE_CPUINFO_TOPO
		sd.physical_id = c->topo.pkg_id;
		sd.core_id = c->topo.core_id;
#else
		sd.physical_id = c->phys_proc_id;
		sd.core_id = c->cpu_core_id;
#endif
		sd.cores = c->booted_cores;
		SD_FIRE(ktrace_sd_fire_cpu, ctx->cpu, &sd);
	}
#endif
}

/**
 * ktrace_probes_statedump() - record the state of the machine
 * @stats: filled with what was walked; may be NULL.
 *
 * Records lttng_statedump_start, one event per thread, open file, block
 * device, interrupt handler, network interface address and CPU, then
 * lttng_statedump_end, into every channel of every active session that
 * has these events enabled. Nothing is walked when no channel has any of
 * them; a walk that one channel does not want is skipped.
 *
 * Context: process context, sleeps; takes no ktrace lock but its own.
 * Return: 0, or -ENOMEM.
 */
int ktrace_probes_statedump(struct ktrace_statedump_stats *stats)
{
	struct ktrace_statedump_stats local = { };
	struct sd_ctx ctx = {
		.start = sd_probe("lttng_statedump_start"),
		.end = sd_probe("lttng_statedump_end"),
		.process = sd_probe("lttng_statedump_process_state"),
		.fd = sd_probe("lttng_statedump_file_descriptor"),
		.bdev = sd_probe("lttng_statedump_block_device"),
		.irq = sd_probe("lttng_statedump_interrupt"),
		.netif = sd_probe("lttng_statedump_network_interface"),
		.cpu = sd_probe("lttng_statedump_cpu_topology"),
		.ns = {
			[KTRACE_SD_NS_PID] =
				sd_probe("lttng_statedump_process_pid_ns"),
			[KTRACE_SD_NS_CGROUP] =
				sd_probe("lttng_statedump_process_cgroup_ns"),
			[KTRACE_SD_NS_IPC] =
				sd_probe("lttng_statedump_process_ipc_ns"),
			[KTRACE_SD_NS_NET] =
				sd_probe("lttng_statedump_process_net_ns"),
			[KTRACE_SD_NS_USER] =
				sd_probe("lttng_statedump_process_user_ns"),
			[KTRACE_SD_NS_UTS] =
				sd_probe("lttng_statedump_process_uts_ns"),
			[KTRACE_SD_NS_TIME] =
				sd_probe("lttng_statedump_process_time_ns"),
		},
		.stats = stats ? stats : &local,
	};
	int kind;

	*ctx.stats = local;
	for (kind = 0; kind < KTRACE_SD_NS_NR; kind++)
		ctx.any_ns |= sd_wanted(ctx.ns[kind]);
	if (!ctx.any_ns && !sd_wanted(ctx.start) && !sd_wanted(ctx.end) &&
	    !sd_wanted(ctx.process) && !sd_wanted(ctx.fd) &&
	    !sd_wanted(ctx.bdev) && !sd_wanted(ctx.irq) &&
	    !sd_wanted(ctx.netif) && !sd_wanted(ctx.cpu))
		return 0;
	ctx.path = (char *)__get_free_page(GFP_KERNEL);
	if (!ctx.path)
		return -ENOMEM;

	mutex_lock(&statedump_lock);
	SD_FIRE(ktrace_sd_fire_start, ctx.start);
	if (sd_wanted(ctx.process) || sd_wanted(ctx.fd) || ctx.any_ns)
		sd_processes(&ctx);
	sd_interrupts(&ctx);
	sd_block_devices(&ctx);
	sd_network_interfaces(&ctx);
	sd_cpus(&ctx);
	SD_FIRE(ktrace_sd_fire_end, ctx.end);
	mutex_unlock(&statedump_lock);

	free_page((unsigned long)ctx.path);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_probes_statedump);
