// SPDX-License-Identifier: GPL-2.0
/*
 * ktracectl snapshot record: write the newest packets of every stream of a
 * snapshot session as a CTF trace, once per output, within a size budget.
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
 * One snapshot per output:
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
 *      GET_SUBBUF(pos), splice GET_PADDED_SUBBUF_SIZE bytes stream fd ->
 *      pipe -> file, PUT_SUBBUF. A get that fails with EAGAIN (the packet
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
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <ktrace.h>

#include "budget.h"
#include "cli.h"
#include "json.h"
#include "ktracectl.h"
#include "nl.h"
#include "record.h"
#include "snapshot_path.h"

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

/* The name of an output that is not one of the session's. */
#define RECORD_TMP_OUTPUT_NAME	"snapshot-0"
#define POSSIBLE_CPUS		"/sys/devices/system/cpu/possible"
#define CPU_LIMIT		65536

/* Set by SIGINT/SIGTERM; checked between packets. */
static volatile sig_atomic_t rec_stop;

/* The last reason given to ktracectl_set_err(), to wrap it. */
static char rec_err[512];

static void rec_on_signal(int sig)
{
	(void)sig;
	rec_stop = 1;
}

/* One stream: the buffer of one channel on one CPU. */
struct rec_stream {
	const struct ktnl_channel *chan;
	unsigned int cpu;
	int fd;
	uint64_t subbuf_size;
	char file[KTRACE_NAME_LEN + 16];
	/* The last sample. */
	uint64_t consumed;
	uint64_t produced;
	/* Its packet index (window policy). */
	struct ktrace_packet_index_entry *index;
	size_t nindex;
	size_t index_cap;
	/* What the current snapshot copied, oldest first. */
	struct ktrace_packet_index_entry *copied;
	size_t ncopied;
	size_t copied_cap;
	uint64_t bytes;
	uint64_t lost;
	uint64_t budget;	/* UINT64_MAX: no limit */
};

/* Where one snapshot of this record goes. */
struct rec_output {
	char name[KTRACE_NAME_LEN + 1];
	char dest[PATH_MAX];
	uint64_t max_size;
};

/* The state of one snapshot, for its summary and its undoing. */
struct rec_snap {
	const struct rec_output *out;
	char dir[PATH_MAX];	/* <dest>/<name>-<time>-<n> */
	char kdir[PATH_MAX];	/* <dir>/kernel */
	char **made;		/* directories created above <dir> */
	size_t nmade;
	bool dir_made;
	bool kdir_made;
	bool metadata_made;
	size_t files_made;	/* streams[0 .. files_made) have a file */
	int kfd;
	int pipe[2];
	size_t pipe_size;
	bool have_clock;
	int64_t offset_s;
	int64_t offset_ns;
	uint64_t metadata_bytes;
	uint64_t bytes;
	uint64_t packets;
	uint64_t lost;
};

struct rec {
	struct ktnl *nl;
	const struct cli_record *req;
	const char *session;	/* the session's name, already selected */
	struct ktnl_session sess;
	bool have_sess;
	struct rec_output *outputs;
	size_t noutputs;
	struct rec_stream *streams;
	size_t nstreams;
	struct budget_stream *bstreams;
	struct budget_range *ranges;
	struct budget_window_stream *wstreams;
	size_t *first;
	int dev;
	struct tm tm;
	uint64_t n;
};

