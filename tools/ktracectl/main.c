// SPDX-License-Identifier: GPL-2.0
/*
 * ktracectl: control ktrace tracing sessions.
 *
 * One table lists every command with its grammar (cli.c) and what it
 * needs; each command group lives in a file of its own (session.c,
 * channel.c, event.c, context.c, list.c, snapshot.c, device.c). main()
 * parses the arguments, connects, picks the session and hands the command
 * a context; commands return 0 or a negative errno and only main() prints
 * errors (err.c), as "ktracectl: <command>: <reason>", the reason ending
 * with the kernel's extended-ack message when the kernel refused a
 * request.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "ktracectl.h"
#include "nl.h"

static int cmd_help(struct ktracectl_ctx *ctx);

#define SESSION_OPT \
	"  -s, --session NAME  the session; may be left out when exactly one exists\n"
#define JSON_OPT \
	"  --json              print JSON (keys: README.md)\n"
#define KERNEL_OPT \
	"  -k, --kernel        the kernel domain, as lttng spells it: the only\n" \
	"                      one, accepted and ignored\n"

/* What a command needs (enum ktracectl_needs). */
#define NL	KTRACECTL_NEEDS_NL
#define SESSION	(KTRACECTL_NEEDS_NL | KTRACECTL_NEEDS_SESSION)

