// SPDX-License-Identifier: GPL-2.0
/* Snapshot directory and file names (tools/ktracectl/snapshot_path.c). */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "snapshot_path.h"

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* 2024-03-05 07:08:09 */
static const struct tm march = {
	.tm_year = 124, .tm_mon = 2, .tm_mday = 5,
	.tm_hour = 7, .tm_min = 8, .tm_sec = 9,
};

/* 1999-12-31 23:59:60, a leap second */
static const struct tm leap = {
	.tm_year = 99, .tm_mon = 11, .tm_mday = 31,
	.tm_hour = 23, .tm_min = 59, .tm_sec = 60,
};

static const struct tm bad_month = { .tm_year = 124, .tm_mon = 12,
				      .tm_mday = 1 };
static const struct tm bad_day = { .tm_year = 124, .tm_mon = 0,
				   .tm_mday = 0 };
static const struct tm bad_hour = { .tm_year = 124, .tm_mon = 0,
				    .tm_mday = 1, .tm_hour = 24 };
static const struct tm bad_year = { .tm_year = 10000 - 1900, .tm_mon = 0,
				    .tm_mday = 1 };

struct dir_row {
	const char *what;
	const char *dest;
	const char *name;
	const struct tm *tm;
	uint64_t n;
	int ret;
	const char *path;	/* or the reason when ret != 0 */
};

static const struct dir_row dir_rows[] = {
	{ "absolute path", "/var/tmp/traces", "snapshot-1", &march, 0, 0,
	  "/var/tmp/traces/snapshot-1-20240305-070809-0/kernel" },
	{ "file:// URL", "file:///var/tmp/traces", "out", &march, 12, 0,
	  "/var/tmp/traces/out-20240305-070809-12/kernel" },
	{ "scheme is case-insensitive", "FILE:///x", "out", &march, 1, 0,
	  "/x/out-20240305-070809-1/kernel" },
	{ "trailing slashes dropped", "/var/tmp/traces//", "snapshot-2",
	  &march, 3, 0, "/var/tmp/traces/snapshot-2-20240305-070809-3/kernel" },
	{ "root", "/", "snapshot-1", &march, 0, 0,
	  "/snapshot-1-20240305-070809-0/kernel" },
	{ "file:// root", "file:///", "snapshot-1", &march, 0, 0,
	  "/snapshot-1-20240305-070809-0/kernel" },
	{ "relative path", "traces", "snapshot-1", &march, 0, 0,
	  "traces/snapshot-1-20240305-070809-0/kernel" },
	{ "\"://\" after a path character is a path", "./a://b", "s",
	  &march, 0, 0, "./a://b/s-20240305-070809-0/kernel" },
	{ "largest counter", "/t", "s", &march, UINT64_MAX, 0,
	  "/t/s-20240305-070809-18446744073709551615/kernel" },
	{ "leap second", "/t", "s", &leap, 7, 0,
	  "/t/s-19991231-235960-7/kernel" },
	{ "name with every allowed character", "/t", "Az09_.-", &march, 0, 0,
	  "/t/Az09_.--20240305-070809-0/kernel" },
	{ "empty destination", "", "s", &march, 0, -EINVAL,
	  "empty destination" },
	{ "NULL destination", NULL, "s", &march, 0, -EINVAL,
	  "empty destination" },
	{ "file:// without a path", "file://", "s", &march, 0, -EINVAL,
	  "empty destination" },
	{ "file:// with a relative path", "file://tmp/x", "s", &march, 0,
	  -EINVAL, "a file:// URL needs an absolute path (file:///dir)" },
	{ "net:// has no directory", "net://host", "s", &march, 0,
	  -EPROTONOSUPPORT,
	  "a net:// output is sent to a receiver, not written here" },
	{ "net6:// is not supported", "net6://[::1]", "s", &march, 0,
	  -EPROTONOSUPPORT,
	  "only local paths, file:// and net:// URLs are supported" },
	{ "tcp:// has no directory", "tcp://host:5342", "s", &march, 0,
	  -EPROTONOSUPPORT,
	  "a net:// output is sent to a receiver, not written here" },
	{ "a malformed net://", "net://host/x", "s", &march, 0, -EINVAL,
	  "a network output is net://HOST[:PORT] or net://[IPv6]:PORT" },
	{ "files:// is not file://", "files:///x", "s", &march, 0,
	  -EPROTONOSUPPORT,
	  "only local paths, file:// and net:// URLs are supported" },
	{ "empty name", "/t", "", &march, 0, -EINVAL, "invalid output name" },
	{ "NULL name", "/t", NULL, &march, 0, -EINVAL, "invalid output name" },
	{ "slash in name", "/t", "a/b", &march, 0, -EINVAL,
	  "invalid output name" },
	{ "space in name", "/t", "a b", &march, 0, -EINVAL,
	  "invalid output name" },
	{ "name of 65 characters", "/t",
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	  &march, 0, -EINVAL, "invalid output name" },
	{ "month 12", "/t", "s", &bad_month, 0, -EINVAL, "invalid time" },
	{ "day 0", "/t", "s", &bad_day, 0, -EINVAL, "invalid time" },
	{ "hour 24", "/t", "s", &bad_hour, 0, -EINVAL, "invalid time" },
	{ "year 10000", "/t", "s", &bad_year, 0, -EINVAL, "invalid time" },
	{ "NULL time", "/t", "s", NULL, 0, -EINVAL, "invalid time" },
};

