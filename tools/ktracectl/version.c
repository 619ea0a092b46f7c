// SPDX-License-Identifier: GPL-2.0
/*
 * ktracectl version: this tool's version and ABI, the loaded module's
 * (sysfs and KTRACE_IOC_API), and a warning on stderr when they disagree
 * (version_fmt.c).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <ktrace.h>

#include "ktracectl.h"
#include "version.h"

/* MODULE_VERSION of the loaded module. */
#define KTRACE_SYSFS_VERSION "/sys/module/ktrace/version"

int cmd_version(struct ktracectl_ctx *ctx)
{
	struct ktrace_api api = { .size = sizeof(api) };
	struct ktracectl_versions v = {
		.tool = KTRACECTL_VERSION,
		.tool_abi = KTRACE_ABI_VERSION,
		.module_abi = -1,
	};
	char module[64];
	int fd, ret = 0;

	(void)ctx;
	/* Opening the device first loads the module where it is installed. */
	fd = ktracectl_dev_open();
	if (fd >= 0) {
		if (ioctl(fd, KTRACE_IOC_API, &api) < 0) {
			ret = -errno;
			ktracectl_set_err("KTRACE_IOC_API: %s", strerror(errno));
		} else {
			v.module_abi = (int)api.abi_version;
			v.features = api.features;
		}
		close(fd);
	} else {
		ret = fd;
	}
	if (!ktracectl_read_version(KTRACE_SYSFS_VERSION, module, sizeof(module)))
		v.module = module;
	ktracectl_version_print(stdout, stderr, &v);
	return ret;
}
