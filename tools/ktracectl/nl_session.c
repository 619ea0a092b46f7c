// SPDX-License-Identifier: GPL-2.0
/*
 * ktracectl's netlink client (nl.h): sessions and their channels.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>

#include "nl.h"
#include "nl_internal.h"

/* Sessions */

static void parse_channel(const struct nlattr *nest, struct ktnl_channel *c)
{
	struct nlattr *tb[KTRACE_ATTR_MAX + 1], *a;
	int rem;

	memset(c, 0, sizeof(*c));
	if (nla_parse_nested(tb, KTRACE_ATTR_MAX, (struct nlattr *)nest, NULL))
		return;
	c->id = ktnl_attr_u32(tb, KTRACE_ATTR_CHANNEL_ID);
	ktnl_attr_string(c->name, sizeof(c->name),
			 tb[KTRACE_ATTR_CHANNEL_NAME]);
	c->mode = ktnl_attr_u32(tb, KTRACE_ATTR_CHANNEL_MODE);
	c->subbuf_size = ktnl_attr_u64(tb, KTRACE_ATTR_CHANNEL_SUBBUF_SIZE);
	c->num_subbuf = ktnl_attr_u32(tb, KTRACE_ATTR_CHANNEL_NUM_SUBBUF);
	c->switch_timer_us = ktnl_attr_u32(tb,
					   KTRACE_ATTR_CHANNEL_SWITCH_TIMER);
	c->output = ktnl_attr_u32(tb, KTRACE_ATTR_CHANNEL_OUTPUT);
	c->streams = ktnl_attr_u32(tb, KTRACE_ATTR_CHANNEL_STREAMS);
	c->discarded = ktnl_attr_u64(tb, KTRACE_ATTR_CHANNEL_DISCARDED);
	c->overwritten = ktnl_attr_u64(tb, KTRACE_ATTR_CHANNEL_OVERWRITTEN);
	/* Its contexts: one CONTEXT_TYPE each, in the order added. */
	nla_for_each_nested(a, (struct nlattr *)nest, rem)
		if (nla_type(a) == KTRACE_ATTR_CONTEXT_TYPE &&
		    nla_len(a) >= (int)sizeof(uint32_t) &&
		    c->nr_contexts < KTNL_MAX_CONTEXTS)
			c->contexts[c->nr_contexts++] = nla_get_u32(a);
	c->read_timer_us = ktnl_attr_u32(tb, KTRACE_ATTR_CHANNEL_READ_TIMER);
	c->tracefile_size = ktnl_attr_u64(tb,
					  KTRACE_ATTR_CHANNEL_TRACEFILE_SIZE);
	c->tracefile_count = ktnl_attr_u32(tb,
					   KTRACE_ATTR_CHANNEL_TRACEFILE_COUNT);
	c->enabled = tb[KTRACE_ATTR_CHANNEL_ENABLED] ?
		     ktnl_attr_flag(tb, KTRACE_ATTR_CHANNEL_ENABLED) : 1;
}

