/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The CTF 1.8 metadata of a session: the TSDL text that tells babeltrace2
 * and Trace Compass how to decode the session's packets. The module is the
 * only place that knows the layout; readers get it from here.
 */
#ifndef _KTRACE_CORE_METADATA_H
#define _KTRACE_CORE_METADATA_H

#include <linux/types.h>

struct ktrace_session;
struct ktrace_field_desc;

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

#endif /* _KTRACE_CORE_METADATA_H */
