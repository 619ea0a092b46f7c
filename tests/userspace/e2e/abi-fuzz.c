// SPDX-License-Identifier: GPL-2.0
/*
 * abi-fuzz [-s SEED] [-n OPS] [-t THREADS] [-T OPS] [-d SECONDS] [-v]:
 * abuse the ABI, from one thread and from several at once, then check that
 * it still works (the uapi header and libnl only).
 *
 *  1. Privileges. As uid 65534 without capabilities: open("/dev/ktrace")
 *     fails with EACCES, while a /dev/ktrace fd that root handed over keeps
 *     working; the netlink commands genl-e2e does not try fail with EPERM,
 *     and so does every request from root on a socket that the
 *     unprivileged process opened (the opener's credentials count too).
 *  2. Fuzz. A snapshot session "fz-main" (events, contexts, started) and a
 *     normal session "fz-victim" that the fuzz may destroy under its
 *     readers; /dev/ktrace, one stream fd per CPU of each, a metadata fd.
 *     Then OPS (10000) operations, or as many as SECONDS (60) allow, from
 *     a seeded PRNG: ioctls around the valid numbers (direction, size,
 *     number and type bits changed, random arguments: NULL, unmapped,
 *     kernel and straddling pointers, structs with random sizes, flags,
 *     reserved fields and ids), generic netlink messages (commands 0..40,
 *     random flags including dump, attributes of random types and lengths,
 *     nested garbage), mmap, munmap, mremap, mprotect, madvise, read,
 *     pread, write, lseek, splice, tee, sendfile, poll, close and reopen.
 *     Every ioctl with a valid number must fail only with an errno
 *     docs/ABI.md lists for it (fuzz-ioctl.c, fuzz-genl.c, fuzz-ops.c).
 *  3. Threads. THREADS (4) threads share /dev/ktrace, a stream fd per CPU
 *     of each session and their metadata fds, and race the same calls on
 *     them (get/put, splice, mmap, poll...) with a netlink socket each,
 *     while they also dup the shared fds and close and reopen them (alone,
 *     under a lock: fd numbers are never reused under another thread's
 *     call), until OPS (4000) operations in all or SECONDS (60) have
 *     passed (fuzz-threads.c). The same errno and netlink checks hold.
 *  4. Afterwards, with every fuzz fd, mapping and pipe closed: fz-main is
 *     still listed, stops and starts, its streams open again (no reader
 *     leaked), and test events fired on CPU 0 are read back, the same
 *     bytes through mmap and splice.
 *  5. Killed reader. A child gets the newest packet of CPU 0, splices part
 *     of it into a pipe of its own and blocks; while it lives the stream is
 *     EBUSY; once it is SIGKILLed and reaped, the parent gets the same
 *     position with the same bytes.
 *  6. Every session it made is destroyed.
 *
 * The fuzz stays an abuse of the ABI, not of the fuzzer or the machine: it
 * passes the kernel no pointer into its own memory except a scratch arena
 * that ends at a guard page, never maps with MAP_FIXED, never destroys
 * fz-main or disables its events, pipes are non-blocking, and channel
 * geometries stay small (at most 4 MiB per CPU) so that a 1 GiB VM keeps
 * room. The seed is printed first: -s SEED replays the single-threaded
 * phase, and each thread's sequence of operations (not their
 * interleaving).
 *
 * Prints "ok:"/"FAILED:" lines; exit status 0 when every check passed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fuzz.h"

#define MAIN_NUM_SUBBUF	4
#define VICTIM_SUBBUF	16384
#define POST_EVENTS	100
#define POST_PAYLOAD	0x66757a7a2d6f6b21ULL	/* "fuzz-ok!" */
#define MAX_CPUS	64
#define SHARED_CPUS	8	/* the threads share these CPUs' streams */

/* ---- Netlink ---- */

static struct e2e_nl ctl;		/* the control socket */

static void session_setup(uint32_t session, uint64_t subbuf, uint32_t num,
			  const char *const *events, const uint32_t *contexts)
{
	struct e2e_ack ack;

	e2e_channel_new(&ctl, session, "channel0", subbuf, num);
	for (; *events; events++)
		e2e_event_enable(&ctl, session, 0, *events);
	for (; *contexts; contexts++)
		e2e_context_add(&ctl, session, 0, *contexts);
	e2e_must(e2e_session_cmd(&ctl, KTRACE_CMD_START, session, &ack), &ack,
		 "START");
}

