// SPDX-License-Identifier: GPL-2.0
/*
 * ktracectl's exit codes and messages, from the built binary: what a
 * script relies on. Usage errors exit 2, a missing module exits 3 (told
 * by the error's kind, never by its text), help exits 0. The host has no
 * ktrace module (it cannot load modules): every command that needs one
 * says so; the VM scenario cli.sh covers the rest with the module.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "ktracectl.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct exit_row {
	const char *what;
	const char *args[8];
	int exit;
	const char *err;	/* stderr, without its newline; NULL: any */
};

#define NL	KTRACECTL_NOT_LOADED

static const struct exit_row exit_rows[] = {
	{ "no command", { NULL }, KTRACECTL_EXIT_USAGE, NULL },
	{ "unknown command", { "frobnicate" }, KTRACECTL_EXIT_USAGE,
	  "ktracectl: unknown command 'frobnicate' (see ktracectl help)" },
	{ "version with an argument", { "version", "x" }, KTRACECTL_EXIT_USAGE,
	  "ktracectl: version: unexpected argument 'x'" },
	{ "version with an option", { "version", "--json" },
	  KTRACECTL_EXIT_USAGE, "ktracectl: version: unknown option '--json'" },
	{ "create without a name needs the module", { "create" },
	  KTRACECTL_EXIT_NO_MODULE, "ktracectl: create: " NL },
	{ "tracefile-count without a size",
	  { "enable-channel", "--tracefile-count", "3", "c" },
	  KTRACECTL_EXIT_USAGE,
	  "ktracectl: enable-channel: --tracefile-count needs --tracefile-size" },
	{ "record with an unknown option", { "record", "--frob" },
	  KTRACECTL_EXIT_USAGE, "ktracectl: record: unknown option '--frob'" },
	{ "view of a trace that is not there", { "view", "/nonexistent/trace" },
	  KTRACECTL_EXIT_FAIL,
	  "ktracectl: view: /nonexistent/trace: No such file or directory" },
	{ "snapshot record with a bad policy",
	  { "snapshot", "record", "--policy=fair" }, KTRACECTL_EXIT_USAGE,
	  "ktracectl: snapshot record: invalid --policy 'fair': use equal or window" },
	{ "help of an unknown command", { "help", "nosuch" },
	  KTRACECTL_EXIT_USAGE, "ktracectl: help: unknown command 'nosuch'" },
	{ "help", { "help", "create" }, KTRACECTL_EXIT_OK, "" },
	{ "--help", { "snapshot", "add-output", "--help" }, KTRACECTL_EXIT_OK,
	  "" },
	{ "version without the module", { "version" },
	  KTRACECTL_EXIT_NO_MODULE, "ktracectl: version: " NL },
	{ "list without the module", { "list" }, KTRACECTL_EXIT_NO_MODULE,
	  "ktracectl: list: " NL },
	{ "a bundle, then no module", { "enable-event", "-as", "x" },
	  KTRACECTL_EXIT_NO_MODULE, "ktracectl: enable-event: " NL },
	{ "regenerate statedump without the module",
	  { "regenerate", "statedump" }, KTRACECTL_EXIT_NO_MODULE,
	  "ktracectl: regenerate statedump: " NL },
	{ "enable-event -k --syscall without names",
	  { "enable-event", "-k", "--syscall" }, KTRACECTL_EXIT_USAGE,
	  "ktracectl: enable-event: missing system call names (NAME[,NAME...]) or -a" },
	{ "list -k without the module", { "list", "-k" },
	  KTRACECTL_EXIT_NO_MODULE, "ktracectl: list: " NL },
	{ "snapshot add-output without the module",
	  { "snapshot", "add-output", "/tmp/x" }, KTRACECTL_EXIT_NO_MODULE,
	  "ktracectl: snapshot add-output: " NL },
};

/* Runs ktracectl with @args; returns its exit code, stderr in @err. */
static int run(const char *const *args, char *err, size_t len)
{
	char *argv[ARRAY_SIZE(exit_rows[0].args) + 2] = { KTRACECTL_BIN };
	char path[] = "/tmp/ktracectl-test-XXXXXX";
	int fd, status, i;
	ssize_t n;
	pid_t pid;

	for (i = 0; args[i]; i++)
		argv[i + 1] = (char *)args[i];
	fd = mkstemp(path);
	assert_true(fd >= 0);
	unlink(path);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		execv(KTRACECTL_BIN, argv);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	n = pread(fd, err, len - 1, 0);
	assert_true(n >= 0);
	err[n] = '\0';
	if (n && err[n - 1] == '\n')
		err[n - 1] = '\0';
	close(fd);
	return WEXITSTATUS(status);
}

static void exit_code(void **state)
{
	const struct exit_row *row = *state;
	char err[4096];

	if (row->exit == KTRACECTL_EXIT_NO_MODULE && !access("/dev/ktrace", F_OK))
		fail_msg("ktrace is loaded on this host: this row needs a host without it");
	assert_int_equal(run(row->args, err, sizeof(err)), row->exit);
	if (row->err)
		assert_string_equal(err, row->err);
}

int main(void)
{
	struct CMUnitTest tests[ARRAY_SIZE(exit_rows)];
	size_t i;

	assert_int_equal(access(KTRACECTL_BIN, X_OK), 0);
	for (i = 0; i < ARRAY_SIZE(exit_rows); i++)
		tests[i] = (struct CMUnitTest) {
			.name = exit_rows[i].what,
			.test_func = exit_code,
			.initial_state = (void *)&exit_rows[i],
		};
	return _cmocka_run_group_tests("main", tests, ARRAY_SIZE(tests), NULL,
				       NULL);
}
