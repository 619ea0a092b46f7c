// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "ktrace": sessions, channels, events,
 * contexts and snapshot outputs (the control half of the ABI; data goes
 * through /dev/ktrace). Each command is one call into module/core.
 *
 * Validation is strict and happens before the core is called. Every
 * command has its own policy, sized to the whole attribute space, so an
 * attribute a command does not take is refused like an unknown one;
 * ranges and string lengths live in the policies, and what a policy cannot
 * express (the alphabet of names, powers of two) is checked here. Every
 * refusal carries an extended-ack message and, when one is to blame, the
 * offending or missing attribute.
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
 * The family is registered after the core is ready and unregistered
 * before sessions are destroyed on unload; unregistering waits for
 * running commands, and a running dump holds a module reference.
 */
#include <linux/capability.h>
#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/log2.h>
#include <linux/net.h>
#include <linux/slab.h>
#include <linux/stringify.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "abi.h"
#include "abi_internal.h"
#include "uapi/ktrace.h"
#include "core/event.h"
#include "core/session.h"
#include "probes/probes.h"
#include "ringbuffer/ringbuffer.h"

static_assert(KTRACE_NAME_LEN == KTRACE_NAME_MAX);
static_assert(KTRACE_DEST_LEN + 1 == KTRACE_OUTPUT_DEST_MAX);

#define NAME_RULE	"1 to " __stringify(KTRACE_NAME_LEN) \
			" characters from A-Z a-z 0-9 _ . -"

/* Growth cap of a doit reply that does not fit in NLMSG_GOODSIZE. */
#define ABI_GENL_REPLY_MAX	(64 * NLMSG_GOODSIZE)

enum abi_genl_mcgrp {
	ABI_GENL_MCGRP_SESSIONS,
};

/* cb->args slots of the session-scoped dumps. */
enum abi_genl_dump_arg {
	DUMP_SESSION,
	DUMP_CHANNEL,
	DUMP_CURSOR,
};

static struct genl_family ktrace_genl_family;

/* uapi <-> core values. The uapi ones start at 1; policies bound them. */

static const enum ktrace_session_mode session_modes[] = {
	[KTRACE_SESSION_MODE_NORMAL] = KTRACE_SESSION_NORMAL,
	[KTRACE_SESSION_MODE_SNAPSHOT] = KTRACE_SESSION_SNAPSHOT,
};

static const enum ktrace_channel_mode channel_modes[] = {
	[KTRACE_CHANNEL_DISCARD] = KTRACE_CHANNEL_MODE_DISCARD,
	[KTRACE_CHANNEL_OVERWRITE] = KTRACE_CHANNEL_MODE_OVERWRITE,
};

static const enum ktrace_channel_output channel_outputs[] = {
	[KTRACE_CHANNEL_SPLICE] = KTRACE_CHANNEL_OUTPUT_SPLICE,
	[KTRACE_CHANNEL_MMAP] = KTRACE_CHANNEL_OUTPUT_MMAP,
};

static const enum ktrace_context_type context_types[] = {
	[KTRACE_CONTEXT_TYPE_PID] = KTRACE_CONTEXT_PID,
	[KTRACE_CONTEXT_TYPE_TID] = KTRACE_CONTEXT_TID,
	[KTRACE_CONTEXT_TYPE_PPID] = KTRACE_CONTEXT_PPID,
	[KTRACE_CONTEXT_TYPE_PROCNAME] = KTRACE_CONTEXT_PROCNAME,
	[KTRACE_CONTEXT_TYPE_PRIO] = KTRACE_CONTEXT_PRIO,
	[KTRACE_CONTEXT_TYPE_VPID] = KTRACE_CONTEXT_VPID,
	[KTRACE_CONTEXT_TYPE_VTID] = KTRACE_CONTEXT_VTID,
	[KTRACE_CONTEXT_TYPE_CPU_ID] = KTRACE_CONTEXT_CPU_ID,
	[KTRACE_CONTEXT_TYPE_HOSTNAME] = KTRACE_CONTEXT_HOSTNAME,
};

/* Every core context type has a uapi value, 1 to KTRACE_CONTEXT_COUNT. */
static_assert(ARRAY_SIZE(context_types) == KTRACE_CONTEXT_COUNT + 1);

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

/* A channel's mode is never the default once it exists. */
static u32 uapi_channel_mode(enum ktrace_channel_mode mode)
{
	return mode == KTRACE_CHANNEL_MODE_OVERWRITE ? KTRACE_CHANNEL_OVERWRITE :
						       KTRACE_CHANNEL_DISCARD;
}

