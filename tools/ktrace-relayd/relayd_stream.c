// SPDX-License-Identifier: GPL-2.0
/*
 * A streamed trace (relayd.h, docs/RELAY.md "Streaming"): a normal
 * session's consumer sends its metadata as it grows and each packet as it
 * is consumed; they are written under <output-dir>/<host>/<session>/kernel/
 * by the very code that writes a local output's files (tracefile.c): the
 * same names, rotation and bytes.
 *
 * Every file holds whole packets only: a packet is announced with its
 * size, written as its bytes come, checked (a CTF packet header whose
 * packet_size is that size) when complete, and cut off if the connection
 * ends or is refused before then. A trace whose sender did not end it
 * gets <session>/INTERRUPTED, a line saying why and when.
 *
 * The session's directory is locked (flock) while a sender streams into
 * it: a second sender of the same host and session is refused, and each
 * stream file is locked too, so that two streams never share one.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "consumer_path.h"
#include "relayd.h"

#define INTERRUPTED	"INTERRUPTED"

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static void free_streams(struct conn *c)
{
	size_t i;

	for (i = 0; i < c->nr_streams; i++) {
		if (!c->streams[i])
			continue;
		tracefile_close(&c->streams[i]->tf);
		free(c->streams[i]);
	}
	free(c->streams);
	c->streams = NULL;
	c->nr_streams = 0;
	c->cur = NULL;
}

/* Every file and the directory on disk. Return: 0 or an errno. */
static int sync_all(struct conn *c)
{
	size_t i;

	for (i = 0; i < c->nr_streams; i++)
		if (c->streams[i] && c->streams[i]->tf.out >= 0 &&
		    fdatasync(c->streams[i]->tf.out))
			return errno;
	if (fdatasync(c->md_fd) || fsync(c->kfd))
		return errno;
	return 0;
}

static void end_trace(struct conn *c)
{
	free_streams(c);
	close_fd(&c->md_fd);
	close_fd(&c->kfd);
	close_fd(&c->sess_fd);	/* and its lock */
	c->streaming = false;
}

/* A tracefile's failure: a full disk is the receiver full. */
static void file_refuse(struct conn *c, int ret, const char *err)
{
	if (ret == -ENOSPC || ret == -EDQUOT)
		conn_io_refuse(c, -ret, err);
	else
		conn_refuse(c, RELAY_E_IO, "kernel/%s", err);
}

void stream_begin(const struct relayd_conf *conf, struct conn *c,
		  struct relay_reader *r)
{
	uint8_t ready[8];
	uint16_t flags;
	off_t size;
	int fl;

	if (!conn_get_name(c, r, c->host, RELAY_NAME_MAX, "host") ||
	    !conn_get_name(c, r, c->session, RELAY_NAME_MAX, "session"))
		return;
	flags = relay_get16(r);
	if (r->bad || r->len || (flags & ~RELAY_STREAM_CONTINUE)) {
		conn_refuse(c, RELAY_E_PROTOCOL, "a malformed STREAM_BEGIN");
		return;
	}
	if (c->files + 1 > conf->max_files) {
		conn_refuse(c, RELAY_E_FULL, "more than %" PRIu64 " files from this sender",
			    conf->max_files);
		return;
	}
	if (!conn_open_session(conf, c))
		return;
	if (flock(c->sess_fd, LOCK_EX | LOCK_NB)) {
		close_fd(&c->sess_fd);
		conn_refuse(c, RELAY_E_STREAMING, "%s/%s is being streamed by another sender",
			    c->host, c->session);
		return;
	}
	c->kfd = conn_open_dir(c->sess_fd, "kernel",
			       !(flags & RELAY_STREAM_CONTINUE));
	if (c->kfd < 0) {
		if (errno == EEXIST)
			conn_refuse(c, RELAY_E_EXISTS, "%s/%s holds a trace already",
				    c->host, c->session);
		else
			conn_io_refuse(c, errno, "kernel");
		return;
	}
	fl = O_RDWR | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC;
	if (!(flags & RELAY_STREAM_CONTINUE))
		fl |= O_EXCL;
	c->md_fd = openat(c->kfd, "metadata", fl, 0644);
	size = c->md_fd >= 0 ? lseek(c->md_fd, 0, SEEK_END) : -1;
	if (size < 0) {
		int err = errno;

		/* Not a trace of ours yet: nothing to mark, nothing to drop. */
		close_fd(&c->md_fd);
		close_fd(&c->kfd);
		conn_io_refuse(c, err, "kernel/metadata");
		return;
	}
	/* From here on a refusal or the end is stream_drop()'s. */
	c->streaming = true;
	if (!(flags & RELAY_STREAM_CONTINUE))
		unlinkat(c->sess_fd, INTERRUPTED, 0);
	c->files++;
	c->cont = flags & RELAY_STREAM_CONTINUE;
	c->stream_bytes = c->stream_packets = 0;
	relay_put64(ready, size);
	c->state = CONN_STREAM;
	relayd_log("%s: %s stream %s/%s (metadata from byte %jd)", c->peer,
		   flags & RELAY_STREAM_CONTINUE ? "continuing" : "new",
		   c->host, c->session, (intmax_t)size);
	/* After the log: a test that saw the reply sees the line. */
	conn_send(c, RELAY_STREAM_READY, ready, sizeof(ready));
}

