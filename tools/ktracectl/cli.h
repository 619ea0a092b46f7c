/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The command-line grammar of ktracectl: every command's arguments parsed
 * into a struct, and the checks that need no kernel (names, sizes, powers
 * of two, event lists, context types, output destinations).
 *
 * Each command declares its grammar (a struct cli_grammar in
 * cli_grammar.c: an option table saying where each value goes, through
 * offsetof, and its positional argument); one parser, cli_parse() on
 * getopt_long() in cli.c, reads them all. cli_format.c has the names of
 * the uapi's values and the formatting of what list prints.
 *
 * Pure functions: no I/O besides reading their arguments, unit-tested on
 * the host (tests/userspace/host/test_cli.c). On a bad command line they
 * return -EINVAL with the reason set by ktracectl_usage_err(), which
 * main() prints and turns into exit code 2.
 */
#ifndef KTRACECTL_CLI_H
#define KTRACECTL_CLI_H

#include <stddef.h>
#include <stdint.h>

#include <ktrace.h>

/* Longest list of names one enable-event / disable-event takes. */
#define CLI_MAX_EVENTS		64
/* Context types, KTRACE_CONTEXT_TYPE_PID to _HOSTNAME. */
#define CLI_CONTEXT_TYPES	KTRACE_CONTEXT_TYPE_HOSTNAME

/*
 * What each command's arguments are parsed into. A command that works on
 * a session has it in a "session" option (-s), which is where main()
 * finds it (cli_session()).
 */

/* create [NAME] [--snapshot] [-o PATH | --no-output] */
struct cli_create {
	const char *name;	/* NULL: auto-<YYYYmmdd-HHMMSS> */
	int snapshot;
	const char *output;	/* as given, NULL without -o */
	int no_output;
};

/* destroy [NAME | --all], start [NAME], stop [NAME] (also -s NAME) */
struct cli_session_arg {
	const char *session;	/* NULL: the only session */
	int all;		/* destroy --all */
};

/*
 * list [NAME] [-k] [--syscall] [--json], status [--json],
 * list-events [-k] [--syscall] [--json]
 */
struct cli_list {
	const char *session;	/* list NAME; NULL for every session */
	int json;
	int kernel;		/* -k: list (without NAME) is list-events */
	int syscall;		/* --syscall: the per-syscall events */
};

/* enable-channel [-s S] [options] NAME */
struct cli_channel {
	const char *session;
	const char *name;
	uint32_t mode;		/* KTRACE_CHANNEL_*; 0: the session's default */
	uint64_t subbuf_size;	/* 0: the kernel's default */
	uint32_t num_subbuf;	/* 0: the kernel's default */
	uint32_t switch_timer_us;
	uint32_t output;	/* KTRACE_CHANNEL_SPLICE/MMAP; 0: splice */
	int kernel;		/* -k: lttng's domain, the only one */
	uint32_t read_timer_us;	/* 0: the kernel's default */
	uint64_t tracefile_size; /* 0: unlimited */
	uint32_t tracefile_count; /* 0: unlimited */
};

/*
 * enable-event / disable-event [-k] [-s S] [-c CHAN] [--syscall]
 * NAME[,NAME...] | -a
 */
struct cli_events {
	const char *session;
	const char *channel;	/* NULL: channel0 */
	int all;		/* -a: the pattern "*" */
	int kernel;		/* -k: lttng's domain, the only one */
	int syscall;		/* --syscall: NAMEs are system calls, each
				 * syscall_entry_NAME and syscall_exit_NAME */
	char *list;		/* NAME[,NAME...] as given, split in place */
	size_t nr_names;
	const char *names[CLI_MAX_EVENTS];	/* NUL-terminated in argv */
};

/* Context types in the order given (add-context -t, repeated). */
struct cli_types {
	size_t nr;
	uint32_t type[CLI_CONTEXT_TYPES];	/* KTRACE_CONTEXT_TYPE_* */
};

