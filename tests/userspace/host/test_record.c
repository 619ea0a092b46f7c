// SPDX-License-Identifier: GPL-2.0
/*
 * snapshot record's pure helpers (tools/ktracectl/record_parse.c): the
 * CPU lists it reads from /sys/devices/system/cpu/possible, the clock
 * offset it reads from the metadata the module writes, and the UTC times
 * of its summary.
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

#include "record.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* CPU lists */

struct cpus_row {
	const char *what;
	const char *text;
	int ret;
	size_t n;
	unsigned int cpus[8];	/* the first ones */
	unsigned int last;
};

static const struct cpus_row cpus_rows[] = {
	{ "one CPU", "0\n", 0, 1, { 0 }, 0 },
	{ "a range", "0-3\n", 0, 4, { 0, 1, 2, 3 }, 3 },
	{ "ranges and CPUs", "0-3,6,8-9\n", 0, 7, { 0, 1, 2, 3, 6, 8, 9 }, 9 },
	{ "without a newline", "5", 0, 1, { 5 }, 5 },
	{ "a range of one", "2-2", 0, 1, { 2 }, 2 },
	{ "the highest CPU", "65535", 0, 1, { 65535 }, 65535 },
	{ "every CPU", "0-65535", 0, 65536, { 0, 1, 2, 3, 4, 5, 6, 7 }, 65535 },
	{ "empty", "", .ret = -EINVAL },
	{ "only a newline", "\n", .ret = -EINVAL },
	{ "a range backwards", "3-1", .ret = -EINVAL },
	{ "not a number", "a", .ret = -EINVAL },
	{ "a range without its end", "0-", .ret = -EINVAL },
	{ "an empty item", "0,,1", .ret = -EINVAL },
	{ "a CPU too high", "65536", .ret = -EINVAL },
	{ "a range too high", "0-65536", .ret = -EINVAL },
	{ "another separator", "1;2", .ret = -EINVAL },
	{ "a negative CPU", "-1", .ret = -EINVAL },
	{ "text after the list", "0-1 x", .ret = -EINVAL },
};

static void parse_cpus(void **state)
{
	const struct cpus_row *row = *state;
	unsigned int *cpus = NULL;
	size_t n = 0, i;

	assert_int_equal(record_parse_cpus(row->text, &cpus, &n), row->ret);
	if (row->ret)
		return;
	assert_int_equal(n, row->n);
	for (i = 0; i < n && i < ARRAY_SIZE(row->cpus); i++)
		assert_int_equal(cpus[i], row->cpus[i]);
	assert_int_equal(cpus[n - 1], row->last);
	free(cpus);
}

/* The metadata's clock */

/* As module/core/metadata.c writes it. */
#define CLOCK_BLOCK(s, ns) \
	"clock {\n" \
	"\tname = \"monotonic\";\n" \
	"\tuuid = \"2f1e7b52-0c8d-4f44-9d1c-7d2a8f6f0a11\";\n" \
	"\tdescription = \"Monotonic Clock\";\n" \
	"\tfreq = 1000000000; /* Frequency, in Hz */\n" \
	"\tprecision = 1;\n" \
	"\t/* clock value offset from the epoch: offset_s + offset / freq */\n" \
	"\toffset_s = " s ";\n" \
	"\toffset = " ns ";\n" \
	"\tabsolute = TRUE;\n" \
	"};\n"

#define HEAD	"/* CTF 1.8 */\n\ntrace {\n\tmajor = 1;\n\tminor = 8;\n};\n\n"
#define TAIL	"\ntypealias integer {\n\tsize = 27; align = 1; signed = false;\n" \
		"\tmap = clock.monotonic.value;\n} := uint27_clock_monotonic_t;\n"

struct clock_row {
	const char *what;
	const char *text;
	int ret;
	int64_t s;
	int64_t ns;
};

static const struct clock_row clock_rows[] = {
	{ "the module's clock block", HEAD CLOCK_BLOCK("1795350281", "11098788") TAIL,
	  0, 1795350281, 11098788 },
	{ "a zero offset", HEAD CLOCK_BLOCK("0", "0") TAIL, 0, 0, 0 },
	{ "no clock block", HEAD TAIL, .ret = -ENOENT },
	{ "a clock block without offset_s", HEAD
	  "clock {\n\tname = \"monotonic\";\n\toffset = 5;\n};\n" TAIL, .ret = -ENOENT },
	{ "a clock block without offset", HEAD
	  "clock {\n\tname = \"monotonic\";\n\toffset_s = 5;\n};\n" TAIL, .ret = -ENOENT },
	{ "offsets after the clock block", HEAD
	  "clock {\n\tname = \"monotonic\";\n};\n\nenv {\n\toffset_s = 5;\n\toffset = 6;\n};\n",
	  .ret = -ENOENT },
	{ "an offset that is not a number", HEAD CLOCK_BLOCK("x", "1") TAIL,
	  .ret = -ENOENT },
};

static void parse_clock(void **state)
{
	const struct clock_row *row = *state;
	int64_t s = -1, ns = -1;

	assert_int_equal(record_parse_clock(row->text, &s, &ns), row->ret);
	if (row->ret) {
		/* Untouched on failure. */
		assert_int_equal(s, -1);
		assert_int_equal(ns, -1);
		return;
	}
	assert_int_equal(s, row->s);
	assert_int_equal(ns, row->ns);
}

/* Times */

static void format_utc(void **state)
{
	char buf[64];

	(void)state;
	record_format_utc(buf, sizeof(buf), 0, 0, 0);
	assert_string_equal(buf, "1970-01-01T00:00:00.000000000Z");
	record_format_utc(buf, sizeof(buf), 1795350281, 11098788, 722865516);
	assert_string_equal(buf, "2026-11-22T12:24:41.733964304Z");
	/* Nanoseconds carry into the seconds. */
	record_format_utc(buf, sizeof(buf), 1795350281, 999999999, 1);
	assert_string_equal(buf, "2026-11-22T12:24:42.000000000Z");
	record_format_utc(buf, sizeof(buf), 1795350281, 0, 3000000000ULL);
	assert_string_equal(buf, "2026-11-22T12:24:44.000000000Z");
	/* Too small a buffer for the date: "?", never a cut date. */
	record_format_utc(buf, 8, 0, 0, 0);
	assert_string_equal(buf, "?");
}

int main(void)
{
	struct CMUnitTest tests[ARRAY_SIZE(cpus_rows) + ARRAY_SIZE(clock_rows) + 1];
	size_t i, n = 0;

	for (i = 0; i < ARRAY_SIZE(cpus_rows); i++)
		tests[n++] = (struct CMUnitTest) {
			.name = cpus_rows[i].what,
			.test_func = parse_cpus,
			.initial_state = (void *)&cpus_rows[i],
		};
	for (i = 0; i < ARRAY_SIZE(clock_rows); i++)
		tests[n++] = (struct CMUnitTest) {
			.name = clock_rows[i].what,
			.test_func = parse_clock,
			.initial_state = (void *)&clock_rows[i],
		};
	tests[n++] = (struct CMUnitTest) { .name = "format_utc",
					   .test_func = format_utc };
	return _cmocka_run_group_tests("record", tests, n, NULL, NULL);
}
