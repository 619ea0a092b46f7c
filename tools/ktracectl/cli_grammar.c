// SPDX-License-Identifier: GPL-2.0
/*
 * The grammar of every ktracectl command (cli.h): its options, where each
 * value goes, its positional argument, and the checks that need the whole
 * command line. cli_parse() (cli.c) reads them; main.c's command table
 * names them.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cli.h"
#include "ktracectl.h"
#include "snapshot_path.h"

#define EVENT_RULE	"1 to 64 characters from A-Z a-z 0-9 _ and the globs * ?"
/* --syscall NAME is the event syscall_entry_NAME: 64 characters at most. */
#define SYSCALL_PREFIX	"syscall_entry_"
#define SYSCALL_RULE	"1 to 50 characters from A-Z a-z 0-9 _ and the globs * ?"

/* Splits NAME[,NAME...] in place into @out->names. */
static int split_events(char *list, struct cli_events *out)
{
	char *p = list, *comma;
	size_t len = strlen(list);

	if (!len || list[0] == ',' || list[len - 1] == ',' ||
	    strstr(list, ",,")) {
		ktracectl_usage_err("empty event name in '%s'", list);
		return -EINVAL;
	}
	for (;;) {
		comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		if (out->syscall && (!cli_event_valid(p) ||
				     strlen(p) > KTRACE_NAME_LEN -
						 strlen(SYSCALL_PREFIX))) {
			ktracectl_usage_err("invalid system call name '%s': use "
					    SYSCALL_RULE, p);
			if (comma)
				*comma = ',';
			return -EINVAL;
		}
		if (!cli_event_valid(p)) {
			ktracectl_usage_err("invalid event name '%s': use " EVENT_RULE,
					    p);
			if (comma)
				*comma = ',';
			return -EINVAL;
		}
		if (out->nr_names == CLI_MAX_EVENTS) {
			ktracectl_usage_err("too many event names (at most %d at once)",
					    CLI_MAX_EVENTS);
			return -EINVAL;
		}
		out->names[out->nr_names++] = p;
		if (!comma)
			return 0;
		p = comma + 1;
	}
}

/* The grammars */

#define FIELD(st, f)	.offset = offsetof(struct st, f)
#define OPT_SESSION(st)	{ "session", 's', CLI_NAME, FIELD(st, session), "session" }
#define OPT_CHANNEL(st)	{ "channel", 'c', CLI_NAME, FIELD(st, channel), "channel" }
#define OPT_JSON(st)	{ "json", 0, CLI_FLAG, FIELD(st, json) }
#define OPT_MAX_SIZE(st) { "max-size", 'm', CLI_SIZE, FIELD(st, max_size) }
#define OPT_NAME(st)	{ "name", 'n', CLI_NAME, FIELD(st, name), "output" }
/* lttng's domain flag: the kernel, the only domain here; accepted, ignored. */
#define OPT_KERNEL(st)	{ "kernel", 'k', CLI_FLAG, FIELD(st, kernel) }
#define OPT_END		{ NULL }
/* NAME, which may also be given as -s NAME. */
#define ARG_SESSION(st)	{ CLI_NAME, FIELD(st, session), "session", NULL }

int cli_trace_dest_check(const char *dest)
{
	/* A path, file:// or net://HOST[:PORT] (streamed to ktrace-relayd). */
	return cli_dest_check(dest, "output path");
}

static int check_create(void *out)
{
	const struct cli_create *a = out;

	if (a->output && a->no_output) {
		ktracectl_usage_err("give -o PATH or --no-output, not both");
		return -EINVAL;
	}
	if (a->output && !a->snapshot)
		return cli_trace_dest_check(a->output);
	return a->output ? cli_dest_check(a->output, "output path") : 0;
}

const struct cli_grammar cli_create_grammar = {
	.size = sizeof(struct cli_create),
	.opts = (const struct cli_opt[]) {
		{ "snapshot", 0, CLI_FLAG, FIELD(cli_create, snapshot) },
		{ "output", 'o', CLI_STRING, FIELD(cli_create, output) },
		{ "no-output", 0, CLI_FLAG, FIELD(cli_create, no_output) },
		OPT_END
	},
	.arg = { CLI_NAME, FIELD(cli_create, name), "session", NULL },
	.check = check_create,
};

static int check_destroy(void *out)
{
	const struct cli_session_arg *a = out;

	if (a->all && a->session) {
		ktracectl_usage_err("give a session name or --all, not both");
		return -EINVAL;
	}
	return 0;
}

const struct cli_grammar cli_destroy_grammar = {
	.size = sizeof(struct cli_session_arg),
	.opts = (const struct cli_opt[]) {
		OPT_SESSION(cli_session_arg),
		{ "all", 'a', CLI_FLAG, FIELD(cli_session_arg, all) },
		OPT_END
	},
	.arg = ARG_SESSION(cli_session_arg),
	.check = check_destroy,
};

