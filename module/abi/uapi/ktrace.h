/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * ktrace userspace ABI: the /dev/ktrace ioctls.
 *
 * This header is the whole contract between ktrace.ko and its clients.
 * It uses fixed-width types only, every struct is a multiple of 8 bytes
 * with explicit padding, and structs that may grow start with a __u32 size
 * (the caller's sizeof), so old and new binaries keep working together.
 * Ioctl numbers are never reused. See docs/ABI.md.
 */
#ifndef _UAPI_LINUX_KTRACE_H
#define _UAPI_LINUX_KTRACE_H

#include <linux/const.h>
#include <linux/ioctl.h>
#include <linux/types.h>

#define KTRACE_DEVICE_PATH	"/dev/ktrace"

/* Bumped on every ABI addition; never decreases. */
#define KTRACE_ABI_VERSION	1

#define KTRACE_IOC_MAGIC	0xE7

/**
 * struct ktrace_api - what the loaded module supports (KTRACE_IOC_API)
 * @size: in: sizeof(struct ktrace_api) as the caller knows it, at least
 *        KTRACE_API_SIZE_VER0. The kernel writes back at most @size bytes.
 * @abi_version: out: KTRACE_ABI_VERSION of the module.
 * @features: out: KTRACE_FEATURE_* bits.
 * @ioctls: out: bit N is set when the ioctl with number N on /dev/ktrace is
 *          supported.
 * @reserved: must be zero on input.
 */
struct ktrace_api {
	__u32 size;
	__u32 abi_version;
	__u64 features;
	__u64 ioctls;
	__u64 reserved;
};

#define KTRACE_API_SIZE_VER0	32

/* Feature bits reported in ktrace_api.features. */
#define KTRACE_FEATURE_PROBE_STATS	_BITULL(0)

/* /dev/ktrace ioctl numbers: never reuse one. */
#define KTRACE_IOC_NR_API	0x00

#define KTRACE_IOC_API		_IOWR(KTRACE_IOC_MAGIC, KTRACE_IOC_NR_API, \
				      struct ktrace_api)

#endif /* _UAPI_LINUX_KTRACE_H */
