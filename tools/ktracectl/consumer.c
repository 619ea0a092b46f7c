// SPDX-License-Identifier: GPL-2.0
/*
 * The streaming consumer process (consumer.h). It attaches as the
 * session's consumer (KTRACE_IOC_OPEN_CONSUMER, so the kernel knows its
 * pid and refuses a second one), opens the metadata fd and every stream
 * fd (channel x possible CPU), and loops on poll:
 *
 *   - a stream fd readable: GET_NEXT_SUBBUF, splice its padded size to
 *     the stream's file, PUT_NEXT_SUBBUF, in order, at most a ring's worth
 *     of packets per turn so that no stream starves the others;
 *   - the metadata fd readable: its new bytes appended to kernel/metadata;
 *   - the consumer fd readable (a stop): GET_STOP_SEQ, drain every stream
 *     until it has nothing closed, append the metadata, fsync every file
 *     and the directory, report synced_stop_seq;
 *   - the consumer fd hung up (the session destroyed): the same, then
 *     exit. SIGTERM (ktracectl start replacing it) also drains and exits.
 *
 * Rotation: with a tracefile size, a stream writes <channel>_<cpu>_<k>
 * and starts k + 1 before a packet would take the file past the size; with
 * a count, starting k deletes k - count. Every file starts with a whole
 * packet, so each one is readable alone.
 *
 * Appending (a consumer that follows a dead or replaced one): every file
 * is cut back to its last whole packet, then written after it; the
 * metadata fd is read from the metadata file's size on.
 *
 * A write failure (a full disk) stops all writing: the error goes to the
 * kernel (CONSUMER_ERROR), and the consumer keeps getting and putting
 * packets without writing them, so the buffers keep moving and nothing
 * waits on it.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "consumer.h"
#include "consumer_path.h"
#include "ktracectl.h"
#include "record.h"
#include "splice_io.h"

#define POSSIBLE_CPUS	"/sys/devices/system/cpu/possible"
/* A safety net: every wakeup comes from the kernel. */
#define POLL_MS		1000

struct cstream {
	int fd;
	const struct ktnl_channel *chan;
	unsigned int cpu;
	int out;
	bool rotating;
	uint64_t k;		/* index of the current file */
	uint64_t file_bytes;
	bool done;		/* hung up: destroyed and drained */
};

struct cons {
	const struct consumer_cfg *cfg;
	int dev;
	int cfd;
	int mdfd;
	int kfd;
	int mdout;
	struct cstream *s;
	size_t n;
	struct pollfd *pfd;	/* consumer, metadata, then the streams */
	int pipe[2];
	size_t pipe_size;
	bool failed;		/* a write failed: write nothing more */
	struct ktrace_consumer_stats st;
	char why[256];
};

static volatile sig_atomic_t cons_term;

static void on_term(int sig)
{
	(void)sig;
	cons_term = 1;
}

static int why(struct cons *c, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int why(struct cons *c, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->why, sizeof(c->why), fmt, ap);
	va_end(ap);
	return err;
}

static int possible_cpus(unsigned int **cpus, size_t *n)
{
	char buf[4096];
	ssize_t len = -1;
	int fd;

	fd = open(POSSIBLE_CPUS, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		len = read(fd, buf, sizeof(buf) - 1);
		close(fd);
	}
	if (len <= 0)
		return -EIO;
	buf[len] = '\0';
	return record_parse_cpus(buf, cpus, n);
}

/* Cuts @fd back to its last whole packet; returns its new size. */
static int64_t whole_packets(int fd)
{
	unsigned char hdr[CONSUMER_PACKET_HEADER];
	off_t end = lseek(fd, 0, SEEK_END);
	uint64_t off = 0, size;

	if (end < 0)
		return -errno;
	while ((uint64_t)end - off >= sizeof(hdr)) {
		if (pread(fd, hdr, sizeof(hdr), off) != (ssize_t)sizeof(hdr))
			return -EIO;	/* never cut what could not be read */
		size = consumer_packet_size(hdr, (uint64_t)end - off);
		if (!size)
			break;
		off += size;
	}
	if (off != (uint64_t)end && ftruncate(fd, off))
		return -errno;
	/* Write after the last whole packet, never past a hole. */
	if (lseek(fd, off, SEEK_SET) < 0)
		return -errno;
	return off;
}