/* A SESSION_GET message: the session, then a nest per channel. */
static int parse_session(const struct ktnl_reply *r, struct ktnl_session *s)
{
	struct nlattr **tb = r->tb;
	struct ktnl_channel *c;
	struct nlattr *nla;
	int rem;

	memset(s, 0, sizeof(*s));
	s->id = ktnl_attr_u32(tb, KTRACE_ATTR_SESSION_ID);
	ktnl_attr_string(s->name, sizeof(s->name),
			 tb[KTRACE_ATTR_SESSION_NAME]);
	s->mode = ktnl_attr_u32(tb, KTRACE_ATTR_SESSION_MODE);
	s->state = ktnl_attr_u32(tb, KTRACE_ATTR_SESSION_STATE);
	s->started_once = ktnl_attr_flag(tb, KTRACE_ATTR_SESSION_STARTED_ONCE);
	s->snapshot_count = ktnl_attr_u64(tb, KTRACE_ATTR_SNAPSHOT_COUNT);
	s->consumer_pid = ktnl_attr_u32(tb, KTRACE_ATTR_CONSUMER_PID);
	s->consumer_bytes = ktnl_attr_u64(tb, KTRACE_ATTR_CONSUMER_BYTES);
	s->consumer_packets = ktnl_attr_u64(tb, KTRACE_ATTR_CONSUMER_PACKETS);
	s->consumer_error = ktnl_attr_u32(tb, KTRACE_ATTR_CONSUMER_ERROR);
	s->consumer_synced = ktnl_attr_u64(tb, KTRACE_ATTR_CONSUMER_SYNCED);
	s->consumer_lag = ktnl_attr_u64(tb, KTRACE_ATTR_CONSUMER_LAG);
	s->consumer_read = ktnl_attr_u64(tb, KTRACE_ATTR_CONSUMER_READ);
	s->stop_seq = ktnl_attr_u64(tb, KTRACE_ATTR_STOP_SEQ);
	nla_for_each_attr(nla, r->attrs, r->len, rem) {
		if (nla_type(nla) != KTRACE_ATTR_CHANNEL)
			continue;
		c = ktnl_grow(s->channels, &s->nr_channels, sizeof(*c));
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

	s = ktnl_grow(l->sessions, &l->count, sizeof(*s));
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
	ret = ktnl_transact_pick(nl, msg, KTRACE_ATTR_SESSION_ID, &v);
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
	return ktnl_send(nl, ktnl_session_request(nl, KTRACE_CMD_SESSION_DEL,
						  0, session, NULL),
			 NULL, NULL);
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

	ret = ktnl_send(nl, ktnl_session_request(nl, KTRACE_CMD_SESSION_GET,
						 0, session, NULL),
			on_session, &l);
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

	ret = ktnl_send(nl, ktnl_request(nl, KTRACE_CMD_SESSION_GET, 1),
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
	return ktnl_send(nl, ktnl_session_request(nl, KTRACE_CMD_START, 0,
						  session, NULL),
			 NULL, NULL);
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
	return ktnl_send(nl, ktnl_session_request(nl, KTRACE_CMD_STOP, 0,
						  session, NULL),
			 NULL, NULL);
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
	struct nl_msg *msg;
	uint64_t v;
	int ret;

	msg = ktnl_session_request(nl, KTRACE_CMD_SNAPSHOT_BUMP, 0, session,
				   NULL);
	ret = ktnl_transact_pick(nl, msg, KTRACE_ATTR_SNAPSHOT_COUNT, &v);
	if (!ret && count)
		*count = v;
	return ret;
}

/* Channels */

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

	msg = ktnl_session_request(nl, KTRACE_CMD_CHANNEL_NEW, 0, session,
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
	      nla_put_u32(msg, KTRACE_ATTR_CHANNEL_OUTPUT, attr->output)) ||
	     (attr->read_timer_us &&
	      nla_put_u32(msg, KTRACE_ATTR_CHANNEL_READ_TIMER,
			  attr->read_timer_us)) ||
	     (attr->tracefile_size &&
	      nla_put_u64(msg, KTRACE_ATTR_CHANNEL_TRACEFILE_SIZE,
			  attr->tracefile_size)) ||
	     (attr->tracefile_count &&
	      nla_put_u32(msg, KTRACE_ATTR_CHANNEL_TRACEFILE_COUNT,
			  attr->tracefile_count)))) {
		nlmsg_free(msg);
		msg = NULL;
	}
	ret = ktnl_transact_pick(nl, msg, KTRACE_ATTR_CHANNEL_ID, &v);
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
	c = ktnl_grow(l->channels, &l->count, sizeof(*c));
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

	ret = ktnl_send(nl, ktnl_session_request(nl, KTRACE_CMD_CHANNEL_GET,
						 1, session, NULL),
			on_channel, &l);
	if (ret) {
		free(l.channels);
		return ret;
	}
	*out = l.channels;
	*count = l.count;
	return 0;
}
