// SPDX-License-Identifier: GPL-2.0
/*
 * Snapshot directory and file names (layout and choices: snapshot_path.h).
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <ktrace.h>

#include "snapshot_path.h"

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

static int fail(const char **why, const char *reason, int err)
{
	if (why)
		*why = reason;
	return err;
}

/* The kernel's rule for session, channel and output names. */
static bool name_valid(const char *name)
{
	size_t i;

	if (!name)
		return false;
	for (i = 0; name[i]; i++) {
		unsigned char c = name[i];

		if (i == KTRACE_NAME_LEN)
			return false;
		if (!isalnum(c) && c != '_' && c != '.' && c != '-')
			return false;
	}
	return i > 0;
}

/* Length of the URL scheme before "://" at the start of @s, or 0. */
static size_t url_scheme_len(const char *s)
{
	size_t i;

	if (!isalpha((unsigned char)s[0]))
		return 0;
	for (i = 1; isalnum((unsigned char)s[i]) || s[i] == '+' ||
		    s[i] == '-' || s[i] == '.'; i++)
		;
	return strncmp(s + i, "://", 3) ? 0 : i;
}

/* The @len-character scheme at @s is @scheme, ignoring case (RFC 3986). */
static bool scheme_is(const char *s, size_t len, const char *scheme)
{
	size_t i;

	if (len != strlen(scheme))
		return false;
	for (i = 0; i < len; i++)
		if (tolower((unsigned char)s[i]) != scheme[i])
			return false;
	return true;
}

#define NET_URL_FORM "a network output is net://HOST[:PORT] or net://[IPv6]:PORT"

int snapshot_path_net(const char *dest, char *host, size_t hostlen,
		      uint16_t *port, const char **why)
{
	size_t scheme = dest ? url_scheme_len(dest) : 0, len = 0, i;
	const char *p, *h;
	unsigned long v = 0;

	if (!scheme || (!scheme_is(dest, scheme, "net") &&
			!scheme_is(dest, scheme, "tcp")))
		return 0;
	p = dest + scheme + 3;
	if (*p == '[') {
		h = ++p;
		while (isxdigit((unsigned char)*p) || *p == ':' || *p == '.')
			p++;
		len = p - h;
		if (*p++ != ']' || !len || !memchr(h, ':', len))
			return fail(why, NET_URL_FORM, -EINVAL);
	} else {
		h = p;
		while (isalnum((unsigned char)*p) || *p == '.' || *p == '-')
			p++;
		len = p - h;
		if (!len || len > 253)
			return fail(why, NET_URL_FORM, -EINVAL);
	}
	*port = SNAPSHOT_PATH_NET_PORT;
	if (*p == ':') {
		for (i = 1; isdigit((unsigned char)p[i]) && v <= 65535; i++)
			v = v * 10 + (p[i] - '0');
		if (i == 1 || !v || v > 65535)
			return fail(why, "a network output's port is 1 to 65535",
				    -EINVAL);
		*port = v;
		p += i;
	}
	if (*p == '/')
		p++;
	if (*p)
		return fail(why, NET_URL_FORM, -EINVAL);
	if (len >= hostlen)
		return fail(why, "host name too long", -ENAMETOOLONG);
	memcpy(host, h, len);
	host[len] = '\0';
	return 1;
}

int snapshot_path_dest(const char *dest, const char **path, const char **why)
{
	char host[256];
	uint16_t port;
	size_t scheme;
	int ret;

	if (!dest || !dest[0])
		return fail(why, "empty destination", -EINVAL);
	scheme = url_scheme_len(dest);
	if (!scheme) {
		*path = dest;
		return 0;
	}
	ret = snapshot_path_net(dest, host, sizeof(host), &port, why);
	if (ret < 0)
		return ret;
	if (ret) {
		*path = dest + scheme + 3;
		return 0;
	}
	if (!scheme_is(dest, scheme, "file"))
		return fail(why,
			    "only local paths, file:// and net:// URLs are supported",
			    -EPROTONOSUPPORT);
	dest += strlen("file://");
	if (!dest[0])
		return fail(why, "empty destination", -EINVAL);
	if (dest[0] != '/')
		return fail(why,
			    "a file:// URL needs an absolute path (file:///dir)",
			    -EINVAL);
	*path = dest;
	return 0;
}

