// SPDX-License-Identifier: GPL-2.0
/*
 * ktracectl's --json output through jansson (see json.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

/* A setter failed since the last jout_print() (ktracectl is one thread). */
static int jout_failed;

/* Length of the valid UTF-8 sequence at @s, or 0 if it is not one. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and code points past U+10FFFF. */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

json_t *jout_string(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	char *fixed, *p;
	json_t *v;
	size_t n;

	v = json_string(str);
	if (v)
		return v;
	/* Not UTF-8 (or no memory): every byte that is not becomes U+FFFD. */
	fixed = malloc(3 * strlen(str) + 1);
	if (!fixed)
		return NULL;
	for (p = fixed; *s; s += n) {
		n = utf8_len(s);
		if (n) {
			memcpy(p, s, n);
			p += n;
		} else {
			memcpy(p, "\xef\xbf\xbd", 3);
			p += 3;
			n = 1;
		}
	}
	*p = '\0';
	v = json_string(fixed);
	free(fixed);
	return v;
}

json_t *jout_integer(uint64_t v)
{
	return json_integer(v > INT64_MAX ? INT64_MAX : (json_int_t)v);
}

void jout_set(json_t *obj, const char *key, json_t *value)
{
	/* Takes @value even when it fails, and fails on NULL. */
	if (json_object_set_new(obj, key, value))
		jout_failed = 1;
}

void jout_str(json_t *obj, const char *key, const char *s)
{
	jout_set(obj, key, jout_string(s));
}

void jout_uint(json_t *obj, const char *key, uint64_t v)
{
	jout_set(obj, key, jout_integer(v));
}

void jout_bool(json_t *obj, const char *key, int v)
{
	jout_set(obj, key, json_boolean(v));
}

void jout_append(json_t *arr, json_t *value)
{
	if (json_array_append_new(arr, value))
		jout_failed = 1;
}

int jout_print(FILE *f, json_t *root)
{
	int ret = 0;

	if (!root || jout_failed)
		ret = -ENOMEM;
	else if (json_dumpf(root, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER) ||
		 fputc('\n', f) == EOF)
		ret = -EIO;
	jout_failed = 0;
	json_decref(root);
	return ret;
}
