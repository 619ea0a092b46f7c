// SPDX-License-Identifier: GPL-2.0
/*
 * ktracectl's command-line grammar (tools/ktracectl/cli.c): every refusal
 * of every command, one row each with everything else valid, with its
 * exact message and its kind (usage error: exit 2); then what the parsers
 * make of valid command lines, session choice, destinations and the
 * formatting helpers.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "cli.h"
#include "ktracectl.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* What the parsers report, instead of main()'s printing. */
enum err_kind { ERR_NONE, ERR_FAIL, ERR_USAGE };

static char last_err[1024];
static enum err_kind last_kind;

void ktracectl_set_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_err, sizeof(last_err), fmt, ap);
	va_end(ap);
	last_kind = ERR_FAIL;
}

void ktracectl_usage_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_err, sizeof(last_err), fmt, ap);
	va_end(ap);
	last_kind = ERR_USAGE;
}

static void reset_err(void)
{
	last_err[0] = '\0';
	last_kind = ERR_NONE;
}

enum parser {
	P_CREATE,
	P_DESTROY,
	P_START,	/* start, stop */
	P_LIST,
	P_STATUS,	/* status, list-events */
	P_CHANNEL,
	P_EVENTS,	/* enable-event, disable-event */
	P_CONTEXT,
	P_OUTPUT_ADD,
	P_OUTPUT_DEL,
	P_OUTPUT_LIST,
	P_RECORD,
	P_NONE,
	P_LIST_EVENTS,
	P_REGENERATE,
};

#define MAX_ARGS	80

/* A command line; the parsers may write into it (event lists). */
struct cmdline {
	int argc;
	char *argv[MAX_ARGS + 1];
};

static void cmdline_make(struct cmdline *c, const char *const *args)
{
	memset(c, 0, sizeof(*c));
	while (args[c->argc]) {
		assert_true(c->argc < MAX_ARGS);
		c->argv[c->argc] = strdup(args[c->argc]);
		assert_non_null(c->argv[c->argc]);
		c->argc++;
	}
}

static void cmdline_free(struct cmdline *c)
{
	int i;

	for (i = 0; i < c->argc; i++)
		free(c->argv[i]);
}

/* Each parser's grammar. */
static const struct cli_grammar *const grammars[] = {
	[P_CREATE] = &cli_create_grammar,
	[P_DESTROY] = &cli_destroy_grammar,
	[P_START] = &cli_start_grammar,
	[P_LIST] = &cli_list_grammar,
	[P_STATUS] = &cli_json_grammar,
	[P_CHANNEL] = &cli_channel_grammar,
	[P_EVENTS] = &cli_events_grammar,
	[P_CONTEXT] = &cli_context_grammar,
	[P_OUTPUT_ADD] = &cli_output_add_grammar,
	[P_OUTPUT_DEL] = &cli_output_del_grammar,
	[P_OUTPUT_LIST] = &cli_output_list_grammar,
	[P_RECORD] = &cli_record_grammar,
	[P_NONE] = &cli_none_grammar,
	[P_LIST_EVENTS] = &cli_list_events_grammar,
	[P_REGENERATE] = &cli_regenerate_grammar,
};

static int run_parser(enum parser p, struct cmdline *c, union cli_args *out)
{
	return cli_parse(grammars[p], c->argc, c->argv, out);
}

/*
 * Parses @args with @p and returns its result, the message in last_err.
 * The parsed strings point into the command line, which stays until the
 * next call.
 */
static int parse(enum parser p, const char *const *args, union cli_args *out)
{
	static struct cmdline c;

	reset_err();
	cmdline_free(&c);
	cmdline_make(&c, args);
	return run_parser(p, &c, out);
}

/* Refusals */

struct reject_row {
	const char *what;
	enum parser parser;
	const char *args[12];
	const char *msg;
};

#define NAME_RULE	"use 1 to 64 characters from A-Z a-z 0-9 _ . -"
#define NAME_65 \
	"a234567890123456789012345678901234567890123456789012345678901234X"

