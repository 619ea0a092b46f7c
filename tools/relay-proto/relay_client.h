/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The sending side of the relay protocol (docs/RELAY.md): connect and
 * authenticate, then send snapshots one file after another. Independent of
 * ktracectl's snapshot writer, so that a streaming consumer can use it.
 *
 * Every function returns 0 or a negative errno and then leaves a one-line
 * reason in c->err ("connection refused", "authentication failed: wrong
 * token", "receiver full: ...", "timed out"); after an error the
 * connection is closed and only relay_client_close() is left to call.
 */
#ifndef KTRACE_RELAY_CLIENT_H
#define KTRACE_RELAY_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "relay_proto.h"

struct relay_client {
	int fd;
	int timeout_ms;		/* each send or receive, and connect */
	uint64_t file_bytes;	/* of the open file */
	char err[320];
};

/*
 * Connects to @host:@port and authenticates with @token (NULL: none; the
 * receiver must then run --insecure).
 */
int relay_client_connect(struct relay_client *c, const char *host,
			 uint16_t port, const uint8_t *token, size_t token_len,
			 int timeout_ms);
/* The same for a stream: protocol version 2 (an older receiver refuses). */
int relay_client_connect_stream(struct relay_client *c, const char *host,
				uint16_t port, const uint8_t *token,
				size_t token_len, int timeout_ms);
int relay_client_begin(struct relay_client *c, const char *hostname,
		       const char *session, const char *snapshot);
/* @file: a name in the snapshot's kernel/ directory ("metadata"). */
int relay_client_open(struct relay_client *c, const char *file);
int relay_client_write(struct relay_client *c, const void *buf, size_t len);
/* Reads @len bytes from @fd (a pipe that holds them) and sends them. */
int relay_client_copy_fd(struct relay_client *c, int fd, size_t len);
int relay_client_close_file(struct relay_client *c);
/* Commits the snapshot; @where receives its path on the receiver. */
int relay_client_commit(struct relay_client *c, char *where, size_t len);
/*
 * A normal session's trace, streamed (version 2). begin: @flags
 * RELAY_STREAM_CONTINUE for a later consumer of the same trace;
 * @metadata_bytes receives the metadata bytes the receiver holds (where
 * to go on from). open: declares stream @id, the file(s) of @channel on
 * @cpu, rotated as a local output's are. packet: announces @len bytes of
 * stream @id and sends them from @fd (a pipe holding them). sync: waits
 * until the receiver has all on disk. end: the trace is complete.
 */
int relay_client_stream_begin(struct relay_client *c, const char *hostname,
			      const char *session, uint16_t flags,
			      uint64_t *metadata_bytes);
int relay_client_stream_open(struct relay_client *c, uint32_t id,
			     const char *channel, uint32_t cpu,
			     uint64_t tracefile_size, uint32_t tracefile_count);
int relay_client_stream_metadata(struct relay_client *c, const void *buf,
				 size_t len);
/* PACKET only: its bytes then go by relay_client_write()/copy_fd(). */
int relay_client_stream_packet(struct relay_client *c, uint32_t id,
			       uint64_t len);
int relay_client_stream_sync(struct relay_client *c, uint64_t *bytes);
int relay_client_stream_end(struct relay_client *c);

/* Sends ABORT if still connected, and closes. */
void relay_client_close(struct relay_client *c);

#endif /* KTRACE_RELAY_CLIENT_H */
