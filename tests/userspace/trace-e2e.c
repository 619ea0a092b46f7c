// SPDX-License-Identifier: GPL-2.0
/*
 * trace-e2e OUTDIR N: record a known workload through the ABI alone (the
 * uapi header and libnl), as a custom agent would, and write it out as a
 * CTF trace that the host then reads with babeltrace2 and babeltrace.
 *
 * It creates a snapshot session with ktrace_test, sched_switch and the
 * raw syscall events and the pid/tid/procname contexts, runs a child
 * named "ktrace-wl" that makes syscalls and sleeps, fires N ktrace_test
 * events (seq 1..N), stops, and reads every stream with the snapshot
 * protocol (flush, snapshot, get/put over the range, skip -EAGAIN). Each
 * packet is read through mmap and through splice, which must agree; a
 * second snapshot must give the same bytes. It writes OUTDIR/trace/
 * (metadata, channel0_<cpu>) and OUTDIR/expect, what the host checks.
 *
 * Exit status: 0 when every in-VM check passed, 1 otherwise.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <linux/netlink.h>
#include <netlink/netlink.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ktrace.h"

#define WORKLOAD_COMM	"ktrace-wl"
#define TEST_PAYLOAD	0x6b74726163650001ULL
#define SUBBUF_SIZE	(64 * 1024)
#define NUM_SUBBUF	8

static int failures;

static void check(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s: ", ok ? "ok" : "FAILED");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!ok)
		failures++;
}

static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "trace-e2e: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* Control: one generic netlink request and its reply. */

static struct nl_sock *nl;
static int family;

struct reply {
	uint32_t u32_attr;	/* attribute to pick from the reply */
	uint32_t u32;
	int error;
	int done;	/* the ack or the error arrived */
	char msg[256];
};

static int on_reply(struct nl_msg *msg, void *arg)
{
	struct reply *r = arg;
	struct nlattr *tb[KTRACE_ATTR_MAX + 1];

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, KTRACE_ATTR_MAX, NULL))
		return NL_SKIP;
	if (r->u32_attr && tb[r->u32_attr])
		r->u32 = nla_get_u32(tb[r->u32_attr]);
	return NL_OK;
}

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *err, void *arg)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)err - 1;
	struct reply *r = arg;
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	int len = nlh->nlmsg_len - sizeof(*nlh) - sizeof(*err);
	struct nlattr *attrs = (struct nlattr *)((char *)err + sizeof(*err));

	(void)nla;
	r->error = err->error;
	r->done = 1;
	/* The request is not echoed back (NETLINK_CAP_ACK). */
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && len > 0 &&
	    !nla_parse(tb, NLMSGERR_ATTR_MAX, attrs, len, NULL) &&
	    tb[NLMSGERR_ATTR_MSG])
		snprintf(r->msg, sizeof(r->msg), "%s",
			 (char *)nla_data(tb[NLMSGERR_ATTR_MSG]));
	return NL_STOP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	struct reply *r = arg;

	(void)msg;
	r->done = 1;
	return NL_STOP;
}

static struct nl_msg *request(uint8_t cmd)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0,
				 NLM_F_REQUEST | NLM_F_ACK, cmd,
				 KTRACE_GENL_VERSION))
		die("out of memory");
	return msg;
}

/* Sends @msg; returns 0 or -errno, with the kernel's message in @r. */
static int transact(struct nl_msg *msg, struct reply *r)
{
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	int ret;

	r->error = 0;
	r->done = 0;
	r->msg[0] = '\0';
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_reply, r);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, r);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, r);
	ret = nl_send_auto(nl, msg);
	nlmsg_free(msg);
	if (ret < 0)
		die("netlink send: %s", nl_geterror(ret));
	/* A reply and its ack may come in separate reads. */
	while (!r->done) {
		ret = nl_recvmsgs(nl, cb);
		if (ret < 0)
			die("netlink receive: %s", nl_geterror(ret));
	}
	nl_cb_put(cb);
	return r->error;
}

static void expect_ok(int ret, const struct reply *r, const char *what)
{
	if (ret)
		die("%s: %s%s%s", what, strerror(-ret), r->msg[0] ? ": " : "",
		    r->msg);
}

/* Data: the snapshot protocol on one stream. */

struct packet {
	size_t len;
	unsigned char *data;
};

struct stream {
	int fd;
	unsigned int cpu;
	void *map;
	size_t map_len;
	size_t npackets;
	struct packet *packets;
	unsigned long skipped;
};

static uint64_t stream_u64(int fd, unsigned long req, const char *what)
{
	uint64_t v;

	if (ioctl(fd, req, &v))
		die("%s: %s", what, strerror(errno));
	return v;
}