static int fail(int err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Sets the reason main() prints and returns @err (a negative errno). */
static int fail(int err, const char *fmt, ...)
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

/* ---- preconditions, outputs, streams ---- */

static int rec_session(struct rec *r)
{
	const char *name = r->session;
	int ret;

	ret = ktnl_session_get(r->nl, name, &r->sess);
	if (ret == -ENOENT)
		return fail(ret, "session '%s' not found", name);
	if (ret)
		return fail(ret, "session '%s': %s", name,
			    kernel_reason(r->nl, ret));
	r->have_sess = true;
	if (r->sess.mode != KTRACE_SESSION_MODE_SNAPSHOT)
		return fail(-EINVAL,
			    "session '%s' is not in snapshot mode (create it with --snapshot)",
			    name);
	if (!r->sess.started_once)
		return fail(-EINVAL,
			    "session '%s' has never been started: start it once before recording a snapshot",
			    name);
	if (!r->sess.nr_channels)
		return fail(-EINVAL, "session '%s' has no channel", name);
	r->n = r->sess.snapshot_count;
	return 0;
}

static int set_name(char *buf, size_t len, const char *name)
{
	if ((size_t)snprintf(buf, len, "%s", name) >= len)
		return fail(-EINVAL, "snapshot name '%s' is too long", name);
	return 0;
}

static int set_dest(char *buf, size_t len, const char *dest)
{
	if ((size_t)snprintf(buf, len, "%s", dest) >= len)
		return fail(-ENAMETOOLONG, "path too long: %s", dest);
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
			return fail(ret, "snapshot outputs of '%s': %s",
				    r->session, kernel_reason(r->nl, ret));
	}
	r->noutputs = count ? count : 1;
	r->outputs = calloc(r->noutputs, sizeof(*r->outputs));
	if (!r->outputs) {
		free(outs);
		return fail(-ENOMEM, "out of memory");
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
		return fail(ret,
			    "session '%s' has no snapshot output and there is no default one (%s): give a PATH",
			    r->session, why);
	return 0;
}

/* Parses "0-3,6,8-9" into a list of CPU numbers. */
static int parse_cpus(const char *s, unsigned int **cpus, size_t *n)
{
	unsigned int *list = NULL, *grown;
	size_t count = 0;
	unsigned long a, b, c;
	char *end;

	while (*s && *s != '\n') {
		a = strtoul(s, &end, 10);
		if (end == s)
			goto bad;
		b = a;
		s = end;
		if (*s == '-') {
			b = strtoul(s + 1, &end, 10);
			if (end == s + 1)
				goto bad;
			s = end;
		}
		if (b < a || b >= CPU_LIMIT)
			goto bad;
		grown = realloc(list, (count + b - a + 1) * sizeof(*list));
		if (!grown)
			goto bad;
		list = grown;
		for (c = a; c <= b; c++)
			list[count++] = c;
		if (*s == ',')
			s++;
		else if (*s && *s != '\n')
			goto bad;
	}
	if (!count)
		goto bad;
	*cpus = list;
	*n = count;
	return 0;
bad:
	free(list);
	return -EINVAL;
}

/* The CPUs that have a buffer: the possible ones, as the module. */
static int possible_cpus(const struct ktnl_channel *chan, unsigned int **cpus,
			 size_t *n)
{
	char buf[4096];
	ssize_t len = -1;
	size_t i;
	int fd;

	fd = open(POSSIBLE_CPUS, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		len = read(fd, buf, sizeof(buf) - 1);
		close(fd);
	}
	if (len > 0) {
		buf[len] = '\0';
		if (!parse_cpus(buf, cpus, n))
			return 0;
	}
	/* No sysfs: CPUs 0 .. streams - 1. */
	if (!chan->streams)
		return fail(-EIO, "cannot read %s", POSSIBLE_CPUS);
	*cpus = calloc(chan->streams, sizeof(**cpus));
	if (!*cpus)
		return fail(-ENOMEM, "out of memory");
	for (i = 0; i < chan->streams; i++)
		(*cpus)[i] = i;
	*n = chan->streams;
	return 0;
}

static int stream_u64(const struct rec_stream *s, unsigned long req,
		      uint64_t *v, const char *what)
{
	if (ioctl(s->fd, req, v) < 0)
		return fail(-errno, "%s cpu %u: %s: %s", s->chan->name, s->cpu,
			    what, strerror(errno));
	return 0;
}

/* Opens every stream: every CPU of every channel. */
static int rec_open_streams(struct rec *r)
{
	unsigned int *cpus = NULL;
	size_t ncpus = 0, c, k, i = 0;
	const char *why;
	int ret;

	ret = possible_cpus(&r->sess.channels[0], &cpus, &ncpus);
	if (ret)
		return ret;
	r->nstreams = r->sess.nr_channels * ncpus;
	r->streams = calloc(r->nstreams, sizeof(*r->streams));
	r->bstreams = calloc(r->nstreams, sizeof(*r->bstreams));
	r->ranges = calloc(r->nstreams, sizeof(*r->ranges));
	r->wstreams = calloc(r->nstreams, sizeof(*r->wstreams));
	r->first = calloc(r->nstreams, sizeof(*r->first));
	if (!r->streams || !r->bstreams || !r->ranges || !r->wstreams ||
	    !r->first) {
		ret = fail(-ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < r->nstreams; i++)
		r->streams[i].fd = -1;

	r->dev = ktracectl_dev_open();
	if (r->dev < 0) {
		ret = r->dev;
		goto out;
	}
	i = 0;
	for (c = 0; c < r->sess.nr_channels; c++) {
		const struct ktnl_channel *chan = &r->sess.channels[c];

		for (k = 0; k < ncpus; k++, i++) {
			struct rec_stream *s = &r->streams[i];
			struct ktrace_open_stream open = {
				.size = sizeof(open),
				.session_id = r->sess.id,
				.channel_id = chan->id,
				.cpu = cpus[k],
			};

			s->chan = chan;
			s->cpu = cpus[k];
			ret = snapshot_path_stream_file(s->file, sizeof(s->file),
							chan->name, s->cpu,
							&why);
			if (ret) {
				fail(ret, "channel '%s': %s", chan->name, why);
				goto out;
			}
			s->fd = ioctl(r->dev, KTRACE_IOC_OPEN_STREAM, &open);
			if (s->fd < 0) {
				ret = -errno;
				if (ret == -EBUSY)
					fail(ret, "stream %s of session '%s' is being read by another process",
					     s->file, r->sess.name);
				else
					fail(ret, "opening stream %s: %s",
					     s->file, strerror(-ret));
				goto out;
			}
			ret = stream_u64(s, KTRACE_STREAM_GET_MAX_SUBBUF_SIZE,
					 &s->subbuf_size, "GET_MAX_SUBBUF_SIZE");
			if (ret)
				goto out;
			s->index_cap = chan->num_subbuf ? chan->num_subbuf : 8;
			s->index = calloc(s->index_cap, sizeof(*s->index));
			if (!s->index) {
				ret = fail(-ENOMEM, "out of memory");
				goto out;
			}
		}
	}
	ret = 0;
out:
	free(cpus);
	return ret;
}

static void rec_close_streams(struct rec *r)
{
	size_t i;

	for (i = 0; r->streams && i < r->nstreams; i++) {
		if (r->streams[i].fd >= 0)
			close(r->streams[i].fd);
		free(r->streams[i].index);
		free(r->streams[i].copied);
	}
	if (r->dev >= 0)
		close(r->dev);
	free(r->streams);
	free(r->bstreams);
	free(r->ranges);
	free(r->wstreams);
	free(r->first);
	free(r->outputs);
	if (r->have_sess)
		free(r->sess.channels);
}

/* ---- sampling and budgets ---- */

static int stream_index(struct rec_stream *s)
{
	struct ktrace_packet_index idx;
	void *grown;

	for (;;) {
		idx = (struct ktrace_packet_index) {
			.size = sizeof(idx),
			.count = s->index_cap,
			.entries = (uintptr_t)s->index,
		};
		if (!ioctl(s->fd, KTRACE_STREAM_PACKET_INDEX, &idx))
			break;
		if (errno != E2BIG || idx.count <= s->index_cap)
			return fail(-errno, "%s: PACKET_INDEX: %s", s->file,
				    strerror(errno));
		grown = realloc(s->index, idx.count * sizeof(*s->index));
		if (!grown)
			return fail(-ENOMEM, "out of memory");
		s->index = grown;
		s->index_cap = idx.count;
	}
	s->nindex = idx.count;
	return 0;
}

/*
 * Flushes every stream, then samples every stream: the close cut in time
 * that the budget plans on.
 */
static int rec_sample(struct rec *r)
{
	size_t i;
	int ret;

	for (i = 0; i < r->nstreams; i++)
		if (ioctl(r->streams[i].fd, KTRACE_STREAM_FLUSH) < 0)
			return fail(-errno, "%s: FLUSH: %s", r->streams[i].file,
				    strerror(errno));
	for (i = 0; i < r->nstreams; i++) {
		struct rec_stream *s = &r->streams[i];

		if (ioctl(s->fd, KTRACE_STREAM_SNAPSHOT) < 0)
			return fail(-errno, "%s: SNAPSHOT: %s", s->file,
				    strerror(errno));
		ret = stream_u64(s, KTRACE_STREAM_SNAPSHOT_GET_CONSUMED,
				 &s->consumed, "SNAPSHOT_GET_CONSUMED");
		if (!ret)
			ret = stream_u64(s, KTRACE_STREAM_SNAPSHOT_GET_PRODUCED,
					 &s->produced, "SNAPSHOT_GET_PRODUCED");
		if (!ret && r->req->policy == CLI_POLICY_WINDOW)
			ret = stream_index(s);
		if (ret)
			return ret;
		r->bstreams[i] = (struct budget_stream) {
			.subbuf_size = s->subbuf_size,
			.num_subbuf = s->chan->num_subbuf,
			.consumed = s->consumed,
			.produced = s->produced,
		};
		r->wstreams[i] = (struct budget_window_stream) {
			.packets = s->index,
			.count = s->nindex,
		};
	}
	return 0;
}

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
		return fail(-ENOSPC, "%s", msg);
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
			return fail(ret, "%s", msg);
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
		return fail(ret, "%s", msg);
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

/* ---- files ---- */

static int write_all(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, buf, len);
		if (n < 0 && errno == EINTR && !rec_stop)
			continue;
		if (n < 0)
			return -errno;
		buf += n;
		len -= n;
	}
	return 0;
}