/* ---- Phase 1: privileges ---- */

static void drop_privileges(void)
{
	if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
		die("dropping privileges: %s", strerror(errno));
}

/* A request for @cmd on @c; returns its errno, the message in @ack. */
static int try_cmd(struct e2e_nl *c, uint8_t cmd, int dump,
		   struct e2e_ack *ack)
{
	struct nl_msg *msg = e2e_msg(c, cmd, dump);

	if (cmd != KTRACE_CMD_TRACEPOINT_LIST)
		e2e_put_u32(msg, KTRACE_ATTR_SESSION_ID, main_id);
	return e2e_send(c, msg, NULL, NULL, ack);
}

static void send_fd(int sock, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { .iov_base = "f", .iov_len = 1 };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	if (sendmsg(sock, &mh, 0) != 1)
		die("sendmsg: %s", strerror(errno));
}

static int recv_fd(int sock)
{
	char cbuf[CMSG_SPACE(sizeof(int))], byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c;
	int fd;

	if (recvmsg(sock, &mh, 0) != 1 || !(c = CMSG_FIRSTHDR(&mh)))
		die("recvmsg: %s", strerror(errno));
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

/*
 * The child drops to uid 65534: /dev/ktrace refuses it, the fd root
 * handed over works, netlink refuses it, even on the socket root opened.
 * It then sends root a netlink socket of its own, which root may not use.
 */
static void test_unprivileged(int dev)
{
	static const struct { uint8_t cmd; int dump; } cmds[] = {
		{ KTRACE_CMD_CHANNEL_GET, 0 }, { KTRACE_CMD_EVENT_DISABLE, 0 },
		{ KTRACE_CMD_OUTPUT_DEL, 0 }, { KTRACE_CMD_SESSION_GET, 0 },
	};
	int sv[2], status, fd, ret;
	struct e2e_nl theirs;
	struct ktrace_api api;
	struct e2e_ack ack;
	unsigned int i;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		die("socketpair: %s", strerror(errno));
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (!pid) {
		drop_privileges();
		e2e_failures = 0;
		fd = open(KTRACE_DEVICE_PATH, O_RDWR);
		check(fd < 0 && errno == EACCES,
		      "uid 65534: open(%s, O_RDWR) fails with EACCES (%s)",
		      KTRACE_DEVICE_PATH, fd < 0 ? strerror(errno) : "opened");
		fd = open(KTRACE_DEVICE_PATH, O_RDONLY);
		check(fd < 0 && errno == EACCES,
		      "uid 65534: open(%s, O_RDONLY) fails with EACCES (%s)",
		      KTRACE_DEVICE_PATH, fd < 0 ? strerror(errno) : "opened");
		api = (struct ktrace_api){ .size = sizeof(api) };
		check(!ioctl(dev, KTRACE_IOC_API, &api) &&
		      api.abi_version >= KTRACE_ABI_VERSION,
		      "uid 65534: the /dev/ktrace fd root handed over works");
		for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
			ret = try_cmd(&ctl, cmds[i].cmd, cmds[i].dump, &ack);
			check(ret == -EPERM,
			      "uid 65534 on root's socket: command %u: EPERM (%s, \"%s\")",
			      cmds[i].cmd, strerror(-ret), ack.msg);
		}
		e2e_nl_open(&theirs);
		ret = try_cmd(&theirs, KTRACE_CMD_TRACEPOINT_LIST, 1, &ack);
		check(ret == -EPERM, "uid 65534 on its own socket: EPERM (%s)",
		      strerror(-ret));
		send_fd(sv[1], theirs.fd);
		fflush(stdout);
		_exit(e2e_failures ? 1 : 0);
	}
	theirs = ctl;
	theirs.fd = recv_fd(sv[0]);
	if (waitpid(pid, &status, 0) != pid)
		die("waitpid: %s", strerror(errno));
	check(WIFEXITED(status) && !WEXITSTATUS(status),
	      "the unprivileged child passed its checks");
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		ret = try_cmd(&theirs, cmds[i].cmd, cmds[i].dump, &ack);
		check(ret == -EPERM,
		      "root on a socket uid 65534 opened: command %u: EPERM (%s, \"%s\")",
		      cmds[i].cmd, strerror(-ret), ack.msg);
	}
	ret = try_cmd(&theirs, KTRACE_CMD_TRACEPOINT_LIST, 1, &ack);
	check(ret == -EPERM,
	      "root on a socket uid 65534 opened: TRACEPOINT_LIST dump: EPERM (%s)",
	      strerror(-ret));
	e2e_nl_close(&theirs);
	close(sv[0]);
	close(sv[1]);
}

