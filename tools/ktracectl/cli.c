// SPDX-License-Identifier: GPL-2.0
/*
 * The command-line grammar of ktracectl (see cli.h): one small option
 * scanner shared by every command, one parser per command, and the checks
 * that need no kernel. Messages name options by their long form and quote
 * what the user typed.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "ktracectl.h"
#include "snapshot_path.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define NAME_RULE	"1 to 64 characters from A-Z a-z 0-9 _ . -"
#define EVENT_RULE	"1 to 64 characters from A-Z a-z 0-9 _ and the globs * ?"
#define SIZE_EXAMPLES	"4096, 4k, 4KiB, 1M, 2G"

/* Option ids; each command's table lists the ones it takes. */
enum cli_opt_id {
	OPT_SESSION = 1,
	OPT_CHANNEL,
	OPT_ALL,
	OPT_JSON,
	OPT_SNAPSHOT,
	OPT_OUTPUT_PATH,	/* create -o */
	OPT_OVERWRITE,
	OPT_DISCARD,
	OPT_SUBBUF_SIZE,
	OPT_NUM_SUBBUF,
	OPT_SWITCH_TIMER,
	OPT_OUTPUT_TYPE,	/* enable-channel --output */
	OPT_TYPE,
	OPT_MAX_SIZE,
	OPT_NAME,
	OPT_POLICY,
};

struct cli_opt {
	const char *name;	/* long name, without "--" */
	char short_name;	/* or 0 */
	int has_value;
	int repeats;		/* may be given more than once */
	enum cli_opt_id id;
};

#define OPT_S	{ "session", 's', 1, 0, OPT_SESSION }
#define OPT_C	{ "channel", 'c', 1, 0, OPT_CHANNEL }
#define OPT_J	{ "json", 0, 0, 0, OPT_JSON }
#define OPT_END	{ NULL, 0, 0, 0, 0 }

/* The scanner: one argument (and its value) per call. */
struct cli_scan {
	int argc;
	char **argv;
	int i;
	int no_more_options;	/* after "--" */
	unsigned long seen;	/* bit per entry of @opts */
	const struct cli_opt *opts;
	/* Results of the last call. */
	const struct cli_opt *opt;
	const char *value;
	const char *arg;
};

enum { SCAN_END, SCAN_OPTION, SCAN_ARG };

static void scan_init(struct cli_scan *s, int argc, char **argv,
		      const struct cli_opt *opts)
{
	memset(s, 0, sizeof(*s));
	s->argc = argc;
	s->argv = argv;
	s->i = 1;		/* argv[0] is the command */
	s->opts = opts;
}

/*
 * Return: SCAN_OPTION with ->opt and ->value, SCAN_ARG with ->arg,
 * SCAN_END, or -EINVAL with the usage error set.
 */
static int scan_next(struct cli_scan *s)
{
	const struct cli_opt *o = NULL;
	const char *a, *eq = NULL, *value = NULL;
	size_t i, n;

	if (s->i >= s->argc)
		return SCAN_END;
	a = s->argv[s->i++];
	if (!s->no_more_options && !strcmp(a, "--")) {
		s->no_more_options = 1;
		return scan_next(s);
	}
	if (s->no_more_options || a[0] != '-' || !a[1]) {
		s->arg = a;
		return SCAN_ARG;
	}

	if (a[1] == '-') {
		eq = strchr(a + 2, '=');
		n = eq ? (size_t)(eq - (a + 2)) : strlen(a + 2);
		for (i = 0; s->opts[i].id; i++)
			if (strlen(s->opts[i].name) == n &&
			    !strncmp(s->opts[i].name, a + 2, n)) {
				o = &s->opts[i];
				break;
			}
		if (o && eq && !o->has_value) {
			ktracectl_usage_err("option '--%s' takes no value",
					    o->name);
			return -EINVAL;
		}
		if (eq)
			value = eq + 1;
	} else {
		for (i = 0; s->opts[i].id; i++)
			if (s->opts[i].short_name == a[1]) {
				o = &s->opts[i];
				break;
			}
		if (o && a[2]) {
			if (o->has_value)
				value = a + 2;
			else
				o = NULL;	/* "-ab": no bundling */
		}
	}
	if (!o) {
		ktracectl_usage_err("unknown option '%.*s'",
				    eq ? (int)(eq - a) : (int)strlen(a), a);
		return -EINVAL;
	}
	if (o->has_value && !value) {
		if (s->i >= s->argc) {
			ktracectl_usage_err("option '--%s' needs a value",
					    o->name);
			return -EINVAL;
		}
		value = s->argv[s->i++];
	}
	i = (size_t)(o - s->opts);
	if (!o->repeats && (s->seen & (1UL << i))) {
		ktracectl_usage_err("option '--%s' given twice", o->name);
		return -EINVAL;
	}
	s->seen |= 1UL << i;
	s->opt = o;
	s->value = value;
	return SCAN_OPTION;
}

