/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internals shared by the files of the generic netlink family "ktrace":
 * genl.c (the family, its policies, pre_doit/post_doit and the helpers),
 * genl_session.c (sessions), genl_channel.c (channels, events, contexts
 * and tracepoints), genl_output.c (outputs) and genl_stream.c (streaming:
 * clear, channel enable/disable, consumer attributes).
 */
#ifndef _KTRACE_ABI_GENL_INTERNAL_H
#define _KTRACE_ABI_GENL_INTERNAL_H

#include <linux/bits.h>
#include <linux/stringify.h>
#include <net/genetlink.h>

#include "uapi/ktrace.h"
#include "core/session.h"

#define NAME_RULE	"1 to " __stringify(KTRACE_NAME_LEN) \
			" characters from A-Z a-z 0-9 _ . -"

/*
 * genl_ops.internal_flags: what abi_genl_pre_doit() looks up for a
 * command and hands to its doit in info->user_ptr[] (post_doit puts it).
 * Every command's permission is checked there too.
 */
#define ABI_GENL_NEED_SESSION	BIT(0)	/* user_ptr[0]: the session, held */
#define ABI_GENL_NEED_CHANNEL	BIT(1)	/* user_ptr[1]: the named channel */

enum abi_genl_mcgrp {
	ABI_GENL_MCGRP_SESSIONS,
};

/* cb->args slots of the session-scoped dumps. */
enum abi_genl_dump_arg {
	DUMP_SESSION,
	DUMP_CHANNEL,
	DUMP_CURSOR,
};

/* What the for_each callbacks of a dump write into. */
struct abi_genl_dump {
	struct sk_buff *skb;
	struct netlink_callback *cb;
};

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

extern struct genl_family ktrace_genl_family;

/* The objects abi_genl_pre_doit() handed over. */
static inline struct ktrace_session *abi_genl_info_session(struct genl_info *info)
{
	return info->user_ptr[0];
}

static inline struct ktrace_channel *abi_genl_info_channel(struct genl_info *info)
{
	return info->user_ptr[1];
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

/* Helpers (genl.c). */
struct ktrace_session *abi_genl_session(struct nlattr **tb,
					struct netlink_ext_ack *extack);
struct ktrace_channel *abi_genl_channel(struct ktrace_session *s,
					struct nlattr **tb,
					enum abi_genl_default_channel def,
					struct netlink_ext_ack *extack);
void abi_genl_err_buffer_limit(struct netlink_ext_ack *extack);
struct sk_buff *abi_genl_reply_new(struct genl_info *info, size_t size,
				   void **hdr);
int abi_genl_reply_send(struct sk_buff *msg, void *hdr,
			struct genl_info *info);
int abi_genl_dump_end(struct sk_buff *skb, int ret);

/* Sessions (genl_session.c). */
int abi_genl_session_new(struct sk_buff *skb, struct genl_info *info);
int abi_genl_session_del(struct sk_buff *skb, struct genl_info *info);
int abi_genl_session_get(struct sk_buff *skb, struct genl_info *info);
int abi_genl_session_dump(struct sk_buff *skb, struct netlink_callback *cb);
int abi_genl_start(struct sk_buff *skb, struct genl_info *info);
int abi_genl_stop(struct sk_buff *skb, struct genl_info *info);
int abi_genl_snapshot_bump(struct sk_buff *skb, struct genl_info *info);
int abi_genl_regenerate_statedump(struct sk_buff *skb, struct genl_info *info);

/* Channels, events, contexts, tracepoints (genl_channel.c). */
int abi_genl_channel_put(struct sk_buff *skb, struct ktrace_channel *c);
int abi_genl_channel_new(struct sk_buff *skb, struct genl_info *info);
int abi_genl_channel_get(struct sk_buff *skb, struct genl_info *info);
int abi_genl_channel_dump(struct sk_buff *skb, struct netlink_callback *cb);
int abi_genl_event_enable(struct sk_buff *skb, struct genl_info *info);
int abi_genl_event_disable(struct sk_buff *skb, struct genl_info *info);
int abi_genl_event_dump(struct sk_buff *skb, struct netlink_callback *cb);
int abi_genl_context_add(struct sk_buff *skb, struct genl_info *info);
int abi_genl_tracepoint_dump(struct sk_buff *skb, struct netlink_callback *cb);
int abi_genl_syscall_dump(struct sk_buff *skb, struct netlink_callback *cb);
int abi_genl_test_fire(struct sk_buff *skb, struct genl_info *info);

/* Streaming (genl_stream.c). */
int abi_genl_session_put_streaming(struct sk_buff *skb,
				   struct ktrace_session *s);
int abi_genl_session_clear(struct sk_buff *skb, struct genl_info *info);
int abi_genl_channel_disable(struct sk_buff *skb, struct genl_info *info);
int abi_genl_channel_enable(struct sk_buff *skb, struct genl_info *info);
int abi_genl_channel_streaming_attr(struct ktrace_session *s,
				    struct genl_info *info,
				    struct ktrace_channel_attr *attr);
int abi_genl_channel_put_streaming(struct sk_buff *skb,
				   const struct ktrace_channel *c);

/* Snapshot outputs (genl_output.c). */
int abi_genl_output_add(struct sk_buff *skb, struct genl_info *info);
int abi_genl_output_del(struct sk_buff *skb, struct genl_info *info);
int abi_genl_output_dump(struct sk_buff *skb, struct netlink_callback *cb);

#endif /* _KTRACE_ABI_GENL_INTERNAL_H */