/* ---- The sessions it fuzzes ---- */

static const char *const main_events[] = {
	"ktrace_test", "sched_switch", "sched_wakeup", "timer_*", NULL,
};
static const char *const victim_events[] = {
	"ktrace_test", "sched_switch", NULL,
};
static const uint32_t main_contexts[] = {
	KTRACE_CONTEXT_TYPE_PID, KTRACE_CONTEXT_TYPE_PROCNAME, 0,
};
static const uint32_t no_contexts[] = { 0 };

static void victim_new(void)
{
	victim_id = e2e_session_new(&ctl, VICTIM_NAME, KTRACE_SESSION_MODE_NORMAL);
	session_setup(victim_id, VICTIM_SUBBUF, 2, victim_events, no_contexts);
}

/* ---- Phase 2: the fuzz, one thread ---- */

/* What a phase did since @t0, and its checks. */
static void check_stats(const struct fuzz_stats *s, const char *who,
			uint64_t t0)
{
	fuzz_print_stats(s, (e2e_now_ns() - t0) / 1e9);
	check(s->errno_violations == 0,
	      "%severy failing ioctl returned an errno docs/ABI.md lists (%lu did not)",
	      who, s->errno_violations);
	check(s->genl_ok == s->genl_sent,
	      "%sthe family answered after every random message (%lu of %lu)",
	      who, s->genl_ok, s->genl_sent);
}

static unsigned long fuzz_alone(int dev, unsigned long ops,
			       unsigned int seconds)
{
	struct e2e_nl fuzz_nl;
	unsigned int cpu;
	unsigned long op;
	uint64_t t0, deadline;

	e2e_nl_open(&fuzz_nl);
	fuzz_nl.stray = fuzz_count_acks;
	fuzz_thread_init();
	fuzz_add_fd(dev, FD_DEV);
	for (cpu = 0; cpu < ncpus; cpu++) {
		int m = e2e_open_stream(dev, main_id, 0, cpu);
		int v = e2e_open_stream(dev, victim_id, 0, cpu);

		if (m < 0 || v < 0)
			die("OPEN_STREAM cpu %u: %s", cpu, strerror(errno));
		fuzz_add_fd(m, FD_STREAM);
		fuzz_add_fd(v, FD_STREAM);
	}
	fuzz_add_fd(e2e_open_metadata(dev, main_id), FD_META);
	fuzz_add_fd(e2e_open_metadata(dev, victim_id), FD_META);
	fuzz_add_fd(open("/dev/null", O_RDWR | O_CLOEXEC), FD_OTHER);
	e2e_test_fire(&ctl, 1, 50, 1, NULL);	/* something in the buffers */

	t0 = e2e_now_ns();
	deadline = t0 + (uint64_t)seconds * 1000000000;
	for (op = 0; op < ops && e2e_now_ns() < deadline; op++) {
		fuzz_op(&fuzz_nl, op, 0);
		if (op % 1000 == 999) {
			printf("... %lu operations\n", op + 1);
			fflush(stdout);
		}
	}
	check_stats(&stats, "", t0);

	/* Everything the fuzz held goes, /dev/ktrace stays. */
	fuzz_thread_fini();
	e2e_nl_close(&fuzz_nl);
	return op;
}

/* ---- Phase 3: threads on shared fds ---- */

/* Shares @fd if it is one: 1, else 0. */
static unsigned int share(int fd, enum fd_kind kind, uint32_t session,
			  uint32_t cpu)
{
	if (fd < 0)
		return 0;
	fuzz_share(fd, kind, session, cpu);
	return 1;
}

