/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The streaming consumer of a normal session (docs/DESIGN.md, "Recording
 * to disk"): a process of its own per session, forked by `ktracectl
 * start`, that writes every delivered packet of every stream to the
 * session's trace output.
 *
 *   consumer.c        the process: its fds, its files, its poll loop
 *   consumer_start.c  launching it, and waiting for it at a stop
 *   consumer_path.c   the pure helpers (consumer_path.h)
 */
#ifndef KTRACECTL_CONSUMER_H
#define KTRACECTL_CONSUMER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "nl.h"

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

/* What the consumer process is given. */
struct consumer_cfg {
	uint32_t session_id;
	char session[KTRACE_NAME_LEN + 1];
	char kdir[PATH_MAX];		/* <trace output>/kernel */
	char dest[PATH_MAX];		/* the trace output */
	bool net;			/* net://: streamed to ktrace-relayd */
	const struct ktnl_channel *channels;
	size_t nr_channels;
	bool append;			/* a consumer wrote here before */
};

/*
 * consumer.c: attaches as the session's consumer and opens everything;
 * on success writes 0 and its pid to @ready, else a negative errno and the
 * reason, then closes it. Returns the process's exit status.
 */
int consumer_main(const struct consumer_cfg *cfg, int ready);

/* consumer_start.c */

/*
 * Launches the consumer of normal session @sess, writing to @dest (its
 * trace output). Returns 0 with its pid, or a negative errno with the
 * reason set.
 */
int consumer_launch(struct ktnl *nl, const struct ktnl_session *sess,
		    const char *dest, pid_t *pid);

/* Whether a trace output is net://HOST[:PORT] (streamed to ktrace-relayd). */
bool consumer_dest_is_net(const char *dest);

/* The session's trace output, or -ENOENT when it has none. */
int consumer_trace_output(struct ktnl *nl, const char *session,
			  char *dest, size_t len);

/*
 * After a stop that gave @stop_seq: waits until the consumer has synced
 * it (or died, or failed, or @timeout_ms passed), then prints what was
 * written. Returns 0, or a negative errno with the reason set.
 */
int consumer_wait_stop(struct ktnl *nl, const char *session,
		       uint64_t stop_seq, bool had_consumer);

/* Ends the attached consumer of @session, if any: SIGTERM, then waits. */
int consumer_end(struct ktnl *nl, const char *session);

#endif /* KTRACECTL_CONSUMER_H */
