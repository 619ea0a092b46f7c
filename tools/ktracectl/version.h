/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KTRACECTL_VERSION_H
#define KTRACECTL_VERSION_H

#include <stdio.h>

/* What ktracectl version compares: this tool's and the loaded module's. */
struct ktracectl_versions {
	const char *tool;		/* KTRACECTL_VERSION */
	unsigned int tool_abi;		/* KTRACE_ABI_VERSION it was built with */
	const char *module;		/* /sys/module/ktrace/version; NULL: unknown */
	int module_abi;			/* KTRACE_IOC_API's; -1: unknown */
	unsigned long long features;	/* KTRACE_IOC_API's, with module_abi */
};

/*
 * version_fmt.c, pure and unit-tested on the host.
 *
 * ktracectl_version_print() prints the versions of @v on @out, and on @err
 * one "ktracectl: warning: ..." line per disagreement that matters: the
 * module's ABI is not the one ktracectl was built for, or the module's
 * version is not ktracectl's. Returns the number of warnings.
 */
int ktracectl_version_print(FILE *out, FILE *err,
			    const struct ktracectl_versions *v);

/*
 * ktracectl_read_version() reads the one-line version file @path (a
 * module's sysfs "version") into @buf without its newline. Returns 0, or a
 * negative errno (-ENOENT: no such file, -EINVAL: empty or too long).
 */
int ktracectl_read_version(const char *path, char *buf, size_t len);

#endif /* KTRACECTL_VERSION_H */
