/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the end-to-end programs (the VM scenarios' binaries) share: the
 * check/report lines, a generic netlink connection to the "ktrace" family
 * (a raw socket, messages built and parsed with libnl) whose acks carry the
 * extended-ack message and the blamed attribute, and the /dev/ktrace and
 * stream fd calls every reader makes.
 *
 * Everything here is safe to call from several threads, as long as each
 * thread has its own struct e2e_nl.
 */
#ifndef KTRACE_E2E_H
#define KTRACE_E2E_H

#include <linux/netlink.h>
#include <netlink/genl/genl.h>
#include <stddef.h>
#include <stdint.h>

#include "ktrace.h"

#define E2E_FORMAT(a, b) __attribute__((format(printf, a, b)))

/* ---- Checks: one "ok: ..." or "FAILED: ..." line each ---- */

extern int e2e_checks, e2e_failures;

void check(int ok, const char *fmt, ...) E2E_FORMAT(2, 3);
/* "<program>: <message>" on stderr, exit status 1. */
void die(const char *fmt, ...) E2E_FORMAT(1, 2) __attribute__((noreturn));
/* Prints "<program>: N checks, N failure(s)"; returns the exit status. */
int e2e_summary(void);

/* ---- Generic netlink ---- */

typedef void (*e2e_reply_fn)(struct nlmsghdr *nlh, void *arg);

struct e2e_nl {
	int fd;
	int family;		/* the ktrace family's id */
	int mcgrp;		/* its "sessions" group, or negative */
	uint32_t seq;
	/* Called with every message that answers another request. */
	e2e_reply_fn stray;
	void *stray_arg;
};

/* How a request ended: its errno and the extended ack. */
struct e2e_ack {
	int error;		/* 0 or -errno */
	char msg[256];		/* NLMSGERR_ATTR_MSG, or "" */
	int bad;		/* type of the attribute NLMSGERR_ATTR_OFFS blames */
	int missing;		/* NLMSGERR_ATTR_MISS_TYPE */
};

/* A socket with extended acks, the family resolved; dies on failure. */
void e2e_nl_open(struct e2e_nl *c);
void e2e_nl_close(struct e2e_nl *c);
/* A request for @cmd (an ack, or a dump); fill it, then e2e_send() it. */
struct nl_msg *e2e_msg(struct e2e_nl *c, uint8_t cmd, int dump);
/*
 * Sends @msg (freed) and reads to its ack or NLMSG_DONE, passing each
 * reply to @fn. Returns 0 or -errno (-ETIMEDOUT after 10 s); @ack (may be
 * NULL) gets the message and the attributes the kernel blamed.
 */
int e2e_send(struct e2e_nl *c, struct nl_msg *msg, e2e_reply_fn fn, void *arg,
	     struct e2e_ack *ack);
/* Joins the sessions group: 0 or -errno. */
int e2e_nl_join(struct e2e_nl *c);
/*
 * Waits up to @timeout_ms for what the socket receives next (a
 * notification) and passes each message to @fn; returns how many.
 */
int e2e_nl_next(struct e2e_nl *c, int timeout_ms, e2e_reply_fn fn, void *arg);

/* nla_put_*, dying when @msg is full. */
void e2e_put_u32(struct nl_msg *msg, int type, uint32_t v);
void e2e_put_u64(struct nl_msg *msg, int type, uint64_t v);
void e2e_put_str(struct nl_msg *msg, int type, const char *s);

/* A reply's top-level attributes; all NULL when it does not parse. */
void e2e_parse(struct nlmsghdr *nlh, struct nlattr **tb);
/* An e2e_reply_fn: @arg is uint32_t[2], { attribute type, its value }. */
void e2e_on_u32(struct nlmsghdr *nlh, void *arg);

/* Dies with the errno and the kernel's message when @ret is not 0. */
void e2e_must(int ret, const struct e2e_ack *ack, const char *what);
/* A session by id: START, STOP, SESSION_GET, SESSION_DEL... */
int e2e_session_cmd(struct e2e_nl *c, uint8_t cmd, uint32_t session,
		    struct e2e_ack *ack);
/* SESSION_NEW; returns the new id, dies when refused. */
uint32_t e2e_session_new(struct e2e_nl *c, const char *name, uint32_t mode);
/* CHANNEL_NEW of @name in @session; returns the channel id, dies if refused. */
uint32_t e2e_channel_new(struct e2e_nl *c, uint32_t session, const char *name,
			 uint64_t subbuf_size, uint32_t num_subbuf);
/* EVENT_ENABLE and CONTEXT_ADD in a channel of @session; die if refused. */
void e2e_event_enable(struct e2e_nl *c, uint32_t session, uint32_t channel,
		      const char *pattern);
void e2e_context_add(struct e2e_nl *c, uint32_t session, uint32_t channel,
		     uint32_t type);
/* TEST_FIRE: @count ktrace_test events seq @seq.., on this CPU. */
int e2e_test_fire(struct e2e_nl *c, uint64_t seq, uint32_t count,
		  uint64_t payload, struct e2e_ack *ack);

/* ---- /dev/ktrace and its fds ---- */

/* /dev/ktrace, read-write, close-on-exec; dies on failure. */
int e2e_dev_open(void);
/* OPEN_STREAM and OPEN_METADATA: the new fd, or -1 with errno set. */
int e2e_open_stream(int dev, uint32_t session, uint32_t channel, uint32_t cpu);
int e2e_open_metadata(int dev, uint32_t session);
/* A stream ioctl's __u64 result; a failed check and 0 when it fails. */
uint64_t e2e_stream_u64(int fd, unsigned long req, const char *what);
/* The held packet's first @len bytes through splice; 0, or -1. */
int e2e_splice_held(int fd, void *buf, size_t len);

/* ---- The machine ---- */

void e2e_pin(unsigned int cpu);
uint64_t e2e_now_ns(void);

#endif /* KTRACE_E2E_H */