static const struct reject_row reject_rows[] = {
	/* create */
	{ "create: -o and --no-output", P_CREATE,
	  { "create", "a", "-o", "/tmp/x", "--no-output" },
	  "give -o PATH or --no-output, not both" },
	{ "create: two names", P_CREATE, { "create", "a", "b" },
	  "unexpected argument 'b'" },
	{ "create: unknown long option", P_CREATE, { "create", "--foo", "a" },
	  "unknown option '--foo'" },
	{ "create: unknown long option with value", P_CREATE,
	  { "create", "--foo=1", "a" }, "unknown option '--foo'" },
	{ "create: unknown short option", P_CREATE, { "create", "-x", "a" },
	  "unknown option '-x'" },
	{ "create: -o without value", P_CREATE, { "create", "a", "-o" },
	  "option '--output' needs a value" },
	{ "create: --snapshot=yes", P_CREATE,
	  { "create", "a", "--snapshot=yes" },
	  "option '--snapshot' takes no value" },
	{ "create: --snapshot twice", P_CREATE,
	  { "create", "a", "--snapshot", "--snapshot" },
	  "option '--snapshot' given twice" },
	{ "create: -o twice", P_CREATE,
	  { "create", "a", "-o", "/x", "--output=/y" },
	  "option '--output' given twice" },
	{ "create: name with a space", P_CREATE, { "create", "a b" },
	  "invalid session name 'a b': " NAME_RULE },
	{ "create: name with a slash", P_CREATE, { "create", "a/b" },
	  "invalid session name 'a/b': " NAME_RULE },
	{ "create: empty name", P_CREATE, { "create", "" },
	  "invalid session name '': " NAME_RULE },
	{ "create: 65-character name", P_CREATE, { "create", NAME_65 },
	  "invalid session name '" NAME_65 "': " NAME_RULE },
	{ "create: net:// output", P_CREATE,
	  { "create", "a", "-o", "net://host/x" },
	  "invalid output path 'net://host/x': a network output is net://HOST[:PORT] or net://[IPv6]:PORT" },
	{ "create: ftp:// output", P_CREATE,
	  { "create", "a", "-o", "ftp://host" },
	  "invalid output path 'ftp://host': only local paths, file:// and net:// URLs are supported" },
	{ "create: relative file:// output", P_CREATE,
	  { "create", "a", "-o", "file://rel" },
	  "invalid output path 'file://rel': a file:// URL needs an absolute path (file:///dir)" },
	{ "create: empty output", P_CREATE, { "create", "a", "-o", "" },
	  "invalid output path '': empty destination" },

	/* destroy, start, stop */
	{ "destroy: NAME and --all", P_DESTROY, { "destroy", "a", "--all" },
	  "give a session name or --all, not both" },
	{ "destroy: -s and --all", P_DESTROY, { "destroy", "-a", "-s", "a" },
	  "give a session name or --all, not both" },
	{ "destroy: two names", P_DESTROY, { "destroy", "a", "b" },
	  "unexpected argument 'b'" },
	{ "destroy: -s and NAME", P_DESTROY, { "destroy", "-s", "a", "b" },
	  "give the session once: NAME or -s NAME" },
	{ "destroy: NAME and -s", P_DESTROY, { "destroy", "b", "-s", "a" },
	  "give the session once: NAME or -s NAME" },
	{ "destroy: unknown option", P_DESTROY, { "destroy", "--force" },
	  "unknown option '--force'" },
	{ "destroy: invalid name", P_DESTROY, { "destroy", "a:b" },
	  "invalid session name 'a:b': " NAME_RULE },
	{ "start: --all", P_START, { "start", "--all" },
	  "unknown option '--all'" },
	{ "start: two names", P_START, { "start", "a", "b" },
	  "unexpected argument 'b'" },
	{ "stop: -s without value", P_START, { "stop", "-s" },
	  "option '--session' needs a value" },
	{ "stop: -s twice", P_START, { "stop", "-s", "a", "-sb" },
	  "option '--session' given twice" },
	{ "start: invalid name", P_START, { "start", "x y" },
	  "invalid session name 'x y': " NAME_RULE },

	/* list, status, list-events */
	{ "list: two names", P_LIST, { "list", "a", "b" },
	  "unexpected argument 'b'" },
	{ "list: --json=1", P_LIST, { "list", "--json=1" },
	  "option '--json' takes no value" },
	{ "list: unknown option", P_LIST, { "list", "--all" },
	  "unknown option '--all'" },
	{ "list: NAME and -s", P_LIST, { "list", "a", "-s", "b" },
	  "give the session once: NAME or -s NAME" },
	{ "list: invalid name", P_LIST, { "list", "a*" },
	  "invalid session name 'a*': " NAME_RULE },
	{ "status: a name", P_STATUS, { "status", "a" },
	  "unexpected argument 'a'" },
	{ "status: -s", P_STATUS, { "status", "-s", "a" },
	  "unknown option '-s'" },
	{ "list-events: an argument", P_STATUS, { "list-events", "sched" },
	  "unexpected argument 'sched'" },
	{ "list-events: --json twice", P_STATUS,
	  { "list-events", "--json", "--json" },
	  "option '--json' given twice" },

	/* enable-channel */
	{ "enable-channel: no name", P_CHANNEL, { "enable-channel" },
	  "missing channel name" },
	{ "enable-channel: two names", P_CHANNEL,
	  { "enable-channel", "a", "b" }, "unexpected argument 'b'" },
	{ "enable-channel: invalid name", P_CHANNEL,
	  { "enable-channel", "ch 1" },
	  "invalid channel name 'ch 1': " NAME_RULE },
	{ "enable-channel: unknown option", P_CHANNEL,
	  { "enable-channel", "--blocking", "ch" },
	  "unknown option '--blocking'" },
	{ "enable-channel: --overwrite and --discard", P_CHANNEL,
	  { "enable-channel", "--overwrite", "--discard", "ch" },
	  "--overwrite and --discard conflict" },
	{ "enable-channel: --discard and --overwrite", P_CHANNEL,
	  { "enable-channel", "--discard", "ch", "--overwrite" },
	  "--overwrite and --discard conflict" },
	{ "enable-channel: --subbuf-size junk", P_CHANNEL,
	  { "enable-channel", "--subbuf-size", "abc", "ch" },
	  "invalid size 'abc' for --subbuf-size (e.g. 4096, 4k, 4KiB, 1M, 2G)" },
	{ "enable-channel: --subbuf-size bad suffix", P_CHANNEL,
	  { "enable-channel", "--subbuf-size=4kb", "ch" },
	  "invalid size '4kb' for --subbuf-size (e.g. 4096, 4k, 4KiB, 1M, 2G)" },
	{ "enable-channel: --subbuf-size overflow", P_CHANNEL,
	  { "enable-channel", "--subbuf-size", "17179869184G", "ch" },
	  "size '17179869184G' for --subbuf-size is too large" },
	{ "enable-channel: --subbuf-size without value", P_CHANNEL,
	  { "enable-channel", "ch", "--subbuf-size" },
	  "option '--subbuf-size' needs a value" },
	{ "enable-channel: --num-subbuf zero", P_CHANNEL,
	  { "enable-channel", "--num-subbuf", "0", "ch" },
	  "--num-subbuf must be a power of two from 2 to 2147483648, not '0'" },
	{ "enable-channel: --num-subbuf one", P_CHANNEL,
	  { "enable-channel", "--num-subbuf", "1", "ch" },
	  "--num-subbuf must be a power of two from 2 to 2147483648, not '1'" },
	{ "enable-channel: --num-subbuf not a power of two", P_CHANNEL,
	  { "enable-channel", "--num-subbuf", "6", "ch" },
	  "--num-subbuf must be a power of two from 2 to 2147483648, not '6'" },
	{ "enable-channel: --num-subbuf above 2^31", P_CHANNEL,
	  { "enable-channel", "--num-subbuf", "4294967296", "ch" },
	  "--num-subbuf must be a power of two from 2 to 2147483648, not '4294967296'" },
	{ "enable-channel: --num-subbuf overflow", P_CHANNEL,
	  { "enable-channel", "--num-subbuf", "99999999999999999999999", "ch" },
	  "--num-subbuf must be a power of two from 2 to 2147483648, not '99999999999999999999999'" },
	{ "enable-channel: --num-subbuf junk", P_CHANNEL,
	  { "enable-channel", "--num-subbuf", "4k", "ch" },
	  "invalid number '4k' for --num-subbuf" },
	{ "enable-channel: --switch-timer negative", P_CHANNEL,
	  { "enable-channel", "--switch-timer", "-1", "ch" },
	  "invalid number of microseconds '-1' for --switch-timer" },
	{ "enable-channel: --switch-timer overflow", P_CHANNEL,
	  { "enable-channel", "--switch-timer", "4294967296", "ch" },
	  "--switch-timer '4294967296' is too large (at most 4294967295 us)" },
	{ "enable-channel: --output other", P_CHANNEL,
	  { "enable-channel", "--output", "relay", "ch" },
	  "invalid --output 'relay': use splice or mmap" },
	{ "enable-channel: -s invalid", P_CHANNEL,
	  { "enable-channel", "-s", "a b", "ch" },
	  "invalid session name 'a b': " NAME_RULE },

	/* enable-event, disable-event */
	{ "enable-event: nothing", P_EVENTS, { "enable-event" },
	  "missing event names (NAME[,NAME...]) or -a" },
	{ "enable-event: names and -a", P_EVENTS,
	  { "enable-event", "-a", "sched_switch" },
	  "give event names or -a, not both" },
	{ "enable-event: ,, in the list", P_EVENTS,
	  { "enable-event", "a,,b" }, "empty event name in 'a,,b'" },
	{ "enable-event: leading comma", P_EVENTS,
	  { "enable-event", ",a" }, "empty event name in ',a'" },
	{ "enable-event: trailing comma", P_EVENTS,
	  { "enable-event", "a," }, "empty event name in 'a,'" },
	{ "enable-event: only a comma", P_EVENTS,
	  { "enable-event", "," }, "empty event name in ','" },
	{ "enable-event: empty list", P_EVENTS, { "enable-event", "" },
	  "empty event name in ''" },
	{ "enable-event: invalid name", P_EVENTS,
	  { "enable-event", "sched_switch,irq-entry" },
	  "invalid event name 'irq-entry': use 1 to 64 characters from A-Z a-z 0-9 _ and the globs * ?" },
	{ "enable-event: two lists", P_EVENTS,
	  { "enable-event", "a", "b" }, "unexpected argument 'b'" },
	{ "enable-event: -c without value", P_EVENTS,
	  { "enable-event", "a", "-c" }, "option '--channel' needs a value" },
	{ "enable-event: -c invalid", P_EVENTS,
	  { "enable-event", "-c", "c/1", "a" },
	  "invalid channel name 'c/1': " NAME_RULE },
	{ "enable-event: an unknown flag in a bundle", P_EVENTS,
	  { "enable-event", "-ax", "s" }, "unknown option '-x'" },
	{ "enable-event: a bundle ending in an option without its value",
	  P_EVENTS, { "enable-event", "-as" }, "option '--session' needs a value" },
	{ "enable-channel: an ambiguous prefix", P_CHANNEL,
	  { "enable-channel", "--s=x", "ch" }, "unknown option '--s'" },
	{ "disable-event: unknown option", P_EVENTS,
	  { "disable-event", "--filter", "x" }, "unknown option '--filter'" },
	{ "disable-event: -a twice", P_EVENTS,
	  { "disable-event", "-a", "--all" }, "option '--all' given twice" },

	/* lttng's spellings: -k, --syscall, list -k, regenerate statedump */
	{ "enable-event: --syscall without names", P_EVENTS,
	  { "enable-event", "-k", "--syscall" },
	  "missing system call names (NAME[,NAME...]) or -a" },
	{ "enable-event: --syscall, names and -a", P_EVENTS,
	  { "enable-event", "--syscall", "-a", "openat" },
	  "give event names or -a, not both" },
	{ "enable-event: --syscall name too long for its event", P_EVENTS,
	  { "enable-event", "--syscall",
	    "read,a23456789012345678901234567890123456789012345678901" },
	  "invalid system call name 'a23456789012345678901234567890123456789012345678901': use 1 to 50 characters from A-Z a-z 0-9 _ and the globs * ?" },
	{ "enable-event: --syscall invalid name", P_EVENTS,
	  { "enable-event", "--syscall", "open-at" },
	  "invalid system call name 'open-at': use 1 to 50 characters from A-Z a-z 0-9 _ and the globs * ?" },
	{ "enable-event: --syscall twice", P_EVENTS,
	  { "enable-event", "--syscall", "--syscall", "read" },
	  "option '--syscall' given twice" },
	{ "enable-event: -k with a value", P_EVENTS,
	  { "enable-event", "--kernel=1", "read" },
	  "option '--kernel' takes no value" },
	{ "enable-event: -u is not a domain here", P_EVENTS,
	  { "enable-event", "-u", "read" }, "unknown option '-u'" },
	{ "list: NAME and --syscall", P_LIST, { "list", "s", "-k", "--syscall" },
	  "--syscall lists the system call events, of no session: give no session name" },
	{ "list-events: a session", P_LIST_EVENTS, { "list-events", "s" },
	  "unexpected argument 's'" },
	{ "list-events: -s", P_LIST_EVENTS, { "list-events", "-s", "s" },
	  "unknown option '-s'" },
	{ "regenerate statedump: an argument", P_REGENERATE,
	  { "statedump", "s" }, "unexpected argument 's'" },
	{ "regenerate statedump: invalid session", P_REGENERATE,
	  { "statedump", "-s", "a b" }, "invalid session name 'a b': " NAME_RULE },
	{ "record: --no-statedump=1", P_RECORD,
	  { "record", "--no-statedump=1" },
	  "option '--no-statedump' takes no value" },

	/* add-context */
	{ "add-context: no type", P_CONTEXT, { "add-context" },
	  "missing context type: give -t TYPE" },
	{ "add-context: unknown type", P_CONTEXT,
	  { "add-context", "-t", "perf:cpu:cycles" },
	  "unknown context type 'perf:cpu:cycles' (pid, tid, ppid, procname, prio, vpid, vtid, cpu_id, hostname)" },
	{ "add-context: type given twice", P_CONTEXT,
	  { "add-context", "-t", "pid", "--type=tid", "-tpid" },
	  "context type 'pid' given twice" },
	{ "add-context: -t without value", P_CONTEXT,
	  { "add-context", "-t" }, "option '--type' needs a value" },
	{ "add-context: type as argument", P_CONTEXT,
	  { "add-context", "pid" }, "unexpected argument 'pid'" },
	{ "add-context: -c invalid", P_CONTEXT,
	  { "add-context", "-c", "", "-t", "pid" },
	  "invalid channel name '': " NAME_RULE },

	/* snapshot add-output */
	{ "add-output: no path", P_OUTPUT_ADD, { "add-output", "-n", "o" },
	  "missing output path (PATH, file://PATH or net://HOST[:PORT])" },
	{ "add-output: two paths", P_OUTPUT_ADD,
	  { "add-output", "/a", "/b" }, "unexpected argument '/b'" },
	{ "add-output: -m junk", P_OUTPUT_ADD,
	  { "add-output", "-m", "lots", "/x" },
	  "invalid size 'lots' for --max-size (e.g. 4096, 4k, 4KiB, 1M, 2G)" },
	{ "add-output: -m zero", P_OUTPUT_ADD,
	  { "add-output", "-m", "0", "/x" }, "--max-size must be more than 0" },
	{ "add-output: -m zero with suffix", P_OUTPUT_ADD,
	  { "add-output", "-m", "0M", "/x" }, "--max-size must be more than 0" },
	{ "add-output: -m overflow", P_OUTPUT_ADD,
	  { "add-output", "--max-size", "18446744073709551616", "/x" },
	  "size '18446744073709551616' for --max-size is too large" },
	{ "add-output: -m negative", P_OUTPUT_ADD,
	  { "add-output", "-m", "-1", "/x" },
	  "invalid size '-1' for --max-size (e.g. 4096, 4k, 4KiB, 1M, 2G)" },
	{ "add-output: -n invalid", P_OUTPUT_ADD,
	  { "add-output", "-n", "my out", "/x" },
	  "invalid output name 'my out': " NAME_RULE },
	{ "add-output: tcp:// port 0", P_OUTPUT_ADD, { "add-output", "tcp://h:0" },
	  "invalid output path 'tcp://h:0': a network output's port is 1 to 65535" },
	{ "add-output: file:// relative", P_OUTPUT_ADD,
	  { "add-output", "file://x/y" },
	  "invalid output path 'file://x/y': a file:// URL needs an absolute path (file:///dir)" },
	{ "add-output: file:// empty", P_OUTPUT_ADD,
	  { "add-output", "file://" },
	  "invalid output path 'file://': empty destination" },

	/* snapshot del-output */
	{ "del-output: nothing", P_OUTPUT_DEL, { "del-output" },
	  "missing output id or name" },
	{ "del-output: two", P_OUTPUT_DEL, { "del-output", "1", "2" },
	  "unexpected argument '2'" },
	{ "del-output: invalid name", P_OUTPUT_DEL, { "del-output", "a b" },
	  "invalid output id or name 'a b'" },
	{ "del-output: unknown option", P_OUTPUT_DEL,
	  { "del-output", "-n", "x" }, "unknown option '-n'" },

	/* snapshot list-output */
	{ "list-output: an argument", P_OUTPUT_LIST, { "list-output", "x" },
	  "unexpected argument 'x'" },
	{ "list-output: -s without value", P_OUTPUT_LIST,
	  { "list-output", "-s" }, "option '--session' needs a value" },

	/* snapshot [record] */
	{ "record: bad policy", P_RECORD, { "record", "--policy", "fair" },
	  "invalid --policy 'fair': use equal or window" },
	{ "record: policy case", P_RECORD, { "snapshot", "--policy=Equal" },
	  "invalid --policy 'Equal': use equal or window" },
	{ "record: --policy without value", P_RECORD, { "record", "--policy" },
	  "option '--policy' needs a value" },
	{ "record: -m zero", P_RECORD, { "record", "-m", "0" },
	  "--max-size must be more than 0" },
	{ "record: -m junk", P_RECORD, { "record", "-m", "1X" },
	  "invalid size '1X' for --max-size (e.g. 4096, 4k, 4KiB, 1M, 2G)" },
	{ "record: -m overflow", P_RECORD, { "record", "-m17179869184G" },
	  "size '17179869184G' for --max-size is too large" },
	{ "record: -m twice", P_RECORD, { "record", "-m", "4k", "--max-size=8k" },
	  "option '--max-size' given twice" },
	{ "record: -n invalid", P_RECORD, { "record", "-n", "a/b" },
	  "invalid output name 'a/b': " NAME_RULE },
	{ "record: net:// path", P_RECORD, { "record", "net://[::1" },
	  "invalid snapshot path 'net://[::1': a network output is net://HOST[:PORT] or net://[IPv6]:PORT" },
	{ "record: two paths", P_RECORD, { "record", "/a", "/b" },
	  "unexpected argument '/b'" },
	{ "record: unknown option", P_RECORD, { "snapshot", "--wait" },
	  "unknown option '--wait'" },

	/* a command without arguments */
	{ "no arguments: an argument", P_NONE, { "version", "x" },
	  "unexpected argument 'x'" },
	{ "no arguments: an option", P_NONE, { "version", "--json" },
	  "unknown option '--json'" },
};