static unsigned long fuzz_together(int dev, unsigned int threads,
				   unsigned long ops, unsigned int seconds,
				   uint64_t seed)
{
	struct fuzz_stats total = { 0 };
	unsigned int cpu, ran, n = 0;
	uint64_t t0;
	int fd;

	/*
	 * The first phase may have destroyed the victim, and even made a
	 * session of its name: a new one, with its channel.
	 */
	if (e2e_session_cmd(&ctl, KTRACE_CMD_SESSION_GET, victim_id, NULL)) {
		struct nl_msg *msg = e2e_msg(&ctl, KTRACE_CMD_SESSION_DEL, 0);

		e2e_put_str(msg, KTRACE_ATTR_SESSION_NAME, VICTIM_NAME);
		e2e_send(&ctl, msg, NULL, NULL, NULL);
		victim_new();
	}
	fuzz_share(dev, FD_DEV, 0, 0);
	fuzz_share(open("/dev/null", O_RDWR | O_CLOEXEC), FD_OTHER, 0, 0);
	for (cpu = 0; cpu < ncpus && cpu < SHARED_CPUS; cpu++) {
		fd = e2e_open_stream(dev, main_id, 0, cpu);
		if (fd < 0)
			check(0, "cpu %u: OPEN_STREAM of %s for the threads: %s",
			      cpu, MAIN_NAME, strerror(errno));
		n += share(fd, FD_STREAM, main_id, cpu);
		n += share(e2e_open_stream(dev, victim_id, 0, cpu), FD_STREAM,
			   victim_id, cpu);
	}
	n += share(e2e_open_metadata(dev, main_id), FD_META, main_id, 0);
	n += share(e2e_open_metadata(dev, victim_id), FD_META, victim_id, 0);
	e2e_test_fire(&ctl, 1, 50, 2, NULL);
	printf("abi-fuzz: %u threads on %u shared stream and metadata fds, "
	       "at most %lu operations in %u s\n", threads, n, ops, seconds);
	fflush(stdout);

	t0 = e2e_now_ns();
	ran = fuzz_threads(threads, ops, seconds, seed, &total);
	check(ran == threads, "threads: each of the %u ran operations (%u did)",
	      threads, ran);
	check_stats(&total, "threads: ", t0);
	fuzz_unshare();
	return total.ops[0] + total.ops[1] + total.ops[2] + total.ops[3] +
	       total.ops[4];
}

/* ---- Phase 4: the session still works ---- */

/* The ktrace_test events with @payload in @p: bit seq-1 set in @seen. */
static void find_test_events(const char *p, size_t len, uint64_t payload,
			     unsigned char *seen, unsigned long *found)
{
	size_t off;

	for (off = 8; off + 8 <= len; off++) {
		uint64_t v, seq;

		memcpy(&v, p + off, 8);
		if (v != payload)
			continue;
		memcpy(&seq, p + off - 8, 8);
		if (seq >= 1 && seq <= POST_EVENTS && !seen[seq - 1]) {
			seen[seq - 1] = 1;
			(*found)++;
		}
	}
}

/*
 * Every packet of [consumed, produced) of @fd, through mmap and splice;
 * counts the test events.
 */
