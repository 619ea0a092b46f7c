// SPDX-License-Identifier: GPL-2.0
/*
 * Channel commands: enable-channel, disable-channel.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ktracectl.h"
#include "nl.h"

/* enable-channel of an existing channel, disable-channel. */
static int set_enabled(struct ktracectl_ctx *ctx, int enable)
{
	const struct cli_channel *a = ctx->args;
	int ret;

	ret = ktnl_channel_set_enabled(ctx->nl, ctx->session, a->name, enable);
	if (ret)
		return ktracectl_nl_err(ctx->nl, ret, "%s",
					ktracectl_blamed(ctx->nl, ctx->session,
							 NULL, a->name));
	printf("Channel %s %s in session %s.\n", a->name,
	       enable ? "enabled" : "disabled", ctx->session);
	return 0;
}

static int is_disabled(struct ktracectl_ctx *ctx)
{
	const struct cli_channel *a = ctx->args;
	struct ktnl_channel *channels;
	size_t n, i;
	int disabled = 0;

	if (ktnl_channel_list(ctx->nl, ctx->session, &channels, &n))
		return 0;
	for (i = 0; i < n; i++)
		if (!strcmp(channels[i].name, a->name))
			disabled = !channels[i].enabled;
	free(channels);
	return disabled;
}

/* The streaming attributes that are set, after the geometry. */
static void print_streaming(const struct ktnl_channel *c)
{
	char size[32];

	if (c->read_timer_us)
		printf(", read timer %u us", c->read_timer_us);
	if (c->tracefile_size) {
		ktracectl_format_size(c->tracefile_size, size, sizeof(size));
		printf(", trace files of at most %s", size);
	}
	if (c->tracefile_count)
		printf(", %u kept", c->tracefile_count);
}

/* ktracectl disable-channel [-s S] NAME */
int cmd_disable_channel(struct ktracectl_ctx *ctx)
{
	return set_enabled(ctx, 0);
}

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
		.read_timer_us = a->read_timer_us,
		.tracefile_size = a->tracefile_size,
		.tracefile_count = a->tracefile_count,
	};
	struct ktnl_channel *channels;
	char desc[256];
	size_t n, i;
	uint32_t id;
	int ret;

	ret = ktnl_channel_new(ctx->nl, ctx->session, &attr, &id);
	if (ret) {
		ret = ktracectl_nl_err(ctx->nl, ret, "%s",
				       ktracectl_blamed(ctx->nl, ctx->session,
							NULL, a->name));
		/* An existing disabled channel, named alone: enabled. */
		if (ret == -EEXIST && !a->mode && !a->subbuf_size &&
		    !a->num_subbuf && !a->switch_timer_us && !a->output &&
		    !a->read_timer_us && !a->tracefile_size &&
		    !a->tracefile_count && is_disabled(ctx))
			return set_enabled(ctx, 1);
		return ret;
	}
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
			print_streaming(&channels[i]);
		}
		free(channels);
	}
	printf(".\n");
	return 0;
}
