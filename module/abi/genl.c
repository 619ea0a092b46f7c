// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "ktrace": sessions, channels, events,
 * contexts and snapshot outputs (the control half of the ABI; data goes
 * through /dev/ktrace). Each command is one call into module/core. This
 * file holds the family, its policies, the prologue every command shares
 * (pre_doit/post_doit) and the helpers; the commands live with their
 * object in genl_session.c, genl_channel.c (with events, contexts and
 * tracepoints) and genl_output.c.
 *
 * Validation is strict and happens before the core is called. Every
 * command has its own policy, sized to the whole attribute space, so an
 * attribute a command does not take is refused like an unknown one;
 * ranges and string lengths live in the policies, and what a policy cannot
 * express (the alphabet of names, powers of two) is checked by the
 * command. Every refusal carries an extended-ack message and, when one is
 * to blame, the offending or missing attribute.
 *
 * The prologue: abi_genl_pre_doit() checks the permission of every
 * command, then looks up what the command's internal_flags ask for (the
 * session, and the channel) and hands it over in info->user_ptr[], as
 * nl80211 and devlink do; abi_genl_post_doit() drops the session's
 * reference. Dumps check the permission in their start callback.
 *
 * Permission: CAP_PERFMON or CAP_SYS_ADMIN, for every command and every
 * dump, held both by the sender and by the opener of its socket (what
 * netlink_capable() checks for GENL_ADMIN_PERM, which would demand
 * CAP_NET_ADMIN instead). The "sessions" multicast group needs
 * CAP_SYS_ADMIN: that is what the genetlink core can check on bind.
 *
 * Replies: a command that creates an object replies with its id; GET
 * commands and dumps send one message per object. A session's own
 * attributes are at the top level of its message, with one
 * KTRACE_ATTR_CHANNEL nest per channel; a channel, event or output is a
 * nest (KTRACE_ATTR_CHANNEL, _EVENT, _OUTPUT) next to the ids of its
 * session and channel. Dumps resume from a cursor in cb->args: the next
 * session, channel, event or output id, or tracepoint index.
 *
 * The policies, the ops and the uapi enums are written by hand, not
 * generated from a YNL spec: docs/ABI.md says why.
 *
 * The family is registered after the core is ready and unregistered
 * before sessions are destroyed on unload; unregistering waits for
 * running commands, and a running dump holds a module reference.
 */
#include <linux/capability.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/net.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "abi.h"
#include "abi_internal.h"
#include "genl_internal.h"
#include "uapi/ktrace.h"
#include "core/session.h"
#include "probes/probes.h"
#include "ringbuffer/ringbuffer.h"

static_assert(KTRACE_NAME_LEN == KTRACE_NAME_MAX);
static_assert(KTRACE_DEST_LEN + 1 == KTRACE_OUTPUT_DEST_MAX);

/* Policies: one per command, each sized to the whole attribute space. */

#define POLICY_NAME	{ .type = NLA_NUL_STRING, .len = KTRACE_NAME_LEN }
#define POLICY_OBJ_ID	NLA_POLICY_MIN(NLA_U32, 1)

/* Not const: 6.1's struct nla_policy points to a mutable range. */
static struct netlink_range_validation subbuf_size_range __ro_after_init = {
	.min = PAGE_SIZE,
	.max = U64_MAX,
};

static struct netlink_range_validation test_count_range __ro_after_init = {
	.min = 1,
	.max = KTRACE_TEST_FIRE_MAX,
};

static struct netlink_range_validation read_timer_range __ro_after_init = {
	.min = 0,
	.max = KTRACE_READ_TIMER_MAX,
};

static struct netlink_range_validation tracefile_count_range __ro_after_init = {
	.min = 0,
	.max = KTRACE_TRACEFILE_COUNT_MAX,
};

/* TRACEPOINT_LIST takes no attribute. */
static const struct nla_policy no_attr_policy[KTRACE_ATTR_MAX + 1] = {};

static const struct nla_policy session_new_policy[KTRACE_ATTR_MAX + 1] = {
	[KTRACE_ATTR_SESSION_NAME] = POLICY_NAME,
	[KTRACE_ATTR_SESSION_MODE] =
		NLA_POLICY_RANGE(NLA_U32, KTRACE_SESSION_MODE_NORMAL,
				 KTRACE_SESSION_MODE_SNAPSHOT),
};

