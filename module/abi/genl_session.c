// SPDX-License-Identifier: GPL-2.0
/*
 * The session commands of the generic netlink family "ktrace": create,
 * destroy, get and dump, start, stop, count a snapshot, and the
 * "sessions" notifications. See genl.c for the family's conventions;
 * abi_genl_pre_doit() has checked the caller and looked up the session of
 * every command but SESSION_NEW.
 */
#include <linux/err.h>
#include <linux/minmax.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "genl_internal.h"
#include "uapi/ktrace.h"
#include "core/session.h"
#include "probes/probes.h"

/* Growth cap of a doit reply that does not fit in NLMSG_GOODSIZE. */
#define ABI_GENL_REPLY_MAX	(64 * NLMSG_GOODSIZE)

/* uapi <-> core values. The uapi ones start at 1; policies bound them. */

static const enum ktrace_session_mode session_modes[] = {
	[KTRACE_SESSION_MODE_NORMAL] = KTRACE_SESSION_NORMAL,
	[KTRACE_SESSION_MODE_SNAPSHOT] = KTRACE_SESSION_SNAPSHOT,
};

static u32 uapi_session_mode(enum ktrace_session_mode mode)
{
	return mode == KTRACE_SESSION_SNAPSHOT ? KTRACE_SESSION_MODE_SNAPSHOT :
						 KTRACE_SESSION_MODE_NORMAL;
}

static u32 uapi_session_state(enum ktrace_session_state state)
{
	switch (state) {
	case KTRACE_SESSION_ACTIVE:
		return KTRACE_SESSION_STATE_ACTIVE;
	case KTRACE_SESSION_STOPPED:
		return KTRACE_SESSION_STATE_STOPPED;
	case KTRACE_SESSION_NEVER_STARTED:
		break;
	}
	return KTRACE_SESSION_STATE_NEVER_STARTED;
}

/* ktrace_channel_for_each() callback: runs under the sessions lock. */
static int session_put_channel(void *arg, struct ktrace_channel *c)
{
	return abi_genl_channel_put(arg, c);
}

static int session_fill(struct sk_buff *skb, struct ktrace_session *s,
			u32 portid, u32 seq, int flags, u8 cmd)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &ktrace_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, KTRACE_ATTR_SESSION_ID, ktrace_session_id(s)) ||
	    nla_put_string(skb, KTRACE_ATTR_SESSION_NAME,
			   ktrace_session_name(s)) ||
	    nla_put_u32(skb, KTRACE_ATTR_SESSION_MODE,
			uapi_session_mode(ktrace_session_mode(s))) ||
	    nla_put_u32(skb, KTRACE_ATTR_SESSION_STATE,
			uapi_session_state(ktrace_session_state(s))) ||
	    nla_put_u8(skb, KTRACE_ATTR_SESSION_STARTED_ONCE,
		       ktrace_session_started_once(s)) ||
	    nla_put_u64_64bit(skb, KTRACE_ATTR_SNAPSHOT_COUNT,
			      ktrace_session_snapshot_count(s),
			      KTRACE_ATTR_PAD) ||
	    abi_genl_session_put_streaming(skb, s) ||
	    ktrace_channel_for_each(s, session_put_channel, skb)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* NTF_SESSION_*: the session's id and name, to the "sessions" group. */
static void abi_genl_notify_session(struct ktrace_session *s, u8 cmd)
{
	struct sk_buff *msg;
	void *hdr;

	if (!genl_has_listeners(&ktrace_genl_family, &init_net,
				ABI_GENL_MCGRP_SESSIONS))
		return;
	msg = genlmsg_new(nla_total_size(sizeof(u32)) +
			  nla_total_size(KTRACE_NAME_LEN + 1), GFP_KERNEL);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &ktrace_genl_family, 0, cmd);
	if (!hdr)
		goto out_free;
	if (nla_put_u32(msg, KTRACE_ATTR_SESSION_ID, ktrace_session_id(s)) ||
	    nla_put_string(msg, KTRACE_ATTR_SESSION_NAME,
			   ktrace_session_name(s)))
		goto out_free;
	genlmsg_end(msg, hdr);
	/* -ESRCH when the last listener left meanwhile: nothing to do. */
	genlmsg_multicast(&ktrace_genl_family, msg, 0, ABI_GENL_MCGRP_SESSIONS,
			  GFP_KERNEL);
	return;

out_free:
	nlmsg_free(msg);
}

/**
 * abi_genl_session_new() - KTRACE_CMD_SESSION_NEW: create a session
 * @skb: the request.
 * @info: its attributes; the reply carries the new KTRACE_ATTR_SESSION_ID.
 *
 * Context: genetlink doit, may sleep.
 * Return: 0 or a negative errno, with an extended-ack message.
 */