static void reject(void **state)
{
	const struct reject_row *row = *state;
	union cli_args out;

	assert_int_equal(parse(row->parser, row->args, &out), -EINVAL);
	assert_string_equal(last_err, row->msg);
	assert_int_equal(last_kind, ERR_USAGE);
}

/* --subbuf-size's minimum is the page size of the machine. */
static void reject_subbuf_size(void **state)
{
	static const char *const bad[] = { "0", "3000", "6k", "2048" };
	char msg[256];
	union cli_args out;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		const char *args[] = { "enable-channel", "--subbuf-size",
				       bad[i], "ch", NULL };

		snprintf(msg, sizeof(msg),
			 "--subbuf-size must be a power of two of at least the page size (%ld), not '%s'",
			 sysconf(_SC_PAGESIZE), bad[i]);
		assert_int_equal(parse(P_CHANNEL, args, &out), -EINVAL);
		assert_string_equal(last_err, msg);
		assert_int_equal(last_kind, ERR_USAGE);
	}
}

static void reject_too_many_events(void **state)
{
	char list[CLI_MAX_EVENTS * 4 + 8] = "";
	const char *args[] = { "enable-event", list, NULL };
	union cli_args out;
	int i;

	(void)state;
	for (i = 0; i <= CLI_MAX_EVENTS; i++)
		sprintf(list + strlen(list), "%se%d", i ? "," : "", i);
	assert_int_equal(parse(P_EVENTS, args, &out), -EINVAL);
	assert_string_equal(last_err, "too many event names (at most 64 at once)");
}

