// SPDX-License-Identifier: GPL-2.0
/*
 * Event commands: enable-event, disable-event, list-events, and
 * regenerate statedump. With --syscall, a name is a system call: the
 * events syscall_entry_NAME and syscall_exit_NAME, as lttng's
 * `enable-event -k --syscall` means.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "json.h"
#include "ktracectl.h"
#include "nl.h"

static int is_glob(const char *name)
{
	return strpbrk(name, "*?") != NULL;
}

/* Enables or disables @pattern; prints what it did as lttng does. */
static int change_one(struct ktracectl_ctx *ctx, int enable,
		      const char *pattern, uint32_t *count)
{
	const struct cli_events *a = ctx->args;
	int ret;

	ret = (enable ? ktnl_event_enable : ktnl_event_disable)
		(ctx->nl, ctx->session, a->channel, pattern, count);
	if (ret)
		return ktracectl_nl_err(ctx->nl, ret, "%s",
					ktracectl_blamed(ctx->nl, ctx->session,
							 a->channel, pattern));
	return 0;
}

/*
 * --syscall NAME: the events syscall_entry_NAME and syscall_exit_NAME;
 * -a: every system call ("syscall_entry_*", "syscall_exit_*").
 */
static int change_syscall(struct ktracectl_ctx *ctx, int enable,
			  const char *name, const char *channel)
{
	const char *verb = enable ? "enabled" : "disabled";
	char entry[KTRACE_NAME_LEN + 1], exit[KTRACE_NAME_LEN + 1];
	uint32_t count;
	int ret;

	/* The grammar keeps NAME short enough for both. */
	snprintf(entry, sizeof(entry), "syscall_entry_%s", name);
	snprintf(exit, sizeof(exit), "syscall_exit_%s", name);
	ret = change_one(ctx, enable, entry, &count);
	if (!ret)
		ret = change_one(ctx, enable, exit, NULL);
	if (ret)
		return ret;
	if (!strcmp(name, "*"))
		printf("All kernel system calls %s in channel %s of session %s (%u system calls, entry and exit).\n",
		       verb, channel, ctx->session, count);
	else if (is_glob(name))
		printf("Kernel system calls matching '%s' %s in channel %s of session %s (%u system calls, entry and exit).\n",
		       name, verb, channel, ctx->session, count);
	else
		printf("Kernel system call %s %s in channel %s of session %s (entry and exit).\n",
		       name, verb, channel, ctx->session);
	return 0;
}

static int change_events(struct ktracectl_ctx *ctx, int enable)
{
	const char *verb = enable ? "enabled" : "disabled";
	const struct cli_events *a = ctx->args;
	const char *channel, *pattern;
	uint32_t count;
	size_t i, n;
	int ret;

	channel = a->channel ? a->channel : "channel0";
	n = a->all ? 1 : a->nr_names;
	/* In order; the first refusal stops, those before it stay changed. */
	for (i = 0; i < n; i++) {
		pattern = a->all ? "*" : a->names[i];
		if (a->syscall) {
			ret = change_syscall(ctx, enable, pattern, channel);
			if (ret)
				return ret;
			continue;
		}
		ret = change_one(ctx, enable, pattern, &count);
		if (ret)
			return ret;
		if (a->all)
			printf("All kernel events %s in channel %s of session %s (%u events).\n",
			       verb, channel, ctx->session, count);
		else if (is_glob(pattern))
			printf("Kernel events matching '%s' %s in channel %s of session %s (%u events).\n",
			       pattern, verb, channel, ctx->session, count);
		else
			printf("Kernel event %s %s in channel %s of session %s.\n",
			       pattern, verb, channel, ctx->session);
	}
	return 0;
}

/* ktracectl enable-event [-k] [-s S] [-c CHAN] [--syscall] NAME[,NAME...] | -a */
int cmd_enable_event(struct ktracectl_ctx *ctx)
{
	return change_events(ctx, 1);
}

/* ktracectl disable-event [-k] [-s S] [-c CHAN] [--syscall] NAME[,NAME...] | -a */
int cmd_disable_event(struct ktracectl_ctx *ctx)
{
	return change_events(ctx, 0);
}

static json_t *json_tracepoint(const struct ktnl_tracepoint *tp)
{
	const struct ktnl_field *f;
	json_t *o, *fields, *fo;
	size_t i;

	o = json_object();
	jout_str(o, "name", tp->name);
	jout_bool(o, "available", tp->available);
	fields = json_array();
	for (i = 0; i < tp->nr_fields; i++) {
		f = &tp->fields[i];
		fo = json_object();
		jout_str(fo, "name", f->name);
		jout_str(fo, "type", cli_field_type_str(f->type));
		jout_uint(fo, "size", f->size);
		jout_bool(fo, "signed", f->is_signed);
		jout_uint(fo, "length", f->length);
		jout_append(fields, fo);
	}
	jout_set(o, "fields", fields);
	return o;
}

/* ktracectl list-events [-k] [--syscall] [--json]; list -k */
int cmd_list_events(struct ktracectl_ctx *ctx)
{
	const struct cli_list *a = ctx->args;
	struct ktnl_tracepoint *tps;
	const struct ktnl_field *f;
	size_t n, i, k, avail = 0;
	json_t *root, *events;
	char type[64];
	int ret;

	ret = (a->syscall ? ktnl_syscall_list : ktnl_tracepoint_list)
		(ctx->nl, &tps, &n);
	if (ret)
		return ktracectl_nl_err(ctx->nl, ret, NULL);
	if (a->json) {
		events = json_array();
		for (i = 0; i < n; i++)
			jout_append(events, json_tracepoint(&tps[i]));
		root = json_object();
		jout_set(root, "events", events);
		ret = jout_print(stdout, root);
	} else {
		for (i = 0; i < n; i++)
			avail += !!tps[i].available;
		printf("Kernel %s (%zu, %zu available on this kernel):\n",
		       a->syscall ? "system call events" : "events", n, avail);
		for (i = 0; i < n; i++) {
			printf("  %s [%s]\n", tps[i].name,
			       tps[i].available ? "available" : "unavailable");
			for (k = 0; k < tps[i].nr_fields; k++) {
				f = &tps[i].fields[k];
				cli_format_field(type, sizeof(type), f->type,
						 f->size, f->is_signed,
						 f->length);
				printf("    %s: %s\n", f->name, type);
			}
		}
	}
	ktnl_tracepoint_free(tps, n);
	return ret;
}

/* ktracectl regenerate statedump [-s S] */
int cmd_regenerate_statedump(struct ktracectl_ctx *ctx)
{
	int ret = ktnl_regenerate_statedump(ctx->nl, ctx->session);

	if (ret)
		return ktracectl_nl_err(ctx->nl, ret, "%s", ctx->session);
	printf("State dump recorded in session %s.\n", ctx->session);
	return 0;
}