/* add-context [-s S] [-c CHAN] -t TYPE [-t TYPE...] */
struct cli_context {
	const char *session;
	const char *channel;
	struct cli_types types;
	int kernel;		/* -k: lttng's domain, the only one */
};

/* snapshot add-output [-s S] [-m SIZE] [-n NAME] PATH|file://PATH */
struct cli_output_add {
	const char *session;
	uint64_t max_size;	/* 0 without -m */
	const char *name;	/* NULL: the kernel names it snapshot-<id> */
	const char *dest;	/* as given; see cli_dest_check() */
};

/* snapshot del-output [-s S] ID|NAME */
struct cli_output_del {
	const char *session;
	const char *output;
	int is_id;		/* @output is a number: try it as an id first */
	uint32_t id;
};

/* snapshot list-output [-s S] [--json] */
struct cli_output_list {
	const char *session;
	int json;
};

/* How snapshot --max-size is shared among the streams (budget.h). */
enum cli_policy {
	CLI_POLICY_EQUAL,	/* the same number of packets each */
	CLI_POLICY_WINDOW,	/* the same stretch of time each */
};

/* snapshot [record] [-s S] [-m SIZE] [-n NAME] [--policy P] [--json] [PATH] */
struct cli_record {
	const char *session;
	uint64_t max_size;	/* 0: the output's, else no limit */
	const char *name;	/* NULL: the output's name */
	const char *path;	/* NULL: the session's outputs */
	uint32_t policy;	/* enum cli_policy */
	int json;
	int no_statedump;	/* --no-statedump: no statedump first */
};

/* save [NAME] [-s S] [-o FILE] */
struct cli_save {
	const char *session;
	const char *output;	/* NULL: standard output */
};

/* load FILE [--override-name NAME] */
struct cli_load {
	const char *file;
	const char *name;	/* NULL: the file's */
};

/* The value an option (or the positional argument) takes. */
enum cli_type {
	CLI_NONE,		/* no positional argument */
	CLI_FLAG,		/* int, set to 1; takes no value */
	CLI_SET,		/* uint32_t, set to .value; takes no value; the
				 * options setting one field conflict */
	CLI_STRING,		/* const char *, as given */
	CLI_NAME,		/* const char *, a valid .what name */
	CLI_SIZE,		/* uint64_t, a size above 0 */
	CLI_SUBBUF_SIZE,	/* uint64_t, a power of two >= the page size */
	CLI_NUM_SUBBUF,		/* uint32_t, a power of two from 2 to 2^31 */
	CLI_USEC,		/* uint32_t, microseconds */
	CLI_WORD,		/* uint32_t, the .value of one of .words */
	CLI_CONTEXT_TYPE,	/* struct cli_types, appended to; repeats */
	CLI_COUNT,		/* uint32_t, a number above 0 */
};

struct cli_word {
	const char *name;
	uint32_t value;
};

/* One option of a command: --name or -short_name. */
struct cli_opt {
	const char *name;		/* long name, without "--" */
	char short_name;		/* or 0 */
	enum cli_type type;
	size_t offset;			/* of its field in the command's struct */
	const char *what;		/* CLI_NAME: "session", "channel", ... */
	uint32_t value;			/* CLI_SET */
	const struct cli_word *words;	/* CLI_WORD, ending with a NULL name */
};

/* Options a grammar may have at most (a bit each for "given twice"). */
#define CLI_MAX_OPTS	16

/*
 * A command's grammar: its options, its one positional argument (or
 * none), and the checks that need the whole command line.
 */
struct cli_grammar {
	size_t size;			/* of the command's struct */
	const struct cli_opt *opts;	/* ending with a NULL name */
	struct {
		enum cli_type type;	/* CLI_NONE, CLI_STRING or CLI_NAME */
		size_t offset;
		const char *what;	/* CLI_NAME */
		const char *missing;	/* message when absent; NULL: optional */
	} arg;
	int (*check)(void *out);	/* NULL: nothing more */
};

