// SPDX-License-Identifier: GPL-2.0
/*
 * Session commands: create, destroy, start, stop, clear.
 *
 * A normal session records to disk (docs/DESIGN.md, "Recording to disk"):
 * create gives it its trace output (-o PATH, else
 * $HOME/ktrace-traces/<name>-<YYYYmmdd-HHMMSS>, or none with --no-output),
 * start launches its consumer (consumer_start.c), stop waits until the
 * consumer has written and synced everything up to the stop, destroy
 * stops it that way when it is active, then ends the consumer.
 */
#include <errno.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "consumer.h"
#include "consumer_path.h"
#include "ktracectl.h"
#include "nl.h"
#include "snapshot_path.h"

/* $HOME, else the user's home directory in the password database. */
static const char *home_dir(void)
{
	const char *home = getenv("HOME");
	struct passwd *pw;

	if (home && home[0] == '/')
		return home;
	pw = getpwuid(getuid());
	return pw && pw->pw_dir && pw->pw_dir[0] == '/' ? pw->pw_dir : NULL;
}

/* The trace output of a normal session created without -o. */
static int default_output(const char *name, const struct tm *tm, char *buf,
			  size_t len)
{
	const char *why = NULL;
	int ret;

	ret = snapshot_path_default_dest(buf, len, home_dir(), name, tm, &why);
	if (ret)
		ktracectl_set_err("no default trace output (%s): give -o PATH, or --no-output",
				  why ? why : strerror(-ret));
	return ret;
}

/* ktracectl create [NAME] [--snapshot] [-o PATH | --no-output] */
int cmd_create(struct ktracectl_ctx *ctx)
{
	const struct cli_create *a = ctx->args;
	char name[KTRACE_NAME_LEN + 1], dflt[KTRACE_DEST_LEN + 1];
	const char *output = a->output;
	struct ktnl_output out;
	time_t now = time(NULL);
	struct tm tm;
	int ret;

	if (!localtime_r(&now, &tm)) {
		ktracectl_set_err("cannot read the local time");
		return -EINVAL;
	}
	if (a->name)
		snprintf(name, sizeof(name), "%s", a->name);
	else if (consumer_auto_name(name, sizeof(name), &tm))
		return -EINVAL;
	/* A normal session records to disk unless told not to. */
	if (!output && !a->snapshot && !a->no_output) {
		ret = default_output(name, &tm, dflt, sizeof(dflt));
		if (ret)
			return ret;
		output = dflt;
	}
	ret = ktnl_session_new(ctx->nl, name, a->snapshot ?
			       KTRACE_SESSION_MODE_SNAPSHOT :
			       KTRACE_SESSION_MODE_NORMAL, NULL);
	if (ret)
		return ktracectl_nl_err(ctx->nl, ret, "%s", name);
	if (output) {
		ret = ktracectl_add_output(ctx->nl, name, NULL, output, 0, &out);
		if (ret) {
			/* All or nothing: the reason is set already. */
			ktnl_session_del(ctx->nl, name);
			return ret;
		}
	}
	printf("Session %s created (%s mode).\n", name,
	       a->snapshot ? "snapshot" : "normal");
	if (output && a->snapshot)
		ktracectl_print_output("Snapshot output ", &out);
	else if (output)
		printf("Traces will be written in %s\n", out.dest);
	else if (!a->snapshot)
		printf("No output: the trace stays in the session's buffers (--no-output).\n");
	return 0;
}

/*
 * Stops @s if it is active; for a normal session with a consumer, waits
 * until it has written everything and prints what it wrote.
 */
static int stop_session(struct ktnl *nl, const struct ktnl_session *s,
			bool quiet_inactive)
{
	char dest[KTRACE_DEST_LEN + 1];
	bool streaming;
	uint64_t seq;
	int ret;

	if (s->state != KTRACE_SESSION_STATE_ACTIVE && quiet_inactive)
		return 0;
	streaming = s->mode == KTRACE_SESSION_MODE_NORMAL &&
		    !consumer_trace_output(nl, s->name, dest, sizeof(dest));
	ret = ktnl_stop_seq(nl, s->name, &seq);
	if (ret)
		return ktracectl_nl_err(nl, ret, "%s", s->name);
	printf("Tracing stopped for session %s.\n", s->name);
	if (!streaming)
		return 0;
	return consumer_wait_stop(nl, s->name, seq, s->consumer_pid != 0);
}

/* Stops (waiting for the consumer), ends the consumer, destroys. */
static int destroy_one(struct ktnl *nl, const char *name)
{
	struct ktnl_session s;
	int ret, stopped;

	ret = ktnl_session_get(nl, name, &s);
	if (ret)
		return ktracectl_nl_err(nl, ret, "%s", name);
	stopped = stop_session(nl, &s, true);
	free(s.channels);
	if (s.mode == KTRACE_SESSION_MODE_NORMAL) {
		ret = consumer_end(nl, name);
		if (ret)
			return ret;
	}
	ret = ktnl_session_del(nl, name);
	if (ret)
		return ktracectl_nl_err(nl, ret, "%s", name);
	printf("Session %s destroyed.\n", name);
	return stopped;
}

