/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internals of the statedump: what statedump.c gathers about one object
 * (a thread, an open file, a block device, ...) and hands to the probe of
 * its event, and the calls that record those events (events.c).
 *
 * The walkers copy every value they need first, under the locks and
 * references that keep the object alive; a probe only copies those
 * values into the buffers, so no event is ever written while reading
 * kernel state that could change or go away under it.
 */
#ifndef _KTRACE_PROBES_STATEDUMP_INTERNAL_H
#define _KTRACE_PROBES_STATEDUMP_INTERNAL_H

#include <linux/sched.h>
#include <linux/types.h>

struct ktrace_probe;

/*
 * LTTng's encodings, from lttng-modules' statedump: enum
 * lttng_thread_type, lttng_execution_mode, lttng_execution_submode and
 * lttng_process_status. Trace Compass and lttng-analyses read these
 * numbers.
 */
enum {
	KTRACE_SD_USER_THREAD		= 0,
	KTRACE_SD_KERNEL_THREAD		= 1,
};

enum {
	KTRACE_SD_MODE_UNKNOWN		= 5,
};

enum {
	KTRACE_SD_SUBMODE_NONE		= 0,
};

enum {
	KTRACE_SD_STATUS_UNNAMED	= 0,
	KTRACE_SD_STATUS_WAIT_FORK	= 1,
	KTRACE_SD_STATUS_WAIT_CPU	= 2,
	KTRACE_SD_STATUS_EXIT		= 3,
	KTRACE_SD_STATUS_ZOMBIE		= 4,
	KTRACE_SD_STATUS_WAIT		= 5,
	KTRACE_SD_STATUS_RUN		= 6,
	KTRACE_SD_STATUS_DEAD		= 7,
};

/* One thread, for lttng_statedump_process_state. */
struct ktrace_sd_process {
	pid_t tid;
	pid_t pid;
	pid_t ppid;
	char name[TASK_COMM_LEN];
	int type;
	int mode;
	int submode;
	int status;
	unsigned int cpu;
	unsigned long files;
	pid_t vtid;
	pid_t vpid;
	pid_t vppid;
	int ns_level;
	unsigned int ns_inum;
};

/* The namespaces lttng_statedump_process_<kind>_ns record, in order. */
enum ktrace_sd_ns_kind {
	KTRACE_SD_NS_PID,
	KTRACE_SD_NS_CGROUP,
	KTRACE_SD_NS_IPC,
	KTRACE_SD_NS_NET,
	KTRACE_SD_NS_USER,
	KTRACE_SD_NS_UTS,
	KTRACE_SD_NS_TIME,
	KTRACE_SD_NS_NR
};

/*
 * One thread's namespaces, for the lttng_statedump_process_*_ns events:
 * the inode number of each (0 where the kernel has no such namespace),
 * the thread's ids in its pid namespace and its credentials in its user
 * namespace, with the levels of those two.
 */
struct ktrace_sd_ns {
	pid_t tid;
	unsigned int inum[KTRACE_SD_NS_NR];
	pid_t vtid;
	pid_t vpid;
	pid_t vppid;
	int pid_ns_level;
	uid_t vuid;
	uid_t veuid;
	uid_t vsuid;
	gid_t vgid;
	gid_t vegid;
	gid_t vsgid;
	int user_ns_level;
};

/* One open file of a process, for lttng_statedump_file_descriptor. */
struct ktrace_sd_fd {
	unsigned long files;
	pid_t pid;
	int fd;
	unsigned int flags;
	unsigned int fmode;
	const char *filename;
};

/* For lttng_statedump_block_device. */
struct ktrace_sd_bdev {
	dev_t dev;
	const char *diskname;
};

/* One handler of an interrupt, for lttng_statedump_interrupt. */
struct ktrace_sd_irq {
	unsigned int irq;
	const char *name;
	const char *action;
	pid_t tid;
};

/* One IPv4 address of an interface, for lttng_statedump_network_interface. */
struct ktrace_sd_netif {
	const char *name;
	u32 address_ipv4;
};

/* One CPU, for lttng_statedump_cpu_topology. */
struct ktrace_sd_cpu {
	const char *architecture;
	u16 cpu_id;
	const char *vendor;
	u8 family;
	u8 model;
	const char *model_name;
	u16 physical_id;
	u16 core_id;
	u16 cores;
};

/*
 * Record one statedump event into every channel that has it enabled.
 * Context: any; they disable preemption around the probe.
 */
void ktrace_sd_fire_start(struct ktrace_probe *probe);
void ktrace_sd_fire_end(struct ktrace_probe *probe);
void ktrace_sd_fire_process(struct ktrace_probe *probe,
			    const struct ktrace_sd_process *sd);
void ktrace_sd_fire_fd(struct ktrace_probe *probe,
		       const struct ktrace_sd_fd *sd);
void ktrace_sd_fire_bdev(struct ktrace_probe *probe,
			 const struct ktrace_sd_bdev *sd);
void ktrace_sd_fire_irq(struct ktrace_probe *probe,
			const struct ktrace_sd_irq *sd);
void ktrace_sd_fire_netif(struct ktrace_probe *probe,
			  const struct ktrace_sd_netif *sd);
void ktrace_sd_fire_cpu(struct ktrace_probe *probe,
			const struct ktrace_sd_cpu *sd);
void ktrace_sd_fire_ns(struct ktrace_probe *probe, enum ktrace_sd_ns_kind kind,
		       const struct ktrace_sd_ns *sd);

#endif /* _KTRACE_PROBES_STATEDUMP_INTERNAL_H */