/* Valid command lines */

static void parse_create(void **state)
{
	const char *a1[] = { "create", "s1", NULL };
	const char *a2[] = { "create", "--snapshot", "-o", "file:///var/tmp/t",
			     "s_2.x-y", NULL };
	const char *a3[] = { "create", "--output=rel/dir", "--", "-s", NULL };
	/* A normal session streamed to ktrace-relayd. */
	const char *a4[] = { "create", "n", "-o", "net://127.0.0.1", NULL };
	union cli_args out;

	(void)state;
	assert_int_equal(parse(P_CREATE, a1, &out), 0);
	assert_string_equal(out.create.name, "s1");
	assert_int_equal(out.create.snapshot, 0);
	assert_null(out.create.output);

	assert_int_equal(parse(P_CREATE, a2, &out), 0);
	assert_int_equal(out.create.snapshot, 1);
	assert_string_equal(out.create.output, "file:///var/tmp/t");
	assert_string_equal(out.create.name, "s_2.x-y");

	/* After "--", "-s" is a name; and it is a valid one. */
	assert_int_equal(parse(P_CREATE, a3, &out), 0);
	assert_string_equal(out.create.name, "-s");
	assert_string_equal(out.create.output, "rel/dir");
	assert_int_equal(last_kind, ERR_NONE);

	assert_int_equal(parse(P_CREATE, a4, &out), 0);
	assert_int_equal(out.create.snapshot, 0);
	assert_string_equal(out.create.output, "net://127.0.0.1");
	assert_int_equal(last_kind, ERR_NONE);
}