/* Opens file k of @s, for appending when it exists. */
static int open_file(struct cons *c, struct cstream *s)
{
	char name[KTRACE_NAME_LEN + 48];
	int64_t size;
	uint64_t old;
	int ret;

	ret = consumer_tracefile(name, sizeof(name), s->chan->name, s->cpu,
				 s->rotating, s->k);
	if (ret)
		return why(c, ret, "channel '%s': no file name", s->chan->name);
	/* Read too: an appended file is checked for whole packets first. */
	s->out = openat(c->kfd, name, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (s->out < 0)
		return why(c, -errno, "%s/%s: %s", c->cfg->kdir, name,
			   strerror(errno));
	size = whole_packets(s->out);
	if (size < 0)
		return why(c, (int)size, "%s/%s: %s", c->cfg->kdir, name,
			   strerror((int)-size));
	s->file_bytes = size;
	if (s->rotating && consumer_file_to_delete(s->k, s->chan->tracefile_count,
						   &old)) {
		consumer_tracefile(name, sizeof(name), s->chan->name, s->cpu,
				   true, old);
		unlinkat(c->kfd, name, 0);
	}
	return 0;
}

/*
 * A rotating stream that follows another consumer: its newest file is
 * cut to whole packets and the next one is started, the oldest beyond
 * the count deleted.
 */
static int first_file(struct cons *c, struct cstream *s)
{
	uint64_t k, max = 0, oldest = UINT64_MAX, j;
	char name[KTRACE_NAME_LEN + 48];
	bool any = false;
	struct dirent *d;
	DIR *dir;
	int fd;

	if (!s->rotating || !c->cfg->append)
		return open_file(c, s);
	fd = openat(c->kfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	dir = fd >= 0 ? fdopendir(fd) : NULL;
	if (!dir)
		return why(c, -errno, "%s: %s", c->cfg->kdir, strerror(errno));
	while ((d = readdir(dir))) {
		if (!consumer_tracefile_index(d->d_name, s->chan->name, s->cpu,
					      &k))
			continue;
		any = true;
		if (k > max)
			max = k;
		if (k < oldest)
			oldest = k;
	}
	closedir(dir);
	if (!any)
		return open_file(c, s);
	s->k = max;
	if (open_file(c, s))
		return -EIO;
	close(s->out);
	s->out = -1;
	s->k = max + 1;
	/* What a count now keeps: files k - count + 1 .. k. */
	if (s->chan->tracefile_count)
		for (j = oldest; j + s->chan->tracefile_count <= s->k; j++) {
			consumer_tracefile(name, sizeof(name), s->chan->name,
					   s->cpu, true, j);
			unlinkat(c->kfd, name, 0);
		}
	return open_file(c, s);
}

static int open_all(struct cons *c)
{
	const struct consumer_cfg *cfg = c->cfg;
	struct ktrace_open_consumer oc = {
		.size = sizeof(oc), .session_id = cfg->session_id,
	};
	struct ktrace_open_metadata om = {
		.size = sizeof(om), .session_id = cfg->session_id,
	};
	unsigned int *cpus = NULL;
	size_t ncpus = 0, ch, k, i = 0;
	off_t mdsize;
	int ret;

	c->dev = ktracectl_dev_open();
	if (c->dev < 0)
		return why(c, c->dev, "cannot open %s", KTRACE_DEVICE_PATH);
	c->cfd = ioctl(c->dev, KTRACE_IOC_OPEN_CONSUMER, &oc);
	if (c->cfd < 0) {
		if (errno == EBUSY)
			return why(c, -EBUSY, "session '%s' has a consumer already",
				   cfg->session);
		if (errno == ENOTTY || errno == EINVAL)
			return why(c, -errno, "this ktrace module cannot stream (ABI 3 needed): %s",
				   strerror(errno));
		return why(c, -errno, "attaching the consumer: %s",
			   strerror(errno));
	}
	c->kfd = open(cfg->kdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (c->kfd < 0)
		return why(c, -errno, "%s: %s", cfg->kdir, strerror(errno));
	c->mdfd = ioctl(c->dev, KTRACE_IOC_OPEN_METADATA, &om);
	if (c->mdfd < 0)
		return why(c, -errno, "opening the metadata: %s", strerror(errno));
	c->mdout = openat(c->kfd, "metadata", O_WRONLY | O_CREAT | O_APPEND |
			  O_CLOEXEC, 0644);
	if (c->mdout < 0)
		return why(c, -errno, "%s/metadata: %s", cfg->kdir,
			   strerror(errno));
	mdsize = lseek(c->mdout, 0, SEEK_END);
	if (mdsize > 0 && lseek(c->mdfd, mdsize, SEEK_SET) != mdsize)
		return why(c, -EEXIST, "%s/metadata is not this session's: give another output",
			   cfg->kdir);

	ret = possible_cpus(&cpus, &ncpus);
	if (ret)
		return why(c, ret, "cannot read %s", POSSIBLE_CPUS);
	c->n = cfg->nr_channels * ncpus;
	c->s = calloc(c->n, sizeof(*c->s));
	c->pfd = calloc(c->n + 2, sizeof(*c->pfd));
	if (!c->s || !c->pfd) {
		free(cpus);
		return why(c, -ENOMEM, "out of memory");
	}
	for (i = 0; i < c->n; i++)
		c->s[i].fd = c->s[i].out = -1;
	i = 0;
	for (ch = 0; ch < cfg->nr_channels; ch++) {
		for (k = 0; k < ncpus; k++, i++) {
			struct cstream *s = &c->s[i];
			struct ktrace_open_stream os = {
				.size = sizeof(os),
				.session_id = cfg->session_id,
				.channel_id = cfg->channels[ch].id,
				.cpu = cpus[k],
			};

			s->chan = &cfg->channels[ch];
			s->cpu = cpus[k];
			s->rotating = s->chan->tracefile_size != 0;
			s->fd = ioctl(c->dev, KTRACE_IOC_OPEN_STREAM, &os);
			if (s->fd < 0) {
				ret = why(c, -errno, "stream %s_%u: %s",
					  s->chan->name, s->cpu, strerror(errno));
				break;
			}
			ret = first_file(c, s);
			if (ret)
				break;
		}
		if (ret)
			break;
	}
	free(cpus);
	if (ret)
		return ret;
	if (pipe2(c->pipe, O_CLOEXEC))
		return why(c, -errno, "pipe: %s", strerror(errno));
	fcntl(c->pipe[1], F_SETPIPE_SZ, 1 << 20);
	ret = fcntl(c->pipe[1], F_GETPIPE_SZ);
	c->pipe_size = ret > 0 ? (size_t)ret : 65536;
	return 0;
}

static void report(struct cons *c)
{
	ioctl(c->cfd, KTRACE_CONSUMER_SET_STATS, &c->st);
}

/* A write failed: no more writing, and the pipe may hold bytes: a new one. */
static void write_failed(struct cons *c, int err)
{
	c->failed = true;
	c->st.error = err;
	close(c->pipe[0]);
	close(c->pipe[1]);
	if (pipe2(c->pipe, O_CLOEXEC))
		c->pipe[0] = c->pipe[1] = -1;
	report(c);
}

static int write_packet(struct cons *c, struct cstream *s, uint64_t len)
{
	enum splice_side side;
	int ret;

	if (s->rotating && consumer_rotate_needed(s->file_bytes, len,
						  s->chan->tracefile_size)) {
		close(s->out);
		s->out = -1;
		s->k++;
		ret = open_file(c, s);
		if (ret)
			return ret;
	}
	if (c->pipe[0] < 0)
		return -EPIPE;
	ret = splice_packet_to(s->fd, c->pipe, c->pipe_size, s->out, len,
			       NULL, &side);
	if (!ret)
		s->file_bytes += len;
	return ret;
}

/*
 * Moves up to @max packets of @s to its file (0: all there are). Returns
 * 0, or a negative errno for a stream that failed (not a write).
 */
static int drain(struct cons *c, struct cstream *s, unsigned int max)
{
	unsigned int i;
	uint64_t len;
	int ret;

	for (i = 0; !max || i < max; i++) {
		if (ioctl(s->fd, KTRACE_STREAM_GET_NEXT_SUBBUF) < 0) {
			if (errno == ENODATA)
				s->done = true;
			if (errno == EAGAIN || errno == ENODATA)
				return 0;
			return -errno;
		}
		ret = 0;
		if (ioctl(s->fd, KTRACE_STREAM_GET_PADDED_SUBBUF_SIZE, &len) < 0)
			ret = -errno;
		if (!ret && !c->failed) {
			ret = write_packet(c, s, len);
			if (ret) {
				write_failed(c, -ret);
			} else {
				c->st.bytes_written += len;
				c->st.packets_written++;
			}
			ret = 0;
		}
		if (ioctl(s->fd, KTRACE_STREAM_PUT_NEXT_SUBBUF) < 0 && !ret)
			ret = -errno;
		if (ret)
			return ret;
	}
	return 0;
}

static void copy_metadata(struct cons *c)
{
	char buf[65536];
	ssize_t n;
	int ret;

	for (;;) {
		n = read(c->mdfd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		if (c->failed)
			continue;
		ret = splice_write_all(c->mdout, buf, n);
		if (ret)
			write_failed(c, -ret);
	}
}

/* Everything up to the stop sequence now, written and synced. */
static void sync_stop(struct cons *c)
{
	uint64_t seq;
	size_t i;

	if (ioctl(c->cfd, KTRACE_CONSUMER_GET_STOP_SEQ, &seq) < 0)
		return;
	for (i = 0; i < c->n; i++)
		drain(c, &c->s[i], 0);
	copy_metadata(c);
	if (!c->failed) {
		for (i = 0; i < c->n; i++)
			if (c->s[i].out >= 0 && fsync(c->s[i].out))
				write_failed(c, errno);
		if (fsync(c->mdout) || fsync(c->kfd))
			write_failed(c, errno);
	}
	if (seq > c->st.synced_stop_seq)
		c->st.synced_stop_seq = seq;
	report(c);
}

static int run(struct cons *c)
{
	unsigned int turn;
	bool changed;
	size_t i;
	int n;

	c->pfd[0] = (struct pollfd) { .fd = c->cfd, .events = POLLIN };
	c->pfd[1] = (struct pollfd) { .fd = c->mdfd, .events = POLLIN };
	for (i = 0; i < c->n; i++)
		c->pfd[i + 2] = (struct pollfd) { .fd = c->s[i].fd,
						  .events = POLLIN };
	copy_metadata(c);
	report(c);
	for (;;) {
		n = poll(c->pfd, c->n + 2, POLL_MS);
		if (cons_term) {
			sync_stop(c);
			return 0;
		}
		if (n < 0 && errno != EINTR)
			return 1;
		if (n <= 0)
			continue;
		changed = false;
		if (c->pfd[1].revents & POLLIN) {
			copy_metadata(c);
			changed = true;
		}
		if (c->pfd[1].revents & (POLLHUP | POLLERR | POLLNVAL))
			c->pfd[1].fd = -1;
		for (i = 0; i < c->n; i++) {
			struct pollfd *p = &c->pfd[i + 2];
			struct cstream *s = &c->s[i];

			if (!p->revents)
				continue;
			turn = s->chan->num_subbuf ? s->chan->num_subbuf : 4;
			if (p->revents & POLLIN) {
				if (drain(c, s, turn))
					p->fd = -1;
				changed = true;
			} else if (p->revents & (POLLHUP | POLLERR | POLLNVAL)) {
				/* Destroyed, and nothing more: done. */
				drain(c, s, 0);
				p->fd = -1;
			}
		}
		if (c->pfd[0].revents & (POLLIN | POLLHUP)) {
			sync_stop(c);
			if (c->pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL))
				return 0;
			changed = false;
		}
		if (changed)
			report(c);
	}
}

static void tell(int ready, int32_t status, const char *msg)
{
	char buf[sizeof(int32_t) + 256] = { 0 };
	int32_t pid = getpid();

	memcpy(buf, &status, sizeof(status));
	if (status)
		snprintf(buf + sizeof(status), sizeof(buf) - sizeof(status),
			 "%s", msg);
	else
		memcpy(buf + sizeof(status), &pid, sizeof(pid));
	splice_write_all(ready, buf, sizeof(buf));
	close(ready);
}

int consumer_main(const struct consumer_cfg *cfg, int ready)
{
	struct sigaction sa = { .sa_handler = on_term };
	struct cons c = {
		.cfg = cfg, .dev = -1, .cfd = -1, .mdfd = -1, .kfd = -1,
		.mdout = -1, .pipe = { -1, -1 },
		.st = { .size = sizeof(struct ktrace_consumer_stats) },
	};
	int ret;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	ret = open_all(&c);
	if (ret) {
		tell(ready, ret, c.why);
		return 1;
	}
	tell(ready, 0, NULL);
	/* Exiting closes every fd: the kernel releases what it holds. */
	return run(&c);
}
