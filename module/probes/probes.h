/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoint probes: binding ktrace's event table to the kernel's
 * tracepoints by name.
 */
#ifndef _KTRACE_PROBES_H
#define _KTRACE_PROBES_H

#include <linux/types.h>

struct seq_file;

int ktrace_probes_init(void);
void ktrace_probes_exit(void);
bool ktrace_probes_available(const char *event);
u64 ktrace_probes_hits(const char *event);
void ktrace_probes_show(struct seq_file *m);

#endif /* _KTRACE_PROBES_H */