static void parse_session_args(void **state)
{
	const char *a1[] = { "destroy", NULL };
	const char *a2[] = { "destroy", "--all", NULL };
	const char *a3[] = { "start", "-s", "s1", NULL };
	const char *a4[] = { "stop", "s2", NULL };
	const char *a5[] = { "list", "s3", "--json", NULL };
	const char *a6[] = { "status", NULL };
	union cli_args out;

	(void)state;
	assert_int_equal(parse(P_DESTROY, a1, &out), 0);
	assert_null(out.session.session);
	assert_int_equal(out.session.all, 0);
	assert_int_equal(parse(P_DESTROY, a2, &out), 0);
	assert_int_equal(out.session.all, 1);
	assert_int_equal(parse(P_START, a3, &out), 0);
	assert_string_equal(out.session.session, "s1");
	assert_int_equal(parse(P_START, a4, &out), 0);
	assert_string_equal(out.session.session, "s2");
	assert_int_equal(parse(P_LIST, a5, &out), 0);
	assert_string_equal(out.list.session, "s3");
	assert_int_equal(out.list.json, 1);
	assert_int_equal(parse(P_STATUS, a6, &out), 0);
	assert_null(out.list.session);
	assert_int_equal(out.list.json, 0);
}

static void parse_channel(void **state)
{
	const char *a1[] = { "enable-channel", "-s", "s", "--overwrite",
			     "--subbuf-size", "64k", "--num-subbuf=8",
			     "--switch-timer", "1000", "--output", "mmap",
			     "ch", NULL };
	const char *a2[] = { "enable-channel", "--discard", "c2", NULL };
	const char *a3[] = { "enable-channel", "c3", NULL };
	union cli_args out;

	(void)state;
	assert_int_equal(parse(P_CHANNEL, a1, &out), 0);
	assert_string_equal(out.channel.session, "s");
	assert_string_equal(out.channel.name, "ch");
	assert_int_equal(out.channel.mode, KTRACE_CHANNEL_OVERWRITE);
	assert_int_equal(out.channel.subbuf_size, 65536);
	assert_int_equal(out.channel.num_subbuf, 8);
	assert_int_equal(out.channel.switch_timer_us, 1000);
	assert_int_equal(out.channel.output, KTRACE_CHANNEL_MMAP);

	assert_int_equal(parse(P_CHANNEL, a2, &out), 0);
	assert_int_equal(out.channel.mode, KTRACE_CHANNEL_DISCARD);

	/* Unset: zero, the module's defaults. */
	assert_int_equal(parse(P_CHANNEL, a3, &out), 0);
	assert_null(out.channel.session);
	assert_int_equal(out.channel.mode, 0);
	assert_int_equal(out.channel.subbuf_size, 0);
	assert_int_equal(out.channel.num_subbuf, 0);
	assert_int_equal(out.channel.switch_timer_us, 0);
	assert_int_equal(out.channel.output, 0);
}

static void parse_events(void **state)
{
	char list[] = "sched_switch,irq_*,timer_?xpire";
	char *argv[] = { "enable-event", "-c", "ch", list, "-s", "s", NULL };
	const char *a2[] = { "disable-event", "-a", NULL };
	struct cli_events ev;
	union cli_args out;

	(void)state;
	reset_err();
	assert_int_equal(cli_parse(&cli_events_grammar, 6, argv, &ev), 0);
	assert_string_equal(ev.session, "s");
	assert_string_equal(ev.channel, "ch");
	assert_int_equal(ev.all, 0);
	assert_int_equal(ev.nr_names, 3);
	assert_string_equal(ev.names[0], "sched_switch");
	assert_string_equal(ev.names[1], "irq_*");
	assert_string_equal(ev.names[2], "timer_?xpire");

	assert_int_equal(parse(P_EVENTS, a2, &out), 0);
	assert_int_equal(out.events.all, 1);
	assert_int_equal(out.events.nr_names, 0);
	assert_null(out.events.channel);
}

