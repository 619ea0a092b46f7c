// SPDX-License-Identifier: GPL-2.0
/*
 * The streaming commands and attributes of the generic netlink family
 * "ktrace" (ABI 3): clearing a session, disabling and enabling a channel,
 * and what SESSION_GET tells of a normal session's consumer. See genl.c
 * for the family's conventions; abi_genl_pre_doit() has checked the
 * caller and looked up the session (and the channel).
 */
#include <linux/err.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "genl_internal.h"
#include "uapi/ktrace.h"
#include "core/session.h"

static_assert(KTRACE_READ_TIMER_MAX == KTRACE_READ_TIMER_US_MAX);
static_assert(KTRACE_TRACEFILE_COUNT_MAX == KTRACE_TRACEFILE_COUNT_LIMIT);

/**
 * abi_genl_session_put_streaming() - a session's streaming attributes
 * @skb: the session's message.
 * @s: the session, held.
 *
 * STOP_SEQ for every session; for normal ones, the consumer's report and
 * lag, and CONSUMER_PID while one is attached.
 *
 * Context: process context, may sleep; takes sessions_lock.
 * Return: 0, or -EMSGSIZE when @skb is full.
 */
int abi_genl_session_put_streaming(struct sk_buff *skb,
				   struct ktrace_session *s)
{
	struct ktrace_consumer_status st;

	ktrace_session_consumer_status(s, &st);
	if (nla_put_u64_64bit(skb, KTRACE_ATTR_STOP_SEQ, st.stop_seq,
			      KTRACE_ATTR_PAD))
		return -EMSGSIZE;
	if (ktrace_session_mode(s) != KTRACE_SESSION_NORMAL)
		return 0;
	if (st.attached &&
	    nla_put_u32(skb, KTRACE_ATTR_CONSUMER_PID, st.pid))
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, KTRACE_ATTR_CONSUMER_BYTES,
			      st.report.bytes_written, KTRACE_ATTR_PAD) ||
	    nla_put_u64_64bit(skb, KTRACE_ATTR_CONSUMER_PACKETS,
			      st.report.packets_written, KTRACE_ATTR_PAD) ||
	    nla_put_u32(skb, KTRACE_ATTR_CONSUMER_ERROR, st.report.error) ||
	    nla_put_u64_64bit(skb, KTRACE_ATTR_CONSUMER_SYNCED,
			      st.report.synced_stop_seq, KTRACE_ATTR_PAD) ||
	    nla_put_u64_64bit(skb, KTRACE_ATTR_CONSUMER_LAG, st.lag,
			      KTRACE_ATTR_PAD) ||
	    nla_put_u64_64bit(skb, KTRACE_ATTR_CONSUMER_READ, st.events_read,
			      KTRACE_ATTR_PAD))
		return -EMSGSIZE;
	return 0;
}

/**
 * abi_genl_session_clear() - KTRACE_CMD_SESSION_CLEAR: discard what the
 *	session's buffers hold
 * @skb: the request.
 * @info: its attributes; user_ptr[0] is the session.
 *
 * Context: genetlink doit, may sleep.
 * Return: 0 or a negative errno, with an extended-ack message.
 */
int abi_genl_session_clear(struct sk_buff *skb, struct genl_info *info)
{
	int ret = ktrace_session_clear(abi_genl_info_session(info));

	if (ret)
		NL_SET_ERR_MSG(info->extack, "session not found");
	return ret;
}

static int abi_genl_channel_set_enabled(struct genl_info *info, bool enable)
{
	int ret = ktrace_channel_set_enabled(abi_genl_info_channel(info),
					     enable);

	switch (ret) {
	case 0:
		break;
	case -EALREADY:
		if (enable)
			NL_SET_ERR_MSG(info->extack, "channel is already enabled");
		else
			NL_SET_ERR_MSG(info->extack, "channel is already disabled");
		break;
	case -ENOENT:
		NL_SET_ERR_MSG(info->extack, "session not found");
		break;
	default:
		NL_SET_ERR_MSG(info->extack,
			       "cannot register the probes of the channel's events");
		break;
	}
	return ret;
}

/**
 * abi_genl_channel_disable() - KTRACE_CMD_CHANNEL_DISABLE
 * @skb: the request.
 * @info: its attributes; user_ptr[0] is the session, user_ptr[1] the
 *	channel.
 *
 * Context: genetlink doit, may sleep.
 * Return: 0 or a negative errno, with an extended-ack message.
 */
