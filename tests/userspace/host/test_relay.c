// SPDX-License-Identifier: GPL-2.0
/*
 * ktrace-relayd, the receiver of net:// snapshot outputs (docs/RELAY.md):
 * the protocol's framing and name rules (tools/relay-proto), then a live
 * receiver on 127.0.0.1: a snapshot arrives byte for byte; a wrong token,
 * bad names, path traversal, limits, a sender vanishing mid-packet and a
 * silent one are refused or dropped with nothing written outside the
 * output directory and no partial snapshot left; a slow sender does not
 * hold up another; 10 000 random frames while a well-behaved sender is
 * served, whose snapshots arrive intact.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "relay_client.h"
#include "relay_crypto.h"
#include "relay_proto.h"
#include "relay_test_util.h"

#define TOKEN		"0123456789abcdef-test-token"
#define MAX_FILES	40
#define MAX_BYTES	(24 << 20)
#define TIMEOUT_S	2

static char root[256], out[300], logpath[300];
static pid_t relayd = -1;
static uint16_t port;

/* ---- the protocol, pure ---- */

static void test_names(void **state)
{
	static const char *const good[] = {
		"a", "host-1", "my_session.2", "A.b-c_9",
		"snapshot-1-20261123-122441-2",
	};
	static const char *const bad[] = {
		"", ".", "..", ".hidden", "a/b", "/abs", "../x", "a b", "a\\b",
		"caf\xc3\xa9", "a:b", "a\n",
	};
	char long65[66], long129[130];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_true(relay_name_valid(good[i], strlen(good[i]), RELAY_NAME_MAX));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(relay_name_valid(bad[i], strlen(bad[i]), RELAY_NAME_MAX));
	/* A NUL inside a name, as bytes on the wire. */
	assert_false(relay_name_valid("ab\0cd", 5, RELAY_NAME_MAX));
	memset(long65, 'x', 65);
	long65[65] = '\0';
	assert_true(relay_name_valid(long65, 64, RELAY_NAME_MAX));
	assert_false(relay_name_valid(long65, 65, RELAY_NAME_MAX));
	memset(long129, 'y', 129);
	long129[129] = '\0';
	assert_true(relay_name_valid(long129, 128, RELAY_SNAPSHOT_NAME_MAX));
	assert_false(relay_name_valid(long129, 129, RELAY_SNAPSHOT_NAME_MAX));
}

static void test_paths(void **state)
{
	static const char *const bad[] = {
		"metadata", "kernel/", "kernel", "/kernel/metadata",
		"kernel/../../etc/passwd", "kernel/..", "kernel/.x",
		"kernel/a/b", "/etc/passwd", "../kernel/metadata", "Kernel/x",
		"kernel//x",
	};
	const char *name = NULL;
	char big[8 + RELAY_FILE_NAME_MAX + 2] = "kernel/";
	size_t i;

	(void)state;
	assert_true(relay_path_valid("kernel/metadata", 15, &name));
	assert_string_equal(name, "metadata");
	assert_true(relay_path_valid("kernel/chan_0", 13, NULL));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(relay_path_valid(bad[i], strlen(bad[i]), NULL));
	assert_false(relay_path_valid("kernel/a\0b", 10, NULL));
	memset(big + 7, 'z', RELAY_FILE_NAME_MAX);
	assert_true(relay_path_valid(big, 7 + RELAY_FILE_NAME_MAX, NULL));
	big[7 + RELAY_FILE_NAME_MAX] = 'z';
	assert_false(relay_path_valid(big, 8 + RELAY_FILE_NAME_MAX, NULL));
}

static void test_header(void **state)
{
	uint8_t hdr[RELAY_HDR_LEN];
	uint32_t len, min, max;
	uint16_t type, t;

	(void)state;
	relay_hdr_encode(hdr, RELAY_DATA, RELAY_MAX_PAYLOAD);
	assert_int_equal(relay_hdr_decode(hdr, &type, &len), 0);
	assert_int_equal(type, RELAY_DATA);
	assert_int_equal(len, RELAY_MAX_PAYLOAD);
	assert_memory_equal(hdr, "\x00\x10\x00\x00\x00\x12\x00\x00", 8);
	relay_hdr_encode(hdr, RELAY_DATA, RELAY_MAX_PAYLOAD + 1);
	assert_int_equal(relay_hdr_decode(hdr, &type, &len), -EPROTO);
	relay_hdr_encode(hdr, RELAY_DATA, 0);
	assert_int_equal(relay_hdr_decode(hdr, &type, &len), -EPROTO);
	/* Flags must be 0. */
	relay_hdr_encode(hdr, RELAY_END, 0);
	hdr[7] = 1;
	assert_int_equal(relay_hdr_decode(hdr, &type, &len), -EPROTO);
	/* Every known type: its bounds and one past them. */
	for (t = 0; t < 64; t++) {
		relay_payload_bounds(t, &min, &max);
		relay_hdr_encode(hdr, t, max);
		if (!(t >= RELAY_HELLO && t <= RELAY_ERROR) &&
		    !(t >= RELAY_BEGIN && t <= RELAY_ABORT) &&
		    !(t >= RELAY_STREAM_BEGIN && t <= RELAY_STREAM_END)) {
			/* Unknown: refused (streams: test_relay_stream.c). */
			assert_int_equal(relay_hdr_decode(hdr, &type, &len), -EPROTO);
			continue;
		}
		assert_int_equal(relay_hdr_decode(hdr, &type, &len), 0);
		relay_hdr_encode(hdr, t, min);
		assert_int_equal(relay_hdr_decode(hdr, &type, &len), 0);
		relay_hdr_encode(hdr, t, max + 1);
		assert_int_equal(relay_hdr_decode(hdr, &type, &len), -EPROTO);
		if (min) {
			relay_hdr_encode(hdr, t, min - 1);
			assert_int_equal(relay_hdr_decode(hdr, &type, &len), -EPROTO);
		}
	}
}

