// SPDX-License-Identifier: GPL-2.0
/*
 * ktracectl snapshot record: write the newest packets of every stream of a
 * snapshot session as a CTF trace, once per output, within a size budget.
 * This file is its orchestration; record_internal.h lists its other layers
 * (stream I/O, the directory, the summary, the pure parsers).
 *
 * Preconditions: the session exists, is in snapshot mode and was started
 * at least once (it may be active or stopped).
 *
 * Outputs. A PATH on the command line is a temporary output used instead
 * of the session's outputs; otherwise every output of the session gets the
 * snapshot, with -n and -m overriding its name and max-size for this
 * record only (as lttng-tools does). A session without outputs, recorded
 * without a PATH, writes under $HOME/ktrace-traces/<session>-<time>/. An
 * output that is not the session's (a PATH, or that default) is named
 * "snapshot-0" unless -n names it, as lttng-tools names its temporary
 * output. Max-size: -m, else the output's, else no limit.
 *
 * An active session first records a statedump (rec_statedump()), once
 * for all outputs, unless --no-statedump. Then one snapshot per output:
 *
 *   1. FLUSH every stream (channel x CPU), then SNAPSHOT every stream: the
 *      packets of [consumed, produced) are closed and stay put for the
 *      reader, though writers may still overwrite the oldest.
 *   2. Budget (tools/ktracectl/budget.h), before anything is written: the
 *      equal policy gives every stream the same number of whole packets,
 *      from the channel geometry; the window policy reads every stream's
 *      packet index and keeps the longest recent stretch of time that fits
 *      on all streams. A max-size too small for the policy fails here.
 *   3. <dest>/<name>-<YYYYmmdd-HHMMSS>-<n>/kernel/ is created (n is the
 *      session's snapshot counter) and the metadata is read from a new
 *      metadata fd, to its end, into kernel/metadata. It is never limited
 *      and never counted in the budget.
 *   4. Each stream's chosen packets go to kernel/<channel>_<cpu>:
 *      GET_SUBBUF(pos), GET_PACKET_INFO (its packet_size is the padded
 *      size), splice that many bytes stream fd -> pipe -> file,
 *      PUT_SUBBUF. A get that fails with EAGAIN (the packet
 *      is being written, or was overwritten since the sample) is skipped
 *      and counted as a lost packet; readers see it as a gap in the
 *      packets' sequence numbers. Nothing is consumed: two records without
 *      new events in between write the same bytes.
 *   5. Any failure (a full disk, a write error, SIGINT or SIGTERM, which
 *      are checked between packets) removes what this snapshot created and
 *      says why. No packet stays held: every get is paired with a put, and
 *      the stream fds are closed before returning.
 *
 * The session's snapshot counter is bumped once when a snapshot was
 * written. The summary is one line per snapshot on stdout: where it went,
 * the bytes of the stream files, the time window it covers on every
 * stream (budget_window_covered() over the packets actually copied: from
 * the latest first-packet begin to the newest packet end, in ns of the
 * trace clock and, with the metadata's clock offset, as UTC), and the
 * lost packets:
 *
 *   /tmp/out/snapshot-1-20261123-122441-2: 86016 bytes in 8 packets from
 *   4 streams (+ 3800 bytes of metadata), window 0.722865516 s
 *   (2026-11-23T12:24:41.011098788Z to 2026-11-23T12:24:41.733964304Z),
 *   0 lost packets
 *
 * With --json, one object per snapshot, written as every --json of
 * ktracectl (json.h): "session", "output", "path", "snapshot" (n),
 * "policy", "max_size" (0: no limit), "bytes", "metadata_bytes",
 * "packets", "lost_packets", "window" (null when nothing was copied, else
 * "begin_ns", "end_ns", "duration_ns" and, with the clock offset, "begin"
 * and "end" in UTC) and "streams": per stream "file",
 * "channel", "cpu", "bytes", "packets", "lost_packets" and "budget" (the
 * bytes the policy granted it; null without a max-size).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "budget.h"
#include "cli.h"
#include "ktracectl.h"
#include "record.h"
#include "record_internal.h"
#include "snapshot_path.h"

/* The name of an output that is not one of the session's. */
#define RECORD_TMP_OUTPUT_NAME	"snapshot-0"

