/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktrace-relayd: receives snapshots from ktracectl over TCP (docs/RELAY.md)
 * and writes them as a local output would. relayd.c is the program (its
 * options, the sockets, the poll() loop, the log); relayd_conn.c is one
 * sender's connection: the protocol's states and the files it writes.
 */
#ifndef KTRACE_RELAYD_H
#define KTRACE_RELAYD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "relay_proto.h"

struct relayd_conf {
	int out_fd;		/* the output directory */
	uint8_t token[RELAY_TOKEN_MAX];
	size_t token_len;
	bool insecure;
	uint64_t max_bytes;	/* per sender (connection) */
	uint64_t max_files;	/* per sender (connection) */
	int timeout_s;		/* a silent sender is dropped after this */
};

enum conn_state {
	CONN_HELLO,
	CONN_AUTH,
	CONN_READY,	/* authenticated, between snapshots */
	CONN_SNAP,	/* a snapshot begun, no file open */
	CONN_FILE,	/* a file open */
	CONN_DEAD,	/* refused: its input drained a while, then closed */
};

struct conn {
	int fd;
	char peer[64];
	enum conn_state state;
	bool broken;		/* a reply could not be sent */
	time_t refused;		/* CONN_DEAD since then, draining input */
	time_t last;
	/* The frame being read. */
	uint8_t hdr[RELAY_HDR_LEN];
	size_t hdr_have;
	uint16_t type;
	uint32_t len;
	uint8_t *payload;
	size_t cap;
	size_t have;
	uint8_t nonce[RELAY_NONCE_LEN];
	/* The snapshot being received. */
	char host[RELAY_NAME_MAX + 1];
	char session[RELAY_NAME_MAX + 1];
	char snap[RELAY_SNAPSHOT_NAME_MAX + 1];
	char partial[RELAY_SNAPSHOT_NAME_MAX + 16];
	int out_fd;		/* the output directory (not owned) */
	int sess_fd;
	int part_fd;
	int kfd;
	int file_fd;
	char file[RELAY_FILE_NAME_MAX + 1];
	uint64_t file_bytes;
	uint64_t snap_bytes;
	uint64_t snap_files;
	/* Totals of this sender, against the limits. */
	uint64_t bytes;
	uint64_t files;
};

/* relayd.c: one line to stderr, or syslog with --daemon. */
void relayd_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* relayd_conn.c */
void conn_init(struct conn *c, int fd, const char *peer, int out_fd);
/* Reads what @c's socket has; false when the connection is over. */
bool conn_readable(const struct relayd_conf *conf, struct conn *c);
/* Refuses @c with @code and @text (ERROR frame), drops its snapshot. */
void conn_refuse(struct conn *c, uint16_t code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Drops an unfinished snapshot, closes the socket, frees. */
void conn_close(struct conn *c);

#endif /* KTRACE_RELAYD_H */
