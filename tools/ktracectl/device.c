// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/ktrace: opening it and the commands that only need it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <ktrace.h>

#include "ktracectl.h"

/**
 * ktracectl_dev_open() - open /dev/ktrace
 *
 * Return: the fd, or a negative errno with the reason set.
 */
int ktracectl_dev_open(void)
{
	int fd = open(KTRACE_DEVICE_PATH, O_RDWR | O_CLOEXEC);

	if (fd >= 0)
		return fd;
	if (errno == ENOENT)
		ktracectl_set_not_loaded();
	else if (errno == EPERM)	/* the module's capability check */
		ktracectl_set_err("%s: ktrace needs CAP_PERFMON or CAP_SYS_ADMIN",
				  KTRACE_DEVICE_PATH);
	else
		ktracectl_set_err("%s: %s", KTRACE_DEVICE_PATH, strerror(errno));
	return -errno;
}

/* ktracectl version: this tool's version and what the module supports. */
int cmd_version(struct ktracectl_ctx *ctx)
{
	struct ktrace_api api = { .size = sizeof(api) };
	int fd, ret = 0;

	(void)ctx;
	printf("ktracectl %s\n", KTRACECTL_VERSION);
	fd = ktracectl_dev_open();
	if (fd < 0)
		return fd;
	if (ioctl(fd, KTRACE_IOC_API, &api) < 0) {
		ret = -errno;
		ktracectl_set_err("KTRACE_IOC_API: %s", strerror(errno));
	} else {
		printf("module ABI %u (ktracectl built for %u), features 0x%llx\n",
		       api.abi_version, KTRACE_ABI_VERSION,
		       (unsigned long long)api.features);
	}
	close(fd);
	return ret;
}