static void test_reader(void **state)
{
	uint8_t buf[16] = { 0, 3, 'a', 'b', 'c', 0, 9, 'x' };
	struct relay_reader r = { .p = buf, .len = 8 };
	char s[8];

	(void)state;
	assert_true(relay_get_str(&r, s, sizeof(s)));
	assert_string_equal(s, "abc");
	/* 9 announced, 1 there. */
	assert_false(relay_get_str(&r, s, sizeof(s)));
	assert_true(r.bad);
	assert_int_equal(relay_get16(&r), 0);
}

static void test_mac(void **state)
{
	uint8_t a[RELAY_NONCE_LEN] = { 1 }, b[RELAY_NONCE_LEN] = { 2 };
	uint8_t m1[RELAY_MAC_LEN], m2[RELAY_MAC_LEN];

	(void)state;
	assert_int_equal(relay_mac((const uint8_t *)"k1k1k1k1k1k1k1k1", 16,
				   RELAY_LABEL_CLIENT, a, b, m1), 0);
	assert_int_equal(relay_mac((const uint8_t *)"k1k1k1k1k1k1k1k1", 16,
				   RELAY_LABEL_CLIENT, a, b, m2), 0);
	assert_true(relay_mac_equal(m1, m2));
	assert_int_equal(relay_mac((const uint8_t *)"k2k2k2k2k2k2k2k2", 16,
				   RELAY_LABEL_CLIENT, a, b, m2), 0);
	assert_false(relay_mac_equal(m1, m2));
	assert_int_equal(relay_mac((const uint8_t *)"k1k1k1k1k1k1k1k1", 16,
				   RELAY_LABEL_SERVER, a, b, m2), 0);
	assert_false(relay_mac_equal(m1, m2));
}

/* RFC 4231's test case 2, through the shim as ktracectl has it (dlopen). */
static void test_hmac_known_answer(void **state)
{
	static const uint8_t want[RELAY_HMAC_LEN] = {
		0x5b, 0xdc, 0xc1, 0x46, 0xbf, 0x60, 0x75, 0x4e,
		0x6a, 0x04, 0x24, 0x26, 0x08, 0x95, 0x75, 0xc7,
		0x5a, 0x00, 0x3f, 0x08, 0x9d, 0x27, 0x39, 0x83,
		0x9d, 0xec, 0x58, 0xb9, 0x64, 0xec, 0x38, 0x43,
	};
	const char *msg = "what do ya want for nothing?";
	uint8_t out[RELAY_HMAC_LEN];

	(void)state;
	assert_int_equal(relay_hmac_sha256((const uint8_t *)"Jefe", 4,
					   (const uint8_t *)msg, strlen(msg),
					   out), 0);
	assert_memory_equal(out, want, sizeof(want));
}

/*
 * ktracectl does not link libcrypto: its commands do not pay for loading
 * it (relay_crypto_dl.c loads it for a net:// output's token).
 */
static void test_ktracectl_without_libcrypto(void **state)
{
	char line[512];
	int libs = 0;
	FILE *p;

	(void)state;
	/* What ldd prints: the libraries the loader maps at start. */
	p = popen("LD_TRACE_LOADED_OBJECTS=1 " KTRACECTL_BIN, "r");
	assert_non_null(p);
	while (fgets(line, sizeof(line), p)) {
		assert_null(strstr(line, "libcrypto"));
		libs += !!strstr(line, "libnl-genl-3");
	}
	assert_int_equal(pclose(p), 0);
	assert_int_equal(libs, 1);
}

