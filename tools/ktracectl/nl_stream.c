// SPDX-License-Identifier: GPL-2.0
/*
 * ktracectl's netlink client (nl.h): the streaming commands of ABI 3:
 * STOP with its stop sequence, SESSION_CLEAR, CHANNEL_ENABLE/DISABLE.
 */
#include <errno.h>

#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>

#include "nl.h"
#include "nl_internal.h"

/**
 * ktnl_stop_seq() - stop a session, and learn its new stop sequence
 * @nl: the connection.
 * @session: its name.
 * @stop_seq: receives the STOP_SEQ of the reply (0 from a module before
 *	ABI 3, whose reply has none).
 *
 * Return: 0 or a negative errno (-EALREADY if it is not active).
 */
int ktnl_stop_seq(struct ktnl *nl, const char *session, uint64_t *stop_seq)
{
	struct nl_msg *msg;
	int ret;

	msg = ktnl_session_request(nl, KTRACE_CMD_STOP, 0, session, NULL);
	*stop_seq = 0;
	ret = ktnl_transact_pick(nl, msg, KTRACE_ATTR_STOP_SEQ, stop_seq);
	if (ret == -EPROTO && !*stop_seq) {
		/* An acknowledged stop without a sequence: an older module. */
		nl->errmsg[0] = '\0';
		return 0;
	}
	return ret;
}

/**
 * ktnl_session_clear() - discard what a session's buffers hold
 * @nl: the connection.
 * @session: its name.
 *
 * Return: 0 or a negative errno.
 */
int ktnl_session_clear(struct ktnl *nl, const char *session)
{
	return ktnl_send(nl, ktnl_session_request(nl, KTRACE_CMD_SESSION_CLEAR,
						  0, session, NULL),
			 NULL, NULL);
}

/**
 * ktnl_channel_set_enabled() - enable or disable a channel
 * @nl: the connection.
 * @session: the session's name.
 * @channel: the channel's name.
 * @enable: 1 to enable, 0 to disable.
 *
 * Return: 0 or a negative errno (-EALREADY when it already is).
 */
int ktnl_channel_set_enabled(struct ktnl *nl, const char *session,
			     const char *channel, int enable)
{
	return ktnl_send(nl, ktnl_session_request(nl, enable ?
						  KTRACE_CMD_CHANNEL_ENABLE :
						  KTRACE_CMD_CHANNEL_DISABLE,
						  0, session, channel),
			 NULL, NULL);
}