/* Commands pasted from lttng's documentation. */
static void parse_lttng_spellings(void **state)
{
	const char *a1[] = { "enable-event", "-k", "--syscall", "openat,read",
			     NULL };
	const char *a2[] = { "enable-event", "--kernel", "--syscall", "-a",
			     "-s", "s", NULL };
	const char *a3[] = { "disable-event", "-k", "--syscall", "open*",
			     "-c", "ch", NULL };
	const char *a4[] = { "enable-event", "-k", "sched_switch", NULL };
	const char *a5[] = { "list", "-k", NULL };
	const char *a6[] = { "list", "-k", "--syscall", "--json", NULL };
	const char *a7[] = { "list-events", "--kernel", "--syscall", NULL };
	const char *a8[] = { "enable-channel", "-k", "ch", NULL };
	const char *a9[] = { "add-context", "-k", "-t", "pid", NULL };
	const char *a10[] = { "statedump", "-s", "s", NULL };
	const char *a11[] = { "record", "--no-statedump", NULL };
	const char *a12[] = { "enable-event", "--syscall",
			      "a2345678901234567890123456789012345678901234567890",
			      NULL };
	const char *a13[] = { "list", "s", "-k", NULL };
	union cli_args out;

	(void)state;
	assert_int_equal(parse(P_EVENTS, a1, &out), 0);
	assert_int_equal(out.events.kernel, 1);
	assert_int_equal(out.events.syscall, 1);
	assert_int_equal(out.events.all, 0);
	assert_int_equal(out.events.nr_names, 2);
	assert_string_equal(out.events.names[0], "openat");
	assert_string_equal(out.events.names[1], "read");

	assert_int_equal(parse(P_EVENTS, a2, &out), 0);
	assert_int_equal(out.events.syscall, 1);
	assert_int_equal(out.events.all, 1);
	assert_string_equal(out.events.session, "s");

	assert_int_equal(parse(P_EVENTS, a3, &out), 0);
	assert_int_equal(out.events.syscall, 1);
	assert_string_equal(out.events.names[0], "open*");
	assert_string_equal(out.events.channel, "ch");

	/* -k alone: the same as without it. */
	assert_int_equal(parse(P_EVENTS, a4, &out), 0);
	assert_int_equal(out.events.syscall, 0);
	assert_string_equal(out.events.names[0], "sched_switch");

	assert_int_equal(parse(P_LIST, a5, &out), 0);
	assert_int_equal(out.list.kernel, 1);
	assert_int_equal(out.list.syscall, 0);
	assert_null(out.list.session);
	assert_int_equal(parse(P_LIST, a6, &out), 0);
	assert_int_equal(out.list.syscall, 1);
	assert_int_equal(out.list.json, 1);
	/* list NAME -k: that session, -k ignored. */
	assert_int_equal(parse(P_LIST, a13, &out), 0);
	assert_string_equal(out.list.session, "s");
	assert_int_equal(out.list.kernel, 1);

	assert_int_equal(parse(P_LIST_EVENTS, a7, &out), 0);
	assert_int_equal(out.list.kernel, 1);
	assert_int_equal(out.list.syscall, 1);
	assert_int_equal(out.list.json, 0);

	assert_int_equal(parse(P_CHANNEL, a8, &out), 0);
	assert_int_equal(out.channel.kernel, 1);
	assert_string_equal(out.channel.name, "ch");
	assert_int_equal(parse(P_CONTEXT, a9, &out), 0);
	assert_int_equal(out.context.kernel, 1);
	assert_int_equal(out.context.types.nr, 1);

	assert_int_equal(parse(P_REGENERATE, a10, &out), 0);
	assert_string_equal(out.session.session, "s");

	assert_int_equal(parse(P_RECORD, a11, &out), 0);
	assert_int_equal(out.record.no_statedump, 1);
	assert_int_equal(parse(P_RECORD, (const char *[]){ "record", NULL },
			       &out), 0);
	assert_int_equal(out.record.no_statedump, 0);

	/* 50 characters: syscall_entry_ and it make 64. */
	assert_int_equal(parse(P_EVENTS, a12, &out), 0);
	assert_int_equal(out.events.nr_names, 1);
}

/* getopt_long's forms: bundles, prefixes, "--", arguments anywhere. */
static void parse_getopt_forms(void **state)
{
	const char *a1[] = { "enable-event", "-as", "x", NULL };
	const char *a2[] = { "enable-event", "-acch", "-sx", NULL };
	const char *a3[] = { "enable-event", "--sess=x", "--chan", "ch", "e",
			     NULL };
	const char *a4[] = { "enable-event", "e", "-s", "x", NULL };
	const char *a5[] = { "enable-event", "-s", "x", "--", "-a", NULL };
	union cli_args out;

	(void)state;
	/* -a -s x */
	assert_int_equal(parse(P_EVENTS, a1, &out), 0);
	assert_int_equal(out.events.all, 1);
	assert_string_equal(out.events.session, "x");
	/* -a -c ch, then -s x */
	assert_int_equal(parse(P_EVENTS, a2, &out), 0);
	assert_int_equal(out.events.all, 1);
	assert_string_equal(out.events.channel, "ch");
	assert_string_equal(out.events.session, "x");
	/* Unambiguous prefixes of long names. */
	assert_int_equal(parse(P_EVENTS, a3, &out), 0);
	assert_string_equal(out.events.session, "x");
	assert_string_equal(out.events.channel, "ch");
	assert_string_equal(out.events.names[0], "e");
	/* Options after the argument; nothing reordered. */
	assert_int_equal(parse(P_EVENTS, a4, &out), 0);
	assert_string_equal(out.events.session, "x");
	assert_string_equal(out.events.names[0], "e");
	/* After "--", "-a" is an event name (and an invalid one). */
	assert_int_equal(parse(P_EVENTS, a5, &out), -EINVAL);
	assert_string_equal(last_err,
			    "invalid event name '-a': use 1 to 64 characters from A-Z a-z 0-9 _ and the globs * ?");
	assert_int_equal(last_kind, ERR_USAGE);
}

static void parse_context(void **state)
{
	const char *a1[] = { "add-context", "-t", "pid", "--type", "procname",
			     "-tcpu_id", "--type=hostname", "-c", "ch", NULL };
	union cli_args out;

	(void)state;
	assert_int_equal(parse(P_CONTEXT, a1, &out), 0);
	assert_int_equal(out.context.types.nr, 4);
	assert_int_equal(out.context.types.type[0], KTRACE_CONTEXT_TYPE_PID);
	assert_int_equal(out.context.types.type[1], KTRACE_CONTEXT_TYPE_PROCNAME);
	assert_int_equal(out.context.types.type[2], KTRACE_CONTEXT_TYPE_CPU_ID);
	assert_int_equal(out.context.types.type[3], KTRACE_CONTEXT_TYPE_HOSTNAME);
	assert_string_equal(out.context.channel, "ch");
	assert_null(out.context.session);
}

static void context_names_round_trip(void **state)
{
	uint32_t t;

	(void)state;
	for (t = 1; t <= CLI_CONTEXT_TYPES; t++)
		assert_int_equal(cli_context_type(cli_context_name(t)), t);
	assert_int_equal(cli_context_type("PID"), 0);
	assert_int_equal(cli_context_type(""), 0);
	assert_string_equal(cli_context_name(0), "unknown");
	assert_string_equal(cli_context_name(CLI_CONTEXT_TYPES + 1), "unknown");
}