const struct cli_grammar cli_start_grammar = {
	.size = sizeof(struct cli_session_arg),
	.opts = (const struct cli_opt[]) {
		OPT_SESSION(cli_session_arg), OPT_END
	},
	.arg = ARG_SESSION(cli_session_arg),
};

static int check_list(void *out)
{
	const struct cli_list *a = out;

	if (a->session && a->syscall) {
		ktracectl_usage_err("--syscall lists the system call events, of no session: give no session name");
		return -EINVAL;
	}
	return 0;
}

const struct cli_grammar cli_list_grammar = {
	.size = sizeof(struct cli_list),
	.opts = (const struct cli_opt[]) {
		OPT_SESSION(cli_list), OPT_JSON(cli_list), OPT_KERNEL(cli_list),
		{ "syscall", 0, CLI_FLAG, FIELD(cli_list, syscall) },
		OPT_END
	},
	.arg = ARG_SESSION(cli_list),
	.check = check_list,
};

const struct cli_grammar cli_json_grammar = {
	.size = sizeof(struct cli_list),
	.opts = (const struct cli_opt[]) { OPT_JSON(cli_list), OPT_END },
};

/* disable-channel [-s S] NAME */
const struct cli_grammar cli_channel_name_grammar = {
	.size = sizeof(struct cli_channel),
	.opts = (const struct cli_opt[]) { OPT_SESSION(cli_channel), OPT_END },
	.arg = { CLI_NAME, FIELD(cli_channel, name), "channel",
		 "missing channel name" },
};

const struct cli_grammar cli_none_grammar = {
	.opts = (const struct cli_opt[]) { OPT_END },
};

static const struct cli_word channel_outputs[] = {
	{ "splice", KTRACE_CHANNEL_SPLICE },
	{ "mmap", KTRACE_CHANNEL_MMAP },
	{ NULL }
};

static int check_channel(void *out)
{
	const struct cli_channel *a = out;

	if (a->tracefile_count && !a->tracefile_size) {
		ktracectl_usage_err("--tracefile-count needs --tracefile-size");
		return -EINVAL;
	}
	if (a->tracefile_size && a->subbuf_size &&
	    a->tracefile_size < a->subbuf_size) {
		ktracectl_usage_err("--tracefile-size must be at least the sub-buffer size");
		return -EINVAL;
	}
	return 0;
}

const struct cli_grammar cli_channel_grammar = {
	.size = sizeof(struct cli_channel),
	.opts = (const struct cli_opt[]) {
		OPT_SESSION(cli_channel),
		{ "overwrite", 0, CLI_SET, FIELD(cli_channel, mode), NULL,
		  KTRACE_CHANNEL_OVERWRITE },
		{ "discard", 0, CLI_SET, FIELD(cli_channel, mode), NULL,
		  KTRACE_CHANNEL_DISCARD },
		{ "subbuf-size", 0, CLI_SUBBUF_SIZE, FIELD(cli_channel, subbuf_size) },
		{ "num-subbuf", 0, CLI_NUM_SUBBUF, FIELD(cli_channel, num_subbuf) },
		{ "switch-timer", 0, CLI_USEC, FIELD(cli_channel, switch_timer_us) },
		{ "output", 0, CLI_WORD, FIELD(cli_channel, output),
		  .words = channel_outputs },
		OPT_KERNEL(cli_channel),
		{ "read-timer", 0, CLI_USEC, FIELD(cli_channel, read_timer_us) },
		{ "tracefile-size", 0, CLI_SIZE,
		  FIELD(cli_channel, tracefile_size) },
		{ "tracefile-count", 0, CLI_COUNT,
		  FIELD(cli_channel, tracefile_count) },
		OPT_END
	},
	.arg = { CLI_NAME, FIELD(cli_channel, name), "channel",
		 "missing channel name" },
	.check = check_channel,
};

static int check_events(void *out)
{
	struct cli_events *a = out;

	if (a->list && a->all) {
		ktracectl_usage_err("give event names or -a, not both");
		return -EINVAL;
	}
	if (!a->list && !a->all) {
		ktracectl_usage_err(a->syscall ?
				    "missing system call names (NAME[,NAME...]) or -a" :
				    "missing event names (NAME[,NAME...]) or -a");
		return -EINVAL;
	}
	return a->list ? split_events(a->list, a) : 0;
}

const struct cli_grammar cli_events_grammar = {
	.size = sizeof(struct cli_events),
	.opts = (const struct cli_opt[]) {
		OPT_SESSION(cli_events), OPT_CHANNEL(cli_events),
		{ "all", 'a', CLI_FLAG, FIELD(cli_events, all) },
		OPT_KERNEL(cli_events),
		{ "syscall", 0, CLI_FLAG, FIELD(cli_events, syscall) },
		OPT_END
	},
	.arg = { CLI_STRING, FIELD(cli_events, list) },
	.check = check_events,
};