/* The grammars, one per command (struct in the comment). */
extern const struct cli_grammar cli_create_grammar;	/* cli_create */
extern const struct cli_grammar cli_destroy_grammar;	/* cli_session_arg */
extern const struct cli_grammar cli_start_grammar;	/* start, stop: cli_session_arg */
extern const struct cli_grammar cli_list_grammar;	/* cli_list */
extern const struct cli_grammar cli_json_grammar;	/* status, list-events: cli_list */
extern const struct cli_grammar cli_channel_grammar;	/* cli_channel */
extern const struct cli_grammar cli_events_grammar;	/* cli_events */
extern const struct cli_grammar cli_context_grammar;	/* cli_context */
extern const struct cli_grammar cli_output_add_grammar;	/* cli_output_add */
extern const struct cli_grammar cli_output_del_grammar;	/* cli_output_del */
extern const struct cli_grammar cli_output_list_grammar; /* cli_output_list */
extern const struct cli_grammar cli_record_grammar;	/* cli_record */
extern const struct cli_grammar cli_none_grammar;	/* no arguments */
extern const struct cli_grammar cli_save_grammar;	/* cli_save */
extern const struct cli_grammar cli_load_grammar;	/* cli_load */
extern const struct cli_grammar cli_list_events_grammar; /* cli_list */
extern const struct cli_grammar cli_regenerate_grammar;	/* cli_session_arg */
extern const struct cli_grammar cli_channel_name_grammar; /* cli_channel */

/* The largest struct a grammar fills in. */
union cli_args {
	struct cli_create create;
	struct cli_session_arg session;
	struct cli_list list;
	struct cli_channel channel;
	struct cli_events events;
	struct cli_context context;
	struct cli_output_add output_add;
	struct cli_output_del output_del;
	struct cli_output_list output_list;
	struct cli_record record;
	struct cli_save save;
	struct cli_load load;
};

/**
 * cli_parse() - parse a command's arguments by its grammar
 * @g: the command's grammar.
 * @argc: argument count, argv[0] being the command's own name ("create",
 *	"add-output").
 * @argv: the arguments; nothing is reordered, the results point into it
 *	(an event list is split in place).
 * @out: the command's struct (@g->size bytes), zeroed first.
 *
 * getopt_long() without its own messages: "--name VALUE", "--name=VALUE",
 * "-x VALUE", "-xVALUE", bundled flags ("-ab") and unambiguous prefixes
 * of long names; "--" ends the options. An option given twice is refused,
 * except those that repeat (add-context -t). "--help" is main()'s.
 *
 * Return: 0, or -EINVAL with the usage error set.
 */
int cli_parse(const struct cli_grammar *g, int argc, char **argv, void *out);

/**
 * cli_session() - the session a parsed command line names
 * @g: its grammar.
 * @out: what cli_parse() filled in.
 *
 * Return: the value of its "session" option (or of NAME, for the commands
 * that take it there), or NULL when none was given or it has none.
 */
const char *cli_session(const struct cli_grammar *g, const void *out);

/**
 * cli_name_valid() - whether a session, channel or output name is valid
 * @name: the name.
 *
 * Return: 1 for 1 to KTRACE_NAME_LEN characters of [A-Za-z0-9_.-], as the
 * kernel accepts, else 0.
 */
int cli_name_valid(const char *name);

/**
 * cli_event_valid() - whether an event name or glob is valid
 * @name: the name, with * and ? as globs.
 *
 * Return: 1 for 1 to KTRACE_NAME_LEN characters of [A-Za-z0-9_*?], else 0.
 */
int cli_event_valid(const char *name);

/**
 * cli_context_type() - a context type by its name
 * @name: "pid", "tid", "ppid", "procname", "prio", "vpid", "vtid",
 *	"cpu_id" or "hostname" (lttng's names).
 *
 * Return: its KTRACE_CONTEXT_TYPE_*, or 0 for an unknown name.
 */
