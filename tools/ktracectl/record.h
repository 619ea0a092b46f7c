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

struct ktnl;

enum record_policy { RECORD_POLICY_EQUAL, RECORD_POLICY_WINDOW };

struct record_request {
	const char *session;	/* the session's name, already selected */
	uint64_t max_size;	/* -m; 0 when not given */
	const char *name;	/* -n; NULL when not given */
	const char *path;	/* PATH or file://PATH; NULL when not given */
	enum record_policy policy;
	int json;
};

/* Prints its summary on stdout; on failure sets ktracectl_set_err() and returns -errno. */
int snapshot_record(struct ktnl *nl, const struct record_request *req);

#endif /* KTRACECTL_RECORD_H */
