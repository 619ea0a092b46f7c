// SPDX-License-Identifier: GPL-2.0
/*
 * ktracectl: control ktrace tracing sessions.
 *
 * One table lists every command; handlers return 0 or a negative errno and
 * only main() prints errors, as "ktracectl: <command>: <reason>".
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ktracectl.h"

/* Exit codes (docs: README). */
enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,		/* the command failed */
	EXIT_USAGE = 2,		/* unknown command or no command */
	EXIT_NO_MODULE = 3,	/* ktrace.ko is not loaded */
};

static char err_reason[512];

void ktracectl_set_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err_reason, sizeof(err_reason), fmt, ap);
	va_end(ap);
}

static int cmd_help(int argc, char **argv);

static const struct ktracectl_cmd commands[] = {
	{ "version", cmd_version, "",
	  "print ktracectl's version and the loaded module's ABI" },
	{ "help", cmd_help, "[COMMAND]", "show this help" },
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static const struct ktracectl_cmd *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < N_COMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: ktracectl COMMAND [ARGS...]\n\ncommands:\n");
	for (i = 0; i < N_COMMANDS; i++)
		fprintf(f, "  %-10s %-12s %s\n", commands[i].name,
			commands[i].usage, commands[i].help);
}

static int cmd_help(int argc, char **argv)
{
	const struct ktracectl_cmd *cmd;

	if (argc < 2) {
		usage(stdout);
		return 0;
	}
	cmd = find_command(argv[1]);
	if (!cmd) {
		ktracectl_set_err("unknown command '%s'", argv[1]);
		return -EINVAL;
	}
	printf("usage: ktracectl %s %s\n%s\n", cmd->name, cmd->usage,
	       cmd->help);
	return 0;
}

int main(int argc, char **argv)
{
	const struct ktracectl_cmd *cmd;
	int ret;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	cmd = find_command(argv[1]);
	if (!cmd) {
		fprintf(stderr, "ktracectl: unknown command '%s' (see ktracectl help)\n",
			argv[1]);
		return EXIT_USAGE;
	}
	if (argc > 2 && !strcmp(argv[2], "--help")) {
		printf("usage: ktracectl %s %s\n%s\n", cmd->name, cmd->usage,
		       cmd->help);
		return EXIT_OK;
	}
	ret = cmd->handler(argc - 1, argv + 1);
	if (!ret)
		return EXIT_OK;
	fflush(stdout);
	fprintf(stderr, "ktracectl: %s: %s\n", cmd->name,
		err_reason[0] ? err_reason : strerror(-ret));
	if (!strcmp(err_reason, KTRACECTL_NOT_LOADED))
		return EXIT_NO_MODULE;
	return EXIT_FAIL;
}