static unsigned long read_back(int fd, uint64_t payload, unsigned char *seen)
{
	uint64_t consumed, produced, step, pos, len, off, map_len;
	unsigned long found = 0;
	char *map, *copy;

	ioctl(fd, KTRACE_STREAM_FLUSH);
	if (ioctl(fd, KTRACE_STREAM_SNAPSHOT))
		check(0, "SNAPSHOT: %s", strerror(errno));
	consumed = e2e_stream_u64(fd, KTRACE_STREAM_SNAPSHOT_GET_CONSUMED, "SNAPSHOT_GET_CONSUMED");
	produced = e2e_stream_u64(fd, KTRACE_STREAM_SNAPSHOT_GET_PRODUCED, "SNAPSHOT_GET_PRODUCED");
	step = e2e_stream_u64(fd, KTRACE_STREAM_GET_MAX_SUBBUF_SIZE, "GET_MAX_SUBBUF_SIZE");
	map_len = e2e_stream_u64(fd, KTRACE_STREAM_GET_MMAP_LEN, "GET_MMAP_LEN");
	map = mmap(NULL, map_len, PROT_READ, MAP_SHARED, fd, 0);
	copy = malloc(step);
	if (map == MAP_FAILED || !copy || !step)
		die("mmap of a stream: %s", strerror(errno));
	for (pos = consumed; (int64_t)(produced - pos) > 0; pos += step) {
		if (ioctl(fd, KTRACE_STREAM_GET_SUBBUF, &pos)) {
			check(errno == EAGAIN, "GET_SUBBUF of a stopped session: %s",
			      strerror(errno));
			continue;
		}
		len = e2e_stream_u64(fd, KTRACE_STREAM_GET_PADDED_SUBBUF_SIZE, "GET_PADDED_SUBBUF_SIZE");
		off = e2e_stream_u64(fd, KTRACE_STREAM_GET_MMAP_READ_OFFSET, "GET_MMAP_READ_OFFSET");
		if (len > step || off + len > map_len) {
			check(0, "packet at %#llx: %llu bytes at %llu", (unsigned long long)pos,
			      (unsigned long long)len, (unsigned long long)off);
			break;
		}
		if (e2e_splice_held(fd, copy, len) || memcmp(copy, map + off, len))
			check(0, "packet at %#llx: splice and mmap differ",
			      (unsigned long long)pos);
		find_test_events(map + off, len, payload, seen, &found);
		if (ioctl(fd, KTRACE_STREAM_PUT_SUBBUF))
			check(0, "PUT_SUBBUF: %s", strerror(errno));
	}
	munmap(map, map_len);
	free(copy);
	return found;
}

static void test_still_works(int dev, int *streams)
{
	unsigned char seen[POST_EVENTS] = { 0 };
	unsigned int cpu, opened = 0;
	struct e2e_ack ack;
	unsigned long found;
	int ret;

	check(!e2e_session_cmd(&ctl, KTRACE_CMD_SESSION_GET, main_id, NULL),
	      "%s is still listed", MAIN_NAME);
	ret = e2e_session_cmd(&ctl, KTRACE_CMD_STOP, main_id, NULL);
	check(!ret || ret == -EALREADY, "%s stops (%s)", MAIN_NAME,
	      strerror(-ret));
	ret = e2e_session_cmd(&ctl, KTRACE_CMD_START, main_id, &ack);
	check(!ret, "%s starts again (%s %s)", MAIN_NAME, strerror(-ret),
	      ack.msg);
	/* Every fuzz fd is closed: no reader may be left behind. */
	for (cpu = 0; cpu < ncpus; cpu++) {
		streams[cpu] = e2e_open_stream(dev, main_id, 0, cpu);
		opened += streams[cpu] >= 0;
		if (streams[cpu] < 0)
			check(0, "cpu %u: OPEN_STREAM after the fuzz: %s", cpu,
			      strerror(errno));
	}
	check(opened == ncpus, "every stream of %s opens again (%u)",
	      MAIN_NAME, opened);
	if (streams[0] < 0)
		return;
	/* A new packet on CPU 0, then the events there, and nothing after. */
	e2e_pin(0);
	ioctl(streams[0], KTRACE_STREAM_FLUSH);
	ret = e2e_test_fire(&ctl, 1, POST_EVENTS, POST_PAYLOAD, NULL);
	check(!ret, "TEST_FIRE %u events on CPU 0 (%s)", POST_EVENTS,
	      strerror(-ret));
	ret = e2e_session_cmd(&ctl, KTRACE_CMD_STOP, main_id, NULL);
	check(!ret, "%s stops (%s)", MAIN_NAME, strerror(-ret));
	found = read_back(streams[0], POST_PAYLOAD, seen);
	check(found == POST_EVENTS,
	      "a snapshot of CPU 0 reads back the %u test events (%lu)",
	      POST_EVENTS, found);
}

/* ---- Phase 5: a reader killed while it holds a sub-buffer ---- */

static int read_full(int fd, void *buf, size_t len)
{
	size_t done = 0;
	ssize_t n;

	while (done < len && (n = read(fd, (char *)buf + done, len - done)) > 0)
		done += n;
	return done == len ? 0 : -1;
}

struct held {
	uint64_t pos;
	uint64_t len;
	char bytes[MAIN_SUBBUF];
};

