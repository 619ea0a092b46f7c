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
	struct json j;
	size_t i;

	json_init(&j, stdout);
	json_object_begin(&j, NULL);
	json_string(&j, "session", r->sess.name);
	json_string(&j, "output", sn->out->name);
	json_string(&j, "path", sn->dir);
	json_uint(&j, "snapshot", r->n);
	json_string(&j, "policy", r->req->policy == CLI_POLICY_WINDOW ?
		    "window" : "equal");
	json_uint(&j, "max_size", sn->out->max_size);
	json_uint(&j, "bytes", sn->bytes);
	json_uint(&j, "metadata_bytes", sn->metadata_bytes);
	json_uint(&j, "packets", sn->packets);
	json_uint(&j, "lost_packets", sn->lost);
	if (span) {
		json_object_begin(&j, "window");
		json_uint(&j, "begin_ns", span->begin);
		json_uint(&j, "end_ns", span->end);
		json_uint(&j, "duration_ns", span->end - span->begin);
		if (sn->have_clock) {
			json_string(&j, "begin", begin);
			json_string(&j, "end", end);
		}
		json_object_end(&j);
	} else {
		json_null(&j, "window");
	}
	json_array_begin(&j, "streams");
	for (i = 0; i < r->nstreams; i++) {
		const struct rec_stream *s = &r->streams[i];

		json_object_begin(&j, NULL);
		json_string(&j, "file", s->file);
		json_string(&j, "channel", s->chan->name);
		json_uint(&j, "cpu", s->cpu);
		json_uint(&j, "bytes", s->bytes);
		json_uint(&j, "packets", s->ncopied);
		json_uint(&j, "lost_packets", s->lost);
		if (s->budget == UINT64_MAX)
			json_null(&j, "budget");
		else
			json_uint(&j, "budget", s->budget);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_object_end(&j);
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
