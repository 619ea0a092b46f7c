// SPDX-License-Identifier: GPL-2.0
/*
 * Why a command failed. Only main() prints it, as
 * "ktracectl: <command>: <reason>"; the kind of the error, set with its
 * reason, gives the exit code (README.md: exit codes).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ktracectl.h"
#include "nl.h"

static struct {
	char reason[1024];
	enum ktracectl_exit exit;
} last_err = { "", KTRACECTL_EXIT_FAIL };

static void set_err(enum ktracectl_exit exit, const char *fmt, va_list ap)
{
	vsnprintf(last_err.reason, sizeof(last_err.reason), fmt, ap);
	last_err.exit = exit;
}

void ktracectl_set_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_err(KTRACECTL_EXIT_FAIL, fmt, ap);
	va_end(ap);
}

void ktracectl_usage_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_err(KTRACECTL_EXIT_USAGE, fmt, ap);
	va_end(ap);
}

void ktracectl_set_not_loaded(void)
{
	snprintf(last_err.reason, sizeof(last_err.reason), "%s",
		 KTRACECTL_NOT_LOADED);
	last_err.exit = KTRACECTL_EXIT_NO_MODULE;
}

enum ktracectl_exit ktracectl_err_report(const char *command, int err)
{
	fflush(stdout);
	fprintf(stderr, "ktracectl: %s: %s\n", command,
		last_err.reason[0] ? last_err.reason : strerror(-err));
	return last_err.exit;
}

int ktracectl_nl_err(const struct ktnl *nl, int err, const char *fmt, ...)
{
	const char *msg = ktnl_errmsg(nl);
	char what[512] = "";
	va_list ap;

	/* "Permission denied" is about the caller, not about an object. */
	if (fmt && err != -EPERM) {
		va_start(ap, fmt);
		vsnprintf(what, sizeof(what), fmt, ap);
		va_end(ap);
	}
	/*
	 * Linux 6.1 drops the extended ack of a dump refused at its start:
	 * say what the module says when it refuses anything else.
	 */
	if (!msg[0] && err == -EPERM)
		msg = "ktrace needs CAP_PERFMON or CAP_SYS_ADMIN";
	ktracectl_set_err("%s%s%s", what, what[0] ? ": " : "",
			  msg[0] ? msg : strerror(-err));
	return err;
}