uint32_t cli_context_type(const char *name);

/**
 * cli_context_name() - the name of a context type
 * @type: a KTRACE_CONTEXT_TYPE_*.
 *
 * Return: its name, or "unknown".
 */
const char *cli_context_name(uint32_t type);

/**
 * cli_dest_check() - check an output destination
 * @dest: "PATH" or "file://PATH" as given on the command line.
 * @what: the argument's name for the message ("output path").
 *
 * Return: 0, or -EINVAL with the usage error set for an empty destination,
 * another URL scheme, or a file:// URL of a relative path.
 */
int cli_dest_check(const char *dest, const char *what);

/**
 * cli_trace_dest_check() - check a normal session's trace output
 * @dest: as given to create -o or record -o.
 *
 * Return: as cli_dest_check(); a net://HOST[:PORT] output is fine (the
 * consumer streams to ktrace-relayd there).
 */
int cli_trace_dest_check(const char *dest);

/**
 * cli_abs_dest() - the destination to store in the kernel
 * @buf: where to write it.
 * @len: size of @buf.
 * @dest: a destination that passed cli_dest_check().
 * @base: the absolute directory a relative @dest is relative to (the
 *	working directory, or the real path of @dest's existing parent).
 *
 * file:// URLs and absolute paths are kept as given; a relative path is
 * joined to @base, without "./" components and doubled slashes at the
 * seam. The kernel stores the string and later runs may have another
 * working directory, so what it stores is absolute.
 *
 * Return: 0, -EINVAL for a relative @base or an invalid @dest,
 * -ENAMETOOLONG when the result does not fit in @len or is longer than
 * KTRACE_DEST_LEN.
 */
int cli_abs_dest(char *buf, size_t len, const char *dest, const char *base);

/**
 * cli_pick_session() - the session a command without -s works on
 * @names: the names of the sessions that exist.
 * @n: how many.
 * @out: set to the one session's name.
 *
 * Return: 0 when exactly one exists; -ENOENT when none does and -EINVAL
 * when several do (at most eight named in the message), with the reason
 * set by ktracectl_set_err().
 */
int cli_pick_session(const char *const *names, size_t n, const char **out);

/* Strings of the uapi enums, as `list` and the JSON output print them. */
const char *cli_session_mode_str(uint32_t mode);
const char *cli_session_state_str(uint32_t state);
const char *cli_channel_mode_str(uint32_t mode);
const char *cli_channel_output_str(uint32_t output);
const char *cli_field_type_str(uint32_t type);

/**
 * cli_format_field() - a field's type as list-events prints it
 * @buf: where to write it.
 * @len: size of @buf.
 * @type: KTRACE_FIELD_TYPE_*.
 * @size: bytes of one element.
 * @is_signed: whether the integer (or element) is signed.
 * @length: array elements.
 *
 * Writes "s32", "u64", "enum s32", "u8[16]", "char[16]" or "string".
 */
void cli_format_field(char *buf, size_t len, uint32_t type, uint32_t size,
		      int is_signed, uint32_t length);

/**
 * cli_format_channel() - a channel's configuration in one line
 * @buf: where to write it.
 * @len: size of @buf.
 * @mode: KTRACE_CHANNEL_DISCARD or _OVERWRITE.
 * @subbuf_size: bytes per sub-buffer.
 * @num_subbuf: sub-buffers per CPU.
 * @output: KTRACE_CHANNEL_SPLICE or _MMAP.
 * @switch_timer_us: the switch timer's period, 0 for none.
 *
 * Writes "overwrite, 4 x 1 MiB sub-buffers per CPU, splice output, switch
 * timer off".
 */
void cli_format_channel(char *buf, size_t len, uint32_t mode,
			uint64_t subbuf_size, uint32_t num_subbuf,
			uint32_t output, uint32_t switch_timer_us);

#endif /* KTRACECTL_CLI_H */
