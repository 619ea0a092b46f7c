// SPDX-License-Identifier: GPL-2.0
/*
 * The names a normal session's trace uses (tools/ktracectl/consumer_path.c):
 * auto session names, trace file names and their rotation, the default
 * trace output (snapshot_path_default_dest(), as create uses it), and the
 * packet walk that cuts a torn file back to whole packets.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "consumer_path.h"
#include "snapshot_path.h"

/* 2026-12-02 07:08:09 */
static const struct tm dec = {
	.tm_year = 126, .tm_mon = 11, .tm_mday = 2,
	.tm_hour = 7, .tm_min = 8, .tm_sec = 9,
};

static void test_auto_name(void **state)
{
	struct tm bad = dec;
	char buf[64];

	(void)state;
	assert_int_equal(consumer_auto_name(buf, sizeof(buf), &dec), 0);
	assert_string_equal(buf, "auto-20261202-070809");
	assert_int_equal(consumer_auto_name(buf, 20, &dec), -ENAMETOOLONG);
	assert_int_equal(consumer_auto_name(buf, 21, &dec), 0);
	bad.tm_mon = 12;
	assert_int_equal(consumer_auto_name(buf, sizeof(buf), &bad), -EINVAL);
	bad = dec;
	bad.tm_hour = 24;
	assert_int_equal(consumer_auto_name(buf, sizeof(buf), &bad), -EINVAL);
}

static void test_default_output(void **state)
{
	char buf[256];

	(void)state;
	assert_int_equal(snapshot_path_default_dest(buf, sizeof(buf), "/root",
						    "auto-20261202-070809",
						    &dec, NULL), 0);
	assert_string_equal(buf,
		"/root/ktrace-traces/auto-20261202-070809-20261202-070809");
	assert_int_equal(snapshot_path_default_dest(buf, sizeof(buf), "/home/u/",
						    "s", &dec, NULL), 0);
	assert_string_equal(buf, "/home/u/ktrace-traces/s-20261202-070809");
	assert_int_equal(snapshot_path_default_dest(buf, sizeof(buf), NULL, "s",
						    &dec, NULL), -EINVAL);
	assert_int_equal(snapshot_path_default_dest(buf, sizeof(buf), "rel",
						    "s", &dec, NULL), -EINVAL);
}

static void test_tracefile(void **state)
{
	char buf[96];

	(void)state;
	assert_int_equal(consumer_tracefile(buf, sizeof(buf), "channel0", 3,
					    false, 7), 0);
	assert_string_equal(buf, "channel0_3");
	assert_int_equal(consumer_tracefile(buf, sizeof(buf), "channel0", 3,
					    true, 0), 0);
	assert_string_equal(buf, "channel0_3_0");
	assert_int_equal(consumer_tracefile(buf, sizeof(buf), "k", 12, true,
					    123456789012ULL), 0);
	assert_string_equal(buf, "k_12_123456789012");
	assert_int_equal(consumer_tracefile(buf, sizeof(buf), "a/b", 0, false,
					    0), -EINVAL);
	assert_int_equal(consumer_tracefile(buf, 4, "channel0", 0, false, 0),
			 -ENAMETOOLONG);
}

static void test_tracefile_index(void **state)
{
	uint64_t k = 99;

	(void)state;
	assert_true(consumer_tracefile_index("channel0_1_0", "channel0", 1, &k));
	assert_int_equal(k, 0);
	assert_true(consumer_tracefile_index("channel0_1_42", "channel0", 1, &k));
	assert_int_equal(k, 42);
	/* Another CPU, another channel, no index, leading zero, junk. */
	assert_false(consumer_tracefile_index("channel0_11_4", "channel0", 1, &k));
	assert_false(consumer_tracefile_index("channel0_1_4", "channel", 1, &k));
	assert_false(consumer_tracefile_index("channel0_1", "channel0", 1, &k));
	assert_false(consumer_tracefile_index("channel0_1_", "channel0", 1, &k));
	assert_false(consumer_tracefile_index("channel0_1_04", "channel0", 1, &k));
	assert_false(consumer_tracefile_index("channel0_1_4x", "channel0", 1, &k));
	assert_false(consumer_tracefile_index("channel0_1_99999999999999999999",
					      "channel0", 1, &k));
}

static void test_rotation(void **state)
{
	uint64_t old = 0;

	(void)state;
	/* 64 KiB files of 16 KiB packets: 4 per file. */
	assert_false(consumer_rotate_needed(0, 16384, 65536));
	assert_false(consumer_rotate_needed(49152, 16384, 65536));
	assert_true(consumer_rotate_needed(65536, 16384, 65536));
	assert_true(consumer_rotate_needed(53248, 16384, 65536));
	/* An empty file takes any packet; no limit never rotates. */
	assert_false(consumer_rotate_needed(0, 131072, 65536));
	assert_false(consumer_rotate_needed(1 << 30, 16384, 0));
	/* Count 3: starting file 3 deletes file 0. */
	assert_false(consumer_file_to_delete(2, 3, &old));
	assert_true(consumer_file_to_delete(3, 3, &old));
	assert_int_equal(old, 0);
	assert_true(consumer_file_to_delete(10, 3, &old));
	assert_int_equal(old, 7);
	assert_false(consumer_file_to_delete(1000, 0, &old));
}

static void put_le(unsigned char *p, uint64_t v, int bytes)
{
	int i;

	for (i = 0; i < bytes; i++, v >>= 8)
		p[i] = v & 0xff;
}

static void test_packet_size(void **state)
{
	unsigned char hdr[CONSUMER_PACKET_HEADER] = { 0 };

	(void)state;
	put_le(hdr, 0xC1FC1FC1U, 4);
	put_le(hdr + 56, 4096 * 8, 8);
	assert_int_equal(consumer_packet_size(hdr, 4096), 4096);
	assert_int_equal(consumer_packet_size(hdr, 8192), 4096);
	/* Torn: the file ends inside the packet. */
	assert_int_equal(consumer_packet_size(hdr, 4095), 0);
	assert_int_equal(consumer_packet_size(hdr, 40), 0);
	/* Not a size in bytes, smaller than the header, bad magic. */
	put_le(hdr + 56, 4096 * 8 + 1, 8);
	assert_int_equal(consumer_packet_size(hdr, 8192), 0);
	put_le(hdr + 56, 80 * 8, 8);
	assert_int_equal(consumer_packet_size(hdr, 8192), 0);
	put_le(hdr + 56, 4096 * 8, 8);
	hdr[0] ^= 1;
	assert_int_equal(consumer_packet_size(hdr, 8192), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_auto_name),
		cmocka_unit_test(test_default_output),
		cmocka_unit_test(test_tracefile),
		cmocka_unit_test(test_tracefile_index),
		cmocka_unit_test(test_rotation),
		cmocka_unit_test(test_packet_size),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
