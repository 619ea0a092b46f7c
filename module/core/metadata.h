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

/* The tracer, as the metadata's env block names it. */
#define KTRACE_TRACER_NAME	"ktrace"
#define KTRACE_VERSION_MAJOR	0
#define KTRACE_VERSION_MINOR	1
#define KTRACE_VERSION_PATCH	0

char *ktrace_metadata_generate(struct ktrace_session *s, size_t *len);
char *ktrace_metadata_print_field(const struct ktrace_field_desc *f);

#endif /* _KTRACE_CORE_METADATA_H */
