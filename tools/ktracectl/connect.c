// SPDX-License-Identifier: GPL-2.0
/*
 * What every command that talks to the module needs: the connection to
 * the generic netlink family, and the session the command works on.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "ktracectl.h"
#include "nl.h"

/**
 * ktracectl_connect() - connect to the module's generic netlink family
 * @nl: the connection to set up; close it with ktnl_close().
 *
 * The family is missing when the module is not loaded; /dev/ktrace tells
 * that apart from a module too old to have the family.
 *
 * Return: 0, or a negative errno with the reason set (exit code 3 when the
 * module is not loaded).
 */
int ktracectl_connect(struct ktnl *nl)
{
	int ret = ktnl_open(nl);

	if (!ret)
		return 0;
	if (ret == -ENOENT) {
		if (access(KTRACE_DEVICE_PATH, F_OK) && errno == ENOENT)
			ktracectl_set_not_loaded();
		else
			ktracectl_set_err("the loaded ktrace module has no generic netlink family '%s': it is older than this ktracectl",
					  KTRACE_GENL_NAME);
		return ret;
	}
	return ktracectl_nl_err(nl, ret, NULL);
}

/**
 * ktracectl_session() - the session a command works on
 * @nl: the connection.
 * @given: the name given with -s (or as NAME), or NULL.
 * @name: receives the session's name.
 *
 * Without @given, the only session; it is an error when there is none or
 * there are several (the message names them).
 *
 * Return: 0, or a negative errno with the reason set.
 */
int ktracectl_session(struct ktnl *nl, const char *given,
		      char name[KTRACE_NAME_LEN + 1])
{
	struct ktnl_session *sessions;
	const char **names;
	const char *pick;
	size_t n, i;
	int ret;

	if (given) {
		snprintf(name, KTRACE_NAME_LEN + 1, "%s", given);
		return 0;
	}
	ret = ktnl_session_list(nl, &sessions, &n);
	if (ret)
		return ktracectl_nl_err(nl, ret, NULL);
	names = calloc(n ? n : 1, sizeof(*names));
	if (!names) {
		ktnl_session_free(sessions, n);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++)
		names[i] = sessions[i].name;
	ret = cli_pick_session(names, n, &pick);
	if (!ret)
		snprintf(name, KTRACE_NAME_LEN + 1, "%s", pick);
	free(names);
	ktnl_session_free(sessions, n);
	return ret;
}

/**
 * ktracectl_blamed() - what a refusal is about, for its message
 * @nl: the connection, after the refusal.
 * @session: the session the request named.
 * @channel: the channel it named, or NULL.
 * @what: what the request was about otherwise (an event, a context type).
 *
 * Return: @session or @channel when the kernel blamed its attribute
 * ("nosuch: session not found", "chan: channel not found"), else @what.
 */
const char *ktracectl_blamed(const struct ktnl *nl, const char *session,
			     const char *channel, const char *what)
{
	switch (ktnl_err_attr(nl)) {
	case KTRACE_ATTR_SESSION_NAME:
	case KTRACE_ATTR_SESSION_ID:
		return session;
	case KTRACE_ATTR_CHANNEL_NAME:
	case KTRACE_ATTR_CHANNEL_ID:
		return channel ? channel : what;
	}
	return what;
}
