// SPDX-License-Identifier: GPL-2.0
/*
 * Context commands: add-context.
 */
#include <errno.h>
#include <stdio.h>

#include "cli.h"
#include "ktracectl.h"
#include "nl.h"

/* ktracectl add-context [-s S] [-c CHAN] -t TYPE [-t TYPE...] */
int cmd_add_context(struct ktracectl_ctx *ctx)
{
	const struct cli_context *a = ctx->args;
	const char *type;
	size_t i;
	int ret;

	/* In order; the first refusal stops, those before it stay added. */
	for (i = 0; i < a->types.nr; i++) {
		type = cli_context_name(a->types.type[i]);
		ret = ktnl_context_add(ctx->nl, ctx->session, a->channel,
				       a->types.type[i]);
		if (ret)
			return ktracectl_nl_err(ctx->nl, ret, "%s",
						ktracectl_blamed(ctx->nl,
								 ctx->session,
								 a->channel,
								 type));
		printf("Context %s added to channel %s of session %s.\n", type,
		       a->channel ? a->channel : "channel0", ctx->session);
	}
	return 0;
}
