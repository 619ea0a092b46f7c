// SPDX-License-Identifier: GPL-2.0
/*
 * One sender's connection (relayd.h): read frames from a non-blocking
 * socket, check each against the protocol's state, bounds and name rules
 * (docs/RELAY.md), and write the snapshot under
 * <output-dir>/<host>/<session>/.<snapshot>.partial/kernel/, renamed to
 * <snapshot> when the sender commits it. Anything refused ends the
 * connection with an ERROR frame and removes the unfinished snapshot.
 *
 * Every path is opened relative to a directory fd with a validated name
 * (no '/', no leading '.'), directories with O_NOFOLLOW: nothing a sender
 * says can name a file outside the output directory.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "relayd.h"

/* Bytes read from one sender per wake-up, so that none starves another. */
#define CONN_READ_BUDGET	(4 * 1024 * 1024)

void conn_init(struct conn *c, int fd, const char *peer, int out_fd)
{
	memset(c, 0, sizeof(*c));
	c->fd = fd;
	c->state = CONN_HELLO;
	c->last = time(NULL);
	c->sess_fd = c->part_fd = c->kfd = c->file_fd = c->md_fd = -1;
	snprintf(c->peer, sizeof(c->peer), "%s", peer);
	c->out_fd = out_fd;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Best effort: a sender that does not read its socket loses the frame. */
void conn_send(struct conn *c, uint16_t type, const void *p, size_t len)
{
	uint8_t buf[RELAY_HDR_LEN + 512];

	if (c->fd < 0 || len > sizeof(buf) - RELAY_HDR_LEN)
		return;
	relay_hdr_encode(buf, type, len);
	memcpy(buf + RELAY_HDR_LEN, p, len);
	if (send(c->fd, buf, RELAY_HDR_LEN + len, MSG_NOSIGNAL | MSG_DONTWAIT) !=
	    (ssize_t)(RELAY_HDR_LEN + len))
		c->broken = true;
}

/* Removes the unfinished snapshot: its files, kernel/, its directory. */
static void drop_snapshot(struct conn *c)
{
	struct dirent *d;
	DIR *dir;
	int fd;

	close_fd(&c->file_fd);
	if (c->kfd >= 0) {
		fd = dup(c->kfd);
		dir = fd >= 0 ? fdopendir(fd) : NULL;
		while (dir && (d = readdir(dir)))
			if (d->d_name[0] != '.')
				unlinkat(c->kfd, d->d_name, 0);
		if (dir)
			closedir(dir);
		else if (fd >= 0)
			close(fd);
		close_fd(&c->kfd);
		unlinkat(c->part_fd, "kernel", AT_REMOVEDIR);
	}
	close_fd(&c->part_fd);
	if (c->sess_fd >= 0 && c->partial[0]) {
		char dir[2 * RELAY_NAME_MAX + 2];

		unlinkat(c->sess_fd, c->partial, AT_REMOVEDIR);
		relayd_log("%s: dropped the unfinished snapshot %s/%s/%s",
			   c->peer, c->host, c->session, c->snap);
		/* The session's and host's directories, if left empty. */
		snprintf(dir, sizeof(dir), "%s/%s", c->host, c->session);
		if (!unlinkat(c->out_fd, dir, AT_REMOVEDIR))
			unlinkat(c->out_fd, c->host, AT_REMOVEDIR);
	}
	close_fd(&c->sess_fd);
	c->partial[0] = '\0';
}

void conn_refuse(struct conn *c, uint16_t code, const char *fmt, ...)
{
	uint8_t buf[4 + RELAY_ERROR_TEXT_MAX];
	char text[RELAY_ERROR_TEXT_MAX + 1];
	va_list ap;
	size_t len;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	len = strlen(text);
	relayd_log("%s: refused: %s: %s", c->peer, relay_err_reason(code), text);
	relay_put16(buf, code);
	relay_put16(buf + 2, len);
	memcpy(buf + 4, text, len);
	/* Gone (or cut to whole packets) before the sender hears of it. */
	if (c->streaming)
		stream_drop(c, text);
	drop_snapshot(c);
	conn_send(c, RELAY_ERROR, buf, 4 + len);
	c->state = CONN_DEAD;
	c->refused = time(NULL);
	/*
	 * Closing with unread input would reset the connection, and the
	 * sender could lose the ERROR frame: end ours, drain theirs.
	 */
	shutdown(c->fd, SHUT_WR);
}

void conn_close(struct conn *c)
{
	if (c->partial[0])
		relayd_log("%s: the sender went away during snapshot %s/%s/%s",
			   c->peer, c->host, c->session, c->snap);
	if (c->streaming)
		stream_drop(c, "the sender went away (connection lost)");
	drop_snapshot(c);
	close_fd(&c->fd);
	free(c->payload);
	c->payload = NULL;
}

/* Prints a name a sender gave, safely, for an error text. */
static const char *shown(const char *s, char *buf, size_t size)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < size; i++)
		buf[i] = s[i] >= ' ' && s[i] <= '~' ? s[i] : '?';
	buf[i] = '\0';
	return buf;
}

