// SPDX-License-Identifier: GPL-2.0
/*
 * ktracectl's --json output (tools/ktracectl/json.c, through jansson):
 * the layout, byte for byte, that the scenarios and scripts read line by
 * line; strings, including bytes that are not UTF-8; a representative
 * `list NAME --json` object parsed back by jansson with its keys in order
 * and its u64 counters exact up to 2^63 - 1 (saturated above); and an
 * allocation failure, which prints nothing.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "json.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct capture {
	FILE *f;
	char *buf;
	size_t len;
};

static void capture_begin(struct capture *c)
{
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
	assert_non_null(c->f);
}

/* Returns what was written; free() it. */
static char *capture_end(struct capture *c)
{
	assert_int_equal(fclose(c->f), 0);
	return c->buf;
}

/* jout_print(@root) into a string, which must succeed; free() it. */
static char *print(json_t *root)
{
	struct capture c;

	capture_begin(&c);
	assert_int_equal(jout_print(c.f, root), 0);
	return capture_end(&c);
}

struct string_row {
	const char *what;
	const char *in;
	const char *out;	/* as printed, with its quotes */
};

#define FFFD "\xef\xbf\xbd"

static const struct string_row string_rows[] = {
	{ "string: plain", "sched_switch", "\"sched_switch\"" },
	{ "string: empty", "", "\"\"" },
	{ "string: quote and backslash", "a\"b\\c", "\"a\\\"b\\\\c\"" },
	{ "string: slash kept", "/var/tmp", "\"/var/tmp\"" },
	{ "string: short escapes", "\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"" },
	{ "string: other controls", "\x01\x1f", "\"\\u0001\\u001F\"" },
	{ "string: DEL", "\x7f", "\"\x7f\"" },
	{ "string: UTF-8 two bytes", "\xc3\xa9t\xc3\xa9", "\"\xc3\xa9t\xc3\xa9\"" },
	{ "string: UTF-8 three bytes", "\xe2\x82\xac", "\"\xe2\x82\xac\"" },
	{ "string: UTF-8 four bytes", "\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\"" },
	{ "string: invalid byte", "a\xffz", "\"a" FFFD "z\"" },
	{ "string: lone continuation byte", "\x80", "\"" FFFD "\"" },
	{ "string: overlong two bytes", "\xc0\xaf", "\"" FFFD FFFD "\"" },
	{ "string: overlong three bytes", "\xe0\x80\xaf",
	  "\"" FFFD FFFD FFFD "\"" },
	{ "string: surrogate", "\xed\xa0\x80", "\"" FFFD FFFD FFFD "\"" },
	{ "string: above U+10FFFF", "\xf4\x90\x80\x80",
	  "\"" FFFD FFFD FFFD FFFD "\"" },
	{ "string: truncated at the end", "x\xe2\x82", "\"x" FFFD FFFD "\"" },
	{ "string: truncated before ASCII", "\xe2\x82z", "\"" FFFD FFFD "z\"" },
	{ "string: invalid among valid", "\xc3\xa9\xff\xe2\x82\xac",
	  "\"\xc3\xa9" FFFD "\xe2\x82\xac\"" },
};

static void string(void **state)
{
	const struct string_row *row = *state;
	json_t *o = json_object();
	char *out, *want;

	jout_str(o, "s", row->in);
	out = print(o);
	want = malloc(strlen(row->out) + 16);
	assert_non_null(want);
	sprintf(want, "{\n  \"s\": %s\n}\n", row->out);
	assert_string_equal(out, want);
	free(want);
	free(out);
}

static void nested(void **state)
{
	json_t *o, *chans, *c, *nums;
	char *out;

	(void)state;
	o = json_object();
	jout_str(o, "name", "s\"1");
	jout_uint(o, "max", INT64_MAX);
	jout_bool(o, "yes", 1);
	jout_bool(o, "no", 0);
	jout_set(o, "nothing", json_null());
	chans = json_array();
	c = json_object();
	jout_uint(c, "id", 1);
	jout_set(c, "events", json_array());
	jout_append(chans, c);
	jout_append(chans, json_object());
	jout_set(o, "channels", chans);
	nums = json_array();
	jout_append(nums, jout_integer(0));
	jout_append(nums, jout_integer(42));
	jout_set(o, "numbers", nums);
	out = print(o);
	assert_string_equal(out,
		"{\n"
		"  \"name\": \"s\\\"1\",\n"
		"  \"max\": 9223372036854775807,\n"
		"  \"yes\": true,\n"
		"  \"no\": false,\n"
		"  \"nothing\": null,\n"
		"  \"channels\": [\n"
		"    {\n"
		"      \"id\": 1,\n"
		"      \"events\": []\n"
		"    },\n"
		"    {}\n"
		"  ],\n"
		"  \"numbers\": [\n"
		"    0,\n"
		"    42\n"
		"  ]\n"
		"}\n");
	free(out);
}

static void empty_top_level(void **state)
{
	json_t *o = json_object();
	char *out;

	(void)state;
	jout_set(o, "sessions", json_array());
	out = print(o);
	assert_string_equal(out, "{\n  \"sessions\": []\n}\n");
	free(out);
}

/* Keys are escaped like values. */
static void escaped_key(void **state)
{
	json_t *o = json_object();
	char *out;

	(void)state;
	jout_uint(o, "a\nb", 1);
	out = print(o);
	assert_string_equal(out, "{\n  \"a\\nb\": 1\n}\n");
	free(out);
}

/* The keys of @obj, in order, are @keys (NULL-terminated). */
static void assert_keys(json_t *obj, const char *const *keys)
{
	void *it = json_object_iter(obj);
	size_t i;

	assert_true(json_is_object(obj));
	for (i = 0; keys[i]; i++) {
		assert_non_null(it);
		assert_string_equal(json_object_iter_key(it), keys[i]);
		it = json_object_iter_next(obj, it);
	}
	assert_null(it);
}

static json_int_t int_of(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	assert_true(json_is_integer(v));
	return json_integer_value(v);
}

static const char *str_of(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	assert_true(json_is_string(v));
	return json_string_value(v);
}

#define NEAR_2_63	(((uint64_t)1 << 63) - 1000)

/*
 * A session as `list NAME --json` builds it (list.c, json_session()),
 * with counters at and near 2^63 and past it.
 */
static json_t *session(void)
{
	json_t *o, *chans, *c, *ctxs, *evs, *e, *outs, *out;

	o = json_object();
	jout_str(o, "name", "flight");
	jout_uint(o, "id", 7);
	jout_str(o, "mode", "snapshot");
	jout_str(o, "state", "active");
	jout_uint(o, "snapshots", 3);
	jout_uint(o, "streams", 4);
	jout_uint(o, "discarded", NEAR_2_63);
	jout_uint(o, "overwritten", INT64_MAX);
	chans = json_array();
	c = json_object();
	jout_str(c, "name", "channel0");
	jout_uint(c, "id", 0);
	jout_str(c, "mode", "overwrite");
	jout_uint(c, "subbuf_size", 65536);
	jout_uint(c, "num_subbuf", 8);
	jout_uint(c, "switch_timer_us", 0);
	jout_str(c, "output", "mmap");
	jout_uint(c, "streams", 4);
	jout_uint(c, "discarded", (uint64_t)1 << 63);
	jout_uint(c, "overwritten", UINT64_MAX);
	ctxs = json_array();
	jout_append(ctxs, jout_string("pid"));
	jout_append(ctxs, jout_string("procname"));
	jout_set(c, "contexts", ctxs);
	evs = json_array();
	e = json_object();
	jout_str(e, "name", "sched_switch");
	jout_uint(e, "id", 1);
	jout_bool(e, "enabled", 1);
	jout_append(evs, e);
	jout_set(c, "events", evs);
	jout_append(chans, c);
	jout_set(o, "channels", chans);
	outs = json_array();
	out = json_object();
	jout_uint(out, "id", 1);
	jout_str(out, "name", "snapshot-1");
	jout_str(out, "dest", "/var/tmp/tr\xff" "ces");
	jout_uint(out, "max_size", 0);
	jout_append(outs, out);
	jout_set(o, "outputs", outs);
	return o;
}

static void parsed_back(void **state)
{
	static const char *const top[] = { "sessions", NULL };
	static const char *const skeys[] = {
		"name", "id", "mode", "state", "snapshots", "streams",
		"discarded", "overwritten", "channels", "outputs", NULL };
	static const char *const ckeys[] = {
		"name", "id", "mode", "subbuf_size", "num_subbuf",
		"switch_timer_us", "output", "streams", "discarded",
		"overwritten", "contexts", "events", NULL };
	static const char *const ekeys[] = { "name", "id", "enabled", NULL };
	static const char *const okeys[] = {
		"id", "name", "dest", "max_size", NULL };
	json_t *root, *sessions, *back, *s, *c, *v;
	json_error_t err;
	char *text;

	(void)state;
	sessions = json_array();
	jout_append(sessions, session());
	root = json_object();
	jout_set(root, "sessions", sessions);
	text = print(root);

	back = json_loads(text, JSON_REJECT_DUPLICATES, &err);
	if (!back)
		fail_msg("jansson refuses the output: %s at line %d: %s",
			 err.text, err.line, text);
	assert_keys(back, top);
	sessions = json_object_get(back, "sessions");
	assert_true(json_is_array(sessions));
	assert_int_equal(json_array_size(sessions), 1);
	s = json_array_get(sessions, 0);
	assert_keys(s, skeys);
	assert_string_equal(str_of(s, "name"), "flight");
	assert_int_equal(int_of(s, "id"), 7);
	assert_string_equal(str_of(s, "state"), "active");
	/* u64 counters: exact up to 2^63 - 1. */
	assert_true(int_of(s, "discarded") == (json_int_t)NEAR_2_63);
	assert_true(int_of(s, "overwritten") == INT64_MAX);

	c = json_array_get(json_object_get(s, "channels"), 0);
	assert_keys(c, ckeys);
	assert_int_equal(int_of(c, "subbuf_size"), 65536);
	assert_int_equal(int_of(c, "id"), 0);
	/* Past it: saturated, still an integer jansson reads back. */
	assert_true(int_of(c, "discarded") == INT64_MAX);
	assert_true(int_of(c, "overwritten") == INT64_MAX);
	v = json_object_get(c, "contexts");
	assert_int_equal(json_array_size(v), 2);
	assert_string_equal(json_string_value(json_array_get(v, 1)),
			    "procname");
	v = json_array_get(json_object_get(c, "events"), 0);
	assert_keys(v, ekeys);
	assert_true(json_is_true(json_object_get(v, "enabled")));

	v = json_array_get(json_object_get(s, "outputs"), 0);
	assert_keys(v, okeys);
	assert_string_equal(str_of(v, "dest"), "/var/tmp/tr" FFFD "ces");
	assert_int_equal(int_of(v, "max_size"), 0);

	/* The exact digits, as a line-by-line reader sees them. */
	assert_non_null(strstr(text,
		"\n      \"discarded\": 9223372036854774808,\n"));
	assert_non_null(strstr(text,
		"\n          \"overwritten\": 9223372036854775807,\n"));
	json_decref(back);
	free(text);
}

/* A value that could not be allocated: nothing printed, -ENOMEM, once. */
static void failure_prints_nothing(void **state)
{
	json_t *o = json_object(), *arr = json_array();
	struct capture c;
	char *out;

	(void)state;
	jout_uint(o, "id", 1);
	jout_append(arr, NULL);
	jout_set(o, "events", arr);
	capture_begin(&c);
	assert_int_equal(jout_print(c.f, o), -ENOMEM);
	out = capture_end(&c);
	assert_string_equal(out, "");
	free(out);

	capture_begin(&c);
	assert_int_equal(jout_print(c.f, NULL), -ENOMEM);
	out = capture_end(&c);
	assert_string_equal(out, "");
	free(out);

	/* The failure is forgotten once reported. */
	o = json_object();
	jout_uint(o, "id", 2);
	out = print(o);
	assert_string_equal(out, "{\n  \"id\": 2\n}\n");
	free(out);
}

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(nested),
		cmocka_unit_test(empty_top_level),
		cmocka_unit_test(escaped_key),
		cmocka_unit_test(parsed_back),
		cmocka_unit_test(failure_prints_nothing),
	};
	struct CMUnitTest tests[ARRAY_SIZE(string_rows) + ARRAY_SIZE(fixed)];
	size_t i, n = 0;

	for (i = 0; i < ARRAY_SIZE(string_rows); i++)
		tests[n++] = (struct CMUnitTest) {
			.name = string_rows[i].what,
			.test_func = string,
			.initial_state = (void *)&string_rows[i],
		};
	for (i = 0; i < ARRAY_SIZE(fixed); i++)
		tests[n++] = fixed[i];
	return _cmocka_run_group_tests("json", tests, n, NULL, NULL);
}
