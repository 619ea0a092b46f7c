/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktracectl's client of the generic netlink family "ktrace" (libnl-3).
 *
 * Every function returns 0 (or a count) on success and a negative errno on
 * failure: the kernel's errno when it refused the request, in which case
 * ktnl_errmsg() gives its extended-ack message ("session not found") and
 * ktnl_err_attr() the attribute it blamed or found missing. Attributes a
 * newer module adds to its replies are ignored.
 *
 * Sessions and channels are named by their names, as on the command line;
 * a NULL channel means the session's channel0 (created on first need by
 * ktnl_event_enable() and ktnl_context_add(), as lttng does).
 */
#ifndef KTRACECTL_NL_H
#define KTRACECTL_NL_H

#include <stddef.h>
#include <stdint.h>

#include "ktrace.h"

struct nl_msg;
struct nl_sock;
struct nlattr;

/* One connection to the family. */
struct ktnl {
	struct nl_sock *sk;
	int family;
	uint32_t mcgrp;		/* KTRACE_GENL_MCGRP_SESSIONS */
	char errmsg[256];	/* the last refusal's message, or "" */
	int err_attr;		/* the attribute it blamed, or 0 */
	int err_missing;	/* the attribute it missed, or 0 */
};

/* Most context types a channel reports (the uapi has 9). */
#define KTNL_MAX_CONTEXTS	16

struct ktnl_channel {
	uint32_t id;
	char name[KTRACE_NAME_LEN + 1];
	uint32_t mode;			/* enum ktrace_uapi_channel_mode */
	uint64_t subbuf_size;
	uint32_t num_subbuf;
	uint32_t switch_timer_us;
	uint32_t output;		/* enum ktrace_uapi_channel_output */
	uint32_t streams;
	uint64_t discarded;
	uint64_t overwritten;
	size_t nr_contexts;		/* the KTRACE_CONTEXT_TYPE_* it records */
	uint32_t contexts[KTNL_MAX_CONTEXTS];
	/* ABI 3, streaming */
	uint32_t read_timer_us;
	uint64_t tracefile_size;	/* 0: unlimited */
	uint32_t tracefile_count;	/* 0: unlimited */
	int enabled;			/* 1 when the module says nothing */
};

struct ktnl_session {
	uint32_t id;
	char name[KTRACE_NAME_LEN + 1];
	uint32_t mode;			/* enum ktrace_uapi_session_mode */
	uint32_t state;			/* enum ktrace_uapi_session_state */
	int started_once;
	uint64_t snapshot_count;
	size_t nr_channels;
	struct ktnl_channel *channels;	/* malloc()ed */
	/* ABI 3, streaming: the consumer (normal sessions) */
	uint32_t consumer_pid;		/* 0: none attached */
	uint64_t consumer_bytes;
	uint64_t consumer_packets;
	uint32_t consumer_error;	/* errno, 0: none */
	uint64_t consumer_synced;
	uint64_t consumer_lag;
	uint64_t consumer_read;	/* events read since it attached */
	uint64_t stop_seq;
};

/* What a channel is created with; zero fields take the kernel's default. */
struct ktnl_channel_attr {
	const char *name;
	uint32_t mode;
	uint64_t subbuf_size;
	uint32_t num_subbuf;
	uint32_t switch_timer_us;
	uint32_t output;
	uint32_t read_timer_us;
	uint64_t tracefile_size;
	uint32_t tracefile_count;
};

struct ktnl_event {
	uint32_t id;
	char name[KTRACE_NAME_LEN + 1];
	int enabled;
};

struct ktnl_output {
	uint32_t id;
	char name[KTRACE_NAME_LEN + 1];
	char dest[KTRACE_DEST_LEN + 1];
	uint64_t max_size;
};

struct ktnl_field {
	char name[KTRACE_NAME_LEN + 1];
	uint32_t type;			/* enum ktrace_uapi_field_type */
	uint32_t size;
	int is_signed;
	uint32_t length;
};

struct ktnl_tracepoint {
	char name[KTRACE_NAME_LEN + 1];
	int available;
	size_t nr_fields;
	struct ktnl_field *fields;	/* malloc()ed */
};