/* mkdir -p @path, remembering what it made, for undoing. */
static int make_parents(struct rec_snap *sn, const char *path)
{
	char buf[PATH_MAX], **grown;
	struct stat st;
	size_t len, i;

	len = snprintf(buf, sizeof(buf), "%s", path);
	if (len >= sizeof(buf))
		return fail(-ENAMETOOLONG, "path too long: %s", path);
	for (i = 1; i <= len; i++) {
		char c = buf[i];

		/* Each prefix that ends before a slash, and the whole. */
		if ((c != '/' && c != '\0') || buf[i - 1] == '/')
			continue;
		buf[i] = '\0';
		if (!mkdir(buf, 0755)) {
			grown = realloc(sn->made, (sn->nmade + 1) * sizeof(*grown));
			if (grown) {
				sn->made = grown;
				sn->made[sn->nmade] = strdup(buf);
				if (sn->made[sn->nmade])
					sn->nmade++;
			}
		} else if (errno != EEXIST) {
			return fail(-errno, "cannot create directory %s: %s",
				    buf, strerror(errno));
		} else if (stat(buf, &st) || !S_ISDIR(st.st_mode)) {
			return fail(-ENOTDIR, "%s is not a directory", buf);
		}
		buf[i] = c;
	}
	return 0;
}