/* ---- a live receiver ---- */

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup_relayd(void **state)
{
	char tokpath[320], files[16], bytes[16], timeout[16];
	const char *args[] = {
		"--output-dir", out, "--token-file", tokpath,
		"--max-files", files, "--max-bytes", bytes,
		"--timeout", timeout, NULL,
	};

	(void)state;
	snprintf(root, sizeof(root), "/tmp/test_relay.XXXXXX");
	if (!mkdtemp(root))
		return -1;
	snprintf(out, sizeof(out), "%s/out", root);
	snprintf(logpath, sizeof(logpath), "%s/relayd.log", root);
	/* A file beside the output directory that traversal would reach. */
	snprintf(tokpath, sizeof(tokpath), "%s/victim", root);
	write_file(tokpath, "untouched\n");
	snprintf(tokpath, sizeof(tokpath), "%s/token", root);
	write_file(tokpath, TOKEN "\n");
	snprintf(files, sizeof(files), "%d", MAX_FILES);
	snprintf(bytes, sizeof(bytes), "%d", MAX_BYTES);
	snprintf(timeout, sizeof(timeout), "%d", TIMEOUT_S);
	relayd = relayd_start(logpath, args, &port);
	return relayd > 0 && port ? 0 : -1;
}

static int teardown_relayd(void **state)
{
	(void)state;
	return relayd_stop(relayd, root);
}

static int connect_ok(struct relay_client *c)
{
	return relay_client_connect(c, "127.0.0.1", port,
				    (const uint8_t *)TOKEN, strlen(TOKEN), 5000);
}

/* Sends one snapshot of @nfiles files of @size pseudo-random bytes. */
static int send_snapshot(struct relay_client *c, const char *session,
			 const char *snap, int nfiles, size_t size,
			 unsigned int seed)
{
	char name[32], *buf = malloc(size ? size : 1);
	size_t i;
	int f, ret;

	if (!buf)
		return -ENOMEM;
	ret = relay_client_begin(c, "testhost", session, snap);
	for (f = 0; !ret && f < nfiles; f++) {
		if (f)
			snprintf(name, sizeof(name), "chan_%d", f - 1);
		else
			snprintf(name, sizeof(name), "metadata");
		for (i = 0; i < size; i++)
			buf[i] = (char)(rand_r(&seed) >> 7);
		ret = relay_client_open(c, name);
		if (!ret && size)
			ret = relay_client_write(c, buf, size);
		if (!ret)
			ret = relay_client_close_file(c);
	}
	free(buf);
	return ret;
}

/* The snapshot @snap of @session arrived, each file as sent. */
static bool snapshot_intact(const char *session, const char *snap,
			    int nfiles, size_t size, unsigned int seed)
{
	char path[512], *want = malloc(size + 1), *got;
	size_t i, len;
	bool ok = want;
	int f;

	for (f = 0; ok && f < nfiles; f++) {
		snprintf(path, sizeof(path), "%s/testhost/%s/%s/kernel/%s", out,
			 session, snap, f ? "chan_" : "metadata");
		if (f)
			snprintf(path + strlen(path), sizeof(path) - strlen(path),
				 "%d", f - 1);
		for (i = 0; i < size; i++)
			want[i] = (char)(rand_r(&seed) >> 7);
		got = read_all(path, &len);
		ok = got && len == size && !memcmp(got, want, size);
		free(got);
	}
	free(want);
	return ok;
}

/* Nothing in @dir (recursively) but what @allowed prefixes; no .partial. */
static int count_stray(const char *dir, const char *allowed)
{
	char path[1024];
	struct dirent *d;
	struct stat st;
	int n = 0;
	DIR *dp = opendir(dir);

	if (!dp)
		return 0;
	while ((d = readdir(dp))) {
		if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		if (lstat(path, &st))
			continue;
		if (strstr(d->d_name, ".partial")) {
			fprintf(stderr, "# stray partial %s\n", path);
			n++;
		} else if (S_ISDIR(st.st_mode)) {
			n += count_stray(path, allowed);
		} else if (!allowed || strncmp(path, allowed, strlen(allowed))) {
			fprintf(stderr, "# stray file %s\n", path);
			n++;
		}
	}
	closedir(dp);
	return n;
}

/* Where the well-behaved senders' snapshots are. */
static const char *testhost(void)
{
	static char path[400];

	snprintf(path, sizeof(path), "%s/testhost/", out);
	return path;
}

/* The files beside the output directory: only what setup made. */
static void assert_outside_untouched(void)
{
	char path[512], *text;
	struct dirent *d;
	DIR *dp = opendir(root);
	int n = 0;

	assert_non_null(dp);
	while ((d = readdir(dp)))
		if (d->d_name[0] != '.')
			n++;
	closedir(dp);
	/* out, relayd.log, token, victim */
	assert_int_equal(n, 4);
	snprintf(path, sizeof(path), "%s/victim", root);
	text = read_all(path, NULL);
	assert_non_null(text);
	assert_string_equal(text, "untouched\n");
	free(text);
}

/* @rel exists under the output directory. */
static bool exists(const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", out, rel);
	return !access(path, F_OK);
}

