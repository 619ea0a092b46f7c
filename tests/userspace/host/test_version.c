// SPDX-License-Identifier: GPL-2.0
/* ktracectl version's output and its warnings (version_fmt.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "version.h"

/* Runs ktracectl_version_print() on @v; its two outputs and result. */
struct printed {
	char out[512], err[512];
	int warnings;
};

static void print_versions(const struct ktracectl_versions *v,
			   struct printed *p)
{
	FILE *out = fmemopen(p->out, sizeof(p->out), "w");
	FILE *err = fmemopen(p->err, sizeof(p->err), "w");

	assert_non_null(out);
	assert_non_null(err);
	memset(p->out, 0, sizeof(p->out));
	memset(p->err, 0, sizeof(p->err));
	p->warnings = ktracectl_version_print(out, err, v);
	fclose(out);
	fclose(err);
}

static void test_same(void **state)
{
	struct ktracectl_versions v = { "0.1", 2, "0.1", 2, 0x3 };
	struct printed p;

	(void)state;
	print_versions(&v, &p);
	assert_string_equal(p.out, "ktracectl 0.1, ABI 2\n"
			    "module 0.1, ABI 2, features 0x3\n");
	assert_string_equal(p.err, "");
	assert_int_equal(p.warnings, 0);
}

static void test_no_module(void **state)
{
	struct ktracectl_versions v = { "0.1", 2, NULL, -1, 0 };
	struct printed p;

	(void)state;
	print_versions(&v, &p);
	assert_string_equal(p.out, "ktracectl 0.1, ABI 2\n");
	assert_string_equal(p.err, "");
	assert_int_equal(p.warnings, 0);
}

static void test_abi_differs(void **state)
{
	struct ktracectl_versions v = { "0.1", 2, "0.1", 3, 0x1 };
	struct printed p;

	(void)state;
	print_versions(&v, &p);
	assert_string_equal(p.out, "ktracectl 0.1, ABI 2\n"
			    "module 0.1, ABI 3, features 0x1\n");
	assert_string_equal(p.err,
			    "ktracectl: warning: the module's ABI 3 is not ktracectl's ABI 2: commands may be refused or misread; install ktracectl and the module from the same release\n");
	assert_int_equal(p.warnings, 1);
}

static void test_version_differs(void **state)
{
	struct ktracectl_versions v = { "0.1", 2, "0.2", 2, 0x3 };
	struct printed p;

	(void)state;
	print_versions(&v, &p);
	assert_string_equal(p.err,
			    "ktracectl: warning: the module's version 0.2 is not ktracectl's version 0.1\n");
	assert_int_equal(p.warnings, 1);
}

static void test_both_differ(void **state)
{
	struct ktracectl_versions v = { "0.1", 2, "0.3", 3, 0x3 };
	struct printed p;

	(void)state;
	print_versions(&v, &p);
	assert_int_equal(p.warnings, 2);
	assert_non_null(strstr(p.err, "ABI 3 is not ktracectl's ABI 2"));
	assert_non_null(strstr(p.err, "version 0.3 is not ktracectl's version 0.1\n"));
}

/* The module's ABI unknown (/dev/ktrace refused): its version alone. */
static void test_abi_unknown(void **state)
{
	struct ktracectl_versions v = { "0.1", 2, "0.1", -1, 0 };
	struct printed p;

	(void)state;
	print_versions(&v, &p);
	assert_string_equal(p.out, "ktracectl 0.1, ABI 2\nmodule 0.1\n");
	assert_string_equal(p.err, "");
	assert_int_equal(p.warnings, 0);
}

/* read_version: write @text to a file and read it back. */
static int read_text(const char *text, char *buf, size_t len)
{
	char path[] = "/tmp/ktracectl-version.XXXXXX";
	int fd = mkstemp(path), ret;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	ret = ktracectl_read_version(path, buf, len);
	unlink(path);
	return ret;
}

static void test_read_version(void **state)
{
	char buf[8];

	(void)state;
	assert_int_equal(read_text("0.1\n", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "0.1");
	assert_int_equal(read_text("1.2.3", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "1.2.3");
	assert_int_equal(read_text("\n", buf, sizeof(buf)), -EINVAL);
	assert_int_equal(read_text("", buf, sizeof(buf)), -EINVAL);
	assert_int_equal(read_text("12345678901\n", buf, sizeof(buf)), -EINVAL);
	assert_int_equal(ktracectl_read_version("/nonexistent/version", buf,
						sizeof(buf)), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same),
		cmocka_unit_test(test_no_module),
		cmocka_unit_test(test_abi_differs),
		cmocka_unit_test(test_version_differs),
		cmocka_unit_test(test_both_differ),
		cmocka_unit_test(test_abi_unknown),
		cmocka_unit_test(test_read_version),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