static void dir_table(void **state)
{
	char buf[PATH_MAX];
	size_t r;

	(void)state;
	for (r = 0; r < ARRAY_SIZE(dir_rows); r++) {
		const struct dir_row *row = &dir_rows[r];
		const char *why = NULL;
		int ret;

		print_message("dir: %s\n", row->what);
		strcpy(buf, "untouched");
		ret = snapshot_path_dir(buf, sizeof(buf), row->dest, row->name,
					row->tm, row->n, &why);
		assert_int_equal(ret, row->ret);
		if (ret) {
			assert_non_null(why);
			assert_string_equal(why, row->path);
		} else {
			assert_string_equal(buf, row->path);
		}
	}
}

static void dir_name_of_64_characters_is_accepted(void **state)
{
	const char *name =
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
	char buf[PATH_MAX], want[PATH_MAX];

	(void)state;
	assert_int_equal(strlen(name), 64);
	assert_int_equal(snapshot_path_dir(buf, sizeof(buf), "/t", name,
					   &march, 0, NULL), 0);
	snprintf(want, sizeof(want), "/t/%s-20240305-070809-0/kernel", name);
	assert_string_equal(buf, want);
}

/*
 * "<dest>/s-20240305-070809-0/kernel" is strlen(dest) + 27 characters:
 * PATH_MAX - 1 of them fit with the NUL, PATH_MAX do not.
 */
static void dir_longer_than_path_max_is_rejected(void **state)
{
	static const char tail[] = "/s-20240305-070809-0/kernel";
	static char dest[PATH_MAX + 16], buf[PATH_MAX + 64];
	size_t fit = PATH_MAX - 1 - (sizeof(tail) - 1);
	const char *why = NULL;

	(void)state;
	memset(dest, 'd', sizeof(dest) - 1);
	dest[0] = '/';
	dest[fit] = '\0';
	assert_int_equal(snapshot_path_dir(buf, sizeof(buf), dest, "s",
					   &march, 0, &why), 0);
	assert_int_equal(strlen(buf), PATH_MAX - 1);

	dest[fit] = 'd';
	dest[fit + 1] = '\0';
	assert_int_equal(snapshot_path_dir(buf, sizeof(buf), dest, "s",
					   &march, 0, &why), -ENAMETOOLONG);
	assert_string_equal(why, "path too long");

	/* A 4095-byte destination, as the kernel allows. */
	memset(dest, 'd', 4095);
	dest[0] = '/';
	dest[4095] = '\0';
	assert_int_equal(snapshot_path_dir(buf, sizeof(buf), dest, "s",
					   &march, 0, NULL), -ENAMETOOLONG);
}

static void dir_longer_than_buffer_is_rejected(void **state)
{
	/* "/t/s-20240305-070809-0/kernel" is 29 characters. */
	char buf[30];

	(void)state;
	assert_int_equal(snapshot_path_dir(buf, 30, "/t", "s", &march, 0,
					   NULL), 0);
	assert_int_equal(snapshot_path_dir(buf, 29, "/t", "s", &march, 0,
					   NULL), -ENAMETOOLONG);
}

