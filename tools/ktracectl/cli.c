// SPDX-License-Identifier: GPL-2.0
/*
 * ktracectl's command-line parser (see cli.h): one parser on getopt_long()
 * driven by each command's grammar (cli_grammar.c), the value types of
 * options, and the checks that need no kernel (names, sizes, destinations,
 * the choice of a session). Messages name options by their long form and
 * quote what the user typed.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "ktracectl.h"
#include "snapshot_path.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define NAME_RULE	"1 to 64 characters from A-Z a-z 0-9 _ . -"
#define SIZE_EXAMPLES	"4096, 4k, 4KiB, 1M, 2G"

/* getopt_long() vals of long options: above every short option's. */
#define CLI_LONG_BASE	256

/* Names */

/* 1 to KTRACE_NAME_LEN characters, each alphanumeric or one of @extra. */
static int valid_chars(const char *name, const char *extra)
{
	size_t n = strlen(name), i;

	if (!n || n > KTRACE_NAME_LEN)
		return 0;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)name[i]) && !strchr(extra, name[i]))
			return 0;
	return 1;
}

int cli_name_valid(const char *name)
{
	return valid_chars(name, "_.-");
}

int cli_event_valid(const char *name)
{
	return valid_chars(name, "_*?");
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
	uint64_t v;
	int ret = ktracectl_parse_digits(&s, max, &v);

	if (!ret && *s)
		ret = -EINVAL;
	if (!ret)
		*out = v;
	return ret;
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

/* Option values */

static int is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

/* "splice or mmap": the names of @words, for a message. */
static void word_list(char *buf, size_t len, const struct cli_word *words)
{
	size_t off = 0, i;

	buf[0] = '\0';
	for (i = 0; words[i].name && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%s",
				!i ? "" : words[i + 1].name ? ", " : " or ",
				words[i].name);
}

/* The options that set the field of @o, for "--a and --b conflict". */
static void conflict(const struct cli_grammar *g, const struct cli_opt *o)
{
	const char *names[2] = { o->name, o->name };
	const struct cli_opt *p;
	int n = 0;

	for (p = g->opts; p->name && n < 2; p++)
		if (p->type == CLI_SET && p->offset == o->offset)
			names[n++] = p->name;
	ktracectl_usage_err("--%s and --%s conflict", names[0], names[1]);
}

static int set_subbuf_size(const struct cli_opt *o, const char *text,
			   uint64_t *out)
{
	long page = sysconf(_SC_PAGESIZE);
	int ret = ktracectl_parse_size(text, out);

	if (ret)
		return opt_size(o->name, text, out);	/* its message */
	if (page <= 0)
		page = 4096;
	if (!is_pow2(*out) || *out < (uint64_t)page) {
		ktracectl_usage_err("--%s must be a power of two of at least the page size (%ld), not '%s'",
				    o->name, page, text);
		return -EINVAL;
	}
	return 0;
}

static int set_num_subbuf(const struct cli_opt *o, const char *text,
			  uint32_t *out)
{
	uint64_t v;
	int ret = parse_uint(text, UINT64_MAX, &v);

	if (ret == -EINVAL) {
		ktracectl_usage_err("invalid number '%s' for --%s", text, o->name);
		return -EINVAL;
	}
	if (ret || v < 2 || !is_pow2(v) || v > (1U << 31)) {
		ktracectl_usage_err("--%s must be a power of two from 2 to 2147483648, not '%s'",
				    o->name, text);
		return -EINVAL;
	}
	*out = (uint32_t)v;
	return 0;
}

static int set_usec(const struct cli_opt *o, const char *text, uint32_t *out)
{
	uint64_t v;
	int ret = parse_uint(text, UINT32_MAX, &v);

	if (ret == -ERANGE) {
		ktracectl_usage_err("--%s '%s' is too large (at most 4294967295 us)",
				    o->name, text);
		return -EINVAL;
	}
	if (ret) {
		ktracectl_usage_err("invalid number of microseconds '%s' for --%s",
				    text, o->name);
		return -EINVAL;
	}
	*out = (uint32_t)v;
	return 0;
}

static int set_count(const struct cli_opt *o, const char *text, uint32_t *out)
{
	uint64_t v;

	if (parse_uint(text, UINT32_MAX, &v) || !v) {
		ktracectl_usage_err("invalid --%s '%s': give a number from 1 to 4294967295",
				    o->name, text);
		return -EINVAL;
	}
	*out = (uint32_t)v;
	return 0;
}

static int set_word(const struct cli_opt *o, const char *text, uint32_t *out)
{
	char list[128];
	size_t i;

	for (i = 0; o->words[i].name; i++)
		if (!strcmp(o->words[i].name, text)) {
			*out = o->words[i].value;
			return 0;
		}
	word_list(list, sizeof(list), o->words);
	ktracectl_usage_err("invalid --%s '%s': use %s", o->name, text, list);
	return -EINVAL;
}

static int add_context_type(const char *text, struct cli_types *t)
{
	uint32_t type = cli_context_type(text);
	size_t i;

	if (!type) {
		ktracectl_usage_err("unknown context type '%s' (pid, tid, ppid, procname, prio, vpid, vtid, cpu_id, hostname)",
				    text);
		return -EINVAL;
	}
	for (i = 0; i < t->nr; i++)
		if (t->type[i] == type) {
			ktracectl_usage_err("context type '%s' given twice", text);
			return -EINVAL;
		}
	t->type[t->nr++] = type;
	return 0;
}

/* Stores @text, the value of option @o (or NULL), in @out. */
static int set_value(const struct cli_grammar *g, const struct cli_opt *o,
		     const char *text, void *out)
{
	void *field = (char *)out + o->offset;

	switch (o->type) {
	case CLI_FLAG:
		*(int *)field = 1;
		return 0;
	case CLI_SET:
		if (*(uint32_t *)field) {
			conflict(g, o);
			return -EINVAL;
		}
		*(uint32_t *)field = o->value;
		return 0;
	case CLI_NAME:
		if (check_name(o->what, text))
			return -EINVAL;
		/* fall through */
	case CLI_STRING:
		*(const char **)field = text;
		return 0;
	case CLI_SIZE:
		return opt_size(o->name, text, field);
	case CLI_SUBBUF_SIZE:
		return set_subbuf_size(o, text, field);
	case CLI_NUM_SUBBUF:
		return set_num_subbuf(o, text, field);
	case CLI_USEC:
		return set_usec(o, text, field);
	case CLI_WORD:
		return set_word(o, text, field);
	case CLI_CONTEXT_TYPE:
		return add_context_type(text, field);
	case CLI_COUNT:
		return set_count(o, text, field);
	case CLI_NONE:
		break;
	}
	return -EINVAL;
}

static int takes_value(const struct cli_opt *o)
{
	return o->type != CLI_FLAG && o->type != CLI_SET;
}

/* NAME and -s NAME, both given: they fill one field. */
static int given_twice(const struct cli_grammar *g)
{
	ktracectl_usage_err("give the %s once: NAME or -s NAME", g->arg.what);
	return -EINVAL;
}

/* The positional argument; @have says whether one came already. */
static int set_arg(const struct cli_grammar *g, const char *arg, int *have,
		   void *out)
{
	const char **field = (const char **)((char *)out + g->arg.offset);

	if (g->arg.type == CLI_NONE || *have) {
		ktracectl_usage_err("unexpected argument '%s'", arg);
		return -EINVAL;
	}
	*have = 1;
	if (*field)
		return given_twice(g);
	*field = arg;
	return 0;
}

/* An error getopt_long() found: @c is '?' or ':'; the message is ours. */
static int getopt_error(const struct cli_grammar *g, int c, char **argv)
{
	const char *a = argv[optind - 1];
	const struct cli_opt *o = NULL;
	size_t i;

	if (optopt >= CLI_LONG_BASE)
		o = &g->opts[optopt - CLI_LONG_BASE];
	for (i = 0; !o && optopt && g->opts[i].name; i++)
		if (g->opts[i].short_name == optopt)
			o = &g->opts[i];
	if (c == ':' && o)
		ktracectl_usage_err("option '--%s' needs a value", o->name);
	else if (o)
		ktracectl_usage_err("option '--%s' takes no value", o->name);
	else if (optopt)
		ktracectl_usage_err("unknown option '-%c'", optopt);
	else
		ktracectl_usage_err("unknown option '%.*s'",
				    (int)strcspn(a, "="), a);
	return -EINVAL;
}

int cli_parse(const struct cli_grammar *g, int argc, char **argv, void *out)
{
	struct option longopts[CLI_MAX_OPTS + 1] = { { 0 } };
	/* "-": arguments in order, as option 1; ":": no messages. */
	char shortopts[2 * CLI_MAX_OPTS + 3] = "-:", *p = shortopts + 2;
	const struct cli_opt *o;
	unsigned long seen = 0;
	int c, i, n, have_arg = 0;

	memset(out, 0, g->size);
	for (n = 0; g->opts[n].name && n < CLI_MAX_OPTS; n++) {
		o = &g->opts[n];
		longopts[n] = (struct option) {
			.name = o->name,
			.has_arg = takes_value(o) ? required_argument :
				   no_argument,
			.val = CLI_LONG_BASE + n,
		};
		if (o->short_name) {
			*p++ = o->short_name;
			if (takes_value(o))
				*p++ = ':';
		}
	}
	*p = '\0';

	optind = 0;	/* a fresh start, whatever parsed before */
	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if (c == 1) {
			if (set_arg(g, optarg, &have_arg, out))
				return -EINVAL;
			continue;
		}
		if (c == '?' || c == ':')
			return getopt_error(g, c, argv);
		for (i = 0; c < CLI_LONG_BASE && g->opts[i].short_name != c; i++)
			;
		if (c >= CLI_LONG_BASE)
			i = c - CLI_LONG_BASE;
		o = &g->opts[i];
		if (o->type != CLI_CONTEXT_TYPE && (seen & (1UL << i))) {
			ktracectl_usage_err("option '--%s' given twice", o->name);
			return -EINVAL;
		}
		seen |= 1UL << i;
		if (have_arg && o->offset == g->arg.offset)
			return given_twice(g);
		if (set_value(g, o, optarg, out))
			return -EINVAL;
	}
	/* After "--": arguments only. */
	for (; optind < argc; optind++)
		if (set_arg(g, argv[optind], &have_arg, out))
			return -EINVAL;

	if (!have_arg && g->arg.missing) {
		ktracectl_usage_err("%s", g->arg.missing);
		return -EINVAL;
	}
	if (have_arg && g->arg.type == CLI_NAME &&
	    check_name(g->arg.what, *(const char **)((char *)out + g->arg.offset)))
		return -EINVAL;
	return g->check ? g->check(out) : 0;
}

const char *cli_session(const struct cli_grammar *g, const void *out)
{
	const struct cli_opt *o;

	for (o = g->opts; o->name; o++)
		if (!strcmp(o->name, "session"))
			return *(const char *const *)((const char *)out +
						      o->offset);
	return NULL;
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
