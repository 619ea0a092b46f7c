/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The CTF 1.8 metadata of a session: the TSDL text that tells babeltrace2
 * and Trace Compass how to decode the session's packets. The module is the
 * only place that knows the layout; readers get it from here.
 */
#ifndef _KTRACE_CORE_METADATA_H
#define _KTRACE_CORE_METADATA_H

#include <linux/types.h>

struct file;
struct poll_table_struct;
struct ktrace_session;
struct ktrace_field_desc;
struct ktrace_metadata_cache;

/*
 * The LTTng kernel layout that ktrace's event names and fields follow, as
 * the metadata's env declares it in the keys viewers pick their tables
 * from (Trace Compass: tracer_name and tracer_major/minor; lttng-analyses:
 * tracer_major/minor/patchlevel). The probes were checked field by field
 * against lttng-modules 2.13.9. docs/TRACE-FORMAT.md says why.
 */
#define KTRACE_LAYOUT_TRACER_NAME	"lttng-modules"
#define KTRACE_LAYOUT_MAJOR		2
#define KTRACE_LAYOUT_MINOR		13
#define KTRACE_LAYOUT_PATCHLEVEL	9

/* ktrace itself, in env keys of its own. */
#define KTRACE_VERSION			"0.1.0"

char *ktrace_metadata_generate(struct ktrace_session *s, size_t *len);
char *ktrace_metadata_print_field(const struct ktrace_field_desc *f);

/*
 * The session's metadata cache (metadata_cache.c): the metadata as an
 * append-only text, read by metadata fds from their own positions.
 */
struct ktrace_metadata_cache *
ktrace_metadata_cache_open(struct ktrace_session *s);
void ktrace_metadata_cache_put(struct ktrace_metadata_cache *md);
int ktrace_metadata_cache_sync(struct ktrace_metadata_cache *md);
size_t ktrace_metadata_cache_len(struct ktrace_metadata_cache *md);
size_t ktrace_metadata_cache_copy(struct ktrace_metadata_cache *md, void *dst,
				  size_t count, size_t pos);
__poll_t ktrace_metadata_cache_poll(struct ktrace_metadata_cache *md,
				    struct file *file,
				    struct poll_table_struct *wait,
				    size_t pos);

#endif /* _KTRACE_CORE_METADATA_H */
