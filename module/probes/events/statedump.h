/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Statedump events, with the names and fields of lttng-modules'
 * lttng_statedump_* events, so that a trace names the processes, files,
 * disks, interrupts, interfaces and CPUs that existed before its first
 * event. They have no tracepoint: statedump.c walks the kernel's state
 * and records them (ktrace_probes_statedump()). Read several times by
 * define_events.h: no include guard around the events.
 *
 * Fields are those of lttng-modules 2.13, plus those of 2.10 that 2.13
 * moved elsewhere, because lttng-analyses still reads them: pid in
 * lttng_statedump_file_descriptor (2.13 has file_table_address only),
 * and the pid namespace fields vtid, vpid, vppid, ns_level in
 * lttng_statedump_process_state. Readers find fields by name.
 *
 * The namespaces of each thread follow its lttng_statedump_process_state
 * as 2.13 records them: one lttng_statedump_process_pid_ns and one
 * _user_ns per level, from the thread's own namespace to the initial
 * one, and one event for each other kind. No mnt_ns: struct
 * mnt_namespace is private to fs/ and the kernel exports no way to read
 * its inode number.
 */
#ifndef _KTRACE_EVENTS_STATEDUMP_HELPERS
#define _KTRACE_EVENTS_STATEDUMP_HELPERS
#include "probes/statedump_internal.h"
#endif /* _KTRACE_EVENTS_STATEDUMP_HELPERS */

KTRACE_EVENT_INTERNAL(lttng_statedump_start,
	KTRACE_PROTO(const void *unused),
	KTRACE_FIELDS())

KTRACE_EVENT_INTERNAL(lttng_statedump_end,
	KTRACE_PROTO(const void *unused),
	KTRACE_FIELDS())

KTRACE_EVENT_INTERNAL(lttng_statedump_process_state,
	KTRACE_PROTO(const struct ktrace_sd_process *sd),
	KTRACE_FIELDS(
		kt_int(pid_t, tid, sd->tid)
		kt_int(pid_t, pid, sd->pid)
		kt_int(pid_t, ppid, sd->ppid)
		kt_text(name, sd->name, TASK_COMM_LEN)
		kt_int(int, type, sd->type)
		kt_int(int, mode, sd->mode)
		kt_int(int, submode, sd->submode)
		kt_int(int, status, sd->status)
		kt_int(unsigned int, cpu, sd->cpu)
		kt_hex(unsigned long, file_table_address, sd->files)
		kt_int(pid_t, vtid, sd->vtid)
		kt_int(pid_t, vpid, sd->vpid)
		kt_int(pid_t, vppid, sd->vppid)
		kt_int(int, ns_level, sd->ns_level)
		kt_int(unsigned int, ns_inum, sd->ns_inum)
	))

KTRACE_EVENT_INTERNAL(lttng_statedump_process_pid_ns,
	KTRACE_PROTO(const struct ktrace_sd_ns *sd),
	KTRACE_FIELDS(
		kt_int(pid_t, tid, sd->tid)
		kt_int(pid_t, vtid, sd->vtid)
		kt_int(pid_t, vpid, sd->vpid)
		kt_int(pid_t, vppid, sd->vppid)
		kt_int(int, ns_level, sd->pid_ns_level)
		kt_int(unsigned int, ns_inum, sd->inum[KTRACE_SD_NS_PID])
	))

KTRACE_EVENT_INTERNAL(lttng_statedump_process_cgroup_ns,
	KTRACE_PROTO(const struct ktrace_sd_ns *sd),
	KTRACE_FIELDS(
		kt_int(pid_t, tid, sd->tid)
		kt_int(unsigned int, cgroup_ns_inum, sd->inum[KTRACE_SD_NS_CGROUP])
	))

KTRACE_EVENT_INTERNAL(lttng_statedump_process_ipc_ns,
	KTRACE_PROTO(const struct ktrace_sd_ns *sd),
	KTRACE_FIELDS(
		kt_int(pid_t, tid, sd->tid)
		kt_int(unsigned int, ipc_ns_inum, sd->inum[KTRACE_SD_NS_IPC])
	))

