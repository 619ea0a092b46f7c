/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktracectl snapshot record: copy the newest packets of every stream of a
 * snapshot session, within a size budget, into a CTF trace per output.
 * The semantics (preconditions, outputs, budgets, layout, summary) are
 * described at the top of record.c.
 */
#ifndef KTRACECTL_RECORD_H
#define KTRACECTL_RECORD_H

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

#endif /* KTRACECTL_RECORD_H */
