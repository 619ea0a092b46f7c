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

/**
 * ktnl_open() - connect to the family
 * @nl: the connection to set up.
 *
 * Return: 0, -ENOENT when the family is not registered (ktrace.ko is not
 * loaded), or another negative errno.
 */
int ktnl_open(struct ktnl *nl)
{
	int one = 1, grp;

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
	nl->family = genl_ctrl_resolve(nl->sk, KTRACE_GENL_NAME);
	if (nl->family < 0) {
		snprintf(nl->errmsg, sizeof(nl->errmsg),
			 "no generic netlink family %s", KTRACE_GENL_NAME);
		nl_socket_free(nl->sk);
		nl->sk = NULL;
		return -ENOENT;
	}
	grp = genl_ctrl_resolve_grp(nl->sk, KTRACE_GENL_NAME,
				    KTRACE_GENL_MCGRP_SESSIONS);
	if (grp > 0)
		nl->mcgrp = grp;
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

static void copy_string(char *dst, size_t size, const struct nlattr *a)
{
	if (a)
		snprintf(dst, size, "%.*s", nla_len(a), (char *)nla_data(a));
	else
		dst[0] = '\0';
}

static uint32_t get_u32(struct nlattr **tb, int type)
{
	return tb[type] ? nla_get_u32(tb[type]) : 0;
}

static uint64_t get_u64(struct nlattr **tb, int type)
{
	return tb[type] ? nla_get_u64(tb[type]) : 0;
}

static int get_flag(struct nlattr **tb, int type)
{
	return tb[type] ? nla_get_u8(tb[type]) : 0;
}

/* Grows a malloc()ed array by one zeroed element. */
static void *grow(void *array, size_t *count, size_t size)
{
	char *p = realloc(array, (*count + 1) * size);

	if (!p)
		return NULL;
	memset(p + *count * size, 0, size);
	(*count)++;
	return p;
}

/* A request naming a session (and, if @channel, a channel). */
static struct nl_msg *session_request(struct ktnl *nl, uint8_t cmd, int dump,
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

static int simple(struct ktnl *nl, struct nl_msg *msg, ktnl_reply_fn fn,
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

static int transact_pick(struct ktnl *nl, struct nl_msg *msg, int type,
			 uint64_t *value)
{
	struct pick p = { .type = type };
	int ret = simple(nl, msg, pick_int, &p);

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

/* Sessions */

static void parse_channel(const struct nlattr *nest, struct ktnl_channel *c)
{
	struct nlattr *tb[KTRACE_ATTR_MAX + 1];

	memset(c, 0, sizeof(*c));
	if (nla_parse_nested(tb, KTRACE_ATTR_MAX, (struct nlattr *)nest, NULL))
		return;
	c->id = get_u32(tb, KTRACE_ATTR_CHANNEL_ID);
	copy_string(c->name, sizeof(c->name), tb[KTRACE_ATTR_CHANNEL_NAME]);
	c->mode = get_u32(tb, KTRACE_ATTR_CHANNEL_MODE);
	c->subbuf_size = get_u64(tb, KTRACE_ATTR_CHANNEL_SUBBUF_SIZE);
	c->num_subbuf = get_u32(tb, KTRACE_ATTR_CHANNEL_NUM_SUBBUF);
	c->switch_timer_us = get_u32(tb, KTRACE_ATTR_CHANNEL_SWITCH_TIMER);
	c->output = get_u32(tb, KTRACE_ATTR_CHANNEL_OUTPUT);
	c->streams = get_u32(tb, KTRACE_ATTR_CHANNEL_STREAMS);
	c->discarded = get_u64(tb, KTRACE_ATTR_CHANNEL_DISCARDED);
	c->overwritten = get_u64(tb, KTRACE_ATTR_CHANNEL_OVERWRITTEN);
}

/* A SESSION_GET message: the session, then a nest per channel. */
static int parse_session(const struct ktnl_reply *r, struct ktnl_session *s)
{
	struct nlattr **tb = r->tb;
	struct ktnl_channel *c;
	struct nlattr *nla;
	int rem;

	memset(s, 0, sizeof(*s));
	s->id = get_u32(tb, KTRACE_ATTR_SESSION_ID);
	copy_string(s->name, sizeof(s->name), tb[KTRACE_ATTR_SESSION_NAME]);
	s->mode = get_u32(tb, KTRACE_ATTR_SESSION_MODE);
	s->state = get_u32(tb, KTRACE_ATTR_SESSION_STATE);
	s->started_once = get_flag(tb, KTRACE_ATTR_SESSION_STARTED_ONCE);
	s->snapshot_count = get_u64(tb, KTRACE_ATTR_SNAPSHOT_COUNT);
	nla_for_each_attr(nla, r->attrs, r->len, rem) {
		if (nla_type(nla) != KTRACE_ATTR_CHANNEL)
			continue;
		c = grow(s->channels, &s->nr_channels, sizeof(*c));
		if (!c)
			return -ENOMEM;
		s->channels = c;
		parse_channel(nla, &c[s->nr_channels - 1]);
	}
	return 0;
}

struct session_list {
	struct ktnl_session *sessions;
	size_t count;
};

static int on_session(const struct ktnl_reply *r, void *arg)
{
	struct session_list *l = arg;
	struct ktnl_session *s;

	s = grow(l->sessions, &l->count, sizeof(*s));
	if (!s)
		return -ENOMEM;
	l->sessions = s;
	return parse_session(r, &s[l->count - 1]);
}

/**
 * ktnl_session_new() - create a session
 * @nl: the connection.
 * @name: its name.
 * @mode: KTRACE_SESSION_MODE_*, or 0 for normal.
 * @id: receives its id; may be NULL.
 *
 * Return: 0 or a negative errno.
 */
int ktnl_session_new(struct ktnl *nl, const char *name, uint32_t mode,
		     uint32_t *id)
{
	struct nl_msg *msg = ktnl_request(nl, KTRACE_CMD_SESSION_NEW, 0);
	uint64_t v;
	int ret;

	if (msg && (nla_put_string(msg, KTRACE_ATTR_SESSION_NAME, name) ||
		    (mode && nla_put_u32(msg, KTRACE_ATTR_SESSION_MODE, mode)))) {
		nlmsg_free(msg);
		msg = NULL;
	}
	ret = transact_pick(nl, msg, KTRACE_ATTR_SESSION_ID, &v);
	if (!ret && id)
		*id = v;
	return ret;
}

/**
 * ktnl_session_del() - destroy a session
 * @nl: the connection.
 * @session: its name.
 *
 * Return: 0 or a negative errno.
 */
int ktnl_session_del(struct ktnl *nl, const char *session)
{
	return simple(nl, session_request(nl, KTRACE_CMD_SESSION_DEL, 0,
					  session, NULL), NULL, NULL);
}

/**
 * ktnl_session_get() - describe one session and its channels
 * @nl: the connection.
 * @session: its name.
 * @out: filled in; free(@out->channels) when done.
 *
 * Return: 0 or a negative errno.
 */
int ktnl_session_get(struct ktnl *nl, const char *session,
		     struct ktnl_session *out)
{
	struct session_list l = {};
	int ret;

	ret = simple(nl, session_request(nl, KTRACE_CMD_SESSION_GET, 0,
					 session, NULL), on_session, &l);
	if (!ret && l.count != 1)
		ret = -EPROTO;
	if (ret) {
		ktnl_session_free(l.sessions, l.count);
		return ret;
	}
	*out = l.sessions[0];
	free(l.sessions);
	return 0;
}

/**
 * ktnl_session_list() - describe every session
 * @nl: the connection.
 * @out: receives a malloc()ed array; free with ktnl_session_free().
 * @count: receives its length.
 *
 * Return: 0 or a negative errno.
 */
int ktnl_session_list(struct ktnl *nl, struct ktnl_session **out,
		      size_t *count)
{
	struct session_list l = {};
	int ret;

	ret = simple(nl, ktnl_request(nl, KTRACE_CMD_SESSION_GET, 1),
		     on_session, &l);
	if (ret) {
		ktnl_session_free(l.sessions, l.count);
		return ret;
	}
	*out = l.sessions;
	*count = l.count;
	return 0;
}

/**
 * ktnl_session_free() - free sessions and their channels
 * @sessions: from ktnl_session_list(), or one from ktnl_session_get().
 * @count: how many.
 */
void ktnl_session_free(struct ktnl_session *sessions, size_t count)
{
	size_t i;

	for (i = 0; sessions && i < count; i++)
		free(sessions[i].channels);
	free(sessions);
}

/**
 * ktnl_start() - start a session
 * @nl: the connection.
 * @session: its name.
 *
 * Return: 0 or a negative errno (-EALREADY if it is active).
 */
int ktnl_start(struct ktnl *nl, const char *session)
{
	return simple(nl, session_request(nl, KTRACE_CMD_START, 0, session,
					  NULL), NULL, NULL);
}

/**
 * ktnl_stop() - stop a session
 * @nl: the connection.
 * @session: its name.
 *
 * Return: 0 or a negative errno (-EALREADY if it is not active).
 */
int ktnl_stop(struct ktnl *nl, const char *session)
{
	return simple(nl, session_request(nl, KTRACE_CMD_STOP, 0, session,
					  NULL), NULL, NULL);
}

/**
 * ktnl_snapshot_bump() - count one recorded snapshot
 * @nl: the connection.
 * @session: its name.
 * @count: receives the new count; may be NULL.
 *
 * Return: 0 or a negative errno.
 */
int ktnl_snapshot_bump(struct ktnl *nl, const char *session,
		       uint64_t *count)
{
	uint64_t v;
	int ret;

	ret = transact_pick(nl, session_request(nl, KTRACE_CMD_SNAPSHOT_BUMP,
						0, session, NULL),
			    KTRACE_ATTR_SNAPSHOT_COUNT, &v);
	if (!ret && count)
		*count = v;
	return ret;
}

/* Channels, events, contexts */

/**
 * ktnl_channel_new() - create a channel
 * @nl: the connection.
 * @session: the session's name.
 * @attr: its name and geometry; zero fields take the kernel's defaults.
 * @id: receives its id; may be NULL.
 *
 * Return: 0 or a negative errno.
 */
int ktnl_channel_new(struct ktnl *nl, const char *session,
		     const struct ktnl_channel_attr *attr, uint32_t *id)
{
	struct nl_msg *msg;
	uint64_t v;
	int ret;

	msg = session_request(nl, KTRACE_CMD_CHANNEL_NEW, 0, session,
			      attr->name);
	if (msg &&
	    ((attr->mode &&
	      nla_put_u32(msg, KTRACE_ATTR_CHANNEL_MODE, attr->mode)) ||
	     (attr->subbuf_size &&
	      nla_put_u64(msg, KTRACE_ATTR_CHANNEL_SUBBUF_SIZE,
			  attr->subbuf_size)) ||
	     (attr->num_subbuf &&
	      nla_put_u32(msg, KTRACE_ATTR_CHANNEL_NUM_SUBBUF,
			  attr->num_subbuf)) ||
	     (attr->switch_timer_us &&
	      nla_put_u32(msg, KTRACE_ATTR_CHANNEL_SWITCH_TIMER,
			  attr->switch_timer_us)) ||
	     (attr->output &&
	      nla_put_u32(msg, KTRACE_ATTR_CHANNEL_OUTPUT, attr->output)))) {
		nlmsg_free(msg);
		msg = NULL;
	}
	ret = transact_pick(nl, msg, KTRACE_ATTR_CHANNEL_ID, &v);
	if (!ret && id)
		*id = v;
	return ret;
}

struct channel_list {
	struct ktnl_channel *channels;
	size_t count;
};

static int on_channel(const struct ktnl_reply *r, void *arg)
{
	struct nlattr **tb = r->tb;
	struct channel_list *l = arg;
	struct ktnl_channel *c;

	if (!tb[KTRACE_ATTR_CHANNEL])
		return 0;
	c = grow(l->channels, &l->count, sizeof(*c));
	if (!c)
		return -ENOMEM;
	l->channels = c;
	parse_channel(tb[KTRACE_ATTR_CHANNEL], &c[l->count - 1]);
	return 0;
}

/**
 * ktnl_channel_list() - describe a session's channels
 * @nl: the connection.
 * @session: the session's name.
 * @out: receives a malloc()ed array, in id order.
 * @count: receives its length.
 *
 * Return: 0 or a negative errno.
 */
int ktnl_channel_list(struct ktnl *nl, const char *session,
		      struct ktnl_channel **out, size_t *count)
{
	struct channel_list l = {};
	int ret;

	ret = simple(nl, session_request(nl, KTRACE_CMD_CHANNEL_GET, 1,
					 session, NULL), on_channel, &l);
	if (ret) {
		free(l.channels);
		return ret;
	}
	*out = l.channels;
	*count = l.count;
	return 0;
}

static int event_change(struct ktnl *nl, uint8_t cmd, const char *session,
			const char *channel, const char *pattern,
			uint32_t *count)
{
	struct nl_msg *msg;
	uint64_t v;
	int ret;

	msg = session_request(nl, cmd, 0, session, channel);
	if (msg && nla_put_string(msg, KTRACE_ATTR_EVENT_NAME, pattern)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	ret = transact_pick(nl, msg, KTRACE_ATTR_EVENT_COUNT, &v);
	if (!ret && count)
		*count = v;
	return ret;
}

/**
 * ktnl_event_enable() - enable events in a channel
 * @nl: the connection.
 * @session: the session's name.
 * @channel: the channel's name, or NULL for channel0.
 * @pattern: an event name or a glob.
 * @count: receives the number of matching events; may be NULL.
 *
 * Return: 0 or a negative errno.
 */
int ktnl_event_enable(struct ktnl *nl, const char *session,
		      const char *channel, const char *pattern,
		      uint32_t *count)
{
	return event_change(nl, KTRACE_CMD_EVENT_ENABLE, session, channel,
			    pattern, count);
}

/**
 * ktnl_event_disable() - disable events in a channel
 * @nl: the connection.
 * @session: the session's name.
 * @channel: the channel's name, or NULL for channel0.
 * @pattern: an event name or a glob.
 * @count: receives the number of events disabled; may be NULL.
 *
 * Return: 0 or a negative errno.
 */
int ktnl_event_disable(struct ktnl *nl, const char *session,
		       const char *channel, const char *pattern,
		       uint32_t *count)
{
	return event_change(nl, KTRACE_CMD_EVENT_DISABLE, session, channel,
			    pattern, count);
}

struct event_list {
	struct ktnl_event *events;
	size_t count;
};

static int on_event(const struct ktnl_reply *r, void *arg)
{
	struct nlattr **tb = r->tb;
	struct nlattr *in[KTRACE_ATTR_MAX + 1];
	struct event_list *l = arg;
	struct ktnl_event *e;

	if (!tb[KTRACE_ATTR_EVENT] ||
	    nla_parse_nested(in, KTRACE_ATTR_MAX, tb[KTRACE_ATTR_EVENT], NULL))
		return 0;
	e = grow(l->events, &l->count, sizeof(*e));
	if (!e)
		return -ENOMEM;
	l->events = e;
	e += l->count - 1;
	e->id = get_u32(in, KTRACE_ATTR_EVENT_ID);
	copy_string(e->name, sizeof(e->name), in[KTRACE_ATTR_EVENT_NAME]);
	e->enabled = get_flag(in, KTRACE_ATTR_EVENT_ENABLED);
	return 0;
}

/**
 * ktnl_event_list() - the events of a channel, enabled or not
 * @nl: the connection.
 * @session: the session's name.
 * @channel: the channel's name, or NULL for channel0.
 * @out: receives a malloc()ed array, in id order.
 * @count: receives its length.
 *
 * Return: 0 or a negative errno.
 */
int ktnl_event_list(struct ktnl *nl, const char *session,
		    const char *channel, struct ktnl_event **out,
		    size_t *count)
{
	struct event_list l = {};
	int ret;

	ret = simple(nl, session_request(nl, KTRACE_CMD_EVENT_GET, 1, session,
					 channel), on_event, &l);
	if (ret) {
		free(l.events);
		return ret;
	}
	*out = l.events;
	*count = l.count;
	return 0;
}

/**
 * ktnl_context_add() - record a context with every event of a channel
 * @nl: the connection.
 * @session: the session's name.
 * @channel: the channel's name, or NULL for channel0.
 * @type: a KTRACE_CONTEXT_TYPE_*.
 *
 * Return: 0 or a negative errno.
 */
int ktnl_context_add(struct ktnl *nl, const char *session,
		     const char *channel, uint32_t type)
{
	struct nl_msg *msg;

	msg = session_request(nl, KTRACE_CMD_CONTEXT_ADD, 0, session, channel);
	if (msg && nla_put_u32(msg, KTRACE_ATTR_CONTEXT_TYPE, type)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return simple(nl, msg, NULL, NULL);
}

struct tracepoint_list {
	struct ktnl_tracepoint *tps;
	size_t count;
};

static int on_tracepoint(const struct ktnl_reply *r, void *arg)
{
	struct nlattr **tb = r->tb;
	struct nlattr *in[KTRACE_ATTR_MAX + 1], *fl[KTRACE_ATTR_MAX + 1];
	struct tracepoint_list *l = arg;
	struct ktnl_tracepoint *tp;
	struct ktnl_field *f;
	struct nlattr *nla;
	int rem;

	if (!tb[KTRACE_ATTR_EVENT] ||
	    nla_parse_nested(in, KTRACE_ATTR_MAX, tb[KTRACE_ATTR_EVENT], NULL))
		return 0;
	tp = grow(l->tps, &l->count, sizeof(*tp));
	if (!tp)
		return -ENOMEM;
	l->tps = tp;
	tp += l->count - 1;
	copy_string(tp->name, sizeof(tp->name), in[KTRACE_ATTR_EVENT_NAME]);
	tp->available = get_flag(in, KTRACE_ATTR_EVENT_AVAILABLE);
	nla_for_each_nested(nla, tb[KTRACE_ATTR_EVENT], rem) {
		if (nla_type(nla) != KTRACE_ATTR_FIELD ||
		    nla_parse_nested(fl, KTRACE_ATTR_MAX, nla, NULL))
			continue;
		f = grow(tp->fields, &tp->nr_fields, sizeof(*f));
		if (!f)
			return -ENOMEM;
		tp->fields = f;
		f += tp->nr_fields - 1;
		copy_string(f->name, sizeof(f->name), fl[KTRACE_ATTR_FIELD_NAME]);
		f->type = get_u32(fl, KTRACE_ATTR_FIELD_TYPE);
		f->size = get_u32(fl, KTRACE_ATTR_FIELD_SIZE);
		f->is_signed = get_flag(fl, KTRACE_ATTR_FIELD_SIGNED);
		f->length = get_u32(fl, KTRACE_ATTR_FIELD_LENGTH);
	}
	return 0;
}

/**
 * ktnl_tracepoint_list() - every event the module knows, with its fields
 * @nl: the connection.
 * @out: receives a malloc()ed array; free with ktnl_tracepoint_free().
 * @count: receives its length.
 *
 * Return: 0 or a negative errno.
 */
int ktnl_tracepoint_list(struct ktnl *nl, struct ktnl_tracepoint **out,
			 size_t *count)
{
	struct tracepoint_list l = {};
	int ret;

	ret = simple(nl, ktnl_request(nl, KTRACE_CMD_TRACEPOINT_LIST, 1),
		     on_tracepoint, &l);
	if (ret) {
		ktnl_tracepoint_free(l.tps, l.count);
		return ret;
	}
	*out = l.tps;
	*count = l.count;
	return 0;
}

/**
 * ktnl_tracepoint_free() - free a tracepoint list
 * @tps: from ktnl_tracepoint_list().
 * @count: its length.
 */
void ktnl_tracepoint_free(struct ktnl_tracepoint *tps, size_t count)
{
	size_t i;

	for (i = 0; tps && i < count; i++)
		free(tps[i].fields);
	free(tps);
}

/* Snapshot outputs */

/**
 * ktnl_output_add() - add a snapshot output to a session
 * @nl: the connection.
 * @session: the session's name.
 * @name: the output's name, or NULL for "snapshot-<id>".
 * @dest: its destination.
 * @max_size: default maximum snapshot size in bytes, 0 for none.
 * @id: receives its id; may be NULL.
 *
 * Return: 0 or a negative errno.
 */
int ktnl_output_add(struct ktnl *nl, const char *session, const char *name,
		    const char *dest, uint64_t max_size, uint32_t *id)
{
	struct nl_msg *msg;
	uint64_t v;
	int ret;

	msg = session_request(nl, KTRACE_CMD_OUTPUT_ADD, 0, session, NULL);
	if (msg &&
	    ((name && nla_put_string(msg, KTRACE_ATTR_OUTPUT_NAME, name)) ||
	     nla_put_string(msg, KTRACE_ATTR_OUTPUT_DEST, dest) ||
	     (max_size &&
	      nla_put_u64(msg, KTRACE_ATTR_OUTPUT_MAX_SIZE, max_size)))) {
		nlmsg_free(msg);
		msg = NULL;
	}
	ret = transact_pick(nl, msg, KTRACE_ATTR_OUTPUT_ID, &v);
	if (!ret && id)
		*id = v;
	return ret;
}

/**
 * ktnl_output_del() - delete a snapshot output
 * @nl: the connection.
 * @session: the session's name.
 * @name: the output's name.
 *
 * Return: 0 or a negative errno.
 */
int ktnl_output_del(struct ktnl *nl, const char *session, const char *name)
{
	struct nl_msg *msg;

	msg = session_request(nl, KTRACE_CMD_OUTPUT_DEL, 0, session, NULL);
	if (msg && nla_put_string(msg, KTRACE_ATTR_OUTPUT_NAME, name)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return simple(nl, msg, NULL, NULL);
}

struct output_list {
	struct ktnl_output *outputs;
	size_t count;
};

static int on_output(const struct ktnl_reply *r, void *arg)
{
	struct nlattr **tb = r->tb;
	struct nlattr *in[KTRACE_ATTR_MAX + 1];
	struct output_list *l = arg;
	struct ktnl_output *o;

	if (!tb[KTRACE_ATTR_OUTPUT] ||
	    nla_parse_nested(in, KTRACE_ATTR_MAX, tb[KTRACE_ATTR_OUTPUT], NULL))
		return 0;
	o = grow(l->outputs, &l->count, sizeof(*o));
	if (!o)
		return -ENOMEM;
	l->outputs = o;
	o += l->count - 1;
	o->id = get_u32(in, KTRACE_ATTR_OUTPUT_ID);
	copy_string(o->name, sizeof(o->name), in[KTRACE_ATTR_OUTPUT_NAME]);
	copy_string(o->dest, sizeof(o->dest), in[KTRACE_ATTR_OUTPUT_DEST]);
	o->max_size = get_u64(in, KTRACE_ATTR_OUTPUT_MAX_SIZE);
	return 0;
}

/**
 * ktnl_output_list() - a session's snapshot outputs
 * @nl: the connection.
 * @session: the session's name.
 * @out: receives a malloc()ed array, in the order they were added.
 * @count: receives its length.
 *
 * Return: 0 or a negative errno.
 */
int ktnl_output_list(struct ktnl *nl, const char *session,
		     struct ktnl_output **out, size_t *count)
{
	struct output_list l = {};
	int ret;

	ret = simple(nl, session_request(nl, KTRACE_CMD_OUTPUT_GET, 1, session,
					 NULL), on_output, &l);
	if (ret) {
		free(l.outputs);
		return ret;
	}
	*out = l.outputs;
	*count = l.count;
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
	return simple(nl, msg, NULL, NULL);
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
	ntf->session_id = get_u32(tb, KTRACE_ATTR_SESSION_ID);
	copy_string(ntf->session, sizeof(ntf->session),
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