static u32 uapi_channel_output(enum ktrace_channel_output output)
{
	return output == KTRACE_CHANNEL_OUTPUT_MMAP ? KTRACE_CHANNEL_MMAP :
						      KTRACE_CHANNEL_SPLICE;
}

static u32 uapi_field_type(enum ktrace_field_kind kind)
{
	switch (kind) {
	case KTRACE_FIELD_INTEGER:
		return KTRACE_FIELD_TYPE_INTEGER;
	case KTRACE_FIELD_ENUM:
		return KTRACE_FIELD_TYPE_ENUM;
	case KTRACE_FIELD_ARRAY:
		return KTRACE_FIELD_TYPE_ARRAY;
	case KTRACE_FIELD_ARRAY_TEXT:
		return KTRACE_FIELD_TYPE_ARRAY_TEXT;
	case KTRACE_FIELD_STRING:
		break;
	}
	return KTRACE_FIELD_TYPE_STRING;
}

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

/* Objects named by a request */

/* The session given by KTRACE_ATTR_SESSION_ID or _NAME, with a reference. */
static struct ktrace_session *abi_genl_session(struct nlattr **tb,
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

/*
 * What a command does when it names no channel: refuse, use channel0 if
 * it exists (disabling events and listing them, as lttng does), or create
 * channel0 on first need (enabling events, adding contexts).
 */
enum abi_genl_default_channel {
	CHANNEL_REQUIRED,
	CHANNEL_DEFAULT_EXISTING,
	CHANNEL_DEFAULT_CREATE,
};

/* The channel given by KTRACE_ATTR_CHANNEL_ID or _NAME; valid while @s is. */
static struct ktrace_channel *abi_genl_channel(struct ktrace_session *s,
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
	default:
		NL_SET_ERR_MSG(extack, "cannot create channel0");
		break;
	}
	return c;
}

/* A required attribute, refused with @msg when missing. */
#define abi_genl_require(info, type, msg) ({				\
	struct genl_info *__req_info = (info);				\
	bool __missing = GENL_REQ_ATTR_CHECK(__req_info, type);		\
									\
	if (__missing)							\
		NL_SET_ERR_MSG(__req_info->extack, msg);		\
	__missing;							\
})

/* Messages */

static int channel_put(struct sk_buff *skb, struct ktrace_channel *c)
{
	struct ktrace_rb_chan *rb = ktrace_channel_rb(c);
	u64 discarded = 0, overwritten = 0;
	struct ktrace_rb_counters cnt;
	struct nlattr *nest;
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		ktrace_rb_get_counters(ktrace_rb_buf(rb, cpu), &cnt);
		discarded += cnt.discarded;
		overwritten += cnt.overwritten;
	}

	nest = nla_nest_start(skb, KTRACE_ATTR_CHANNEL);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, KTRACE_ATTR_CHANNEL_ID, ktrace_channel_id(c)) ||
	    nla_put_string(skb, KTRACE_ATTR_CHANNEL_NAME,
			   ktrace_channel_name(c)) ||
	    nla_put_u32(skb, KTRACE_ATTR_CHANNEL_MODE,
			uapi_channel_mode(ktrace_channel_mode(c))) ||
	    nla_put_u64_64bit(skb, KTRACE_ATTR_CHANNEL_SUBBUF_SIZE,
			      ktrace_rb_subbuf_size(rb), KTRACE_ATTR_PAD) ||
	    nla_put_u32(skb, KTRACE_ATTR_CHANNEL_NUM_SUBBUF,
			ktrace_rb_num_subbuf(rb)) ||
	    nla_put_u32(skb, KTRACE_ATTR_CHANNEL_SWITCH_TIMER,
			ktrace_channel_switch_timer_us(c)) ||
	    nla_put_u32(skb, KTRACE_ATTR_CHANNEL_OUTPUT,
			uapi_channel_output(ktrace_channel_output(c))) ||
	    nla_put_u32(skb, KTRACE_ATTR_CHANNEL_STREAMS, num_possible_cpus()) ||
	    nla_put_u64_64bit(skb, KTRACE_ATTR_CHANNEL_DISCARDED, discarded,
			      KTRACE_ATTR_PAD) ||
	    nla_put_u64_64bit(skb, KTRACE_ATTR_CHANNEL_OVERWRITTEN, overwritten,
			      KTRACE_ATTR_PAD)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* ktrace_channel_for_each() callback: runs under the sessions lock. */
