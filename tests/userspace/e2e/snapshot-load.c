// SPDX-License-Identifier: GPL-2.0
/*
 * snapshot-load: what the snapshot scenarios and the snapshot benchmark
 * need besides ktracectl (the uapi header and libnl only).
 *
 *   snapshot-load fire CPU SEQ COUNT PAYLOAD [REPEAT PAUSE_US]
 *	On CPU, record COUNT ktrace_test events seq SEQ.. (TEST_FIRE);
 *	REPEAT times (1), with a pause of PAUSE_US microseconds after each
 *	(0): a steady load from one process.
 *   snapshot-load busy CPU|all MSEC [BATCH PAUSE_US]
 *	One child per CPU (or on CPU only), pinned, named "ktrace-busy",
 *	making getppid() syscalls for MSEC ms, BATCH at a time (256) with a
 *	pause of PAUSE_US microseconds after each batch (none), so that a
 *	load can be made steady and slow. Prints the syscall count.
 *   snapshot-load time OUT -- CMD [ARG...]
 *	Runs CMD with its stdout in the file OUT ("-": inherited) and prints
 *	"ns=<elapsed> status=<exit status>" on stderr.
 *   snapshot-load interrupt DIR -- CMD [ARG...]
 *	Runs CMD and sends it SIGINT as soon as it has a file under DIR
 *	open (a snapshot being written). Prints "caught=1|0 status=<exit
 *	status, or 128 + signal>": caught=0 when CMD finished first.
 *
 * Exit status: 0, or 1 when the command itself failed.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "e2e.h"

/* ---- fire: TEST_FIRE requests ---- */

static int cmd_fire(int argc, char **argv)
{
	unsigned long repeat = 1, pause_us = 0;
	uint64_t seq, payload;
	struct e2e_ack ack;
	struct e2e_nl nl;
	uint32_t count;

	if (argc != 5 && argc != 7)
		die("usage: fire CPU SEQ COUNT PAYLOAD [REPEAT PAUSE_US]");
	seq = strtoull(argv[2], NULL, 0);
	count = strtoul(argv[3], NULL, 0);
	payload = strtoull(argv[4], NULL, 0);
	if (argc == 7) {
		repeat = strtoul(argv[5], NULL, 0);
		pause_us = strtoul(argv[6], NULL, 0);
	}
	e2e_pin(strtoul(argv[1], NULL, 0));
	e2e_nl_open(&nl);
	for (; repeat; repeat--, seq += count) {
		e2e_must(e2e_test_fire(&nl, seq, count, payload, &ack), &ack,
			 "TEST_FIRE");
		if (pause_us)
			usleep(pause_us);
	}
	e2e_nl_close(&nl);
	return 0;
}

/* ---- busy: pinned syscall loops ---- */

struct busy {
	uint64_t until;
	unsigned long batch;
	unsigned long pause_us;
};

static void busy_child(unsigned int cpu, const struct busy *b, int report)
{
	struct timespec pause = {
		.tv_sec = b->pause_us / 1000000,
		.tv_nsec = b->pause_us % 1000000 * 1000,
	};
	unsigned long n = 0, i;

	e2e_pin(cpu);
	prctl(PR_SET_NAME, "ktrace-busy");
	do {
		for (i = 0; i < b->batch; i++)
			syscall(SYS_getppid);
		n += b->batch;
		if (b->pause_us)
			nanosleep(&pause, NULL);
	} while (e2e_now_ns() < b->until);
	if (write(report, &n, sizeof(n)) != sizeof(n))
		_exit(1);
	_exit(0);
}