/* Commands on one session, by id or by name. */
static const struct nla_policy session_policy[KTRACE_ATTR_MAX + 1] = {
	[KTRACE_ATTR_SESSION_ID] = POLICY_OBJ_ID,
	[KTRACE_ATTR_SESSION_NAME] = POLICY_NAME,
};

static const struct nla_policy channel_new_policy[KTRACE_ATTR_MAX + 1] = {
	[KTRACE_ATTR_SESSION_ID] = POLICY_OBJ_ID,
	[KTRACE_ATTR_SESSION_NAME] = POLICY_NAME,
	[KTRACE_ATTR_CHANNEL_NAME] = POLICY_NAME,
	[KTRACE_ATTR_CHANNEL_MODE] =
		NLA_POLICY_RANGE(NLA_U32, KTRACE_CHANNEL_DISCARD,
				 KTRACE_CHANNEL_OVERWRITE),
	[KTRACE_ATTR_CHANNEL_SUBBUF_SIZE] =
		NLA_POLICY_FULL_RANGE(NLA_U64, &subbuf_size_range),
	[KTRACE_ATTR_CHANNEL_NUM_SUBBUF] = NLA_POLICY_MIN(NLA_U32, 2),
	[KTRACE_ATTR_CHANNEL_SWITCH_TIMER] = { .type = NLA_U32 },
	[KTRACE_ATTR_CHANNEL_OUTPUT] =
		NLA_POLICY_RANGE(NLA_U32, KTRACE_CHANNEL_SPLICE,
				 KTRACE_CHANNEL_MMAP),
	[KTRACE_ATTR_CHANNEL_READ_TIMER] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &read_timer_range),
	[KTRACE_ATTR_CHANNEL_TRACEFILE_SIZE] = { .type = NLA_U64 },
	[KTRACE_ATTR_CHANNEL_TRACEFILE_COUNT] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &tracefile_count_range),
	[KTRACE_ATTR_CHANNEL_ENABLED] = NLA_POLICY_MAX(NLA_U8, 1),
};

/* Commands on one channel of a session. */
static const struct nla_policy channel_policy[KTRACE_ATTR_MAX + 1] = {
	[KTRACE_ATTR_SESSION_ID] = POLICY_OBJ_ID,
	[KTRACE_ATTR_SESSION_NAME] = POLICY_NAME,
	[KTRACE_ATTR_CHANNEL_ID] = { .type = NLA_U32 },
	[KTRACE_ATTR_CHANNEL_NAME] = POLICY_NAME,
};

static const struct nla_policy event_policy[KTRACE_ATTR_MAX + 1] = {
	[KTRACE_ATTR_SESSION_ID] = POLICY_OBJ_ID,
	[KTRACE_ATTR_SESSION_NAME] = POLICY_NAME,
	[KTRACE_ATTR_CHANNEL_ID] = { .type = NLA_U32 },
	[KTRACE_ATTR_CHANNEL_NAME] = POLICY_NAME,
	[KTRACE_ATTR_EVENT_NAME] = POLICY_NAME,
};

static const struct nla_policy context_policy[KTRACE_ATTR_MAX + 1] = {
	[KTRACE_ATTR_SESSION_ID] = POLICY_OBJ_ID,
	[KTRACE_ATTR_SESSION_NAME] = POLICY_NAME,
	[KTRACE_ATTR_CHANNEL_ID] = { .type = NLA_U32 },
	[KTRACE_ATTR_CHANNEL_NAME] = POLICY_NAME,
	[KTRACE_ATTR_CONTEXT_TYPE] =
		NLA_POLICY_RANGE(NLA_U32, KTRACE_CONTEXT_TYPE_PID,
				 KTRACE_CONTEXT_TYPE_HOSTNAME),
};

static const struct nla_policy output_add_policy[KTRACE_ATTR_MAX + 1] = {
	[KTRACE_ATTR_SESSION_ID] = POLICY_OBJ_ID,
	[KTRACE_ATTR_SESSION_NAME] = POLICY_NAME,
	[KTRACE_ATTR_OUTPUT_NAME] = POLICY_NAME,
	[KTRACE_ATTR_OUTPUT_DEST] = { .type = NLA_NUL_STRING,
				      .len = KTRACE_DEST_LEN },
	[KTRACE_ATTR_OUTPUT_MAX_SIZE] = { .type = NLA_U64 },
};