int snapshot_path_time(char buf[SNAPSHOT_PATH_TIME_SIZE], const struct tm *tm)
{
	long year;

	if (!tm)
		return -EINVAL;
	year = 1900L + tm->tm_year;
	if (year < 0 || year > 9999 || tm->tm_mon < 0 || tm->tm_mon > 11 ||
	    tm->tm_mday < 1 || tm->tm_mday > 31 || tm->tm_hour < 0 ||
	    tm->tm_hour > 23 || tm->tm_min < 0 || tm->tm_min > 59 ||
	    tm->tm_sec < 0 || tm->tm_sec > 60)
		return -EINVAL;
	snprintf(buf, SNAPSHOT_PATH_TIME_SIZE, "%04ld%02d%02d-%02d%02d%02d",
		 year, tm->tm_mon + 1, tm->tm_mday, tm->tm_hour, tm->tm_min,
		 tm->tm_sec);
	return 0;
}

/* Length of @path without its trailing slashes ("/" gives 0). */
static int trimmed_len(const char *path)
{
	size_t len = strlen(path);

	while (len && path[len - 1] == '/')
		len--;
	return len > PATH_MAX ? PATH_MAX : (int)len;
}

/* snprintf()'s result @ret fits in @len and in PATH_MAX. */
static int check_len(int ret, size_t len, const char **why)
{
	if (ret < 0 || (size_t)ret >= len || ret >= PATH_MAX)
		return fail(why, "path too long", -ENAMETOOLONG);
	return 0;
}

int snapshot_path_dir(char *buf, size_t len, const char *dest,
		      const char *name, const struct tm *tm, uint64_t n,
		      const char **why)
{
	char when[SNAPSHOT_PATH_TIME_SIZE], host[256];
	const char *path;
	uint16_t port;
	int ret;

	ret = snapshot_path_dest(dest, &path, why);
	if (ret)
		return ret;
	if (snapshot_path_net(dest, host, sizeof(host), &port, NULL) > 0)
		return fail(why, "a net:// output is sent to a receiver, not written here",
			    -EPROTONOSUPPORT);
	if (!name_valid(name))
		return fail(why, "invalid output name", -EINVAL);
	if (snapshot_path_time(when, tm))
		return fail(why, "invalid time", -EINVAL);
	ret = snprintf(buf, len, "%.*s/%s-%s-%llu/kernel", trimmed_len(path),
		       path, name, when, (unsigned long long)n);
	return check_len(ret, len, why);
}

int snapshot_path_name(char *buf, size_t len, const char *name,
		       const struct tm *tm, uint64_t n, const char **why)
{
	char when[SNAPSHOT_PATH_TIME_SIZE];
	int ret;

	if (!name_valid(name))
		return fail(why, "invalid output name", -EINVAL);
	if (snapshot_path_time(when, tm))
		return fail(why, "invalid time", -EINVAL);
	ret = snprintf(buf, len, "%s-%s-%llu", name, when,
		       (unsigned long long)n);
	return check_len(ret, len, why);
}

int snapshot_path_default_dest(char *buf, size_t len, const char *home,
			       const char *session, const struct tm *tm,
			       const char **why)
{
	char when[SNAPSHOT_PATH_TIME_SIZE];
	int ret;

	if (!home || home[0] != '/')
		return fail(why, "HOME is not set to an absolute path",
			    -EINVAL);
	if (!name_valid(session))
		return fail(why, "invalid session name", -EINVAL);
	if (snapshot_path_time(when, tm))
		return fail(why, "invalid time", -EINVAL);
	ret = snprintf(buf, len, "%.*s/ktrace-traces/%s-%s", trimmed_len(home),
		       home, session, when);
	return check_len(ret, len, why);
}

int snapshot_path_stream_file(char *buf, size_t len, const char *channel,
			      unsigned int cpu, const char **why)
{
	int ret;

	if (!name_valid(channel))
		return fail(why, "invalid channel name", -EINVAL);
	ret = snprintf(buf, len, "%s_%u", channel, cpu);
	return check_len(ret, len, why);
}
