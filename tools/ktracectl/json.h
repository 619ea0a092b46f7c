/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktracectl's --json output (the keys are documented in README.md): the
 * commands build jansson values with these helpers and print them with
 * jout_print(), two-space indented, one member per line, keys in the order
 * they were added.
 *
 * What jansson leaves to its caller:
 * - Strings: jansson refuses bytes that are not UTF-8; jout_string() turns
 *   each such byte into U+FFFD, so a name or path always prints.
 * - Integers: jansson's are signed 64-bit, and so is what its parser (and
 *   most others) reads back; jout_integer() saturates a u64 at INT64_MAX
 *   (2^63 - 1), exact below it (README.md, JSON).
 * - Failures: the setters take NULL containers and values (an allocation
 *   that failed) and remember the failure; jout_print() then prints
 *   nothing and returns -ENOMEM, so no output is ever missing a key.
 */
#ifndef KTRACECTL_JSON_H
#define KTRACECTL_JSON_H

#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

/* A string value, invalid UTF-8 bytes as U+FFFD; NULL without memory. */
json_t *jout_string(const char *s);
/* An integer value: @v, or INT64_MAX above it; NULL without memory. */
json_t *jout_integer(uint64_t v);

/* @obj[@key] = @value, which it takes (and frees on failure). */
void jout_set(json_t *obj, const char *key, json_t *value);
void jout_str(json_t *obj, const char *key, const char *s);
void jout_uint(json_t *obj, const char *key, uint64_t v);
void jout_bool(json_t *obj, const char *key, int v);
/* Appends @value, which it takes (and frees on failure), to @arr. */
void jout_append(json_t *arr, json_t *value);

/**
 * jout_print() - print a --json value and free it
 * @f: where to write (stdout).
 * @root: the value, taken; NULL if its allocation failed.
 *
 * Writes @root and a newline, unless @root is NULL or a setter failed
 * since the last call, in which case nothing is written.
 *
 * Return: 0, -ENOMEM after a failed allocation, -EIO if writing failed.
 */
int jout_print(FILE *f, json_t *root);

#endif /* KTRACECTL_JSON_H */