void stream_open(const struct relayd_conf *conf, struct conn *c,
		 struct relay_reader *r)
{
	uint32_t id = relay_get32(r), cpu = relay_get32(r);
	uint64_t size = relay_get64(r);
	uint32_t count = relay_get32(r);
	char chan[RELAY_CHANNEL_NAME_MAX + 1], err[160];
	struct rstream *s, **more;
	size_t n;
	int ret;

	if (!conn_get_name(c, r, chan, RELAY_CHANNEL_NAME_MAX, "channel"))
		return;
	if (r->len) {
		conn_refuse(c, RELAY_E_PROTOCOL, "trailing bytes in STREAM_OPEN");
		return;
	}
	if (id >= RELAY_STREAM_MAX || (id < c->nr_streams && c->streams[id])) {
		conn_refuse(c, RELAY_E_PROTOCOL, "stream id %u %s", id,
			    id >= RELAY_STREAM_MAX ? "out of range" :
			    "declared twice");
		return;
	}
	if (c->files + 1 > conf->max_files) {
		conn_refuse(c, RELAY_E_FULL, "more than %" PRIu64 " files from this sender",
			    conf->max_files);
		return;
	}
	if (id >= c->nr_streams) {
		n = c->nr_streams ? c->nr_streams : 16;
		while (n <= id)
			n *= 2;
		more = realloc(c->streams, n * sizeof(*more));
		if (!more) {
			conn_refuse(c, RELAY_E_BUSY, "out of memory");
			return;
		}
		memset(more + c->nr_streams, 0,
		       (n - c->nr_streams) * sizeof(*more));
		c->streams = more;
		c->nr_streams = n;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		conn_refuse(c, RELAY_E_BUSY, "out of memory");
		return;
	}
	memcpy(s->chan, chan, sizeof(s->chan));
	c->streams[id] = s;
	tracefile_init(&s->tf, c->kfd, s->chan, cpu, size, count);
	ret = tracefile_open(&s->tf, c->cont, err, sizeof(err));
	if (ret) {
		file_refuse(c, ret, err);
		return;
	}
	c->files += s->tf.opened;
	if (flock(s->tf.out, LOCK_EX | LOCK_NB))
		conn_refuse(c, RELAY_E_PROTOCOL, "stream %s_%u declared twice",
			    s->chan, cpu);
}

static bool under_limit(const struct relayd_conf *conf, struct conn *c,
			uint64_t len)
{
	if (c->bytes + len <= conf->max_bytes && c->bytes + len >= len)
		return true;
	conn_refuse(c, RELAY_E_FULL, "more than %" PRIu64 " bytes from this sender",
		    conf->max_bytes);
	return false;
}

/* Writes @len bytes at @fd's offset; false (refused) on error. */
static bool write_out(struct conn *c, int fd, const uint8_t *p, size_t len,
		      const char *what)
{
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			conn_io_refuse(c, n ? errno : EIO, what);
			return false;
		}
		p += n;
		len -= n;
		c->bytes += n;
		c->stream_bytes += n;
	}
	return true;
}

void stream_metadata(const struct relayd_conf *conf, struct conn *c,
		     const uint8_t *p, size_t len)
{
	if (under_limit(conf, c, len))
		write_out(c, c->md_fd, p, len, "kernel/metadata");
}

void stream_packet(const struct relayd_conf *conf, struct conn *c,
		   struct relay_reader *r)
{
	uint32_t id = relay_get32(r);
	uint64_t size = relay_get64(r), opened;
	struct rstream *s;
	char err[160];
	int ret;

