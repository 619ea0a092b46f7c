// SPDX-License-Identifier: GPL-2.0
/*
 * Saved sessions as JSON (session_file.h), with jansson: the file's
 * layout, checked key by key with the command line's rules, and written
 * back in the same layout.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "session_file.h"

#define NAME_RULE	"1 to 64 characters from A-Z a-z 0-9 _ . -"
#define EVENT_RULE	"1 to 64 characters from A-Z a-z 0-9 _ and the globs * ?"

/* The reason of a refusal, "PATH: message", into the caller's buffer. */
struct perr {
	char *buf;
	size_t len;
};

__attribute__((format(printf, 3, 4)))
static int bad(struct perr *e, const char *path, const char *fmt, ...)
{
	size_t n = 0;
	va_list ap;

	if (path[0]) {
		snprintf(e->buf, e->len, "%s: ", path);
		n = strlen(e->buf);
	}
	va_start(ap, fmt);
	vsnprintf(e->buf + n, e->len - n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* Refuses any key of @obj that is not in @keys (NULL-terminated). */
static int only_keys(struct perr *e, const char *path, json_t *obj,
		     const char *const *keys)
{
	const char *key;
	json_t *v;
	size_t i;

	json_object_foreach(obj, key, v) {
		for (i = 0; keys[i]; i++)
			if (!strcmp(keys[i], key))
				break;
		if (!keys[i])
			return bad(e, path, "unknown key '%s'%s", key,
				   path[0] ? "" : " at the top level");
	}
	return 0;
}

/* @path.@key, or @key at the top level. */
static void subpath(char *buf, size_t len, const char *path, const char *key)
{
	snprintf(buf, len, "%s%s%s", path, path[0] ? "." : "", key);
}

/* A string member: NULL when absent and optional. */
static int get_string(struct perr *e, const char *path, json_t *obj,
		      const char *key, int required, const char **out)
{
	json_t *v = json_object_get(obj, key);
	char p[128];

	*out = NULL;
	subpath(p, sizeof(p), path, key);
	if (!v)
		return required ? bad(e, path, "missing key '%s'", key) : 0;
	if (!json_is_string(v))
		return bad(e, p, "must be a string");
	*out = json_string_value(v);
	return 0;
}

/* An integer member from 0 to @max; @out untouched when absent. */
static int get_uint(struct perr *e, const char *path, json_t *obj,
		    const char *key, uint64_t max, uint64_t *out)
{
	json_t *v = json_object_get(obj, key);
	json_int_t i;
	char p[128];

	if (!v)
		return 0;
	subpath(p, sizeof(p), path, key);
	if (!json_is_integer(v))
		return bad(e, p, "must be an integer");
	i = json_integer_value(v);
	if (i < 0 || (uint64_t)i > max)
		return bad(e, p, "%lld is out of range (0 to %llu)", (long long)i,
			   (unsigned long long)max);
	*out = (uint64_t)i;
	return 0;
}

/* A member naming one of @words (value 1, 2, ...); 0 when absent. */
static int get_word(struct perr *e, const char *path, json_t *obj,
		    const char *key, const char *const *words, uint32_t *out)
{
	const char *s;
	char p[128];
	uint32_t i;
	int ret = get_string(e, path, obj, key, 0, &s);

	*out = 0;
	if (ret || !s)
		return ret;
	for (i = 0; words[i]; i++)
		if (!strcmp(words[i], s)) {
			*out = i + 1;
			return 0;
		}
	subpath(p, sizeof(p), path, key);
	return bad(e, p, "invalid value '%s': use %s or %s", s, words[0],
		   words[1]);
}

/* An array member, or NULL when absent. */
static int get_array(struct perr *e, const char *path, json_t *obj,
		     const char *key, json_t **out)
{
	json_t *v = json_object_get(obj, key);
	char p[128];

	*out = NULL;
	if (!v)
		return 0;
	subpath(p, sizeof(p), path, key);
	if (!json_is_array(v))
		return bad(e, p, "must be an array");
	*out = v;
	return 0;
}

static int get_name(struct perr *e, const char *path, json_t *obj,
		    const char *what, char *out)
{
	const char *s;
	char p[128];
	int ret = get_string(e, path, obj, "name", 1, &s);

	if (ret)
		return ret;
	subpath(p, sizeof(p), path, "name");
	if (!cli_name_valid(s))
		return bad(e, p, "invalid %s name '%s': use " NAME_RULE, what, s);
	strcpy(out, s);
	return 0;
}

static int is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

static int parse_event(struct perr *e, const char *path, json_t *v,
		       struct sf_event *ev)
{
	static const char *const keys[] = { "name", "enabled", NULL };
	json_t *enabled;
	const char *s;
	int ret;

	if (!json_is_object(v))
		return bad(e, path, "must be an object");
	ret = only_keys(e, path, v, keys);
	if (!ret)
		ret = get_string(e, path, v, "name", 1, &s);
	if (ret)
		return ret;
	if (!cli_event_valid(s))
		return bad(e, path, "invalid event name '%s': use " EVENT_RULE, s);
	strcpy(ev->name, s);
	enabled = json_object_get(v, "enabled");
	if (enabled && !json_is_boolean(enabled))
		return bad(e, path, "enabled: must be true or false");
	ev->enabled = !enabled || json_is_true(enabled);
	return 0;
}

static int parse_contexts(struct perr *e, const char *path, json_t *arr,
			  struct sf_channel *c)
{
	char p[128];
	uint32_t type;
	size_t i, j;
	json_t *v;

	json_array_foreach(arr, i, v) {
		snprintf(p, sizeof(p), "%s.contexts[%zu]", path, i);
		if (!json_is_string(v))
			return bad(e, p, "must be a string");
		type = cli_context_type(json_string_value(v));
		if (!type)
			return bad(e, p, "unknown context type '%s'",
				   json_string_value(v));
		for (j = 0; j < c->nr_contexts; j++)
			if (c->contexts[j] == type)
				return bad(e, p, "context type '%s' given twice",
					   json_string_value(v));
		c->contexts[c->nr_contexts++] = type;
	}
	return 0;
}

static int parse_channel(struct perr *e, const char *path, json_t *v,
			 struct sf_channel *c)
{
	static const char *const keys[] = {
		"name", "mode", "subbuf_size", "num_subbuf", "switch_timer_us",
		"output", "contexts", "events", NULL
	};
	static const char *const modes[] = { "discard", "overwrite", NULL };
	static const char *const outputs[] = { "splice", "mmap", NULL };
	long page = sysconf(_SC_PAGESIZE);
	uint64_t n = 0;
	json_t *arr, *ev;
	char p[128];
	size_t i;
	int ret;

	if (page <= 0)
		page = 4096;
	if (!json_is_object(v))
		return bad(e, path, "must be an object");
	ret = only_keys(e, path, v, keys);
	if (!ret)
		ret = get_name(e, path, v, "channel", c->name);
	if (!ret)
		ret = get_word(e, path, v, "mode", modes, &c->mode);
	if (!ret)
		ret = get_word(e, path, v, "output", outputs, &c->output);
	if (ret)
		return ret;
	ret = get_uint(e, path, v, "subbuf_size", UINT64_MAX, &c->subbuf_size);
	if (ret)
		return ret;
	if (json_object_get(v, "subbuf_size") &&
	    (!is_pow2(c->subbuf_size) || c->subbuf_size < (uint64_t)page)) {
		subpath(p, sizeof(p), path, "subbuf_size");
		return bad(e, p, "must be a power of two of at least the page size (%ld), not %llu",
			   page, (unsigned long long)c->subbuf_size);
	}
	ret = get_uint(e, path, v, "num_subbuf", UINT64_MAX, &n);
	if (ret)
		return ret;
	if (json_object_get(v, "num_subbuf") &&
	    (n < 2 || !is_pow2(n) || n > (1U << 31))) {
		subpath(p, sizeof(p), path, "num_subbuf");
		return bad(e, p, "must be a power of two from 2 to 2147483648, not %llu",
			   (unsigned long long)n);
	}
	c->num_subbuf = (uint32_t)n;
	n = 0;
	ret = get_uint(e, path, v, "switch_timer_us", UINT32_MAX, &n);
	if (ret)
		return ret;
	c->switch_timer_us = (uint32_t)n;

	ret = get_array(e, path, v, "contexts", &arr);
	if (!ret && arr)
		ret = parse_contexts(e, path, arr, c);
	if (!ret)
		ret = get_array(e, path, v, "events", &arr);
	if (ret || !arr || !json_array_size(arr))
		return ret;
	c->events = calloc(json_array_size(arr), sizeof(*c->events));
	if (!c->events)
		return bad(e, path, "out of memory");
	json_array_foreach(arr, i, ev) {
		snprintf(p, sizeof(p), "%s.events[%zu]", path, i);
		ret = parse_event(e, p, ev, &c->events[i]);
		if (ret)
			return ret;
		c->nr_events++;
	}
	return 0;
}

static int parse_output(struct perr *e, const char *path, json_t *v,
			struct sf_output *o)
{
	static const char *const keys[] = { "name", "dest", "max_size", NULL };
	const char *dest, *abs;
	char p[128];
	int ret;

	if (!json_is_object(v))
		return bad(e, path, "must be an object");
	ret = only_keys(e, path, v, keys);
	if (!ret)
		ret = get_name(e, path, v, "output", o->name);
	if (!ret)
		ret = get_string(e, path, v, "dest", 1, &dest);
	if (!ret)
		ret = get_uint(e, path, v, "max_size", UINT64_MAX, &o->max_size);
	if (ret)
		return ret;
	subpath(p, sizeof(p), path, "dest");
	/* Saved destinations are the kernel's: absolute, maybe a file:// URL. */
	abs = strncmp(dest, "file://", 7) ? dest : dest + 7;
	if (abs[0] != '/')
		return bad(e, p, "'%s' is not an absolute path or a file:// URL of one",
			   dest);
	if (strlen(dest) > KTRACE_DEST_LEN)
		return bad(e, p, "longer than %d bytes", KTRACE_DEST_LEN);
	strcpy(o->dest, dest);
	return 0;
}

/* Every channel and output name once. */
static int check_unique(struct perr *e, const struct session_file *sf)
{
	char p[64];
	size_t i, j;

	for (i = 0; i < sf->nr_channels; i++)
		for (j = 0; j < i; j++)
			if (!strcmp(sf->channels[i].name, sf->channels[j].name)) {
				snprintf(p, sizeof(p), "channels[%zu].name", i);
				return bad(e, p, "channel '%s' is given twice",
					   sf->channels[i].name);
			}
	for (i = 0; i < sf->nr_outputs; i++)
		for (j = 0; j < i; j++)
			if (!strcmp(sf->outputs[i].name, sf->outputs[j].name)) {
				snprintf(p, sizeof(p), "outputs[%zu].name", i);
				return bad(e, p, "output '%s' is given twice",
					   sf->outputs[i].name);
			}
	return 0;
}

static int parse_root(struct perr *e, json_t *root, struct session_file *sf)
{
	static const char *const keys[] = {
		"format", "name", "mode", "channels", "outputs", NULL
	};
	static const char *const modes[] = { "normal", "snapshot", NULL };
	json_t *format, *arr, *v;
	char p[64];
	size_t i;
	int ret;

	if (!json_is_object(root))
		return bad(e, "", "not a saved session: the file is no JSON object");
	format = json_object_get(root, "format");
	if (!format)
		return bad(e, "", "missing key 'format' (a saved session of ktracectl save)");
	if (!json_is_integer(format))
		return bad(e, "format", "must be an integer");
	if (json_integer_value(format) != SESSION_FILE_VERSION)
		return bad(e, "format", "version %lld is not supported (this ktracectl reads version %d)",
			   (long long)json_integer_value(format),
			   SESSION_FILE_VERSION);
	ret = only_keys(e, "", root, keys);
	if (!ret)
		ret = get_name(e, "", root, "session", sf->name);
	if (!ret)
		ret = get_word(e, "", root, "mode", modes, &sf->mode);
	if (ret)
		return ret;
	if (!sf->mode)
		sf->mode = KTRACE_SESSION_MODE_NORMAL;

	ret = get_array(e, "", root, "channels", &arr);
	if (ret)
		return ret;
	if (arr && json_array_size(arr)) {
		sf->channels = calloc(json_array_size(arr), sizeof(*sf->channels));
		if (!sf->channels)
			return bad(e, "", "out of memory");
		json_array_foreach(arr, i, v) {
			snprintf(p, sizeof(p), "channels[%zu]", i);
			sf->nr_channels++;
			ret = parse_channel(e, p, v, &sf->channels[i]);
			if (ret)
				return ret;
		}
	}
	ret = get_array(e, "", root, "outputs", &arr);
	if (ret)
		return ret;
	if (arr && json_array_size(arr)) {
		sf->outputs = calloc(json_array_size(arr), sizeof(*sf->outputs));
		if (!sf->outputs)
			return bad(e, "", "out of memory");
		json_array_foreach(arr, i, v) {
			snprintf(p, sizeof(p), "outputs[%zu]", i);
			sf->nr_outputs++;
			ret = parse_output(e, p, v, &sf->outputs[i]);
			if (ret)
				return ret;
		}
	}
	return check_unique(e, sf);
}

int session_file_parse(const char *text, struct session_file *sf, char *err,
		       size_t errlen)
{
	struct perr e = { err, errlen };
	json_error_t jerr;
	json_t *root;
	int ret;

	memset(sf, 0, sizeof(*sf));
	err[0] = '\0';
	root = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		snprintf(err, errlen, "%d:%d: %s", jerr.line, jerr.column,
			 jerr.text);
		return -EINVAL;
	}
	ret = parse_root(&e, root, sf);
	json_decref(root);
	return ret;
}

static const char *const channel_modes[] = { NULL, "discard", "overwrite" };
static const char *const channel_outputs[] = { NULL, "splice", "mmap" };

static json_t *channel_json(const struct sf_channel *c)
{
	json_t *o = json_object(), *ctx = json_array(), *evs = json_array();
	size_t i;

	json_object_set_new(o, "name", json_string(c->name));
	if (c->mode == KTRACE_CHANNEL_DISCARD || c->mode == KTRACE_CHANNEL_OVERWRITE)
		json_object_set_new(o, "mode", json_string(channel_modes[c->mode]));
	json_object_set_new(o, "subbuf_size", json_integer((json_int_t)c->subbuf_size));
	json_object_set_new(o, "num_subbuf", json_integer(c->num_subbuf));
	json_object_set_new(o, "switch_timer_us", json_integer(c->switch_timer_us));
	if (c->output == KTRACE_CHANNEL_SPLICE || c->output == KTRACE_CHANNEL_MMAP)
		json_object_set_new(o, "output", json_string(channel_outputs[c->output]));
	for (i = 0; i < c->nr_contexts; i++)
		json_array_append_new(ctx, json_string(cli_context_name(c->contexts[i])));
	json_object_set_new(o, "contexts", ctx);
	for (i = 0; i < c->nr_events; i++) {
		json_t *ev = json_object();

		json_object_set_new(ev, "name", json_string(c->events[i].name));
		json_object_set_new(ev, "enabled", json_boolean(c->events[i].enabled));
		json_array_append_new(evs, ev);
	}
	json_object_set_new(o, "events", evs);
	return o;
}

int session_file_write(FILE *f, const struct session_file *sf)
{
	json_t *root = json_object(), *chans = json_array(), *outs = json_array();
	size_t i;
	int ret;

	json_object_set_new(root, "format", json_integer(SESSION_FILE_VERSION));
	json_object_set_new(root, "name", json_string(sf->name));
	json_object_set_new(root, "mode", json_string(sf->mode == KTRACE_SESSION_MODE_SNAPSHOT ?
						      "snapshot" : "normal"));
	for (i = 0; i < sf->nr_channels; i++)
		json_array_append_new(chans, channel_json(&sf->channels[i]));
	json_object_set_new(root, "channels", chans);
	for (i = 0; i < sf->nr_outputs; i++) {
		const struct sf_output *o = &sf->outputs[i];
		json_t *out = json_object();

		json_object_set_new(out, "name", json_string(o->name));
		json_object_set_new(out, "dest", json_string(o->dest));
		json_object_set_new(out, "max_size", json_integer((json_int_t)o->max_size));
		json_array_append_new(outs, out);
	}
	json_object_set_new(root, "outputs", outs);
	ret = json_dumpf(root, f, JSON_INDENT(2));
	json_decref(root);
	if (ret || fputc('\n', f) == EOF)
		return -EIO;
	return 0;
}

void session_file_free(struct session_file *sf)
{
	size_t i;

	for (i = 0; i < sf->nr_channels; i++)
		free(sf->channels[i].events);
	free(sf->channels);
	free(sf->outputs);
	memset(sf, 0, sizeof(*sf));
}
