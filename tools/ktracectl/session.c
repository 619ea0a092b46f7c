// SPDX-License-Identifier: GPL-2.0
/*
 * Session commands: create, destroy, start, stop.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "ktracectl.h"
#include "nl.h"

/* ktracectl create NAME [--snapshot] [-o PATH] */
int cmd_create(int argc, char **argv)
{
	struct ktnl_output out;
	struct cli_create a;
	struct ktnl nl;
	int ret;

	ret = cli_parse_create(argc, argv, &a);
	if (ret)
		return ret;
	ret = ktracectl_connect(&nl);
	if (ret)
		return ret;
	ret = ktnl_session_new(&nl, a.name, a.snapshot ?
			       KTRACE_SESSION_MODE_SNAPSHOT :
			       KTRACE_SESSION_MODE_NORMAL, NULL);
	if (ret) {
		ktracectl_nl_err(&nl, ret, "%s", a.name);
		goto out_close;
	}
	if (a.output) {
		ret = ktracectl_add_output(&nl, a.name, NULL, a.output, 0, &out);
		if (ret) {
			/* All or nothing: the reason is set already. */
			ktnl_session_del(&nl, a.name);
			goto out_close;
		}
	}
	printf("Session %s created (%s mode).\n", a.name,
	       a.snapshot ? "snapshot" : "normal");
	if (a.output)
		ktracectl_print_output("Snapshot output ", &out);
out_close:
	ktnl_close(&nl);
	return ret;
}

static int destroy_all(struct ktnl *nl)
{
	struct ktnl_session *sessions;
	size_t n, i;
	int ret, first = 0;

	ret = ktnl_session_list(nl, &sessions, &n);
	if (ret)
		return ktracectl_nl_err(nl, ret, NULL);
	if (!n)
		printf("No sessions to destroy.\n");
	/* Every session it can: the first failure is the one reported. */
	for (i = 0; i < n; i++) {
		ret = ktnl_session_del(nl, sessions[i].name);
		if (!ret) {
			printf("Session %s destroyed.\n", sessions[i].name);
		} else if (!first) {
			first = ktracectl_nl_err(nl, ret, "%s", sessions[i].name);
		}
	}
	ktnl_session_free(sessions, n);
	return first;
}

/* ktracectl destroy [NAME | --all] */
int cmd_destroy(int argc, char **argv)
{
	char name[KTRACE_NAME_LEN + 1];
	struct cli_session_arg a;
	struct ktnl nl;
	int ret;

	ret = cli_parse_session_arg(argc, argv, 1, &a);
	if (ret)
		return ret;
	ret = ktracectl_connect(&nl);
	if (ret)
		return ret;
	if (a.all) {
		ret = destroy_all(&nl);
		goto out_close;
	}
	ret = ktracectl_session(&nl, a.session, name);
	if (ret)
		goto out_close;
	ret = ktnl_session_del(&nl, name);
	if (ret)
		ktracectl_nl_err(&nl, ret, "%s", name);
	else
		printf("Session %s destroyed.\n", name);
out_close:
	ktnl_close(&nl);
	return ret;
}

static int start_stop(int argc, char **argv, int start)
{
	char name[KTRACE_NAME_LEN + 1];
	struct cli_session_arg a;
	struct ktnl nl;
	int ret;

	ret = cli_parse_session_arg(argc, argv, 0, &a);
	if (ret)
		return ret;
	ret = ktracectl_connect(&nl);
	if (ret)
		return ret;
	ret = ktracectl_session(&nl, a.session, name);
	if (ret)
		goto out_close;
	ret = start ? ktnl_start(&nl, name) : ktnl_stop(&nl, name);
	if (ret)
		ktracectl_nl_err(&nl, ret, "%s", name);
	else
		printf("Tracing %s for session %s.\n",
		       start ? "started" : "stopped", name);
out_close:
	ktnl_close(&nl);
	return ret;
}

/* ktracectl start [NAME] */
int cmd_start(int argc, char **argv)
{
	return start_stop(argc, argv, 1);
}

/* ktracectl stop [NAME] */
int cmd_stop(int argc, char **argv)
{
	return start_stop(argc, argv, 0);
}
