// SPDX-License-Identifier: GPL-2.0
/*
 * ktracectl's netlink client (nl.h): the events of a channel, its
 * contexts, and the tracepoints the module knows.
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

static int event_change(struct ktnl *nl, uint8_t cmd, const char *session,
			const char *channel, const char *pattern,
			uint32_t *count)
{
	struct nl_msg *msg;
	uint64_t v;
	int ret;

	msg = ktnl_session_request(nl, cmd, 0, session, channel);
	if (msg && nla_put_string(msg, KTRACE_ATTR_EVENT_NAME, pattern)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	ret = ktnl_transact_pick(nl, msg, KTRACE_ATTR_EVENT_COUNT, &v);
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
	e = ktnl_grow(l->events, &l->count, sizeof(*e));
	if (!e)
		return -ENOMEM;
	l->events = e;
	e += l->count - 1;
	e->id = ktnl_attr_u32(in, KTRACE_ATTR_EVENT_ID);
	ktnl_attr_string(e->name, sizeof(e->name),
			 in[KTRACE_ATTR_EVENT_NAME]);
	e->enabled = ktnl_attr_flag(in, KTRACE_ATTR_EVENT_ENABLED);
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

	ret = ktnl_send(nl, ktnl_session_request(nl, KTRACE_CMD_EVENT_GET, 1,
						 session, channel),
			on_event, &l);
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

	msg = ktnl_session_request(nl, KTRACE_CMD_CONTEXT_ADD, 0, session,
				   channel);
	if (msg && nla_put_u32(msg, KTRACE_ATTR_CONTEXT_TYPE, type)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return ktnl_send(nl, msg, NULL, NULL);
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
	tp = ktnl_grow(l->tps, &l->count, sizeof(*tp));
	if (!tp)
		return -ENOMEM;
	l->tps = tp;
	tp += l->count - 1;
	ktnl_attr_string(tp->name, sizeof(tp->name),
			 in[KTRACE_ATTR_EVENT_NAME]);
	tp->available = ktnl_attr_flag(in, KTRACE_ATTR_EVENT_AVAILABLE);
	nla_for_each_nested(nla, tb[KTRACE_ATTR_EVENT], rem) {
		if (nla_type(nla) != KTRACE_ATTR_FIELD ||
		    nla_parse_nested(fl, KTRACE_ATTR_MAX, nla, NULL))
			continue;
		f = ktnl_grow(tp->fields, &tp->nr_fields, sizeof(*f));
		if (!f)
			return -ENOMEM;
		tp->fields = f;
		f += tp->nr_fields - 1;
		ktnl_attr_string(f->name, sizeof(f->name),
				 fl[KTRACE_ATTR_FIELD_NAME]);
		f->type = ktnl_attr_u32(fl, KTRACE_ATTR_FIELD_TYPE);
		f->size = ktnl_attr_u32(fl, KTRACE_ATTR_FIELD_SIZE);
		f->is_signed = ktnl_attr_flag(fl, KTRACE_ATTR_FIELD_SIGNED);
		f->length = ktnl_attr_u32(fl, KTRACE_ATTR_FIELD_LENGTH);
	}
	return 0;
}

/* KTRACE_CMD_TRACEPOINT_LIST or KTRACE_CMD_SYSCALL_LIST. */
static int ktnl_event_dump(struct ktnl *nl, uint8_t cmd,
			   struct ktnl_tracepoint **out, size_t *count)
{
	struct tracepoint_list l = {};
	int ret;

	ret = ktnl_send(nl, ktnl_request(nl, cmd, 1), on_tracepoint, &l);
	if (ret) {
		ktnl_tracepoint_free(l.tps, l.count);
		return ret;
	}
	*out = l.tps;
	*count = l.count;
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
	return ktnl_event_dump(nl, KTRACE_CMD_TRACEPOINT_LIST, out, count);
}

/**
 * ktnl_syscall_list() - the per-syscall events, as ktnl_tracepoint_list()
 * @nl: the connection.
 * @out: receives a malloc()ed array; free with ktnl_tracepoint_free().
 * @count: receives its length.
 *
 * Return: 0 or a negative errno.
 */
int ktnl_syscall_list(struct ktnl *nl, struct ktnl_tracepoint **out,
		      size_t *count)
{
	return ktnl_event_dump(nl, KTRACE_CMD_SYSCALL_LIST, out, count);
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

/**
 * ktnl_regenerate_statedump() - record a statedump in an active session
 * @nl: the connection.
 * @session: the session's name.
 *
 * The kernel records it before it answers: once this returns, its events
 * are in the session's buffers.
 *
 * Return: 0 or a negative errno (-EINVAL: the session is not active).
 */
int ktnl_regenerate_statedump(struct ktnl *nl, const char *session)
{
	return ktnl_send(nl, ktnl_session_request(nl,
						  KTRACE_CMD_REGENERATE_STATEDUMP,
						  0, session, NULL),
			 NULL, NULL);
}