static void parse_outputs(void **state)
{
	const char *a1[] = { "add-output", "-m", "8M", "-n", "out1",
			     "file:///var/tmp/t", NULL };
	const char *a2[] = { "add-output", "rel", NULL };
	const char *d1[] = { "del-output", "3", NULL };
	const char *d2[] = { "del-output", "-s", "s", "snapshot-1", NULL };
	const char *d3[] = { "del-output", "0", NULL };
	const char *d4[] = { "del-output", "4294967296", NULL };
	const char *l1[] = { "list-output", "--json", "-s", "s", NULL };
	union cli_args out;

	(void)state;
	assert_int_equal(parse(P_OUTPUT_ADD, a1, &out), 0);
	assert_int_equal(out.output_add.max_size, 8 << 20);
	assert_string_equal(out.output_add.name, "out1");
	assert_string_equal(out.output_add.dest, "file:///var/tmp/t");
	assert_int_equal(parse(P_OUTPUT_ADD, a2, &out), 0);
	assert_int_equal(out.output_add.max_size, 0);
	assert_null(out.output_add.name);

	assert_int_equal(parse(P_OUTPUT_DEL, d1, &out), 0);
	assert_int_equal(out.output_del.is_id, 1);
	assert_int_equal(out.output_del.id, 3);
	assert_int_equal(parse(P_OUTPUT_DEL, d2, &out), 0);
	assert_int_equal(out.output_del.is_id, 0);
	assert_string_equal(out.output_del.output, "snapshot-1");
	assert_string_equal(out.output_del.session, "s");
	/* Ids start at 1 and are 32-bit: these can only be names. */
	assert_int_equal(parse(P_OUTPUT_DEL, d3, &out), 0);
	assert_int_equal(out.output_del.is_id, 0);
	assert_int_equal(parse(P_OUTPUT_DEL, d4, &out), 0);
	assert_int_equal(out.output_del.is_id, 0);

	assert_int_equal(parse(P_OUTPUT_LIST, l1, &out), 0);
	assert_int_equal(out.output_list.json, 1);
	assert_string_equal(out.output_list.session, "s");
}

static void parse_record(void **state)
{
	const char *a1[] = { "snapshot", NULL };
	const char *a2[] = { "record", "-s", "s", "-m", "1M", "-n", "snap",
			     "--policy", "window", "--json", "/var/tmp/x",
			     NULL };
	const char *a3[] = { "record", "--policy=equal", "--", "-odd", NULL };
	union cli_args out;

	(void)state;
	assert_int_equal(parse(P_RECORD, a1, &out), 0);
	assert_int_equal(out.record.policy, CLI_POLICY_EQUAL);
	assert_null(out.record.session);
	assert_null(out.record.path);
	assert_null(out.record.name);
	assert_int_equal(out.record.max_size, 0);
	assert_int_equal(out.record.json, 0);

	assert_int_equal(parse(P_RECORD, a2, &out), 0);
	assert_string_equal(out.record.session, "s");
	assert_int_equal(out.record.max_size, 1 << 20);
	assert_string_equal(out.record.name, "snap");
	assert_int_equal(out.record.policy, CLI_POLICY_WINDOW);
	assert_int_equal(out.record.json, 1);
	assert_string_equal(out.record.path, "/var/tmp/x");

	assert_int_equal(parse(P_RECORD, a3, &out), 0);
	assert_string_equal(out.record.path, "-odd");
}

/*
 * Every grammar is one cli_parse() can use: at most CLI_MAX_OPTS options,
 * names and short flags that appear once, fields inside its struct.
 */
static void grammars_consistent(void **state)
{
	size_t k, i, j;

	(void)state;
	for (k = 0; k < ARRAY_SIZE(grammars); k++) {
		const struct cli_grammar *g = grammars[k];

		print_message("grammar %zu\n", k);
		for (i = 0; g->opts[i].name; i++) {
			const struct cli_opt *o = &g->opts[i];

			assert_true(i < CLI_MAX_OPTS);
			assert_true(o->offset < g->size);
			assert_true(o->type != CLI_NONE);
			assert_true(o->type != CLI_WORD || o->words);
			for (j = 0; j < i; j++) {
				assert_string_not_equal(o->name, g->opts[j].name);
				assert_true(!o->short_name ||
					    o->short_name != g->opts[j].short_name);
			}
		}
		assert_true(g->arg.type == CLI_NONE || g->arg.offset < g->size);
		assert_true(g->arg.type != CLI_NAME || g->arg.what);
	}
}

/* Names */

static void names(void **state)
{
	char n64[KTRACE_NAME_LEN + 1];

	(void)state;
	memset(n64, 'a', KTRACE_NAME_LEN);
	n64[KTRACE_NAME_LEN] = '\0';
	assert_true(cli_name_valid(n64));
	assert_false(cli_name_valid(NAME_65));
	assert_true(cli_name_valid("A-z_0.9"));
	assert_false(cli_name_valid(""));
	assert_false(cli_name_valid("a*"));
	assert_false(cli_name_valid("\xc3\xa9t\xc3\xa9"));
	assert_true(cli_event_valid("sched_*"));
	assert_true(cli_event_valid("?"));
	assert_true(cli_event_valid(n64));
	assert_false(cli_event_valid(NAME_65));
	assert_false(cli_event_valid("a.b"));
	assert_false(cli_event_valid(""));
}

/* Choosing the session */

static void pick_session(void **state)
{
	static const char *const three[] = { "a", "b", "c" };
	static const char *const ten[] = { "s0", "s1", "s2", "s3", "s4",
					   "s5", "s6", "s7", "s8", "s9" };
	const char *pick = NULL;

	(void)state;
	reset_err();
	assert_int_equal(cli_pick_session(three, 1, &pick), 0);
	assert_string_equal(pick, "a");
	assert_int_equal(last_kind, ERR_NONE);

	assert_int_equal(cli_pick_session(three, 0, &pick), -ENOENT);
	assert_string_equal(last_err,
			    "no session exists: create one with 'ktracectl create NAME'");
	assert_int_equal(last_kind, ERR_FAIL);

	assert_int_equal(cli_pick_session(three, 3, &pick), -EINVAL);
	assert_string_equal(last_err,
			    "3 sessions exist (a, b, c): choose one with -s");
	assert_int_equal(last_kind, ERR_FAIL);

	assert_int_equal(cli_pick_session(ten, 10, &pick), -EINVAL);
	assert_string_equal(last_err,
			    "10 sessions exist (s0, s1, s2, s3, s4, s5, s6, s7, ...): choose one with -s");
}