/* mkdir + open a directory under @at, never through a symbolic link. */
int conn_open_dir(int at, const char *name, bool excl)
{
	if (mkdirat(at, name, 0755) && (excl || errno != EEXIST))
		return -1;
	return openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

void conn_io_refuse(struct conn *c, int err, const char *what)
{
	if (err == ENOSPC || err == EDQUOT)
		conn_refuse(c, RELAY_E_FULL, "no space left on the receiver");
	else
		conn_refuse(c, RELAY_E_IO, "%s: %s", what, strerror(err));
}

/*
 * <output-dir>/<host>/<session>/, made as needed, as c->sess_fd; false when
 * it was refused (and the sender told why).
 */
bool conn_open_session(const struct relayd_conf *conf, struct conn *c)
{
	int host_fd = conn_open_dir(conf->out_fd, c->host, false);

	if (host_fd < 0) {
		conn_io_refuse(c, errno, c->host);
		return false;
	}
	c->sess_fd = conn_open_dir(host_fd, c->session, false);
	close(host_fd);
	if (c->sess_fd < 0) {
		conn_io_refuse(c, errno, c->session);
		return false;
	}
	return true;
}

static void on_hello(const struct relayd_conf *conf, struct conn *c,
		     struct relay_reader *r)
{
	uint8_t out[4 + RELAY_NONCE_LEN];
	const uint8_t *magic = relay_get_bytes(r, 4);
	uint16_t version = relay_get16(r);

	if (!magic || memcmp(magic, RELAY_MAGIC, 4) || relay_get16(r)) {
		conn_refuse(c, RELAY_E_PROTOCOL, "not a ktrace relay HELLO");
		return;
	}
	if (version < RELAY_VERSION_SNAPSHOT || version > RELAY_VERSION) {
		conn_refuse(c, RELAY_E_VERSION, "version %u; this receiver speaks %u to %u",
			    version, RELAY_VERSION_SNAPSHOT, RELAY_VERSION);
		return;
	}
	if (relay_random(c->nonce, sizeof(c->nonce))) {
		conn_refuse(c, RELAY_E_IO, "no random bytes");
		return;
	}
	c->version = version;
	relay_put16(out, version);
	relay_put16(out + 2, conf->insecure ? RELAY_AUTH_NONE :
		    RELAY_AUTH_HMAC_SHA256);
	memcpy(out + 4, c->nonce, RELAY_NONCE_LEN);
	conn_send(c, RELAY_CHALLENGE, out, sizeof(out));
	c->state = CONN_AUTH;
}

static void on_auth(const struct relayd_conf *conf, struct conn *c,
		    struct relay_reader *r)
{
	const uint8_t *cnonce = relay_get_bytes(r, RELAY_NONCE_LEN);
	const uint8_t *mac = relay_get_bytes(r, RELAY_MAC_LEN);
	uint8_t want[RELAY_MAC_LEN] = { 0 };

	if (!conf->insecure) {
		if (relay_mac(conf->token, conf->token_len, RELAY_LABEL_CLIENT,
			      c->nonce, cnonce, want)) {
			conn_refuse(c, RELAY_E_IO, "HMAC failed");
			return;
		}
		if (!relay_mac_equal(want, mac)) {
			conn_refuse(c, RELAY_E_AUTH, "wrong token");
			return;
		}
		if (relay_mac(conf->token, conf->token_len, RELAY_LABEL_SERVER,
			      cnonce, c->nonce, want)) {
			conn_refuse(c, RELAY_E_IO, "HMAC failed");
			return;
		}
	}
	conn_send(c, RELAY_WELCOME, want, sizeof(want));
	c->state = CONN_READY;
	relayd_log("%s: authenticated%s", c->peer,
		   conf->insecure ? " (insecure: no token)" : "");
}

bool conn_get_name(struct conn *c, struct relay_reader *r, char *buf,
		   size_t max, const char *what)
{
	uint16_t len = relay_get16(r);
	const uint8_t *p = relay_get_bytes(r, len);
	char show[80];

	if (!p) {
		conn_refuse(c, RELAY_E_PROTOCOL, "a truncated %s",
			    c->type == RELAY_BEGIN ? "BEGIN" :
			    c->type == RELAY_STREAM_BEGIN ? "STREAM_BEGIN" :
			    "STREAM_OPEN");
		return false;
	}
	memcpy(buf, p, len < max ? len : max);
	buf[len < max ? len : max] = '\0';
	if (!relay_name_valid((const char *)p, len, max)) {
		conn_refuse(c, RELAY_E_BAD_NAME, "invalid %s name '%s'", what,
			    shown(buf, show, sizeof(show)));
		return false;
	}
	return true;
}

static void on_begin(const struct relayd_conf *conf, struct conn *c,
		     struct relay_reader *r)
{
	if (!conn_get_name(c, r, c->host, RELAY_NAME_MAX, "host") ||
	    !conn_get_name(c, r, c->session, RELAY_NAME_MAX, "session") ||
	    !conn_get_name(c, r, c->snap, RELAY_SNAPSHOT_NAME_MAX, "snapshot"))
		return;
	if (r->len) {
		conn_refuse(c, RELAY_E_PROTOCOL, "trailing bytes in BEGIN");
		return;
	}
	if (!conn_open_session(conf, c))
		return;
	if (!faccessat(c->sess_fd, c->snap, F_OK, AT_SYMLINK_NOFOLLOW)) {
		conn_refuse(c, RELAY_E_EXISTS, "%s/%s/%s exists already",
			    c->host, c->session, c->snap);
		return;
	}
	snprintf(c->partial, sizeof(c->partial), ".%s.partial", c->snap);
	c->part_fd = conn_open_dir(c->sess_fd, c->partial, true);
	if (c->part_fd < 0) {
		int err = errno;

		c->partial[0] = '\0';
		if (err == EEXIST)
			conn_refuse(c, RELAY_E_EXISTS, "%s/%s/%s is being received already",
				    c->host, c->session, c->snap);
		else
			conn_io_refuse(c, err, c->snap);
		return;
	}
	c->kfd = conn_open_dir(c->part_fd, "kernel", true);
	if (c->kfd < 0) {
		conn_io_refuse(c, errno, "kernel");
		return;
	}
	c->snap_bytes = c->snap_files = 0;
	c->state = CONN_SNAP;
}

static void on_open(const struct relayd_conf *conf, struct conn *c,
		    struct relay_reader *r)
{
	char path[8 + RELAY_FILE_NAME_MAX], show[80];
	const char *name;
	uint16_t len = relay_get16(r);
	const uint8_t *p = relay_get_bytes(r, len);

	if (!p || r->len) {
		conn_refuse(c, RELAY_E_PROTOCOL, "a malformed FILE_OPEN");
		return;
	}
	memcpy(path, p, len < sizeof(path) - 1 ? len : sizeof(path) - 1);
	path[len < sizeof(path) - 1 ? len : sizeof(path) - 1] = '\0';
	if (!relay_path_valid((const char *)p, len, &name)) {
		conn_refuse(c, RELAY_E_BAD_NAME, "invalid file path '%s'",
			    shown(path, show, sizeof(show)));
		return;
	}
	if (c->files + 1 > conf->max_files) {
		conn_refuse(c, RELAY_E_FULL, "more than %" PRIu64 " files from this sender",
			    conf->max_files);
		return;
	}
	snprintf(c->file, sizeof(c->file), "%.*s",
		 (int)(len - (name - (const char *)p)), name);
	c->file_fd = openat(c->kfd, c->file,
			    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			    0644);
	if (c->file_fd < 0) {
		if (errno == EEXIST)
			conn_refuse(c, RELAY_E_PROTOCOL, "kernel/%s sent twice", c->file);
		else
			conn_io_refuse(c, errno, c->file);
		return;
	}
	c->files++;
	c->snap_files++;
	c->file_bytes = 0;
	c->state = CONN_FILE;
}

static void on_data(const struct relayd_conf *conf, struct conn *c,
		    const uint8_t *p, size_t len)
{
	ssize_t n;

	if (c->bytes + len > conf->max_bytes) {
		conn_refuse(c, RELAY_E_FULL, "more than %" PRIu64 " bytes from this sender",
			    conf->max_bytes);
		return;
	}
	while (len) {
		n = write(c->file_fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			conn_io_refuse(c, n ? errno : EIO, c->file);
			return;
		}
		p += n;
		len -= n;
		c->bytes += n;
		c->snap_bytes += n;
		c->file_bytes += n;
	}
}

static void on_close(struct conn *c, struct relay_reader *r)
{
	uint64_t size = relay_get64(r);
	int err;

	if (size != c->file_bytes) {
		conn_refuse(c, RELAY_E_PROTOCOL, "kernel/%s: %" PRIu64 " bytes announced, %" PRIu64 " received",
			    c->file, size, c->file_bytes);
		return;
	}
	/* On disk before the snapshot can be presented whole (on_end()). */
	err = fdatasync(c->file_fd) ? errno : 0;
	if (close(c->file_fd) && !err)
		err = errno;
	c->file_fd = -1;
	if (err) {
		conn_io_refuse(c, err, c->file);
		return;
	}
	c->state = CONN_SNAP;
}

static void on_end(struct conn *c)
{
	uint8_t buf[2 + 2 * RELAY_NAME_MAX + RELAY_SNAPSHOT_NAME_MAX + 2];
	int n;

	if (!c->snap_files) {
		conn_refuse(c, RELAY_E_PROTOCOL, "a snapshot without files");
		return;
	}
	/* The data is on disk before the snapshot is presented whole. */
	if (fsync(c->kfd) || renameat2(c->sess_fd, c->partial, c->sess_fd,
				       c->snap, RENAME_NOREPLACE)) {
		if (errno == EEXIST)
			conn_refuse(c, RELAY_E_EXISTS, "%s/%s/%s exists already",
				    c->host, c->session, c->snap);
		else
			conn_io_refuse(c, errno, c->snap);
		return;
	}
	c->partial[0] = '\0';
	close_fd(&c->kfd);
	close_fd(&c->part_fd);
	close_fd(&c->sess_fd);
	n = snprintf((char *)buf + 2, sizeof(buf) - 2, "%s/%s/%s", c->host,
		     c->session, c->snap);
	relay_put16(buf, n);
	conn_send(c, RELAY_COMMITTED, buf, 2 + n);
	relayd_log("%s: received %s/%s/%s: %" PRIu64 " bytes in %" PRIu64 " files",
		   c->peer, c->host, c->session, c->snap, c->snap_bytes,
		   c->snap_files);
	c->state = CONN_READY;
}

static const char *const state_names[] = {
	[CONN_HELLO] = "before HELLO", [CONN_AUTH] = "before AUTH",
	[CONN_READY] = "between snapshots", [CONN_SNAP] = "in a snapshot",
	[CONN_FILE] = "in a file", [CONN_STREAM] = "in a stream",
	[CONN_PACKET] = "in a packet", [CONN_DEAD] = "closing",
};

/* One whole frame: c->type, c->len, c->payload. */
static void on_frame(const struct relayd_conf *conf, struct conn *c)
{
	struct relay_reader r = { .p = c->payload, .len = c->len };
	uint16_t t = c->type;

	if (c->state == CONN_HELLO && t == RELAY_HELLO)
		on_hello(conf, c, &r);
	else if (c->state == CONN_AUTH && t == RELAY_AUTH)
		on_auth(conf, c, &r);
	else if (c->state == CONN_READY && t == RELAY_BEGIN)
		on_begin(conf, c, &r);
	else if (c->state == CONN_READY && t == RELAY_ABORT)
		;	/* nothing begun: nothing to drop */
	else if (c->state == CONN_READY && t == RELAY_STREAM_BEGIN &&
		 c->version >= RELAY_VERSION_STREAM)
		stream_begin(conf, c, &r);
	else if (c->state == CONN_STREAM && t == RELAY_STREAM_OPEN)
		stream_open(conf, c, &r);
	else if (c->state == CONN_STREAM && t == RELAY_STREAM_METADATA)
		stream_metadata(conf, c, c->payload, c->len);
	else if (c->state == CONN_STREAM && t == RELAY_STREAM_PACKET)
		stream_packet(conf, c, &r);
	else if (c->state == CONN_PACKET && t == RELAY_DATA)
		stream_data(conf, c, c->payload, c->len);
	else if (c->state == CONN_STREAM && t == RELAY_STREAM_SYNC)
		stream_sync(c);
	else if (c->state == CONN_STREAM && t == RELAY_STREAM_END)
		stream_end(c);
	else if (c->state == CONN_SNAP && t == RELAY_FILE_OPEN)
		on_open(conf, c, &r);
	else if (c->state == CONN_SNAP && t == RELAY_END)
		on_end(c);
	else if (c->state == CONN_FILE && t == RELAY_DATA)
		on_data(conf, c, c->payload, c->len);
	else if (c->state == CONN_FILE && t == RELAY_FILE_CLOSE)
		on_close(c, &r);
	else if ((c->state == CONN_SNAP || c->state == CONN_FILE) &&
		 t == RELAY_ABORT) {
		relayd_log("%s: the sender aborted %s/%s/%s", c->peer, c->host,
			   c->session, c->snap);
		drop_snapshot(c);
		c->state = CONN_READY;
	} else
		conn_refuse(c, RELAY_E_PROTOCOL, "frame type %u unexpected %s",
			    t, state_names[c->state]);
}

/* Reads up to @want bytes into @p; 1 when got them all, 0, -1 on end. */
static int read_some(struct conn *c, uint8_t *p, size_t want, size_t *have,
		     size_t *budget)
{
	ssize_t n;

	while (*have < want) {
		n = recv(c->fd, p + *have, want - *have, MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n <= 0)
			return -1;
		*have += n;
		c->last = time(NULL);
		*budget = *budget > (size_t)n ? *budget - n : 0;
		if (!*budget && *have < want)
			return 0;
	}
	return 1;
}

bool conn_readable(const struct relayd_conf *conf, struct conn *c)
{
	size_t budget = CONN_READ_BUDGET;
	uint8_t sink[4096];
	ssize_t n;
	int ret;

	/* Refused: its input is read and thrown away until it ends. */
	while (c->state == CONN_DEAD && !c->broken && budget) {
		n = recv(c->fd, sink, sizeof(sink), MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return true;
		if (n <= 0)
			return false;
		budget = budget > (size_t)n ? budget - n : 0;
	}

	while (c->state != CONN_DEAD && !c->broken && budget) {
		if (c->hdr_have < RELAY_HDR_LEN) {
			ret = read_some(c, c->hdr, RELAY_HDR_LEN, &c->hdr_have,
					&budget);
			if (ret <= 0)
				return ret == 0;
			if (relay_hdr_decode(c->hdr, &c->type, &c->len)) {
				conn_refuse(c, RELAY_E_PROTOCOL,
					    "a malformed frame header (type %u, %u bytes)",
					    c->hdr[4] << 8 | c->hdr[5],
					    (unsigned int)(c->hdr[0] << 24 | c->hdr[1] << 16 |
							   c->hdr[2] << 8 | c->hdr[3]));
				break;
			}
			if (c->len > c->cap) {
				uint8_t *p = realloc(c->payload, c->len);

				if (!p) {
					conn_refuse(c, RELAY_E_BUSY, "out of memory");
					break;
				}
				c->payload = p;
				c->cap = c->len;
			}
			c->have = 0;
		}
		ret = read_some(c, c->payload, c->len, &c->have, &budget);
		if (ret < 0)
			return false;
		if (!ret)
			return true;
		c->hdr_have = 0;
		on_frame(conf, c);
		if (c->broken)
			return false;
	}
	return !c->broken;
}
