/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktrace-relayd: receives snapshots and streamed traces from ktracectl over
 * TCP (docs/RELAY.md) and writes them as a local output would. relayd.c is
 * the program (its options, the sockets, the poll() loop, the log);
 * relayd_conn.c is one sender's connection: the protocol's states and the
 * snapshot files it writes; relayd_stream.c a streamed trace's files.
 */
#ifndef KTRACE_RELAYD_H
#define KTRACE_RELAYD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "relay_proto.h"
#include "tracefile.h"

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
	CONN_STREAM,	/* a streamed trace begun, between packets */
	CONN_PACKET,	/* a streamed packet's bytes coming */
	CONN_DEAD,	/* refused: its input drained a while, then closed */
};

/* One stream of a streamed trace (its id's slot). */
struct rstream {
	char chan[RELAY_CHANNEL_NAME_MAX + 1];
	struct tracefile tf;
};

struct conn {
	int fd;
	uint16_t version;	/* HELLO's */
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
	/* The streamed trace: <host>/<session>/kernel/, sess_fd locked. */
	bool streaming;
	bool cont;			/* RELAY_STREAM_CONTINUE */
	int md_fd;
	struct rstream **streams;	/* by id */
	size_t nr_streams;		/* slots */
	struct rstream *cur;		/* the packet's stream */
	uint64_t pkt_start;
	uint64_t pkt_size;
	uint64_t pkt_left;
	uint64_t stream_bytes;
	uint64_t stream_packets;
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
/* Sends a frame, best effort (the sender reads it, or loses it). */
void conn_send(struct conn *c, uint16_t type, const void *p, size_t len);
/* Both: refuse with an I/O error's reason (full disk: RELAY_E_FULL). */
void conn_io_refuse(struct conn *c, int err, const char *what);
bool conn_open_session(const struct relayd_conf *conf, struct conn *c);
int conn_open_dir(int at, const char *name, bool excl);
bool conn_get_name(struct conn *c, struct relay_reader *r, char *buf,
		   size_t max, const char *what);

/* relayd_stream.c: the frames of a streamed trace (version 2). */
void stream_begin(const struct relayd_conf *conf, struct conn *c,
		  struct relay_reader *r);
void stream_open(const struct relayd_conf *conf, struct conn *c,
		 struct relay_reader *r);
void stream_metadata(const struct relayd_conf *conf, struct conn *c,
		     const uint8_t *p, size_t len);
void stream_packet(const struct relayd_conf *conf, struct conn *c,
		   struct relay_reader *r);
void stream_data(const struct relayd_conf *conf, struct conn *c,
		 const uint8_t *p, size_t len);
void stream_sync(struct conn *c);
void stream_end(struct conn *c);
/*
 * The connection ends or is refused in a streamed trace: a packet not
 * received whole is cut off, the files synced and closed, and
 * <session>/INTERRUPTED says so. @why: the reason, for the log and it.
 */
void stream_drop(struct conn *c, const char *why);

#endif /* KTRACE_RELAYD_H */