static void test_snapshot_arrives(void **state)
{
	struct relay_client c;
	char where[256];
	int ret;

	(void)state;
	assert_int_equal(connect_ok(&c), 0);
	assert_int_equal(send_snapshot(&c, "sess", "snap-1", 3, 3 << 20, 1), 0);
	assert_int_equal(relay_client_commit(&c, where, sizeof(where)), 0);
	assert_string_equal(where, "testhost/sess/snap-1");
	/* A second snapshot on the same connection. */
	assert_int_equal(send_snapshot(&c, "sess", "snap-2", 2, 1000, 2), 0);
	assert_int_equal(relay_client_commit(&c, where, sizeof(where)), 0);
	relay_client_close(&c);
	assert_true(snapshot_intact("sess", "snap-1", 3, 3 << 20, 1));
	assert_true(snapshot_intact("sess", "snap-2", 2, 1000, 2));
	assert_true(log_has(logpath, "received testhost/sess/snap-1: 9437184 bytes in 3 files"));

	/* The same name again: refused, the first one kept. */
	assert_int_equal(connect_ok(&c), 0);
	/* Refused at BEGIN: the sender learns it before or at the commit. */
	ret = send_snapshot(&c, "sess", "snap-1", 1, 10, 3);
	if (!ret)
		ret = relay_client_commit(&c, NULL, 0);
	assert_int_equal(ret, -EPROTO);
	assert_string_equal(c.err, "exists on the receiver: testhost/sess/snap-1 exists already");
	relay_client_close(&c);
	assert_true(snapshot_intact("sess", "snap-1", 3, 3 << 20, 1));
}

static void test_wrong_token(void **state)
{
	struct relay_client c;

	(void)state;
	assert_int_equal(relay_client_connect(&c, "127.0.0.1", port,
					      (const uint8_t *)"not-the-right-token",
					      19, 5000), -EACCES);
	assert_string_equal(c.err, "authentication failed: wrong token");
	assert_true(log_has(logpath, "refused: authentication failed: wrong token"));
	assert_int_equal(relay_client_connect(&c, "127.0.0.1", port, NULL, 0,
					      5000), -EACCES);
	assert_non_null(strstr(c.err, "authentication failed: the receiver wants a token"));
}

static void test_refused_port(void **state)
{
	struct relay_client c;

	(void)state;
	/* Port 1 on loopback: nothing listens there. */
	assert_int_equal(relay_client_connect(&c, "127.0.0.1", 1, NULL, 0, 2000),
			 -ECONNREFUSED);
	assert_string_equal(c.err, "connection refused");
}

#define assert_prefix(s, prefix) \
	assert_memory_equal(s, prefix, strlen(prefix))

static size_t put(uint8_t *p, const char *s, size_t len)
{
	relay_put16(p, len);
	memcpy(p + 2, s, len);
	return 2 + len;
}

static void begin_raw(const char *host, size_t hl, const char *sess,
		      size_t sl, const char *snap, size_t nl, const char *want)
{
	struct relay_client c;
	uint8_t buf[1024];
	size_t off = 0;

	assert_int_equal(connect_ok(&c), 0);
	off += put(buf + off, host, hl);
	off += put(buf + off, sess, sl);
	off += put(buf + off, snap, nl);
	raw_frame(&c, RELAY_BEGIN, buf, off);
	assert_prefix(refusal(&c), want);
	relay_client_close(&c);
}

static void test_bad_names(void **state)
{
	char long65[65], long129[129];

	(void)state;
	memset(long65, 'h', sizeof(long65));
	memset(long129, 's', sizeof(long129));
	begin_raw("..", 2, "s", 1, "n", 1, "bad name: invalid host name '..'");
	begin_raw("a/b", 3, "s", 1, "n", 1, "bad name: invalid host name 'a/b'");
	begin_raw("/abs", 4, "s", 1, "n", 1, "bad name: invalid host name '/abs'");
	begin_raw("h\0x", 3, "s", 1, "n", 1, "bad name: invalid host name 'h'");
	begin_raw(long65, 65, "s", 1, "n", 1, "bad name: invalid host name 'hhhhhhhhhh");
	begin_raw("h", 1, "../x", 4, "n", 1, "bad name: invalid session name '../x'");
	begin_raw("h", 1, "s", 1, "..", 2, "bad name: invalid snapshot name '..'");
	begin_raw("h", 1, "s", 1, ".n.partial", 10, "bad name: invalid snapshot name '.n.partial'");
	begin_raw("h", 1, "s", 1, long129, 129, "bad name: invalid snapshot name 'sssssssss");
	begin_raw("h", 1, "s", 1, "", 0, "protocol error: a malformed frame header (type 16, 8 bytes)");
	begin_raw("h", 1, "", 0, "n", 1, "protocol error: a malformed frame header (type 16, 8 bytes)");
	assert_int_equal(count_stray(out, testhost()), 0);
	assert_outside_untouched();
}

static void open_raw(const char *path, size_t len, const char *want)
{
	struct relay_client c;
	uint8_t buf[256];

	assert_int_equal(connect_ok(&c), 0);
	assert_int_equal(relay_client_begin(&c, "trav", "s", "n"), 0);
	raw_frame(&c, RELAY_FILE_OPEN, buf, put(buf, path, len));
	assert_string_equal(refusal(&c), want);
	relay_client_close(&c);
}

