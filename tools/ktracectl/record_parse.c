// SPDX-License-Identifier: GPL-2.0
/*
 * The pure helpers of snapshot record (record.h): what it parses (the
 * possible CPUs, the metadata's clock) and how it writes times. No I/O,
 * unit-tested on the host (tests/userspace/host/test_record.c).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "record.h"

int record_parse_cpus(const char *s, unsigned int **cpus, size_t *n)
{
	unsigned int *list = NULL, *grown;
	size_t count = 0;
	unsigned long a, b, c;
	char *end;

	while (*s && *s != '\n') {
		a = strtoul(s, &end, 10);
		if (end == s)
			goto bad;
		b = a;
		s = end;
		if (*s == '-') {
			b = strtoul(s + 1, &end, 10);
			if (end == s + 1)
				goto bad;
			s = end;
		}
		if (b < a || b >= RECORD_CPU_LIMIT)
			goto bad;
		grown = realloc(list, (count + b - a + 1) * sizeof(*list));
		if (!grown)
			goto bad;
		list = grown;
		for (c = a; c <= b; c++)
			list[count++] = c;
		if (*s == ',')
			s++;
		else if (*s && *s != '\n')
			goto bad;
	}
	if (!count)
		goto bad;
	*cpus = list;
	*n = count;
	return 0;
bad:
	free(list);
	return -EINVAL;
}

int record_parse_clock(const char *metadata, int64_t *offset_s,
		       int64_t *offset_ns)
{
	const char *clock = strstr(metadata, "\nclock {");
	const char *end, *p;
	long long s, ns;

	if (!clock)
		return -ENOENT;
	end = strstr(clock, "\n};");
	p = strstr(clock, "offset_s = ");
	if (!end || !p || p > end || sscanf(p, "offset_s = %lld;", &s) != 1)
		return -ENOENT;
	p = strstr(clock, "\toffset = ");
	if (!p || p > end || sscanf(p, "\toffset = %lld;", &ns) != 1)
		return -ENOENT;
	*offset_s = s;
	*offset_ns = ns;
	return 0;
}

void record_format_utc(char *buf, size_t len, int64_t offset_s,
		       int64_t offset_ns, uint64_t ts)
{
	int64_t ns = offset_ns + (int64_t)(ts % 1000000000);
	time_t secs = offset_s + (time_t)(ts / 1000000000);
	struct tm tm;

	secs += ns / 1000000000;
	ns %= 1000000000;
	if (ns < 0) {
		ns += 1000000000;
		secs--;
	}
	if (!gmtime_r(&secs, &tm) ||
	    !strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm)) {
		snprintf(buf, len, "?");
		return;
	}
	snprintf(buf + strlen(buf), len - strlen(buf), ".%09lldZ",
		 (long long)ns);
}
