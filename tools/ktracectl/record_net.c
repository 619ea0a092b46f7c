// SPDX-License-Identifier: GPL-2.0
/*
 * snapshot record's network sink (record_internal.h): a snapshot whose
 * output is net://HOST[:PORT] goes to ktrace-relayd (docs/RELAY.md)
 * instead of a directory. The same files and bytes as a local output:
 * kernel/metadata, then kernel/<channel>_<cpu> packet after packet, then
 * a commit that the receiver acknowledges once the snapshot is whole on
 * its disk. Any failure names the output and the reason, in one line.
 *
 * The token: the file $KTRACE_RELAY_TOKEN_FILE, else /etc/ktrace/relay.token;
 * none needed if the receiver runs --insecure. Each send or receive gives
 * up after KTRACE_RELAY_TIMEOUT seconds (default 10).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "record_internal.h"
#include "relay_client.h"
#include "snapshot_path.h"

#define RELAY_TOKEN_DEFAULT	"/etc/ktrace/relay.token"
#define RELAY_TIMEOUT_DEFAULT	10

bool rec_output_is_net(const struct rec_output *o)
{
	char host[256];
	uint16_t port;

	return snapshot_path_net(o->dest, host, sizeof(host), &port, NULL) > 0;
}

static int net_fail(struct rec_snap *sn, int err)
{
	return rec_fail(err, "output '%s' (%s): %s", sn->out->name,
			sn->out->dest, sn->net->err);
}

static int timeout_ms(void)
{
	const char *s = getenv("KTRACE_RELAY_TIMEOUT");
	long v = s ? strtol(s, NULL, 10) : 0;

	return (v > 0 && v < 3600 ? v : RELAY_TIMEOUT_DEFAULT) * 1000;
}

int net_snap_begin(struct rec *r, struct rec_snap *sn)
{
	uint8_t token[RELAY_TOKEN_MAX];
	const char *file = getenv("KTRACE_RELAY_TOKEN_FILE"), *why = NULL;
	char host[256], hostname[256], snap[RELAY_SNAPSHOT_NAME_MAX + 1];
	size_t token_len = 0, i;
	bool have_token;
	uint16_t port;
	int ret;

	ret = snapshot_path_net(sn->out->dest, host, sizeof(host), &port, &why);
	if (ret >= 0)
		ret = snapshot_path_name(snap, sizeof(snap), sn->out->name,
					 &r->tm, r->n, &why);
	if (ret < 0)
		return rec_fail(ret, "output '%s' (%s): %s", sn->out->name,
				sn->out->dest, why);
	if (gethostname(hostname, sizeof(hostname)))
		snprintf(hostname, sizeof(hostname), "localhost");
	hostname[sizeof(hostname) - 1] = '\0';
	/* A name the receiver takes: its first label, cut to 64. */
	hostname[strcspn(hostname, ".")] = '\0';
	hostname[RELAY_NAME_MAX] = '\0';
	for (i = 0; hostname[i]; i++)
		if (!relay_name_valid(hostname + i, 1, 1))
			hostname[i] = '_';
	if (!hostname[0])
		snprintf(hostname, sizeof(hostname), "localhost");

	if (!file || !file[0])
		file = RELAY_TOKEN_DEFAULT;
	ret = relay_token_load(file, token, &token_len, &why);
	have_token = !ret;
	/* No file is fine for an --insecure receiver; a bad one is not. */
	if (ret && ret != -ENOENT)
		return rec_fail(ret, "output '%s' (%s): token file %s: %s",
				sn->out->name, sn->out->dest, file, why);

	sn->net = calloc(1, sizeof(*sn->net));
	if (!sn->net)
		return rec_fail(-ENOMEM, "out of memory");
	sn->net->fd = -1;
	snprintf(sn->dir, sizeof(sn->dir), "%s", sn->out->dest);
	snprintf(sn->kdir, sizeof(sn->kdir), "%s", sn->out->dest);
	ret = relay_client_connect(sn->net, host, port,
				   have_token ? token : NULL, token_len,
				   timeout_ms());
	explicit_bzero(token, sizeof(token));
	if (!ret)
		ret = relay_client_begin(sn->net, hostname, r->sess.name, snap);
	if (ret && !have_token && ret == -EACCES)
		return rec_fail(ret, "output '%s' (%s): %s: no token file %s (KTRACE_RELAY_TOKEN_FILE)",
				sn->out->name, sn->out->dest, sn->net->err,
				file);
	return ret ? net_fail(sn, ret) : 0;
}

int net_file_open(struct rec_snap *sn, const char *file)
{
	int ret = relay_client_open(sn->net, file);

	return ret ? net_fail(sn, ret) : sn->net->fd;
}

int net_write(struct rec_snap *sn, const void *buf, size_t len)
{
	int ret = relay_client_write(sn->net, buf, len);

	return ret ? net_fail(sn, ret) : 0;
}

int net_copy_pipe(struct rec_snap *sn, size_t len)
{
	int ret = relay_client_copy_fd(sn->net, sn->pipe[0], len);

	return ret ? net_fail(sn, ret) : 0;
}

int net_file_close(struct rec_snap *sn)
{
	int ret = relay_client_close_file(sn->net);

	return ret ? net_fail(sn, ret) : 0;
}

int net_commit(struct rec_snap *sn)
{
	char where[PATH_MAX / 2];
	const char *host;
	int ret = relay_client_commit(sn->net, where, sizeof(where));

	if (ret)
		return net_fail(sn, ret);
	/* Where the summary says it went: net://HOST[:PORT]/<its path>. */
	host = strstr(sn->out->dest, "://") + 3;
	snprintf(sn->dir, sizeof(sn->dir), "%.*s/%s",
		 (int)(host - sn->out->dest + strcspn(host, "/")),
		 sn->out->dest, where);
	return 0;
}

void net_end(struct rec_snap *sn)
{
	if (!sn->net)
		return;
	relay_client_close(sn->net);
	free(sn->net);
	sn->net = NULL;
}