static int session_put_channel(void *arg, struct ktrace_channel *c)
{
	return channel_put(arg, c);
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
	    ktrace_channel_for_each(s, session_put_channel, skb)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* Called under the sessions lock by the channel dump. */
static int channel_fill(struct sk_buff *skb, u32 session_id,
			struct ktrace_channel *c, u32 portid, u32 seq,
			int flags, u8 cmd)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &ktrace_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, KTRACE_ATTR_SESSION_ID, session_id) ||
	    channel_put(skb, c)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* A reply to @info, allocated before the command acts. */
static struct sk_buff *abi_genl_reply_new(struct genl_info *info, size_t size,
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

static int abi_genl_reply_send(struct sk_buff *msg, void *hdr,
			       struct genl_info *info)
{
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
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

/* Sessions */

static int abi_genl_session_new(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **tb = info->attrs;
	enum ktrace_session_mode mode = KTRACE_SESSION_NORMAL;
	struct ktrace_session *s;
	struct sk_buff *msg;
	const char *name;
	void *hdr;
	int ret;

	ret = abi_genl_check_perm(skb, info->extack);
	if (ret)
		return ret;
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

static int abi_genl_session_del(struct sk_buff *skb, struct genl_info *info)
{
	struct ktrace_session *s;
	int ret;

	ret = abi_genl_check_perm(skb, info->extack);
	if (ret)
		return ret;
	s = abi_genl_session(info->attrs, info->extack);
	if (IS_ERR(s))
		return PTR_ERR(s);
	ret = ktrace_session_destroy(s);
	if (ret)
		NL_SET_ERR_MSG(info->extack, "session not found");
	else
		abi_genl_notify_session(s, KTRACE_CMD_NTF_SESSION_DEL);
	ktrace_session_put(s);
	return ret;
}

static int abi_genl_session_get(struct sk_buff *skb, struct genl_info *info)
{
	struct ktrace_session *s;
	struct sk_buff *msg;
	size_t size;
	int ret;

	ret = abi_genl_check_perm(skb, info->extack);
	if (ret)
		return ret;
	s = abi_genl_session(info->attrs, info->extack);
	if (IS_ERR(s))
		return PTR_ERR(s);
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
	ktrace_session_put(s);
	return ret;
}

static int abi_genl_start_perm(struct netlink_callback *cb)
{
	return abi_genl_check_perm(cb->skb, cb->extack);
}

static int abi_genl_session_dump(struct sk_buff *skb,
				 struct netlink_callback *cb)
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
	/* A session that does not fit in an empty message cannot be sent. */
	if (ret && !skb->len)
		return ret;
	return skb->len;
}

static int abi_genl_start(struct sk_buff *skb, struct genl_info *info)
{
	struct ktrace_session *s;
	int ret;

	ret = abi_genl_check_perm(skb, info->extack);
	if (ret)
		return ret;
	s = abi_genl_session(info->attrs, info->extack);
	if (IS_ERR(s))
		return PTR_ERR(s);
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
	default:
		NL_SET_ERR_MSG(info->extack, "cannot create channel0");
		break;
	}
	ktrace_session_put(s);
	return ret;
}

static int abi_genl_stop(struct sk_buff *skb, struct genl_info *info)
{
	struct ktrace_session *s;
	int ret;

	ret = abi_genl_check_perm(skb, info->extack);
	if (ret)
		return ret;
	s = abi_genl_session(info->attrs, info->extack);
	if (IS_ERR(s))
		return PTR_ERR(s);
	ret = ktrace_session_stop(s);
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
	ktrace_session_put(s);
	return ret;
}

static int abi_genl_snapshot_bump(struct sk_buff *skb, struct genl_info *info)
{
	struct ktrace_session *s;
	struct sk_buff *msg;
	void *hdr;
	int ret;

	ret = abi_genl_check_perm(skb, info->extack);
	if (ret)
		return ret;
	s = abi_genl_session(info->attrs, info->extack);
	if (IS_ERR(s))
		return PTR_ERR(s);
	msg = abi_genl_reply_new(info, nla_total_size_64bit(sizeof(u64)), &hdr);
	if (!msg) {
		ret = -ENOMEM;
		goto out_put;
	}
	ktrace_session_snapshot_bump(s);
	if (nla_put_u64_64bit(msg, KTRACE_ATTR_SNAPSHOT_COUNT,
			      ktrace_session_snapshot_count(s),
			      KTRACE_ATTR_PAD)) {
		nlmsg_free(msg);
		ret = -EMSGSIZE;
		goto out_put;
	}
	ret = abi_genl_reply_send(msg, hdr, info);
out_put:
	ktrace_session_put(s);
	return ret;
}

/* Channels */

static int abi_genl_channel_new(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **tb = info->attrs;
	struct ktrace_channel_attr attr = {
		.mode = KTRACE_CHANNEL_MODE_DEFAULT,
		.output = KTRACE_CHANNEL_OUTPUT_SPLICE,
	};
	struct ktrace_session *s;
	struct ktrace_channel *c;
	struct sk_buff *msg;
	void *hdr;
	int ret;

	ret = abi_genl_check_perm(skb, info->extack);
	if (ret)
		return ret;
	if (abi_genl_require(info, KTRACE_ATTR_CHANNEL_NAME,
			     "channel name required"))
		return -EINVAL;
	attr.name = nla_data(tb[KTRACE_ATTR_CHANNEL_NAME]);
	if (!ktrace_name_valid(attr.name)) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[KTRACE_ATTR_CHANNEL_NAME],
				    "channel name must be " NAME_RULE);
		return -EINVAL;
	}
	if (tb[KTRACE_ATTR_CHANNEL_SUBBUF_SIZE]) {
		u64 size = nla_get_u64(tb[KTRACE_ATTR_CHANNEL_SUBBUF_SIZE]);

		if (!is_power_of_2(size)) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    tb[KTRACE_ATTR_CHANNEL_SUBBUF_SIZE],
					    "sub-buffer size must be a power of two");
			return -EINVAL;
		}
		attr.subbuf_size = size;
	}
	if (tb[KTRACE_ATTR_CHANNEL_NUM_SUBBUF]) {
		u32 num = nla_get_u32(tb[KTRACE_ATTR_CHANNEL_NUM_SUBBUF]);

		if (!is_power_of_2(num)) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    tb[KTRACE_ATTR_CHANNEL_NUM_SUBBUF],
					    "number of sub-buffers must be a power of two");
			return -EINVAL;
		}
		attr.num_subbuf = num;
	}
	if (tb[KTRACE_ATTR_CHANNEL_MODE])
		attr.mode = channel_modes[nla_get_u32(tb[KTRACE_ATTR_CHANNEL_MODE])];
	if (tb[KTRACE_ATTR_CHANNEL_OUTPUT])
		attr.output = channel_outputs[nla_get_u32(tb[KTRACE_ATTR_CHANNEL_OUTPUT])];
	if (tb[KTRACE_ATTR_CHANNEL_SWITCH_TIMER])
		attr.switch_timer_us =
			nla_get_u32(tb[KTRACE_ATTR_CHANNEL_SWITCH_TIMER]);

	s = abi_genl_session(tb, info->extack);
	if (IS_ERR(s))
		return PTR_ERR(s);
	msg = abi_genl_reply_new(info, nla_total_size(sizeof(u32)), &hdr);
	if (!msg) {
		ret = -ENOMEM;
		goto out_put;
	}
	c = ktrace_channel_create(s, &attr);
	if (IS_ERR(c)) {
		ret = PTR_ERR(c);
		switch (ret) {
		case -EINVAL:
			NL_SET_ERR_MSG_ATTR(info->extack,
					    tb[KTRACE_ATTR_CHANNEL_SUBBUF_SIZE],
					    "sub-buffers too large or too many");
			break;
		case -EBUSY:
			NL_SET_ERR_MSG(info->extack,
				       "cannot add a channel to an active session");
			break;
		case -EEXIST:
			NL_SET_ERR_MSG_ATTR(info->extack,
					    tb[KTRACE_ATTR_CHANNEL_NAME],
					    "the session has a channel of that name");
			break;
		case -ENOENT:
			NL_SET_ERR_MSG(info->extack, "session not found");
			break;
		default:
			NL_SET_ERR_MSG(info->extack,
				       "not enough memory for the channel's buffers");
			break;
		}
		nlmsg_free(msg);
		goto out_put;
	}
	if (nla_put_u32(msg, KTRACE_ATTR_CHANNEL_ID, ktrace_channel_id(c))) {
		nlmsg_free(msg);
		ret = -EMSGSIZE;
		goto out_put;
	}
	ret = abi_genl_reply_send(msg, hdr, info);
