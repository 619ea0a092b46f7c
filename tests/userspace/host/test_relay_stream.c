// SPDX-License-Identifier: GPL-2.0
/*
 * A normal session's trace streamed to ktrace-relayd (docs/RELAY.md,
 * "Streaming"): the STREAM_* frames' bounds, then a live receiver on
 * 127.0.0.1 fed by the sender's code (relay_client.c, what the consumer
 * runs): the files it writes are those a local output gets (the same
 * names and bytes, written here by the local consumer's tracefile.c),
 * rotation and count included; a continued trace goes on where it was; a
 * sender that vanishes mid-packet, a packet that is not one, a refused
 * limit (bytes, files) leave whole packets only and an INTERRUPTED mark,
 * as does the receiver stopped mid-stream; every field checked (ids,
 * lengths, names, order, version).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
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
#include <unistd.h>
#include <cmocka.h>

#include "consumer_path.h"
#include "relay_client.h"
#include "relay_proto.h"
#include "relay_test_util.h"
#include "tracefile.h"

#define TOKEN		"0123456789abcdef-stream-token"
#define MAX_BYTES	(8 << 20)
#define PKT		4096

static char root[256], out[300], logpath[300], local[300];
static pid_t relayd = -1;
static uint16_t port;

/* ---- the frames, pure ---- */

static void test_stream_frames(void **state)
{
	uint8_t hdr[RELAY_HDR_LEN];
	uint32_t len, min, max;
	uint16_t type, t;

	(void)state;
	/* The stream frames are known, each within its bounds. */
	for (t = RELAY_STREAM_BEGIN; t <= RELAY_STREAM_END; t++) {
		relay_payload_bounds(t, &min, &max);
		relay_hdr_encode(hdr, t, max);
		assert_int_equal(relay_hdr_decode(hdr, &type, &len), 0);
		relay_hdr_encode(hdr, t, max + 1);
		assert_int_equal(relay_hdr_decode(hdr, &type, &len), -EPROTO);
		if (min) {
			relay_hdr_encode(hdr, t, min - 1);
			assert_int_equal(relay_hdr_decode(hdr, &type, &len), -EPROTO);
		}
	}
	relay_payload_bounds(RELAY_STREAM_PACKET, &min, &max);
	assert_int_equal(min, 12);
	assert_int_equal(max, 12);
	relay_payload_bounds(RELAY_STREAM_OPEN, &min, &max);
	assert_int_equal(min, 23);
	assert_int_equal(max, 22 + RELAY_CHANNEL_NAME_MAX);
	relay_payload_bounds(RELAY_STREAM_BEGIN, &min, &max);
	assert_int_equal(min, 8);
	assert_int_equal(max, 2 * (2 + RELAY_NAME_MAX) + 2);
	relay_payload_bounds(RELAY_STREAM_SYNC, &min, &max);
	assert_int_equal(max, 0);
	/* Past the last stream frame: unknown. */
	for (t = RELAY_STREAM_END + 1; t < 64; t++) {
		relay_hdr_encode(hdr, t, 0);
		assert_int_equal(relay_hdr_decode(hdr, &type, &len), -EPROTO);
	}
	assert_string_equal(relay_err_reason(RELAY_E_STREAMING),
			    "trace being received already");
}

/* ---- helpers ---- */

static int setup_relayd(void **state)
{
	char tokpath[320], bytes[16];
	const char *args[] = {
		"--output-dir", out, "--token-file", tokpath,
		"--max-bytes", bytes, "--max-files", "40", "--timeout", "2",
		NULL,
	};
	int fd;

	(void)state;
	snprintf(root, sizeof(root), "/tmp/test_relay_stream.XXXXXX");
	if (!mkdtemp(root))
		return -1;
	snprintf(out, sizeof(out), "%s/out", root);
	snprintf(local, sizeof(local), "%s/local", root);
	snprintf(logpath, sizeof(logpath), "%s/relayd.log", root);
	snprintf(tokpath, sizeof(tokpath), "%s/token", root);
	fd = open(tokpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, TOKEN "\n", strlen(TOKEN) + 1) < 0)
		return -1;
	close(fd);
	if (mkdir(local, 0755))
		return -1;
	snprintf(bytes, sizeof(bytes), "%d", MAX_BYTES);
	relayd = relayd_start(logpath, args, &port);
	return relayd > 0 && port ? 0 : -1;
}

