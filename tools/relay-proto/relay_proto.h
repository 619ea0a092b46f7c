/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ktrace relay protocol, versions 1 and 2 (docs/RELAY.md): what
 * ktracectl sends a snapshot (1) or a normal session's stream (2) with and
 * what ktrace-relayd receives them with. Both
 * programs compile this file and relay_proto.c, so that the framing, the
 * bounds and the name rules cannot drift apart.
 *
 * A frame is an 8-byte header, then its payload:
 *
 *   be32 length of the payload | be16 type | be16 flags (0)
 *
 * Integers are big-endian; a string is a be16 length and that many bytes,
 * without a NUL. Pure functions here, except relay_token_load() (reads a
 * file) and relay_mac() (HMAC-SHA256 through relay_crypto.h's shim).
 */
#ifndef KTRACE_RELAY_PROTO_H
#define KTRACE_RELAY_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RELAY_MAGIC		"KTRL"
/*
 * The newest version spoken. A snapshot says 1 (its frames are the same
 * in 2, so an older receiver still takes it); a stream says 2, which an
 * older receiver refuses at HELLO with a clear reason.
 */
#define RELAY_VERSION		2
#define RELAY_VERSION_SNAPSHOT	1
#define RELAY_VERSION_STREAM	2
#define RELAY_DEFAULT_PORT	5390
#define RELAY_HDR_LEN		8
/* The largest payload of any frame (a DATA frame's). */
#define RELAY_MAX_PAYLOAD	(1024 * 1024)
#define RELAY_NONCE_LEN		32
#define RELAY_MAC_LEN		32	/* HMAC-SHA256 */
/* Host and session names: the kernel's rule, 1 to 64 characters. */
#define RELAY_NAME_MAX		64
/* A snapshot's name: <output>-<YYYYmmdd-HHMMSS>-<n>. */
#define RELAY_SNAPSHOT_NAME_MAX	128
/* A file inside a snapshot's kernel/ directory: <channel>_<cpu>. */
#define RELAY_FILE_NAME_MAX	96
#define RELAY_ERROR_TEXT_MAX	255
/* A stream's id in STREAM_OPEN and STREAM_PACKET: 0 to this, excluded. */
#define RELAY_STREAM_MAX	65536
/* A channel's name in STREAM_OPEN: the kernel's name rule. */
#define RELAY_CHANNEL_NAME_MAX	RELAY_NAME_MAX
/* The largest packet a STREAM_PACKET announces (a sub-buffer). */
#define RELAY_PACKET_MAX	(1ULL << 32)
/* STREAM_BEGIN's flags. */
#define RELAY_STREAM_CONTINUE	0x1	/* a later consumer of the trace */
/* A token file: 16 to 4096 bytes, trailing whitespace dropped. */
#define RELAY_TOKEN_MIN		16
#define RELAY_TOKEN_MAX		4096

enum relay_type {
	RELAY_HELLO = 1,	/* s <- c: magic, version */
	RELAY_CHALLENGE = 2,	/* s -> c: version, auth, server nonce */
	RELAY_AUTH = 3,		/* s <- c: client nonce, client MAC */
	RELAY_WELCOME = 4,	/* s -> c: server MAC */
	RELAY_ERROR = 5,	/* s -> c: code, text; the connection ends */
	RELAY_BEGIN = 16,	/* s <- c: host, session, snapshot names */
	RELAY_FILE_OPEN = 17,	/* s <- c: "kernel/<file>" */
	RELAY_DATA = 18,	/* s <- c: bytes of the open file */
	RELAY_FILE_CLOSE = 19,	/* s <- c: be64 size of the file */
	RELAY_END = 20,		/* s <- c: commit the snapshot */
	RELAY_COMMITTED = 21,	/* s -> c: where the snapshot is */
	RELAY_ABORT = 22,	/* s <- c: drop the snapshot */
	/* Version 2: a normal session's trace, streamed (docs/RELAY.md). */
	RELAY_STREAM_BEGIN = 32,	/* s <- c: host, session, flags */
	RELAY_STREAM_READY = 33,	/* s -> c: be64 metadata bytes held */
	RELAY_STREAM_OPEN = 34,		/* s <- c: id, cpu, rotation, channel */
	RELAY_STREAM_METADATA = 35,	/* s <- c: bytes to append */
	RELAY_STREAM_PACKET = 36,	/* s <- c: id, be64 size; DATA follows */
	RELAY_STREAM_SYNC = 37,		/* s <- c: put it all on disk */
	RELAY_STREAM_SYNCED = 38,	/* s -> c: be64 bytes stored */
	RELAY_STREAM_END = 39,		/* s <- c: the trace is complete */
};

enum relay_auth {
	RELAY_AUTH_NONE = 0,
	RELAY_AUTH_HMAC_SHA256 = 1,
};

enum relay_err {
	RELAY_E_PROTOCOL = 1,	/* malformed or unexpected frame */
	RELAY_E_VERSION = 2,	/* unsupported version */
	RELAY_E_AUTH = 3,	/* authentication failed */
	RELAY_E_BAD_NAME = 4,	/* a host, session, snapshot or file name */
	RELAY_E_FULL = 5,	/* a limit, or the receiver's disk, is full */
	RELAY_E_EXISTS = 6,	/* the snapshot exists already */
	RELAY_E_IO = 7,		/* the receiver could not write */
	RELAY_E_BUSY = 8,	/* too many senders */
	RELAY_E_TIMEOUT = 9,	/* the sender was silent too long */
	RELAY_E_STREAMING = 10,	/* the trace is being received already */
};

/* Reads a frame's payload: relay_get_*() fail once past its end. */
struct relay_reader {
	const uint8_t *p;
	size_t len;
	bool bad;
};

void relay_put16(uint8_t *p, uint16_t v);
void relay_put32(uint8_t *p, uint32_t v);
void relay_put64(uint8_t *p, uint64_t v);
uint16_t relay_get16(struct relay_reader *r);
uint32_t relay_get32(struct relay_reader *r);
uint64_t relay_get64(struct relay_reader *r);
const uint8_t *relay_get_bytes(struct relay_reader *r, size_t n);
/* A string into @buf (size @size > max), NUL added; false if longer. */
bool relay_get_str(struct relay_reader *r, char *buf, size_t size);

/* Writes a frame header. */
void relay_hdr_encode(uint8_t hdr[RELAY_HDR_LEN], uint16_t type, uint32_t len);

/**
 * relay_hdr_decode() - check a frame header
 * Return: 0, or -EPROTO for non-zero flags, an unknown type or a payload
 * longer than that type's bound (relay_payload_max()).
 */
int relay_hdr_decode(const uint8_t hdr[RELAY_HDR_LEN], uint16_t *type,
		     uint32_t *len);

/* The bounds of a type's payload; max 0 for an unknown type. */
void relay_payload_bounds(uint16_t type, uint32_t *min, uint32_t *max);

/*
 * A host, session or snapshot name: 1 to @max characters of
 * [A-Za-z0-9_.-], not starting with '.' (so never "." nor ".."). @len
 * bytes at @s, which need not be NUL-terminated: a NUL is refused.
 */
bool relay_name_valid(const char *s, size_t len, size_t max);

/*
 * A file's path inside a snapshot: "kernel/<name>", <name> valid as above
 * up to RELAY_FILE_NAME_MAX. Sets @*name to the name's start.
 */
bool relay_path_valid(const char *s, size_t len, const char **name);

/* A short English name of an error code ("receiver full"). */
const char *relay_err_reason(uint16_t code);

/*
 * HMAC-SHA256 over @label (its bytes without the NUL), @a and @b (each
 * RELAY_NONCE_LEN bytes) keyed with the token. Return: 0, -EINVAL, or
 * relay_hmac_sha256()'s error (relay_crypto_error() says why).
 */
int relay_mac(const uint8_t *token, size_t token_len, const char *label,
	      const uint8_t *a, const uint8_t *b, uint8_t out[RELAY_MAC_LEN]);
#define RELAY_LABEL_CLIENT	"ktrace-relay-1 client"
#define RELAY_LABEL_SERVER	"ktrace-relay-1 server"

/* Constant-time comparison of two MACs. */
bool relay_mac_equal(const uint8_t *a, const uint8_t *b);

/* Fills @buf with random bytes (getrandom). Return: 0, -errno. */
int relay_random(uint8_t *buf, size_t len);

/**
 * relay_token_load() - read a shared token file
 * @path: the file.
 * @buf: RELAY_TOKEN_MAX bytes.
 * @len: its length, trailing whitespace dropped.
 * @why: a reason on error (points at a static string).
 *
 * Return: 0, -errno from open/read, -EINVAL when shorter than
 * RELAY_TOKEN_MIN or longer than RELAY_TOKEN_MAX.
 */
int relay_token_load(const char *path, uint8_t *buf, size_t *len,
		     const char **why);

#endif /* KTRACE_RELAY_PROTO_H */
