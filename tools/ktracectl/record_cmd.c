// SPDX-License-Identifier: GPL-2.0
/*
 * ktracectl record: a one-shot recorder, as trace-cmd record and perf
 * record are. It creates a temporary normal session (record-<pid>) with
 * its trace output, one channel, the events and contexts asked for,
 * starts it (which launches the consumer), runs COMMAND, or waits for
 * SIGINT/SIGTERM without one, then stops (waiting until the consumer has
 * written everything), destroys the session, and prints the trace's path
 * and a summary. Its exit status is COMMAND's (128 + the signal when it
 * was killed, 127 when it could not run), or 1 when the trace could not
 * be written.
 *
 * --max-size SIZE bounds the disk use: every stream (channel x CPU) gets
 * SIZE / CPUs, as RECORD_FILES rotating trace files; the sub-buffers
 * shrink to fit them when needed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "consumer.h"
#include "ktracectl.h"
#include "net_output.h"
#include "nl.h"
#include "snapshot_path.h"

#define RECORD_EVENTS	"sched_switch,sched_wakeup,sched_process_*"
#define RECORD_SUBBUF	(256 * 1024)
#define RECORD_NSUBBUF	8
#define RECORD_FILES	4
#define RECORD_PAGE	4096
#define RECORD_MAX_LISTS 32

struct record_args {
	const char *events[RECORD_MAX_LISTS];
	size_t nevents;
	const char *syscalls[RECORD_MAX_LISTS];
	size_t nsyscalls;
	struct cli_types ctx;
	const char *output;
	uint64_t max_size;
	char **cmd;		/* NULL: until a signal */
};

static volatile sig_atomic_t record_sig;

static void on_signal(int sig)
{
	record_sig = sig;
}

static int usage_err(const char *fmt, const char *arg)
{
	ktracectl_usage_err(fmt, arg);
	return -EINVAL;
}

static int parse(int argc, char **argv, struct record_args *a)
{
	static const struct option opts[] = {
		{ "event", required_argument, NULL, 'e' },
		{ "syscall", required_argument, NULL, 'S' },
		{ "context", required_argument, NULL, 't' },
		{ "output", required_argument, NULL, 'o' },
		{ "max-size", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 }
	};
	uint32_t type;
	int c;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+:e:t:o:", opts, NULL)) != -1) {
		switch (c) {
		case 'e':
		case 'S':
			if ((c == 'e' ? a->nevents : a->nsyscalls) == RECORD_MAX_LISTS)
				return usage_err("too many %s options", argv[optind - 2]);
			if (c == 'e')
				a->events[a->nevents++] = optarg;
			else
				a->syscalls[a->nsyscalls++] = optarg;
			break;
		case 't':
			type = cli_context_type(optarg);
			if (!type)
				return usage_err("unknown context type '%s'", optarg);
			if (a->ctx.nr == CLI_CONTEXT_TYPES)
				return usage_err("too many contexts%s", "");
			a->ctx.type[a->ctx.nr++] = type;
			break;
		case 'o':
			if (a->output)
				return usage_err("-o given twice%s", "");
			a->output = optarg;
			if (cli_trace_dest_check(optarg))
				return -EINVAL;
			break;
		case 'm':
			if (ktracectl_parse_size(optarg, &a->max_size) ||
			    !a->max_size)
				return usage_err("invalid --max-size '%s'", optarg);
			break;
		case ':':
			return usage_err("option '%s' needs a value", argv[optind - 1]);
		default:
			return usage_err("unknown option '%s'", argv[optind - 1]);
		}
	}
	/* getopt_long stopped at "--" (skipped) or at COMMAND. */
	if (optind < argc)
		a->cmd = &argv[optind];
	return 0;
}

static int ncpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_CONF);

	return n > 0 ? (int)n : 1;
}

/* The channel geometry and rotation of --max-size. */
static int size_channel(const struct record_args *a,
			struct ktnl_channel_attr *ch)
{
	uint64_t per_file, sub = RECORD_SUBBUF;

	ch->subbuf_size = RECORD_SUBBUF;
	ch->num_subbuf = RECORD_NSUBBUF;
	if (!a->max_size)
		return 0;
	per_file = a->max_size / ncpus() / RECORD_FILES;
	while (sub > per_file && sub > RECORD_PAGE)
		sub /= 2;
	if (per_file < RECORD_PAGE) {
		ktracectl_set_err("--max-size is too small: at least %d KiB (%d files of a page per CPU, %d CPUs)",
				  RECORD_FILES * RECORD_PAGE / 1024 * ncpus(),
				  RECORD_FILES, ncpus());
		return -EINVAL;
	}
	ch->subbuf_size = sub;
	ch->tracefile_size = per_file / sub * sub;
	ch->tracefile_count = RECORD_FILES;
	return 0;
}

/* Enables one NAME[,NAME...] list, each name matching something. */
static int enable_list(struct ktnl *nl, const char *session, const char *list,
		       const char *prefix)
{
	char name[KTRACE_NAME_LEN + 1], *copy, *p, *save = NULL;
	uint32_t count;
	int ret = 0;

	copy = strdup(list);
	if (!copy)
		return -ENOMEM;
	for (p = strtok_r(copy, ",", &save); p && !ret;
	     p = strtok_r(NULL, ",", &save)) {
		if ((size_t)snprintf(name, sizeof(name), "%s%s", prefix,
				     !strcmp(p, "all") && *prefix ? "*" : p) >=
		    sizeof(name) || !cli_event_valid(name)) {
			ktracectl_usage_err("invalid event name '%s'", p);
			ret = -EINVAL;
			break;
		}
		count = 0;
		ret = ktnl_event_enable(nl, session, NULL, name, &count);
		if (ret)
			ret = ktracectl_nl_err(nl, ret, "%s", name);
		else if (!count) {
			ktracectl_set_err("'%s' matches no event this kernel can trace (see ktracectl list-events)",
					  name);
			ret = -ENOENT;
		}
	}
	free(copy);
	return ret;
}