int abi_genl_session_new(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **tb = info->attrs;
	enum ktrace_session_mode mode = KTRACE_SESSION_NORMAL;
	struct ktrace_session *s;
	struct sk_buff *msg;
	const char *name;
	void *hdr;
	int ret;

	if (abi_genl_require(info, KTRACE_ATTR_SESSION_NAME,
			     "session name required"))
		return -EINVAL;
	name = nla_data(tb[KTRACE_ATTR_SESSION_NAME]);
	if (!ktrace_name_valid(name)) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[KTRACE_ATTR_SESSION_NAME],
				    "session name must be " NAME_RULE);
		return -EINVAL;
	}
	if (tb[KTRACE_ATTR_SESSION_MODE])
		mode = session_modes[nla_get_u32(tb[KTRACE_ATTR_SESSION_MODE])];

	msg = abi_genl_reply_new(info, nla_total_size(sizeof(u32)), &hdr);
	if (!msg)
		return -ENOMEM;
	s = ktrace_session_create(name, mode);
	if (IS_ERR(s)) {
		ret = PTR_ERR(s);
		switch (ret) {
		case -EEXIST:
			NL_SET_ERR_MSG_ATTR(info->extack,
					    tb[KTRACE_ATTR_SESSION_NAME],
					    "a session of that name exists");
			break;
		case -EBUSY:
			NL_SET_ERR_MSG(info->extack, "no session id is free");
			break;
		default:
			NL_SET_ERR_MSG(info->extack, "out of memory");
			break;
		}
		nlmsg_free(msg);
		return ret;
	}
	if (nla_put_u32(msg, KTRACE_ATTR_SESSION_ID, ktrace_session_id(s))) {
		nlmsg_free(msg);
		ret = -EMSGSIZE;
	} else {
		ret = abi_genl_reply_send(msg, hdr, info);
	}
	abi_genl_notify_session(s, KTRACE_CMD_NTF_SESSION_NEW);
	ktrace_session_put(s);
	return ret;
}

/**
 * abi_genl_session_del() - KTRACE_CMD_SESSION_DEL: destroy a session
 * @skb: the request.
 * @info: its attributes; user_ptr[0] is the session.
 *
 * Context: genetlink doit, may sleep.
 * Return: 0 or a negative errno, with an extended-ack message.
 */
int abi_genl_session_del(struct sk_buff *skb, struct genl_info *info)
{
	struct ktrace_session *s = abi_genl_info_session(info);
	int ret;

	ret = ktrace_session_destroy(s);
	if (ret)
		NL_SET_ERR_MSG(info->extack, "session not found");
	else
		abi_genl_notify_session(s, KTRACE_CMD_NTF_SESSION_DEL);
	return ret;
}

/**
 * abi_genl_session_get() - KTRACE_CMD_SESSION_GET: describe one session
 * @skb: the request.
 * @info: its attributes; user_ptr[0] is the session.
 *
 * Context: genetlink doit, may sleep.
 * Return: 0 or a negative errno, with an extended-ack message.
 */
int abi_genl_session_get(struct sk_buff *skb, struct genl_info *info)
{
	struct ktrace_session *s = abi_genl_info_session(info);
	struct sk_buff *msg;
	size_t size;
	int ret;

	/* A session with many channels may need more than one page. */
	for (size = NLMSG_GOODSIZE; ; size *= 2) {
		msg = genlmsg_new(size, GFP_KERNEL);
		if (!msg) {
			ret = -ENOMEM;
			break;
		}
		ret = session_fill(msg, s, info->snd_portid, info->snd_seq, 0,
				   KTRACE_CMD_SESSION_GET);
		if (!ret) {
			ret = genlmsg_reply(msg, info);
			break;
		}
		nlmsg_free(msg);
		if (size >= ABI_GENL_REPLY_MAX)
			break;
	}
	if (ret == -ENOMEM)
		NL_SET_ERR_MSG(info->extack, "out of memory");
	else if (ret == -EMSGSIZE)
		NL_SET_ERR_MSG(info->extack, "the session has too many channels for one message");
	return ret;
}

/**
 * abi_genl_session_dump() - KTRACE_CMD_SESSION_GET dump: every session
 * @skb: the message to fill.
 * @cb: the dump; cb->args[0] is the next session id.
 *
 * Context: genetlink dumpit, may sleep.
 * Return: see abi_genl_dump_end().
 */
int abi_genl_session_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ktrace_session *s;
	int i, n, ret = 0;
	u32 *ids;

	n = ktrace_session_list_ids(NULL, 0);
	if (!n)
		return 0;
	ids = kmalloc_array(n, sizeof(*ids), GFP_KERNEL);
	if (!ids)
		return -ENOMEM;
	n = min(ktrace_session_list_ids(ids, n), n);
	for (i = 0; i < n; i++) {
		if (ids[i] < cb->args[0])
			continue;
		s = ktrace_session_lookup_id(ids[i]);
		if (!s)
			continue;	/* destroyed meanwhile */
		ret = session_fill(skb, s, NETLINK_CB(cb->skb).portid,
				   cb->nlh->nlmsg_seq, NLM_F_MULTI,
				   KTRACE_CMD_SESSION_GET);
		ktrace_session_put(s);
		if (ret)
			break;
		cb->args[0] = (long)ids[i] + 1;
	}
	kfree(ids);
	return abi_genl_dump_end(skb, ret);
}

