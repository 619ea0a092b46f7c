// SPDX-License-Identifier: GPL-2.0
/*
 * ktracectl's HMAC shim (tools/relay-proto/relay_crypto_dl.c) when its
 * libcrypto is not installed: built with RELAY_LIBCRYPTO naming a library
 * that does not exist, the HMAC fails with a one-line error that names
 * the library and the package to install, every time it is asked.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "relay_crypto.h"

static void test_missing_libcrypto(void **state)
{
	uint8_t out[RELAY_HMAC_LEN];
	const char *err;
	int i;

	(void)state;
	for (i = 0; i < 2; i++) {
		assert_int_equal(relay_hmac_sha256((const uint8_t *)"key", 3,
						   (const uint8_t *)"msg", 3,
						   out), -ENOENT);
		err = relay_crypto_error();
		assert_non_null(strstr(err, "libktrace-no-such-crypto.so.3 is needed"));
		assert_non_null(strstr(err, "install libssl3"));
		assert_null(strchr(err, '\n'));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_missing_libcrypto),
	};

	return cmocka_run_group_tests_name("relay crypto without libcrypto",
					   tests, NULL, NULL);
}
