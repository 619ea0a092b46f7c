// SPDX-License-Identifier: GPL-2.0
/*
 * Launching a normal session's consumer (consumer.h) and waiting for it
 * at a stop.
 *
 * Launch: <output>/kernel/ is made (for a net:// output the receiver
 * makes it, and refuses an existing trace), then ktracectl forks; the child starts
 * a new session (setsid), forks the consumer and exits, so the consumer
 * is nobody's child and no daemon: it lives as long as the session (or
 * until ktracectl start replaces it). Its stdio is /dev/null, or the file
 * $KTRACE_CONSUMER_LOG names. It attaches and opens everything itself
 * (the kernel records the opener's pid), then says through a pipe whether
 * it could: start fails with its reason, or goes on knowing its pid.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "consumer.h"
#include "ktracectl.h"
#include "net_output.h"
#include "nl.h"
#include "snapshot_path.h"

/* How long stop waits for the consumer, by default (KTRACE_STOP_TIMEOUT, s). */
#define STOP_TIMEOUT_S	60
#define WAIT_STEP_MS	10

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* mkdir -p @path. */
static int make_dirs(char *path)
{
	char *p;

	for (p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0755) && errno != EEXIST) {
			*p = '/';
			return -errno;
		}
		*p = '/';
	}
	if (mkdir(path, 0755) && errno != EEXIST)
		return -errno;
	return 0;
}

bool consumer_dest_is_net(const char *dest)
{
	char host[256];
	uint16_t port;

	return snapshot_path_net(dest, host, sizeof(host), &port, NULL) > 0;
}

int consumer_trace_output(struct ktnl *nl, const char *session, char *dest,
			  size_t len)
{
	struct ktnl_output *outs;
	size_t n;
	int ret;

	ret = ktnl_output_list(nl, session, &outs, &n);
	if (ret)
		return ktracectl_nl_err(nl, ret, "%s", session);
	if (!n) {
		free(outs);
		return -ENOENT;
	}
	ret = (size_t)snprintf(dest, len, "%s", outs[0].dest) >= len ?
	      -ENAMETOOLONG : 0;
	free(outs);
	if (ret)
		ktracectl_set_err("trace output too long");
	return ret;
}

static void consumer_stdio(void)
{
	const char *log = getenv("KTRACE_CONSUMER_LOG");
	int fd = open("/dev/null", O_RDWR);
	int lfd = log ? open(log, O_WRONLY | O_CREAT | O_APPEND, 0644) : -1;

	if (fd >= 0) {
		dup2(fd, 0);
		dup2(lfd >= 0 ? lfd : fd, 1);
		dup2(lfd >= 0 ? lfd : fd, 2);
		if (fd > 2)
			close(fd);
	}
	if (lfd > 2)
		close(lfd);
}

int consumer_launch(struct ktnl *nl, const struct ktnl_session *sess,
		    const char *dest, pid_t *pid)
{
	struct consumer_cfg cfg = {
		.session_id = sess->id,
		.channels = sess->channels,
		.nr_channels = sess->nr_channels,
	};
	char buf[sizeof(int32_t) + 256];
	int32_t status;
	int ready[2], ret, wst;
	pid_t child;
	ssize_t n;

	(void)nl;
	snprintf(cfg.session, sizeof(cfg.session), "%s", sess->name);
	if ((size_t)snprintf(cfg.kdir, sizeof(cfg.kdir), "%s/kernel", dest) >=
	    sizeof(cfg.kdir)) {
		ktracectl_set_err("trace output too long: %s", dest);
		return -ENAMETOOLONG;
	}
	snprintf(cfg.dest, sizeof(cfg.dest), "%s", dest);
	cfg.net = consumer_dest_is_net(dest);
	cfg.append = sess->started_once;
	/* The receiver makes the directories and refuses an existing trace. */
	ret = cfg.net ? 0 : make_dirs(cfg.kdir);
	if (ret) {
		ktracectl_set_err("cannot create %s: %s", cfg.kdir,
				  strerror(-ret));
		return ret;
	}
	if (!cfg.net && !sess->started_once) {
		char md[PATH_MAX + 16];

		snprintf(md, sizeof(md), "%s/metadata", cfg.kdir);
		if (!access(md, F_OK)) {
			ktracectl_set_err("%s already holds a trace: give the session another output (create -o PATH)",
					  cfg.kdir);
			return -EEXIST;
		}
	}
	if (pipe2(ready, O_CLOEXEC)) {
		ktracectl_set_err("pipe: %s", strerror(errno));
		return -errno;
	}
	fflush(stdout);
	fflush(stderr);
	child = fork();
	if (child < 0) {
		ret = -errno;
		close(ready[0]);
		close(ready[1]);
		ktracectl_set_err("fork: %s", strerror(-ret));
		return ret;
	}
	if (!child) {
		close(ready[0]);
		setsid();
		if (fork())
			_exit(0);
		consumer_stdio();
		_exit(consumer_main(&cfg, ready[1]));
	}
	close(ready[1]);
	waitpid(child, &wst, 0);
	do {
		n = read(ready[0], buf, sizeof(buf));
	} while (n < 0 && errno == EINTR);
	close(ready[0]);
	if (n != (ssize_t)sizeof(buf)) {
		ktracectl_set_err("the consumer ended before it was ready");
		return -EIO;
	}
	memcpy(&status, buf, sizeof(status));
	if (status) {
		buf[sizeof(buf) - 1] = '\0';
		ktracectl_set_err("%s", buf + sizeof(status));
		return status;
	}
	memcpy(&status, buf + sizeof(status), sizeof(status));
	*pid = status;
	return 0;
}

