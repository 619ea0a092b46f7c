// SPDX-License-Identifier: GPL-2.0
/*
 * Listing sessions: list, status. The JSON keys are documented in
 * README.md and only ever grow.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json.h"
#include "ktracectl.h"
#include "nl.h"

/* A session with what `list NAME` shows besides its channels. */
struct detail {
	struct ktnl_session *s;
	struct ktnl_event **events;	/* per channel */
	size_t *nr_events;
	struct ktnl_output *outputs;
	size_t nr_outputs;
};

struct totals {
	uint64_t streams;
	uint64_t discarded;
	uint64_t overwritten;
};

static struct totals session_totals(const struct ktnl_session *s)
{
	struct totals t = { 0 };
	size_t i;

	for (i = 0; i < s->nr_channels; i++) {
		t.streams += s->channels[i].streams;
		t.discarded += s->channels[i].discarded;
		t.overwritten += s->channels[i].overwritten;
	}
	return t;
}

static void detail_free(struct detail *d)
{
	size_t i;

	for (i = 0; d->events && i < d->s->nr_channels; i++)
		free(d->events[i]);
	free(d->events);
	free(d->nr_events);
	free(d->outputs);
}

static int detail_get(struct ktnl *nl, struct ktnl_session *s,
		      struct detail *d)
{
	size_t i;
	int ret;

	memset(d, 0, sizeof(*d));
	d->s = s;
	d->events = calloc(s->nr_channels + 1, sizeof(*d->events));
	d->nr_events = calloc(s->nr_channels + 1, sizeof(*d->nr_events));
	if (!d->events || !d->nr_events) {
		detail_free(d);
		return -ENOMEM;
	}
	for (i = 0; i < s->nr_channels; i++) {
		ret = ktnl_event_list(nl, s->name, s->channels[i].name,
				      &d->events[i], &d->nr_events[i]);
		if (ret)
			goto out_err;
	}
	ret = ktnl_output_list(nl, s->name, &d->outputs, &d->nr_outputs);
	if (ret)
		goto out_err;
	return 0;

out_err:
	ktracectl_nl_err(nl, ret, "%s", s->name);
	detail_free(d);
	return ret;
}

static void json_consumer(struct json *j, const struct ktnl_session *s)
{
	json_object_begin(j, "consumer");
	json_uint(j, "pid", s->consumer_pid);
	json_uint(j, "bytes", s->consumer_bytes);
	json_uint(j, "packets", s->consumer_packets);
	json_uint(j, "lag", s->consumer_lag);
	json_uint(j, "error", s->consumer_error);
	json_uint(j, "synced_stop_seq", s->consumer_synced);
	json_uint(j, "stop_seq", s->stop_seq);
	json_object_end(j);
}

