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
int cmd_enable_channel(int argc, char **argv)
{
	char session[KTRACE_NAME_LEN + 1], desc[256];
	struct ktnl_channel_attr attr;
	struct ktnl_channel *channels;
	struct cli_channel a;
	struct ktnl nl;
	size_t n, i;
	uint32_t id;
	int ret;

	ret = cli_parse_channel(argc, argv, &a);
	if (ret)
		return ret;
	ret = ktracectl_connect(&nl);
	if (ret)
		return ret;
	ret = ktracectl_session(&nl, a.session, session);
	if (ret)
		goto out_close;
	attr = (struct ktnl_channel_attr) {
		.name = a.name,
		.mode = a.mode,
		.subbuf_size = a.subbuf_size,
		.num_subbuf = a.num_subbuf,
		.switch_timer_us = a.switch_timer_us,
		.output = a.output,
	};
	ret = ktnl_channel_new(&nl, session, &attr, &id);
	if (ret) {
		ktracectl_nl_err(&nl, ret, "%s",
				 ktracectl_blamed(&nl, session, NULL, a.name));
		goto out_close;
	}
	printf("Channel %s created in session %s", a.name, session);
	/* What the module made of the defaults. */
	if (!ktnl_channel_list(&nl, session, &channels, &n)) {
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
out_close:
	ktnl_close(&nl);
	return ret;
}
