// SPDX-License-Identifier: GPL-2.0
/*
 * The channel commands of the generic netlink family "ktrace", with what
 * lives in a channel: its events and contexts; and the list of every
 * event the module knows (tracepoints) and the test events. See genl.c
 * for the family's conventions; abi_genl_pre_doit() has checked the
 * caller and looked up the session of every command but TEST_FIRE.
 */
#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/log2.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "genl_internal.h"
#include "uapi/ktrace.h"
#include "core/event.h"
#include "core/session.h"
#include "probes/probes.h"
#include "ringbuffer/ringbuffer.h"

/* uapi <-> core values. The uapi ones start at 1; policies bound them. */

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

static u32 uapi_context_type(enum ktrace_context_type type)
{
	u32 t;

	for (t = 1; t < ARRAY_SIZE(context_types); t++)
		if (context_types[t] == type)
			return t;
	return 0;
}

/* The channel's contexts, one CONTEXT_TYPE each, in the order added. */
static int channel_put_contexts(struct sk_buff *skb,
				const struct ktrace_channel *c)
{
	enum ktrace_context_type types[KTRACE_CONTEXT_COUNT];
	unsigned int i, n;

	n = ktrace_channel_contexts(c, types, ARRAY_SIZE(types));
	for (i = 0; i < n; i++)
		if (nla_put_u32(skb, KTRACE_ATTR_CONTEXT_TYPE,
				uapi_context_type(types[i])))
			return -EMSGSIZE;
	return 0;
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

/**
 * abi_genl_channel_put() - a channel's KTRACE_ATTR_CHANNEL nest
 * @skb: the message.
 * @c: the channel; its session is held.
 *
 * Context: any that may read the channel (callers hold sessions_lock or
 * a reference on the session).
 * Return: 0, or -EMSGSIZE when @skb is full (nothing is left of the nest).
 */
int abi_genl_channel_put(struct sk_buff *skb, struct ktrace_channel *c)
{
	struct ktrace_rb_chan *rb = ktrace_channel_rb(c);
	u64 discarded = 0, overwritten = 0, read = 0;
	struct ktrace_rb_counters cnt;
	struct nlattr *nest;
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		struct ktrace_rb_buf *buf = ktrace_rb_buf(rb, cpu);

		if (!buf)
			continue;
		ktrace_rb_get_counters(buf, &cnt);
		discarded += cnt.discarded;
		overwritten += cnt.overwritten;
		read += cnt.read;
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
			      KTRACE_ATTR_PAD) ||
	    nla_put_u32(skb, KTRACE_ATTR_CHANNEL_BUFFERS,
			ktrace_rb_chan_nr_bufs(rb)) ||
	    nla_put_u64_64bit(skb, KTRACE_ATTR_CHANNEL_MEMORY,
			      ktrace_rb_chan_mem_bytes(rb), KTRACE_ATTR_PAD) ||
	    nla_put_u64_64bit(skb, KTRACE_ATTR_CHANNEL_READ, read,
			      KTRACE_ATTR_PAD) ||
	    channel_put_contexts(skb, c) ||
	    abi_genl_channel_put_streaming(skb, c)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
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
	    abi_genl_channel_put(skb, c)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/**
 * abi_genl_channel_new() - KTRACE_CMD_CHANNEL_NEW: create a channel
 * @skb: the request.
 * @info: its attributes; user_ptr[0] is the session.
 *	The reply carries the new KTRACE_ATTR_CHANNEL_ID.
 *
 * Context: genetlink doit, may sleep.
 * Return: 0 or a negative errno, with an extended-ack message.
 */
int abi_genl_channel_new(struct sk_buff *skb, struct genl_info *info)
{
	struct ktrace_session *s = abi_genl_info_session(info);
	struct nlattr **tb = info->attrs;
	struct ktrace_channel_attr attr = {
		.mode = KTRACE_CHANNEL_MODE_DEFAULT,
		.output = KTRACE_CHANNEL_OUTPUT_SPLICE,
	};
	struct ktrace_channel *c;
	struct sk_buff *msg;
	void *hdr;
	int ret;

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
	ret = abi_genl_channel_streaming_attr(s, info, &attr);
	if (ret)
		return ret;

	msg = abi_genl_reply_new(info, nla_total_size(sizeof(u32)), &hdr);
	if (!msg)
		return -ENOMEM;
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
		case -ENOSPC:
			abi_genl_err_buffer_limit(info->extack);
			break;
		default:
			NL_SET_ERR_MSG(info->extack,
				       "not enough memory for the channel's buffers");
			break;
		}
		nlmsg_free(msg);
		return ret;
	}
	if (nla_put_u32(msg, KTRACE_ATTR_CHANNEL_ID, ktrace_channel_id(c))) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return abi_genl_reply_send(msg, hdr, info);
}