static const struct nla_policy output_del_policy[KTRACE_ATTR_MAX + 1] = {
	[KTRACE_ATTR_SESSION_ID] = POLICY_OBJ_ID,
	[KTRACE_ATTR_SESSION_NAME] = POLICY_NAME,
	[KTRACE_ATTR_OUTPUT_ID] = POLICY_OBJ_ID,
	[KTRACE_ATTR_OUTPUT_NAME] = POLICY_NAME,
};

static const struct nla_policy test_fire_policy[KTRACE_ATTR_MAX + 1] = {
	[KTRACE_ATTR_TEST_SEQ] = { .type = NLA_U64 },
	[KTRACE_ATTR_TEST_COUNT] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &test_count_range),
	[KTRACE_ATTR_TEST_PAYLOAD] = { .type = NLA_U64 },
};

/* Permission */

static bool abi_genl_capable(const struct sk_buff *skb)
{
	const struct sock *sk = NETLINK_CB(skb).sk;
	const struct file *file = NULL;

	if (!perfmon_capable())
		return false;
	if (sk && sk->sk_socket)
		file = sk->sk_socket->file;
	/* A kernel socket has no opener to check. */
	if (!file)
		return true;
	return file_ns_capable(file, &init_user_ns, CAP_PERFMON) ||
	       file_ns_capable(file, &init_user_ns, CAP_SYS_ADMIN);
}

static int abi_genl_check_perm(const struct sk_buff *skb,
			       struct netlink_ext_ack *extack)
{
	if (abi_genl_capable(skb))
		return 0;
	NL_SET_ERR_MSG(extack, "ktrace needs CAP_PERFMON or CAP_SYS_ADMIN");
	return -EPERM;
}

static int abi_genl_start_perm(struct netlink_callback *cb)
{
	return abi_genl_check_perm(cb->skb, cb->extack);
}

/* Objects named by a request */

/**
 * abi_genl_session() - the session a request names
 * @tb: the request's attributes: KTRACE_ATTR_SESSION_ID or _NAME.
 * @extack: receives why the lookup failed.
 *
 * Context: process context, may sleep; takes sessions_lock.
 * Return: the session with a reference for the caller to put;
 * ERR_PTR(-EINVAL) when both or neither attribute is given, or the name is
 * invalid; ERR_PTR(-ENOENT) when no listed session matches.
 */
struct ktrace_session *abi_genl_session(struct nlattr **tb,
					struct netlink_ext_ack *extack)
{
	struct nlattr *id = tb[KTRACE_ATTR_SESSION_ID];
	struct nlattr *name = tb[KTRACE_ATTR_SESSION_NAME];
	struct ktrace_session *s;

	if (id && name) {
		NL_SET_ERR_MSG_ATTR(extack, name,
				    "give the session's id or its name, not both");
		return ERR_PTR(-EINVAL);
	}
	if (id) {
		s = ktrace_session_lookup_id(nla_get_u32(id));
		if (!s) {
			NL_SET_ERR_MSG_ATTR(extack, id, "session not found");
			return ERR_PTR(-ENOENT);
		}
		return s;
	}
	if (!name) {
		NL_SET_ERR_ATTR_MISS(extack, NULL, KTRACE_ATTR_SESSION_ID);
		NL_SET_ERR_MSG(extack, "session id or name required");
		return ERR_PTR(-EINVAL);
	}
	if (!ktrace_name_valid(nla_data(name))) {
		NL_SET_ERR_MSG_ATTR(extack, name,
				    "session name must be " NAME_RULE);
		return ERR_PTR(-EINVAL);
	}
	s = ktrace_session_lookup_name(nla_data(name));
	if (!s) {
		NL_SET_ERR_MSG_ATTR(extack, name, "session not found");
		return ERR_PTR(-ENOENT);
	}
	return s;
}

/**
 * abi_genl_channel() - the channel a request names
 * @s: the request's session, held.
 * @tb: the request's attributes: KTRACE_ATTR_CHANNEL_ID or _NAME.
 * @def: what to do when neither is given.
 * @extack: receives why the lookup failed.
 *
 * Context: process context, may sleep; takes sessions_lock.
 * Return: the channel, valid while @s is held; ERR_PTR(-EINVAL) when both
 * attributes are given, the name is invalid, or neither is given for
 * CHANNEL_REQUIRED; ERR_PTR(-ENOENT) when no channel matches; an errno of
 * ktrace_session_default_channel() for CHANNEL_DEFAULT_CREATE.
 */
