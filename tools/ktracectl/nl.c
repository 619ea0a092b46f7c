// SPDX-License-Identifier: GPL-2.0
/*
 * ktracectl's client of the generic netlink family "ktrace" (libnl-3).
 *
 * One request at a time: ktnl_transact() sends it and reads until its ack
 * (or the end of its dump), handing each reply's attributes to a callback
 * and keeping the extended ack of a refusal: its message, and the type of
 * the attribute it points at (found from the offset in our own request).
 * Unknown attributes in replies are skipped, so an older ktracectl works
 * with a newer module.
 *
 * This file: the connection, requests, the helpers of nl_internal.h, test
 * events and notifications. One object each: nl_session.c (sessions and
 * their channels), nl_event.c (events, contexts, tracepoints),
 * nl_output.c (snapshot outputs).
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>

#include "nl.h"
#include "nl_internal.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK	270
#endif

/* State of one request in flight. */
struct transact {
	struct ktnl *nl;
	const struct nlmsghdr *req;
	ktnl_reply_fn fn;
	void *arg;
	int error;
	int done;
};

/* Connection */

struct family {
	int id;
	int mcgrp;
};

/* The controller's reply: the family's id and its sessions group. */
static int on_family(const struct ktnl_reply *r, void *arg)
{
	struct nlattr *tb[CTRL_ATTR_MAX + 1], *grp, *g[CTRL_ATTR_MCAST_GRP_MAX + 1];
	struct family *f = arg;
	int rem;

	if (nla_parse(tb, CTRL_ATTR_MAX, r->attrs, r->len, NULL) ||
	    !tb[CTRL_ATTR_FAMILY_ID])
		return 0;
	f->id = nla_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (!tb[CTRL_ATTR_MCAST_GROUPS])
		return 0;
	nla_for_each_nested(grp, tb[CTRL_ATTR_MCAST_GROUPS], rem) {
		if (nla_parse_nested(g, CTRL_ATTR_MCAST_GRP_MAX, grp, NULL) ||
		    !g[CTRL_ATTR_MCAST_GRP_NAME] || !g[CTRL_ATTR_MCAST_GRP_ID])
			continue;
		if (!strcmp(nla_get_string(g[CTRL_ATTR_MCAST_GRP_NAME]),
			    KTRACE_GENL_MCGRP_SESSIONS))
			f->mcgrp = (int)nla_get_u32(g[CTRL_ATTR_MCAST_GRP_ID]);
	}
	return 0;
}

/*
 * The family's id and multicast group in one request to the controller
 * (libnl's genl_ctrl_resolve() and genl_ctrl_resolve_grp() make one
 * each): every command starts with this round trip.
 */
static int resolve_family(struct ktnl *nl, struct family *f)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return -ENOMEM;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, GENL_ID_CTRL, 0,
			 NLM_F_ACK, CTRL_CMD_GETFAMILY, 1) ||
	    nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, KTRACE_GENL_NAME)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	f->id = -1;
	f->mcgrp = 0;
	return ktnl_transact(nl, msg, on_family, f);
}

/**
 * ktnl_open() - connect to the family
 * @nl: the connection to set up.
 *
 * Return: 0, -ENOENT when the family is not registered (ktrace.ko is not
 * loaded), or another negative errno.
 */
int ktnl_open(struct ktnl *nl)
{
	struct family f;
	int one = 1, ret;

	memset(nl, 0, sizeof(*nl));
	nl->sk = nl_socket_alloc();
	if (!nl->sk)
		return -ENOMEM;
	if (genl_connect(nl->sk)) {
		snprintf(nl->errmsg, sizeof(nl->errmsg),
			 "cannot open a generic netlink socket");
		goto out_free;
	}
	nl_socket_disable_auto_ack(nl->sk);
	/* Extended acks, without our request echoed back. */
	if (setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		       &one, sizeof(one)) ||
	    setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_CAP_ACK,
		       &one, sizeof(one))) {
		snprintf(nl->errmsg, sizeof(nl->errmsg),
			 "extended acks: %s", strerror(errno));
		goto out_free;
	}
	ret = resolve_family(nl, &f);
	if (ret == -ENOMEM) {
		nl_socket_free(nl->sk);
		nl->sk = NULL;
		return ret;
	}
	if (ret || f.id < 0) {
		snprintf(nl->errmsg, sizeof(nl->errmsg),
			 "no generic netlink family %s", KTRACE_GENL_NAME);
		nl_socket_free(nl->sk);
		nl->sk = NULL;
		return -ENOENT;
	}
	nl->family = f.id;
	if (f.mcgrp > 0)
		nl->mcgrp = f.mcgrp;
	return 0;