	if (id >= c->nr_streams || !c->streams[id]) {
		conn_refuse(c, RELAY_E_PROTOCOL, "stream id %u not declared", id);
		return;
	}
	if (size < CONSUMER_PACKET_HEADER || size > RELAY_PACKET_MAX) {
		conn_refuse(c, RELAY_E_PROTOCOL, "a packet of %" PRIu64 " bytes",
			    size);
		return;
	}
	/* The whole packet, or none of it: refused before its first byte. */
	if (!under_limit(conf, c, size))
		return;
	s = c->streams[id];
	opened = s->tf.opened;
	if (s->tf.size && consumer_rotate_needed(s->tf.file_bytes, size,
						 s->tf.size) &&
	    c->files + 1 > conf->max_files) {
		conn_refuse(c, RELAY_E_FULL, "more than %" PRIu64 " files from this sender",
			    conf->max_files);
		return;
	}
	ret = tracefile_before_packet(&s->tf, size, err, sizeof(err));
	c->files += s->tf.opened - opened;
	if (!ret && s->tf.opened != opened &&
	    flock(s->tf.out, LOCK_EX | LOCK_NB))
		ret = -errno;
	if (ret) {
		file_refuse(c, ret, err);
		return;
	}
	c->cur = s;
	c->pkt_start = s->tf.file_bytes;
	c->pkt_size = c->pkt_left = size;
	c->state = CONN_PACKET;
}

void stream_data(const struct relayd_conf *conf, struct conn *c,
		 const uint8_t *p, size_t len)
{
	unsigned char hdr[CONSUMER_PACKET_HEADER];
	struct tracefile *tf = &c->cur->tf;

	(void)conf;	/* the packet was counted against the limit whole */
	if (len > c->pkt_left) {
		conn_refuse(c, RELAY_E_PROTOCOL, "%zu bytes in a packet that has %" PRIu64 " left",
			    len, c->pkt_left);
		return;
	}
	if (!write_out(c, tf->out, p, len, c->cur->chan))
		return;
	c->pkt_left -= len;
	if (c->pkt_left)
		return;
	/* Whole: a CTF packet of the announced size, else refused (cut). */
	if (pread(tf->out, hdr, sizeof(hdr), c->pkt_start) != sizeof(hdr) ||
	    consumer_packet_size(hdr, c->pkt_size) != c->pkt_size) {
		conn_refuse(c, RELAY_E_PROTOCOL, "stream %s_%u: not a CTF packet of %" PRIu64 " bytes",
			    c->cur->chan, tf->cpu, c->pkt_size);
		return;
	}
	tf->file_bytes += c->pkt_size;
	c->stream_packets++;
	c->cur = NULL;
	c->state = CONN_STREAM;
}

void stream_sync(struct conn *c)
{
	uint8_t buf[8];
	int err = sync_all(c);

	if (err) {
		conn_io_refuse(c, err, "sync");
		return;
	}
	relay_put64(buf, c->stream_bytes);
	conn_send(c, RELAY_STREAM_SYNCED, buf, sizeof(buf));
}

void stream_end(struct conn *c)
{
	int err = sync_all(c);

	if (err) {
		conn_io_refuse(c, err, "sync");
		return;
	}
	relayd_log("%s: received stream %s/%s: %" PRIu64 " bytes, %" PRIu64 " packets",
		   c->peer, c->host, c->session, c->stream_bytes,
		   c->stream_packets);
	end_trace(c);
	c->state = CONN_READY;
}

void stream_drop(struct conn *c, const char *why)
{
	char line[512], when[32];
	struct tm tm;
	time_t now = time(NULL);
	int fd, n;

	if (!c->streaming)
		return;
	/* A packet not received whole: never left at a file's end. */
	if (c->state == CONN_PACKET && c->cur &&
	    tracefile_truncate(&c->cur->tf, c->pkt_start))
		relayd_log("%s: cannot cut %s_%u back to its last whole packet: %s",
			   c->peer, c->cur->chan, c->cur->tf.cpu, strerror(errno));
	if (c->md_fd >= 0)
		sync_all(c);
	if (!localtime_r(&now, &tm) ||
	    !strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm))
		snprintf(when, sizeof(when), "?");
	n = snprintf(line, sizeof(line),
		     "%s: stream from %s interrupted: %s; each file ends at its last whole packet\n",
		     when, c->peer, why);
	fd = openat(c->sess_fd, INTERRUPTED, O_WRONLY | O_CREAT | O_APPEND |
		    O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd >= 0) {
		if (write(fd, line, n) != n)
			relayd_log("%s: cannot write %s/%s/" INTERRUPTED,
				   c->peer, c->host, c->session);
		fsync(fd);
		close(fd);
	}
	relayd_log("%s: stream %s/%s interrupted: %s", c->peer, c->host,
		   c->session, why);
	end_trace(c);
}
