// SPDX-License-Identifier: GPL-2.0
/*
 * ktracectl: control ktrace tracing sessions.
 *
 * One table lists every command; each command group lives in a file of
 * its own (session.c, channel.c, event.c, context.c, list.c, snapshot.c,
 * device.c) and the argument grammar in cli.c. Handlers return 0 or a
 * negative errno and only main() prints errors, as
 * "ktracectl: <command>: <reason>", the reason ending with the kernel's
 * extended-ack message when the kernel refused a request.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ktracectl.h"
#include "nl.h"

static char err_reason[1024];
static int err_exit = KTRACECTL_EXIT_FAIL;

void ktracectl_set_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err_reason, sizeof(err_reason), fmt, ap);
	va_end(ap);
	err_exit = KTRACECTL_EXIT_FAIL;
}

void ktracectl_usage_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err_reason, sizeof(err_reason), fmt, ap);
	va_end(ap);
	err_exit = KTRACECTL_EXIT_USAGE;
}

void ktracectl_set_not_loaded(void)
{
	snprintf(err_reason, sizeof(err_reason), "%s", KTRACECTL_NOT_LOADED);
	err_exit = KTRACECTL_EXIT_NO_MODULE;
}

int ktracectl_nl_err(const struct ktnl *nl, int err, const char *fmt, ...)
{
	const char *msg = ktnl_errmsg(nl);
	char what[512] = "";
	va_list ap;

	/* "Permission denied" is about the caller, not about an object. */
	if (fmt && err != -EPERM) {
		va_start(ap, fmt);
		vsnprintf(what, sizeof(what), fmt, ap);
		va_end(ap);
	}
	/*
	 * Linux 6.1 drops the extended ack of a dump refused at its start:
	 * say what the module says when it refuses anything else.
	 */
	if (!msg[0] && err == -EPERM)
		msg = "ktrace needs CAP_PERFMON or CAP_SYS_ADMIN";
	ktracectl_set_err("%s%s%s", what, what[0] ? ": " : "",
			  msg[0] ? msg : strerror(-err));
	return err;
}

static int cmd_help(int argc, char **argv);

#define SESSION_OPT \
	"  -s, --session NAME  the session; may be left out when exactly one exists\n"
#define JSON_OPT \
	"  --json              print JSON (keys: README.md)\n"

