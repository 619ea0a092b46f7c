// SPDX-License-Identifier: GPL-2.0
/*
 * Session files (ktracectl save / load, session_file.c): a full file is
 * read into the right values and written back the same; every malformed
 * or invalid file is refused with its exact one-line reason.
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

#include "ktracectl.h"
#include "session_file.h"

/* cli.c's checks report through these; the parser does not use them. */
void ktracectl_set_err(const char *fmt, ...)
{
	(void)fmt;
}

void ktracectl_usage_err(const char *fmt, ...)
{
	(void)fmt;
}

static const char full[] =
	"{\n"
	"  \"format\": 1,\n"
	"  \"name\": \"boot\",\n"
	"  \"mode\": \"snapshot\",\n"
	"  \"channels\": [\n"
	"    {\n"
	"      \"name\": \"channel0\",\n"
	"      \"mode\": \"overwrite\",\n"
	"      \"subbuf_size\": 262144,\n"
	"      \"num_subbuf\": 8,\n"
	"      \"switch_timer_us\": 100000,\n"
	"      \"output\": \"mmap\",\n"
	"      \"contexts\": [\n"
	"        \"pid\",\n"
	"        \"procname\"\n"
	"      ],\n"
	"      \"events\": [\n"
	"        {\n"
	"          \"name\": \"sched_switch\",\n"
	"          \"enabled\": true\n"
	"        },\n"
	"        {\n"
	"          \"name\": \"sched_wakeup\",\n"
	"          \"enabled\": false\n"
	"        }\n"
	"      ]\n"
	"    },\n"
	"    {\n"
	"      \"name\": \"irqs\",\n"
	"      \"mode\": \"discard\",\n"
	"      \"subbuf_size\": 4096,\n"
	"      \"num_subbuf\": 2,\n"
	"      \"switch_timer_us\": 0,\n"
	"      \"output\": \"splice\",\n"
	"      \"contexts\": [],\n"
	"      \"events\": []\n"
	"    }\n"
	"  ],\n"
	"  \"outputs\": [\n"
	"    {\n"
	"      \"name\": \"disk\",\n"
	"      \"dest\": \"/var/lib/ktrace\",\n"
	"      \"max_size\": 8388608\n"
	"    }\n"
	"  ]\n"
	"}\n";

static void test_full(void **state)
{
	struct session_file sf;
	char err[256];

	(void)state;
	assert_int_equal(session_file_parse(full, &sf, err, sizeof(err)), 0);
	assert_string_equal(sf.name, "boot");
	assert_int_equal(sf.mode, KTRACE_SESSION_MODE_SNAPSHOT);
	assert_int_equal(sf.nr_channels, 2);
	assert_string_equal(sf.channels[0].name, "channel0");
	assert_int_equal(sf.channels[0].mode, KTRACE_CHANNEL_OVERWRITE);
	assert_int_equal(sf.channels[0].subbuf_size, 262144);
	assert_int_equal(sf.channels[0].num_subbuf, 8);
	assert_int_equal(sf.channels[0].switch_timer_us, 100000);
	assert_int_equal(sf.channels[0].output, KTRACE_CHANNEL_MMAP);
	assert_int_equal(sf.channels[0].nr_contexts, 2);
	assert_int_equal(sf.channels[0].contexts[0], KTRACE_CONTEXT_TYPE_PID);
	assert_int_equal(sf.channels[0].contexts[1], KTRACE_CONTEXT_TYPE_PROCNAME);
	assert_int_equal(sf.channels[0].nr_events, 2);
	assert_string_equal(sf.channels[0].events[1].name, "sched_wakeup");
	assert_int_equal(sf.channels[0].events[0].enabled, 1);
	assert_int_equal(sf.channels[0].events[1].enabled, 0);
	assert_int_equal(sf.channels[1].mode, KTRACE_CHANNEL_DISCARD);
	assert_int_equal(sf.channels[1].nr_events, 0);
	assert_int_equal(sf.nr_outputs, 1);
	assert_string_equal(sf.outputs[0].dest, "/var/lib/ktrace");
	assert_int_equal(sf.outputs[0].max_size, 8 << 20);
	session_file_free(&sf);
}

/* What ktracectl save writes is the file, byte for byte. */
static void test_write_round_trip(void **state)
{
	struct session_file sf;
	char err[256], *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	assert_int_equal(session_file_parse(full, &sf, err, sizeof(err)), 0);
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(session_file_write(f, &sf), 0);
	fclose(f);
	assert_string_equal(buf, full);
	free(buf);
	session_file_free(&sf);
}

