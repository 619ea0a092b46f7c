// SPDX-License-Identifier: GPL-2.0
/*
 * Channel commands: enable-channel.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ktracectl.h"
#include "nl.h"

/* ktracectl enable-channel [-s S] [options] NAME */
int cmd_enable_channel(struct ktracectl_ctx *ctx)
{
	const struct cli_channel *a = ctx->args;
	const struct ktnl_channel_attr attr = {
		.name = a->name,
		.mode = a->mode,
		.subbuf_size = a->subbuf_size,
		.num_subbuf = a->num_subbuf,
		.switch_timer_us = a->switch_timer_us,
		.output = a->output,
	};
	struct ktnl_channel *channels;
	char desc[256];
	size_t n, i;
	uint32_t id;
	int ret;

	ret = ktnl_channel_new(ctx->nl, ctx->session, &attr, &id);
	if (ret)
		return ktracectl_nl_err(ctx->nl, ret, "%s",
					ktracectl_blamed(ctx->nl, ctx->session,
							 NULL, a->name));
	printf("Channel %s created in session %s", a->name, ctx->session);
	/* What the module made of the defaults. */
	if (!ktnl_channel_list(ctx->nl, ctx->session, &channels, &n)) {
		for (i = 0; i < n; i++) {
			if (channels[i].id != id)
				continue;
			cli_format_channel(desc, sizeof(desc), channels[i].mode,
					   channels[i].subbuf_size,
					   channels[i].num_subbuf,
					   channels[i].output,
					   channels[i].switch_timer_us);
			printf(": %s", desc);
		}
		free(channels);
	}
	printf(".\n");
	return 0;
}