out_put:
	ktrace_session_put(s);
	return ret;
}

static int abi_genl_channel_get(struct sk_buff *skb, struct genl_info *info)
{
	struct ktrace_session *s;
	struct ktrace_channel *c;
	struct sk_buff *msg;
	int ret;

	ret = abi_genl_check_perm(skb, info->extack);
	if (ret)
		return ret;
	s = abi_genl_session(info->attrs, info->extack);
	if (IS_ERR(s))
		return PTR_ERR(s);
	c = abi_genl_channel(s, info->attrs, CHANNEL_REQUIRED, info->extack);
	if (IS_ERR(c)) {
		ret = PTR_ERR(c);
		goto out_put;
	}
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg) {
		NL_SET_ERR_MSG(info->extack, "out of memory");
		ret = -ENOMEM;
		goto out_put;
	}
	ret = channel_fill(msg, ktrace_session_id(s), c, info->snd_portid,
			   info->snd_seq, 0, KTRACE_CMD_CHANNEL_GET);
	if (ret)
		nlmsg_free(msg);
	else
		ret = genlmsg_reply(msg, info);
out_put:
	ktrace_session_put(s);
	return ret;
}

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

struct abi_genl_dump {
	struct sk_buff *skb;
	struct netlink_callback *cb;
};

/* Called under the sessions lock. */
static int abi_genl_channel_dump_one(void *arg, struct ktrace_channel *c)
{
	struct abi_genl_dump *d = arg;
	struct netlink_callback *cb = d->cb;
	int ret;

	if (ktrace_channel_id(c) < cb->args[DUMP_CURSOR])
		return 0;
	ret = channel_fill(d->skb, cb->args[DUMP_SESSION], c,
			   NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			   NLM_F_MULTI, KTRACE_CMD_CHANNEL_GET);
	if (!ret)
		cb->args[DUMP_CURSOR] = (long)ktrace_channel_id(c) + 1;
	return ret;
}

