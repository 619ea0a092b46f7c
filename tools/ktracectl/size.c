// SPDX-License-Identifier: GPL-2.0
/*
 * Sizes on the command line: a decimal byte count with an optional binary
 * suffix (k, K, KiB, M, MiB, G, GiB; also m, g). Everything else is junk.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ktracectl.h"

static const struct {
	const char *suffix;
	unsigned int shift;
} size_suffixes[] = {
	{ "", 0 },
	{ "k", 10 }, { "K", 10 }, { "KiB", 10 },
	{ "m", 20 }, { "M", 20 }, { "MiB", 20 },
	{ "g", 30 }, { "G", 30 }, { "GiB", 30 },
};

/**
 * ktracectl_parse_digits() - the decimal number at the start of a text
 * @s: the text; moved past the digits on success.
 * @max: the largest value accepted.
 * @out: the number, set only on success.
 *
 * Return: 0, -EINVAL when @s does not start with a digit (signs and
 * spaces included), -ERANGE when the number is above @max.
 */
int ktracectl_parse_digits(const char **s, uint64_t max, uint64_t *out)
{
	const char *p = *s;
	uint64_t v = 0;

	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	for (; isdigit((unsigned char)*p); p++) {
		unsigned int d = *p - '0';

		if (v > (max - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*s = p;
	*out = v;
	return 0;
}

/**
 * ktracectl_parse_size() - parse "4096", "4k", "4KiB", "8M", "2G"
 * @s: the text
 * @out: the size in bytes, set only on success
 *
 * Return: 0, -EINVAL for junk (empty, sign, space, unknown suffix), or
 * -ERANGE when the value does not fit in 64 bits.
 */
int ktracectl_parse_size(const char *s, uint64_t *out)
{
	uint64_t value;
	const char *p = s;
	size_t i;
	int ret;

	ret = ktracectl_parse_digits(&p, UINT64_MAX, &value);
	if (ret)
		return ret;
	for (i = 0; i < sizeof(size_suffixes) / sizeof(size_suffixes[0]); i++) {
		unsigned int shift = size_suffixes[i].shift;

		if (strcmp(p, size_suffixes[i].suffix))
			continue;
		if (shift && value > (UINT64_MAX >> shift))
			return -ERANGE;
		*out = value << shift;
		return 0;
	}
	return -EINVAL;
}

/**
 * ktracectl_format_size() - print a byte count for people: "8 MiB", "4097 B"
 * @bytes: the count
 * @buf: where to write
 * @len: size of @buf
 *
 * Exact multiples get the largest binary unit; anything else stays in bytes
 * so that no information is lost.
 */
void ktracectl_format_size(uint64_t bytes, char *buf, unsigned long len)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	unsigned int u = 0;

	while (bytes && !(bytes & 1023) && u < 4) {
		bytes >>= 10;
		u++;
	}
	snprintf(buf, len, "%llu %s", (unsigned long long)bytes, units[u]);
}