int abi_genl_channel_disable(struct sk_buff *skb, struct genl_info *info)
{
	return abi_genl_channel_set_enabled(info, false);
}

/**
 * abi_genl_channel_enable() - KTRACE_CMD_CHANNEL_ENABLE
 * @skb: the request.
 * @info: its attributes; user_ptr[0] is the session, user_ptr[1] the
 *	channel.
 *
 * Context: genetlink doit, may sleep.
 * Return: 0 or a negative errno, with an extended-ack message.
 */
int abi_genl_channel_enable(struct sk_buff *skb, struct genl_info *info)
{
	return abi_genl_channel_set_enabled(info, true);
}

/**
 * abi_genl_channel_streaming_attr() - the streaming attributes of a
 *	CHANNEL_NEW request
 * @s: the session.
 * @info: the request.
 * @attr: receives them.
 *
 * The policy checked the types and ranges; this checks what depends on
 * the session and the channel's geometry.
 *
 * Context: genetlink doit.
 * Return: 0, or -EINVAL with an extended-ack message.
 */
int abi_genl_channel_streaming_attr(struct ktrace_session *s,
				    struct genl_info *info,
				    struct ktrace_channel_attr *attr)
{
	struct nlattr **tb = info->attrs;
	struct nlattr *size = tb[KTRACE_ATTR_CHANNEL_TRACEFILE_SIZE];
	struct nlattr *count = tb[KTRACE_ATTR_CHANNEL_TRACEFILE_COUNT];
	unsigned long subbuf = attr->subbuf_size ?:
			       KTRACE_CHANNEL_DEFAULT_SUBBUF_SIZE;

	if (tb[KTRACE_ATTR_CHANNEL_READ_TIMER])
		attr->read_timer_us =
			nla_get_u32(tb[KTRACE_ATTR_CHANNEL_READ_TIMER]);
	if (tb[KTRACE_ATTR_CHANNEL_ENABLED])
		attr->disabled = !nla_get_u8(tb[KTRACE_ATTR_CHANNEL_ENABLED]);
	if (size)
		attr->tracefile_size = nla_get_u64(size);
	if (count)
		attr->tracefile_count = nla_get_u32(count);
	if ((attr->tracefile_size || attr->tracefile_count) &&
	    ktrace_session_mode(s) != KTRACE_SESSION_NORMAL) {
		NL_SET_ERR_MSG_ATTR(info->extack, size ?: count,
				    "tracefile rotation is for normal sessions");
		return -EINVAL;
	}
	if (attr->tracefile_size && attr->tracefile_size < subbuf) {
		NL_SET_ERR_MSG_ATTR(info->extack, size,
				    "tracefile size must be at least the sub-buffer size");
		return -EINVAL;
	}
	if (attr->tracefile_count && !attr->tracefile_size) {
		NL_SET_ERR_MSG_ATTR(info->extack, count,
				    "a tracefile count needs a tracefile size");
		return -EINVAL;
	}
	return 0;
}

/**
 * abi_genl_channel_put_streaming() - a channel's streaming attributes
 * @skb: the message, inside the channel's nest.
 * @c: the channel; its session is held.
 *
 * Context: any that may read the channel.
 * Return: 0, or -EMSGSIZE when @skb is full.
 */
int abi_genl_channel_put_streaming(struct sk_buff *skb,
				   const struct ktrace_channel *c)
{
	if (nla_put_u32(skb, KTRACE_ATTR_CHANNEL_READ_TIMER,
			ktrace_channel_read_timer_us(c)) ||
	    nla_put_u64_64bit(skb, KTRACE_ATTR_CHANNEL_TRACEFILE_SIZE,
			      ktrace_channel_tracefile_size(c),
			      KTRACE_ATTR_PAD) ||
	    nla_put_u32(skb, KTRACE_ATTR_CHANNEL_TRACEFILE_COUNT,
			ktrace_channel_tracefile_count(c)) ||
	    nla_put_u8(skb, KTRACE_ATTR_CHANNEL_ENABLED,
		       ktrace_channel_enabled(c)))
		return -EMSGSIZE;
	return 0;
}
