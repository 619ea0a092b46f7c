// SPDX-License-Identifier: GPL-2.0
/*
 * snapshot record's summary (record_internal.h): one line per snapshot,
 * or with --json one object, both described at the top of record.c.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "budget.h"
#include "cli.h"
#include "json.h"
#include "record.h"
#include "record_internal.h"

/* The summary as one JSON object (README.md: JSON; keys in the header). */
static void snap_json(struct rec *r, const struct rec_snap *sn,
		      const struct budget_span *span, const char *begin,
		      const char *end)
{
	json_t *o, *win, *arr, *so;
	size_t i;
	int ret;

	o = json_object();
	jout_str(o, "session", r->sess.name);
	jout_str(o, "output", sn->out->name);
	jout_str(o, "path", sn->dir);
	jout_uint(o, "snapshot", r->n);
	jout_str(o, "policy", r->req->policy == CLI_POLICY_WINDOW ?
		 "window" : "equal");
	jout_uint(o, "max_size", sn->out->max_size);
	jout_uint(o, "bytes", sn->bytes);
	jout_uint(o, "metadata_bytes", sn->metadata_bytes);
	jout_uint(o, "packets", sn->packets);
	jout_uint(o, "lost_packets", sn->lost);
	if (span) {
		win = json_object();
		jout_uint(win, "begin_ns", span->begin);
		jout_uint(win, "end_ns", span->end);
		jout_uint(win, "duration_ns", span->end - span->begin);
		if (sn->have_clock) {
			jout_str(win, "begin", begin);
			jout_str(win, "end", end);
		}
		jout_set(o, "window", win);
	} else {
		jout_set(o, "window", json_null());
	}
	arr = json_array();
	for (i = 0; i < r->nstreams; i++) {
		const struct rec_stream *s = &r->streams[i];

		so = json_object();
		jout_str(so, "file", s->file);
		jout_str(so, "channel", s->chan->name);
		jout_uint(so, "cpu", s->cpu);
		jout_uint(so, "bytes", s->bytes);
		jout_uint(so, "packets", s->ncopied);
		jout_uint(so, "lost_packets", s->lost);
		if (s->budget == UINT64_MAX)
			jout_set(so, "budget", json_null());
		else
			jout_uint(so, "budget", s->budget);
		jout_append(arr, so);
	}
	jout_set(o, "streams", arr);
	ret = jout_print(stdout, o);
	if (ret)
		fprintf(stderr, "ktracectl: snapshot: the JSON summary of %s: %s\n",
			sn->dir, strerror(-ret));
}

void snap_print(struct rec *r, const struct rec_snap *sn)
{
	struct budget_span span;
	char begin[64] = "", end[64] = "";
	size_t i, *zero;
	bool have_span;
	uint64_t d;

	/* The window of what was copied: index arrays of the copies. */
	zero = calloc(r->nstreams, sizeof(*zero));
	for (i = 0; i < r->nstreams; i++)
		r->wstreams[i] = (struct budget_window_stream) {
			.packets = r->streams[i].copied,
			.count = r->streams[i].ncopied,
		};
	have_span = zero && !budget_window_covered(r->wstreams, r->nstreams,
						   zero, &span);
	free(zero);
	if (have_span && sn->have_clock) {
		record_format_utc(begin, sizeof(begin), sn->offset_s,
				  sn->offset_ns, span.begin);
		record_format_utc(end, sizeof(end), sn->offset_s,
				  sn->offset_ns, span.end);
	}
	if (r->req->json) {
		snap_json(r, sn, have_span ? &span : NULL, begin, end);
		return;
	}

	printf("%s: %" PRIu64 " bytes in %" PRIu64 " packets from %zu streams",
	       sn->dir, sn->bytes, sn->packets, r->nstreams);
	printf(" (+ %" PRIu64 " bytes of metadata)", sn->metadata_bytes);
	if (have_span) {
		d = span.end - span.begin;
		printf(", window %" PRIu64 ".%09" PRIu64 " s", d / 1000000000,
		       d % 1000000000);
		if (sn->have_clock)
			printf(" (%s to %s)", begin, end);
		else
			printf(" (%" PRIu64 " to %" PRIu64 " ns)", span.begin,
			       span.end);
	} else {
		printf(", no packets");
	}
	printf(", %" PRIu64 " lost packet%s\n", sn->lost,
	       sn->lost == 1 ? "" : "s");
}