static int unexpected(const char *arg)
{
	ktracectl_usage_err("unexpected argument '%s'", arg);
	return -EINVAL;
}

/* Names */

int cli_name_valid(const char *name)
{
	size_t n = strlen(name), i;

	if (!n || n > KTRACE_NAME_LEN)
		return 0;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)name[i]) && !strchr("_.-", name[i]))
			return 0;
	return 1;
}

int cli_event_valid(const char *name)
{
	size_t n = strlen(name), i;

	if (!n || n > KTRACE_NAME_LEN)
		return 0;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)name[i]) && !strchr("_*?", name[i]))
			return 0;
	return 1;
}

/* A session, channel or output name from the command line. */
static int check_name(const char *what, const char *name)
{
	if (cli_name_valid(name))
		return 0;
	ktracectl_usage_err("invalid %s name '%s': use " NAME_RULE, what, name);
	return -EINVAL;
}

/* Numbers and sizes */

/* A decimal number of at most @max; -EINVAL for junk, -ERANGE above. */
static int parse_uint(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	for (; isdigit((unsigned char)*s); s++) {
		unsigned int d = *s - '0';

		if (v > (max - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	if (*s)
		return -EINVAL;
	*out = v;
	return 0;
}

/* The value of --@opt as a size in bytes; zero is refused. */
static int opt_size(const char *opt, const char *text, uint64_t *out)
{
	int ret = ktracectl_parse_size(text, out);

	if (ret == -ERANGE) {
		ktracectl_usage_err("size '%s' for --%s is too large", text, opt);
		return -EINVAL;
	}
	if (ret) {
		ktracectl_usage_err("invalid size '%s' for --%s (e.g. "
				    SIZE_EXAMPLES ")", text, opt);
		return -EINVAL;
	}
	if (!*out) {
		ktracectl_usage_err("--%s must be more than 0", opt);
		return -EINVAL;
	}
	return 0;
}

static int is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

/* Commands */

static const struct cli_opt create_opts[] = {
	{ "snapshot", 0, 0, 0, OPT_SNAPSHOT },
	{ "output", 'o', 1, 0, OPT_OUTPUT_PATH },
	OPT_END
};

/**
 * cli_parse_create() - create NAME [--snapshot] [-o PATH]
 * @argc: argument count, argv[0] being "create".
 * @argv: the arguments.
 * @out: filled in on success.
 *
 * Return: 0, or -EINVAL with the usage error set.
 */
int cli_parse_create(int argc, char **argv, struct cli_create *out)
{
	struct cli_scan s;
	int ret;

	memset(out, 0, sizeof(*out));
	scan_init(&s, argc, argv, create_opts);
	while ((ret = scan_next(&s)) > 0) {
		if (ret == SCAN_ARG) {
			if (out->name)
				return unexpected(s.arg);
			out->name = s.arg;
		} else if (s.opt->id == OPT_SNAPSHOT) {
			out->snapshot = 1;
		} else {
			out->output = s.value;
		}
	}
	if (ret)
		return ret;
	if (!out->name) {
		ktracectl_usage_err("missing session name");
		return -EINVAL;
	}
	if (check_name("session", out->name))
		return -EINVAL;
	if (out->output && cli_dest_check(out->output, "output path"))
		return -EINVAL;
	return 0;
}

static const struct cli_opt session_opts[] = {
	OPT_S,
	{ "all", 'a', 0, 0, OPT_ALL },
	OPT_END
};

static const struct cli_opt session_opts_no_all[] = { OPT_S, OPT_END };

/**
 * cli_parse_session_arg() - [NAME | -s NAME] (start, stop), with --all
 * (destroy)
 * @argc: argument count, argv[0] being the command.
 * @argv: the arguments.
 * @allow_all: accept -a/--all.
 * @out: filled in on success.
 *
 * Return: 0, or -EINVAL with the usage error set.
 */
int cli_parse_session_arg(int argc, char **argv, int allow_all,
			  struct cli_session_arg *out)
{
	const char *positional = NULL, *option = NULL;
	struct cli_scan s;
	int ret;

	memset(out, 0, sizeof(*out));
	scan_init(&s, argc, argv, allow_all ? session_opts : session_opts_no_all);
	while ((ret = scan_next(&s)) > 0) {
		if (ret == SCAN_ARG) {
			if (positional)
				return unexpected(s.arg);
			positional = s.arg;
		} else if (s.opt->id == OPT_ALL) {
			out->all = 1;
		} else {
			option = s.value;
		}
	}
	if (ret)
		return ret;
	if (positional && option) {
		ktracectl_usage_err("give the session once: NAME or -s NAME");
		return -EINVAL;
	}
	out->session = positional ? positional : option;
	if (out->all && out->session) {
		ktracectl_usage_err("give a session name or --all, not both");
		return -EINVAL;
	}
	if (out->session && check_name("session", out->session))
		return -EINVAL;
	return 0;
}

static const struct cli_opt list_opts[] = { OPT_S, OPT_J, OPT_END };
static const struct cli_opt json_opts[] = { OPT_J, OPT_END };

/**
 * cli_parse_list() - list [NAME] [--json], status [--json],
 * list-events [--json]
 * @argc: argument count, argv[0] being the command.
 * @argv: the arguments.
 * @allow_session: accept a session name (list).
 * @out: filled in on success.
 *
 * Return: 0, or -EINVAL with the usage error set.
 */
int cli_parse_list(int argc, char **argv, int allow_session,
		   struct cli_list *out)
{
	const char *positional = NULL, *option = NULL;
	struct cli_scan s;
	int ret;

	memset(out, 0, sizeof(*out));
	scan_init(&s, argc, argv, allow_session ? list_opts : json_opts);
	while ((ret = scan_next(&s)) > 0) {
		if (ret == SCAN_ARG) {
			if (!allow_session || positional)
				return unexpected(s.arg);
			positional = s.arg;
		} else if (s.opt->id == OPT_JSON) {
			out->json = 1;
		} else {
			option = s.value;
		}
	}
	if (ret)
		return ret;
	if (positional && option) {
		ktracectl_usage_err("give the session once: NAME or -s NAME");
		return -EINVAL;
	}
	out->session = positional ? positional : option;
	if (out->session && check_name("session", out->session))
		return -EINVAL;
	return 0;
}

/**
 * cli_parse_none() - a command without arguments
 * @argc: argument count, argv[0] being the command.
 * @argv: the arguments.
 *
 * Return: 0, or -EINVAL with the usage error set.
 */
int cli_parse_none(int argc, char **argv)
{
	static const struct cli_opt none[] = { OPT_END };
	struct cli_scan s;
	int ret;

	scan_init(&s, argc, argv, none);
	ret = scan_next(&s);
	if (ret == SCAN_ARG)
		return unexpected(s.arg);
	return ret < 0 ? ret : 0;
}

static const struct cli_opt channel_opts[] = {
	OPT_S,
	{ "overwrite", 0, 0, 0, OPT_OVERWRITE },
	{ "discard", 0, 0, 0, OPT_DISCARD },
	{ "subbuf-size", 0, 1, 0, OPT_SUBBUF_SIZE },
	{ "num-subbuf", 0, 1, 0, OPT_NUM_SUBBUF },
	{ "switch-timer", 0, 1, 0, OPT_SWITCH_TIMER },
	{ "output", 0, 1, 0, OPT_OUTPUT_TYPE },
	OPT_END
};

static int channel_option(struct cli_channel *out, const struct cli_scan *s)
{
	uint64_t v;
	long page;
	int ret;

	switch (s->opt->id) {
	case OPT_SESSION:
		out->session = s->value;
		return check_name("session", s->value);
	case OPT_OVERWRITE:
	case OPT_DISCARD:
		if (out->mode) {
			ktracectl_usage_err("--overwrite and --discard conflict");
			return -EINVAL;
		}
		out->mode = s->opt->id == OPT_OVERWRITE ?
			KTRACE_CHANNEL_OVERWRITE : KTRACE_CHANNEL_DISCARD;
		return 0;
	case OPT_SUBBUF_SIZE:
		ret = ktracectl_parse_size(s->value, &v);
		if (ret == -ERANGE) {
			ktracectl_usage_err("size '%s' for --subbuf-size is too large",
					    s->value);
			return -EINVAL;
		}
		if (ret) {
			ktracectl_usage_err("invalid size '%s' for --subbuf-size (e.g. "
					    SIZE_EXAMPLES ")", s->value);
			return -EINVAL;
		}
		page = sysconf(_SC_PAGESIZE);
		if (page <= 0)
			page = 4096;
		if (!is_pow2(v) || v < (uint64_t)page) {
			ktracectl_usage_err("--subbuf-size must be a power of two of at least the page size (%ld), not '%s'",
					    page, s->value);
			return -EINVAL;
		}
		out->subbuf_size = v;
		return 0;
	case OPT_NUM_SUBBUF:
		ret = parse_uint(s->value, UINT64_MAX, &v);
		if (ret == -EINVAL) {
			ktracectl_usage_err("invalid number '%s' for --num-subbuf",
					    s->value);
			return -EINVAL;
		}
		if (ret || v < 2 || !is_pow2(v) || v > (1U << 31)) {
			ktracectl_usage_err("--num-subbuf must be a power of two from 2 to 2147483648, not '%s'",
					    s->value);
			return -EINVAL;
		}
		out->num_subbuf = (uint32_t)v;
		return 0;
	case OPT_SWITCH_TIMER:
		ret = parse_uint(s->value, UINT32_MAX, &v);
		if (ret == -ERANGE) {
			ktracectl_usage_err("--switch-timer '%s' is too large (at most 4294967295 us)",
					    s->value);
			return -EINVAL;
		}
		if (ret) {
			ktracectl_usage_err("invalid number of microseconds '%s' for --switch-timer",
					    s->value);
			return -EINVAL;
		}
		out->switch_timer_us = (uint32_t)v;
		return 0;
	case OPT_OUTPUT_TYPE:
		if (!strcmp(s->value, "splice")) {
			out->output = KTRACE_CHANNEL_SPLICE;
		} else if (!strcmp(s->value, "mmap")) {
			out->output = KTRACE_CHANNEL_MMAP;
		} else {
			ktracectl_usage_err("invalid --output '%s': use splice or mmap",
					    s->value);
			return -EINVAL;
		}
		return 0;
	default:
		return -EINVAL;
	}
}

/**
 * cli_parse_channel() - enable-channel [-s S] [--overwrite|--discard]
 * [--subbuf-size SIZE] [--num-subbuf N] [--switch-timer USEC]
 * [--output splice|mmap] NAME
 * @argc: argument count, argv[0] being "enable-channel".
 * @argv: the arguments.
 * @out: filled in on success.
 *
 * Return: 0, or -EINVAL with the usage error set.
 */
int cli_parse_channel(int argc, char **argv, struct cli_channel *out)
{
	struct cli_scan s;
	int ret;

	memset(out, 0, sizeof(*out));
	scan_init(&s, argc, argv, channel_opts);
	while ((ret = scan_next(&s)) > 0) {
		if (ret == SCAN_ARG) {
			if (out->name)
				return unexpected(s.arg);
			out->name = s.arg;
		} else if (channel_option(out, &s)) {
			return -EINVAL;
		}
	}
	if (ret)
		return ret;
	if (!out->name) {
		ktracectl_usage_err("missing channel name");
		return -EINVAL;
	}
	return check_name("channel", out->name);
}

static const struct cli_opt event_opts[] = {
	OPT_S, OPT_C,
	{ "all", 'a', 0, 0, OPT_ALL },
	OPT_END
};

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

/**
 * cli_parse_events() - enable-event / disable-event [-s S] [-c CHAN]
 * NAME[,NAME...] | -a
 * @argc: argument count, argv[0] being the command.
 * @argv: the arguments; the list is split in place (commas become NULs).
 * @out: filled in on success.
 *
 * Return: 0, or -EINVAL with the usage error set.
 */
int cli_parse_events(int argc, char **argv, struct cli_events *out)
{
	const char *list = NULL;
	struct cli_scan s;
	int ret;

	memset(out, 0, sizeof(*out));
	scan_init(&s, argc, argv, event_opts);
	while ((ret = scan_next(&s)) > 0) {
		if (ret == SCAN_ARG) {
			if (list)
				return unexpected(s.arg);
			list = s.arg;
			continue;
		}
		switch (s.opt->id) {
		case OPT_SESSION:
			out->session = s.value;
			if (check_name("session", s.value))
				return -EINVAL;
			break;
		case OPT_CHANNEL:
			out->channel = s.value;
			if (check_name("channel", s.value))
				return -EINVAL;
			break;
		default:
			out->all = 1;
			break;
		}
	}
	if (ret)
		return ret;
	if (list && out->all) {
		ktracectl_usage_err("give event names or -a, not both");
		return -EINVAL;
	}
	if (!list && !out->all) {
		ktracectl_usage_err("missing event names (NAME[,NAME...]) or -a");
		return -EINVAL;
	}
	return list ? split_events((char *)list, out) : 0;
}

static const char *const context_names[] = {
	[KTRACE_CONTEXT_TYPE_PID] = "pid",
	[KTRACE_CONTEXT_TYPE_TID] = "tid",
	[KTRACE_CONTEXT_TYPE_PPID] = "ppid",
	[KTRACE_CONTEXT_TYPE_PROCNAME] = "procname",
	[KTRACE_CONTEXT_TYPE_PRIO] = "prio",
	[KTRACE_CONTEXT_TYPE_VPID] = "vpid",
	[KTRACE_CONTEXT_TYPE_VTID] = "vtid",
	[KTRACE_CONTEXT_TYPE_CPU_ID] = "cpu_id",
	[KTRACE_CONTEXT_TYPE_HOSTNAME] = "hostname",
};

uint32_t cli_context_type(const char *name)
{
	uint32_t t;

	for (t = 1; t < ARRAY_SIZE(context_names); t++)
		if (!strcmp(context_names[t], name))
			return t;
	return 0;
}

const char *cli_context_name(uint32_t type)
{
	if (type && type < ARRAY_SIZE(context_names))
		return context_names[type];
	return "unknown";
}

static const struct cli_opt context_opts[] = {
	OPT_S, OPT_C,
	{ "type", 't', 1, 1, OPT_TYPE },
	OPT_END
};

/**
 * cli_parse_context() - add-context [-s S] [-c CHAN] -t TYPE [-t TYPE...]
 * @argc: argument count, argv[0] being "add-context".
 * @argv: the arguments.
 * @out: filled in on success.
 *
 * Return: 0, or -EINVAL with the usage error set.
 */
int cli_parse_context(int argc, char **argv, struct cli_context *out)
{
	struct cli_scan s;
	uint32_t type;
	size_t i;
	int ret;

	memset(out, 0, sizeof(*out));
	scan_init(&s, argc, argv, context_opts);
	while ((ret = scan_next(&s)) > 0) {
		if (ret == SCAN_ARG)
			return unexpected(s.arg);
		switch (s.opt->id) {
		case OPT_SESSION:
			out->session = s.value;
			if (check_name("session", s.value))
				return -EINVAL;
			break;
		case OPT_CHANNEL:
			out->channel = s.value;
			if (check_name("channel", s.value))
				return -EINVAL;
			break;
		default:
			type = cli_context_type(s.value);
			if (!type) {
				ktracectl_usage_err("unknown context type '%s' (pid, tid, ppid, procname, prio, vpid, vtid, cpu_id, hostname)",
						    s.value);
				return -EINVAL;
			}
			for (i = 0; i < out->nr_types; i++)
				if (out->types[i] == type) {
					ktracectl_usage_err("context type '%s' given twice",
							    s.value);
					return -EINVAL;
				}
			out->types[out->nr_types++] = type;
			break;
		}
	}
	if (ret)
		return ret;
	if (!out->nr_types) {
		ktracectl_usage_err("missing context type: give -t TYPE");
		return -EINVAL;
	}
	return 0;
}

/* Output destinations */

int cli_dest_check(const char *dest, const char *what)
{
	const char *path, *why = NULL;
	int ret = snapshot_path_dest(dest, &path, &why);

	if (!ret && strlen(dest) > KTRACE_DEST_LEN) {
		ret = -ENAMETOOLONG;
		why = "longer than 4095 bytes";
	}
	if (ret) {
		ktracectl_usage_err("invalid %s '%s': %s", what, dest,
				    why ? why : "not a path or file:// URL");
		return -EINVAL;
	}
	return 0;
}

int cli_abs_dest(char *buf, size_t len, const char *dest, const char *base)
{
	const char *path;
	size_t blen;
	int n;

	if (snapshot_path_dest(dest, &path, NULL))
		return -EINVAL;
	/* A file:// URL (path != dest) holds an absolute path already. */
	if (path != dest || dest[0] == '/')
		n = snprintf(buf, len, "%s", dest);
	else {
		if (base[0] != '/')
			return -EINVAL;
		while (dest[0] == '.' && dest[1] == '/') {
			dest += 2;
			while (*dest == '/')
				dest++;
		}
		if (!strcmp(dest, "."))
			dest = "";
		blen = strlen(base);
		while (blen > 1 && base[blen - 1] == '/')
			blen--;
		if (!*dest)
			n = snprintf(buf, len, "%.*s", (int)blen, base);
		else
			n = snprintf(buf, len, "%.*s%s%s", (int)blen, base,
				     blen == 1 ? "" : "/", dest);
	}
	if (n < 0 || (size_t)n >= len || n > KTRACE_DEST_LEN)
		return -ENAMETOOLONG;
	return 0;
}

/* Snapshot commands */

static const struct cli_opt output_add_opts[] = {
	OPT_S,
	{ "max-size", 'm', 1, 0, OPT_MAX_SIZE },
	{ "name", 'n', 1, 0, OPT_NAME },
	OPT_END
};

/**
 * cli_parse_output_add() - snapshot add-output [-s S] [-m SIZE] [-n NAME]
 * PATH|file://PATH
 * @argc: argument count, argv[0] being "add-output".
 * @argv: the arguments.
 * @out: filled in on success.
 *
 * Return: 0, or -EINVAL with the usage error set.
 */
int cli_parse_output_add(int argc, char **argv, struct cli_output_add *out)
{
	struct cli_scan s;
	int ret;

	memset(out, 0, sizeof(*out));
	scan_init(&s, argc, argv, output_add_opts);
	while ((ret = scan_next(&s)) > 0) {
		if (ret == SCAN_ARG) {
			if (out->dest)
				return unexpected(s.arg);
			out->dest = s.arg;
			continue;
		}
		switch (s.opt->id) {
		case OPT_SESSION:
			out->session = s.value;
			if (check_name("session", s.value))
				return -EINVAL;
			break;
		case OPT_MAX_SIZE:
			if (opt_size("max-size", s.value, &out->max_size))
				return -EINVAL;
			break;
		default:
			out->name = s.value;
			if (check_name("output", s.value))
				return -EINVAL;
			break;
		}
	}
	if (ret)
		return ret;
	if (!out->dest) {
		ktracectl_usage_err("missing output path (PATH or file://PATH)");
		return -EINVAL;
	}
	return cli_dest_check(out->dest, "output path");
}

/**
 * cli_parse_output_del() - snapshot del-output [-s S] ID|NAME
 * @argc: argument count, argv[0] being "del-output".
 * @argv: the arguments.
 * @out: filled in on success.
 *
 * Return: 0, or -EINVAL with the usage error set.
 */
int cli_parse_output_del(int argc, char **argv, struct cli_output_del *out)
{
	struct cli_scan s;
	uint64_t id;
	int ret;

	memset(out, 0, sizeof(*out));
	scan_init(&s, argc, argv, session_opts_no_all);
	while ((ret = scan_next(&s)) > 0) {
		if (ret == SCAN_ARG) {
			if (out->output)
				return unexpected(s.arg);
			out->output = s.arg;
		} else {
			out->session = s.value;
			if (check_name("session", s.value))
				return -EINVAL;
		}
	}
	if (ret)
		return ret;
	if (!out->output) {
		ktracectl_usage_err("missing output id or name");
		return -EINVAL;
	}
	if (!parse_uint(out->output, UINT32_MAX, &id) && id) {
		out->is_id = 1;
		out->id = (uint32_t)id;
		return 0;
	}
	if (!cli_name_valid(out->output)) {
		ktracectl_usage_err("invalid output id or name '%s'", out->output);
		return -EINVAL;
	}
	return 0;
}

static const struct cli_opt output_list_opts[] = { OPT_S, OPT_J, OPT_END };

/**
 * cli_parse_output_list() - snapshot list-output [-s S] [--json]
 * @argc: argument count, argv[0] being "list-output".
 * @argv: the arguments.
 * @out: filled in on success.
 *
 * Return: 0, or -EINVAL with the usage error set.
 */
int cli_parse_output_list(int argc, char **argv, struct cli_output_list *out)
{
	struct cli_scan s;
	int ret;

	memset(out, 0, sizeof(*out));
	scan_init(&s, argc, argv, output_list_opts);
	while ((ret = scan_next(&s)) > 0) {
		if (ret == SCAN_ARG)
			return unexpected(s.arg);
		if (s.opt->id == OPT_JSON) {
			out->json = 1;
		} else {
			out->session = s.value;
			if (check_name("session", s.value))
				return -EINVAL;
		}
	}
	return ret;
}

static const struct cli_opt record_opts[] = {
	OPT_S, OPT_J,
	{ "max-size", 'm', 1, 0, OPT_MAX_SIZE },
	{ "name", 'n', 1, 0, OPT_NAME },
	{ "policy", 0, 1, 0, OPT_POLICY },
	OPT_END
};

/**
 * cli_parse_record() - snapshot [record] [-s S] [-m SIZE] [-n NAME]
 * [--policy equal|window] [--json] [PATH]
 * @argc: argument count, argv[0] being "record" (or "snapshot" when the
 *	subcommand was left out).
 * @argv: the arguments.
 * @out: filled in on success; the policy defaults to equal.
 *
 * Return: 0, or -EINVAL with the usage error set.
 */
int cli_parse_record(int argc, char **argv, struct cli_record *out)
{
	struct cli_scan s;
	int ret;

	memset(out, 0, sizeof(*out));
	out->policy = CLI_POLICY_EQUAL;
	scan_init(&s, argc, argv, record_opts);
	while ((ret = scan_next(&s)) > 0) {
		if (ret == SCAN_ARG) {
			if (out->path)
				return unexpected(s.arg);
			out->path = s.arg;
			continue;
		}
		switch (s.opt->id) {
		case OPT_SESSION:
			out->session = s.value;
			if (check_name("session", s.value))
				return -EINVAL;
			break;
		case OPT_JSON:
			out->json = 1;
			break;
		case OPT_MAX_SIZE:
			if (opt_size("max-size", s.value, &out->max_size))
				return -EINVAL;
			break;
		case OPT_NAME:
			out->name = s.value;
			if (check_name("output", s.value))
				return -EINVAL;
			break;
		default:
			if (!strcmp(s.value, "equal")) {
				out->policy = CLI_POLICY_EQUAL;
			} else if (!strcmp(s.value, "window")) {
				out->policy = CLI_POLICY_WINDOW;
			} else {
				ktracectl_usage_err("invalid --policy '%s': use equal or window",
						    s.value);
				return -EINVAL;
			}
			break;
		}
	}
	if (ret)
		return ret;
	if (out->path && cli_dest_check(out->path, "snapshot path"))
		return -EINVAL;
	return 0;
}

/* Choosing a session */

#define PICK_NAMES_SHOWN	8

int cli_pick_session(const char *const *names, size_t n, const char **out)
{
	char list[PICK_NAMES_SHOWN * (KTRACE_NAME_LEN + 2) + 8];
	size_t i, off = 0;

	if (n == 1) {
		*out = names[0];
		return 0;
	}
	if (!n) {
		ktracectl_set_err("no session exists: create one with 'ktracectl create NAME'");
		return -ENOENT;
	}
	list[0] = '\0';
	for (i = 0; i < n && i < PICK_NAMES_SHOWN; i++)
		off += snprintf(list + off, sizeof(list) - off, "%s%s",
				i ? ", " : "", names[i]);
	if (n > PICK_NAMES_SHOWN)
		snprintf(list + off, sizeof(list) - off, ", ...");
	ktracectl_set_err("%zu sessions exist (%s): choose one with -s", n, list);
	return -EINVAL;
}

/* Strings */

const char *cli_session_mode_str(uint32_t mode)
{
	switch (mode) {
	case KTRACE_SESSION_MODE_NORMAL:
		return "normal";
	case KTRACE_SESSION_MODE_SNAPSHOT:
		return "snapshot";
	}
	return "unknown";
}

const char *cli_session_state_str(uint32_t state)
{
	switch (state) {
	case KTRACE_SESSION_STATE_NEVER_STARTED:
		return "never-started";
	case KTRACE_SESSION_STATE_ACTIVE:
		return "active";
	case KTRACE_SESSION_STATE_STOPPED:
		return "stopped";
	}
	return "unknown";
}

const char *cli_channel_mode_str(uint32_t mode)
{
	switch (mode) {
	case KTRACE_CHANNEL_DISCARD:
		return "discard";
	case KTRACE_CHANNEL_OVERWRITE:
		return "overwrite";
	}
	return "unknown";
}

const char *cli_channel_output_str(uint32_t output)
{
	switch (output) {
	case KTRACE_CHANNEL_SPLICE:
		return "splice";
	case KTRACE_CHANNEL_MMAP:
		return "mmap";
	}
	return "unknown";
}

const char *cli_field_type_str(uint32_t type)
{
	switch (type) {
	case KTRACE_FIELD_TYPE_INTEGER:
		return "integer";
	case KTRACE_FIELD_TYPE_ENUM:
		return "enum";
	case KTRACE_FIELD_TYPE_ARRAY:
		return "array";
	case KTRACE_FIELD_TYPE_ARRAY_TEXT:
		return "text";
	case KTRACE_FIELD_TYPE_STRING:
		return "string";
	}
	return "unknown";
}

void cli_format_field(char *buf, size_t len, uint32_t type, uint32_t size,
		      int is_signed, uint32_t length)
{
	char sign = is_signed ? 's' : 'u';

	switch (type) {
	case KTRACE_FIELD_TYPE_INTEGER:
		snprintf(buf, len, "%c%u", sign, size * 8);
		break;
	case KTRACE_FIELD_TYPE_ENUM:
		snprintf(buf, len, "enum %c%u", sign, size * 8);
		break;
	case KTRACE_FIELD_TYPE_ARRAY:
		snprintf(buf, len, "%c%u[%u]", sign, size * 8, length);
		break;
	case KTRACE_FIELD_TYPE_ARRAY_TEXT:
		snprintf(buf, len, "char[%u]", length);
		break;
	case KTRACE_FIELD_TYPE_STRING:
		snprintf(buf, len, "string");
		break;
	default:
		snprintf(buf, len, "unknown");
		break;
	}
}

void cli_format_channel(char *buf, size_t len, uint32_t mode,
			uint64_t subbuf_size, uint32_t num_subbuf,
			uint32_t output, uint32_t switch_timer_us)
{
	char size[32], timer[32];

	ktracectl_format_size(subbuf_size, size, sizeof(size));
	if (switch_timer_us)
		snprintf(timer, sizeof(timer), "%u us", switch_timer_us);
	else
		snprintf(timer, sizeof(timer), "off");
	snprintf(buf, len, "%s, %u x %s sub-buffers per CPU, %s output, switch timer %s",
		 cli_channel_mode_str(mode), num_subbuf, size,
		 cli_channel_output_str(output), timer);
}