static void dest_strips_file_scheme_only(void **state)
{
	const char *path = NULL, *why = NULL;

	(void)state;
	assert_int_equal(snapshot_path_dest("file:///a/b", &path, &why), 0);
	assert_string_equal(path, "/a/b");
	assert_int_equal(snapshot_path_dest("/a/b", &path, &why), 0);
	assert_string_equal(path, "/a/b");
	assert_int_equal(snapshot_path_dest("a:b", &path, &why), 0);
	assert_string_equal(path, "a:b");
	/* A network output: accepted, and no path of this machine. */
	assert_int_equal(snapshot_path_dest("net://h", &path, NULL), 0);
	assert_string_equal(path, "h");
	assert_int_equal(snapshot_path_dest("ftp://h", &path, NULL),
			 -EPROTONOSUPPORT);
}

struct net_row {
	const char *dest;
	int ret;
	const char *host;
	unsigned int port;
	const char *why;
};

static const struct net_row net_rows[] = {
	{ "net://127.0.0.1", 1, "127.0.0.1", SNAPSHOT_PATH_NET_PORT, NULL },
	{ "net://relay.example.org:6000", 1, "relay.example.org", 6000, NULL },
	{ "tcp://h:1/", 1, "h", 1, NULL },
	{ "NET://h:65535", 1, "h", 65535, NULL },
	{ "net://[::1]:5391", 1, "::1", 5391, NULL },
	{ "net://[fe80::1]", 1, "fe80::1", SNAPSHOT_PATH_NET_PORT, NULL },
	{ "/tmp/x", 0, NULL, 0, NULL },
	{ "file:///tmp/x", 0, NULL, 0, NULL },
	{ "net://", -EINVAL, NULL, 0,
	  "a network output is net://HOST[:PORT] or net://[IPv6]:PORT" },
	{ "net://h/path", -EINVAL, NULL, 0,
	  "a network output is net://HOST[:PORT] or net://[IPv6]:PORT" },
	{ "net://::1:80", -EINVAL, NULL, 0,
	  "a network output is net://HOST[:PORT] or net://[IPv6]:PORT" },
	{ "net://[::1", -EINVAL, NULL, 0,
	  "a network output is net://HOST[:PORT] or net://[IPv6]:PORT" },
	{ "net://[host]:1", -EINVAL, NULL, 0,
	  "a network output is net://HOST[:PORT] or net://[IPv6]:PORT" },
	{ "net://h:0", -EINVAL, NULL, 0, "a network output's port is 1 to 65535" },
	{ "net://h:65536", -EINVAL, NULL, 0,
	  "a network output's port is 1 to 65535" },
	{ "net://h:", -EINVAL, NULL, 0, "a network output's port is 1 to 65535" },
	{ "net://h:80x", -EINVAL, NULL, 0,
	  "a network output is net://HOST[:PORT] or net://[IPv6]:PORT" },
	{ "net://h h", -EINVAL, NULL, 0,
	  "a network output is net://HOST[:PORT] or net://[IPv6]:PORT" },
};

static void net_table(void **state)
{
	char host[64], name[64];
	const char *why;
	uint16_t port;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(net_rows); i++) {
		const struct net_row *r = &net_rows[i];

		why = NULL;
		port = 0;
		print_message("%s\n", r->dest);
		assert_int_equal(snapshot_path_net(r->dest, host, sizeof(host),
						   &port, &why), r->ret);
		if (r->ret > 0) {
			assert_string_equal(host, r->host);
			assert_int_equal(port, r->port);
		}
		if (r->why)
			assert_string_equal(why, r->why);
	}
	/* The host must fit. */
	assert_int_equal(snapshot_path_net("net://abcdef", host, 6, &port, &why),
			 -ENAMETOOLONG);
	/* The snapshot's name on the receiver. */
	assert_int_equal(snapshot_path_name(name, sizeof(name), "out", &march, 7,
					    &why), 0);
	assert_string_equal(name, "out-20240305-070809-7");
	assert_int_equal(snapshot_path_name(name, sizeof(name), "a/b", &march, 7,
					    &why), -EINVAL);
}

struct default_row {
	const char *what;
	const char *home;
	const char *session;
	const struct tm *tm;
	int ret;
	const char *path;	/* or the reason */
};