static int destroy_all(struct ktnl *nl)
{
	struct ktnl_session *sessions;
	size_t n, i;
	int ret, first = 0;

	ret = ktnl_session_list(nl, &sessions, &n);
	if (ret)
		return ktracectl_nl_err(nl, ret, NULL);
	if (!n)
		printf("No sessions to destroy.\n");
	/* Every session it can: the first failure is the one reported. */
	for (i = 0; i < n; i++) {
		ret = destroy_one(nl, sessions[i].name);
		if (ret && !first)
			first = ret;
	}
	ktnl_session_free(sessions, n);
	return first;
}

/* ktracectl destroy [NAME | --all]: the session only without --all. */
int cmd_destroy(struct ktracectl_ctx *ctx)
{
	const struct cli_session_arg *a = ctx->args;
	char name[KTRACE_NAME_LEN + 1];
	int ret;

	if (a->all)
		return destroy_all(ctx->nl);
	ret = ktracectl_session(ctx->nl, a->session, name);
	if (ret)
		return ret;
	return destroy_one(ctx->nl, name);
}

/* The events enabled in @s, over all its channels. */
static size_t enabled_events(struct ktnl *nl, const struct ktnl_session *s)
{
	struct ktnl_event *ev;
	size_t i, k, n, total = 0;

	for (i = 0; i < s->nr_channels; i++) {
		if (ktnl_event_list(nl, s->name, s->channels[i].name, &ev, &n))
			continue;
		for (k = 0; k < n; k++)
			total += ev[k].enabled != 0;
		free(ev);
	}
	return total;
}

/*
 * A normal session with an output: a consumer, launched before the start
 * so that it holds every stream when the first event comes.
 */
static int start_streaming(struct ktnl *nl, const char *session,
			   const char *dest, pid_t *pid)
{
	struct ktnl_channel_attr dflt = { .name = "channel0" };
	struct ktnl_session s;
	int ret;

	ret = ktnl_session_get(nl, session, &s);
	if (ret)
		return ktracectl_nl_err(nl, ret, "%s", session);
	if (s.state == KTRACE_SESSION_STATE_ACTIVE) {
		free(s.channels);
		ktracectl_set_err("%s: session is already active%s", session,
				  s.consumer_pid ? " (its consumer is running)" :
				  "");
		return -EALREADY;
	}
	if (!s.nr_channels) {
		/* As the kernel's start would: channel0, now. */
		free(s.channels);
		ret = ktnl_channel_new(nl, session, &dflt, NULL);
		if (ret)
			return ktracectl_nl_err(nl, ret, "%s", session);
		ret = ktnl_session_get(nl, session, &s);
		if (ret)
			return ktracectl_nl_err(nl, ret, "%s", session);
	}
	if (!enabled_events(nl, &s)) {
		free(s.channels);
		ktracectl_set_err("session %s has no enabled event, so its trace would be empty: enable some first (ktracectl enable-event -s %s NAME)",
				  session, session);
		return -ENODATA;
	}
	/* A consumer from before the stop: replaced, as channels may be new. */
	if (s.consumer_pid) {
		ret = consumer_end(nl, session);
		if (!ret) {
			free(s.channels);
			ret = ktnl_session_get(nl, session, &s);
			if (ret)
				return ktracectl_nl_err(nl, ret, "%s", session);
		}
	}
	if (!ret)
		ret = consumer_launch(nl, &s, dest, pid);
	free(s.channels);
	return ret;
}

/* ktracectl start [NAME] */
int cmd_start(struct ktracectl_ctx *ctx)
{
	char dest[KTRACE_DEST_LEN + 1];
	struct ktnl_session s;
	bool streaming;
	pid_t pid = 0;
	int ret;

	ret = ktnl_session_get(ctx->nl, ctx->session, &s);
	if (ret)
		return ktracectl_nl_err(ctx->nl, ret, "%s", ctx->session);
	free(s.channels);
	streaming = s.mode == KTRACE_SESSION_MODE_NORMAL &&
		    !consumer_trace_output(ctx->nl, ctx->session, dest,
					   sizeof(dest));
	if (streaming) {
		ret = start_streaming(ctx->nl, ctx->session, dest, &pid);
		if (ret)
			return ret;
	}
	ret = ktnl_start(ctx->nl, ctx->session);
	if (ret) {
		ret = ktracectl_nl_err(ctx->nl, ret, "%s", ctx->session);
		if (streaming)
			consumer_end(ctx->nl, ctx->session);
		return ret;
	}
	printf("Tracing started for session %s.\n", ctx->session);
	if (streaming)
		printf("Consumer %d writes the trace to %s\n", (int)pid, dest);
	else if (s.mode == KTRACE_SESSION_MODE_NORMAL)
		printf("The session has no output: events stay in its buffers.\n");
	return 0;
}

/* ktracectl stop [NAME] */
int cmd_stop(struct ktracectl_ctx *ctx)
{
	struct ktnl_session s;
	int ret;

	ret = ktnl_session_get(ctx->nl, ctx->session, &s);
	if (ret)
		return ktracectl_nl_err(ctx->nl, ret, "%s", ctx->session);
	ret = stop_session(ctx->nl, &s, false);
	free(s.channels);
	return ret;
}

/* ktracectl clear [NAME] */
int cmd_clear(struct ktracectl_ctx *ctx)
{
	int ret;

	ret = ktnl_session_clear(ctx->nl, ctx->session);
	if (ret)
		return ktracectl_nl_err(ctx->nl, ret, "%s", ctx->session);
	printf("Session %s cleared: what its buffers held was discarded.\n",
	       ctx->session);
	return 0;
}