/**
 * abi_genl_channel_get() - KTRACE_CMD_CHANNEL_GET: describe one channel
 * @skb: the request.
 * @info: its attributes; user_ptr[0] is the session,
 *	user_ptr[1] the channel.
 *
 * Context: genetlink doit, may sleep.
 * Return: 0 or a negative errno, with an extended-ack message.
 */
int abi_genl_channel_get(struct sk_buff *skb, struct genl_info *info)
{
	struct ktrace_session *s = abi_genl_info_session(info);
	struct ktrace_channel *c = abi_genl_info_channel(info);
	struct sk_buff *msg;
	int ret;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg) {
		NL_SET_ERR_MSG(info->extack, "out of memory");
		return -ENOMEM;
	}
	ret = channel_fill(msg, ktrace_session_id(s), c, info->snd_portid,
			   info->snd_seq, 0, KTRACE_CMD_CHANNEL_GET);
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	return genlmsg_reply(msg, info);
}

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

/**
 * abi_genl_channel_dump() - KTRACE_CMD_CHANNEL_GET dump: a session's channels
 * @skb: the message to fill.
 * @cb: the dump; cb->args holds the session id
 *	and the next channel id (abi_genl_dump_arg).
 *
 * Context: genetlink dumpit, may sleep.
 * Return: see abi_genl_dump_end().
 */
int abi_genl_channel_dump(struct sk_buff *skb, struct netlink_callback *cb)
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
	return abi_genl_dump_end(skb, ret);
}

/* Events and contexts */

static int abi_genl_event_change(struct sk_buff *skb, struct genl_info *info,
				 bool enable)
{
	struct ktrace_session *s = abi_genl_info_session(info);
	struct nlattr **tb = info->attrs;
	struct ktrace_channel *c;
	struct nlattr *pattern;
	struct sk_buff *msg;
	void *hdr;
	int ret;

	if (abi_genl_require(info, KTRACE_ATTR_EVENT_NAME,
			     "event name or pattern required"))
		return -EINVAL;
	pattern = tb[KTRACE_ATTR_EVENT_NAME];
	c = abi_genl_channel(s, tb, enable ? CHANNEL_DEFAULT_CREATE :
					 CHANNEL_DEFAULT_EXISTING,
			     info->extack);
	if (IS_ERR(c))
		return PTR_ERR(c);
	msg = abi_genl_reply_new(info, 2 * nla_total_size(sizeof(u32)), &hdr);
	if (!msg)
		return -ENOMEM;
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
		return ret;
	}
	if (nla_put_u32(msg, KTRACE_ATTR_EVENT_COUNT, ret) ||
	    nla_put_u32(msg, KTRACE_ATTR_CHANNEL_ID, ktrace_channel_id(c))) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return abi_genl_reply_send(msg, hdr, info);
}

/**
 * abi_genl_event_enable() - KTRACE_CMD_EVENT_ENABLE: enable events
 * @skb: the request.
 * @info: its attributes; user_ptr[0] is the session.
 *	The reply carries KTRACE_ATTR_EVENT_COUNT and the channel's id.
 *
 * Context: genetlink doit, may sleep.
 * Return: 0 or a negative errno, with an extended-ack message.
 */
int abi_genl_event_enable(struct sk_buff *skb, struct genl_info *info)
{
	return abi_genl_event_change(skb, info, true);
}

/**
 * abi_genl_event_disable() - KTRACE_CMD_EVENT_DISABLE: disable events
 * @skb: the request.
 * @info: its attributes; user_ptr[0] is the session.
 *	The reply carries KTRACE_ATTR_EVENT_COUNT and the channel's id.
 *
 * Context: genetlink doit, may sleep.
 * Return: 0 or a negative errno, with an extended-ack message.
 */
