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

/*
 * One entry of the command table (main.c). A command of a group
 * ("snapshot add-output") has the group as @name and itself as @sub.
 * A handler gets its arguments with argv[0] its own name, returns 0 or a
 * negative errno, and on error leaves the reason with one of the
 * functions below; main() prints it and picks the exit code.
 */
struct ktracectl_cmd {
	const char *name;
	const char *sub;
	int (*handler)(int argc, char **argv);
	const char *usage;
	const char *summary;
	const char *help;
};

/* The reason a command failed: "ktracectl: <command>: <reason>", exit 1. */
void ktracectl_set_err(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
/* The command line is wrong: exit 2. */
void ktracectl_usage_err(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
/* The module is not loaded: KTRACECTL_NOT_LOADED, exit 3. */
void ktracectl_set_not_loaded(void);

struct ktnl;

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
int cmd_version(int argc, char **argv);

/* session.c */
int cmd_create(int argc, char **argv);
int cmd_destroy(int argc, char **argv);
int cmd_start(int argc, char **argv);
int cmd_stop(int argc, char **argv);

/* list.c */
int cmd_list(int argc, char **argv);
int cmd_status(int argc, char **argv);

/* channel.c */
int cmd_enable_channel(int argc, char **argv);

/* event.c */
int cmd_enable_event(int argc, char **argv);
int cmd_disable_event(int argc, char **argv);
int cmd_list_events(int argc, char **argv);

/* context.c */
int cmd_add_context(int argc, char **argv);

/* snapshot.c */
int cmd_snapshot_record(int argc, char **argv);
int cmd_add_output(int argc, char **argv);
int cmd_del_output(int argc, char **argv);
int cmd_list_output(int argc, char **argv);
struct ktnl_output;
int ktracectl_add_output(struct ktnl *nl, const char *session,
			 const char *name, const char *dest,
			 uint64_t max_size, struct ktnl_output *out);
void ktracectl_print_output(const char *prefix, const struct ktnl_output *o);
struct json;
void ktracectl_json_output(struct json *j, const struct ktnl_output *o);

/* size.c: pure helpers, unit-tested on the host */
int ktracectl_parse_size(const char *s, uint64_t *out);
void ktracectl_format_size(uint64_t bytes, char *buf, unsigned long len);

#endif /* KTRACECTL_H */