/* Copies the held sub-buffer through splice into a pipe. */
static unsigned char *splice_held(int fd, size_t len)
{
	unsigned char *buf = malloc(len);
	size_t done = 0;
	int p[2];

	if (!buf || pipe(p))
		die("splice setup: %s", strerror(errno));
	fcntl(p[1], F_SETPIPE_SZ, (int)len);
	while (done < len) {
		loff_t off = done;
		ssize_t n = splice(fd, &off, p[1], NULL, len - done, 0);

		if (n <= 0)
			die("splice: %s", n ? strerror(errno) : "early end");
		if (read(p[0], buf + done, n) != n)
			die("pipe read: %s", strerror(errno));
		done += n;
	}
	close(p[0]);
	close(p[1]);
	return buf;
}

/*
 * One snapshot of a stream: the packets between the sampled consumed and
 * produced positions, skipping the ones being written or overwritten.
 */
static void stream_snapshot(struct stream *s)
{
	uint64_t consumed, produced, pos, max;

	s->npackets = 0;
	s->skipped = 0;
	if (ioctl(s->fd, KTRACE_STREAM_FLUSH))
		die("FLUSH: %s", strerror(errno));
	if (ioctl(s->fd, KTRACE_STREAM_SNAPSHOT))
		die("SNAPSHOT: %s", strerror(errno));
	consumed = stream_u64(s->fd, KTRACE_STREAM_SNAPSHOT_GET_CONSUMED,
			      "GET_CONSUMED");
	produced = stream_u64(s->fd, KTRACE_STREAM_SNAPSHOT_GET_PRODUCED,
			      "GET_PRODUCED");
	max = stream_u64(s->fd, KTRACE_STREAM_GET_MAX_SUBBUF_SIZE,
			 "GET_MAX_SUBBUF_SIZE");
	s->packets = calloc(NUM_SUBBUF + 1, sizeof(*s->packets));
	for (pos = consumed; (int64_t)(produced - pos) > 0; pos += max) {
		struct packet *p = &s->packets[s->npackets];
		uint64_t off, len;
		unsigned char *spliced;

		if (ioctl(s->fd, KTRACE_STREAM_GET_SUBBUF, &pos)) {
			if (errno != EAGAIN)
				die("GET_SUBBUF: %s", strerror(errno));
			s->skipped++;
			continue;
		}
		len = stream_u64(s->fd, KTRACE_STREAM_GET_PADDED_SUBBUF_SIZE,
				 "GET_PADDED_SUBBUF_SIZE");
		off = stream_u64(s->fd, KTRACE_STREAM_GET_MMAP_READ_OFFSET,
				 "GET_MMAP_READ_OFFSET");
		if (off + len > s->map_len)
			die("read offset %llu + %llu past the mapping",
			    (unsigned long long)off, (unsigned long long)len);
		p->len = len;
		p->data = malloc(len);
		memcpy(p->data, (char *)s->map + off, len);
		spliced = splice_held(s->fd, len);
		if (memcmp(spliced, p->data, len)) {
			check(0, "cpu %u pos %llu: splice and mmap differ",
			      s->cpu, (unsigned long long)pos);
		}
		free(spliced);
		if (ioctl(s->fd, KTRACE_STREAM_PUT_SUBBUF))
			die("PUT_SUBBUF: %s", strerror(errno));
		s->npackets++;
	}
}

static int packets_equal(const struct packet *a, size_t na,
			 const struct packet *b, size_t nb)
{
	size_t i;

	if (na != nb)
		return 0;
	for (i = 0; i < na; i++)
		if (a[i].len != b[i].len || memcmp(a[i].data, b[i].data, a[i].len))
			return 0;
	return 1;
}

static void free_packets(struct packet *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(p[i].data);
	free(p);
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "w");

	if (!f || fwrite(data, 1, len, f) != len || fclose(f))
		die("writing %s: %s", path, strerror(errno));
}

/* The workload: a child with a known name making syscalls and sleeping. */
static pid_t run_workload(void)
{
	pid_t pid = fork();
	int i;

	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		prctl(PR_SET_NAME, WORKLOAD_COMM);
		for (i = 0; i < 200; i++) {
			syscall(SYS_getppid);
			usleep(100);
		}
		_exit(0);
	}
	if (waitpid(pid, NULL, 0) != pid)
		die("waitpid: %s", strerror(errno));
	return pid;
}

