/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internals shared by the files of module/abi: the fds that /dev/ktrace
 * hands out. Nothing outside module/abi includes this, except the KUnit
 * suite, which opens stream and metadata files without installing an fd.
 */
#ifndef _KTRACE_ABI_INTERNAL_H
#define _KTRACE_ABI_INTERNAL_H

#include <linux/kconfig.h>
#include <linux/types.h>

#include "abi/uapi/ktrace.h"

struct file;

int abi_copy_sized_struct(void *dst, size_t ksize, const void __user *uarg,
			  size_t min_size);
void abi_features_add(u64 features);

/* Stream fds (stream.c). */
struct file *ktrace_abi_stream_open(const struct ktrace_open_stream *req);

/* Metadata fds (metadata_fd.c). */
struct file *ktrace_abi_metadata_open(const struct ktrace_open_metadata *req);

/* Consumer fds (consumer_fd.c). */
struct file *ktrace_abi_consumer_open(const struct ktrace_open_consumer *req);

#if IS_ENABLED(CONFIG_KUNIT)
/* /dev/ktrace (dev.c), for the KUnit suite. */
long ktrace_abi_dev_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg);
#endif

#endif /* _KTRACE_ABI_INTERNAL_H */