static void test_killed_reader(int dev, int *stream0)
{
	static struct held h, again;
	uint64_t off, map_len;
	int report[2], status, fd, busy_ms = 0;
	char *map;
	pid_t pid;

	close(*stream0);
	*stream0 = -1;
	if (pipe(report))
		die("pipe: %s", strerror(errno));
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (!pid) {
		int p[2];

		close(report[0]);
		fd = e2e_open_stream(dev, main_id, 0, 0);
		if (fd < 0 || ioctl(fd, KTRACE_STREAM_SNAPSHOT) ||
		    ioctl(fd, KTRACE_STREAM_SNAPSHOT_GET_PRODUCED, &h.pos))
			_exit(2);
		h.pos -= MAIN_SUBBUF;
		map_len = e2e_stream_u64(fd, KTRACE_STREAM_GET_MMAP_LEN, "GET_MMAP_LEN");
		map = mmap(NULL, map_len, PROT_READ, MAP_SHARED, fd, 0);
		if (map == MAP_FAILED || ioctl(fd, KTRACE_STREAM_GET_SUBBUF, &h.pos) ||
		    ioctl(fd, KTRACE_STREAM_GET_PADDED_SUBBUF_SIZE, &h.len) ||
		    ioctl(fd, KTRACE_STREAM_GET_MMAP_READ_OFFSET, &off) ||
		    h.len > sizeof(h.bytes))
			_exit(3);
		memcpy(h.bytes, map + off, h.len);
		/* Pipe buffers of the held packet, in a pipe only we have. */
		if (pipe(p) || splice(fd, NULL, p[1], NULL, h.len / 2, 0) <= 0)
			_exit(4);
		if (write(report[1], &h, sizeof(h)) != sizeof(h))
			_exit(5);
		pause();
		_exit(0);
	}
	close(report[1]);
	if (read_full(report[0], &h, sizeof(h))) {
		waitpid(pid, &status, 0);
		check(0, "the reader child failed before holding (status %#x)",
		      status);
		close(report[0]);
		return;
	}
	close(report[0]);
	fd = e2e_open_stream(dev, main_id, 0, 0);
	check(fd < 0 && errno == EBUSY,
	      "while the child holds packet %#llx (%llu bytes), the stream is EBUSY (%s)",
	      (unsigned long long)h.pos, (unsigned long long)h.len,
	      fd < 0 ? strerror(errno) : "opened");
	if (fd >= 0)
		close(fd);
	kill(pid, SIGKILL);
	if (waitpid(pid, &status, 0) != pid || !WIFSIGNALED(status))
		check(0, "the child died of SIGKILL (status %#x)", status);
	/* Reaped: its fds, and the pipe holding pages, are released. */
	while ((fd = e2e_open_stream(dev, main_id, 0, 0)) < 0 && errno == EBUSY &&
	       busy_ms < 2000) {
		usleep(10000);
		busy_ms += 10;
	}
	check(fd >= 0, "once the child is reaped the stream opens (%s, after %d ms)",
	      fd < 0 ? strerror(errno) : "ok", busy_ms);
	if (fd < 0)
		return;
	map_len = e2e_stream_u64(fd, KTRACE_STREAM_GET_MMAP_LEN, "GET_MMAP_LEN");
	map = mmap(NULL, map_len, PROT_READ, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		die("mmap: %s", strerror(errno));
	again.pos = h.pos;
	if (ioctl(fd, KTRACE_STREAM_GET_SUBBUF, &again.pos)) {
		check(0, "GET_SUBBUF of the killed reader's packet: %s",
		      strerror(errno));
	} else {
		again.len = e2e_stream_u64(fd, KTRACE_STREAM_GET_PADDED_SUBBUF_SIZE, "GET_PADDED_SUBBUF_SIZE");
		off = e2e_stream_u64(fd, KTRACE_STREAM_GET_MMAP_READ_OFFSET, "GET_MMAP_READ_OFFSET");
		check(again.len == h.len && !memcmp(map + off, h.bytes, h.len),
		      "GET_SUBBUF of the same position gives the same %llu bytes",
		      (unsigned long long)h.len);
		ioctl(fd, KTRACE_STREAM_PUT_SUBBUF);
	}
	munmap(map, map_len);
	*stream0 = fd;
}

/* ---- Phase 6: destroy what we made ---- */

struct listed {
	uint32_t ids[16];
	unsigned int n;
};

static void on_session(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[KTRACE_ATTR_MAX + 1];
	struct listed *l = arg;

	if (genlmsg_parse(nlh, 0, tb, KTRACE_ATTR_MAX, NULL) ||
	    !tb[KTRACE_ATTR_SESSION_NAME] || !tb[KTRACE_ATTR_SESSION_ID])
		return;
	if (!strncmp(nla_get_string(tb[KTRACE_ATTR_SESSION_NAME]), "fz-", 3) &&
	    l->n < 16)
		l->ids[l->n++] = nla_get_u32(tb[KTRACE_ATTR_SESSION_ID]);
}

static unsigned int destroy_ours(void)
{
	struct listed l = { .n = 0 };
	struct e2e_ack ack;
	unsigned int i;

	e2e_must(e2e_send(&ctl, e2e_msg(&ctl, KTRACE_CMD_SESSION_GET, 1),
			  on_session, &l, &ack), &ack, "SESSION_GET dump");
	for (i = 0; i < l.n; i++)
		e2e_must(e2e_session_cmd(&ctl, KTRACE_CMD_SESSION_DEL, l.ids[i],
					 &ack), &ack, "SESSION_DEL");
	return l.n;
}

/* ---- main ---- */

int main(int argc, char **argv)
{
	unsigned long ops = 10000, thread_ops = 4000, alone, together = 0;
	unsigned int cpu, n, threads = 4, seconds = 60;
	int streams[MAX_CPUS], opt, dev;
	struct timespec t0;
	uint64_t seed;

	clock_gettime(CLOCK_REALTIME, &t0);
	seed = (uint64_t)t0.tv_nsec ^ ((uint64_t)t0.tv_sec << 20) ^ getpid();
	while ((opt = getopt(argc, argv, "s:n:t:T:d:v")) != -1) {
		if (opt == 's')
			seed = strtoull(optarg, NULL, 0);
		else if (opt == 'n')
			ops = strtoul(optarg, NULL, 0);
		else if (opt == 't')
			threads = strtoul(optarg, NULL, 0);
		else if (opt == 'T')
			thread_ops = strtoul(optarg, NULL, 0);
		else if (opt == 'd')
			seconds = strtoul(optarg, NULL, 0);
		else if (opt == 'v')
			verbose = 1;
		else
			die("usage: abi-fuzz [-s SEED] [-n OPS] [-t THREADS] [-T OPS] [-d SECONDS] [-v]");
	}
	fuzz_seed(seed);
	printf("abi-fuzz: seed %#llx, %lu operations, then %u threads: %lu "
	       "(replay: abi-fuzz -s %#llx)\n", (unsigned long long)seed, ops,
	       threads, thread_ops, (unsigned long long)seed);
	ncpus = sysconf(_SC_NPROCESSORS_CONF);
	if (ncpus > MAX_CPUS)
		ncpus = MAX_CPUS;

	e2e_nl_open(&ctl);
	destroy_ours();		/* leftovers of an earlier run */
	main_id = e2e_session_new(&ctl, MAIN_NAME, KTRACE_SESSION_MODE_SNAPSHOT);
	session_setup(main_id, MAIN_SUBBUF, MAIN_NUM_SUBBUF, main_events,
		      main_contexts);
	victim_new();
	dev = e2e_dev_open();

	/* 1. Privileges; 2. the fuzz; 3. threads. */
	test_unprivileged(dev);
	alone = fuzz_alone(dev, ops, seconds);
	if (threads)
		together = fuzz_together(dev, threads, thread_ops, seconds, seed);

	/* 4. The session still works; 5. a killed reader. */
	test_still_works(dev, streams);
	if (streams[0] >= 0)
		test_killed_reader(dev, &streams[0]);
	for (cpu = 0; cpu < ncpus; cpu++)
		if (streams[cpu] >= 0)
			close(streams[cpu]);
	close(dev);

	/* 6. Clean up. */
	n = destroy_ours();
	check(n >= 1, "destroyed %u fz- session(s), %s among them", n, MAIN_NAME);
	check(destroy_ours() == 0, "no fz- session is left");
	e2e_nl_close(&ctl);
	printf("abi-fuzz: seed %#llx: %lu operations (%lu alone, %lu from %u "
	       "threads)\n", (unsigned long long)seed, alone + together, alone,
	       together, threads);
	return e2e_summary();
}
