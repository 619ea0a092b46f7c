// SPDX-License-Identifier: GPL-2.0
/*
 * The end-to-end programs' shared helper (e2e.h): checks, a generic
 * netlink connection with extended acks, and the /dev/ktrace calls.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/genetlink.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "e2e.h"

int e2e_checks, e2e_failures;

void check(int ok, const char *fmt, ...)
{
	va_list ap;

	__atomic_add_fetch(&e2e_checks, 1, __ATOMIC_RELAXED);
	if (!ok)
		__atomic_add_fetch(&e2e_failures, 1, __ATOMIC_RELAXED);
	/* One line even when threads check at once. */
	flockfile(stdout);
	printf("%s: ", ok ? "ok" : "FAILED");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	funlockfile(stdout);
}

void die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s: ", program_invocation_short_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

int e2e_summary(void)
{
	printf("%s: %d checks, %d failure(s)\n", program_invocation_short_name,
	       e2e_checks, e2e_failures);
	return e2e_failures ? 1 : 0;
}

/* ---- Generic netlink ---- */

static void ack_parse(struct e2e_ack *ack, struct nlmsghdr *nlh,
		      size_t hdrlen, const struct nlmsghdr *req)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	int len = (int)nlh->nlmsg_len - NLMSG_HDRLEN - (int)hdrlen;
	uint32_t offs;

	/* NETLINK_CAP_ACK: the request is not echoed, only its header. */
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || len <= 0 ||
	    nla_parse(tb, NLMSGERR_ATTR_MAX,
		      (struct nlattr *)((char *)nlmsg_data(nlh) + hdrlen), len,
		      NULL))
		return;
	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(ack->msg, sizeof(ack->msg), "%s",
			 (char *)nla_data(tb[NLMSGERR_ATTR_MSG]));
	if (tb[NLMSGERR_ATTR_OFFS]) {
		offs = nla_get_u32(tb[NLMSGERR_ATTR_OFFS]);
		if (offs + NLA_HDRLEN <= req->nlmsg_len)
			ack->bad = nla_type((struct nlattr *)
					    ((char *)req + offs));
	}
	if (tb[NLMSGERR_ATTR_MISS_TYPE])
		ack->missing = nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
}

/* Reads to the ack (or NLMSG_DONE) of @req, skipping other requests'. */
static int nl_wait(struct e2e_nl *c, const struct nlmsghdr *req,
		   e2e_reply_fn fn, void *arg, struct e2e_ack *ack)
{
	const size_t size = 65536;
	char *buf = malloc(size);
	int ret = 1;

	if (!buf)
		die("out of memory");
	while (ret > 0) {
		ssize_t n = recv(c->fd, buf, size, 0);
		struct nlmsghdr *nlh;
		int len = n;

		if (n < 0 && errno == ENOBUFS)
			continue;
		if (n < 0) {
			ret = errno == EAGAIN ? -ETIMEDOUT : -errno;
			break;
		}
		for (nlh = (struct nlmsghdr *)buf; ret > 0 && NLMSG_OK(nlh, len);
		     nlh = NLMSG_NEXT(nlh, len)) {
			if (nlh->nlmsg_seq != req->nlmsg_seq) {
				if (c->stray)
					c->stray(nlh, c->stray_arg);
			} else if (nlh->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(nlh);

				ack_parse(ack, nlh, sizeof(*e), req);
				ret = e->error;
			} else if (nlh->nlmsg_type == NLMSG_DONE) {
				memcpy(&ret, NLMSG_DATA(nlh), sizeof(ret));
				ack_parse(ack, nlh, sizeof(ret), req);
			} else if (fn) {
				fn(nlh, arg);
			}
		}
	}
	free(buf);
	return ret;
}

int e2e_send(struct e2e_nl *c, struct nl_msg *msg, e2e_reply_fn fn, void *arg,
	     struct e2e_ack *ack)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct e2e_ack scratch;
	int ret;

	if (!ack)
		ack = &scratch;
	memset(ack, 0, sizeof(*ack));
	if (send(c->fd, nlh, nlh->nlmsg_len, 0) < 0)
		ret = -errno;
	else
		ret = nl_wait(c, nlh, fn, arg, ack);
	nlmsg_free(msg);
	ack->error = ret;
	return ret;
}

struct nl_msg *e2e_msg(struct e2e_nl *c, uint8_t cmd, int dump)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg || !genlmsg_put(msg, 0, ++c->seq, c->family, 0,
				 NLM_F_REQUEST | (dump ? NLM_F_DUMP : NLM_F_ACK),
				 cmd, KTRACE_GENL_VERSION))
		die("out of memory");
	return msg;
}

void e2e_parse(struct nlmsghdr *nlh, struct nlattr **tb)
{
	/* No policy: attributes of a newer module are ignored. */
	if (genlmsg_parse(nlh, 0, tb, KTRACE_ATTR_MAX, NULL))
		memset(tb, 0, sizeof(*tb) * (KTRACE_ATTR_MAX + 1));
}