int abi_genl_event_disable(struct sk_buff *skb, struct genl_info *info)
{
	return abi_genl_event_change(skb, info, false);
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
	    nla_put_u8(skb, KTRACE_ATTR_EVENT_ENABLED, ev->requested))
		goto out_cancel;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	cb->args[DUMP_CURSOR] = (long)ev->id + 1;
	return 0;

out_cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/**
 * abi_genl_event_dump() - KTRACE_CMD_EVENT_GET dump: a channel's events
 * @skb: the message to fill.
 * @cb: the dump; cb->args holds the session id,
 *	the channel id and the next event id (abi_genl_dump_arg).
 *
 * Context: genetlink dumpit, may sleep.
 * Return: see abi_genl_dump_end().
 */
int abi_genl_event_dump(struct sk_buff *skb, struct netlink_callback *cb)
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
	return abi_genl_dump_end(skb, ret);
}

/**
 * abi_genl_context_add() - KTRACE_CMD_CONTEXT_ADD: record a context
 * @skb: the request.
 * @info: its attributes; user_ptr[0] is the session.
 *
 * Context: genetlink doit, may sleep.
 * Return: 0 or a negative errno, with an extended-ack message.
 */
int abi_genl_context_add(struct sk_buff *skb, struct genl_info *info)
{
	struct ktrace_session *s = abi_genl_info_session(info);
	struct nlattr **tb = info->attrs;
	struct ktrace_channel *c;
	struct nlattr *type;
	int ret;

	if (abi_genl_require(info, KTRACE_ATTR_CONTEXT_TYPE,
			     "context type required"))
		return -EINVAL;
	type = tb[KTRACE_ATTR_CONTEXT_TYPE];
	/* Checked first, so that a refusal does not create channel0. */
	if (ktrace_session_started_once(s))
		goto out_busy;
	c = abi_genl_channel(s, tb, CHANNEL_DEFAULT_CREATE, info->extack);
	if (IS_ERR(c))
		return PTR_ERR(c);
	ret = ktrace_context_add(c, context_types[nla_get_u32(type)]);
	switch (ret) {
	case 0:
		break;
	case -EEXIST:
		NL_SET_ERR_MSG_ATTR(info->extack, type,
				    "the channel records this context already");
		break;
	case -EBUSY:
		if (ktrace_session_started_once(s))
			goto out_busy;
		NL_SET_ERR_MSG(info->extack,
			       "the channel's metadata was read already: add contexts before opening a metadata fd");
		break;
	default:
		NL_SET_ERR_MSG(info->extack, "session not found");
		break;
	}
	return ret;

out_busy:
	NL_SET_ERR_MSG(info->extack,
		       "contexts can only be added before the session's first start");
	return -EBUSY;
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
				 struct netlink_callback *cb, bool syscalls)
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
	return abi_genl_dump_end(skb, ret);
}

/**
 * abi_genl_tracepoint_dump() - KTRACE_CMD_TRACEPOINT_LIST dump: every event
 *	but the per-syscall ones
 * @skb: the message to fill.
 * @cb: the dump; cb->args[0] is the next event's index.
 *
 * Context: genetlink dumpit, may sleep.
 * Return: see abi_genl_dump_end().
 */
int abi_genl_tracepoint_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	return abi_genl_catalog_dump(skb, cb, false);
}

/**
 * abi_genl_syscall_dump() - KTRACE_CMD_SYSCALL_LIST dump: the per-syscall
 *	events
 * @skb: the message to fill.
 * @cb: the dump; cb->args[0] is the next event's index.
 *
 * Context: genetlink dumpit, may sleep.
 * Return: see abi_genl_dump_end().
 */
int abi_genl_syscall_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	return abi_genl_catalog_dump(skb, cb, true);
}

/* Test events */

/**
 * abi_genl_test_fire() - KTRACE_CMD_TEST_FIRE: record test events
 * @skb: the request.
 * @info: its attributes; the count, sequence and payload.
 *
 * Context: genetlink doit, may sleep.
 * Return: 0 or a negative errno, with an extended-ack message.
 */
int abi_genl_test_fire(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **tb = info->attrs;
	u64 seq = 0, payload = 0;

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

