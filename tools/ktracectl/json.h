/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small JSON writer for ktracectl's --json output (the keys are
 * documented in README.md): objects, arrays, strings, unsigned integers
 * and booleans, written as they come, two-space indented, one member per
 * line. Strings are escaped as RFC 8259 requires; bytes that are not
 * UTF-8 become U+FFFD, so the output is always valid JSON.
 *
 * Inside an object, pass the member's key; inside an array or at the top
 * level, pass NULL. Nesting deeper than JSON_MAX_DEPTH is ignored (ktracectl
 * never nests more than 5 levels).
 */
#ifndef KTRACECTL_JSON_H
#define KTRACECTL_JSON_H

#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH	16

/*
 * jansson (session files, session_file.c) exports json_string() and
 * json_null() too: this writer's take other link names, so that neither
 * ever resolves to the other's. Never include this with <jansson.h>.
 */
#define json_string	ktracectl_json_string
#define json_null	ktracectl_json_null

struct json {
	FILE *f;
	int depth;
	/* Per level: whether a member was written, so a comma is due. */
	unsigned char has_member[JSON_MAX_DEPTH];
};

void json_init(struct json *j, FILE *f);
void json_object_begin(struct json *j, const char *key);
void json_object_end(struct json *j);
void json_array_begin(struct json *j, const char *key);
void json_array_end(struct json *j);
void json_string(struct json *j, const char *key, const char *value);
void json_uint(struct json *j, const char *key, uint64_t value);
void json_bool(struct json *j, const char *key, int value);
void json_null(struct json *j, const char *key);

/**
 * json_escape() - write a string literal with its quotes
 * @f: where to write.
 * @s: the string, UTF-8; invalid bytes are written as \ufffd.
 */
void json_escape(FILE *f, const char *s);

#endif /* KTRACECTL_JSON_H */
