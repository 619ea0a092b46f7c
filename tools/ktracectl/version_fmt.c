// SPDX-License-Identifier: GPL-2.0
/*
 * ktracectl version's output: the versions of ktracectl and of the loaded
 * module, and the warnings when they disagree. Pure: version.c gathers
 * what it prints.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "version.h"

int ktracectl_version_print(FILE *out, FILE *err,
			    const struct ktracectl_versions *v)
{
	int warnings = 0;

	fprintf(out, "ktracectl %s, ABI %u\n", v->tool, v->tool_abi);
	if (!v->module && v->module_abi < 0)
		return 0;
	fprintf(out, "module %s", v->module ? v->module : "(version unknown)");
	if (v->module_abi >= 0)
		fprintf(out, ", ABI %d, features 0x%llx", v->module_abi,
			v->features);
	fputc('\n', out);

	if (v->module_abi >= 0 && (unsigned int)v->module_abi != v->tool_abi) {
		fprintf(err,
			"ktracectl: warning: the module's ABI %d is not ktracectl's ABI %u: commands may be refused or misread; install ktracectl and the module from the same release\n",
			v->module_abi, v->tool_abi);
		warnings++;
	}
	if (v->module && strcmp(v->module, v->tool)) {
		fprintf(err,
			"ktracectl: warning: the module's version %s is not ktracectl's version %s\n",
			v->module, v->tool);
		warnings++;
	}
	return warnings;
}

int ktracectl_read_version(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return -errno;
	if (!fgets(buf, (int)len, f)) {
		fclose(f);
		return -EINVAL;
	}
	fclose(f);
	n = strlen(buf);
	if (n && buf[n - 1] == '\n')
		buf[--n] = '\0';
	else if (n == len - 1)
		return -EINVAL;		/* longer than @buf */
	return n ? 0 : -EINVAL;
}