/**
 * abi_genl_start() - KTRACE_CMD_START: start recording
 * @skb: the request.
 * @info: its attributes; user_ptr[0] is the session.
 *
 * Context: genetlink doit, may sleep.
 * Return: 0 or a negative errno, with an extended-ack message.
 */
int abi_genl_start(struct sk_buff *skb, struct genl_info *info)
{
	struct ktrace_session *s = abi_genl_info_session(info);
	int ret;

	ret = ktrace_session_start(s);
	switch (ret) {
	case 0:
		abi_genl_notify_session(s, KTRACE_CMD_NTF_SESSION_START);
		break;
	case -EALREADY:
		NL_SET_ERR_MSG(info->extack, "session is already active");
		break;
	case -ENOENT:
		NL_SET_ERR_MSG(info->extack, "session not found");
		break;
	case -ENOMEM:
		NL_SET_ERR_MSG(info->extack, "not enough memory for channel0");
		break;
	case -ENOSPC:
		abi_genl_err_buffer_limit(info->extack);
		break;
	default:
		NL_SET_ERR_MSG(info->extack, "cannot create channel0");
		break;
	}
	return ret;
}

/**
 * abi_genl_stop() - KTRACE_CMD_STOP: stop recording
 * @skb: the request.
 * @info: its attributes; user_ptr[0] is the session. The reply carries
 *	the session's KTRACE_ATTR_STOP_SEQ after this stop.
 *
 * Context: genetlink doit, may sleep.
 * Return: 0 or a negative errno, with an extended-ack message.
 */
int abi_genl_stop(struct sk_buff *skb, struct genl_info *info)
{
	struct ktrace_session *s = abi_genl_info_session(info);
	struct sk_buff *msg;
	u64 stop_seq;
	void *hdr;
	int ret;

	msg = abi_genl_reply_new(info, nla_total_size_64bit(sizeof(u64)), &hdr);
	if (!msg)
		return -ENOMEM;
	ret = ktrace_session_stop_counted(s, &stop_seq);
	switch (ret) {
	case 0:
		abi_genl_notify_session(s, KTRACE_CMD_NTF_SESSION_STOP);
		break;
	case -EALREADY:
		NL_SET_ERR_MSG(info->extack, "session is not active");
		break;
	default:
		NL_SET_ERR_MSG(info->extack, "session not found");
		break;
	}
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	if (nla_put_u64_64bit(msg, KTRACE_ATTR_STOP_SEQ, stop_seq,
			      KTRACE_ATTR_PAD)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return abi_genl_reply_send(msg, hdr, info);
}

/**
 * abi_genl_snapshot_bump() - KTRACE_CMD_SNAPSHOT_BUMP: count a snapshot
 * @skb: the request.
 * @info: its attributes; user_ptr[0] is the session. The reply carries
 *	the new KTRACE_ATTR_SNAPSHOT_COUNT.
 *
 * Context: genetlink doit, may sleep.
 * Return: 0 or a negative errno, with an extended-ack message.
 */
int abi_genl_snapshot_bump(struct sk_buff *skb, struct genl_info *info)
{
	struct ktrace_session *s = abi_genl_info_session(info);
	struct sk_buff *msg;
	void *hdr;

	msg = abi_genl_reply_new(info, nla_total_size_64bit(sizeof(u64)), &hdr);
	if (!msg)
		return -ENOMEM;
	ktrace_session_snapshot_bump(s);
	if (nla_put_u64_64bit(msg, KTRACE_ATTR_SNAPSHOT_COUNT,
			      ktrace_session_snapshot_count(s),
			      KTRACE_ATTR_PAD)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return abi_genl_reply_send(msg, hdr, info);
}

/**
 * abi_genl_regenerate_statedump() - KTRACE_CMD_REGENERATE_STATEDUMP: record
 *	a statedump now (lttng regenerate statedump)
 * @skb: the request.
 * @info: its attributes; user_ptr[0] is the session, which must be active.
 *
 * Context: genetlink doit, may sleep.
 * Return: 0 or a negative errno, with an extended-ack message.
 */
int abi_genl_regenerate_statedump(struct sk_buff *skb, struct genl_info *info)
{
	struct ktrace_session *s = abi_genl_info_session(info);

	if (ktrace_session_state(s) != KTRACE_SESSION_ACTIVE) {
		NL_SET_ERR_MSG(info->extack, "session is not active");
		return -EINVAL;
	}
	return ktrace_probes_statedump(NULL);
}