static int check_context(void *out)
{
	const struct cli_context *a = out;

	if (!a->types.nr) {
		ktracectl_usage_err("missing context type: give -t TYPE");
		return -EINVAL;
	}
	return 0;
}

const struct cli_grammar cli_context_grammar = {
	.size = sizeof(struct cli_context),
	.opts = (const struct cli_opt[]) {
		OPT_SESSION(cli_context), OPT_CHANNEL(cli_context),
		{ "type", 't', CLI_CONTEXT_TYPE, FIELD(cli_context, types) },
		OPT_KERNEL(cli_context),
		OPT_END
	},
	.check = check_context,
};

static int check_output_add(void *out)
{
	const struct cli_output_add *a = out;

	return cli_dest_check(a->dest, "output path");
}

const struct cli_grammar cli_output_add_grammar = {
	.size = sizeof(struct cli_output_add),
	.opts = (const struct cli_opt[]) {
		OPT_SESSION(cli_output_add), OPT_MAX_SIZE(cli_output_add),
		OPT_NAME(cli_output_add), OPT_END
	},
	.arg = { CLI_STRING, FIELD(cli_output_add, dest), NULL,
		 "missing output path (PATH, file://PATH or net://HOST[:PORT])" },
	.check = check_output_add,
};

/* A number is an id first (ids start at 1); anything else a name. */
static int check_output_del(void *out)
{
	struct cli_output_del *a = out;
	const char *end = a->output;
	uint64_t id;

	if (!ktracectl_parse_digits(&end, UINT32_MAX, &id) && !*end && id) {
		a->is_id = 1;
		a->id = (uint32_t)id;
		return 0;
	}
	if (!cli_name_valid(a->output)) {
		ktracectl_usage_err("invalid output id or name '%s'", a->output);
		return -EINVAL;
	}
	return 0;
}

const struct cli_grammar cli_output_del_grammar = {
	.size = sizeof(struct cli_output_del),
	.opts = (const struct cli_opt[]) {
		OPT_SESSION(cli_output_del), OPT_END
	},
	.arg = { CLI_STRING, FIELD(cli_output_del, output), NULL,
		 "missing output id or name" },
	.check = check_output_del,
};

const struct cli_grammar cli_output_list_grammar = {
	.size = sizeof(struct cli_output_list),
	.opts = (const struct cli_opt[]) {
		OPT_SESSION(cli_output_list), OPT_JSON(cli_output_list), OPT_END
	},
};

static const struct cli_word policies[] = {
	{ "equal", CLI_POLICY_EQUAL },
	{ "window", CLI_POLICY_WINDOW },
	{ NULL }
};

static int check_record(void *out)
{
	const struct cli_record *a = out;

	return a->path ? cli_dest_check(a->path, "snapshot path") : 0;
}

const struct cli_grammar cli_record_grammar = {
	.size = sizeof(struct cli_record),
	.opts = (const struct cli_opt[]) {
		OPT_SESSION(cli_record), OPT_JSON(cli_record),
		OPT_MAX_SIZE(cli_record), OPT_NAME(cli_record),
		{ "policy", 0, CLI_WORD, FIELD(cli_record, policy),
		  .words = policies },
		{ "no-statedump", 0, CLI_FLAG, FIELD(cli_record, no_statedump) },
		OPT_END
	},
	.arg = { CLI_STRING, FIELD(cli_record, path) },
	.check = check_record,
};

/* save and load (save.c, load.c) */

const struct cli_grammar cli_save_grammar = {
	.size = sizeof(struct cli_save),
	.opts = (const struct cli_opt[]) {
		OPT_SESSION(cli_save),
		{ "output", 'o', CLI_STRING, FIELD(cli_save, output) },
		OPT_END
	},
	.arg = ARG_SESSION(cli_save),
};

const struct cli_grammar cli_load_grammar = {
	.size = sizeof(struct cli_load),
	.opts = (const struct cli_opt[]) {
		{ "override-name", 0, CLI_NAME, FIELD(cli_load, name), "session" },
		OPT_END
	},
	.arg = { CLI_STRING, FIELD(cli_load, file), NULL,
		 "missing session file" },
};

/* list-events [-k] [--syscall] [--json] */
const struct cli_grammar cli_list_events_grammar = {
	.size = sizeof(struct cli_list),
	.opts = (const struct cli_opt[]) {
		OPT_JSON(cli_list), OPT_KERNEL(cli_list),
		{ "syscall", 0, CLI_FLAG, FIELD(cli_list, syscall) },
		OPT_END
	},
};

/* regenerate statedump [-s S] */
const struct cli_grammar cli_regenerate_grammar = {
	.size = sizeof(struct cli_session_arg),
	.opts = (const struct cli_opt[]) {
		OPT_SESSION(cli_session_arg), OPT_END
	},
};