/* A file without optional keys takes the defaults. */
static void test_minimal(void **state)
{
	struct session_file sf;
	char err[256];

	(void)state;
	assert_int_equal(session_file_parse("{\"format\": 1, \"name\": \"a\"}",
					    &sf, err, sizeof(err)), 0);
	assert_int_equal(sf.mode, KTRACE_SESSION_MODE_NORMAL);
	assert_int_equal(sf.nr_channels, 0);
	assert_int_equal(sf.nr_outputs, 0);
	session_file_free(&sf);
}

struct bad_case {
	const char *text;
	const char *err;
};

#define HEAD "{\"format\": 1, \"name\": \"s\", "
#define CHAN(x) HEAD "\"channels\": [{\"name\": \"c\", " x "}]}"

static const struct bad_case bad_cases[] = {
	{ "", "1:0: '[' or '{' expected near end of file" },
	{ "{\n  \"format\": 1,\n}", "3:1: string or '}' expected near '}'" },
	{ "{\"format\": 1, \"format\": 1}", "1:22: duplicate object key near '\"format\"'" },
	{ "[1]", "not a saved session: the file is no JSON object" },
	{ "{\"name\": \"s\"}", "missing key 'format' (a saved session of ktracectl save)" },
	{ "{\"format\": 2, \"name\": \"s\"}",
	  "format: version 2 is not supported (this ktracectl reads version 1)" },
	{ "{\"format\": \"1\", \"name\": \"s\"}", "format: must be an integer" },
	{ HEAD "\"colour\": 1}", "unknown key 'colour' at the top level" },
	{ "{\"format\": 1}", "missing key 'name'" },
	{ "{\"format\": 1, \"name\": \"a b\"}",
	  "name: invalid session name 'a b': use 1 to 64 characters from A-Z a-z 0-9 _ . -" },
	{ HEAD "\"mode\": \"flight\"}", "mode: invalid value 'flight': use normal or snapshot" },
	{ HEAD "\"channels\": {}}", "channels: must be an array" },
	{ HEAD "\"channels\": [1]}", "channels[0]: must be an object" },
	{ CHAN("\"size\": 1"), "channels[0]: unknown key 'size'" },
	{ CHAN("\"subbuf_size\": 3000"),
	  "channels[0].subbuf_size: must be a power of two of at least the page size (4096), not 3000" },
	{ CHAN("\"num_subbuf\": 3"),
	  "channels[0].num_subbuf: must be a power of two from 2 to 2147483648, not 3" },
	{ CHAN("\"num_subbuf\": -2"),
	  "channels[0].num_subbuf: -2 is out of range (0 to 18446744073709551615)" },
	{ CHAN("\"switch_timer_us\": 4294967296"),
	  "channels[0].switch_timer_us: 4294967296 is out of range (0 to 4294967295)" },
	{ CHAN("\"switch_timer_us\": 1.5"), "channels[0].switch_timer_us: must be an integer" },
	{ CHAN("\"output\": \"pipe\""), "channels[0].output: invalid value 'pipe': use splice or mmap" },
	{ CHAN("\"contexts\": [\"pid\", \"uid\"]"), "channels[0].contexts[1]: unknown context type 'uid'" },
	{ CHAN("\"contexts\": [\"pid\", \"pid\"]"), "channels[0].contexts[1]: context type 'pid' given twice" },
	{ CHAN("\"events\": [{\"name\": \"sched-switch\"}]"),
	  "channels[0].events[0]: invalid event name 'sched-switch': use 1 to 64 characters from A-Z a-z 0-9 _ and the globs * ?" },
	{ CHAN("\"events\": [{\"name\": \"a\", \"enabled\": 1}]"),
	  "channels[0].events[0]: enabled: must be true or false" },
	{ HEAD "\"channels\": [{\"name\": \"c\"}, {\"name\": \"c\"}]}",
	  "channels[1].name: channel 'c' is given twice" },
	{ HEAD "\"outputs\": [{\"name\": \"o\", \"dest\": \"traces\"}]}",
	  "outputs[0].dest: 'traces' is not an absolute path or a file:// URL of one" },
	{ HEAD "\"outputs\": [{\"name\": \"o\"}]}", "outputs[0]: missing key 'dest'" },
};

static void test_bad(void **state)
{
	struct session_file sf;
	char err[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		print_message("%s\n", bad_cases[i].text);
		assert_int_equal(session_file_parse(bad_cases[i].text, &sf, err,
						    sizeof(err)), -EINVAL);
		assert_string_equal(err, bad_cases[i].err);
		session_file_free(&sf);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_write_round_trip),
		cmocka_unit_test(test_minimal),
		cmocka_unit_test(test_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