static const struct default_row default_rows[] = {
	{ "home", "/home/alice", "s1", &march, 0,
	  "/home/alice/ktrace-traces/s1-20240305-070809" },
	{ "trailing slash", "/root/", "auto-1", &march, 0,
	  "/root/ktrace-traces/auto-1-20240305-070809" },
	{ "home is /", "/", "s", &leap, 0,
	  "/ktrace-traces/s-19991231-235960" },
	{ "HOME unset", NULL, "s", &march, -EINVAL,
	  "HOME is not set to an absolute path" },
	{ "HOME empty", "", "s", &march, -EINVAL,
	  "HOME is not set to an absolute path" },
	{ "HOME relative", "home/alice", "s", &march, -EINVAL,
	  "HOME is not set to an absolute path" },
	{ "bad session name", "/root", "a/b", &march, -EINVAL,
	  "invalid session name" },
	{ "bad time", "/root", "s", &bad_month, -EINVAL, "invalid time" },
};

static void default_dest_table(void **state)
{
	char buf[PATH_MAX];
	size_t r;

	(void)state;
	for (r = 0; r < ARRAY_SIZE(default_rows); r++) {
		const struct default_row *row = &default_rows[r];
		const char *why = NULL;
		int ret;

		print_message("default: %s\n", row->what);
		ret = snapshot_path_default_dest(buf, sizeof(buf), row->home,
						 row->session, row->tm, &why);
		assert_int_equal(ret, row->ret);
		if (ret)
			assert_string_equal(why, row->path);
		else
			assert_string_equal(buf, row->path);
	}
}

static void default_dest_longer_than_path_max_is_rejected(void **state)
{
	static char home[PATH_MAX], buf[PATH_MAX];

	(void)state;
	memset(home, 'h', sizeof(home) - 1);
	home[0] = '/';
	home[PATH_MAX - 20] = '\0';
	assert_int_equal(snapshot_path_default_dest(buf, sizeof(buf), home,
						    "s", &march, NULL),
			 -ENAMETOOLONG);
}

static void stream_file_is_channel_underscore_cpu(void **state)
{
	const char *why = NULL;
	char buf[80];

	(void)state;
	assert_int_equal(snapshot_path_stream_file(buf, sizeof(buf),
						   "channel0", 0, &why), 0);
	assert_string_equal(buf, "channel0_0");
	assert_int_equal(snapshot_path_stream_file(buf, sizeof(buf), "ch.x-1",
						   4294967295u, &why), 0);
	assert_string_equal(buf, "ch.x-1_4294967295");
	assert_int_equal(snapshot_path_stream_file(buf, sizeof(buf), "", 0,
						   &why), -EINVAL);
	assert_string_equal(why, "invalid channel name");
	assert_int_equal(snapshot_path_stream_file(buf, sizeof(buf), "../x",
						   0, &why), -EINVAL);
	assert_int_equal(snapshot_path_stream_file(buf, sizeof(buf), NULL, 0,
						   &why), -EINVAL);
	/* "channel0_12" needs 12 bytes. */
	assert_int_equal(snapshot_path_stream_file(buf, 12, "channel0", 12,
						   &why), 0);
	assert_int_equal(snapshot_path_stream_file(buf, 11, "channel0", 12,
						   &why), -ENAMETOOLONG);
}

static void time_is_fixed_width(void **state)
{
	static const struct tm year0 = { .tm_year = -1900, .tm_mon = 0,
					 .tm_mday = 1 };
	char buf[SNAPSHOT_PATH_TIME_SIZE];

	(void)state;
	assert_int_equal(snapshot_path_time(buf, &march), 0);
	assert_string_equal(buf, "20240305-070809");
	assert_int_equal(snapshot_path_time(buf, &year0), 0);
	assert_string_equal(buf, "00000101-000000");
	assert_int_equal(snapshot_path_time(buf, &bad_year), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dir_table),
		cmocka_unit_test(dir_name_of_64_characters_is_accepted),
		cmocka_unit_test(dir_longer_than_path_max_is_rejected),
		cmocka_unit_test(dir_longer_than_buffer_is_rejected),
		cmocka_unit_test(dest_strips_file_scheme_only),
		cmocka_unit_test(net_table),
		cmocka_unit_test(default_dest_table),
		cmocka_unit_test(default_dest_longer_than_path_max_is_rejected),
		cmocka_unit_test(stream_file_is_channel_underscore_cpu),
		cmocka_unit_test(time_is_fixed_width),
	};

	return cmocka_run_group_tests_name("snapshot_path", tests, NULL, NULL);
}