void e2e_on_u32(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[KTRACE_ATTR_MAX + 1];
	uint32_t *want = arg;

	e2e_parse(nlh, tb);
	if (tb[want[0]])
		want[1] = nla_get_u32(tb[want[0]]);
}

/* CTRL_CMD_GETFAMILY's reply: the family id and the sessions group. */
static void on_family(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[CTRL_ATTR_MAX + 1], *grp[CTRL_ATTR_MCAST_GRP_MAX + 1];
	struct e2e_nl *c = arg;
	struct nlattr *nla;
	int rem;

	if (genlmsg_parse(nlh, 0, tb, CTRL_ATTR_MAX, NULL))
		return;
	if (tb[CTRL_ATTR_FAMILY_ID])
		c->family = nla_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (!tb[CTRL_ATTR_MCAST_GROUPS])
		return;
	nla_for_each_nested(nla, tb[CTRL_ATTR_MCAST_GROUPS], rem) {
		if (nla_parse_nested(grp, CTRL_ATTR_MCAST_GRP_MAX, nla, NULL) ||
		    !grp[CTRL_ATTR_MCAST_GRP_NAME] || !grp[CTRL_ATTR_MCAST_GRP_ID])
			continue;
		if (!strcmp(nla_get_string(grp[CTRL_ATTR_MCAST_GRP_NAME]),
			    KTRACE_GENL_MCGRP_SESSIONS))
			c->mcgrp = nla_get_u32(grp[CTRL_ATTR_MCAST_GRP_ID]);
	}
}

void e2e_nl_open(struct e2e_nl *c)
{
	struct timeval tv = { .tv_sec = 10 };
	struct e2e_ack ack;
	struct nl_msg *msg;
	int one = 1, ret;

	memset(c, 0, sizeof(*c));
	c->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (c->fd < 0 ||
	    setsockopt(c->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    setsockopt(c->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one)) ||
	    setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		die("netlink socket: %s", strerror(errno));
	c->family = GENL_ID_CTRL;
	c->mcgrp = -1;
	msg = nlmsg_alloc();
	if (!msg || !genlmsg_put(msg, 0, ++c->seq, GENL_ID_CTRL, 0,
				 NLM_F_REQUEST | NLM_F_ACK, CTRL_CMD_GETFAMILY, 1))
		die("out of memory");
	e2e_put_str(msg, CTRL_ATTR_FAMILY_NAME, KTRACE_GENL_NAME);
	c->family = -1;
	ret = e2e_send(c, msg, on_family, c, &ack);
	if (ret || c->family < 0)
		die("family %s: %s %s", KTRACE_GENL_NAME, strerror(-ret), ack.msg);
}

void e2e_nl_close(struct e2e_nl *c)
{
	close(c->fd);
	c->fd = -1;
}

int e2e_nl_join(struct e2e_nl *c)
{
	return setsockopt(c->fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &c->mcgrp,
			  sizeof(c->mcgrp)) ? -errno : 0;
}

int e2e_nl_next(struct e2e_nl *c, int timeout_ms, e2e_reply_fn fn, void *arg)
{
	struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
	char buf[8192];
	struct nlmsghdr *nlh;
	int len, n = 0;

	if (poll(&pfd, 1, timeout_ms) != 1)
		return 0;
	len = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);
	for (nlh = (struct nlmsghdr *)buf; len > 0 && NLMSG_OK(nlh, len);
	     nlh = NLMSG_NEXT(nlh, len), n++)
		fn(nlh, arg);
	return n;
}

void e2e_put_u32(struct nl_msg *msg, int type, uint32_t v)
{
	if (nla_put_u32(msg, type, v))
		die("out of memory");
}

void e2e_put_u64(struct nl_msg *msg, int type, uint64_t v)
{
	if (nla_put_u64(msg, type, v))
		die("out of memory");
}

void e2e_put_str(struct nl_msg *msg, int type, const char *s)
{
	if (nla_put_string(msg, type, s))
		die("out of memory");
}

void e2e_must(int ret, const struct e2e_ack *ack, const char *what)
{
	if (ret)
		die("%s: %s%s%s", what, strerror(-ret), ack->msg[0] ? ": " : "",
		    ack->msg);
}

int e2e_session_cmd(struct e2e_nl *c, uint8_t cmd, uint32_t session,
		    struct e2e_ack *ack)
{
	struct nl_msg *msg = e2e_msg(c, cmd, 0);

	e2e_put_u32(msg, KTRACE_ATTR_SESSION_ID, session);
	return e2e_send(c, msg, NULL, NULL, ack);
}

uint32_t e2e_session_new(struct e2e_nl *c, const char *name, uint32_t mode)
{
	struct nl_msg *msg = e2e_msg(c, KTRACE_CMD_SESSION_NEW, 0);
	uint32_t id[2] = { KTRACE_ATTR_SESSION_ID, 0 };
	struct e2e_ack ack;

	e2e_put_str(msg, KTRACE_ATTR_SESSION_NAME, name);
	e2e_put_u32(msg, KTRACE_ATTR_SESSION_MODE, mode);
	e2e_must(e2e_send(c, msg, e2e_on_u32, id, &ack), &ack, "SESSION_NEW");
	if (!id[1])
		die("SESSION_NEW %s: no session id in the reply", name);
	return id[1];
}