volatile sig_atomic_t rec_stop;

/* The last reason given to ktracectl_set_err(), to wrap it. */
static char rec_err[512];

static void rec_on_signal(int sig)
{
	(void)sig;
	rec_stop = 1;
}

/* Sets the reason main() prints and returns @err (a negative errno). */
int rec_fail(int err, const char *fmt, ...)
{
	char msg[sizeof(rec_err)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	memcpy(rec_err, msg, sizeof(rec_err));
	ktracectl_set_err("%s", msg);
	return err;
}

static const char *kernel_reason(const struct ktnl *nl, int err)
{
	return ktnl_errmsg(nl)[0] ? ktnl_errmsg(nl) : strerror(-err);
}

/* ---- preconditions and outputs ---- */

static int rec_session(struct rec *r)
{
	const char *name = r->session;
	int ret;

	ret = ktnl_session_get(r->nl, name, &r->sess);
	if (ret == -ENOENT)
		return rec_fail(ret, "session '%s' not found", name);
	if (ret)
		return rec_fail(ret, "session '%s': %s", name,
			    kernel_reason(r->nl, ret));
	r->have_sess = true;
	if (r->sess.mode != KTRACE_SESSION_MODE_SNAPSHOT)
		return rec_fail(-EINVAL,
			    "session '%s' is not in snapshot mode (create it with --snapshot)",
			    name);
	if (!r->sess.started_once)
		return rec_fail(-EINVAL,
			    "session '%s' has never been started: start it once before recording a snapshot",
			    name);
	if (!r->sess.nr_channels)
		return rec_fail(-EINVAL, "session '%s' has no channel", name);
	r->n = r->sess.snapshot_count;
	return 0;
}

/*
 * The statedump every snapshot of an active session starts with (unless
 * --no-statedump), so that it has the process table, the open files and
 * the device names whatever its window. The kernel records it before it
 * answers, so it is in the buffers before rec_sample() reads their
 * positions. A stopped session's buffers take no events: nothing to do
 * (rec_session() read the state: no request of its own). A failure costs
 * the statedump, not the snapshot: a warning.
 */
static void rec_statedump(struct rec *r)
{
	int ret;

	if (r->req->no_statedump ||
	    r->sess.state != KTRACE_SESSION_STATE_ACTIVE)
		return;
	ret = ktnl_regenerate_statedump(r->nl, r->session);
	if (ret)
		fprintf(stderr, "ktracectl: snapshot: warning: no statedump: %s\n",
			kernel_reason(r->nl, ret));
}

static int set_name(char *buf, size_t len, const char *name)
{
	if ((size_t)snprintf(buf, len, "%s", name) >= len)
		return rec_fail(-EINVAL, "snapshot name '%s' is too long", name);
	return 0;
}

static int set_dest(char *buf, size_t len, const char *dest)
{
	if ((size_t)snprintf(buf, len, "%s", dest) >= len)
		return rec_fail(-ENAMETOOLONG, "path too long: %s", dest);
	return 0;
}

/* The outputs of this record: PATH, the session's, or the default. */
static int rec_outputs(struct rec *r)
{
	const struct cli_record *req = r->req;
	struct ktnl_output *outs = NULL;
	const char *why = NULL;
	size_t count = 0, i;
	int ret;

	if (!req->path) {
		ret = ktnl_output_list(r->nl, r->session, &outs, &count);
		if (ret)
			return rec_fail(ret, "snapshot outputs of '%s': %s",
				    r->session, kernel_reason(r->nl, ret));
	}
	r->noutputs = count ? count : 1;
	r->outputs = calloc(r->noutputs, sizeof(*r->outputs));
	if (!r->outputs) {
		free(outs);
		return rec_fail(-ENOMEM, "out of memory");
	}
	for (i = 0; i < count; i++) {
		struct rec_output *o = &r->outputs[i];

		ret = set_name(o->name, sizeof(o->name),
			       req->name ? req->name : outs[i].name);
		if (!ret)
			ret = set_dest(o->dest, sizeof(o->dest), outs[i].dest);
		if (ret)
			break;
		o->max_size = req->max_size ? req->max_size : outs[i].max_size;
	}
	free(outs);
	if (count)
		return ret;

	/* A temporary output: PATH, or the session's default place. */
	ret = set_name(r->outputs[0].name, sizeof(r->outputs[0].name),
		       req->name ? req->name : RECORD_TMP_OUTPUT_NAME);
	if (ret)
		return ret;
	r->outputs[0].max_size = req->max_size;
	if (req->path)
		return set_dest(r->outputs[0].dest, sizeof(r->outputs[0].dest),
				req->path);
	ret = snapshot_path_default_dest(r->outputs[0].dest,
					 sizeof(r->outputs[0].dest),
					 getenv("HOME"), r->session, &r->tm,
					 &why);
	if (ret)
		return rec_fail(ret,
			    "session '%s' has no snapshot output and there is no default one (%s): give a PATH",
			    r->session, why);
	return 0;
}

/* ---- budgets ---- */

/*
 * The equal policy's size check needs only the geometry: every output is
 * checked before anything is read or written.
 */
static int rec_check_equal(struct rec *r)
{
	char msg[256];
	uint64_t min;
	size_t i;

	if (r->req->policy != CLI_POLICY_EQUAL)
		return 0;
	for (i = 0; i < r->nstreams; i++)
		r->bstreams[i] = (struct budget_stream) {
			.subbuf_size = r->streams[i].subbuf_size,
			.num_subbuf = r->streams[i].chan->num_subbuf,
		};
	min = budget_equal_min_size(r->bstreams, r->nstreams);
	for (i = 0; i < r->noutputs; i++) {
		if (!r->outputs[i].max_size || r->outputs[i].max_size >= min)
			continue;
		budget_equal_too_small_msg(msg, sizeof(msg),
					   r->outputs[i].max_size, r->bstreams,
					   r->nstreams);
		return rec_fail(-ENOSPC, "%s", msg);
	}
	return 0;
}

static int rec_budget(struct rec *r, const struct rec_output *o)
{
	char msg[256];
	size_t i;
	int ret;

	if (r->req->policy == CLI_POLICY_EQUAL) {
		ret = budget_equal(r->bstreams, r->nstreams, o->max_size,
				   r->ranges, NULL);
		if (ret == -ENOSPC)
			budget_equal_too_small_msg(msg, sizeof(msg), o->max_size,
						   r->bstreams, r->nstreams);
		else if (ret)
			snprintf(msg, sizeof(msg),
				 "the module reported positions the equal policy cannot use");
		if (ret)
			return rec_fail(ret, "%s", msg);
		for (i = 0; i < r->nstreams; i++)
			r->streams[i].budget =
				o->max_size && r->ranges[i].share != UINT64_MAX ?
				r->ranges[i].share * r->streams[i].subbuf_size :
				UINT64_MAX;
		return 0;
	}
	ret = budget_window(r->wstreams, r->nstreams, o->max_size, r->first,
			    NULL);
	if (ret == -ENOSPC)
		budget_window_too_small_msg(msg, sizeof(msg), o->max_size,
					    r->wstreams, r->nstreams);
	else if (ret)
		snprintf(msg, sizeof(msg),
			 "the module reported a packet index the window policy cannot use");
	if (ret)
		return rec_fail(ret, "%s", msg);
	for (i = 0; i < r->nstreams; i++) {
		struct rec_stream *s = &r->streams[i];
		size_t k;

		s->budget = 0;
		for (k = r->first[i]; k < s->nindex; k++)
			s->budget += s->index[k].packet_size;
		if (!o->max_size)
			s->budget = UINT64_MAX;
	}
	return 0;
}

/* ---- one snapshot ---- */

static void snap_free(struct rec_snap *sn)
{
	size_t i;

	if (sn->kfd >= 0)
		close(sn->kfd);
	if (sn->pipe[0] >= 0)
		close(sn->pipe[0]);
	if (sn->pipe[1] >= 0)
		close(sn->pipe[1]);
	for (i = 0; i < sn->nmade; i++)
		free(sn->made[i]);
	free(sn->made);
}

static int rec_snapshot(struct rec *r, const struct rec_output *o)
{
	struct rec_snap sn = {
		.out = o,
		.kfd = -1,
		.pipe = { -1, -1 },
	};
	uint64_t biggest = 0;
	size_t i;
	int ret, size;

	if (rec_stop)
		return rec_fail(-EINTR, "interrupted");
	ret = rec_sample(r);
	if (!ret)
		ret = rec_budget(r, o);
	if (ret)
		goto out;

	if (pipe2(sn.pipe, O_CLOEXEC)) {
		ret = rec_fail(-errno, "pipe: %s", strerror(errno));
		goto out;
	}
	for (i = 0; i < r->nstreams; i++)
		if (r->streams[i].subbuf_size > biggest)
			biggest = r->streams[i].subbuf_size;
	/* One packet per pipe fill when allowed; any size works. */
	if (biggest <= INT_MAX)
		fcntl(sn.pipe[1], F_SETPIPE_SZ, (int)biggest);
	size = fcntl(sn.pipe[1], F_GETPIPE_SZ);
	sn.pipe_size = size > 0 ? (size_t)size : 65536;

	ret = snap_dirs(r, &sn);
	if (!ret)
		ret = snap_metadata(r, &sn);
	for (i = 0; !ret && i < r->nstreams; i++)
		ret = snap_stream(r, &sn, i);
	if (!ret && sn.net)
		ret = net_commit(&sn);
	if (ret) {
		char why[sizeof(rec_err)];

		memcpy(why, rec_err, sizeof(why));
		snap_undo(r, &sn);
		if (sn.dir_made)
			rec_fail(ret, "%s (removed the partial snapshot %s)", why,
			     sn.dir);
		goto out;
	}
	snap_print(r, &sn);
	fflush(stdout);
out:
	net_end(&sn);
	snap_free(&sn);
	return ret;
}

int snapshot_record(struct ktnl *nl, const char *session,
		    const struct cli_record *req)
{
	struct sigaction sa = { .sa_handler = rec_on_signal }, old_int, old_term;
	struct rec r = { .nl = nl, .req = req, .session = session, .dev = -1 };
	time_t now = time(NULL);
	size_t i, done = 0, failed = 0;
	int ret, first = 0;

	if (!session)
		return rec_fail(-EINVAL, "no session");
	if (!localtime_r(&now, &r.tm))
		return rec_fail(-EINVAL, "cannot read the local time");

	/*
	 * No SA_RESTART: a signal interrupts a blocking splice. A signal
	 * that is ignored (a background job's SIGINT) stays ignored.
	 */
	sigemptyset(&sa.sa_mask);
	rec_stop = 0;
	sigaction(SIGINT, NULL, &old_int);
	sigaction(SIGTERM, NULL, &old_term);
	if (old_int.sa_handler != SIG_IGN)
		sigaction(SIGINT, &sa, NULL);
	if (old_term.sa_handler != SIG_IGN)
		sigaction(SIGTERM, &sa, NULL);

	ret = rec_session(&r);
	if (!ret)
		rec_statedump(&r);
	if (!ret)
		ret = rec_outputs(&r);
	if (!ret)
		ret = rec_open_streams(&r);
	if (!ret)
		ret = rec_check_equal(&r);
	/*
	 * An output that fails does not stop the others (a tee to a local
	 * path and a receiver): each failure is one line, naming the output.
	 */
	for (i = 0; !ret && i < r.noutputs; i++) {
		ret = rec_snapshot(&r, &r.outputs[i]);
		if (!ret) {
			done++;
			continue;
		}
		failed++;
		first = first ? first : ret;
		if (r.noutputs == 1 || rec_stop)
			break;
		ktracectl_err_report("snapshot", ret);
		ret = 0;
	}
	if (!ret && failed)
		ret = rec_fail(first, "%zu of %zu outputs failed", failed,
			       r.noutputs);
	/* Close the streams (and so release them) before anything else. */
	rec_close_streams(&r);

	if (done) {
		int bump = ktnl_snapshot_bump(nl, session, NULL);

		if (bump && !ret)
			ret = rec_fail(bump, "snapshot written, but counting it failed: %s",
				   kernel_reason(nl, bump));
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	return ret;
}
