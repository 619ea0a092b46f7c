/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktracectl snapshot record: copy the newest packets of every stream of a
 * snapshot session, within a size budget, into a CTF trace per output.
 * The semantics (preconditions, outputs, budgets, layout, summary) are
 * described at the top of record.c; record_internal.h has its layers.
 */
#ifndef KTRACECTL_RECORD_H
#define KTRACECTL_RECORD_H

#include <stddef.h>
#include <stdint.h>

struct cli_record;
struct ktnl;

/*
 * Records a snapshot of @session (selected already) as @req asks; prints
 * its summary on stdout. On failure sets ktracectl_set_err() and returns
 * -errno.
 */
int snapshot_record(struct ktnl *nl, const char *session,
		    const struct cli_record *req);

/* Pure helpers (record_parse.c), tested on the host. */

/* CPU numbers in a list are below this (the kernel's NR_CPUS limit is lower). */
#define RECORD_CPU_LIMIT	65536

/**
 * record_parse_cpus() - parse a CPU list, as /sys/devices/system/cpu/possible
 * @s: "0-3,6,8-9", optionally ending with a newline.
 * @cpus: receives the CPU numbers in order, malloc()ed.
 * @n: receives how many.
 *
 * Return: 0, or -EINVAL for an empty or malformed list, a range that
 * runs backwards or a CPU of RECORD_CPU_LIMIT or above.
 */
int record_parse_cpus(const char *s, unsigned int **cpus, size_t *n);

/**
 * record_parse_clock() - the trace clock's offset from the epoch
 * @metadata: the CTF metadata text, NUL-terminated.
 * @offset_s: receives its clock block's offset_s.
 * @offset_ns: receives its offset (in ns: the clock runs at 1 GHz).
 *
 * Return: 0, or -ENOENT when there is no clock block with both.
 */
int record_parse_clock(const char *metadata, int64_t *offset_s,
		       int64_t *offset_ns);

/**
 * record_format_utc() - a trace timestamp as UTC
 * @buf: where to write it: "2026-11-23T12:24:41.011098788Z", or "?" when
 *	it is out of range.
 * @len: size of @buf.
 * @offset_s: the clock's offset from the epoch, seconds...
 * @offset_ns: ...and nanoseconds.
 * @ts: the timestamp, in ns of the trace clock.
 */
void record_format_utc(char *buf, size_t len, int64_t offset_s,
		       int64_t offset_ns, uint64_t ts);

#endif /* KTRACECTL_RECORD_H */
