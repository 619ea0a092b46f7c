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
 * A net://HOST[:PORT] output streams to ktrace-relayd instead (docs/RELAY.md,
 * "Streaming"): the same metadata bytes and packets go to the receiver,
 * which writes the same files with the same rotation (tracefile.c); a
 * stop's sync waits until the receiver has them on its disk.
 *
 * A write failure (a full disk, a receiver gone) stops all writing: the
 * error goes to the kernel (CONSUMER_ERROR), and the consumer keeps
 * getting and putting packets without writing them, so the buffers keep
 * moving and nothing waits on it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "consumer.h"
#include "ktracectl.h"
#include "net_output.h"
#include "record.h"
#include "splice_io.h"
#include "tracefile.h"

#define POSSIBLE_CPUS	"/sys/devices/system/cpu/possible"
/* A safety net: every wakeup comes from the kernel. */
#define POLL_MS		1000

struct cstream {
	int fd;
	const struct ktnl_channel *chan;
	unsigned int cpu;
	uint32_t id;		/* on the network: its STREAM_OPEN id */
	struct tracefile tf;	/* locally */
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
	struct relay_client *net;	/* a net:// output, or NULL */
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

/* Attaches the stream's file(s), or declares it to the receiver. */
static int first_file(struct cons *c, struct cstream *s)
{
	char err[200];
	int ret;

	if (c->net) {
		ret = relay_client_stream_open(c->net, s->id, s->chan->name,
					       s->cpu, s->chan->tracefile_size,
					       s->chan->tracefile_count);
		return ret ? why(c, ret, "output %s: %s", c->cfg->dest, c->net->err) : 0;
	}
	tracefile_init(&s->tf, c->kfd, s->chan->name, s->cpu,
		       s->chan->tracefile_size, s->chan->tracefile_count);
	ret = tracefile_open(&s->tf, c->cfg->append, err, sizeof(err));
	return ret ? why(c, ret, "%s/%s", c->cfg->kdir, err) : 0;
}

/*
 * A net:// output: connected, authenticated and the trace begun (or
 * continued); the metadata goes on from what the receiver holds.
 */
static int open_net(struct cons *c)
{
	char host[RELAY_NAME_MAX + 1], reason[400];
	uint64_t md;
	int ret;

	c->net = calloc(1, sizeof(*c->net));
	if (!c->net)
		return why(c, -ENOMEM, "out of memory");
	c->net->fd = -1;
	net_output_hostname(host, sizeof(host));
	ret = net_output_connect(c->net, c->cfg->dest, true, reason,
				 sizeof(reason));
	if (ret)
		return why(c, ret, "output %s: %s", c->cfg->dest, reason);
	ret = relay_client_stream_begin(c->net, host, c->cfg->session,
					c->cfg->append ? RELAY_STREAM_CONTINUE : 0,
					&md);
	if (ret)
		return why(c, ret, "output %s: %s", c->cfg->dest, c->net->err);
	if (md && lseek(c->mdfd, md, SEEK_SET) != (off_t)md)
		return why(c, -EEXIST, "output %s: the receiver's %s/%s is not this session's trace (%" PRIu64 " metadata bytes)",
			   c->cfg->dest, host, c->cfg->session, md);
	return 0;
}

/* A local output: <output>/kernel/ and its metadata file, appended to. */
static int open_local(struct cons *c)
{
	const struct consumer_cfg *cfg = c->cfg;
	off_t mdsize;

	c->kfd = open(cfg->kdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (c->kfd < 0)
		return why(c, -errno, "%s: %s", cfg->kdir, strerror(errno));
	c->mdout = openat(c->kfd, "metadata", O_WRONLY | O_CREAT | O_APPEND |
			  O_CLOEXEC, 0644);
	if (c->mdout < 0)
		return why(c, -errno, "%s/metadata: %s", cfg->kdir,
			   strerror(errno));
	mdsize = lseek(c->mdout, 0, SEEK_END);
	if (mdsize > 0 && lseek(c->mdfd, mdsize, SEEK_SET) != mdsize)
		return why(c, -EEXIST, "%s/metadata is not this session's: give another output",
			   cfg->kdir);
	return 0;
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
	c->mdfd = ioctl(c->dev, KTRACE_IOC_OPEN_METADATA, &om);
	if (c->mdfd < 0)
		return why(c, -errno, "opening the metadata: %s", strerror(errno));
	ret = cfg->net ? open_net(c) : open_local(c);
	if (ret)
		return ret;
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
		c->s[i].fd = c->s[i].tf.out = -1;
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
			s->id = i;
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

/*
 * A write failed: no more writing, and the pipe may hold bytes: a new one.
 * Its reason goes to the log ($KTRACE_CONSUMER_LOG); the errno to the
 * kernel, for the stop's message.
 */
static void write_failed(struct cons *c, int err)
{
	if (c->why[0])
		fprintf(stderr, "ktracectl consumer: %s: %s\n", c->cfg->session,
			c->why);
	c->why[0] = '\0';
	c->failed = true;
	c->st.error = err;
	close(c->pipe[0]);
	close(c->pipe[1]);
	if (pipe2(c->pipe, O_CLOEXEC))
		c->pipe[0] = c->pipe[1] = -1;
	report(c);
}

/* The held packet to the receiver: stream fd -> pipe -> socket. */
static int send_packet(struct cons *c, struct cstream *s, uint64_t len)
{
	uint64_t done = 0;
	size_t chunk;
	ssize_t n;
	int ret;

	ret = relay_client_stream_packet(c->net, s->id, len);
	while (!ret && done < len) {
		chunk = len - done < c->pipe_size ? len - done : c->pipe_size;
		n = splice(s->fd, NULL, c->pipe[1], NULL, chunk, SPLICE_F_MOVE);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return why(c, n ? -errno : -EIO, "stream %s_%u: %s",
				   s->chan->name, s->cpu,
				   n ? strerror(errno) : "the packet ended early");
		ret = relay_client_copy_fd(c->net, c->pipe[0], n);
		done += n;
	}
	return ret ? why(c, ret, "output %s: %s", c->cfg->dest, c->net->err) : 0;
}

static int write_packet(struct cons *c, struct cstream *s, uint64_t len)
{
	enum splice_side side;
	char err[200];
	int ret;

	if (c->pipe[0] < 0)
		return -EPIPE;
	if (c->net)
		return send_packet(c, s, len);
	ret = tracefile_before_packet(&s->tf, len, err, sizeof(err));
	if (ret)
		return why(c, ret, "%s/%s", c->cfg->kdir, err);
	ret = splice_packet_to(s->fd, c->pipe, c->pipe_size, s->tf.out, len,
			       NULL, &side);
	if (!ret)
		s->tf.file_bytes += len;
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
		if (c->net) {
			ret = relay_client_stream_metadata(c->net, buf, n);
			if (ret)
				why(c, ret, "output %s: %s", c->cfg->dest, c->net->err);
		} else {
			ret = splice_write_all(c->mdout, buf, n);
		}
		if (ret)
			write_failed(c, -ret);
	}
}

/* Everything up to the stop sequence now, written and synced. */
static void sync_stop(struct cons *c)
{
	uint64_t seq;
	size_t i;
	int ret;

	if (ioctl(c->cfd, KTRACE_CONSUMER_GET_STOP_SEQ, &seq) < 0)
		return;
	for (i = 0; i < c->n; i++)
		drain(c, &c->s[i], 0);
	copy_metadata(c);
	if (!c->failed && c->net) {
		/* Synced: on the receiver's disk. */
		ret = relay_client_stream_sync(c->net, NULL);
		if (ret) {
			why(c, ret, "output %s: %s", c->cfg->dest, c->net->err);
			write_failed(c, -ret);
		}
	} else if (!c->failed) {
		for (i = 0; i < c->n; i++)
			if (c->s[i].tf.out >= 0 && fsync(c->s[i].tf.out))
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
	ret = run(&c);
	/* Everything sent and synced: the receiver's trace is complete. */
	if (c.net && !c.failed)
		relay_client_stream_end(c.net);
	if (c.net)
		relay_client_close(c.net);
	/* Exiting closes every fd: the kernel releases what it holds. */
	return ret;
}
