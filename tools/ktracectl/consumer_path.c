// SPDX-License-Identifier: GPL-2.0
/*
 * The names a normal session's trace uses (consumer_path.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "consumer_path.h"
#include "snapshot_path.h"

/* The packet header and context (docs/TRACE-FORMAT.md). */
#define CTF_MAGIC		0xC1FC1FC1U
#define CTF_PACKET_SIZE_OFF	56

int consumer_auto_name(char *buf, size_t len, const struct tm *tm)
{
	int n;

	if (tm->tm_year < -1900 || tm->tm_year > 9999 - 1900 ||
	    tm->tm_mon < 0 || tm->tm_mon > 11 || tm->tm_mday < 1 ||
	    tm->tm_mday > 31 || tm->tm_hour < 0 || tm->tm_hour > 23 ||
	    tm->tm_min < 0 || tm->tm_min > 59 || tm->tm_sec < 0 ||
	    tm->tm_sec > 60)
		return -EINVAL;
	n = snprintf(buf, len, "auto-%04d%02d%02d-%02d%02d%02d",
		     tm->tm_year + 1900, tm->tm_mon + 1, tm->tm_mday,
		     tm->tm_hour, tm->tm_min, tm->tm_sec);
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	return 0;
}

int consumer_tracefile(char *buf, size_t len, const char *channel,
		       unsigned int cpu, bool rotating, uint64_t k)
{
	size_t used;
	int ret, n;

	ret = snapshot_path_stream_file(buf, len, channel, cpu, NULL);
	if (ret || !rotating)
		return ret;
	used = strlen(buf);
	n = snprintf(buf + used, len - used, "_%" PRIu64, k);
	if (n < 0 || (size_t)n >= len - used)
		return -ENAMETOOLONG;
	return 0;
}

bool consumer_tracefile_index(const char *name, const char *channel,
			      unsigned int cpu, uint64_t *k)
{
	char prefix[96];
	const char *p;
	uint64_t v = 0;
	int n;

	n = snprintf(prefix, sizeof(prefix), "%s_%u_", channel, cpu);
	if (n < 0 || (size_t)n >= sizeof(prefix) || strncmp(name, prefix, n))
		return false;
	p = name + n;
	if (!*p || (p[0] == '0' && p[1]))
		return false;
	for (; *p; p++) {
		if (*p < '0' || *p > '9' || v > (UINT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	*k = v;
	return true;
}

bool consumer_rotate_needed(uint64_t file_bytes, uint64_t len,
			    uint64_t limit)
{
	return limit && file_bytes && len > limit - (file_bytes < limit ?
						     file_bytes : limit);
}

bool consumer_file_to_delete(uint64_t k, uint32_t count, uint64_t *old)
{
	if (!count || k < count)
		return false;
	*old = k - count;
	return true;
}

static uint64_t get_le(const unsigned char *p, int bytes)
{
	uint64_t v = 0;
	int i;

	for (i = bytes - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

uint64_t consumer_packet_size(const unsigned char *hdr, uint64_t room)
{
	uint64_t size;

	if (room < CONSUMER_PACKET_HEADER || get_le(hdr, 4) != CTF_MAGIC)
		return 0;
	size = get_le(hdr + CTF_PACKET_SIZE_OFF, 8);
	if (size % 8 || size / 8 < CONSUMER_PACKET_HEADER || size / 8 > room)
		return 0;
	return size / 8;
}