static void json_session(struct json *j, const struct detail *d)
{
	const struct ktnl_session *s = d->s;
	struct totals t = session_totals(s);
	const struct ktnl_channel *c;
	const struct ktnl_event *e;
	size_t i, k;

	json_object_begin(j, NULL);
	json_string(j, "name", s->name);
	json_uint(j, "id", s->id);
	json_string(j, "mode", cli_session_mode_str(s->mode));
	json_string(j, "state", cli_session_state_str(s->state));
	json_uint(j, "snapshots", s->snapshot_count);
	json_uint(j, "streams", t.streams);
	json_uint(j, "discarded", t.discarded);
	json_uint(j, "overwritten", t.overwritten);
	if (s->mode == KTRACE_SESSION_MODE_NORMAL)
		json_consumer(j, s);
	json_array_begin(j, "channels");
	for (i = 0; i < s->nr_channels; i++) {
		c = &s->channels[i];
		json_object_begin(j, NULL);
		json_string(j, "name", c->name);
		json_uint(j, "id", c->id);
		json_string(j, "mode", cli_channel_mode_str(c->mode));
		json_uint(j, "subbuf_size", c->subbuf_size);
		json_uint(j, "num_subbuf", c->num_subbuf);
		json_uint(j, "switch_timer_us", c->switch_timer_us);
		json_string(j, "output", cli_channel_output_str(c->output));
		json_uint(j, "streams", c->streams);
		json_uint(j, "discarded", c->discarded);
		json_uint(j, "overwritten", c->overwritten);
		json_array_begin(j, "contexts");
		for (k = 0; k < c->nr_contexts; k++)
			json_string(j, NULL, cli_context_name(c->contexts[k]));
		json_array_end(j);
		json_bool(j, "enabled", c->enabled);
		json_uint(j, "read_timer_us", c->read_timer_us);
		json_uint(j, "tracefile_size", c->tracefile_size);
		json_uint(j, "tracefile_count", c->tracefile_count);
		if (d->events) {
			json_array_begin(j, "events");
			for (k = 0; k < d->nr_events[i]; k++) {
				e = &d->events[i][k];
				json_object_begin(j, NULL);
				json_string(j, "name", e->name);
				json_uint(j, "id", e->id);
				json_bool(j, "enabled", e->enabled);
				json_object_end(j);
			}
			json_array_end(j);
		}
		json_object_end(j);
	}
	json_array_end(j);
	if (d->events) {
		json_array_begin(j, "outputs");
		for (i = 0; i < d->nr_outputs; i++)
			ktracectl_json_output(j, &d->outputs[i]);
		json_array_end(j);
	}
	json_object_end(j);
}

/* A normal session's trace output and consumer (streaming, ABI 3). */
static void print_consumer(const struct detail *d)
{
	const struct ktnl_session *s = d->s;

	printf("Trace output: %s\n", d->nr_outputs ? d->outputs[0].dest :
	       "none (--no-output)");
	if (s->consumer_pid)
		printf("Consumer: pid %u, %llu bytes in %llu packets written, lag %llu bytes",
		       s->consumer_pid, (unsigned long long)s->consumer_bytes,
		       (unsigned long long)s->consumer_packets,
		       (unsigned long long)s->consumer_lag);
	else
		printf("Consumer: none (the last one wrote %llu bytes in %llu packets)",
		       (unsigned long long)s->consumer_bytes,
		       (unsigned long long)s->consumer_packets);
	if (s->consumer_error)
		printf(", error: %s: writing stopped",
		       strerror((int)s->consumer_error));
	printf("\n");
}

static void print_detail(const struct detail *d)
{
	const struct ktnl_session *s = d->s;
	const struct ktnl_channel *c;
	char desc[256];
	size_t i, k;

	printf("Session %s: %s mode, %s, %llu snapshot%s recorded\n", s->name,
	       cli_session_mode_str(s->mode), cli_session_state_str(s->state),
	       (unsigned long long)s->snapshot_count,
	       s->snapshot_count == 1 ? "" : "s");
	printf("Channels:%s\n", s->nr_channels ? "" : " none");
	for (i = 0; i < s->nr_channels; i++) {
		c = &s->channels[i];
		cli_format_channel(desc, sizeof(desc), c->mode, c->subbuf_size,
				   c->num_subbuf, c->output,
				   c->switch_timer_us);
		printf("  %s: %s%s\n", c->name, desc,
		       c->enabled ? "" : " [disabled]");
		printf("    streams: %u, discarded events: %llu, overwritten events: %llu\n",
		       c->streams, (unsigned long long)c->discarded,
		       (unsigned long long)c->overwritten);
		printf("    events:%s\n", d->nr_events[i] ? "" : " none");
		for (k = 0; k < d->nr_events[i]; k++)
			printf("      %s [%s]\n", d->events[i][k].name,
			       d->events[i][k].enabled ? "enabled" : "disabled");
	}
	if (s->mode == KTRACE_SESSION_MODE_NORMAL) {
		print_consumer(d);
		return;
	}
	printf("Snapshot outputs:%s\n", d->nr_outputs ? "" : " none");
	for (i = 0; i < d->nr_outputs; i++)
		ktracectl_print_output("  ", &d->outputs[i]);
}