KTRACE_EVENT_INTERNAL(lttng_statedump_process_net_ns,
	KTRACE_PROTO(const struct ktrace_sd_ns *sd),
	KTRACE_FIELDS(
		kt_int(pid_t, tid, sd->tid)
		kt_int(unsigned int, net_ns_inum, sd->inum[KTRACE_SD_NS_NET])
	))

KTRACE_EVENT_INTERNAL(lttng_statedump_process_user_ns,
	KTRACE_PROTO(const struct ktrace_sd_ns *sd),
	KTRACE_FIELDS(
		kt_int(pid_t, tid, sd->tid)
		kt_int(uid_t, vuid, sd->vuid)
		kt_int(uid_t, veuid, sd->veuid)
		kt_int(uid_t, vsuid, sd->vsuid)
		kt_int(gid_t, vgid, sd->vgid)
		kt_int(gid_t, vegid, sd->vegid)
		kt_int(gid_t, vsgid, sd->vsgid)
		kt_int(int, ns_level, sd->user_ns_level)
		kt_int(unsigned int, user_ns_inum, sd->inum[KTRACE_SD_NS_USER])
	))

KTRACE_EVENT_INTERNAL(lttng_statedump_process_uts_ns,
	KTRACE_PROTO(const struct ktrace_sd_ns *sd),
	KTRACE_FIELDS(
		kt_int(pid_t, tid, sd->tid)
		kt_int(unsigned int, uts_ns_inum, sd->inum[KTRACE_SD_NS_UTS])
	))

KTRACE_EVENT_INTERNAL(lttng_statedump_process_time_ns,
	KTRACE_PROTO(const struct ktrace_sd_ns *sd),
	KTRACE_FIELDS(
		kt_int(pid_t, tid, sd->tid)
		kt_int(unsigned int, time_ns_inum, sd->inum[KTRACE_SD_NS_TIME])
	))

KTRACE_EVENT_INTERNAL(lttng_statedump_file_descriptor,
	KTRACE_PROTO(const struct ktrace_sd_fd *sd),
	KTRACE_FIELDS(
		kt_hex(unsigned long, file_table_address, sd->files)
		kt_int(pid_t, pid, sd->pid)
		kt_int(int, fd, sd->fd)
		kt_int(unsigned int, flags, sd->flags)
		kt_hex(unsigned int, fmode, sd->fmode)
		kt_string(filename, sd->filename)
	))

KTRACE_EVENT_INTERNAL(lttng_statedump_block_device,
	KTRACE_PROTO(const struct ktrace_sd_bdev *sd),
	KTRACE_FIELDS(
		kt_int(dev_t, dev, sd->dev)
		kt_string(diskname, sd->diskname)
	))

KTRACE_EVENT_INTERNAL(lttng_statedump_interrupt,
	KTRACE_PROTO(const struct ktrace_sd_irq *sd),
	KTRACE_FIELDS(
		kt_int(unsigned int, irq, sd->irq)
		kt_string(name, sd->name)
		kt_string(action, sd->action)
		kt_int(pid_t, tid, sd->tid)
	))

KTRACE_EVENT_INTERNAL(lttng_statedump_network_interface,
	KTRACE_PROTO(const struct ktrace_sd_netif *sd),
	KTRACE_FIELDS(
		kt_string(name, sd->name)
		kt_hex(u32, address_ipv4, sd->address_ipv4)
	))

KTRACE_EVENT_INTERNAL(lttng_statedump_cpu_topology,
	KTRACE_PROTO(const struct ktrace_sd_cpu *sd),
	KTRACE_FIELDS(
		kt_string(architecture, sd->architecture)
		kt_int(u16, cpu_id, sd->cpu_id)
		kt_string(vendor, sd->vendor)
		kt_int(u8, family, sd->family)
		kt_int(u8, model, sd->model)
		kt_string(model_name, sd->model_name)
		kt_int(u16, physical_id, sd->physical_id)
		kt_int(u16, core_id, sd->core_id)
		kt_int(u16, cores, sd->cores)
	))
