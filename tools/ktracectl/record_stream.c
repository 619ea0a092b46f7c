// SPDX-License-Identifier: GPL-2.0
/*
 * snapshot record's stream I/O (record_internal.h): open every stream
 * (channel x possible CPU) through /dev/ktrace, flush and sample them, and
 * copy a stream's budgeted packets: GET_SUBBUF, splice the padded packet
 * stream fd -> pipe -> file, PUT_SUBBUF, always paired.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "budget.h"
#include "cli.h"
#include "ktracectl.h"
#include "record.h"
#include "record_internal.h"
#include "snapshot_path.h"
#include "splice_io.h"

#define POSSIBLE_CPUS		"/sys/devices/system/cpu/possible"

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
		if (!record_parse_cpus(buf, cpus, n))
			return 0;
	}
	/* No sysfs: CPUs 0 .. streams - 1. */
	if (!chan->streams)
		return rec_fail(-EIO, "cannot read %s", POSSIBLE_CPUS);
	*cpus = calloc(chan->streams, sizeof(**cpus));
	if (!*cpus)
		return rec_fail(-ENOMEM, "out of memory");
	for (i = 0; i < chan->streams; i++)
		(*cpus)[i] = i;
	*n = chan->streams;
	return 0;
}

static int stream_u64(const struct rec_stream *s, unsigned long req,
		      uint64_t *v, const char *what)
{
	if (ioctl(s->fd, req, v) < 0)
		return rec_fail(-errno, "%s cpu %u: %s: %s", s->chan->name, s->cpu,
			    what, strerror(errno));
	return 0;
}

/* Opens every stream: every CPU of every channel. */
int rec_open_streams(struct rec *r)
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
		ret = rec_fail(-ENOMEM, "out of memory");
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
				rec_fail(ret, "channel '%s': %s", chan->name, why);
				goto out;
			}
			s->fd = ioctl(r->dev, KTRACE_IOC_OPEN_STREAM, &open);
			if (s->fd < 0) {
				ret = -errno;
				if (ret == -EBUSY)
					rec_fail(ret, "stream %s of session '%s' is being read by another process",
					     s->file, r->sess.name);
				else
					rec_fail(ret, "opening stream %s: %s",
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
				ret = rec_fail(-ENOMEM, "out of memory");
				goto out;
			}
		}
	}
	ret = 0;
out:
	free(cpus);
	return ret;
}

void rec_close_streams(struct rec *r)
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
			return rec_fail(-errno, "%s: PACKET_INDEX: %s", s->file,
				    strerror(errno));
		grown = realloc(s->index, idx.count * sizeof(*s->index));
		if (!grown)
			return rec_fail(-ENOMEM, "out of memory");
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
int rec_sample(struct rec *r)
{
	size_t i;
	int ret;

	for (i = 0; i < r->nstreams; i++)
		if (ioctl(r->streams[i].fd, KTRACE_STREAM_FLUSH) < 0)
			return rec_fail(-errno, "%s: FLUSH: %s", r->streams[i].file,
				    strerror(errno));
	for (i = 0; i < r->nstreams; i++) {
		struct rec_stream *s = &r->streams[i];

		if (ioctl(s->fd, KTRACE_STREAM_SNAPSHOT) < 0)
			return rec_fail(-errno, "%s: SNAPSHOT: %s", s->file,
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
 * A net:// output: stream fd -> pipe -> the relay client, which says why
 * when it fails.
 */
static int net_packet(struct rec_snap *sn, struct rec_stream *s, uint64_t len)
{
	uint64_t done = 0;
	size_t chunk;
	ssize_t n;
	int ret;

	while (done < len) {
		chunk = len - done < sn->pipe_size ? len - done : sn->pipe_size;
		n = splice(s->fd, NULL, sn->pipe[1], NULL, chunk, SPLICE_F_MOVE);
		if (n < 0 && errno == EINTR && !rec_stop)
			continue;
		if (n < 0)
			return rec_stop ? rec_fail(-EINTR, "interrupted") :
			       rec_fail(-errno, "%s: splice: %s", s->file,
				    strerror(errno));
		if (!n)
			return rec_fail(-EIO, "%s: the packet ended early", s->file);
		ret = net_copy_pipe(sn, n);
		if (ret)
			return ret;
		done += n;
	}
	return 0;
}

/* Copies the held packet, @len bytes, stream fd -> pipe -> @out. */
static int splice_packet(struct rec_snap *sn, struct rec_stream *s, int out,
			 uint64_t len)
{
	enum splice_side side;
	int ret;

	if (sn->net)
		return net_packet(sn, s, len);
	ret = splice_packet_to(s->fd, sn->pipe, sn->pipe_size, out, len,
			       &rec_stop, &side);
	if (!ret)
		return 0;
	if (rec_stop)
		return rec_fail(-EINTR, "interrupted");
	if (side == SPLICE_SIDE_WRITE)
		return rec_fail(ret, "writing %s/%s: %s", sn->kdir, s->file,
			    strerror(-ret));
	if (ret == -EIO)
		return rec_fail(-EIO, "%s: the packet ended early", s->file);
	return rec_fail(ret, "%s: splice: %s", s->file, strerror(-ret));
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
		return rec_fail(-errno, "%s: GET_SUBBUF at %" PRIu64 ": %s",
			    s->file, pos, strerror(errno));
	}
	/*
	 * The packet's padded size is in its info (the size
	 * GET_PADDED_SUBBUF_SIZE gives): one ioctl per packet fewer.
	 */
	ret = 0;
	if (ioctl(s->fd, KTRACE_STREAM_GET_PACKET_INFO, &info) < 0)
		ret = rec_fail(-errno, "%s: GET_PACKET_INFO: %s", s->file,
			   strerror(errno));
	len = info.packet_size;
	/* Not the packet the window was planned with: do not overspend. */
	if (!ret && plan && (info.seq != plan->seq || len != plan->packet_size))
		ret = 1;
	if (!ret && len > s->subbuf_size)
		ret = rec_fail(-EPROTO, "%s: a %" PRIu64 "-byte packet in %" PRIu64
			   "-byte sub-buffers", s->file, len, s->subbuf_size);
	if (!ret)
		ret = splice_packet(sn, s, out, len);
	/* Always put what was got, whatever happened since. */
	if (ioctl(s->fd, KTRACE_STREAM_PUT_SUBBUF) < 0 && !ret)
		ret = rec_fail(-errno, "%s: PUT_SUBBUF: %s", s->file,
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
int snap_stream(struct rec *r, struct rec_snap *sn, size_t i)
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
			return rec_fail(-ENOMEM, "out of memory");
		s->copied = grown;
		s->copied_cap = count;
	}
	out = sn->net ? net_file_open(sn, s->file) :
	      openat(sn->kfd, s->file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
		     0644);
	if (out < 0 && sn->net)
		return out;
	if (out < 0)
		return rec_fail(-errno, "%s/%s: %s", sn->kdir, s->file,
			    strerror(errno));
	sn->files_made = i + 1;

	for (k = 0; k < count && !ret; k++) {
		const struct ktrace_packet_index_entry *plan = NULL;

		if (rec_stop) {
			ret = rec_fail(-EINTR, "interrupted");
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
	if (sn->net) {
		if (!ret)
			ret = net_file_close(sn);
	} else if (close(out) && !ret) {
		ret = rec_fail(-errno, "writing %s/%s: %s", sn->kdir, s->file,
			   strerror(errno));
	}
	sn->bytes += s->bytes;
	sn->packets += s->ncopied;
	sn->lost += s->lost;
	return ret;
}