static int cmd_busy(int argc, char **argv)
{
	long ncpus = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned long total = 0, n;
	unsigned int first, last, cpu;
	struct busy b = { .batch = 256 };
	int p[2], status, children = 0;

	if (argc != 3 && argc != 5)
		die("usage: busy CPU|all MSEC [BATCH PAUSE_US]");
	if (argc == 5) {
		b.batch = strtoul(argv[3], NULL, 0);
		b.pause_us = strtoul(argv[4], NULL, 0);
		if (!b.batch)
			die("BATCH must be at least 1");
	}
	if (!strcmp(argv[1], "all")) {
		first = 0;
		last = ncpus - 1;
	} else {
		first = strtoul(argv[1], NULL, 0);
		last = first;
	}
	b.until = e2e_now_ns() + strtoull(argv[2], NULL, 0) * 1000000;
	if (pipe(p))
		die("pipe: %s", strerror(errno));
	for (cpu = first; cpu <= last; cpu++) {
		pid_t pid = fork();

		if (pid < 0)
			die("fork: %s", strerror(errno));
		if (!pid) {
			close(p[0]);
			busy_child(cpu, &b, p[1]);
		}
		children++;
	}
	close(p[1]);
	while (read(p[0], &n, sizeof(n)) == sizeof(n))
		total += n;
	while (children-- > 0)
		if (wait(&status) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status))
			die("a busy child failed");
	printf("busy: %lu syscalls on CPU %u..%u\n", total, first, last);
	return 0;
}

/* ---- time and interrupt: run a command ---- */

static pid_t spawn(char **argv, const char *out)
{
	pid_t pid = fork();
	int fd;

	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid)
		return pid;
	if (out && strcmp(out, "-")) {
		fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || dup2(fd, 1) < 0)
			_exit(127);
		close(fd);
	}
	execvp(argv[0], argv);
	_exit(127);
}

static int exit_status(int status)
{
	return WIFEXITED(status) ? WEXITSTATUS(status) :
	       128 + WTERMSIG(status);
}

static char **command(int argc, char **argv, int at)
{
	if (argc < at + 2 || strcmp(argv[at], "--"))
		die("usage: ... -- CMD [ARG...]");
	return argv + at + 1;
}

static int cmd_time(int argc, char **argv)
{
	char **cmd = command(argc, argv, 2);
	uint64_t t0 = e2e_now_ns(), t1;
	int status;

	if (waitpid(spawn(cmd, argv[1]), &status, 0) < 0)
		die("waitpid: %s", strerror(errno));
	t1 = e2e_now_ns();
	fprintf(stderr, "ns=%llu status=%d\n", (unsigned long long)(t1 - t0),
		exit_status(status));
	return 0;
}

/* Whether process @pid has a file under @dir open. */
static int has_open_under(pid_t pid, const char *dir)
{
	char path[300], target[4096];
	struct dirent *d;
	size_t len = strlen(dir);
	int found = 0;
	ssize_t n;
	DIR *fds;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	fds = opendir(path);
	if (!fds)
		return 0;
	while (!found && (d = readdir(fds))) {
		snprintf(path, sizeof(path), "/proc/%d/fd/%s", (int)pid,
			 d->d_name);
		n = readlink(path, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		found = !strncmp(target, dir, len) && target[len] == '/';
	}
	closedir(fds);
	return found;
}

static int cmd_interrupt(int argc, char **argv)
{
	char **cmd = command(argc, argv, 2);
	int status, caught = 0;
	pid_t pid = spawn(cmd, NULL), done;

	for (;;) {
		done = waitpid(pid, &status, WNOHANG);
		if (done < 0)
			die("waitpid: %s", strerror(errno));
		if (done)
			break;
		if (!caught && has_open_under(pid, argv[1])) {
			kill(pid, SIGINT);
			caught = 1;
		}
	}
	printf("caught=%d status=%d\n", caught, exit_status(status));
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		die("usage: snapshot-load fire|busy|time|interrupt ...");
	if (!strcmp(argv[1], "fire"))
		return cmd_fire(argc - 1, argv + 1);
	if (!strcmp(argv[1], "busy"))
		return cmd_busy(argc - 1, argv + 1);
	if (!strcmp(argv[1], "time"))
		return cmd_time(argc - 1, argv + 1);
	if (!strcmp(argv[1], "interrupt"))
		return cmd_interrupt(argc - 1, argv + 1);
	die("unknown command %s", argv[1]);
	return 1;
}