/* Removes what the snapshot created, newest first. */
static void snap_undo(struct rec *r, struct rec_snap *sn)
{
	size_t i;

	if (sn->kfd >= 0) {
		for (i = 0; i < sn->files_made; i++)
			unlinkat(sn->kfd, r->streams[i].file, 0);
		if (sn->metadata_made)
			unlinkat(sn->kfd, "metadata", 0);
	}
	if (sn->kdir_made)
		rmdir(sn->kdir);
	if (sn->dir_made)
		rmdir(sn->dir);
	/* Parents only if empty: another snapshot may be writing there. */
	for (i = sn->nmade; i-- > 0;)
		rmdir(sn->made[i]);
}

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

/* Creates <dest>/<name>-<time>-<n>/kernel/. */
static int snap_dirs(struct rec *r, struct rec_snap *sn)
{
	const char *dest, *why = NULL;
	char *slash;
	int ret;

	ret = snapshot_path_dest(sn->out->dest, &dest, &why);
	if (!ret)
		ret = snapshot_path_dir(sn->kdir, sizeof(sn->kdir),
					sn->out->dest, sn->out->name, &r->tm,
					r->n, &why);
	if (ret)
		return fail(ret, "output '%s' (%s): %s", sn->out->name,
			    sn->out->dest, why);
	snprintf(sn->dir, sizeof(sn->dir), "%s", sn->kdir);
	slash = strrchr(sn->dir, '/');
	*slash = '\0';

	ret = make_parents(sn, dest);
	if (ret)
		return ret;
	if (mkdir(sn->dir, 0755)) {
		if (errno == EEXIST)
			return fail(-EEXIST, "%s already exists", sn->dir);
		return fail(-errno, "cannot create directory %s: %s", sn->dir,
			    strerror(errno));
	}
	sn->dir_made = true;
	if (mkdir(sn->kdir, 0755))
		return fail(-errno, "cannot create directory %s: %s", sn->kdir,
			    strerror(errno));
	sn->kdir_made = true;
	sn->kfd = open(sn->kdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (sn->kfd < 0)
		return fail(-errno, "%s: %s", sn->kdir, strerror(errno));
	return 0;
}

/* The clock's offset from the epoch, from the metadata's clock block. */
static void parse_clock(struct rec_snap *sn, const char *text)
{
	const char *clock = strstr(text, "\nclock {");
	const char *end, *p;
	long long s, ns;

	if (!clock)
		return;
	end = strstr(clock, "\n};");
	p = strstr(clock, "offset_s = ");
	if (!end || !p || p > end || sscanf(p, "offset_s = %lld;", &s) != 1)
		return;
	p = strstr(clock, "\toffset = ");
	if (!p || p > end || sscanf(p, "\toffset = %lld;", &ns) != 1)
		return;
	sn->offset_s = s;
	sn->offset_ns = ns;
	sn->have_clock = true;
}

/* Reads the metadata to its end and writes kernel/metadata. */
static int snap_metadata(struct rec *r, struct rec_snap *sn)
{
	struct ktrace_open_metadata open_md = {
		.size = sizeof(open_md),
		.session_id = r->sess.id,
	};
	size_t len = 0, cap = 64 * 1024;
	char *text = malloc(cap + 1), *grown;
	ssize_t got;
	int fd, out, ret;

	if (!text)
		return fail(-ENOMEM, "out of memory");
	fd = ioctl(r->dev, KTRACE_IOC_OPEN_METADATA, &open_md);
	if (fd < 0) {
		ret = fail(-errno, "opening the metadata: %s", strerror(errno));
		goto out_free;
	}
	for (;;) {
		if (len == cap) {
			grown = realloc(text, 2 * cap + 1);
			if (!grown) {
				ret = fail(-ENOMEM, "out of memory");
				goto out_close;
			}
			text = grown;
			cap *= 2;
		}
		got = read(fd, text + len, cap - len);
		if (got < 0 && errno == EINTR && !rec_stop)
			continue;
		if (got < 0) {
			ret = rec_stop ? fail(-EINTR, "interrupted") :
			      fail(-errno, "reading the metadata: %s",
				   strerror(errno));
			goto out_close;
		}
		if (!got)
			break;
		len += got;
	}
	text[len] = '\0';
	parse_clock(sn, text);

	out = openat(sn->kfd, "metadata", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
		     0644);
	if (out < 0) {
		ret = fail(-errno, "%s/metadata: %s", sn->kdir, strerror(errno));
		goto out_close;
	}
	sn->metadata_made = true;
	ret = write_all(out, text, len);
	if (close(out) && !ret)
		ret = -errno;
	if (ret)
		fail(ret, "writing %s/metadata: %s", sn->kdir, strerror(-ret));
	sn->metadata_bytes = len;
out_close:
	close(fd);
out_free:
	free(text);
	return ret;
}

/* Moves @len bytes from the pipe to @out. */
static int drain_pipe(struct rec_snap *sn, int out, size_t len)
{
	char buf[65536];
	ssize_t n;
	int ret;

	while (len) {
		n = splice(sn->pipe[0], NULL, out, NULL, len, SPLICE_F_MOVE);
		if (n > 0) {
			len -= n;
			continue;
		}
		if (n < 0 && errno == EINTR && !rec_stop)
			continue;
		if (n < 0 && errno != EINVAL)
			return -errno;
		/* A file system without splice_write: copy. */
		n = read(sn->pipe[0], buf, len < sizeof(buf) ? len : sizeof(buf));
		if (n < 0 && errno == EINTR && !rec_stop)
			continue;
		if (n <= 0)
			return n ? -errno : -EIO;
		ret = write_all(out, buf, n);
		if (ret)
			return ret;
		len -= n;
	}
	return 0;
}

/* Copies the held packet, @len bytes, stream fd -> pipe -> @out. */
static int splice_packet(struct rec_snap *sn, struct rec_stream *s, int out,
			 uint64_t len)
{
	uint64_t done = 0;
	ssize_t n;
	size_t chunk;
	int ret;

	while (done < len) {
		chunk = len - done < sn->pipe_size ? len - done : sn->pipe_size;
		n = splice(s->fd, NULL, sn->pipe[1], NULL, chunk, SPLICE_F_MOVE);
		if (n < 0 && errno == EINTR && !rec_stop)
			continue;
		if (n < 0)
			return rec_stop ? fail(-EINTR, "interrupted") :
			       fail(-errno, "%s: splice: %s", s->file,
				    strerror(errno));
		if (!n)
			return fail(-EIO, "%s: the packet ended early", s->file);
		ret = drain_pipe(sn, out, n);
		if (ret)
			return rec_stop ? fail(-EINTR, "interrupted") :
			       fail(ret, "writing %s/%s: %s", sn->kdir, s->file,
				    strerror(-ret));
		done += n;
	}
	return 0;
}

/*
 * Gets, copies and puts the packet at @pos. Returns 1 when it could not be
 * got (EAGAIN: lost), 0 when copied, or a negative errno.
 */
static int copy_packet(struct rec_snap *sn, struct rec_stream *s, int out,
		       uint64_t pos, const struct ktrace_packet_index_entry *plan)
{
	struct ktrace_packet_info info = { .size = sizeof(info) };
	uint64_t len;
	int ret;

	if (ioctl(s->fd, KTRACE_STREAM_GET_SUBBUF, &pos) < 0) {
		if (errno == EAGAIN)
			return 1;
		return fail(-errno, "%s: GET_SUBBUF at %" PRIu64 ": %s",
			    s->file, pos, strerror(errno));
	}
	ret = stream_u64(s, KTRACE_STREAM_GET_PADDED_SUBBUF_SIZE, &len,
			 "GET_PADDED_SUBBUF_SIZE");
	if (!ret && ioctl(s->fd, KTRACE_STREAM_GET_PACKET_INFO, &info) < 0)
		ret = fail(-errno, "%s: GET_PACKET_INFO: %s", s->file,
			   strerror(errno));
	/* Not the packet the window was planned with: do not overspend. */
	if (!ret && plan && (info.seq != plan->seq || len != plan->packet_size))
		ret = 1;
	if (!ret && len > s->subbuf_size)
		ret = fail(-EPROTO, "%s: a %" PRIu64 "-byte packet in %" PRIu64
			   "-byte sub-buffers", s->file, len, s->subbuf_size);
	if (!ret)
		ret = splice_packet(sn, s, out, len);
	/* Always put what was got, whatever happened since. */
	if (ioctl(s->fd, KTRACE_STREAM_PUT_SUBBUF) < 0 && !ret)
		ret = fail(-errno, "%s: PUT_SUBBUF: %s", s->file,
			   strerror(errno));
	if (ret)
		return ret;
	s->copied[s->ncopied++] = (struct ktrace_packet_index_entry) {
		.pos = pos,
		.timestamp_begin = info.timestamp_begin,
		.timestamp_end = info.timestamp_end,
		.seq = info.seq,
		.content_size = info.content_size,
		.packet_size = len,
	};
	s->bytes += len;
	return 0;
}

/* Copies the budgeted packets of stream @i to kernel/<channel>_<cpu>. */
static int snap_stream(struct rec *r, struct rec_snap *sn, size_t i)
{
	struct rec_stream *s = &r->streams[i];
	bool window = r->req->policy == CLI_POLICY_WINDOW;
	uint64_t k, count, pos;
	int out, ret = 0;

	s->ncopied = 0;
	s->bytes = 0;
	s->lost = 0;
	count = window ? s->nindex - r->first[i] : r->ranges[i].packets;
	if (count > s->copied_cap) {
		void *grown = realloc(s->copied, count * sizeof(*s->copied));

		if (!grown)
			return fail(-ENOMEM, "out of memory");
		s->copied = grown;
		s->copied_cap = count;
	}
	out = openat(sn->kfd, s->file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
		     0644);
	if (out < 0)
		return fail(-errno, "%s/%s: %s", sn->kdir, s->file,
			    strerror(errno));
	sn->files_made = i + 1;

	for (k = 0; k < count && !ret; k++) {
		const struct ktrace_packet_index_entry *plan = NULL;

		if (rec_stop) {
			ret = fail(-EINTR, "interrupted");
			break;
		}
		if (window) {
			plan = &s->index[r->first[i] + k];
			pos = plan->pos;
		} else {
			pos = r->ranges[i].start + k * s->subbuf_size;
		}
		ret = copy_packet(sn, s, out, pos, plan);
		if (ret == 1) {
			s->lost++;
			ret = 0;
		}
	}
	if (close(out) && !ret)
		ret = fail(-errno, "writing %s/%s: %s", sn->kdir, s->file,
			   strerror(errno));
	sn->bytes += s->bytes;
	sn->packets += s->ncopied;
	sn->lost += s->lost;
	return ret;
}

/* ---- summary ---- */

static void print_time(char *buf, size_t len, const struct rec_snap *sn,
		       uint64_t ts)
{
	int64_t ns = sn->offset_ns + (int64_t)(ts % 1000000000);
	time_t secs = sn->offset_s + (time_t)(ts / 1000000000);
	struct tm tm;

	secs += ns / 1000000000;
	ns %= 1000000000;
	if (ns < 0) {
		ns += 1000000000;
		secs--;
	}
	if (!gmtime_r(&secs, &tm) ||
	    !strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm)) {
		snprintf(buf, len, "?");
		return;
	}
	snprintf(buf + strlen(buf), len - strlen(buf), ".%09lldZ",
		 (long long)ns);
}

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

