// SPDX-License-Identifier: GPL-2.0
/*
 * The output commands of the generic netlink family "ktrace": add, delete
 * and dump (snapshot outputs, or a normal session's trace output). See
 * genl.c for the family's conventions; abi_genl_pre_doit() has checked the
 * caller and looked up the session.
 */
#include <linux/err.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "genl_internal.h"
#include "uapi/ktrace.h"
#include "core/session.h"

/**
 * abi_genl_output_add() - KTRACE_CMD_OUTPUT_ADD: add a snapshot output
 * @skb: the request.
 * @info: its attributes; user_ptr[0] is the session.
 *	The reply carries the new KTRACE_ATTR_OUTPUT_ID.
 *
 * Context: genetlink doit, may sleep.
 * Return: 0 or a negative errno, with an extended-ack message.
 */
int abi_genl_output_add(struct sk_buff *skb, struct genl_info *info)
{
	struct ktrace_session *s = abi_genl_info_session(info);
	struct nlattr **tb = info->attrs;
	struct nlattr *dest, *name;
	struct sk_buff *msg;
	u64 max_size = 0;
	void *hdr;
	u32 id;
	int ret;

	if (abi_genl_require(info, KTRACE_ATTR_OUTPUT_DEST,
			     "output destination required"))
		return -EINVAL;
	dest = tb[KTRACE_ATTR_OUTPUT_DEST];
	if (!*(char *)nla_data(dest)) {
		NL_SET_ERR_MSG_ATTR(info->extack, dest,
				    "output destination must not be empty");
		return -EINVAL;
	}
	name = tb[KTRACE_ATTR_OUTPUT_NAME];
	if (name && !ktrace_name_valid(nla_data(name))) {
		NL_SET_ERR_MSG_ATTR(info->extack, name,
				    "output name must be " NAME_RULE);
		return -EINVAL;
	}
	if (tb[KTRACE_ATTR_OUTPUT_MAX_SIZE])
		max_size = nla_get_u64(tb[KTRACE_ATTR_OUTPUT_MAX_SIZE]);
	if (max_size && ktrace_session_mode(s) == KTRACE_SESSION_NORMAL) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[KTRACE_ATTR_OUTPUT_MAX_SIZE],
				    "a trace output has no size limit");
		return -EINVAL;
	}

	msg = abi_genl_reply_new(info, nla_total_size(sizeof(u32)), &hdr);
	if (!msg)
		return -ENOMEM;
	ret = ktrace_session_output_add(s, name ? nla_data(name) : NULL,
					nla_data(dest), max_size, &id);
	switch (ret) {
	case 0:
		break;
	case -EEXIST:
		NL_SET_ERR_MSG_ATTR(info->extack, name,
				    "the session has an output of that name");
		break;
	case -EMLINK:
		NL_SET_ERR_MSG(info->extack,
			       "a normal session has one trace output");
		ret = -EEXIST;
		break;
	case -EOVERFLOW:
		NL_SET_ERR_MSG(info->extack,
			       "the session has used up its output ids");
		break;
	case -ENOENT:
		NL_SET_ERR_MSG(info->extack, "session not found");
		break;
	case -ENOMEM:
		NL_SET_ERR_MSG(info->extack, "out of memory");
		break;
	default:
		NL_SET_ERR_MSG(info->extack, "invalid output");
		break;
	}
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	if (nla_put_u32(msg, KTRACE_ATTR_OUTPUT_ID, id)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return abi_genl_reply_send(msg, hdr, info);
}

/**
 * abi_genl_output_del() - KTRACE_CMD_OUTPUT_DEL: delete a snapshot output
 * @skb: the request.
 * @info: its attributes; user_ptr[0] is the session.
 *
 * Context: genetlink doit, may sleep.
 * Return: 0 or a negative errno, with an extended-ack message.
 */
int abi_genl_output_del(struct sk_buff *skb, struct genl_info *info)
{
	struct ktrace_session *s = abi_genl_info_session(info);
	struct nlattr **tb = info->attrs;
	struct nlattr *id = tb[KTRACE_ATTR_OUTPUT_ID];
	struct nlattr *name = tb[KTRACE_ATTR_OUTPUT_NAME];
	int ret;

	if (id && name) {
		NL_SET_ERR_MSG_ATTR(info->extack, name,
				    "give the output's id or its name, not both");
		return -EINVAL;
	}
	if (!id && !name) {
		NL_SET_ERR_ATTR_MISS(info->extack, NULL, KTRACE_ATTR_OUTPUT_ID);
		NL_SET_ERR_MSG(info->extack, "output id or name required");
		return -EINVAL;
	}
	if (name && !ktrace_name_valid(nla_data(name))) {
		NL_SET_ERR_MSG_ATTR(info->extack, name,
				    "output name must be " NAME_RULE);
		return -EINVAL;
	}
	if (id)
		ret = ktrace_session_output_del_id(s, nla_get_u32(id));
	else
		ret = ktrace_session_output_del_name(s, nla_data(name));
	if (ret == -EBUSY)
		NL_SET_ERR_MSG(info->extack,
			       "the session's consumer writes to this output");
	else if (ret)
		NL_SET_ERR_MSG_ATTR(info->extack, id ?: name,
				    "output not found");
	return ret;
}

/* ktrace_session_output_for_each() callback: under the sessions lock. */
static int abi_genl_output_dump_one(void *arg,
				    const struct ktrace_snapshot_output *o)
{
	struct abi_genl_dump *d = arg;
	struct netlink_callback *cb = d->cb;
	struct sk_buff *skb = d->skb;
	struct nlattr *nest;
	void *hdr;

	if (o->id < cb->args[DUMP_CURSOR])
		return 0;
	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &ktrace_genl_family, NLM_F_MULTI,
			  KTRACE_CMD_OUTPUT_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, KTRACE_ATTR_SESSION_ID, cb->args[DUMP_SESSION]))
		goto out_cancel;
	nest = nla_nest_start(skb, KTRACE_ATTR_OUTPUT);
	if (!nest)
		goto out_cancel;
	if (nla_put_u32(skb, KTRACE_ATTR_OUTPUT_ID, o->id) ||
	    nla_put_string(skb, KTRACE_ATTR_OUTPUT_NAME, o->name) ||
	    nla_put_string(skb, KTRACE_ATTR_OUTPUT_DEST, o->dest) ||
	    nla_put_u64_64bit(skb, KTRACE_ATTR_OUTPUT_MAX_SIZE, o->max_size,
			      KTRACE_ATTR_PAD))
		goto out_cancel;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	cb->args[DUMP_CURSOR] = (long)o->id + 1;
	return 0;

out_cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/**
 * abi_genl_output_dump() - KTRACE_CMD_OUTPUT_GET dump: a session's outputs
 * @skb: the message to fill.
 * @cb: the dump; cb->args holds the session id
 *	and the next output id (abi_genl_dump_arg).
 *
 * Context: genetlink dumpit, may sleep.
 * Return: see abi_genl_dump_end().
 */
int abi_genl_output_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct abi_genl_dump d = { .skb = skb, .cb = cb };
	struct ktrace_session *s;
	int ret;

	s = ktrace_session_lookup_id(cb->args[DUMP_SESSION]);
	if (!s)
		return 0;
	ret = ktrace_session_output_for_each(s, abi_genl_output_dump_one, &d);
	ktrace_session_put(s);
	return abi_genl_dump_end(skb, ret);
}