out_free:
	nl_socket_free(nl->sk);
	nl->sk = NULL;
	return -EIO;
}

/**
 * ktnl_close() - close a connection
 * @nl: the connection; may be closed already.
 */
void ktnl_close(struct ktnl *nl)
{
	if (nl->sk)
		nl_socket_free(nl->sk);
	nl->sk = NULL;
}

/**
 * ktnl_errmsg() - why the last request was refused
 * @nl: the connection.
 *
 * Return: the kernel's extended-ack message, or "" when it gave none.
 */
const char *ktnl_errmsg(const struct ktnl *nl)
{
	return nl->errmsg;
}

/**
 * ktnl_err_attr() - the attribute the last refusal was about
 * @nl: the connection.
 *
 * Return: a KTRACE_ATTR_* the kernel blamed or found missing, or 0.
 */
int ktnl_err_attr(const struct ktnl *nl)
{
	return nl->err_attr ? nl->err_attr : nl->err_missing;
}

/* Requests */

/**
 * ktnl_request() - a new request
 * @nl: the connection.
 * @cmd: a KTRACE_CMD_*.
 * @dump: non-zero for a dump.
 *
 * Return: the message, to fill with attributes and pass to
 * ktnl_transact(), or NULL when memory runs out.
 */
struct nl_msg *ktnl_request(struct ktnl *nl, uint8_t cmd, int dump)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
			 dump ? NLM_F_DUMP : NLM_F_ACK, cmd,
			 KTRACE_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/* The extended-ack attributes after an error code in an ack or done. */
static void parse_ext_ack(struct transact *t, const struct nlmsghdr *nlh,
			  size_t hdrlen)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	struct ktnl *nl = t->nl;
	uint32_t offs;
	int len;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	len = (int)nlh->nlmsg_len - NLMSG_HDRLEN - (int)hdrlen;
	if (len <= 0 ||
	    nla_parse(tb, NLMSGERR_ATTR_MAX,
		      (struct nlattr *)((char *)nlmsg_data(nlh) + hdrlen), len,
		      NULL))
		return;
	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(nl->errmsg, sizeof(nl->errmsg), "%.*s",
			 nla_len(tb[NLMSGERR_ATTR_MSG]),
			 (char *)nla_data(tb[NLMSGERR_ATTR_MSG]));
	if (tb[NLMSGERR_ATTR_OFFS]) {
		offs = nla_get_u32(tb[NLMSGERR_ATTR_OFFS]);
		if (offs >= NLMSG_HDRLEN + GENL_HDRLEN &&
		    offs + NLA_HDRLEN <= t->req->nlmsg_len)
			nl->err_attr = nla_type((const struct nlattr *)
						((const char *)t->req + offs));
	}
	if (tb[NLMSGERR_ATTR_MISS_TYPE])
		nl->err_missing = nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
}

static int on_reply(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[KTRACE_ATTR_MAX + 1];
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct ktnl_reply r = {
		.tb = tb,
		.attrs = genlmsg_attrdata(genlmsg_hdr(nlh), 0),
		.len = genlmsg_attrlen(genlmsg_hdr(nlh), 0),
	};
	struct transact *t = arg;
	int ret;

	/* No policy: attributes past KTRACE_ATTR_MAX are skipped. */
	if (genlmsg_parse(nlh, 0, tb, KTRACE_ATTR_MAX, NULL))
		return NL_SKIP;
	if (t->fn && !t->error) {
		ret = t->fn(&r, t->arg);
		if (ret)
			t->error = ret;
	}
	return NL_OK;
}