struct ktrace_channel *abi_genl_channel(struct ktrace_session *s,
					struct nlattr **tb,
					enum abi_genl_default_channel def,
					struct netlink_ext_ack *extack)
{
	struct nlattr *id = tb[KTRACE_ATTR_CHANNEL_ID];
	struct nlattr *name = tb[KTRACE_ATTR_CHANNEL_NAME];
	struct ktrace_channel *c;

	if (id && name) {
		NL_SET_ERR_MSG_ATTR(extack, name,
				    "give the channel's id or its name, not both");
		return ERR_PTR(-EINVAL);
	}
	if (id) {
		c = ktrace_channel_lookup_id(s, nla_get_u32(id));
		if (!c) {
			NL_SET_ERR_MSG_ATTR(extack, id, "channel not found");
			return ERR_PTR(-ENOENT);
		}
		return c;
	}
	if (name) {
		if (!ktrace_name_valid(nla_data(name))) {
			NL_SET_ERR_MSG_ATTR(extack, name,
					    "channel name must be " NAME_RULE);
			return ERR_PTR(-EINVAL);
		}
		c = ktrace_channel_lookup(s, nla_data(name));
		if (!c) {
			NL_SET_ERR_MSG_ATTR(extack, name, "channel not found");
			return ERR_PTR(-ENOENT);
		}
		return c;
	}

	switch (def) {
	case CHANNEL_REQUIRED:
		NL_SET_ERR_ATTR_MISS(extack, NULL, KTRACE_ATTR_CHANNEL_ID);
		NL_SET_ERR_MSG(extack, "channel id or name required");
		return ERR_PTR(-EINVAL);
	case CHANNEL_DEFAULT_EXISTING:
		c = ktrace_channel_lookup(s, KTRACE_CHANNEL_DEFAULT_NAME);
		if (!c) {
			NL_SET_ERR_MSG(extack,
				       "no channel given and the session has no channel0");
			return ERR_PTR(-ENOENT);
		}
		return c;
	case CHANNEL_DEFAULT_CREATE:
		break;
	}

	c = ktrace_session_default_channel(s);
	if (!IS_ERR(c))
		return c;
	switch (PTR_ERR(c)) {
	case -EBUSY:
		NL_SET_ERR_MSG(extack,
			       "cannot create channel0 in an active session");
		break;
	case -ENOENT:
		NL_SET_ERR_MSG(extack, "session not found");
		break;
	case -ENOMEM:
		NL_SET_ERR_MSG(extack, "not enough memory for channel0");
		break;
	case -ENOSPC:
		abi_genl_err_buffer_limit(extack);
		break;
	default:
		NL_SET_ERR_MSG(extack, "cannot create channel0");
		break;
	}
	return c;
}

/**
 * abi_genl_err_buffer_limit() - say that buffers would pass max_buffer_mib
 * @extack: receives the message.
 *
 * The message names the limit and what the buffers take already; 6.1 has
 * no formatted extended-ack messages, so there it names the parameter.
 *
 * Context: any.
 */
void abi_genl_err_buffer_limit(struct netlink_ext_ack *extack)
{
#ifdef NL_SET_ERR_MSG_FMT
	NL_SET_ERR_MSG_FMT(extack,
			   "buffers would pass max_buffer_mib=%u (%lu MiB in use)",
			   ktrace_buffer_limit_mib(), ktrace_rb_mem_bytes() >> 20);
#else
	NL_SET_ERR_MSG(extack,
		       "buffers would pass max_buffer_mib (/sys/module/ktrace/parameters)");
#endif
}

/* Replies */

/**
 * abi_genl_reply_new() - a reply to a request, allocated before it acts
 * @info: the request.
 * @size: room for the reply's attributes.
 * @hdr: receives the reply's genetlink header, for abi_genl_reply_send().
 *
 * Allocating first means that a command which acted never fails for want
 * of memory for its reply.
 *
 * Context: process context, may sleep.
 * Return: the message, or NULL (with an extended-ack message) when memory
 * runs out.
 */
struct sk_buff *abi_genl_reply_new(struct genl_info *info, size_t size,
				   void **hdr)
{
	struct sk_buff *msg = genlmsg_new(size, GFP_KERNEL);

	if (!msg)
		goto out_nomem;
	*hdr = genlmsg_put_reply(msg, info, &ktrace_genl_family, 0,
				 info->genlhdr->cmd);
	if (!*hdr) {
		nlmsg_free(msg);
		goto out_nomem;
	}
	return msg;

out_nomem:
	NL_SET_ERR_MSG(info->extack, "out of memory");
	return NULL;
}