/* A notification from the "sessions" group. */
struct ktnl_notification {
	uint8_t cmd;			/* KTRACE_CMD_NTF_SESSION_* */
	uint32_t session_id;
	char session[KTRACE_NAME_LEN + 1];
};

/* Connection */
int ktnl_open(struct ktnl *nl);
void ktnl_close(struct ktnl *nl);
const char *ktnl_errmsg(const struct ktnl *nl);
int ktnl_err_attr(const struct ktnl *nl);

/*
 * One reply message: @tb indexes its attributes (the last of each type),
 * @attrs and @len are all of them, for repeated ones such as the channel
 * nests of a session.
 */
struct ktnl_reply {
	struct nlattr **tb;
	struct nlattr *attrs;
	int len;
};

/* Any request: @fn is called for every reply message. */
typedef int (*ktnl_reply_fn)(const struct ktnl_reply *reply, void *arg);
struct nl_msg *ktnl_request(struct ktnl *nl, uint8_t cmd, int dump);
int ktnl_transact(struct ktnl *nl, struct nl_msg *msg, ktnl_reply_fn fn,
		  void *arg);

/* Sessions */
int ktnl_session_new(struct ktnl *nl, const char *name, uint32_t mode,
		     uint32_t *id);
int ktnl_session_del(struct ktnl *nl, const char *session);
int ktnl_session_get(struct ktnl *nl, const char *session,
		     struct ktnl_session *out);
int ktnl_session_list(struct ktnl *nl, struct ktnl_session **out,
		      size_t *count);
void ktnl_session_free(struct ktnl_session *sessions, size_t count);
int ktnl_start(struct ktnl *nl, const char *session);
int ktnl_stop(struct ktnl *nl, const char *session);
int ktnl_snapshot_bump(struct ktnl *nl, const char *session,
		       uint64_t *count);

/* Channels, events, contexts */
int ktnl_channel_new(struct ktnl *nl, const char *session,
		     const struct ktnl_channel_attr *attr, uint32_t *id);
int ktnl_channel_list(struct ktnl *nl, const char *session,
		      struct ktnl_channel **out, size_t *count);
int ktnl_event_enable(struct ktnl *nl, const char *session,
		      const char *channel, const char *pattern,
		      uint32_t *count);
int ktnl_event_disable(struct ktnl *nl, const char *session,
		       const char *channel, const char *pattern,
		       uint32_t *count);
int ktnl_event_list(struct ktnl *nl, const char *session,
		    const char *channel, struct ktnl_event **out,
		    size_t *count);
int ktnl_context_add(struct ktnl *nl, const char *session,
		     const char *channel, uint32_t type);
int ktnl_tracepoint_list(struct ktnl *nl, struct ktnl_tracepoint **out,
			 size_t *count);
int ktnl_syscall_list(struct ktnl *nl, struct ktnl_tracepoint **out,
		      size_t *count);
void ktnl_tracepoint_free(struct ktnl_tracepoint *tps, size_t count);
int ktnl_regenerate_statedump(struct ktnl *nl, const char *session);

/* Snapshot outputs */
int ktnl_output_add(struct ktnl *nl, const char *session, const char *name,
		    const char *dest, uint64_t max_size, uint32_t *id);
int ktnl_output_del(struct ktnl *nl, const char *session, const char *name);
int ktnl_output_list(struct ktnl *nl, const char *session,
		     struct ktnl_output **out, size_t *count);

/* Streaming (ABI 3, nl_stream.c) */
int ktnl_stop_seq(struct ktnl *nl, const char *session, uint64_t *stop_seq);
int ktnl_session_clear(struct ktnl *nl, const char *session);
int ktnl_channel_set_enabled(struct ktnl *nl, const char *session,
			     const char *channel, int enable);

/* Test events */
int ktnl_test_fire(struct ktnl *nl, uint64_t seq, uint32_t count,
		   uint64_t payload);

/*
 * Notifications: on a connection of their own, since they arrive between
 * replies. ktnl_notification_next() waits up to @timeout_ms (-1: forever)
 * and returns 1 with @ntf filled, 0 on timeout, or a negative errno.
 */
int ktnl_subscribe(struct ktnl *nl);
int ktnl_notification_next(struct ktnl *nl, struct ktnl_notification *ntf,
			   int timeout_ms);

#endif /* KTRACECTL_NL_H */
