// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/ktrace: opening it, with the reason when that fails.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>

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