static int abi_genl_channel_dump(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	struct abi_genl_dump d = { .skb = skb, .cb = cb };
	struct ktrace_session *s;
	int ret;

	/* A session destroyed during the dump ends it. */
	s = ktrace_session_lookup_id(cb->args[DUMP_SESSION]);
	if (!s)
		return 0;
	ret = ktrace_channel_for_each(s, abi_genl_channel_dump_one, &d);
	ktrace_session_put(s);
	if (ret && !skb->len)
		return ret;
	return skb->len;
}

/* Events and contexts */

static int abi_genl_event_change(struct sk_buff *skb, struct genl_info *info,
				 bool enable)
{
	struct nlattr **tb = info->attrs;
	struct ktrace_session *s;
	struct ktrace_channel *c;
	struct nlattr *pattern;
	struct sk_buff *msg;
	void *hdr;
	int ret;

	ret = abi_genl_check_perm(skb, info->extack);
	if (ret)
		return ret;
	if (abi_genl_require(info, KTRACE_ATTR_EVENT_NAME,
			     "event name or pattern required"))
		return -EINVAL;
	pattern = tb[KTRACE_ATTR_EVENT_NAME];
	s = abi_genl_session(tb, info->extack);
	if (IS_ERR(s))
		return PTR_ERR(s);
	c = abi_genl_channel(s, tb, enable ? CHANNEL_DEFAULT_CREATE :
					 CHANNEL_DEFAULT_EXISTING,
			 info->extack);
	if (IS_ERR(c)) {
		ret = PTR_ERR(c);
		goto out_put;
	}
	msg = abi_genl_reply_new(info, 2 * nla_total_size(sizeof(u32)), &hdr);
	if (!msg) {
		ret = -ENOMEM;
		goto out_put;
	}
	if (enable)
		ret = ktrace_event_enable(c, nla_data(pattern));
	else
		ret = ktrace_event_disable(c, nla_data(pattern));
	if (ret < 0) {
		switch (ret) {
		case -EINVAL:
			NL_SET_ERR_MSG_ATTR(info->extack, pattern,
					    "event name or pattern must be 1 to 64 characters from A-Z a-z 0-9 _ * ?");
			break;
		case -ENOENT:
			if (enable)
				NL_SET_ERR_MSG_ATTR(info->extack, pattern,
						    "no event matches");
			else
				NL_SET_ERR_MSG_ATTR(info->extack, pattern,
						    "no enabled event of the channel matches");
			break;
		case -ENODEV:
			NL_SET_ERR_MSG_ATTR(info->extack, pattern,
					    "this kernel lacks the event's tracepoint");
			break;
		case -ENOMEM:
			NL_SET_ERR_MSG(info->extack, "out of memory");
			break;
		default:
			NL_SET_ERR_MSG_ATTR(info->extack, pattern,
					    "cannot register the tracepoint probe");
			break;
		}
		nlmsg_free(msg);
		goto out_put;
	}
	if (nla_put_u32(msg, KTRACE_ATTR_EVENT_COUNT, ret) ||
	    nla_put_u32(msg, KTRACE_ATTR_CHANNEL_ID, ktrace_channel_id(c))) {
		nlmsg_free(msg);
		ret = -EMSGSIZE;
		goto out_put;
	}
	ret = abi_genl_reply_send(msg, hdr, info);
out_put:
	ktrace_session_put(s);
	return ret;
}