/**
 * abi_genl_reply_send() - finish and send a reply of abi_genl_reply_new()
 * @msg: the reply; consumed.
 * @hdr: its header.
 * @info: the request.
 *
 * Context: process context, may sleep.
 * Return: 0 or the errno of genlmsg_reply().
 */
int abi_genl_reply_send(struct sk_buff *msg, void *hdr, struct genl_info *info)
{
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/**
 * abi_genl_dump_end() - what a dumpit returns after filling @skb
 * @skb: the dump's message.
 * @ret: 0, or the errno that stopped the filling (-EMSGSIZE when full).
 *
 * An object that does not fit in an empty message cannot be sent: that
 * ends the dump with the error; otherwise the next call resumes.
 *
 * Context: any.
 * Return: the length of @skb, or @ret when it is empty.
 */
int abi_genl_dump_end(struct sk_buff *skb, int ret)
{
	if (ret && !skb->len)
		return ret;
	return skb->len;
}

/* Dumps scoped to a session (and a channel) */

/*
 * The start of a dump scoped to a session (and a channel): checks the
 * caller, parses the request with the command's policy (the core has
 * validated it already) and keeps the ids in cb->args.
 */
static int abi_genl_dump_start_scoped(struct netlink_callback *cb,
				      const struct nla_policy *policy,
				      bool channel)
{
	struct nlattr *tb[KTRACE_ATTR_MAX + 1];
	struct ktrace_session *s;
	struct ktrace_channel *c;
	int ret;

	ret = abi_genl_check_perm(cb->skb, cb->extack);
	if (ret)
		return ret;
	ret = genlmsg_parse(cb->nlh, &ktrace_genl_family, tb, KTRACE_ATTR_MAX,
			    policy, cb->extack);
	if (ret)
		return ret;
	s = abi_genl_session(tb, cb->extack);
	if (IS_ERR(s))
		return PTR_ERR(s);
	cb->args[DUMP_SESSION] = ktrace_session_id(s);
	if (channel) {
		c = abi_genl_channel(s, tb, CHANNEL_DEFAULT_EXISTING, cb->extack);
		if (IS_ERR(c))
			ret = PTR_ERR(c);
		else
			cb->args[DUMP_CHANNEL] = ktrace_channel_id(c);
	}
	ktrace_session_put(s);
	return ret;
}

static int abi_genl_channel_dump_start(struct netlink_callback *cb)
{
	return abi_genl_dump_start_scoped(cb, channel_policy, false);
}

static int abi_genl_event_dump_start(struct netlink_callback *cb)
{
	return abi_genl_dump_start_scoped(cb, channel_policy, true);
}

static int abi_genl_output_dump_start(struct netlink_callback *cb)
{
	return abi_genl_dump_start_scoped(cb, session_policy, false);
}

/* The prologue of every doit */

/*
 * The one difference between the kernels: since 6.2 pre_doit and
 * post_doit get the doit half of a split op (struct genl_split_ops);
 * 6.1 passes the whole struct genl_ops. Both carry internal_flags, the
 * only field read here.
 */
#ifdef KTRACE_HAVE_GENL_SPLIT_OPS
#define abi_genl_doit_ops	genl_split_ops
#else
#define abi_genl_doit_ops	genl_ops
#endif

static int abi_genl_pre_doit(const struct abi_genl_doit_ops *ops,
			     struct sk_buff *skb, struct genl_info *info)
{
	struct ktrace_session *s;
	struct ktrace_channel *c;
	int ret;

	ret = abi_genl_check_perm(skb, info->extack);
	if (ret)
		return ret;
	if (!(ops->internal_flags & ABI_GENL_NEED_SESSION))
		return 0;
	s = abi_genl_session(info->attrs, info->extack);
	if (IS_ERR(s))
		return PTR_ERR(s);
	if (ops->internal_flags & ABI_GENL_NEED_CHANNEL) {
		c = abi_genl_channel(s, info->attrs, CHANNEL_REQUIRED,
				     info->extack);
		if (IS_ERR(c)) {
			ktrace_session_put(s);
			return PTR_ERR(c);
		}
		info->user_ptr[1] = c;
	}
	info->user_ptr[0] = s;
	return 0;
}

static void abi_genl_post_doit(const struct abi_genl_doit_ops *ops,
			       struct sk_buff *skb, struct genl_info *info)
{
	if (ops->internal_flags & ABI_GENL_NEED_SESSION)
		ktrace_session_put(abi_genl_info_session(info));
}

static const struct genl_ops ktrace_genl_ops[] = {
	{
		.cmd = KTRACE_CMD_SESSION_NEW,
		.doit = abi_genl_session_new,
		.policy = session_new_policy,
		.maxattr = KTRACE_ATTR_MAX,
	},
	{
		.cmd = KTRACE_CMD_SESSION_DEL,
		.doit = abi_genl_session_del,
		.policy = session_policy,
		.maxattr = KTRACE_ATTR_MAX,
		.internal_flags = ABI_GENL_NEED_SESSION,
	},
	{
		.cmd = KTRACE_CMD_SESSION_GET,
		.doit = abi_genl_session_get,
		.start = abi_genl_start_perm,
		.dumpit = abi_genl_session_dump,
		.policy = session_policy,
		.maxattr = KTRACE_ATTR_MAX,
		.internal_flags = ABI_GENL_NEED_SESSION,
	},
	{
		.cmd = KTRACE_CMD_CHANNEL_NEW,
		.doit = abi_genl_channel_new,
		.policy = channel_new_policy,
		.maxattr = KTRACE_ATTR_MAX,
		.internal_flags = ABI_GENL_NEED_SESSION,
	},
	{
		.cmd = KTRACE_CMD_CHANNEL_GET,
		.doit = abi_genl_channel_get,
		.start = abi_genl_channel_dump_start,
		.dumpit = abi_genl_channel_dump,
		.policy = channel_policy,
		.maxattr = KTRACE_ATTR_MAX,
		.internal_flags = ABI_GENL_NEED_SESSION | ABI_GENL_NEED_CHANNEL,
	},
	{
		.cmd = KTRACE_CMD_EVENT_ENABLE,
		.doit = abi_genl_event_enable,
		.policy = event_policy,
		.maxattr = KTRACE_ATTR_MAX,
		.internal_flags = ABI_GENL_NEED_SESSION,
	},
	{
		.cmd = KTRACE_CMD_EVENT_DISABLE,
		.doit = abi_genl_event_disable,
		.policy = event_policy,
		.maxattr = KTRACE_ATTR_MAX,
		.internal_flags = ABI_GENL_NEED_SESSION,
	},
	{
		.cmd = KTRACE_CMD_EVENT_GET,
		.start = abi_genl_event_dump_start,
		.dumpit = abi_genl_event_dump,
		.policy = channel_policy,
		.maxattr = KTRACE_ATTR_MAX,
	},
	{
		.cmd = KTRACE_CMD_CONTEXT_ADD,
		.doit = abi_genl_context_add,
		.policy = context_policy,
		.maxattr = KTRACE_ATTR_MAX,
		.internal_flags = ABI_GENL_NEED_SESSION,
	},
	{
		.cmd = KTRACE_CMD_START,
		.doit = abi_genl_start,
		.policy = session_policy,
		.maxattr = KTRACE_ATTR_MAX,
		.internal_flags = ABI_GENL_NEED_SESSION,
	},
	{
		.cmd = KTRACE_CMD_STOP,
		.doit = abi_genl_stop,
		.policy = session_policy,
		.maxattr = KTRACE_ATTR_MAX,
		.internal_flags = ABI_GENL_NEED_SESSION,
	},
	{
		.cmd = KTRACE_CMD_TRACEPOINT_LIST,
		.start = abi_genl_start_perm,
		.dumpit = abi_genl_tracepoint_dump,
		.policy = no_attr_policy,
		.maxattr = KTRACE_ATTR_MAX,
	},
	{
		.cmd = KTRACE_CMD_OUTPUT_ADD,
		.doit = abi_genl_output_add,
		.policy = output_add_policy,
		.maxattr = KTRACE_ATTR_MAX,
		.internal_flags = ABI_GENL_NEED_SESSION,
	},
	{
		.cmd = KTRACE_CMD_OUTPUT_DEL,
		.doit = abi_genl_output_del,
		.policy = output_del_policy,
		.maxattr = KTRACE_ATTR_MAX,
		.internal_flags = ABI_GENL_NEED_SESSION,
	},
	{
		.cmd = KTRACE_CMD_OUTPUT_GET,
		.start = abi_genl_output_dump_start,
		.dumpit = abi_genl_output_dump,
		.policy = session_policy,
		.maxattr = KTRACE_ATTR_MAX,
	},
	{
		.cmd = KTRACE_CMD_SNAPSHOT_BUMP,
		.doit = abi_genl_snapshot_bump,
		.policy = session_policy,
		.maxattr = KTRACE_ATTR_MAX,
		.internal_flags = ABI_GENL_NEED_SESSION,
	},
	{
		.cmd = KTRACE_CMD_TEST_FIRE,
		.doit = abi_genl_test_fire,
		.policy = test_fire_policy,
		.maxattr = KTRACE_ATTR_MAX,
	},
	{
		.cmd = KTRACE_CMD_SYSCALL_LIST,
		.start = abi_genl_start_perm,
		.dumpit = abi_genl_syscall_dump,
		.policy = no_attr_policy,
		.maxattr = KTRACE_ATTR_MAX,
	},
	{
		.cmd = KTRACE_CMD_REGENERATE_STATEDUMP,
		.doit = abi_genl_regenerate_statedump,
		.policy = session_policy,
		.maxattr = KTRACE_ATTR_MAX,
		.internal_flags = ABI_GENL_NEED_SESSION,
	},
	/* Streaming (ABI 3), genl_stream.c. */
	{
		.cmd = KTRACE_CMD_SESSION_CLEAR,
		.doit = abi_genl_session_clear,
		.policy = session_policy,
		.maxattr = KTRACE_ATTR_MAX,
		.internal_flags = ABI_GENL_NEED_SESSION,
	},
	{
		.cmd = KTRACE_CMD_CHANNEL_DISABLE,
		.doit = abi_genl_channel_disable,
		.policy = channel_policy,
		.maxattr = KTRACE_ATTR_MAX,
		.internal_flags = ABI_GENL_NEED_SESSION | ABI_GENL_NEED_CHANNEL,
	},
	{
		.cmd = KTRACE_CMD_CHANNEL_ENABLE,
		.doit = abi_genl_channel_enable,
		.policy = channel_policy,
		.maxattr = KTRACE_ATTR_MAX,
		.internal_flags = ABI_GENL_NEED_SESSION | ABI_GENL_NEED_CHANNEL,
	},
};

static const struct genl_multicast_group ktrace_genl_mcgrps[] = {
	[ABI_GENL_MCGRP_SESSIONS] = {
		.name = KTRACE_GENL_MCGRP_SESSIONS,
		.flags = GENL_MCAST_CAP_SYS_ADMIN,
	},
};

struct genl_family ktrace_genl_family __ro_after_init = {
	.name = KTRACE_GENL_NAME,
	.version = KTRACE_GENL_VERSION,
	.maxattr = KTRACE_ATTR_MAX,
	/* Sessions are global: the family lives in the initial netns only. */
	.netnsok = false,
	/* The core serialises on its own lock; do not hold genl_mutex. */
	.parallel_ops = true,
	.module = THIS_MODULE,
	.pre_doit = abi_genl_pre_doit,
	.post_doit = abi_genl_post_doit,
	.ops = ktrace_genl_ops,
	.n_ops = ARRAY_SIZE(ktrace_genl_ops),
	/* Strict header and attribute validation for every command. */
	.resv_start_op = 0,
	.mcgrps = ktrace_genl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(ktrace_genl_mcgrps),
};

/**
 * ktrace_genl_init() - register the generic netlink family "ktrace"
 *
 * Call once the core can serve requests: commands may arrive before this
 * returns. KTRACE_IOC_API reports KTRACE_FEATURE_GENL from then on.
 *
 * Context: module init, may sleep.
 * Return: 0, or the errno of genl_register_family() (-EEXIST if a family
 * of that name exists).
 */
int __init ktrace_genl_init(void)
{
	int ret = genl_register_family(&ktrace_genl_family);

	if (!ret)
		abi_features_add(KTRACE_FEATURE_GENL);
	return ret;
}

/**
 * ktrace_genl_exit() - unregister the family
 *
 * Waits for running commands; a running dump holds a module reference, so
 * none is left once the module is unloading.
 *
 * Context: module exit, may sleep.
 */
void ktrace_genl_exit(void)
{
	genl_unregister_family(&ktrace_genl_family);
}
