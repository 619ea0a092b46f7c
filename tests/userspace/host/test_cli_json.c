// SPDX-License-Identifier: GPL-2.0
/*
 * ktracectl's JSON writer (tools/ktracectl/json.c): string escaping,
 * including bytes that are not UTF-8, and the layout of nested values,
 * byte for byte.
 */
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

struct escape_row {
	const char *what;
	const char *in;
	const char *out;
};

static const struct escape_row escape_rows[] = {
	{ "escape: plain", "sched_switch", "\"sched_switch\"" },
	{ "escape: empty", "", "\"\"" },
	{ "escape: quote and backslash", "a\"b\\c", "\"a\\\"b\\\\c\"" },
	{ "escape: slash kept", "/var/tmp", "\"/var/tmp\"" },
	{ "escape: short escapes", "\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"" },
	{ "escape: other controls", "\x01\x1f", "\"\\u0001\\u001f\"" },
	{ "escape: DEL", "\x7f", "\"\\u007f\"" },
	{ "escape: UTF-8 two bytes", "\xc3\xa9t\xc3\xa9", "\"\xc3\xa9t\xc3\xa9\"" },
	{ "escape: UTF-8 three bytes", "\xe2\x82\xac", "\"\xe2\x82\xac\"" },
	{ "escape: UTF-8 four bytes", "\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\"" },
	{ "escape: invalid byte", "a\xffz", "\"a\\ufffdz\"" },
	{ "escape: lone continuation byte", "\x80", "\"\\ufffd\"" },
	{ "escape: overlong two bytes", "\xc0\xaf", "\"\\ufffd\\ufffd\"" },
	{ "escape: overlong three bytes", "\xe0\x80\xaf", "\"\\ufffd\\ufffd\\ufffd\"" },
	{ "escape: surrogate", "\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"" },
	{ "escape: above U+10FFFF", "\xf4\x90\x80\x80",
	  "\"\\ufffd\\ufffd\\ufffd\\ufffd\"" },
	{ "escape: truncated at the end", "x\xe2\x82", "\"x\\ufffd\\ufffd\"" },
	{ "escape: truncated before ASCII", "\xe2\x82z", "\"\\ufffd\\ufffdz\"" },
};

static void escape(void **state)
{
	const struct escape_row *row = *state;
	struct capture c;
	char *out;

	capture_begin(&c);
	json_escape(c.f, row->in);
	out = capture_end(&c);
	assert_string_equal(out, row->out);
	free(out);
}

static void nested(void **state)
{
	struct capture c;
	struct json j;
	char *out;

	(void)state;
	capture_begin(&c);
	json_init(&j, c.f);
	json_object_begin(&j, NULL);
	json_string(&j, "name", "s\"1");
	json_uint(&j, "max", UINT64_MAX);
	json_bool(&j, "yes", 1);
	json_bool(&j, "no", 0);
	json_null(&j, "nothing");
	json_array_begin(&j, "channels");
	json_object_begin(&j, NULL);
	json_uint(&j, "id", 1);
	json_array_begin(&j, "events");
	json_array_end(&j);
	json_object_end(&j);
	json_object_begin(&j, NULL);
	json_object_end(&j);
	json_array_end(&j);
	json_array_begin(&j, "numbers");
	json_uint(&j, NULL, 0);
	json_uint(&j, NULL, 42);
	json_array_end(&j);
	json_object_end(&j);
	out = capture_end(&c);
	assert_string_equal(out,
		"{\n"
		"  \"name\": \"s\\\"1\",\n"
		"  \"max\": 18446744073709551615,\n"
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
	struct capture c;
	struct json j;
	char *out;

	(void)state;
	capture_begin(&c);
	json_init(&j, c.f);
	json_object_begin(&j, NULL);
	json_array_begin(&j, "sessions");
	json_array_end(&j);
	json_object_end(&j);
	out = capture_end(&c);
	assert_string_equal(out, "{\n  \"sessions\": []\n}\n");
	free(out);
}

/* Keys are escaped like values. */
static void escaped_key(void **state)
{
	struct capture c;
	struct json j;
	char *out;

	(void)state;
	capture_begin(&c);
	json_init(&j, c.f);
	json_object_begin(&j, NULL);
	json_uint(&j, "a\nb", 1);
	json_object_end(&j);
	out = capture_end(&c);
	assert_string_equal(out, "{\n  \"a\\nb\": 1\n}\n");
	free(out);
}

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(nested),
		cmocka_unit_test(empty_top_level),
		cmocka_unit_test(escaped_key),
	};
	struct CMUnitTest tests[ARRAY_SIZE(escape_rows) + ARRAY_SIZE(fixed)];
	size_t i, n = 0;

	for (i = 0; i < ARRAY_SIZE(escape_rows); i++)
		tests[n++] = (struct CMUnitTest) {
			.name = escape_rows[i].what,
			.test_func = escape,
			.initial_state = (void *)&escape_rows[i],
		};
	for (i = 0; i < ARRAY_SIZE(fixed); i++)
		tests[n++] = fixed[i];
	return _cmocka_run_group_tests("json", tests, n, NULL, NULL);
}