static const struct ktracectl_cmd commands[] = {
	{ "create", NULL, cmd_create, "NAME [--snapshot] [-o PATH]",
	  "create a tracing session",
	  "Creates the session NAME. A snapshot session's channels overwrite\n"
	  "their oldest events by default (flight recorder); a normal session's\n"
	  "discard new events when full.\n\n"
	  "  --snapshot          snapshot mode\n"
	  "  -o, --output PATH   the session's first snapshot output: a directory\n"
	  "                      or a file:///dir URL; relative paths are made\n"
	  "                      absolute\n" },
	{ "destroy", NULL, cmd_destroy, "[NAME | --all]",
	  "destroy a session (or every session)",
	  "Stops and destroys the session NAME, or the only session, with its\n"
	  "channels, events and outputs.\n\n"
	  "  -a, --all           destroy every session\n"
	  SESSION_OPT },
	{ "list", NULL, cmd_list, "[NAME] [--json]",
	  "list the sessions, or one session in detail",
	  "Without NAME: every session with its mode, state, channels, streams\n"
	  "and event counters. With NAME: the session's channels, their events\n"
	  "(enabled or disabled) and its snapshot outputs.\n\n"
	  SESSION_OPT JSON_OPT },
	{ "status", NULL, cmd_status, "[--json]",
	  "show the session(s) in detail",
	  "Shows the only session in detail, as `list NAME` does, or every\n"
	  "session when there are several.\n\n"
	  JSON_OPT },
	{ "enable-channel", NULL, cmd_enable_channel,
	  "[-s S] [--overwrite|--discard] [--subbuf-size SIZE] [--num-subbuf N] [--switch-timer USEC] [--output splice|mmap] NAME",
	  "create a channel",
	  "Creates the channel NAME in a session that is not active. Unset\n"
	  "values take the module's defaults (4 sub-buffers of 1 MiB, the\n"
	  "session's mode, splice output, no switch timer).\n\n"
	  SESSION_OPT
	  "  --overwrite         overwrite the oldest events when full\n"
	  "  --discard           discard new events when full\n"
	  "  --subbuf-size SIZE  sub-buffer size: a power of two, at least a page\n"
	  "                      (4096, 4k, 4KiB, 1M, 2G)\n"
	  "  --num-subbuf N      sub-buffers per CPU: a power of two, at least 2\n"
	  "  --switch-timer USEC close the current packet every USEC microseconds\n"
	  "  --output TYPE       how readers get the data: splice or mmap\n" },
	{ "enable-event", NULL, cmd_enable_event, "[-s S] [-c CHAN] NAME[,NAME...] | -a",
	  "enable kernel events",
	  "Enables events, by name or glob (sched_*), in a channel; without -c,\n"
	  "in channel0, which is created on first need.\n\n"
	  SESSION_OPT
	  "  -c, --channel CHAN  the channel\n"
	  "  -a, --all           every event this kernel can trace\n" },
	{ "disable-event", NULL, cmd_disable_event, "[-s S] [-c CHAN] NAME[,NAME...] | -a",
	  "disable kernel events",
	  "Disables enabled events, by name or glob, in a channel (channel0\n"
	  "without -c). Disabled events keep their ids in the trace.\n\n"
	  SESSION_OPT
	  "  -c, --channel CHAN  the channel\n"
	  "  -a, --all           every enabled event of the channel\n" },
	{ "add-context", NULL, cmd_add_context, "[-s S] [-c CHAN] -t TYPE [-t TYPE...]",
	  "record context fields with every event",
	  "Adds context fields to every event of a channel (channel0 without\n"
	  "-c, created on first need). Only before the session's first start.\n\n"
	  SESSION_OPT
	  "  -c, --channel CHAN  the channel\n"
	  "  -t, --type TYPE     pid, tid, ppid, procname, prio, vpid, vtid,\n"
	  "                      cpu_id or hostname; repeat for several\n" },
	{ "start", NULL, cmd_start, "[NAME]",
	  "start tracing",
	  "Starts recording in the session NAME, or the only session; without\n"
	  "a channel, channel0 is created.\n\n"
	  SESSION_OPT },
	{ "stop", NULL, cmd_stop, "[NAME]",
	  "stop tracing",
	  "Stops recording in the session NAME, or the only session. Its buffers\n"
	  "keep their contents for snapshots.\n\n"
	  SESSION_OPT },
	{ "list-events", NULL, cmd_list_events, "[--json]",
	  "list the kernel events ktrace knows",
	  "Every event of the module with its fields and their types, and\n"
	  "whether this kernel has its tracepoint.\n\n"
	  JSON_OPT },
	{ "snapshot", "record", cmd_snapshot_record,
	  "[record] [-s S] [-m SIZE] [-n NAME] [--policy equal|window] [--json] [PATH]",
	  "record a snapshot (the default snapshot command)",
	  "Writes the newest contents of the session's buffers as a CTF trace to\n"
	  "every snapshot output, to PATH, or to $HOME/ktrace-traces/.\n\n"
	  SESSION_OPT
	  "  -m, --max-size SIZE at most SIZE bytes of trace (4096, 4k, 1M, 2G)\n"
	  "  -n, --name NAME     the snapshot's name\n"
	  "  --policy POLICY     how --max-size is shared: equal (every stream the\n"
	  "                      same number of packets, the default) or window\n"
	  "                      (every stream the same stretch of time)\n"
	  JSON_OPT },
	{ "snapshot", "add-output", cmd_add_output, "[-s S] [-m SIZE] [-n NAME] PATH|file://PATH",
	  "add a snapshot output",
	  "Adds a place snapshots are written to. Relative paths are made\n"
	  "absolute; file:// URLs need an absolute path.\n\n"
	  SESSION_OPT
	  "  -m, --max-size SIZE default maximum size of its snapshots\n"
	  "  -n, --name NAME     its name (default: snapshot-<id>)\n" },
	{ "snapshot", "del-output", cmd_del_output, "[-s S] ID|NAME",
	  "delete a snapshot output",
	  "Deletes the snapshot output with that id or name.\n\n"
	  SESSION_OPT },
	{ "snapshot", "list-output", cmd_list_output, "[-s S] [--json]",
	  "list the snapshot outputs",
	  "Lists the session's snapshot outputs: id, name, destination and\n"
	  "maximum size.\n\n"
	  SESSION_OPT JSON_OPT },
	{ "version", NULL, cmd_version, "",
	  "print ktracectl's version and the loaded module's ABI",
	  "Prints ktracectl's version and the module's ABI version and\n"
	  "features.\n" },
	{ "help", NULL, cmd_help, "[COMMAND [SUBCOMMAND]]",
	  "show this help, or a command's",
	  "Shows every command, or the usage and options of one. Every command\n"
	  "also takes --help.\n" },
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

/* The command named by @argv (one word, or a group and its subcommand). */
static const struct ktracectl_cmd *find_command(int argc, char **argv,
						int *nargs)
{
	const struct ktracectl_cmd *dflt = NULL;
	size_t i;

	for (i = 0; i < N_COMMANDS; i++) {
		const struct ktracectl_cmd *c = &commands[i];

		if (strcmp(c->name, argv[0]))
			continue;
		if (!c->sub) {
			*nargs = 1;
			return c;
		}
		if (argc > 1 && !strcmp(c->sub, argv[1])) {
			*nargs = 2;
			return c;
		}
		if (!dflt)
			dflt = c;	/* the group's first: its default */
	}
	*nargs = 1;
	return dflt;
}

static void usage(FILE *f)
{
	char name[64];
	size_t i;

	fprintf(f, "usage: ktracectl COMMAND [ARGS...]\n\ncommands:\n");
	for (i = 0; i < N_COMMANDS; i++) {
		snprintf(name, sizeof(name), "%s%s%s", commands[i].name,
			 commands[i].sub ? " " : "",
			 commands[i].sub ? commands[i].sub : "");
		fprintf(f, "  %-22s %s\n", name, commands[i].summary);
	}
	fprintf(f, "\n`ktracectl COMMAND --help` shows a command's options.\n"
		"Exit status: 0 success, 1 the command failed, 2 usage error,\n"
		"3 the ktrace module is not loaded.\n");
}

static void command_help(const struct ktracectl_cmd *c)
{
	/* "snapshot record" is also plain "snapshot": its usage says so. */
	int show_sub = c->sub && strcmp(c->sub, "record");

	printf("usage: ktracectl %s%s%s %s\n\n%s", c->name, show_sub ? " " : "",
	       show_sub ? c->sub : "", c->usage, c->help);
}

static void group_help(const char *group)
{
	size_t i;

	printf("usage: ktracectl %s SUBCOMMAND [ARGS...]\n\nsubcommands:\n",
	       group);
	for (i = 0; i < N_COMMANDS; i++)
		if (!strcmp(commands[i].name, group) && commands[i].sub)
			printf("  %-12s %s\n", commands[i].sub,
			       commands[i].summary);
	printf("\n`ktracectl %s SUBCOMMAND --help` shows its options.\n", group);
}

static int cmd_help(int argc, char **argv)
{
	const struct ktracectl_cmd *cmd;
	int nargs;

	if (argc < 2) {
		usage(stdout);
		return 0;
	}
	if (argc > 3) {
		ktracectl_usage_err("unexpected argument '%s'", argv[3]);
		return -EINVAL;
	}
	cmd = find_command(argc - 1, argv + 1, &nargs);
	if (!cmd) {
		ktracectl_usage_err("unknown command '%s'", argv[1]);
		return -EINVAL;
	}
	if (cmd->sub && nargs == 1 && argc == 2) {
		group_help(cmd->name);
		return 0;
	}
	if (1 + nargs < argc) {
		ktracectl_usage_err("unknown command '%s %s'", argv[1], argv[2]);
		return -EINVAL;
	}
	command_help(cmd);
	return 0;
}

/* Whether --help (or -h) is among the command's arguments, before "--". */
static int wants_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			return 0;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const struct ktracectl_cmd *cmd;
	char name[64];
	int ret, nargs;

	if (argc < 2) {
		usage(stderr);
		return KTRACECTL_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return KTRACECTL_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version"))
		argv[1] = "version";
	cmd = find_command(argc - 1, argv + 1, &nargs);
	if (!cmd) {
		fprintf(stderr, "ktracectl: unknown command '%s' (see ktracectl help)\n",
			argv[1]);
		return KTRACECTL_EXIT_USAGE;
	}
	/* The words the user typed: "snapshot" or "snapshot add-output". */
	snprintf(name, sizeof(name), "%s%s%s", cmd->name,
		 nargs == 2 ? " " : "", nargs == 2 ? cmd->sub : "");
	/* A handler's argv[0] is its own name: the last command word. */
	argc -= nargs;
	argv += nargs;
	if (wants_help(argc, argv)) {
		if (cmd->sub && nargs == 1 && argc == 2)
			group_help(cmd->name);
		else
			command_help(cmd);
		return KTRACECTL_EXIT_OK;
	}
	ret = cmd->handler(argc, argv);
	if (!ret)
		return KTRACECTL_EXIT_OK;
	fflush(stdout);
	fprintf(stderr, "ktracectl: %s: %s\n", name,
		err_reason[0] ? err_reason : strerror(-ret));
	/* device.c reports a missing module through ktracectl_set_err(). */
	if (!strcmp(err_reason, KTRACECTL_NOT_LOADED))
		return KTRACECTL_EXIT_NO_MODULE;
	return err_exit;
}