uint32_t e2e_channel_new(struct e2e_nl *c, uint32_t session, const char *name,
			 uint64_t subbuf_size, uint32_t num_subbuf)
{
	struct nl_msg *msg = e2e_msg(c, KTRACE_CMD_CHANNEL_NEW, 0);
	uint32_t id[2] = { KTRACE_ATTR_CHANNEL_ID, UINT32_MAX };
	struct e2e_ack ack;

	e2e_put_u32(msg, KTRACE_ATTR_SESSION_ID, session);
	e2e_put_str(msg, KTRACE_ATTR_CHANNEL_NAME, name);
	e2e_put_u64(msg, KTRACE_ATTR_CHANNEL_SUBBUF_SIZE, subbuf_size);
	e2e_put_u32(msg, KTRACE_ATTR_CHANNEL_NUM_SUBBUF, num_subbuf);
	e2e_must(e2e_send(c, msg, e2e_on_u32, id, &ack), &ack, "CHANNEL_NEW");
	return id[1];
}

void e2e_event_enable(struct e2e_nl *c, uint32_t session, uint32_t channel,
		      const char *pattern)
{
	struct nl_msg *msg = e2e_msg(c, KTRACE_CMD_EVENT_ENABLE, 0);
	struct e2e_ack ack;

	e2e_put_u32(msg, KTRACE_ATTR_SESSION_ID, session);
	e2e_put_u32(msg, KTRACE_ATTR_CHANNEL_ID, channel);
	e2e_put_str(msg, KTRACE_ATTR_EVENT_NAME, pattern);
	e2e_must(e2e_send(c, msg, NULL, NULL, &ack), &ack, pattern);
}

void e2e_context_add(struct e2e_nl *c, uint32_t session, uint32_t channel,
		     uint32_t type)
{
	struct nl_msg *msg = e2e_msg(c, KTRACE_CMD_CONTEXT_ADD, 0);
	struct e2e_ack ack;

	e2e_put_u32(msg, KTRACE_ATTR_SESSION_ID, session);
	e2e_put_u32(msg, KTRACE_ATTR_CHANNEL_ID, channel);
	e2e_put_u32(msg, KTRACE_ATTR_CONTEXT_TYPE, type);
	e2e_must(e2e_send(c, msg, NULL, NULL, &ack), &ack, "CONTEXT_ADD");
}

int e2e_test_fire(struct e2e_nl *c, uint64_t seq, uint32_t count,
		  uint64_t payload, struct e2e_ack *ack)
{
	struct nl_msg *msg = e2e_msg(c, KTRACE_CMD_TEST_FIRE, 0);

	e2e_put_u64(msg, KTRACE_ATTR_TEST_SEQ, seq);
	e2e_put_u32(msg, KTRACE_ATTR_TEST_COUNT, count);
	e2e_put_u64(msg, KTRACE_ATTR_TEST_PAYLOAD, payload);
	return e2e_send(c, msg, NULL, NULL, ack);
}

/* ---- /dev/ktrace and its fds ---- */

int e2e_dev_open(void)
{
	int fd = open(KTRACE_DEVICE_PATH, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		die("%s: %s", KTRACE_DEVICE_PATH, strerror(errno));
	return fd;
}

int e2e_open_stream(int dev, uint32_t session, uint32_t channel, uint32_t cpu)
{
	struct ktrace_open_stream req = {
		.size = sizeof(req), .session_id = session,
		.channel_id = channel, .cpu = cpu,
	};

	return ioctl(dev, KTRACE_IOC_OPEN_STREAM, &req);
}

int e2e_open_metadata(int dev, uint32_t session)
{
	struct ktrace_open_metadata req = {
		.size = sizeof(req), .session_id = session,
	};

	return ioctl(dev, KTRACE_IOC_OPEN_METADATA, &req);
}

uint64_t e2e_stream_u64(int fd, unsigned long req, const char *what)
{
	uint64_t v = 0;

	if (ioctl(fd, req, &v))
		check(0, "stream ioctl %s: %s", what, strerror(errno));
	return v;
}

int e2e_splice_held(int fd, void *buf, size_t len)
{
	size_t done = 0;
	int p[2], ret = 0;

	if (pipe(p))
		die("pipe: %s", strerror(errno));
	fcntl(p[1], F_SETPIPE_SZ, (int)len);
	while (done < len && !ret) {
		loff_t off = done;
		ssize_t n = splice(fd, &off, p[1], NULL, len - done, 0);

		if (n <= 0 || read(p[0], (char *)buf + done, n) != n)
			ret = -1;
		else
			done += n;
	}
	close(p[0]);
	close(p[1]);
	return ret;
}

/* ---- The machine ---- */

void e2e_pin(unsigned int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("sched_setaffinity(%u): %s", cpu, strerror(errno));
}

uint64_t e2e_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}