static int teardown_relayd(void **state)
{
	(void)state;
	return relayd_stop(relayd, root);
}

static void connect_stream(struct relay_client *c)
{
	int ret = relay_client_connect_stream(c, "127.0.0.1", port,
					      (const uint8_t *)TOKEN,
					      strlen(TOKEN), 5000);

	if (ret)
		fail_msg("connect: %s", c->err);
}

/*
 * Packet @n of a stream: a CTF packet header (magic, packet_size in
 * bits at byte 56, as the kernel writes them) and seeded bytes.
 */
static void packet(uint8_t *p, size_t size, unsigned int n)
{
	uint64_t bits = (uint64_t)size * 8;
	unsigned int seed = n * 7919 + 1;
	size_t i;

	for (i = 0; i < size; i++)
		p[i] = (uint8_t)(rand_r(&seed) >> 5);
	p[0] = 0xC1;
	p[1] = 0x1F;
	p[2] = 0xFC;
	p[3] = 0xC1;
	for (i = 0; i < 8; i++)
		p[56 + i] = (uint8_t)(bits >> (8 * i));
}

struct stream_spec {
	const char *chan;
	unsigned int cpu;
	uint64_t tracefile_size;
	uint32_t tracefile_count;
};

/* What a local output gets: the consumer's tracefile.c, in @dir/kernel. */
static void write_local(const char *dir, const struct stream_spec *sp,
			size_t nstreams, unsigned int npackets, bool append,
			unsigned int first)
{
	char kdir[512], err[200];
	struct tracefile tf;
	uint8_t buf[PKT];
	unsigned int i;
	size_t s;
	int kfd;

	snprintf(kdir, sizeof(kdir), "%s/kernel", dir);
	mkdir(dir, 0755);
	mkdir(kdir, 0755);
	kfd = open(kdir, O_RDONLY | O_DIRECTORY);
	assert_true(kfd >= 0);
	for (s = 0; s < nstreams; s++) {
		tracefile_init(&tf, kfd, sp[s].chan, sp[s].cpu,
			       sp[s].tracefile_size, sp[s].tracefile_count);
		assert_int_equal(tracefile_open(&tf, append, err, sizeof(err)), 0);
		for (i = first; i < first + npackets; i++) {
			packet(buf, PKT, i * 16 + s);
			assert_int_equal(tracefile_before_packet(&tf, PKT, err,
								 sizeof(err)), 0);
			assert_int_equal(write(tf.out, buf, PKT), PKT);
			tf.file_bytes += PKT;
		}
		tracefile_close(&tf);
	}
	close(kfd);
}

/* The same through the network: the sender's calls, as the consumer's. */
static int send_stream(struct relay_client *c, const char *session,
		       const struct stream_spec *sp, size_t nstreams,
		       unsigned int npackets, bool cont, unsigned int first,
		       const char *metadata, uint64_t *md_have)
{
	uint8_t buf[PKT];
	unsigned int i;
	size_t s;
	int ret;

	ret = relay_client_stream_begin(c, "testhost", session,
					cont ? RELAY_STREAM_CONTINUE : 0,
					md_have);
	for (s = 0; !ret && s < nstreams; s++)
		ret = relay_client_stream_open(c, s, sp[s].chan, sp[s].cpu,
					       sp[s].tracefile_size,
					       sp[s].tracefile_count);
	if (!ret && metadata)
		ret = relay_client_stream_metadata(c, metadata, strlen(metadata));
	for (i = first; !ret && i < first + npackets; i++)
		for (s = 0; !ret && s < nstreams; s++) {
			packet(buf, PKT, i * 16 + s);
			ret = relay_client_stream_packet(c, s, PKT);
			/* Two DATA frames: a packet needs not come in one. */
			if (!ret)
				ret = relay_client_write(c, buf, 1000);
			if (!ret)
				ret = relay_client_write(c, buf + 1000, PKT - 1000);
		}
	return ret;
}