static int abi_genl_event_enable(struct sk_buff *skb, struct genl_info *info)
{
	return abi_genl_event_change(skb, info, true);
}

static int abi_genl_event_disable(struct sk_buff *skb, struct genl_info *info)
{
	return abi_genl_event_change(skb, info, false);
}

static int abi_genl_event_dump_start(struct netlink_callback *cb)
{
	return abi_genl_dump_start_scoped(cb, channel_policy, true);
}

/* ktrace_event_for_each() callback: runs under the sessions lock. */
static int abi_genl_event_dump_one(void *arg, const struct ktrace_event *ev)
{
	struct abi_genl_dump *d = arg;
	struct netlink_callback *cb = d->cb;
	struct sk_buff *skb = d->skb;
	struct nlattr *nest;
	void *hdr;

	if (ev->id < cb->args[DUMP_CURSOR])
		return 0;
	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &ktrace_genl_family, NLM_F_MULTI,
			  KTRACE_CMD_EVENT_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, KTRACE_ATTR_SESSION_ID, cb->args[DUMP_SESSION]) ||
	    nla_put_u32(skb, KTRACE_ATTR_CHANNEL_ID, cb->args[DUMP_CHANNEL]))
		goto out_cancel;
	nest = nla_nest_start(skb, KTRACE_ATTR_EVENT);
	if (!nest)
		goto out_cancel;
	if (nla_put_string(skb, KTRACE_ATTR_EVENT_NAME, ev->desc->name) ||
	    nla_put_u32(skb, KTRACE_ATTR_EVENT_ID, ev->id) ||
	    nla_put_u8(skb, KTRACE_ATTR_EVENT_ENABLED, READ_ONCE(ev->enabled)))
		goto out_cancel;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	cb->args[DUMP_CURSOR] = (long)ev->id + 1;
	return 0;

out_cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

static int abi_genl_event_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct abi_genl_dump d = { .skb = skb, .cb = cb };
	struct ktrace_session *s;
	struct ktrace_channel *c;
	int ret = 0;

	s = ktrace_session_lookup_id(cb->args[DUMP_SESSION]);
	if (!s)
		return 0;
	c = ktrace_channel_lookup_id(s, cb->args[DUMP_CHANNEL]);
	if (c)
		ret = ktrace_event_for_each(c, abi_genl_event_dump_one, &d);
	ktrace_session_put(s);
	if (ret && !skb->len)
		return ret;
	return skb->len;
}

static int abi_genl_context_add(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **tb = info->attrs;
	struct ktrace_session *s;
	struct ktrace_channel *c;
	struct nlattr *type;
	int ret;

	ret = abi_genl_check_perm(skb, info->extack);
	if (ret)
		return ret;
	if (abi_genl_require(info, KTRACE_ATTR_CONTEXT_TYPE,
			     "context type required"))
		return -EINVAL;
	type = tb[KTRACE_ATTR_CONTEXT_TYPE];
	s = abi_genl_session(tb, info->extack);
	if (IS_ERR(s))
		return PTR_ERR(s);
	/* Checked first, so that a refusal does not create channel0. */
	if (ktrace_session_started_once(s)) {
		ret = -EBUSY;
		goto out_busy;
	}
	c = abi_genl_channel(s, tb, CHANNEL_DEFAULT_CREATE, info->extack);
	if (IS_ERR(c)) {
		ret = PTR_ERR(c);
		goto out_put;
	}
	ret = ktrace_context_add(c, context_types[nla_get_u32(type)]);
	switch (ret) {
	case 0:
		break;
	case -EEXIST:
		NL_SET_ERR_MSG_ATTR(info->extack, type,
				    "the channel records this context already");
		break;
	case -EBUSY:
		goto out_busy;
	default:
		NL_SET_ERR_MSG(info->extack, "session not found");
		break;
	}
out_put:
	ktrace_session_put(s);
	return ret;

out_busy:
	NL_SET_ERR_MSG(info->extack,
		       "contexts can only be added before the session's first start");
	goto out_put;
}

/* Tracepoints */