static int on_error(struct sockaddr_nl *who, struct nlmsgerr *err, void *arg)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)err - 1;
	struct transact *t = arg;
	size_t hdrlen = sizeof(*err);

	(void)who;
	/* Without NETLINK_CAP_ACK the request's payload comes back too. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		hdrlen += err->msg.nlmsg_len - NLMSG_HDRLEN;
	t->error = err->error;
	parse_ext_ack(t, nlh, hdrlen);
	t->done = 1;
	return NL_STOP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	(void)msg;
	((struct transact *)arg)->done = 1;
	return NL_STOP;
}

static int on_finish(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct transact *t = arg;
	int error = 0;

	if (nlh->nlmsg_len >= NLMSG_HDRLEN + sizeof(int))
		memcpy(&error, nlmsg_data(nlh), sizeof(error));
	if (error && !t->error)
		t->error = error;
	parse_ext_ack(t, nlh, sizeof(int));
	t->done = 1;
	return NL_STOP;
}

/**
 * ktnl_transact() - send a request and read its replies
 * @nl: the connection.
 * @msg: from ktnl_request(); freed.
 * @fn: called with each reply's attributes (tb[KTRACE_ATTR_MAX + 1]); a
 *	non-zero return becomes the result, the rest is read and dropped.
 *	May be NULL.
 * @arg: passed to @fn.
 *
 * Return: 0, the kernel's negative errno (see ktnl_errmsg()), @fn's, or
 * -EIO when the socket fails.
 */
int ktnl_transact(struct ktnl *nl, struct nl_msg *msg, ktnl_reply_fn fn,
		  void *arg)
{
	struct transact t = { .nl = nl, .fn = fn, .arg = arg };
	struct nl_cb *cb;
	int ret;

	nl->errmsg[0] = '\0';
	nl->err_attr = 0;
	nl->err_missing = 0;
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_reply, &t);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, &t);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, &t);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, &t);

	ret = nl_send_auto(nl->sk, msg);
	if (ret < 0) {
		snprintf(nl->errmsg, sizeof(nl->errmsg), "netlink send: %s",
			 nl_geterror(ret));
		t.error = -EIO;
		goto out;
	}
	/* Sent: the header now has its sequence number and length. */
	t.req = nlmsg_hdr(msg);
	while (!t.done) {
		ret = nl_recvmsgs(nl->sk, cb);
		if (ret < 0 && !t.done) {
			snprintf(nl->errmsg, sizeof(nl->errmsg),
				 "netlink receive: %s", nl_geterror(ret));
			t.error = -EIO;
			break;
		}
	}
out:
	nl_cb_put(cb);
	nlmsg_free(msg);
	return t.error;
}

/* Attribute helpers */

void ktnl_attr_string(char *dst, size_t size, const struct nlattr *a)
{
	if (a)
		snprintf(dst, size, "%.*s", nla_len(a), (char *)nla_data(a));
	else
		dst[0] = '\0';
}

uint32_t ktnl_attr_u32(struct nlattr **tb, int type)
{
	return tb[type] ? nla_get_u32(tb[type]) : 0;
}

uint64_t ktnl_attr_u64(struct nlattr **tb, int type)
{
	return tb[type] ? nla_get_u64(tb[type]) : 0;
}

int ktnl_attr_flag(struct nlattr **tb, int type)
{
	return tb[type] ? nla_get_u8(tb[type]) : 0;
}

/* Grows a malloc()ed array by one zeroed element. */
void *ktnl_grow(void *array, size_t *count, size_t size)
{
	char *p = realloc(array, (*count + 1) * size);

	if (!p)
		return NULL;
	memset(p + *count * size, 0, size);
	(*count)++;
	return p;
}

