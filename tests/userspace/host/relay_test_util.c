// SPDX-License-Identifier: GPL-2.0
/*
 * The live-receiver helpers of test_relay.c and test_relay_stream.c
 * (relay_test_util.h).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "relay_proto.h"
#include "relay_test_util.h"

#define LISTENING	"listening on 127.0.0.1:"
/* Arguments a test may give, besides --listen. */
#define MAX_ARGS	16

/* The whole file, NUL-terminated (its length in *@len), or NULL. */
char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc(n + 1);
	if (buf && fread(buf, 1, n, f) != (size_t)n)
		n = 0;
	if (buf)
		buf[n] = '\0';
	fclose(f);
	if (len)
		*len = n;
	return buf;
}

/*
 * Whether the receiver's log at @path says @needle within 4 s: it logs
 * after it acts, so a test that has just seen the act waits a little.
 */
bool log_has(const char *path, const char *needle)
{
	char *text;
	bool ret;
	int i;

	for (i = 0; i < 200; i++) {
		text = read_all(path, NULL);
		ret = text && strstr(text, needle);
		free(text);
		if (ret)
			return true;
		usleep(20000);
	}
	return false;
}

/*
 * Starts ktrace-relayd --listen 127.0.0.1:0 @args (NULL-terminated), its
 * stderr into @log, and waits up to 5 s for the port it says it listens
 * on: *@port, left 0 if it never says. Returns its pid, -1 if fork fails;
 * relayd_stop() stops it either way.
 */
pid_t relayd_start(const char *log, const char *const args[], uint16_t *port)
{
	const char *argv[3 + MAX_ARGS + 1] = {
		"ktrace-relayd", "--listen", "127.0.0.1:0",
	};
	char *text, *p;
	pid_t pid;
	int i, fd;

	for (i = 0; args[i]; i++) {
		if (i == MAX_ARGS)
			return -1;
		argv[3 + i] = args[i];
	}
	*port = 0;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, 2);
		/* execv's argv is not const for historical reasons only. */
		execv(RELAYD_BIN, (char *const *)argv);
		_exit(127);
	}
	for (i = 0; i < 250 && !*port; i++) {
		usleep(20000);
		text = read_all(log, NULL);
		p = text ? strstr(text, LISTENING) : NULL;
		if (p)
			*port = atoi(p + strlen(LISTENING));
		free(text);
	}
	return pid;
}

/*
 * Stops the receiver @pid (if there is one) and removes @root, the test's
 * directory, unless TEST_RELAY_KEEP is set (to look at what it wrote).
 */
int relayd_stop(pid_t pid, const char *root)
{
	char cmd[320];
	int status;

	if (pid > 0) {
		kill(pid, SIGTERM);
		waitpid(pid, &status, 0);
	}
	if (getenv("TEST_RELAY_KEEP")) {
		fprintf(stderr, "# kept %s\n", root);
		return 0;
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd) ? -1 : 0;
}

/* Sends a raw frame on @c's socket. */
void raw_frame(struct relay_client *c, uint16_t type, const void *p,
	       size_t len)
{
	uint8_t hdr[RELAY_HDR_LEN];

	relay_hdr_encode(hdr, type, len);
	assert_int_equal(send(c->fd, hdr, sizeof(hdr), MSG_NOSIGNAL), (ssize_t)sizeof(hdr));
	if (len)
		assert_int_equal(send(c->fd, p, len, MSG_NOSIGNAL), (ssize_t)len);
}

/* The receiver's ERROR frame, worded as the client words it. */
const char *refusal(struct relay_client *c)
{
	uint8_t hdr[RELAY_HDR_LEN], buf[4 + RELAY_ERROR_TEXT_MAX + 1];
	struct relay_reader r = { .p = buf };
	struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
	char text[RELAY_ERROR_TEXT_MAX + 1];
	uint16_t type, code;
	uint32_t len;

	if (poll(&pfd, 1, 3000) != 1 ||
	    recv(c->fd, hdr, sizeof(hdr), MSG_WAITALL) != sizeof(hdr) ||
	    relay_hdr_decode(hdr, &type, &len) || type != RELAY_ERROR ||
	    recv(c->fd, buf, len, MSG_WAITALL) != (ssize_t)len)
		return "no ERROR frame";
	r.len = len;
	code = relay_get16(&r);
	if (!relay_get_str(&r, text, sizeof(text)))
		return "a malformed ERROR frame";
	snprintf(c->err, sizeof(c->err), "%s: %s", relay_err_reason(code), text);
	return c->err;
}