static int stop_timeout_ms(void)
{
	const char *t = getenv("KTRACE_STOP_TIMEOUT");
	long v = t ? strtol(t, NULL, 10) : 0;

	return (v > 0 ? v : STOP_TIMEOUT_S) * 1000;
}

/* After a stop the consumer could not write through. */
static void print_read(const struct ktnl_session *s)
{
	printf("Events read from the buffers by the consumer: %" PRIu64 " (not all of them written)\n",
	       s->consumer_read);
}

static void print_discarded(const struct ktnl_session *s)
{
	uint64_t discarded = 0, overwritten = 0;
	size_t i;

	for (i = 0; i < s->nr_channels; i++) {
		discarded += s->channels[i].discarded;
		overwritten += s->channels[i].overwritten;
	}
	printf("Discarded events: %" PRIu64 "%s\n", discarded, discarded ?
	       " (the buffers were full: the consumer did not keep up; give the channel more or larger sub-buffers)" :
	       "");
	if (overwritten)
		printf("Overwritten events: %" PRIu64 " (overwrite mode: the oldest events were replaced)\n",
		       overwritten);
}

int consumer_wait_stop(struct ktnl *nl, const char *session,
		       uint64_t stop_seq, bool had_consumer)
{
	long long deadline = now_ms() + stop_timeout_ms();
	char dest[KTRACE_DEST_LEN + 1] = "";
	struct ktnl_session s;
	int ret;

	consumer_trace_output(nl, session, dest, sizeof(dest));
	for (;;) {
		ret = ktnl_session_get(nl, session, &s);
		if (ret)
			return ktracectl_nl_err(nl, ret, "%s", session);
		if (s.consumer_error || !had_consumer ||
		    s.consumer_synced >= stop_seq || !s.consumer_pid ||
		    now_ms() > deadline)
			break;
		free(s.channels);
		sleep_ms(WAIT_STEP_MS);
	}
	ret = 0;
	if (!had_consumer) {
		printf("Trace written to %s up to the consumer's death: %" PRIu64 " bytes in %" PRIu64 " packets.\n",
		       dest, s.consumer_bytes, s.consumer_packets);
		print_read(&s);
		ktracectl_set_err("the consumer of session %s died before the stop: what was recorded since is not written; the session is usable: start launches a new one",
				  session);
		ret = -EPIPE;
	} else if (s.consumer_error && consumer_dest_is_net(dest)) {
		printf("Trace sent to %s: %" PRIu64 " bytes in %" PRIu64 " packets, then sending stopped.\n",
		       dest, s.consumer_bytes, s.consumer_packets);
		print_read(&s);
		ktracectl_set_err("output %s: %s; the received trace ends there, what came after was discarded",
				  dest, net_output_reason(s.consumer_error));
		ret = -s.consumer_error;
	} else if (s.consumer_error) {
		printf("Trace written to %s: %" PRIu64 " bytes in %" PRIu64 " packets, then writing stopped.\n",
		       dest, s.consumer_bytes, s.consumer_packets);
		print_read(&s);
		ktracectl_set_err("the consumer could not write the trace to %s: %s; what came after was discarded",
				  dest, strerror(s.consumer_error));
		ret = -s.consumer_error;
	} else if (s.consumer_synced >= stop_seq) {
		printf("Trace written to %s: %" PRIu64 " bytes in %" PRIu64 " packets, %" PRIu64 " events.\n",
		       dest, s.consumer_bytes, s.consumer_packets,
		       s.consumer_read);
	} else if (!s.consumer_pid) {
		printf("Trace written to %s up to the consumer's death: %" PRIu64 " bytes in %" PRIu64 " packets.\n",
		       dest, s.consumer_bytes, s.consumer_packets);
		print_read(&s);
		ktracectl_set_err("the consumer of session %s died before writing everything up to the stop; the session is usable: start launches a new one",
				  session);
		ret = -EPIPE;
	} else {
		ktracectl_set_err("the consumer (pid %u) has not written everything after %d s (%" PRIu64 " bytes behind)",
				  s.consumer_pid, stop_timeout_ms() / 1000,
				  s.consumer_lag);
		ret = -ETIMEDOUT;
	}
	print_discarded(&s);
	fflush(stdout);
	free(s.channels);
	return ret;
}

int consumer_end(struct ktnl *nl, const char *session)
{
	long long deadline = now_ms() + stop_timeout_ms();
	struct ktnl_session s;
	uint32_t pid = 0;
	int ret;

	for (;;) {
		ret = ktnl_session_get(nl, session, &s);
		if (ret)
			return ktracectl_nl_err(nl, ret, "%s", session);
		free(s.channels);
		if (!s.consumer_pid)
			return 0;
		if (s.consumer_pid != pid) {
			pid = s.consumer_pid;
			kill(pid, SIGTERM);
		}
		if (now_ms() > deadline) {
			ktracectl_set_err("the consumer (pid %u) of session %s does not end",
					  pid, session);
			return -ETIMEDOUT;
		}
		sleep_ms(WAIT_STEP_MS);
	}
}
