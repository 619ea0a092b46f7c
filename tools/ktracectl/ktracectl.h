/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KTRACECTL_H
#define KTRACECTL_H

#include <stdint.h>

#include <ktrace.h>

#define KTRACECTL_VERSION "0.1"

/* The message for every command when the module is not loaded. */
#define KTRACECTL_NOT_LOADED \
	"the ktrace module is not loaded (modprobe ktrace, or insmod module/ktrace.ko from a build tree)"

/* Exit codes (documented in README.md). */
enum ktracectl_exit {
	KTRACECTL_EXIT_OK = 0,
	KTRACECTL_EXIT_FAIL = 1,	/* the command failed */
	KTRACECTL_EXIT_USAGE = 2,	/* the command line is wrong */
	KTRACECTL_EXIT_NO_MODULE = 3,	/* ktrace.ko is not loaded */
};

struct cli_grammar;
struct ktnl;

/* What a command needs before it runs; main() provides it. */
enum ktracectl_needs {
	KTRACECTL_NEEDS_NL = 1 << 0,		/* a connection to the module */
	KTRACECTL_NEEDS_SESSION = 1 << 1,	/* and the session it works on */
};

/* What main() hands a command: its parsed arguments and what it needs. */
struct ktracectl_ctx {
	const void *args;	/* the struct cli_* of its grammar */
	struct ktnl *nl;	/* NEEDS_NL: connected; else NULL */
	const char *session;	/* NEEDS_SESSION: -s NAME, NAME or the only one */
	int argc;		/* the command's words, argv[0] its name */
	char **argv;
};

/*
 * One entry of the command table (main.c). A command of a group
 * ("snapshot add-output") has the group as @name and itself as @sub.
 * main() parses the arguments by @grammar, connects and picks the session
 * as @needs says, and calls @run, which returns 0 or a negative errno and
 * on error leaves the reason with one of the functions below; main()
 * prints it and exits with the code its kind gives.
 */
struct ktracectl_cmd {
	const char *name;
	const char *sub;
	const struct cli_grammar *grammar;
	unsigned int needs;	/* enum ktracectl_needs */
	int (*run)(struct ktracectl_ctx *ctx);
	const char *usage;
	const char *summary;
	const char *help;
};

/*
 * err.c: the reason a command failed, and its kind, which gives the exit
 * code (no message is ever compared).
 */
/* The command failed: "ktracectl: <command>: <reason>", exit 1. */
void ktracectl_set_err(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
/* The command line is wrong: exit 2. */
void ktracectl_usage_err(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
/* The module is not loaded: KTRACECTL_NOT_LOADED, exit 3. */
void ktracectl_set_not_loaded(void);
/* Prints the reason of @err for @command; returns the exit code. */
enum ktracectl_exit ktracectl_err_report(const char *command, int err);

/**
 * ktracectl_nl_err() - the reason for a refused netlink request
 * @nl: the connection, holding the kernel's extended-ack message.
 * @err: the negative errno the request returned.
 * @fmt: what was being done, usually the object's name ("sched_switch");
 *	NULL for nothing.
 *
 * Sets "<what>: <kernel's message>" (or strerror() without a message);
 * without <what> for -EPERM, which is about the caller.
 *
 * Return: @err.
 */
int ktracectl_nl_err(const struct ktnl *nl, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* connect.c: what every command that talks to the module needs */
int ktracectl_connect(struct ktnl *nl);
int ktracectl_session(struct ktnl *nl, const char *given,
		      char name[KTRACE_NAME_LEN + 1]);
const char *ktracectl_blamed(const struct ktnl *nl, const char *session,
			     const char *channel, const char *what);

/* device.c: /dev/ktrace */
int ktracectl_dev_open(void);

/* version.c */
int cmd_version(struct ktracectl_ctx *ctx);

/* save.c, load.c: session files */
int cmd_save(struct ktracectl_ctx *ctx);
int cmd_load(struct ktracectl_ctx *ctx);

/* session.c */
int cmd_create(struct ktracectl_ctx *ctx);
int cmd_destroy(struct ktracectl_ctx *ctx);
int cmd_start(struct ktracectl_ctx *ctx);
int cmd_stop(struct ktracectl_ctx *ctx);
int cmd_clear(struct ktracectl_ctx *ctx);

/* list.c */
int cmd_list(struct ktracectl_ctx *ctx);
int cmd_status(struct ktracectl_ctx *ctx);

/* channel.c */
int cmd_enable_channel(struct ktracectl_ctx *ctx);
int cmd_disable_channel(struct ktracectl_ctx *ctx);

/* record_cmd.c, view.c */
int cmd_record(struct ktracectl_ctx *ctx);
int cmd_view(struct ktracectl_ctx *ctx);

/* event.c */
int cmd_enable_event(struct ktracectl_ctx *ctx);
int cmd_disable_event(struct ktracectl_ctx *ctx);
int cmd_list_events(struct ktracectl_ctx *ctx);
int cmd_regenerate_statedump(struct ktracectl_ctx *ctx);

/* context.c */
int cmd_add_context(struct ktracectl_ctx *ctx);

/* snapshot.c */
int cmd_snapshot_record(struct ktracectl_ctx *ctx);
int cmd_add_output(struct ktracectl_ctx *ctx);
int cmd_del_output(struct ktracectl_ctx *ctx);
int cmd_list_output(struct ktracectl_ctx *ctx);
struct ktnl_output;
int ktracectl_add_output(struct ktnl *nl, const char *session,
			 const char *name, const char *dest,
			 uint64_t max_size, struct ktnl_output *out);
void ktracectl_print_output(const char *prefix, const struct ktnl_output *o);
struct json_t;
struct json_t *ktracectl_json_output(const struct ktnl_output *o);

/* size.c: pure helpers, unit-tested on the host */
int ktracectl_parse_digits(const char **s, uint64_t max, uint64_t *out);
int ktracectl_parse_size(const char *s, uint64_t *out);
void ktracectl_format_size(uint64_t bytes, char *buf, unsigned long len);

#endif /* KTRACECTL_H */
