// SPDX-License-Identifier: GPL-2.0
/*
 * Connecting a net:// output (net_output.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net_output.h"
#include "relay_proto.h"
#include "snapshot_path.h"

#define RELAY_TOKEN_DEFAULT	"/etc/ktrace/relay.token"
#define RELAY_TIMEOUT_DEFAULT	10

static int timeout_ms(void)
{
	const char *s = getenv("KTRACE_RELAY_TIMEOUT");
	long v = s ? strtol(s, NULL, 10) : 0;

	return (v > 0 && v < 3600 ? v : RELAY_TIMEOUT_DEFAULT) * 1000;
}

void net_output_hostname(char *buf, size_t len)
{
	char host[256];
	size_t i;

	if (gethostname(host, sizeof(host)))
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	host[strcspn(host, ".")] = '\0';
	host[RELAY_NAME_MAX] = '\0';
	for (i = 0; host[i]; i++)
		if (!relay_name_valid(host + i, 1, 1))
			host[i] = '_';
	snprintf(buf, len, "%s", host[0] ? host : "localhost");
}

int net_output_connect(struct relay_client *c, const char *dest, bool stream,
		       char *why, size_t len)
{
	uint8_t token[RELAY_TOKEN_MAX];
	const char *file = getenv("KTRACE_RELAY_TOKEN_FILE"), *reason = NULL;
	char host[256];
	size_t token_len = 0;
	bool have_token;
	uint16_t port;
	int ret;

	c->fd = -1;
	ret = snapshot_path_net(dest, host, sizeof(host), &port, &reason);
	if (ret <= 0) {
		snprintf(why, len, "%s", reason ? reason : "not a net:// output");
		return ret ? ret : -EINVAL;
	}
	if (!file || !file[0])
		file = RELAY_TOKEN_DEFAULT;
	ret = relay_token_load(file, token, &token_len, &reason);
	have_token = !ret;
	/* No file is fine for an --insecure receiver; a bad one is not. */
	if (ret && ret != -ENOENT) {
		snprintf(why, len, "token file %s: %s", file, reason);
		return ret;
	}
	ret = (stream ? relay_client_connect_stream : relay_client_connect)
		(c, host, port, have_token ? token : NULL, token_len,
		 timeout_ms());
	explicit_bzero(token, sizeof(token));
	if (ret && !have_token && ret == -EACCES)
		snprintf(why, len, "%s: no token file %s (KTRACE_RELAY_TOKEN_FILE)",
			 c->err, file);
	else if (ret)
		snprintf(why, len, "%s", c->err);
	return ret;
}

const char *net_output_reason(int err)
{
	switch (err) {
	case ECONNREFUSED:
		return "connection refused";
	case EACCES:
		return "authentication failed";
	case ENOSPC:
		return "receiver full";
	case ETIMEDOUT:
		return "timed out";
	case EPIPE:
	case ECONNRESET:
		return "connection lost";
	case EPROTO:
		return "refused by the receiver (protocol error)";
	}
	return strerror(err);
}