static void snap_print(struct rec *r, const struct rec_snap *sn)
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
		print_time(begin, sizeof(begin), sn, span.begin);
		print_time(end, sizeof(end), sn, span.end);
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

/* ---- one snapshot ---- */

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
		return fail(-EINTR, "interrupted");
	ret = rec_sample(r);
	if (!ret)
		ret = rec_budget(r, o);
	if (ret)
		goto out;

	if (pipe2(sn.pipe, O_CLOEXEC)) {
		ret = fail(-errno, "pipe: %s", strerror(errno));
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
	if (ret) {
		char why[sizeof(rec_err)];

		memcpy(why, rec_err, sizeof(why));
		snap_undo(r, &sn);
		if (sn.dir_made)
			fail(ret, "%s (removed the partial snapshot %s)", why,
			     sn.dir);
		goto out;
	}
	snap_print(r, &sn);
	fflush(stdout);
out:
	snap_free(&sn);
	return ret;
}

int snapshot_record(struct ktnl *nl, const char *session,
		    const struct cli_record *req)
{
	struct sigaction sa = { .sa_handler = rec_on_signal }, old_int, old_term;
	struct rec r = { .nl = nl, .req = req, .session = session, .dev = -1 };
	time_t now = time(NULL);
	size_t i, done = 0;
	int ret;

	if (!session)
		return fail(-EINVAL, "no session");
	if (!localtime_r(&now, &r.tm))
		return fail(-EINVAL, "cannot read the local time");

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
		ret = rec_outputs(&r);
	if (!ret)
		ret = rec_open_streams(&r);
	if (!ret)
		ret = rec_check_equal(&r);
	for (i = 0; !ret && i < r.noutputs; i++) {
		ret = rec_snapshot(&r, &r.outputs[i]);
		if (!ret)
			done++;
	}
	/* Close the streams (and so release them) before anything else. */
	rec_close_streams(&r);

	if (done) {
		int bump = ktnl_snapshot_bump(nl, session, NULL);

		if (bump && !ret)
			ret = fail(bump, "snapshot written, but counting it failed: %s",
				   kernel_reason(nl, bump));
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	return ret;
}