/* A request naming a session (and, if @channel, a channel). */
struct nl_msg *ktnl_session_request(struct ktnl *nl, uint8_t cmd, int dump,
				    const char *session, const char *channel)
{
	struct nl_msg *msg = ktnl_request(nl, cmd, dump);

	if (!msg)
		return NULL;
	if (nla_put_string(msg, KTRACE_ATTR_SESSION_NAME, session) ||
	    (channel && nla_put_string(msg, KTRACE_ATTR_CHANNEL_NAME,
				       channel))) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

int ktnl_send(struct ktnl *nl, struct nl_msg *msg, ktnl_reply_fn fn,
	      void *arg)
{
	if (!msg)
		return -ENOMEM;
	return ktnl_transact(nl, msg, fn, arg);
}

struct pick {
	int type;
	uint64_t value;
	int found;
};

/* Picks one integer attribute out of a reply. */
static int pick_int(const struct ktnl_reply *r, void *arg)
{
	struct nlattr **tb = r->tb;
	struct pick *p = arg;

	if (!tb[p->type])
		return 0;
	p->found = 1;
	if (nla_len(tb[p->type]) == sizeof(uint64_t))
		p->value = nla_get_u64(tb[p->type]);
	else
		p->value = nla_get_u32(tb[p->type]);
	return 0;
}

int ktnl_transact_pick(struct ktnl *nl, struct nl_msg *msg, int type,
		       uint64_t *value)
{
	struct pick p = { .type = type };
	int ret = ktnl_send(nl, msg, pick_int, &p);

	if (ret)
		return ret;
	if (!p.found) {
		snprintf(nl->errmsg, sizeof(nl->errmsg),
			 "the reply lacks attribute %d", type);
		return -EPROTO;
	}
	*value = p.value;
	return 0;
}

/**
 * ktnl_test_fire() - record ktrace_test events
 * @nl: the connection.
 * @seq: sequence number of the first.
 * @count: how many, 1 to KTRACE_TEST_FIRE_MAX.
 * @payload: recorded in each.
 *
 * Return: 0 or a negative errno.
 */
int ktnl_test_fire(struct ktnl *nl, uint64_t seq, uint32_t count,
		   uint64_t payload)
{
	struct nl_msg *msg = ktnl_request(nl, KTRACE_CMD_TEST_FIRE, 0);

	if (msg && (nla_put_u64(msg, KTRACE_ATTR_TEST_SEQ, seq) ||
		    nla_put_u32(msg, KTRACE_ATTR_TEST_COUNT, count) ||
		    nla_put_u64(msg, KTRACE_ATTR_TEST_PAYLOAD, payload))) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return ktnl_send(nl, msg, NULL, NULL);
}

/* Notifications */

/**
 * ktnl_subscribe() - receive the "sessions" notifications
 * @nl: a connection used for nothing else.
 *
 * Return: 0, -EPERM without CAP_SYS_ADMIN, or another negative errno.
 */
int ktnl_subscribe(struct ktnl *nl)
{
	int ret;

	if (!nl->mcgrp)
		return -ENOENT;
	/* Notifications have no sequence number of ours. */
	nl_socket_disable_seq_check(nl->sk);
	ret = nl_socket_add_membership(nl->sk, nl->mcgrp);
	if (ret < 0)
		return ret == -NLE_PERM ? -EPERM : -EIO;
	return 0;
}

static int on_notification(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[KTRACE_ATTR_MAX + 1];
	struct ktnl_notification *ntf = arg;
	struct genlmsghdr *g = genlmsg_hdr(nlmsg_hdr(msg));

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, KTRACE_ATTR_MAX, NULL))
		return NL_SKIP;
	ntf->cmd = g->cmd;
	ntf->session_id = ktnl_attr_u32(tb, KTRACE_ATTR_SESSION_ID);
	ktnl_attr_string(ntf->session, sizeof(ntf->session),
		    tb[KTRACE_ATTR_SESSION_NAME]);
	return NL_OK;
}

/**
 * ktnl_notification_next() - wait for the next notification
 * @nl: a connection after ktnl_subscribe().
 * @ntf: filled in.
 * @timeout_ms: how long to wait; -1 for ever.
 *
 * Return: 1 with @ntf filled, 0 on timeout, or a negative errno.
 */
int ktnl_notification_next(struct ktnl *nl, struct ktnl_notification *ntf,
			   int timeout_ms)
{
	struct pollfd pfd = { .fd = nl_socket_get_fd(nl->sk), .events = POLLIN };
	struct nl_cb *cb;
	int ret;

	memset(ntf, 0, sizeof(*ntf));
	ret = poll(&pfd, 1, timeout_ms);
	if (ret < 0)
		return -errno;
	if (!ret)
		return 0;
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb)
		return -ENOMEM;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_notification, ntf);
	ret = nl_recvmsgs(nl->sk, cb);
	nl_cb_put(cb);
	if (ret < 0)
		return -EIO;
	return ntf->cmd ? 1 : 0;
}