/* The same names in A and B, each file byte-identical; their count. */
static int same_files(const char *a, const char *b)
{
	char pa[600], pb[600], *x, *y;
	struct dirent *d;
	size_t la, lb;
	int n = 0, m = 0;
	DIR *dir;

	dir = opendir(a);
	assert_non_null(dir);
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(pa, sizeof(pa), "%s/%s", a, d->d_name);
		snprintf(pb, sizeof(pb), "%s/%s", b, d->d_name);
		x = read_all(pa, &la);
		y = read_all(pb, &lb);
		if (!y)
			fail_msg("%s: missing on the receiver", d->d_name);
		if (la != lb || memcmp(x, y, la))
			fail_msg("%s: %zu bytes locally, %zu received, or different",
				 d->d_name, la, lb);
		free(x);
		free(y);
		n++;
	}
	closedir(dir);
	dir = opendir(b);
	assert_non_null(dir);
	while ((d = readdir(dir)))
		m += d->d_name[0] != '.';
	closedir(dir);
	assert_int_equal(n, m);
	return n;
}

static off_t file_size(const char *rel)
{
	char path[600];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", out, rel);
	return stat(path, &st) ? -1 : st.st_size;
}

static bool exists(const char *rel)
{
	return file_size(rel) >= 0;
}

/* ---- a live receiver ---- */

static void test_stream_arrives(void **state)
{
	static const struct stream_spec sp[] = {
		{ "channel0", 0, 0, 0 }, { "channel0", 1, 0, 0 },
		{ "chan_b", 3, 0, 0 },
	};
	const char *md = "/* CTF 1.8 */ metadata bytes\n";
	char ldir[400], rdir[400], path[600], *text;
	struct relay_client c;
	uint64_t md_have = 99, synced = 0;

	(void)state;
	connect_stream(&c);
	assert_int_equal(send_stream(&c, "s1", sp, 3, 20, false, 0, md,
				     &md_have), 0);
	assert_int_equal(md_have, 0);
	assert_int_equal(relay_client_stream_sync(&c, &synced), 0);
	assert_int_equal(synced, strlen(md) + 3 * 20 * PKT);
	assert_int_equal(relay_client_stream_end(&c), 0);
	relay_client_close(&c);
	assert_true(log_has(logpath, "received stream testhost/s1: "));

	snprintf(ldir, sizeof(ldir), "%s/s1", local);
	write_local(ldir, sp, 3, 20, false, 0);
	snprintf(path, sizeof(path), "%s/kernel/metadata", ldir);
	text = strdup(md);
	{
		FILE *f = fopen(path, "w");

		fputs(text, f);
		fclose(f);
	}
	free(text);
	snprintf(ldir, sizeof(ldir), "%s/s1/kernel", local);
	snprintf(rdir, sizeof(rdir), "%s/testhost/s1/kernel", out);
	assert_int_equal(same_files(ldir, rdir), 4);
	assert_false(exists("testhost/s1/INTERRUPTED"));
}

static void test_rotation(void **state)
{
	/* 3 packets a file, 2 files kept; and one 5-packet file. */
	static const struct stream_spec sp[] = {
		{ "rot", 0, 3 * PKT, 2 }, { "rot", 1, 5 * PKT + 100, 0 },
	};
	char ldir[400], rdir[400];
	struct relay_client c;
	uint64_t md;

	(void)state;
	connect_stream(&c);
	assert_int_equal(send_stream(&c, "s2", sp, 2, 13, false, 0, "m\n", &md), 0);
	assert_int_equal(relay_client_stream_sync(&c, NULL), 0);
	assert_int_equal(relay_client_stream_end(&c), 0);
	relay_client_close(&c);
	assert_true(log_has(logpath, "received stream testhost/s2: "));
	snprintf(ldir, sizeof(ldir), "%s/s2", local);
	write_local(ldir, sp, 2, 13, false, 0);
	{
		char p[600];
		FILE *f;

		snprintf(p, sizeof(p), "%s/kernel/metadata", ldir);
		f = fopen(p, "w");
		fputs("m\n", f);
		fclose(f);
	}
	snprintf(ldir, sizeof(ldir), "%s/s2/kernel", local);
	snprintf(rdir, sizeof(rdir), "%s/testhost/s2/kernel", out);
	/* rot_0_3, rot_0_4 (13 packets: 5 files, 2 kept), rot_1_0..2. */
	assert_int_equal(same_files(ldir, rdir), 1 + 2 + 3);
	assert_true(exists("testhost/s2/kernel/rot_0_4"));
	assert_false(exists("testhost/s2/kernel/rot_0_2"));
	assert_int_equal(file_size("testhost/s2/kernel/rot_0_4"), PKT);

	/* A later consumer: the next file, the metadata where it was. */
	connect_stream(&c);
	assert_int_equal(send_stream(&c, "s2", sp, 2, 4, true, 13, NULL, &md), 0);
	assert_int_equal(md, 2);
	assert_int_equal(relay_client_stream_metadata(&c, "n\n", 2), 0);
	assert_int_equal(relay_client_stream_sync(&c, NULL), 0);
	assert_int_equal(relay_client_stream_end(&c), 0);
	relay_client_close(&c);
	assert_true(log_has(logpath, "continuing stream testhost/s2"));
	snprintf(ldir, sizeof(ldir), "%s/s2", local);
	write_local(ldir, sp, 2, 4, true, 13);
	{
		char p[600];
		FILE *f;

		snprintf(p, sizeof(p), "%s/kernel/metadata", ldir);
		f = fopen(p, "a");
		fputs("n\n", f);
		fclose(f);
	}
	snprintf(ldir, sizeof(ldir), "%s/s2/kernel", local);
	assert_int_equal(same_files(ldir, rdir), 1 + 2 + 4);
	assert_int_equal(file_size("testhost/s2/kernel/metadata"), 4);
}