static int setup(struct ktnl *nl, const char *session, const char *dest,
		 const struct record_args *a)
{
	struct ktnl_channel_attr ch = { .name = "channel0" };
	struct ktnl_output out;
	size_t i;
	int ret;

	ret = size_channel(a, &ch);
	if (ret)
		return ret;
	ret = ktnl_session_new(nl, session, KTRACE_SESSION_MODE_NORMAL, NULL);
	if (ret)
		return ktracectl_nl_err(nl, ret, "%s", session);
	ret = ktracectl_add_output(nl, session, NULL, dest, 0, &out);
	if (!ret) {
		ret = ktnl_channel_new(nl, session, &ch, NULL);
		if (ret)
			ret = ktracectl_nl_err(nl, ret, "%s", ch.name);
	}
	for (i = 0; !ret && i < a->ctx.nr; i++) {
		ret = ktnl_context_add(nl, session, NULL, a->ctx.type[i]);
		if (ret)
			ret = ktracectl_nl_err(nl, ret, "%s",
					       cli_context_name(a->ctx.type[i]));
	}
	for (i = 0; !ret && i < a->nevents; i++)
		ret = enable_list(nl, session, a->events[i], "");
	for (i = 0; !ret && i < a->nsyscalls; i++) {
		ret = enable_list(nl, session, a->syscalls[i], "syscall_entry_");
		if (!ret)
			ret = enable_list(nl, session, a->syscalls[i],
					  "syscall_exit_");
	}
	if (!ret && !a->nevents && !a->nsyscalls)
		ret = enable_list(nl, session, RECORD_EVENTS, "");
	return ret;
}

/* Runs @cmd; returns its exit status as a shell gives it. */
static int run_command(char **cmd)
{
	sigset_t none;
	pid_t pid;
	int st, forwarded = 0;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		ktracectl_set_err("fork: %s", strerror(errno));
		return -errno;
	}
	if (!pid) {
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		execvp(cmd[0], cmd);
		fprintf(stderr, "ktracectl: record: cannot run %s: %s\n", cmd[0],
			strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR)
			return 127;
		/* Ctrl-C reaches the command too; a SIGTERM is passed on. */
		if (record_sig && !forwarded) {
			kill(pid, record_sig);
			forwarded = 1;
		}
	}
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WEXITSTATUS(st);
}

int cmd_record(struct ktracectl_ctx *ctx)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct record_args a = { 0 };
	char session[KTRACE_NAME_LEN + 1], dest[KTRACE_DEST_LEN + 1];
	struct cli_session_arg sarg = { .session = session };
	struct ktracectl_ctx sctx = { .session = session, .args = &sarg };
	struct ktnl nl;
	time_t now = time(NULL);
	const char *why = NULL;
	int ret, status = 0, stopped;
	sigset_t mask, old;
	struct tm tm;

	/* The command line first: its errors need no module. */
	ret = parse(ctx->argc, ctx->argv, &a);
	if (ret)
		return ret;
	ret = ktracectl_connect(&nl);
	if (ret)
		return ret;
	sctx.nl = &nl;
	snprintf(session, sizeof(session), "record-%d", (int)getpid());
	localtime_r(&now, &tm);
	if (a.output) {
		snprintf(dest, sizeof(dest), "%s", a.output);
	} else if (snapshot_path_default_dest(dest, sizeof(dest), getenv("HOME"),
					      "record", &tm, &why)) {
		ktracectl_set_err("no default trace directory (%s): give -o DIR",
				  why);
		ktnl_close(&nl);
		return -EINVAL;
	}
	/* Signals, from now on, end the recording rather than ktracectl. */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	ret = setup(&nl, session, dest, &a);
	if (!ret)
		ret = cmd_start(&sctx);
	if (ret) {
		ktnl_session_del(&nl, session);
		ktnl_close(&nl);
		return ret;
	}
	if (a.cmd) {
		status = run_command(a.cmd);
	} else {
		printf("Recording; press Ctrl-C to stop.\n");
		fflush(stdout);
		sigemptyset(&mask);
		sigaddset(&mask, SIGINT);
		sigaddset(&mask, SIGTERM);
		sigprocmask(SIG_BLOCK, &mask, &old);
		while (!record_sig)
			sigsuspend(&old);
		sigprocmask(SIG_SETMASK, &old, NULL);
	}
	stopped = cmd_destroy(&sctx);
	ktnl_close(&nl);
	if (stopped)
		return stopped < 0 ? stopped : -EIO;
	if (consumer_dest_is_net(dest)) {
		char host[RELAY_NAME_MAX + 1];

		/* Where ktrace-relayd put it, under its output directory. */
		net_output_hostname(host, sizeof(host));
		printf("Trace: %s/%s/%s (on the receiver, under its output directory)\n",
		       dest, host, session);
	} else {
		printf("Trace: %s (view it with: ktracectl view %s)\n", dest,
		       dest);
	}
	fflush(stdout);
	if (status < 0)
		return status;
	exit(status);
}