/* The sessions in detail: list NAME, status. */
static int show_details(struct ktnl *nl, struct ktnl_session *s, size_t n,
			int json)
{
	struct detail *d;
	struct json j;
	size_t i, got;
	int ret = 0;

	d = calloc(n ? n : 1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	for (got = 0; got < n && !ret; got++)
		ret = detail_get(nl, &s[got], &d[got]);
	if (ret) {
		got--;		/* the one that failed freed itself */
		goto out_free;
	}
	if (json) {
		json_init(&j, stdout);
		json_object_begin(&j, NULL);
		json_array_begin(&j, "sessions");
		for (i = 0; i < n; i++)
			json_session(&j, &d[i]);
		json_array_end(&j);
		json_object_end(&j);
	} else if (!n) {
		printf("No sessions.\n");
	} else {
		for (i = 0; i < n; i++) {
			if (i)
				printf("\n");
			print_detail(&d[i]);
		}
	}
out_free:
	for (i = 0; i < got; i++)
		detail_free(&d[i]);
	free(d);
	return ret;
}

static void print_summary(const struct ktnl_session *s, size_t n)
{
	size_t i, w = strlen("NAME");
	struct totals t;

	if (!n) {
		printf("No sessions.\n");
		return;
	}
	for (i = 0; i < n; i++)
		if (strlen(s[i].name) > w)
			w = strlen(s[i].name);
	printf("%-*s  %-8s  %-13s  %8s  %7s  %9s  %11s  %9s\n", (int)w, "NAME",
	       "MODE", "STATE", "CHANNELS", "STREAMS", "DISCARDED",
	       "OVERWRITTEN", "SNAPSHOTS");
	for (i = 0; i < n; i++) {
		t = session_totals(&s[i]);
		printf("%-*s  %-8s  %-13s  %8zu  %7llu  %9llu  %11llu  %9llu\n",
		       (int)w, s[i].name, cli_session_mode_str(s[i].mode),
		       cli_session_state_str(s[i].state), s[i].nr_channels,
		       (unsigned long long)t.streams,
		       (unsigned long long)t.discarded,
		       (unsigned long long)t.overwritten,
		       (unsigned long long)s[i].snapshot_count);
	}
}

/* ktracectl list [NAME] [-k] [--syscall] [--json] */
int cmd_list(struct ktracectl_ctx *ctx)
{
	const struct cli_list *a = ctx->args;
	struct ktnl_session *sessions, one;
	struct detail d;
	struct json j;
	size_t n, i;
	int ret;

	/* lttng list -k [--syscall]: the kernel's events, not the sessions. */
	if (!a->session && (a->kernel || a->syscall))
		return cmd_list_events(ctx);

	if (a->session) {
		ret = ktnl_session_get(ctx->nl, a->session, &one);
		if (ret)
			return ktracectl_nl_err(ctx->nl, ret, "%s", a->session);
		ret = show_details(ctx->nl, &one, 1, a->json);
		free(one.channels);
		return ret;
	}
	ret = ktnl_session_list(ctx->nl, &sessions, &n);
	if (ret)
		return ktracectl_nl_err(ctx->nl, ret, NULL);
	if (a->json) {
		/* The summary: channels without their events, no outputs. */
		json_init(&j, stdout);
		json_object_begin(&j, NULL);
		json_array_begin(&j, "sessions");
		for (i = 0; i < n; i++) {
			memset(&d, 0, sizeof(d));
			d.s = &sessions[i];
			json_session(&j, &d);
		}
		json_array_end(&j);
		json_object_end(&j);
	} else {
		print_summary(sessions, n);
	}
	ktnl_session_free(sessions, n);
	return 0;
}

/* ktracectl status [--json] */
int cmd_status(struct ktracectl_ctx *ctx)
{
	const struct cli_list *a = ctx->args;
	struct ktnl_session *sessions;
	size_t n;
	int ret;

	ret = ktnl_session_list(ctx->nl, &sessions, &n);
	if (ret)
		return ktracectl_nl_err(ctx->nl, ret, NULL);
	ret = show_details(ctx->nl, sessions, n, a->json);
	ktnl_session_free(sessions, n);
	return ret;
}