static int field_put(struct sk_buff *skb, const struct ktrace_field_desc *f)
{
	struct nlattr *nest = nla_nest_start(skb, KTRACE_ATTR_FIELD);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_string(skb, KTRACE_ATTR_FIELD_NAME, f->name) ||
	    nla_put_u32(skb, KTRACE_ATTR_FIELD_TYPE, uapi_field_type(f->kind)) ||
	    nla_put_u32(skb, KTRACE_ATTR_FIELD_SIZE, f->size) ||
	    nla_put_u8(skb, KTRACE_ATTR_FIELD_SIGNED, f->is_signed) ||
	    nla_put_u32(skb, KTRACE_ATTR_FIELD_LENGTH, f->length)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int tracepoint_fill(struct sk_buff *skb,
			   const struct ktrace_event_desc *desc,
			   struct netlink_callback *cb)
{
	struct nlattr *nest;
	unsigned int i;
	void *hdr;

	/* TRACEPOINT_LIST or SYSCALL_LIST: the request's command. */
	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &ktrace_genl_family, NLM_F_MULTI,
			  ((struct genlmsghdr *)nlmsg_data(cb->nlh))->cmd);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(skb, KTRACE_ATTR_EVENT);
	if (!nest)
		goto out_cancel;
	if (nla_put_string(skb, KTRACE_ATTR_EVENT_NAME, desc->name) ||
	    nla_put_u8(skb, KTRACE_ATTR_EVENT_AVAILABLE,
		       ktrace_probes_available(desc)))
		goto out_cancel;
	for (i = 0; i < desc->nr_fields; i++)
		if (field_put(skb, &desc->fields[i]))
			goto out_cancel;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;

out_cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/* lttng list -k lists tracepoints; lttng list -k --syscall, system calls. */
static int abi_genl_catalog_dump(struct sk_buff *skb,
				 struct netlink_callback *cb,
				 bool syscalls)
{
	const struct ktrace_event_desc *desc;
	unsigned int i;
	int ret = 0;

	for (i = cb->args[0]; i < ktrace_probes_count(); i++) {
		desc = ktrace_probes_desc(i);
		if (ktrace_probes_is_syscall(desc) != syscalls)
			continue;
		ret = tracepoint_fill(skb, desc, cb);
		if (ret)
			break;
	}
	cb->args[0] = i;
	if (ret && !skb->len)
		return ret;
	return skb->len;
}

static int abi_genl_tracepoint_dump(struct sk_buff *skb,
				    struct netlink_callback *cb)
{
	return abi_genl_catalog_dump(skb, cb, false);
}

static int abi_genl_syscall_dump(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	return abi_genl_catalog_dump(skb, cb, true);
}

/* Snapshot outputs */

static int abi_genl_output_add(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **tb = info->attrs;
	struct nlattr *dest, *name;
	struct ktrace_session *s;
	struct sk_buff *msg;
	u64 max_size = 0;
	void *hdr;
	u32 id;
	int ret;

	ret = abi_genl_check_perm(skb, info->extack);
	if (ret)
		return ret;
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

	s = abi_genl_session(tb, info->extack);
	if (IS_ERR(s))
		return PTR_ERR(s);
	msg = abi_genl_reply_new(info, nla_total_size(sizeof(u32)), &hdr);
	if (!msg) {
		ret = -ENOMEM;
		goto out_put;
	}
	ret = ktrace_session_output_add(s, name ? nla_data(name) : NULL,
					nla_data(dest), max_size, &id);
	switch (ret) {
	case 0:
		break;
	case -EEXIST:
		NL_SET_ERR_MSG_ATTR(info->extack, name,
				    "the session has an output of that name");
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
		goto out_put;
	}
	if (nla_put_u32(msg, KTRACE_ATTR_OUTPUT_ID, id)) {
		nlmsg_free(msg);
		ret = -EMSGSIZE;
		goto out_put;
	}
	ret = abi_genl_reply_send(msg, hdr, info);
out_put:
	ktrace_session_put(s);
	return ret;
}

static int abi_genl_output_del(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **tb = info->attrs;
	struct nlattr *id = tb[KTRACE_ATTR_OUTPUT_ID];
	struct nlattr *name = tb[KTRACE_ATTR_OUTPUT_NAME];
	struct ktrace_session *s;
	int ret;

	ret = abi_genl_check_perm(skb, info->extack);
	if (ret)
		return ret;
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
	s = abi_genl_session(tb, info->extack);
	if (IS_ERR(s))
		return PTR_ERR(s);
	if (id)
		ret = ktrace_session_output_del_id(s, nla_get_u32(id));
	else
		ret = ktrace_session_output_del_name(s, nla_data(name));
	if (ret)
		NL_SET_ERR_MSG_ATTR(info->extack, id ?: name,
				    "output not found");
	ktrace_session_put(s);
	return ret;
}

static int abi_genl_output_dump_start(struct netlink_callback *cb)
{
	return abi_genl_dump_start_scoped(cb, session_policy, false);
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

static int abi_genl_output_dump(struct sk_buff *skb,
				struct netlink_callback *cb)
{
	struct abi_genl_dump d = { .skb = skb, .cb = cb };
	struct ktrace_session *s;
	int ret;

	s = ktrace_session_lookup_id(cb->args[DUMP_SESSION]);
	if (!s)
		return 0;
	ret = ktrace_session_output_for_each(s, abi_genl_output_dump_one, &d);
	ktrace_session_put(s);
	if (ret && !skb->len)
		return ret;
	return skb->len;
}

/* Test events */

static int abi_genl_test_fire(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **tb = info->attrs;
	u64 seq = 0, payload = 0;
	int ret;

	ret = abi_genl_check_perm(skb, info->extack);
	if (ret)
		return ret;
	if (abi_genl_require(info, KTRACE_ATTR_TEST_COUNT, "event count required"))
		return -EINVAL;
	if (tb[KTRACE_ATTR_TEST_SEQ])
		seq = nla_get_u64(tb[KTRACE_ATTR_TEST_SEQ]);
	if (tb[KTRACE_ATTR_TEST_PAYLOAD])
		payload = nla_get_u64(tb[KTRACE_ATTR_TEST_PAYLOAD]);
	return ktrace_probes_fire_test(seq,
				       nla_get_u32(tb[KTRACE_ATTR_TEST_COUNT]),
				       payload);
}

/* lttng regenerate statedump: the session must be recording. */
static int abi_genl_regenerate_statedump(struct sk_buff *skb,
					 struct genl_info *info)
{
	struct ktrace_session *s;
	int ret;

	ret = abi_genl_check_perm(skb, info->extack);
	if (ret)
		return ret;
	s = abi_genl_session(info->attrs, info->extack);
	if (IS_ERR(s))
		return PTR_ERR(s);
	if (ktrace_session_state(s) != KTRACE_SESSION_ACTIVE) {
		NL_SET_ERR_MSG(info->extack, "session is not active");
		ret = -EINVAL;
	} else {
		ret = ktrace_probes_statedump(NULL);
	}
	ktrace_session_put(s);
	return ret;
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
	},
	{
		.cmd = KTRACE_CMD_SESSION_GET,
		.doit = abi_genl_session_get,
		.start = abi_genl_start_perm,
		.dumpit = abi_genl_session_dump,
		.policy = session_policy,
		.maxattr = KTRACE_ATTR_MAX,
	},
	{
		.cmd = KTRACE_CMD_CHANNEL_NEW,
		.doit = abi_genl_channel_new,
		.policy = channel_new_policy,
		.maxattr = KTRACE_ATTR_MAX,
	},
	{
		.cmd = KTRACE_CMD_CHANNEL_GET,
		.doit = abi_genl_channel_get,
		.start = abi_genl_channel_dump_start,
		.dumpit = abi_genl_channel_dump,
		.policy = channel_policy,
		.maxattr = KTRACE_ATTR_MAX,
	},
	{
		.cmd = KTRACE_CMD_EVENT_ENABLE,
		.doit = abi_genl_event_enable,
		.policy = event_policy,
		.maxattr = KTRACE_ATTR_MAX,
	},
	{
		.cmd = KTRACE_CMD_EVENT_DISABLE,
		.doit = abi_genl_event_disable,
		.policy = event_policy,
		.maxattr = KTRACE_ATTR_MAX,
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
	},
	{
		.cmd = KTRACE_CMD_START,
		.doit = abi_genl_start,
		.policy = session_policy,
		.maxattr = KTRACE_ATTR_MAX,
	},
	{
		.cmd = KTRACE_CMD_STOP,
		.doit = abi_genl_stop,
		.policy = session_policy,
		.maxattr = KTRACE_ATTR_MAX,
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
	},
	{
		.cmd = KTRACE_CMD_OUTPUT_DEL,
		.doit = abi_genl_output_del,
		.policy = output_del_policy,
		.maxattr = KTRACE_ATTR_MAX,
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
	},
};

static const struct genl_multicast_group ktrace_genl_mcgrps[] = {
	[ABI_GENL_MCGRP_SESSIONS] = {
		.name = KTRACE_GENL_MCGRP_SESSIONS,
		.flags = GENL_MCAST_CAP_SYS_ADMIN,
	},
};

static struct genl_family ktrace_genl_family __ro_after_init = {
	.name = KTRACE_GENL_NAME,
	.version = KTRACE_GENL_VERSION,
	.maxattr = KTRACE_ATTR_MAX,
	/* Sessions are global: the family lives in the initial netns only. */
	.netnsok = false,
	/* The core serialises on its own lock; do not hold genl_mutex. */
	.parallel_ops = true,
	.module = THIS_MODULE,
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
