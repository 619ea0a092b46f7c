// SPDX-License-Identifier: GPL-2.0
/*
 * snapshot record's network sink (record_internal.h): a snapshot whose
 * output is net://HOST[:PORT] goes to ktrace-relayd (docs/RELAY.md)
 * instead of a directory. The same files and bytes as a local output:
 * kernel/metadata, then kernel/<channel>_<cpu> packet after packet, then
 * a commit that the receiver acknowledges once the snapshot is whole on
 * its disk. Any failure names the output and the reason, in one line.
 *
 * The token and the timeout: net_output.c's, as for a streaming session.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net_output.h"
#include "record_internal.h"
#include "relay_client.h"
#include "snapshot_path.h"

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

int net_snap_begin(struct rec *r, struct rec_snap *sn)
{
	char host[256], hostname[RELAY_NAME_MAX + 1], why[400];
	char snap[RELAY_SNAPSHOT_NAME_MAX + 1];
	const char *reason = NULL;
	uint16_t port;
	int ret;

	ret = snapshot_path_net(sn->out->dest, host, sizeof(host), &port, &reason);
	if (ret >= 0)
		ret = snapshot_path_name(snap, sizeof(snap), sn->out->name,
					 &r->tm, r->n, &reason);
	if (ret < 0)
		return rec_fail(ret, "output '%s' (%s): %s", sn->out->name,
				sn->out->dest, reason);
	net_output_hostname(hostname, sizeof(hostname));
	sn->net = calloc(1, sizeof(*sn->net));
	if (!sn->net)
		return rec_fail(-ENOMEM, "out of memory");
	sn->net->fd = -1;
	snprintf(sn->dir, sizeof(sn->dir), "%s", sn->out->dest);
	snprintf(sn->kdir, sizeof(sn->kdir), "%s", sn->out->dest);
	ret = net_output_connect(sn->net, sn->out->dest, false, why, sizeof(why));
	if (ret)
		return rec_fail(ret, "output '%s' (%s): %s", sn->out->name,
				sn->out->dest, why);
	ret = relay_client_begin(sn->net, hostname, r->sess.name, snap);
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