static void test_traversal(void **state)
{
	char big[8 + RELAY_FILE_NAME_MAX] = "kernel/";

	(void)state;
	open_raw("kernel/../../victim", 19, "bad name: invalid file path 'kernel/../../victim'");
	open_raw("../victim", 9, "bad name: invalid file path '../victim'");
	open_raw("/etc/passwd", 11, "bad name: invalid file path '/etc/passwd'");
	open_raw("kernel/a\0b", 10, "bad name: invalid file path 'kernel/a'");
	open_raw("kernel/a/b", 10, "bad name: invalid file path 'kernel/a/b'");
	open_raw("kernel/..", 9, "bad name: invalid file path 'kernel/..'");
	memset(big + 7, 'z', RELAY_FILE_NAME_MAX);
	big[7 + RELAY_FILE_NAME_MAX] = 'z';
	open_raw(big, 8 + RELAY_FILE_NAME_MAX, "protocol error: a malformed frame header (type 17, 106 bytes)");
	assert_int_equal(count_stray(out, testhost()), 0);
	/* No trav/ left: the empty directories went with the snapshot. */
	assert_false(exists("trav"));
	assert_outside_untouched();
	assert_true(log_has(logpath, "dropped the unfinished snapshot trav/s/n"));
}

/* A plain TCP connection to the receiver, no handshake. */
static void raw_connect(struct relay_client *c)
{
	struct sockaddr_in sa = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};

	c->fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(c->fd >= 0);
	assert_int_equal(connect(c->fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
}

static void test_handshake(void **state)
{
	struct relay_client c;
	uint8_t auth[RELAY_NONCE_LEN + RELAY_MAC_LEN] = { 0 };

	(void)state;
	/* Another version: 0, or one after 2. */
	raw_connect(&c);
	raw_frame(&c, RELAY_HELLO, "KTRL\0\x03\0\0", 8);
	assert_string_equal(refusal(&c), "unsupported protocol version: version 3; this receiver speaks 1 to 2");
	relay_client_close(&c);
	raw_connect(&c);
	raw_frame(&c, RELAY_HELLO, "KTRL\0\0\0\0", 8);
	assert_string_equal(refusal(&c), "unsupported protocol version: version 0; this receiver speaks 1 to 2");
	relay_client_close(&c);
	/* Not our magic. */
	raw_connect(&c);
	raw_frame(&c, RELAY_HELLO, "HTTP\0\x01\0\0", 8);
	assert_string_equal(refusal(&c), "protocol error: not a ktrace relay HELLO");
	relay_client_close(&c);
	/* Anything before HELLO; an HTTP request. */
	raw_connect(&c);
	raw_frame(&c, RELAY_BEGIN, "\0\1h\0\1s\0\1n", 9);
	assert_string_equal(refusal(&c), "protocol error: frame type 16 unexpected before HELLO");
	relay_client_close(&c);
	raw_connect(&c);
	assert_int_equal(send(c.fd, "GET / HTTP/1.0\r\n\r\n", 18, 0), 18);
	assert_prefix(refusal(&c), "protocol error: a malformed frame header");
	relay_client_close(&c);
	/* AUTH with a zero MAC to a receiver that wants a token. */
	raw_connect(&c);
	raw_frame(&c, RELAY_HELLO, "KTRL\0\x01\0\0", 8);
	{
		uint8_t chal[RELAY_HDR_LEN + 4 + RELAY_NONCE_LEN];

		assert_int_equal(recv(c.fd, chal, sizeof(chal), MSG_WAITALL),
				 (ssize_t)sizeof(chal));
		assert_int_equal(chal[5], RELAY_CHALLENGE);
		assert_int_equal(chal[RELAY_HDR_LEN + 3], RELAY_AUTH_HMAC_SHA256);
	}
	raw_frame(&c, RELAY_AUTH, auth, sizeof(auth));
	assert_string_equal(refusal(&c), "authentication failed: wrong token");
	relay_client_close(&c);
}

static void test_protocol_order(void **state)
{
	struct relay_client c;
	uint8_t size[8] = { 0, 0, 0, 0, 0, 0, 0, 5 };

	(void)state;
	/* DATA before any FILE_OPEN. */
	assert_int_equal(connect_ok(&c), 0);
	assert_int_equal(relay_client_begin(&c, "ord", "s", "n"), 0);
	raw_frame(&c, RELAY_DATA, "abc", 3);
	assert_string_equal(refusal(&c), "protocol error: frame type 18 unexpected in a snapshot");
	relay_client_close(&c);
	/* A file closed with another size than sent. */
	assert_int_equal(connect_ok(&c), 0);
	assert_int_equal(relay_client_begin(&c, "ord", "s", "n"), 0);
	assert_int_equal(relay_client_open(&c, "metadata"), 0);
	raw_frame(&c, RELAY_DATA, "abc", 3);
	raw_frame(&c, RELAY_FILE_CLOSE, size, 8);
	assert_string_equal(refusal(&c), "protocol error: kernel/metadata: 5 bytes announced, 3 received");
	relay_client_close(&c);
	/* A file sent twice. */
	assert_int_equal(connect_ok(&c), 0);
	assert_int_equal(send_snapshot(&c, "s", "twice", 1, 4, 1), 0);
	assert_int_equal(relay_client_open(&c, "metadata"), 0);
	assert_string_equal(refusal(&c), "protocol error: kernel/metadata sent twice");
	relay_client_close(&c);
	/* A snapshot without files is not one. */
	assert_int_equal(connect_ok(&c), 0);
	assert_int_equal(relay_client_begin(&c, "ord", "s", "n"), 0);
	raw_frame(&c, RELAY_END, NULL, 0);
	assert_string_equal(refusal(&c), "protocol error: a snapshot without files");
	relay_client_close(&c);
	assert_int_equal(count_stray(out, out), 0);
	assert_false(exists("ord"));
}

static void test_limits(void **state)
{
	struct relay_client c;

	(void)state;
	assert_int_equal(connect_ok(&c), 0);
	/* MAX_FILES files pass, one more does not. */
	assert_int_equal(send_snapshot(&c, "lim", "files", MAX_FILES, 1, 1), 0);
	assert_int_equal(relay_client_open(&c, "one_more"), 0);
	assert_string_equal(refusal(&c), "receiver full: more than 40 files from this sender");
	relay_client_close(&c);
	assert_int_equal(connect_ok(&c), 0);
	assert_int_equal(relay_client_begin(&c, "testhost", "lim", "bytes"), 0);
	assert_int_equal(relay_client_open(&c, "metadata"), 0);
	{
		size_t len = MAX_BYTES + 1;
		char *buf = calloc(1, len);
		int ret;

		assert_non_null(buf);
		ret = relay_client_write(&c, buf, len);
		if (!ret)
			ret = relay_client_commit(&c, NULL, 0);
		assert_int_equal(ret, -ENOSPC);
		free(buf);
	}
	assert_string_equal(c.err, "receiver full: more than 25165824 bytes from this sender");
	relay_client_close(&c);
	assert_int_equal(count_stray(out, out), 0);
	assert_false(exists("testhost/lim"));
}

static void test_vanishing_sender(void **state)
{
	struct relay_client c;
	uint8_t hdr[RELAY_HDR_LEN];
	char half[500] = { 0 };

	(void)state;
	assert_int_equal(connect_ok(&c), 0);
	assert_int_equal(relay_client_begin(&c, "testhost", "gone", "mid"), 0);
	assert_int_equal(relay_client_open(&c, "metadata"), 0);
	/* A DATA frame of 1000 bytes, of which 500 come. */
	relay_hdr_encode(hdr, RELAY_DATA, 1000);
	assert_int_equal(send(c.fd, hdr, sizeof(hdr), 0), (ssize_t)sizeof(hdr));
	assert_int_equal(send(c.fd, half, sizeof(half), 0), (ssize_t)sizeof(half));
	close(c.fd);
	c.fd = -1;
	assert_true(log_has(logpath, "the sender went away during snapshot testhost/gone/mid"));
	assert_true(log_has(logpath, "dropped the unfinished snapshot testhost/gone/mid"));
	assert_int_equal(count_stray(out, out), 0);
	assert_false(exists("testhost/gone"));
}

static void test_slow_and_silent(void **state)
{
	struct relay_client slow, fast, silent;
	char buf[4096];
	struct timespec t0, t1;
	int i;

	(void)state;
	memset(buf, 'S', sizeof(buf));
	assert_int_equal(connect_ok(&slow), 0);
	assert_int_equal(connect_ok(&silent), 0);
	assert_int_equal(relay_client_begin(&slow, "testhost", "slow", "s"), 0);
	assert_int_equal(relay_client_open(&slow, "metadata"), 0);
	assert_int_equal(relay_client_begin(&silent, "testhost", "silent", "s"), 0);
	assert_int_equal(relay_client_open(&silent, "metadata"), 0);
	assert_int_equal(relay_client_write(&silent, "x", 1), 0);
	/* The slow sender trickles for 1.5 s; a fast one is served meanwhile. */
	for (i = 0; i < 6; i++) {
		assert_int_equal(relay_client_write(&slow, buf, sizeof(buf)), 0);
		if (i == 2) {
			clock_gettime(CLOCK_MONOTONIC, &t0);
			assert_int_equal(connect_ok(&fast), 0);
			assert_int_equal(send_snapshot(&fast, "fast", "f", 2, 1 << 20, 5), 0);
			assert_int_equal(relay_client_commit(&fast, NULL, 0), 0);
			relay_client_close(&fast);
			clock_gettime(CLOCK_MONOTONIC, &t1);
			/* Well under the slow sender's pace. */
			assert_true((t1.tv_sec - t0.tv_sec) * 1000 +
				    (t1.tv_nsec - t0.tv_nsec) / 1000000 < 1000);
			assert_true(snapshot_intact("fast", "f", 2, 1 << 20, 5));
		}
		usleep(250000);
	}
	assert_int_equal(relay_client_close_file(&slow), 0);
	assert_int_equal(relay_client_commit(&slow, NULL, 0), 0);
	relay_client_close(&slow);
	{
		char path[512], *got;
		size_t len;

		snprintf(path, sizeof(path), "%s/testhost/slow/s/kernel/metadata", out);
		got = read_all(path, &len);
		assert_non_null(got);
		assert_int_equal(len, 6 * sizeof(buf));
		free(got);
	}
	/* The silent one (1.5 s so far) is dropped after TIMEOUT_S. */
	assert_true(log_has(logpath, "refused: timed out: silent for 2 s"));
	assert_int_equal(relay_client_commit(&silent, NULL, 0), -EPROTO);
	assert_string_equal(silent.err, "timed out: silent for 2 s");
	relay_client_close(&silent);
	assert_int_equal(count_stray(out, out), 0);
}

/* A second receiver, --insecure: no token needed, and none checked. */
static void test_insecure(void **state)
{
	char dir[300], lpath[700], *text;
	const char *args[] = { "--output-dir", dir, "--insecure", NULL };
	struct relay_client c;
	uint16_t iport;
	pid_t pid;
	int status;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/insecure", root);
	snprintf(lpath, sizeof(lpath), "%s/insecure.log", root);
	pid = relayd_start(lpath, args, &iport);
	assert_true(pid > 0);
	assert_int_not_equal(iport, 0);
	assert_int_equal(relay_client_connect(&c, "127.0.0.1", iport, NULL, 0,
					      5000), 0);
	assert_int_equal(send_snapshot(&c, "open", "lab", 2, 5000, 7), 0);
	assert_int_equal(relay_client_commit(&c, NULL, 0), 0);
	relay_client_close(&c);
	/* A sender with a token talks to it too. */
	assert_int_equal(relay_client_connect(&c, "127.0.0.1", iport,
					      (const uint8_t *)"any-token-at-all-x",
					      18, 5000), 0);
	relay_client_close(&c);
	kill(pid, SIGTERM);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	text = read_all(lpath, NULL);
	assert_non_null(text);
	assert_non_null(strstr(text, "(insecure: no authentication)"));
	free(text);
	snprintf(lpath, sizeof(lpath), "%s/testhost/open/lab/kernel/chan_0", dir);
	text = read_all(lpath, NULL);
	assert_non_null(text);
	free(text);
	/* Keep the main receiver's view of root: 4 entries. */
	snprintf(lpath, sizeof(lpath), "rm -rf '%s' '%s/insecure.log'", dir, root);
	assert_int_equal(system(lpath), 0);
}

/* ---- 10 000 random frames ---- */

#define FUZZ_FRAMES	10000
#define GOOD_SNAPSHOTS	8

static uint32_t rnd(unsigned int *seed, uint32_t n)
{
	return ((uint32_t)rand_r(seed) << 8 ^ (uint32_t)rand_r(seed)) % n;
}

/* One random frame: a type, a length near its bounds, random bytes. */
static size_t fuzz_frame(unsigned int *seed, uint8_t *buf, size_t cap,
			 bool in_file)
{
	static const char alphabet[] = "ab./\0-_9Z";
	uint32_t min, max, len;
	uint16_t type = rnd(seed, 10) ? rnd(seed, 40) : rnd(seed, 65536);
	size_t i, off;
	int shape = rnd(seed, 6);

	/*
	 * A third of the frames are DATA, most of them in an open file,
	 * which takes them: the connection lives on to later frames.
	 */
	if (shape >= 4 || (in_file && rnd(seed, 4)))
		type = RELAY_DATA;
	relay_payload_bounds(type, &min, &max);
	switch (shape) {
	case 0:
		len = rnd(seed, 300);
		break;
	case 1:
		len = max + rnd(seed, 3);
		break;
	case 2:
		len = min ? min - rnd(seed, 2) : 0;
		break;
	default:
		len = min + rnd(seed, (max > 2000 ? 2000 : max) - min + 1);
		break;
	}
	if (len > cap - RELAY_HDR_LEN)
		len = cap - RELAY_HDR_LEN;
	relay_hdr_encode(buf, type, len);
	if (!rnd(seed, 20))
		buf[6 + rnd(seed, 2)] = rnd(seed, 256);	/* flags */
	for (i = 0; i < len; i++)
		buf[RELAY_HDR_LEN + i] = rnd(seed, 2) ?
			(uint8_t)alphabet[rnd(seed, sizeof(alphabet) - 1)] :
			(uint8_t)rnd(seed, 256);
	/* Names' lengths that fit, for BEGIN and FILE_OPEN, now and then. */
	if ((type == RELAY_BEGIN || type == RELAY_FILE_OPEN) && len > 6 &&
	    rnd(seed, 2)) {
		off = 0;
		for (i = 0; i < 3 && off + 2 < len; i++) {
			uint16_t l = rnd(seed, (len - off - 2) + 1);

			relay_put16(buf + RELAY_HDR_LEN + off, l);
			off += 2 + l;
		}
	}
	return RELAY_HDR_LEN + len;
}

static uint16_t type_of(const uint8_t *hdr)
{
	return hdr[4] << 8 | hdr[5];
}

/* The well-behaved sender, in a child: exits 0 when all arrived intact. */
static void good_sender(void)
{
	struct relay_client c;
	char snap[32];
	int i;

	for (i = 0; i < GOOD_SNAPSHOTS; i++) {
		snprintf(snap, sizeof(snap), "good-%d", i);
		if (connect_ok(&c) ||
		    send_snapshot(&c, "good", snap, 3, 256 << 10, 100 + i) ||
		    relay_client_commit(&c, NULL, 0)) {
			fprintf(stderr, "# good sender: %s\n", c.err);
			_exit(1);
		}
		relay_client_close(&c);
		if (!snapshot_intact("good", snap, 3, 256 << 10, 100 + i))
			_exit(2);
		usleep(50000);
	}
	_exit(0);
}

static void test_fuzz(void **state)
{
	static uint8_t buf[4096];
	unsigned int seed = 0x6b747263;
	struct relay_client c = { .fd = -1 };
	char allowed[400];
	int frames = 0, conns = 0, status, ret;
	bool in_file = false;
	pid_t good;

	(void)state;
	good = fork();
	assert_true(good >= 0);
	if (!good)
		good_sender();
	while (frames < FUZZ_FRAMES) {
		struct pollfd pfd;
		size_t len;

		if (c.fd < 0) {
			/* Most connections authenticate; some do not. */
			if (rnd(&seed, 8)) {
				ret = connect_ok(&c);
			} else {
				ret = relay_client_connect(&c, "127.0.0.1", port,
							   (const uint8_t *)"wrong-token-wrong",
							   17, 5000);
			}
			conns++;
			if (ret)
				continue;
			/* Half of them start a plausible snapshot. */
			in_file = false;
			if (rnd(&seed, 2)) {
				if (relay_client_begin(&c, "fuzz", "s", "n") ||
				    relay_client_open(&c, "metadata"))
					continue;
				in_file = true;
			}
		}
		len = fuzz_frame(&seed, buf, sizeof(buf), in_file);
		frames++;
		if (send(c.fd, buf, len, MSG_NOSIGNAL) != (ssize_t)len) {
			relay_client_close(&c);
			continue;
		}
		pfd = (struct pollfd) { .fd = c.fd, .events = POLLIN };
		/*
		 * Refused (an ERROR, then the end): start again. The wait
		 * lets the receiver parse each frame before the next.
		 */
		if (poll(&pfd, 1, type_of(buf) == RELAY_DATA ? 0 : 2) > 0 ||
		    !rnd(&seed, 50)) {
			close(c.fd);
			c.fd = -1;
		}
	}
	relay_client_close(&c);
	assert_int_equal(waitpid(good, &status, 0), good);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	/* Still up, and still serving. */
	assert_int_equal(kill(relayd, 0), 0);
	assert_int_equal(connect_ok(&c), 0);
	assert_int_equal(send_snapshot(&c, "after", "fuzz", 2, 4096, 9), 0);
	assert_int_equal(relay_client_commit(&c, NULL, 0), 0);
	relay_client_close(&c);
	assert_true(snapshot_intact("after", "fuzz", 2, 4096, 9));
	/* Nothing from the fuzzer: no file, no partial snapshot. */
	usleep(200000);
	snprintf(allowed, sizeof(allowed), "%s/testhost/", out);
	assert_int_equal(count_stray(out, allowed), 0);
	assert_outside_untouched();
	{
		char *text = read_all(logpath, NULL), *p = text;
		int refused = 0;

		while (p && (p = strstr(p, ": refused: ")))
			refused++, p++;
		free(text);
		print_message("%d random frames over %d connections, %d refused by the receiver\n",
			      frames, conns, refused);
		assert_true(refused > FUZZ_FRAMES / 10);
	}
}

int main(void)
{
	const struct CMUnitTest pure[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_header),
		cmocka_unit_test(test_reader),
		cmocka_unit_test(test_mac),
		cmocka_unit_test(test_hmac_known_answer),
		cmocka_unit_test(test_ktracectl_without_libcrypto),
	};
	const struct CMUnitTest live[] = {
		cmocka_unit_test(test_snapshot_arrives),
		cmocka_unit_test(test_wrong_token),
		cmocka_unit_test(test_refused_port),
		cmocka_unit_test(test_bad_names),
		cmocka_unit_test(test_traversal),
		cmocka_unit_test(test_handshake),
		cmocka_unit_test(test_protocol_order),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_vanishing_sender),
		cmocka_unit_test(test_slow_and_silent),
		cmocka_unit_test(test_insecure),
		cmocka_unit_test(test_fuzz),
	};
	int ret;

	signal(SIGPIPE, SIG_IGN);
	ret = cmocka_run_group_tests_name("relay protocol", pure, NULL, NULL);
	ret |= cmocka_run_group_tests_name("ktrace-relayd", live, setup_relayd,
					   teardown_relayd);
	return ret;
}