/* A stream of @session begun, stream 0 "c_0" declared. */
static void begun(struct relay_client *c, const char *session)
{
	uint64_t md;

	connect_stream(c);
	assert_int_equal(relay_client_stream_begin(c, "testhost", session, 0, &md), 0);
	assert_int_equal(relay_client_stream_open(c, 0, "c", 0, 0, 0), 0);
}

static void refused(struct relay_client *c, const char *want)
{
	assert_string_equal(refusal(c), want);
	relay_client_close(c);
}

static void test_mid_packet(void **state)
{
	uint8_t buf[PKT];
	struct relay_client c;
	char *text;

	(void)state;
	begun(&c, "s3");
	packet(buf, PKT, 1);
	assert_int_equal(relay_client_stream_packet(&c, 0, PKT), 0);
	assert_int_equal(relay_client_write(&c, buf, PKT), 0);
	assert_int_equal(relay_client_stream_packet(&c, 0, PKT), 0);
	assert_int_equal(relay_client_write(&c, buf, PKT / 2), 0);
	/* Gone mid-packet, without a word. */
	close(c.fd);
	assert_true(log_has(logpath, "stream testhost/s3 interrupted: the sender went away"));
	assert_int_equal(file_size("testhost/s3/kernel/c_0"), PKT);
	text = read_all(strcat(strcpy((char[600]){ 0 }, out), "/testhost/s3/INTERRUPTED"),
			NULL);
	assert_non_null(text);
	assert_non_null(strstr(text, "interrupted: the sender went away (connection lost); each file ends at its last whole packet"));
	free(text);

	/*
	 * A receiver killed mid-packet leaves its beginning at the file's
	 * end (made here by hand): a continuing sender's begin cuts it off,
	 * and its packets follow the last whole one.
	 */
	{
		char path[600];
		uint64_t md;
		int fd;

		snprintf(path, sizeof(path), "%s/testhost/s3/kernel/c_0", out);
		fd = open(path, O_WRONLY | O_APPEND);
		assert_true(fd >= 0);
		assert_int_equal(write(fd, buf, PKT / 3), PKT / 3);
		close(fd);
		connect_stream(&c);
		assert_int_equal(relay_client_stream_begin(&c, "testhost", "s3",
							   RELAY_STREAM_CONTINUE, &md), 0);
		assert_int_equal(relay_client_stream_open(&c, 0, "c", 0, 0, 0), 0);
		packet(buf, PKT, 9);
		assert_int_equal(relay_client_stream_packet(&c, 0, PKT), 0);
		assert_int_equal(relay_client_write(&c, buf, PKT), 0);
		assert_int_equal(relay_client_stream_sync(&c, NULL), 0);
		assert_int_equal(relay_client_stream_end(&c), 0);
		relay_client_close(&c);
		assert_int_equal(file_size("testhost/s3/kernel/c_0"), 2 * PKT);
		text = read_all(path, NULL);
		assert_memory_equal(text + PKT, buf, PKT);
		free(text);
	}

	/* A packet that is not a CTF packet of its size: refused, cut. */
	begun(&c, "s4");
	assert_int_equal(relay_client_stream_packet(&c, 0, PKT), 0);
	assert_int_equal(relay_client_write(&c, buf, PKT), 0);
	memset(buf, 0, 64);
	assert_int_equal(relay_client_stream_packet(&c, 0, PKT), 0);
	assert_int_equal(relay_client_write(&c, buf, PKT), 0);
	refused(&c, "protocol error: stream c_0: not a CTF packet of 4096 bytes");
	assert_int_equal(file_size("testhost/s4/kernel/c_0"), PKT);
	assert_true(exists("testhost/s4/INTERRUPTED"));

	/* More bytes than the packet announced. */
	packet(buf, PKT, 2);
	begun(&c, "s5");
	assert_int_equal(relay_client_stream_packet(&c, 0, PKT), 0);
	assert_int_equal(relay_client_write(&c, buf, PKT - 10), 0);
	raw_frame(&c, RELAY_DATA, buf, 11);
	refused(&c, "protocol error: 11 bytes in a packet that has 10 left");
	assert_int_equal(file_size("testhost/s5/kernel/c_0"), 0);

	/* Over the byte limit: refused before the packet's first byte. */
	begun(&c, "s6");
	assert_int_equal(relay_client_stream_packet(&c, 0, PKT), 0);
	assert_int_equal(relay_client_write(&c, buf, PKT), 0);
	assert_int_equal(relay_client_stream_packet(&c, 0, MAX_BYTES), 0);
	refused(&c, "receiver full: more than 8388608 bytes from this sender");
	assert_int_equal(file_size("testhost/s6/kernel/c_0"), PKT);
}