static const struct ktracectl_cmd commands[] = {
	{ "create", NULL, &cli_create_grammar, NL, cmd_create,
	  "[NAME] [--snapshot] [-o PATH | --no-output]",
	  "create a tracing session",
	  "Creates the session NAME (default: auto-<YYYYmmdd-HHMMSS>). A normal\n"
	  "session records to disk: start launches its consumer, which writes\n"
	  "PATH/kernel/metadata and PATH/kernel/<channel>_<cpu>; its channels\n"
	  "discard new events when full. A snapshot session's channels overwrite\n"
	  "their oldest events by default (flight recorder).\n\n"
	  "  --snapshot          snapshot mode\n"
	  "  -o, --output PATH   a normal session's trace directory (default:\n"
	  "                      $HOME/ktrace-traces/<name>-<YYYYmmdd-HHMMSS>), or\n"
	  "                      a snapshot session's first snapshot output: a\n"
	  "                      directory, a file:///dir URL or net://HOST[:PORT]\n"
	  "                      (sent to ktrace-relayd); relative paths are made\n"
	  "                      absolute\n"
	  "  --no-output         a normal session that writes no trace\n" },
	{ "destroy", NULL, &cli_destroy_grammar, NL, cmd_destroy,
	  "[NAME | --all]",
	  "destroy a session (or every session)",
	  "Stops and destroys the session NAME, or the only session, with its\n"
	  "channels, events and outputs. An active normal session is stopped as\n"
	  "stop does (its trace written), then its consumer ends.\n\n"
	  "  -a, --all           destroy every session\n"
	  SESSION_OPT },
	{ "list", NULL, &cli_list_grammar, NL, cmd_list,
	  "[NAME] [-k [--syscall]] [--json]",
	  "list the sessions, or one session in detail",
	  "Without NAME: every session with its mode, state, channels, streams\n"
	  "and event counters. With NAME: the session's channels, their events\n"
	  "(enabled or disabled) and its snapshot outputs. Without NAME, -k\n"
	  "lists the kernel's events instead, as list-events does (lttng list\n"
	  "-k).\n\n"
	  SESSION_OPT JSON_OPT
	  "  -k, --kernel        without NAME: list the kernel's events\n"
	  "  --syscall           without NAME: list the system call events\n" },
	{ "status", NULL, &cli_json_grammar, NL, cmd_status,
	  "[--json]",
	  "show the session(s) in detail",
	  "Shows the only session in detail, as `list NAME` does, or every\n"
	  "session when there are several.\n\n"
	  JSON_OPT },
	{ "enable-channel", NULL, &cli_channel_grammar, SESSION, cmd_enable_channel,
	  "[-s S] [--overwrite|--discard] [--subbuf-size SIZE] [--num-subbuf N] [--switch-timer USEC] [--output splice|mmap] [--read-timer USEC] [--tracefile-size SIZE [--tracefile-count N]] NAME",
	  "create a channel, or enable a disabled one",
	  "Creates the channel NAME in a session that is not active. Unset\n"
	  "values take the module's defaults (4 sub-buffers of 1 MiB, the\n"
	  "session's mode, splice output, no switch timer). Without options,\n"
	  "an existing disabled channel is enabled again.\n\n"
	  SESSION_OPT
	  "  --overwrite         overwrite the oldest events when full\n"
	  "  --discard           discard new events when full\n"
	  "  --subbuf-size SIZE  sub-buffer size: a power of two, at least a page\n"
	  "                      (4096, 4k, 4KiB, 1M, 2G)\n"
	  "  --num-subbuf N      sub-buffers per CPU: a power of two, at least 2\n"
	  "  --switch-timer USEC close the current packet every USEC microseconds\n"
	  "  --output TYPE       how readers get the data: splice or mmap\n"
	  "  --read-timer USEC   wake the consumer every USEC microseconds\n"
	  "                      instead of at every packet\n"
	  "  --tracefile-size SIZE  trace files of at most SIZE per stream:\n"
	  "                      <channel>_<cpu>_<k> (normal sessions)\n"
	  "  --tracefile-count N keep the newest N trace files per stream\n"
	  KERNEL_OPT },
	{ "disable-channel", NULL, &cli_channel_name_grammar, SESSION,
	  cmd_disable_channel,
	  "[-s S] NAME",
	  "disable a channel",
	  "Disables the channel NAME, also while the session is active: it\n"
	  "records nothing until enable-channel NAME enables it again.\n\n"
	  SESSION_OPT },
	{ "enable-event", NULL, &cli_events_grammar, SESSION, cmd_enable_event,
	  "[-k] [-s S] [-c CHAN] [--syscall] NAME[,NAME...] | -a",
	  "enable kernel events",
	  "Enables events, by name or glob (sched_*), in a channel; without -c,\n"
	  "in channel0, which is created on first need. With --syscall, the\n"
	  "names are system calls (openat,read or open*): each enables its\n"
	  "syscall_entry_NAME and syscall_exit_NAME events.\n\n"
	  SESSION_OPT
	  "  -c, --channel CHAN  the channel\n"
	  "  -a, --all           every event this kernel can trace (with\n"
	  "                      --syscall: every system call)\n"
	  "  --syscall           the names are system calls\n"
	  KERNEL_OPT },
	{ "disable-event", NULL, &cli_events_grammar, SESSION, cmd_disable_event,
	  "[-k] [-s S] [-c CHAN] [--syscall] NAME[,NAME...] | -a",
	  "disable kernel events",
	  "Disables enabled events, by name or glob, in a channel (channel0\n"
	  "without -c). Disabled events keep their ids in the trace. With\n"
	  "--syscall, the names are system calls, as for enable-event.\n\n"
	  SESSION_OPT
	  "  -c, --channel CHAN  the channel\n"
	  "  -a, --all           every enabled event of the channel (with\n"
	  "                      --syscall: every enabled system call)\n"
	  "  --syscall           the names are system calls\n"
	  KERNEL_OPT },
	{ "add-context", NULL, &cli_context_grammar, SESSION, cmd_add_context,
	  "[-s S] [-c CHAN] -t TYPE [-t TYPE...]",
	  "record context fields with every event",
	  "Adds context fields to every event of a channel (channel0 without\n"
	  "-c, created on first need). Only before the session's first start.\n\n"
	  SESSION_OPT
	  "  -c, --channel CHAN  the channel\n"
	  "  -t, --type TYPE     pid, tid, ppid, procname, prio, vpid, vtid,\n"
	  "                      cpu_id or hostname; repeat for several\n"
	  KERNEL_OPT },
	{ "start", NULL, &cli_start_grammar, SESSION, cmd_start,
	  "[NAME]",
	  "start tracing",
	  "Starts recording in the session NAME, or the only session; without\n"
	  "a channel, channel0 is created. A normal session with an output gets\n"
	  "its consumer, a process that writes the trace as it fills; it needs\n"
	  "an enabled event.\n\n"
	  SESSION_OPT },
	{ "stop", NULL, &cli_start_grammar, SESSION, cmd_stop,
	  "[NAME]",
	  "stop tracing",
	  "Stops recording in the session NAME, or the only session. Its buffers\n"
	  "keep their contents for snapshots. For a normal session, waits until\n"
	  "its consumer has written and synced everything up to the stop (at most\n"
	  "$KTRACE_STOP_TIMEOUT seconds, 60 by default), then prints the bytes\n"
	  "and events written and the discarded events; fails when the consumer died or\n"
	  "could not write.\n\n"
	  SESSION_OPT },
	{ "clear", NULL, &cli_start_grammar, SESSION, cmd_clear,
	  "[NAME]",
	  "discard what the session's buffers hold",
	  "Discards every event the buffers of the session NAME (or the only\n"
	  "session) hold and, while a normal session streams, what its consumer\n"
	  "has not written yet.\n\n"
	  SESSION_OPT },
	{ "record", NULL, NULL, 0, cmd_record,
	  "[-e EVENT,...] [--syscall NAME,...] [-t CONTEXT...] [-o DIR] [--max-size SIZE] [-- COMMAND ARGS...]",
	  "record a trace of a command, or until Ctrl-C",
	  "Creates a temporary session, records the events to DIR while COMMAND\n"
	  "runs (without COMMAND: until SIGINT or SIGTERM), stops, destroys the\n"
	  "session, and prints the trace's path and a summary. The exit status\n"
	  "is COMMAND's.\n\n"
	  "  -e, --event LIST    events to record, by name or glob (default:\n"
	  "                      sched_switch,sched_wakeup,sched_process_*)\n"
	  "  --syscall LIST      system calls to record (syscall_entry_NAME and\n"
	  "                      syscall_exit_NAME); \"all\" for every one\n"
	  "  -t, --context TYPE  a context field for every event; repeat\n"
	  "  -o, --output DIR    the trace directory (default:\n"
	  "                      $HOME/ktrace-traces/record-<YYYYmmdd-HHMMSS>)\n"
	  "  --max-size SIZE     keep at most about SIZE of trace per stream,\n"
	  "                      the newest (rotating trace files)\n" },
	{ "view", NULL, NULL, 0, cmd_view,
	  "[PATH | -s NAME]",
	  "show a trace with babeltrace2",
	  "Runs babeltrace2 on the trace at PATH, or on the trace output of\n"
	  "the session NAME (or of the only session).\n\n"
	  SESSION_OPT },
	{ "list-events", NULL, &cli_list_events_grammar, NL, cmd_list_events,
	  "[-k] [--syscall] [--json]",
	  "list the kernel events ktrace knows",
	  "Every event of the module with its fields and their types, and\n"
	  "whether this kernel has its tracepoint. With --syscall, the\n"
	  "per-syscall events instead (syscall_entry_NAME, syscall_exit_NAME).\n\n"
	  "  --syscall           list the system call events\n"
	  KERNEL_OPT JSON_OPT },
	{ "snapshot", "record", &cli_record_grammar, SESSION, cmd_snapshot_record,
	  "[record] [-s S] [-m SIZE] [-n NAME] [--policy equal|window] [--no-statedump] [--json] [PATH]",
	  "record a snapshot (the default snapshot command)",
	  "Writes the newest contents of the session's buffers as a CTF trace to\n"
	  "every snapshot output, to PATH, or to $HOME/ktrace-traces/. An active\n"
	  "session first records a statedump, so that every snapshot has the\n"
	  "process table, open files and device names, whatever its window.\n\n"
	  SESSION_OPT
	  "  -m, --max-size SIZE at most SIZE bytes of trace (4096, 4k, 1M, 2G)\n"
	  "  -n, --name NAME     the snapshot's name\n"
	  "  --policy POLICY     how --max-size is shared: equal (every stream the\n"
	  "                      same number of packets, the default) or window\n"
	  "                      (every stream the same stretch of time)\n"
	  "  --no-statedump      record no statedump first\n"
	  JSON_OPT },
	{ "snapshot", "add-output", &cli_output_add_grammar, SESSION, cmd_add_output,
	  "[-s S] [-m SIZE] [-n NAME] PATH|file://PATH|net://HOST[:PORT]",
	  "add a snapshot output",
	  "Adds a place snapshots are written to. Relative paths are made\n"
	  "absolute; file:// URLs need an absolute path. net://HOST[:PORT]\n"
	  "(IPv6: net://[::1]:5390) sends snapshots to ktrace-relayd on HOST,\n"
	  "authenticated with $KTRACE_RELAY_TOKEN_FILE or /etc/ktrace/relay.token.\n\n"
	  SESSION_OPT
	  "  -m, --max-size SIZE default maximum size of its snapshots\n"
	  "  -n, --name NAME     its name (default: snapshot-<id>)\n" },
	{ "snapshot", "del-output", &cli_output_del_grammar, SESSION, cmd_del_output,
	  "[-s S] ID|NAME",
	  "delete a snapshot output",
	  "Deletes the snapshot output with that id or name.\n\n"
	  SESSION_OPT },
	{ "snapshot", "list-output", &cli_output_list_grammar, SESSION, cmd_list_output,
	  "[-s S] [--json]",
	  "list the snapshot outputs",
	  "Lists the session's snapshot outputs: id, name, destination and\n"
	  "maximum size.\n\n"
	  SESSION_OPT JSON_OPT },
	{ "save", NULL, &cli_save_grammar, SESSION, cmd_save,
	  "[NAME] [-s S] [-o FILE]",
	  "save a session's configuration as a session file",
	  "Writes the whole configuration of the session NAME, or the only\n"
	  "session, as JSON: its mode, channels with their attributes, contexts\n"
	  "and events (enabled or disabled), and snapshot outputs. `ktracectl\n"
	  "load` recreates the session from it.\n\n"
	  SESSION_OPT
	  "  -o, --output FILE   write to FILE (replaced whole), not to stdout\n" },
	{ "load", NULL, &cli_load_grammar, NL, cmd_load,
	  "FILE [--override-name NAME]",
	  "create a session from a session file",
	  "Creates the session that FILE (written by `ktracectl save`)\n"
	  "describes, never started. The whole file is checked first; a file\n"
	  "the module refuses a part of leaves no session behind.\n\n"
	  "  --override-name NAME  create it as NAME, not the file's name\n" },
	{ "regenerate", "statedump", &cli_regenerate_grammar, SESSION,
	  cmd_regenerate_statedump,
	  "[-s S]",
	  "record a statedump now",
	  "Records a statedump (the lttng_statedump_* events: processes, open\n"
	  "files, block devices, interrupts, CPUs, network interfaces) into an\n"
	  "active session, as at its first start.\n\n"
	  SESSION_OPT },
	{ "version", NULL, &cli_none_grammar, 0, cmd_version,
	  "",
	  "print ktracectl's and the loaded module's versions and ABIs",
	  "Prints ktracectl's version and the ABI version it was built for,\n"
	  "then the loaded module's version, ABI version and features. When the\n"
	  "module's ABI or version is not ktracectl's, warns on stderr (exit\n"
	  "status 0). Without the module: exit status 3.\n" },
	{ "help", NULL, NULL, 0, cmd_help,
	  "[COMMAND [SUBCOMMAND]]",
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

static int cmd_help(struct ktracectl_ctx *ctx)
{
	const struct ktracectl_cmd *cmd;
	char **argv = ctx->argv;
	int argc = ctx->argc, nargs;

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

/*
 * Parses the command's arguments, connects and picks the session as the
 * command needs, runs it, and closes what it opened.
 */
static int run(const struct ktracectl_cmd *cmd, int argc, char **argv)
{
	struct ktracectl_ctx ctx = { .argc = argc, .argv = argv };
	char session[KTRACE_NAME_LEN + 1];
	union cli_args args;
	struct ktnl nl;
	int ret;

	if (cmd->grammar) {
		ret = cli_parse(cmd->grammar, argc, argv, &args);
		if (ret)
			return ret;
		ctx.args = &args;
	}
	if (cmd->needs & KTRACECTL_NEEDS_NL) {
		ret = ktracectl_connect(&nl);
		if (ret)
			return ret;
		ctx.nl = &nl;
	}
	if (cmd->needs & KTRACECTL_NEEDS_SESSION) {
		ret = ktracectl_session(&nl, cli_session(cmd->grammar, &args),
					session);
		if (ret)
			goto out_close;
		ctx.session = session;
	}
	ret = cmd->run(&ctx);
out_close:
	if (ctx.nl)
		ktnl_close(ctx.nl);
	return ret;
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
	/* A command's argv[0] is its own name: the last command word. */
	argc -= nargs;
	argv += nargs;
	if (wants_help(argc, argv)) {
		if (cmd->sub && nargs == 1 && argc == 2)
			group_help(cmd->name);
		else
			command_help(cmd);
		return KTRACECTL_EXIT_OK;
	}
	ret = run(cmd, argc, argv);
	return ret ? ktracectl_err_report(name, ret) : KTRACECTL_EXIT_OK;
}
