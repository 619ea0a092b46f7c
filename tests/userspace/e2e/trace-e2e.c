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
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "e2e.h"

#define WORKLOAD_COMM	"ktrace-wl"
#define TEST_PAYLOAD	0x6b74726163650001ULL
#define SUBBUF_SIZE	(64 * 1024)
#define NUM_SUBBUF	8

static struct e2e_nl nl;

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
	consumed = e2e_stream_u64(s->fd, KTRACE_STREAM_SNAPSHOT_GET_CONSUMED,
				  "GET_CONSUMED");
	produced = e2e_stream_u64(s->fd, KTRACE_STREAM_SNAPSHOT_GET_PRODUCED,
				  "GET_PRODUCED");
	max = e2e_stream_u64(s->fd, KTRACE_STREAM_GET_MAX_SUBBUF_SIZE,
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
		len = e2e_stream_u64(s->fd, KTRACE_STREAM_GET_PADDED_SUBBUF_SIZE,
				     "GET_PADDED_SUBBUF_SIZE");
		off = e2e_stream_u64(s->fd, KTRACE_STREAM_GET_MMAP_READ_OFFSET,
				     "GET_MMAP_READ_OFFSET");
		if (off + len > s->map_len)
			die("read offset %llu + %llu past the mapping",
			    (unsigned long long)off, (unsigned long long)len);
		p->len = len;
		p->data = malloc(len);
		memcpy(p->data, (char *)s->map + off, len);
		spliced = malloc(len);
		if (!spliced || e2e_splice_held(s->fd, spliced, len) ||
		    memcmp(spliced, p->data, len)) {
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

static void session_cmd(uint8_t cmd, uint32_t session, const char *what)
{
	struct e2e_ack ack;

	e2e_must(e2e_session_cmd(&nl, cmd, session, &ack), &ack, what);
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
	struct e2e_ack ack;
	uint32_t session, channel;
	unsigned long n;
	pid_t workload;
	size_t i;
	long cpu;
	int dev, mfd;
	FILE *f;

	if (argc != 3)
		die("usage: trace-e2e OUTDIR N");
	n = strtoul(argv[2], NULL, 0);

	e2e_nl_open(&nl);
	snprintf(name, sizeof(name), "e2e-%d", (int)getpid());
	session = e2e_session_new(&nl, name, KTRACE_SESSION_MODE_SNAPSHOT);
	check(session > 0, "SESSION_NEW replied id %u", session);
	channel = e2e_channel_new(&nl, session, "channel0", SUBBUF_SIZE,
				  NUM_SUBBUF);
	check(channel == 0, "CHANNEL_NEW replied id %u", channel);
	for (i = 0; i < sizeof(events) / sizeof(events[0]); i++)
		e2e_event_enable(&nl, session, channel, events[i]);
	for (i = 0; i < sizeof(contexts) / sizeof(contexts[0]); i++)
		e2e_context_add(&nl, session, channel, contexts[i]);

	session_cmd(KTRACE_CMD_START, session, "START");
	workload = run_workload();
	e2e_must(e2e_test_fire(&nl, 1, n, TEST_PAYLOAD, &ack), &ack, "TEST_FIRE");
	session_cmd(KTRACE_CMD_STOP, session, "STOP");

	snprintf(path, sizeof(path), "%s/trace", argv[1]);
	if (mkdir(path, 0755) && errno != EEXIST)
		die("mkdir %s: %s", path, strerror(errno));
	dev = e2e_dev_open();

	streams = calloc(ncpus, sizeof(*streams));
	for (cpu = 0; cpu < ncpus; cpu++) {
		struct stream *s = &streams[cpu];
		struct packet *first;
		size_t nfirst;
		FILE *out;

		s->cpu = cpu;
		s->fd = e2e_open_stream(dev, session, channel, cpu);
		if (s->fd < 0)
			die("OPEN_STREAM cpu %ld: %s", cpu, strerror(errno));
		check(fcntl(s->fd, F_GETFD) & FD_CLOEXEC,
		      "cpu %ld: stream fd is close-on-exec", cpu);
		s->map_len = e2e_stream_u64(s->fd, KTRACE_STREAM_GET_MMAP_LEN,
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
		char *text = NULL;
		size_t len = 0, cap = 0;
		ssize_t got;

		mfd = e2e_open_metadata(dev, session);
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
	e2e_nl_close(&nl);
	return e2e_summary();
}