/* Destinations made absolute */

struct dest_row {
	const char *dest;
	const char *base;
	int ret;
	const char *out;
};

static const struct dest_row dest_rows[] = {
	{ "out", "/home/u", 0, "/home/u/out" },
	{ "a/b/", "/home/u", 0, "/home/u/a/b/" },
	{ "./out", "/home/u", 0, "/home/u/out" },
	{ ".//./out", "/home/u", 0, "/home/u/out" },
	{ ".", "/home/u", 0, "/home/u" },
	{ "./", "/home/u", 0, "/home/u" },
	{ "out", "/", 0, "/out" },
	{ "out", "/home/u/", 0, "/home/u/out" },
	{ "../up", "/home/u", 0, "/home/u/../up" },
	{ "/abs/x", "/home/u", 0, "/abs/x" },
	{ "file:///abs/x", "/home/u", 0, "file:///abs/x" },
	{ "out", "rel", -EINVAL, NULL },
	{ "net://h", "/home/u", 0, "net://h" },
	{ "net://[::1]:5390", "/home/u", 0, "net://[::1]:5390" },
};

static void abs_dest(void **state)
{
	char buf[64], big[KTRACE_DEST_LEN + 2];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(dest_rows); i++) {
		const struct dest_row *r = &dest_rows[i];

		print_message("cli_abs_dest(\"%s\", \"%s\")\n", r->dest, r->base);
		assert_int_equal(cli_abs_dest(buf, sizeof(buf), r->dest, r->base),
				 r->ret);
		if (!r->ret)
			assert_string_equal(buf, r->out);
	}
	/* Too long for the buffer, or for the kernel. */
	assert_int_equal(cli_abs_dest(buf, 8, "out", "/home/u"), -ENAMETOOLONG);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	big[0] = '/';
	{
		char *huge = malloc(2 * sizeof(big));

		assert_non_null(huge);
		assert_int_equal(cli_abs_dest(huge, 2 * sizeof(big), big, "/"),
				 -ENAMETOOLONG);
		free(huge);
	}
}

/* Formatting */

static void format_field(void **state)
{
	char buf[64];

	(void)state;
	cli_format_field(buf, sizeof(buf), KTRACE_FIELD_TYPE_INTEGER, 4, 1, 0);
	assert_string_equal(buf, "s32");
	cli_format_field(buf, sizeof(buf), KTRACE_FIELD_TYPE_INTEGER, 8, 0, 0);
	assert_string_equal(buf, "u64");
	cli_format_field(buf, sizeof(buf), KTRACE_FIELD_TYPE_ENUM, 4, 1, 0);
	assert_string_equal(buf, "enum s32");
	cli_format_field(buf, sizeof(buf), KTRACE_FIELD_TYPE_ARRAY, 1, 0, 16);
	assert_string_equal(buf, "u8[16]");
	cli_format_field(buf, sizeof(buf), KTRACE_FIELD_TYPE_ARRAY_TEXT, 1, 1, 16);
	assert_string_equal(buf, "char[16]");
	cli_format_field(buf, sizeof(buf), KTRACE_FIELD_TYPE_STRING, 1, 0, 0);
	assert_string_equal(buf, "string");
	cli_format_field(buf, sizeof(buf), 99, 1, 0, 0);
	assert_string_equal(buf, "unknown");
}

static void format_channel(void **state)
{
	char buf[256];

	(void)state;
	cli_format_channel(buf, sizeof(buf), KTRACE_CHANNEL_OVERWRITE, 1 << 20,
			   4, KTRACE_CHANNEL_SPLICE, 0);
	assert_string_equal(buf, "overwrite, 4 x 1 MiB sub-buffers per CPU, splice output, switch timer off");
	cli_format_channel(buf, sizeof(buf), KTRACE_CHANNEL_DISCARD, 65536,
			   8, KTRACE_CHANNEL_MMAP, 1000);
	assert_string_equal(buf, "discard, 8 x 64 KiB sub-buffers per CPU, mmap output, switch timer 1000 us");
}

static void enum_strings(void **state)
{
	(void)state;
	assert_string_equal(cli_session_mode_str(KTRACE_SESSION_MODE_SNAPSHOT), "snapshot");
	assert_string_equal(cli_session_mode_str(KTRACE_SESSION_MODE_NORMAL), "normal");
	assert_string_equal(cli_session_state_str(KTRACE_SESSION_STATE_NEVER_STARTED), "never-started");
	assert_string_equal(cli_session_state_str(KTRACE_SESSION_STATE_ACTIVE), "active");
	assert_string_equal(cli_session_state_str(KTRACE_SESSION_STATE_STOPPED), "stopped");
	assert_string_equal(cli_session_state_str(0), "unknown");
	assert_string_equal(cli_channel_output_str(KTRACE_CHANNEL_MMAP), "mmap");
	assert_string_equal(cli_field_type_str(KTRACE_FIELD_TYPE_ARRAY_TEXT), "text");
}

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(reject_subbuf_size),
		cmocka_unit_test(reject_too_many_events),
		cmocka_unit_test(parse_create),
		cmocka_unit_test(parse_session_args),
		cmocka_unit_test(parse_channel),
		cmocka_unit_test(parse_events),
		cmocka_unit_test(parse_getopt_forms),
		cmocka_unit_test(parse_lttng_spellings),
		cmocka_unit_test(parse_context),
		cmocka_unit_test(context_names_round_trip),
		cmocka_unit_test(parse_outputs),
		cmocka_unit_test(parse_record),
		cmocka_unit_test(grammars_consistent),
		cmocka_unit_test(names),
		cmocka_unit_test(pick_session),
		cmocka_unit_test(abs_dest),
		cmocka_unit_test(format_field),
		cmocka_unit_test(format_channel),
		cmocka_unit_test(enum_strings),
	};
	struct CMUnitTest tests[ARRAY_SIZE(reject_rows) + ARRAY_SIZE(fixed)];
	size_t i, n = 0;

	/* One test per refusal, named by its row. */
	for (i = 0; i < ARRAY_SIZE(reject_rows); i++)
		tests[n++] = (struct CMUnitTest) {
			.name = reject_rows[i].what,
			.test_func = reject,
			.initial_state = (void *)&reject_rows[i],
		};
	for (i = 0; i < ARRAY_SIZE(fixed); i++)
		tests[n++] = fixed[i];
	return _cmocka_run_group_tests("cli", tests, n, NULL, NULL);
}
