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
int cmd_create(struct ktracectl_ctx *ctx)
{
	const struct cli_create *a = ctx->args;
	struct ktnl_output out;
	int ret;

	ret = ktnl_session_new(ctx->nl, a->name, a->snapshot ?
			       KTRACE_SESSION_MODE_SNAPSHOT :
			       KTRACE_SESSION_MODE_NORMAL, NULL);
	if (ret)
		return ktracectl_nl_err(ctx->nl, ret, "%s", a->name);
	if (a->output) {
		ret = ktracectl_add_output(ctx->nl, a->name, NULL, a->output, 0,
					   &out);
		if (ret) {
			/* All or nothing: the reason is set already. */
			ktnl_session_del(ctx->nl, a->name);
			return ret;
		}
	}
	printf("Session %s created (%s mode).\n", a->name,
	       a->snapshot ? "snapshot" : "normal");
	if (a->output)
		ktracectl_print_output("Snapshot output ", &out);
	return 0;
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

/* ktracectl destroy [NAME | --all]: the session only without --all. */
int cmd_destroy(struct ktracectl_ctx *ctx)
{
	const struct cli_session_arg *a = ctx->args;
	char name[KTRACE_NAME_LEN + 1];
	int ret;

	if (a->all)
		return destroy_all(ctx->nl);
	ret = ktracectl_session(ctx->nl, a->session, name);
	if (ret)
		return ret;
	ret = ktnl_session_del(ctx->nl, name);
	if (ret)
		return ktracectl_nl_err(ctx->nl, ret, "%s", name);
	printf("Session %s destroyed.\n", name);
	return 0;
}

static int start_stop(struct ktracectl_ctx *ctx, int start)
{
	int ret;

	ret = start ? ktnl_start(ctx->nl, ctx->session) :
		      ktnl_stop(ctx->nl, ctx->session);
	if (ret)
		return ktracectl_nl_err(ctx->nl, ret, "%s", ctx->session);
	printf("Tracing %s for session %s.\n", start ? "started" : "stopped",
	       ctx->session);
	return 0;
}

/* ktracectl start [NAME] */
int cmd_start(struct ktracectl_ctx *ctx)
{
	return start_stop(ctx, 1);
}

/* ktracectl stop [NAME] */
int cmd_stop(struct ktracectl_ctx *ctx)
{
	return start_stop(ctx, 0);
}
