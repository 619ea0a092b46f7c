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
int cmd_add_context(int argc, char **argv)
{
	char session[KTRACE_NAME_LEN + 1];
	struct cli_context a;
	struct ktnl nl;
	size_t i;
	int ret;

	ret = cli_parse_context(argc, argv, &a);
	if (ret)
		return ret;
	ret = ktracectl_connect(&nl);
	if (ret)
		return ret;
	ret = ktracectl_session(&nl, a.session, session);
	/* In order; the first refusal stops, those before it stay added. */
	for (i = 0; !ret && i < a.nr_types; i++) {
		const char *type = cli_context_name(a.types[i]);

		ret = ktnl_context_add(&nl, session, a.channel, a.types[i]);
		if (ret)
			ktracectl_nl_err(&nl, ret, "%s",
					 ktracectl_blamed(&nl, session, a.channel,
							  type));
		else
			printf("Context %s added to channel %s of session %s.\n",
			       type, a.channel ? a.channel : "channel0",
			       session);
	}
	ktnl_close(&nl);
	return ret;
}