static uint32_t session_new(const char *name, struct reply *r)
{
	struct nl_msg *msg = request(KTRACE_CMD_SESSION_NEW);

	nla_put_string(msg, KTRACE_ATTR_SESSION_NAME, name);
	nla_put_u32(msg, KTRACE_ATTR_SESSION_MODE, KTRACE_SESSION_MODE_SNAPSHOT);
	r->u32_attr = KTRACE_ATTR_SESSION_ID;
	expect_ok(transact(msg, r), r, "SESSION_NEW");
	return r->u32;
}

static void session_cmd(uint8_t cmd, uint32_t session, const char *what)
{
	struct nl_msg *msg = request(cmd);
	struct reply r = { 0 };

	nla_put_u32(msg, KTRACE_ATTR_SESSION_ID, session);
	expect_ok(transact(msg, &r), &r, what);
}

int main(int argc, char **argv)
{
	static const char * const events[] = {
		"ktrace_test", "sched_switch", "syscall_entry", "syscall_exit",
	};
	static const uint32_t contexts[] = {
		KTRACE_CONTEXT_TYPE_PID, KTRACE_CONTEXT_TYPE_TID,
		KTRACE_CONTEXT_TYPE_PROCNAME,
	};
	long ncpus = sysconf(_SC_NPROCESSORS_CONF);
	char path[4096], name[64];
	struct stream *streams;
	struct reply r = { 0 };
	struct nl_msg *msg;
	uint32_t session, channel;
	unsigned long n;
	pid_t workload;
	size_t i;
	long cpu;
	int dev, mfd, one = 1;
	FILE *f;

	if (argc != 3)
		die("usage: trace-e2e OUTDIR N");
	n = strtoul(argv[2], NULL, 0);

	nl = nl_socket_alloc();
	if (!nl || genl_connect(nl))
		die("cannot connect to generic netlink");
	if (setsockopt(nl_socket_get_fd(nl), SOL_NETLINK, NETLINK_EXT_ACK,
		       &one, sizeof(one)) ||
	    setsockopt(nl_socket_get_fd(nl), SOL_NETLINK, NETLINK_CAP_ACK,
		       &one, sizeof(one)))
		die("extended acks: %s", strerror(errno));
	family = genl_ctrl_resolve(nl, KTRACE_GENL_NAME);
	if (family < 0)
		die("family %s: %s", KTRACE_GENL_NAME, nl_geterror(family));

	snprintf(name, sizeof(name), "e2e-%d", (int)getpid());
	session = session_new(name, &r);
	check(session > 0, "SESSION_NEW replied id %u", session);

	msg = request(KTRACE_CMD_CHANNEL_NEW);
	nla_put_u32(msg, KTRACE_ATTR_SESSION_ID, session);
	nla_put_string(msg, KTRACE_ATTR_CHANNEL_NAME, "channel0");
	nla_put_u64(msg, KTRACE_ATTR_CHANNEL_SUBBUF_SIZE, SUBBUF_SIZE);
	nla_put_u32(msg, KTRACE_ATTR_CHANNEL_NUM_SUBBUF, NUM_SUBBUF);
	r.u32_attr = KTRACE_ATTR_CHANNEL_ID;
	r.u32 = ~0u;
	expect_ok(transact(msg, &r), &r, "CHANNEL_NEW");
	channel = r.u32;
	check(channel == 0, "CHANNEL_NEW replied id %u", channel);

	for (i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
		msg = request(KTRACE_CMD_EVENT_ENABLE);
		nla_put_u32(msg, KTRACE_ATTR_SESSION_ID, session);
		nla_put_u32(msg, KTRACE_ATTR_CHANNEL_ID, channel);
		nla_put_string(msg, KTRACE_ATTR_EVENT_NAME, events[i]);
		r.u32_attr = KTRACE_ATTR_EVENT_COUNT;
		expect_ok(transact(msg, &r), &r, events[i]);
	}
	for (i = 0; i < sizeof(contexts) / sizeof(contexts[0]); i++) {
		msg = request(KTRACE_CMD_CONTEXT_ADD);
		nla_put_u32(msg, KTRACE_ATTR_SESSION_ID, session);
		nla_put_u32(msg, KTRACE_ATTR_CHANNEL_ID, channel);
		nla_put_u32(msg, KTRACE_ATTR_CONTEXT_TYPE, contexts[i]);
		r.u32_attr = 0;
		expect_ok(transact(msg, &r), &r, "CONTEXT_ADD");
	}

	session_cmd(KTRACE_CMD_START, session, "START");
	workload = run_workload();
	msg = request(KTRACE_CMD_TEST_FIRE);
	nla_put_u64(msg, KTRACE_ATTR_TEST_SEQ, 1);
	nla_put_u32(msg, KTRACE_ATTR_TEST_COUNT, n);
	nla_put_u64(msg, KTRACE_ATTR_TEST_PAYLOAD, TEST_PAYLOAD);
	r.u32_attr = 0;
	expect_ok(transact(msg, &r), &r, "TEST_FIRE");
	session_cmd(KTRACE_CMD_STOP, session, "STOP");

	snprintf(path, sizeof(path), "%s/trace", argv[1]);
	if (mkdir(path, 0755) && errno != EEXIST)
		die("mkdir %s: %s", path, strerror(errno));
	dev = open(KTRACE_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (dev < 0)
		die("%s: %s", KTRACE_DEVICE_PATH, strerror(errno));

	streams = calloc(ncpus, sizeof(*streams));
	for (cpu = 0; cpu < ncpus; cpu++) {
		struct ktrace_open_stream req = {
			.size = sizeof(req),
			.session_id = session,
			.channel_id = channel,
			.cpu = cpu,
		};
		struct stream *s = &streams[cpu];
		struct packet *first;
		size_t nfirst;
		FILE *out;

		s->cpu = cpu;
		s->fd = ioctl(dev, KTRACE_IOC_OPEN_STREAM, &req);
		if (s->fd < 0)
			die("OPEN_STREAM cpu %ld: %s", cpu, strerror(errno));
		check(fcntl(s->fd, F_GETFD) & FD_CLOEXEC,
		      "cpu %ld: stream fd is close-on-exec", cpu);
		s->map_len = stream_u64(s->fd, KTRACE_STREAM_GET_MMAP_LEN,
					"GET_MMAP_LEN");
		s->map = mmap(NULL, s->map_len, PROT_READ, MAP_SHARED, s->fd, 0);
		if (s->map == MAP_FAILED)
			die("mmap cpu %ld: %s", cpu, strerror(errno));

		stream_snapshot(s);
		first = s->packets;
		nfirst = s->npackets;
		stream_snapshot(s);
		check(packets_equal(first, nfirst, s->packets, s->npackets),
		      "cpu %ld: two snapshots give the same %zu packets",
		      cpu, nfirst);
		free_packets(first, nfirst);

		snprintf(path, sizeof(path), "%s/trace/channel0_%ld", argv[1],
			 cpu);
		out = fopen(path, "w");
		if (!out)
			die("%s: %s", path, strerror(errno));
		for (i = 0; i < s->npackets; i++)
			if (fwrite(s->packets[i].data, 1, s->packets[i].len,
				   out) != s->packets[i].len)
				die("writing %s: %s", path, strerror(errno));
		if (fclose(out))
			die("writing %s: %s", path, strerror(errno));
		printf("cpu %ld: %zu packets, %lu skipped\n", cpu, s->npackets,
		       s->skipped);
		free_packets(s->packets, s->npackets);
		munmap(s->map, s->map_len);
		close(s->fd);
	}

	{
		struct ktrace_open_metadata req = {
			.size = sizeof(req),
			.session_id = session,
		};
		char *text = NULL;
		size_t len = 0, cap = 0;
		ssize_t got;

		mfd = ioctl(dev, KTRACE_IOC_OPEN_METADATA, &req);
		if (mfd < 0)
			die("OPEN_METADATA: %s", strerror(errno));
		do {
			if (len == cap) {
				cap = cap ? 2 * cap : 65536;
				text = realloc(text, cap);
			}
			got = read(mfd, text + len, cap - len);
			if (got < 0)
				die("metadata read: %s", strerror(errno));
			len += got;
		} while (got > 0);
		close(mfd);
		check(len > 16 && !memcmp(text, "/* CTF 1.8 */", 13),
		      "metadata starts with /* CTF 1.8 */ (%zu bytes)", len);
		snprintf(path, sizeof(path), "%s/trace/metadata", argv[1]);
		write_file(path, text, len);
		free(text);
	}
	close(dev);
	session_cmd(KTRACE_CMD_SESSION_DEL, session, "SESSION_DEL");

	snprintf(path, sizeof(path), "%s/expect", argv[1]);
	f = fopen(path, "w");
	if (!f)
		die("%s: %s", path, strerror(errno));
	fprintf(f, "test_events %lu\npayload %#llx\nworkload_tid %d\n"
		"workload_comm %s\n", n, (unsigned long long)TEST_PAYLOAD,
		(int)workload, WORKLOAD_COMM);
	fclose(f);
	nl_socket_free(nl);
	printf("trace-e2e: %d failure(s)\n", failures);
	return failures ? 1 : 0;
}
