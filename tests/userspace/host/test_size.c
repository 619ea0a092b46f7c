// SPDX-License-Identifier: GPL-2.0
/* Size parsing and printing for --max-size, --subbuf-size, -m. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ktracectl.h"

struct size_case {
	const char *text;
	int ret;
	uint64_t bytes;
};

static const struct size_case size_cases[] = {
	{ "4096", 0, 4096 },
	{ "0", 0, 0 },
	{ "4k", 0, 4096 },
	{ "4K", 0, 4096 },
	{ "4KiB", 0, 4096 },
	{ "1M", 0, 1 << 20 },
	{ "8MiB", 0, 8 << 20 },
	{ "1m", 0, 1 << 20 },
	{ "2G", 0, 2ULL << 30 },
	{ "3GiB", 0, 3ULL << 30 },
	{ "18446744073709551615", 0, UINT64_MAX },
	{ "18446744073709551616", -ERANGE, 0 },
	{ "17179869184G", -ERANGE, 0 },
	{ "16777215T", -EINVAL, 0 },
	{ "", -EINVAL, 0 },
	{ "M", -EINVAL, 0 },
	{ "-1", -EINVAL, 0 },
	{ "+1", -EINVAL, 0 },
	{ " 1", -EINVAL, 0 },
	{ "1 ", -EINVAL, 0 },
	{ "1.5M", -EINVAL, 0 },
	{ "1Mb", -EINVAL, 0 },
	{ "1kib", -EINVAL, 0 },
	{ "0x10", -EINVAL, 0 },
};

static void parse_size_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(size_cases) / sizeof(size_cases[0]); i++) {
		const struct size_case *c = &size_cases[i];
		uint64_t out = 12345;
		int ret = ktracectl_parse_size(c->text, &out);

		print_message("parse_size(\"%s\")\n", c->text);
		assert_int_equal(ret, c->ret);
		assert_int_equal(out, c->ret ? 12345 : c->bytes);
	}
}

static void format_size_units(void **state)
{
	char buf[32];

	(void)state;
	ktracectl_format_size(8 << 20, buf, sizeof(buf));
	assert_string_equal(buf, "8 MiB");
	ktracectl_format_size(4097, buf, sizeof(buf));
	assert_string_equal(buf, "4097 B");
	ktracectl_format_size(0, buf, sizeof(buf));
	assert_string_equal(buf, "0 B");
	ktracectl_format_size(3ULL << 40, buf, sizeof(buf));
	assert_string_equal(buf, "3 TiB");
	ktracectl_format_size(1536, buf, sizeof(buf));
	assert_string_equal(buf, "1536 B");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_size_table),
		cmocka_unit_test(format_size_units),
	};

	return cmocka_run_group_tests_name("size", tests, NULL, NULL);
}
