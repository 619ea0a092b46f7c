// SPDX-License-Identifier: GPL-2.0
/*
 * ktracectl view [PATH | -s NAME]: babeltrace2 on a trace, or on a
 * session's latest output (as lttng view): a normal session's trace
 * output, or the newest snapshot in a snapshot session's first output.
 * $KTRACE_BABELTRACE names another viewer.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "consumer.h"
#include "ktracectl.h"
#include "net_output.h"
#include "nl.h"

/* The newest directory in @dir (by modification time), into @out. */
static int newest_dir(const char *dir, char *out, size_t len)
{
	char path[PATH_MAX + 256];
	struct timespec best = { 0, 0 };
	struct dirent *d;
	struct stat st;
	DIR *dp;
	int found = 0;

	dp = opendir(dir);
	if (!dp)
		return -errno;
	while ((d = readdir(dp))) {
		if (d->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
				     d->d_name) >= len)
			continue;
		if (stat(path, &st) || !S_ISDIR(st.st_mode))
			continue;
		if (found && (st.st_mtim.tv_sec < best.tv_sec ||
			      (st.st_mtim.tv_sec == best.tv_sec &&
			       st.st_mtim.tv_nsec <= best.tv_nsec)))
			continue;
		best = st.st_mtim;
		memcpy(out, path, strlen(path) + 1);
		found = 1;
	}
	closedir(dp);
	return found ? 0 : -ENOENT;
}

static int session_trace(const char *given, char *path, size_t len)
{
	char name[KTRACE_NAME_LEN + 1], dest[KTRACE_DEST_LEN + 1];
	struct ktnl_session s;
	struct ktnl nl;
	int ret;

	ret = ktracectl_connect(&nl);
	if (ret)
		return ret;
	ret = ktracectl_session(&nl, given, name);
	if (!ret)
		ret = ktnl_session_get(&nl, name, &s);
	if (ret) {
		if (ret != -EINVAL)
			ktracectl_nl_err(&nl, ret, "%s", given ? given : "");
		ktnl_close(&nl);
		return ret;
	}
	free(s.channels);
	ret = consumer_trace_output(&nl, name, dest, sizeof(dest));
	ktnl_close(&nl);
	if (ret == -ENOENT) {
		ktracectl_set_err("session %s has no output: there is no trace to view",
				  name);
		return ret;
	}
	if (ret)
		return ret;
	if (consumer_dest_is_net(dest)) {
		char host[RELAY_NAME_MAX + 1];

		net_output_hostname(host, sizeof(host));
		ktracectl_set_err("session %s sends its trace to %s: it is on that host, under ktrace-relayd's output directory, in %s/%s/",
				  name, dest, host, name);
		return -EREMOTE;
	}
	if (s.mode != KTRACE_SESSION_MODE_SNAPSHOT) {
		snprintf(path, len, "%s", dest);
		return 0;
	}
	ret = newest_dir(dest, path, len);
	if (ret)
		ktracectl_set_err("session %s has no snapshot in %s yet: record one with ktracectl snapshot",
				  name, dest);
	return ret;
}

int cmd_view(struct ktracectl_ctx *ctx)
{
	static const struct option opts[] = {
		{ "session", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	const char *viewer = getenv("KTRACE_BABELTRACE");
	const char *session = NULL, *path = NULL;
	char trace[PATH_MAX];
	char **argv = ctx->argv;
	int c, ret;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(ctx->argc, argv, ":s:", opts, NULL)) != -1) {
		if (c == 's' && cli_name_valid(optarg)) {
			session = optarg;
			continue;
		}
		if (c == 's')
			ktracectl_usage_err("invalid session name '%s'", optarg);
		else
			ktracectl_usage_err("unknown option '%s'",
					    argv[optind - 1]);
		return -EINVAL;
	}
	if (optind < ctx->argc)
		path = argv[optind++];
	if (optind < ctx->argc) {
		ktracectl_usage_err("unexpected argument '%s'", argv[optind]);
		return -EINVAL;
	}
	if (path && session) {
		ktracectl_usage_err("give a PATH or -s NAME, not both");
		return -EINVAL;
	}
	if (!path) {
		ret = session_trace(session, trace, sizeof(trace));
		if (ret)
			return ret;
		path = trace;
	}
	if (access(path, R_OK)) {
		ktracectl_set_err("%s: %s", path, strerror(errno));
		return -errno;
	}
	if (!viewer || !*viewer)
		viewer = "babeltrace2";
	fflush(stdout);
	execlp(viewer, viewer, path, (char *)NULL);
	ktracectl_set_err("cannot run %s: %s (install babeltrace2)", viewer,
			  strerror(errno));
	return -errno;
}
