// SPDX-License-Identifier: GPL-2.0
/*
 * ktracectl's netlink client (nl.h): the snapshot outputs of a session.
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

	msg = ktnl_session_request(nl, KTRACE_CMD_OUTPUT_ADD, 0, session, NULL);
	if (msg &&
	    ((name && nla_put_string(msg, KTRACE_ATTR_OUTPUT_NAME, name)) ||
	     nla_put_string(msg, KTRACE_ATTR_OUTPUT_DEST, dest) ||
	     (max_size &&
	      nla_put_u64(msg, KTRACE_ATTR_OUTPUT_MAX_SIZE, max_size)))) {
		nlmsg_free(msg);
		msg = NULL;
	}
	ret = ktnl_transact_pick(nl, msg, KTRACE_ATTR_OUTPUT_ID, &v);
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

	msg = ktnl_session_request(nl, KTRACE_CMD_OUTPUT_DEL, 0, session, NULL);
	if (msg && nla_put_string(msg, KTRACE_ATTR_OUTPUT_NAME, name)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return ktnl_send(nl, msg, NULL, NULL);
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
	o = ktnl_grow(l->outputs, &l->count, sizeof(*o));
	if (!o)
		return -ENOMEM;
	l->outputs = o;
	o += l->count - 1;
	o->id = ktnl_attr_u32(in, KTRACE_ATTR_OUTPUT_ID);
	ktnl_attr_string(o->name, sizeof(o->name),
			 in[KTRACE_ATTR_OUTPUT_NAME]);
	ktnl_attr_string(o->dest, sizeof(o->dest),
			 in[KTRACE_ATTR_OUTPUT_DEST]);
	o->max_size = ktnl_attr_u64(in, KTRACE_ATTR_OUTPUT_MAX_SIZE);
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

	ret = ktnl_send(nl, ktnl_session_request(nl, KTRACE_CMD_OUTPUT_GET, 1,
						 session, NULL),
			on_output, &l);
	if (ret) {
		free(l.outputs);
		return ret;
	}
	*out = l.outputs;
	*count = l.count;
	return 0;
}