static void test_validation(void **state)
{
	uint8_t buf[128];
	struct relay_client c, d;
	uint64_t md;

	(void)state;
	/* A snapshot connection (version 1) cannot stream. */
	assert_int_equal(relay_client_connect(&c, "127.0.0.1", port,
					      (const uint8_t *)TOKEN,
					      strlen(TOKEN), 5000), 0);
	memcpy(buf, "\0\1h\0\1s\0\0", 8);
	raw_frame(&c, RELAY_STREAM_BEGIN, buf, 8);
	refused(&c, "protocol error: frame type 32 unexpected between snapshots");

	/* Names: traversal, empty, a NUL inside; unknown flags. */
	connect_stream(&c);
	assert_int_equal(relay_client_stream_begin(&c, "..", "x", 0, &md), -EPROTO);
	assert_string_equal(c.err, "bad name: invalid host name '..'");
	relay_client_close(&c);
	connect_stream(&c);
	memcpy(buf, "\0\1h\0\3a\0b\0\0", 10);
	raw_frame(&c, RELAY_STREAM_BEGIN, buf, 10);
	refused(&c, "bad name: invalid session name 'a'");
	connect_stream(&c);
	memcpy(buf, "\0\1h\0\1s\0\2", 8);
	raw_frame(&c, RELAY_STREAM_BEGIN, buf, 8);
	refused(&c, "protocol error: a malformed STREAM_BEGIN");

	/* A new trace where one is: refused, the old one untouched. */
	connect_stream(&c);
	assert_int_equal(relay_client_stream_begin(&c, "testhost", "s1", 0, &md), -EPROTO);
	assert_string_equal(c.err, "exists on the receiver: testhost/s1 holds a trace already");
	relay_client_close(&c);
	assert_false(exists("testhost/s1/INTERRUPTED"));

	/* Two senders, one trace: the second refused. */
	begun(&c, "s7");
	connect_stream(&d);
	assert_int_equal(relay_client_stream_begin(&d, "testhost", "s7",
						   RELAY_STREAM_CONTINUE, &md), -EPROTO);
	assert_string_equal(d.err, "trace being received already: testhost/s7 is being streamed by another sender");
	relay_client_close(&d);

	/* Ids: declared twice, out of range, not declared. */
	assert_int_equal(relay_client_stream_open(&c, 0, "c", 1, 0, 0), 0);
	refused(&c, "protocol error: stream id 0 declared twice");
	begun(&c, "s8");
	assert_int_equal(relay_client_stream_open(&c, RELAY_STREAM_MAX, "c", 1, 0, 0), 0);
	refused(&c, "protocol error: stream id 65536 out of range");
	begun(&c, "s9");
	assert_int_equal(relay_client_stream_packet(&c, 7, PKT), 0);
	refused(&c, "protocol error: stream id 7 not declared");
	/* The same file under two ids. */
	begun(&c, "s10");
	assert_int_equal(relay_client_stream_open(&c, 1, "c", 0, 0, 0), 0);
	refused(&c, "protocol error: stream c_0 declared twice");
	/* A channel name that would leave the directory. */
	begun(&c, "s11");
	assert_int_equal(relay_client_stream_open(&c, 1, "../x", 0, 0, 0), 0);
	refused(&c, "bad name: invalid channel name '../x'");
	/* A packet smaller than a packet header; DATA out of a packet. */
	begun(&c, "s12");
	assert_int_equal(relay_client_stream_packet(&c, 0, 10), 0);
	refused(&c, "protocol error: a packet of 10 bytes");
	begun(&c, "s13");
	raw_frame(&c, RELAY_DATA, buf, 10);
	refused(&c, "protocol error: frame type 18 unexpected in a stream");
	/* Trailing bytes in STREAM_OPEN. */
	begun(&c, "s14");
	memset(buf, 0, sizeof(buf));
	memcpy(buf + 20, "\0\1c", 3);
	raw_frame(&c, RELAY_STREAM_OPEN, buf, 24);
	refused(&c, "protocol error: trailing bytes in STREAM_OPEN");
	/* Nothing of theirs outside <host>/<session>. */
	assert_false(exists("x"));
	assert_false(exists("testhost/x"));
}

