// SPDX-License-Identifier: GPL-2.0
/*
 * Event commands: enable-event, disable-event, list-events.
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

static int change_events(int argc, char **argv, int enable)
{
	const char *verb = enable ? "enabled" : "disabled";
	char session[KTRACE_NAME_LEN + 1];
	const char *channel, *pattern;
	struct cli_events a;
	struct ktnl nl;
	uint32_t count;
	size_t i, n;
	int ret;

	ret = cli_parse_events(argc, argv, &a);
	if (ret)
		return ret;
	ret = ktracectl_connect(&nl);
	if (ret)
		return ret;
	ret = ktracectl_session(&nl, a.session, session);
	if (ret)
		goto out_close;
	channel = a.channel ? a.channel : "channel0";
	n = a.all ? 1 : a.nr_names;
	/* In order; the first refusal stops, those before it stay changed. */
	for (i = 0; i < n; i++) {
		pattern = a.all ? "*" : a.names[i];
		ret = enable ?
			ktnl_event_enable(&nl, session, a.channel, pattern, &count) :
			ktnl_event_disable(&nl, session, a.channel, pattern, &count);
		if (ret) {
			ktracectl_nl_err(&nl, ret, "%s",
					 ktracectl_blamed(&nl, session, a.channel,
							  pattern));
			break;
		}
		if (a.all)
			printf("All kernel events %s in channel %s of session %s (%u events).\n",
			       verb, channel, session, count);
		else if (is_glob(pattern))
			printf("Kernel events matching '%s' %s in channel %s of session %s (%u events).\n",
			       pattern, verb, channel, session, count);
		else
			printf("Kernel event %s %s in channel %s of session %s.\n",
			       pattern, verb, channel, session);
	}
out_close:
	ktnl_close(&nl);
	return ret;
}

/* ktracectl enable-event [-s S] [-c CHAN] NAME[,NAME...] | -a */
int cmd_enable_event(int argc, char **argv)
{
	return change_events(argc, argv, 1);
}

/* ktracectl disable-event [-s S] [-c CHAN] NAME[,NAME...] | -a */
int cmd_disable_event(int argc, char **argv)
{
	return change_events(argc, argv, 0);
}

static void json_tracepoint(struct json *j, const struct ktnl_tracepoint *tp)
{
	const struct ktnl_field *f;
	size_t i;

	json_object_begin(j, NULL);
	json_string(j, "name", tp->name);
	json_bool(j, "available", tp->available);
	json_array_begin(j, "fields");
	for (i = 0; i < tp->nr_fields; i++) {
		f = &tp->fields[i];
		json_object_begin(j, NULL);
		json_string(j, "name", f->name);
		json_string(j, "type", cli_field_type_str(f->type));
		json_uint(j, "size", f->size);
		json_bool(j, "signed", f->is_signed);
		json_uint(j, "length", f->length);
		json_object_end(j);
	}
	json_array_end(j);
	json_object_end(j);
}

/* ktracectl list-events [--json] */
int cmd_list_events(int argc, char **argv)
{
	struct ktnl_tracepoint *tps;
	const struct ktnl_field *f;
	struct cli_list a;
	struct ktnl nl;
	struct json j;
	size_t n, i, k, avail = 0;
	char type[64];
	int ret;

	ret = cli_parse_list(argc, argv, 0, &a);
	if (ret)
		return ret;
	ret = ktracectl_connect(&nl);
	if (ret)
		return ret;
	ret = ktnl_tracepoint_list(&nl, &tps, &n);
	if (ret) {
		ktracectl_nl_err(&nl, ret, NULL);
		goto out_close;
	}
	if (a.json) {
		json_init(&j, stdout);
		json_object_begin(&j, NULL);
		json_array_begin(&j, "events");
		for (i = 0; i < n; i++)
			json_tracepoint(&j, &tps[i]);
		json_array_end(&j);
		json_object_end(&j);
	} else {
		for (i = 0; i < n; i++)
			avail += !!tps[i].available;
		printf("Kernel events (%zu, %zu available on this kernel):\n",
		       n, avail);
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
out_close:
	ktnl_close(&nl);
	return ret;
}