static void test_limits_and_stop(void **state)
{
	uint8_t buf[PKT];
	struct relay_client c;
	uint32_t id;
	char *text;
	int status;

	(void)state;
	/* Files: the metadata and 39 streams fit, the 40th stream does not. */
	begun(&c, "f1");
	for (id = 1; id < 39; id++)
		assert_int_equal(relay_client_stream_open(&c, id, "c", id, 0, 0), 0);
	assert_int_equal(relay_client_stream_packet(&c, 38, PKT), 0);
	packet(buf, PKT, 3);
	assert_int_equal(relay_client_write(&c, buf, PKT), 0);
	assert_int_equal(relay_client_stream_sync(&c, NULL), 0);
	assert_int_equal(relay_client_stream_open(&c, 39, "c", 39, 0, 0), 0);
	refused(&c, "receiver full: more than 40 files from this sender");
	assert_false(exists("testhost/f1/kernel/c_39"));
	assert_int_equal(file_size("testhost/f1/kernel/c_38"), PKT);
	/* A rotation's new file counts too. */
	begun(&c, "f2");
	assert_int_equal(relay_client_stream_open(&c, 1, "r", 0, PKT, 0), 0);
	for (id = 0; id < 45; id++) {
		if (relay_client_stream_packet(&c, 1, PKT) ||
		    relay_client_write(&c, buf, PKT))
			break;
	}
	assert_string_equal(refusal(&c), "receiver full: more than 40 files from this sender");
	relay_client_close(&c);
	/* metadata, c_0, r_0_0 .. r_0_37: 40 files, each a whole packet. */
	assert_int_equal(file_size("testhost/f2/kernel/r_0_37"), PKT);
	assert_false(exists("testhost/f2/kernel/r_0_38"));

	/* The receiver stopped (SIGTERM) mid-stream: it marks the trace. */
	begun(&c, "f3");
	assert_int_equal(relay_client_stream_packet(&c, 0, PKT), 0);
	assert_int_equal(relay_client_write(&c, buf, PKT / 2), 0);
	assert_true(log_has(logpath, "new stream testhost/f3"));
	usleep(200000);
	kill(relayd, SIGTERM);
	assert_int_equal(waitpid(relayd, &status, 0), relayd);
	relayd = -1;
	relay_client_close(&c);
	assert_int_equal(file_size("testhost/f3/kernel/c_0"), 0);
	text = read_all(strcat(strcpy((char[600]){ 0 }, out), "/testhost/f3/INTERRUPTED"),
			NULL);
	assert_non_null(text);
	assert_non_null(strstr(text, "interrupted: ktrace-relayd stopped; each file ends at its last whole packet"));
	free(text);
}

int main(void)
{
	const struct CMUnitTest pure[] = {
		cmocka_unit_test(test_stream_frames),
	};
	const struct CMUnitTest live[] = {
		cmocka_unit_test(test_stream_arrives),
		cmocka_unit_test(test_rotation),
		cmocka_unit_test(test_mid_packet),
		cmocka_unit_test(test_validation),
		cmocka_unit_test(test_limits_and_stop),
	};
	int ret;

	signal(SIGPIPE, SIG_IGN);
	ret = cmocka_run_group_tests_name("relay_stream_frames", pure, NULL, NULL);
	return ret | cmocka_run_group_tests_name("relay_stream_live", live,
						 setup_relayd, teardown_relayd);
}
