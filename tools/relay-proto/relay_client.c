// SPDX-License-Identifier: GPL-2.0
/*
 * The sending side of the relay protocol (relay_client.h, docs/RELAY.md).
 * Blocking sockets with a timeout on every send and receive; before each
 * DATA frame the socket is polled for an ERROR frame the receiver sent
 * meanwhile (full, I/O error), so that a refused snapshot stops early.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include "relay_client.h"
#include "relay_crypto.h"

static int cfail(struct relay_client *c, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Sets the reason, closes the connection, returns @err. */
static int cfail(struct relay_client *c, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err, sizeof(c->err), fmt, ap);
	va_end(ap);
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	return err;
}

/* The reason of a failed send or receive. */
static int io_fail(struct relay_client *c, int err)
{
	if (err == -EAGAIN || err == -EWOULDBLOCK || err == -ETIMEDOUT)
		return cfail(c, -ETIMEDOUT, "timed out");
	if (err == -EPIPE || err == -ECONNRESET || !err)
		return cfail(c, err ? err : -ECONNRESET,
			     "connection lost: the receiver closed it");
	return cfail(c, err, "%s", strerror(-err));
}

static int peer_error(struct relay_client *c, const uint8_t *p, size_t len);

/*
 * A send failed: the receiver may have said why before it closed (an
 * ERROR frame waiting in our socket); that is the better reason.
 */
static int send_fail(struct relay_client *c, int err)
{
	struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
	uint8_t hdr[RELAY_HDR_LEN], buf[4 + RELAY_ERROR_TEXT_MAX];
	uint16_t type;
	uint32_t len;

	if (err != -EPIPE && err != -ECONNRESET)
		return io_fail(c, err);
	if (poll(&pfd, 1, 200) == 1 &&
	    recv(c->fd, hdr, sizeof(hdr), MSG_DONTWAIT) == sizeof(hdr) &&
	    !relay_hdr_decode(hdr, &type, &len) && type == RELAY_ERROR &&
	    recv(c->fd, buf, len, MSG_DONTWAIT) == (ssize_t)len)
		return peer_error(c, buf, len);
	return io_fail(c, err);
}

static int send_all(struct relay_client *c, const void *buf, size_t len,
		    int more)
{
	const uint8_t *p = buf;
	ssize_t n;

	while (len) {
		n = send(c->fd, p, len, MSG_NOSIGNAL | more);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return send_fail(c, -errno);
		p += n;
		len -= n;
	}
	return 0;
}

static int recv_all(struct relay_client *c, void *buf, size_t len)
{
	uint8_t *p = buf;
	ssize_t n;

	while (len) {
		n = recv(c->fd, p, len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return io_fail(c, n ? -errno : 0);
		p += n;
		len -= n;
	}
	return 0;
}

static int send_frame(struct relay_client *c, uint16_t type, const void *p,
		      size_t len)
{
	uint8_t hdr[RELAY_HDR_LEN];
	int ret;

	if (c->fd < 0)
		return -ENOTCONN;
	relay_hdr_encode(hdr, type, len);
	/* The header and its payload in one segment where they fit. */
	ret = send_all(c, hdr, sizeof(hdr), len ? MSG_MORE : 0);
	if (!ret && len)
		ret = send_all(c, p, len, 0);
	return ret;
}

/* The receiver's ERROR frame, as the reason. */
static int peer_error(struct relay_client *c, const uint8_t *p, size_t len)
{
	struct relay_reader r = { .p = p, .len = len };
	char text[RELAY_ERROR_TEXT_MAX + 1];
	uint16_t code = relay_get16(&r);
	size_t i;

	if (!relay_get_str(&r, text, sizeof(text)))
		text[0] = '\0';
	for (i = 0; text[i]; i++)
		if (text[i] < ' ' || text[i] > '~')
			text[i] = '?';
	return cfail(c, code == RELAY_E_FULL ? -ENOSPC :
		     code == RELAY_E_AUTH ? -EACCES : -EPROTO,
		     "%s%s%s", relay_err_reason(code), text[0] ? ": " : "",
		     text);
}

/* Receives a frame of type @want into @buf (its size the type's max). */
static int recv_frame(struct relay_client *c, uint16_t want, uint8_t *buf,
		      uint32_t *len)
{
	uint8_t hdr[RELAY_HDR_LEN], err[4 + RELAY_ERROR_TEXT_MAX];
	uint16_t type;
	int ret;

	if (c->fd < 0)
		return -ENOTCONN;
	ret = recv_all(c, hdr, sizeof(hdr));
	if (ret)
		return ret;
	if (relay_hdr_decode(hdr, &type, len))
		return cfail(c, -EPROTO, "protocol error: a malformed frame from the receiver");
	if (type == RELAY_ERROR) {
		ret = recv_all(c, err, *len);
		return ret ? ret : peer_error(c, err, *len);
	}
	if (type != want)
		return cfail(c, -EPROTO, "protocol error: frame %u from the receiver, expected %u",
			     type, want);
	return recv_all(c, buf, *len);
}

/* An ERROR frame sent while we send: read it, if any. */
static int check_peer(struct relay_client *c)
{
	struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
	uint8_t buf[8];
	uint32_t len;

	if (c->fd < 0)
		return -ENOTCONN;
	if (poll(&pfd, 1, 0) <= 0 || !(pfd.revents & (POLLIN | POLLHUP | POLLERR)))
		return 0;
	/* Nothing but ERROR (or the end) may come now. */
	return recv_frame(c, RELAY_ERROR, buf, &len) ?: cfail(c, -EPROTO,
		"protocol error: an unexpected frame from the receiver");
}

static void set_timeouts(int fd, int ms)
{
	struct timeval tv = { .tv_sec = ms / 1000, .tv_usec = ms % 1000 * 1000 };

	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
}

/* Non-blocking connect within the timeout. */
static int connect_one(const struct addrinfo *ai, int ms, int *err)
{
	struct pollfd pfd;
	socklen_t elen = sizeof(*err);
	int fd, flags, one = 1;

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
	if (fd < 0) {
		*err = errno;
		return -1;
	}
	flags = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, flags | O_NONBLOCK);
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) && errno != EINPROGRESS) {
		*err = errno;
		close(fd);
		return -1;
	}
	pfd = (struct pollfd) { .fd = fd, .events = POLLOUT };
	if (poll(&pfd, 1, ms) <= 0) {
		*err = ETIMEDOUT;
		close(fd);
		return -1;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, err, &elen) || *err) {
		close(fd);
		return -1;
	}
	fcntl(fd, F_SETFL, flags);
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	set_timeouts(fd, ms);
	return fd;
}

static int handshake(struct relay_client *c, const uint8_t *token,
		     size_t token_len, uint16_t want)
{
	uint8_t hello[8], chal[4 + RELAY_NONCE_LEN];
	uint8_t auth[RELAY_NONCE_LEN + RELAY_MAC_LEN], mac[RELAY_MAC_LEN];
	uint8_t welcome[RELAY_MAC_LEN];
	struct relay_reader r = { .p = chal, .len = sizeof(chal) };
	uint16_t version, method;
	uint32_t len;
	int ret;

	memcpy(hello, RELAY_MAGIC, 4);
	relay_put16(hello + 4, want);
	relay_put16(hello + 6, 0);
	ret = send_frame(c, RELAY_HELLO, hello, sizeof(hello));
	if (!ret)
		ret = recv_frame(c, RELAY_CHALLENGE, chal, &len);
	if (ret)
		return ret;
	version = relay_get16(&r);
	method = relay_get16(&r);
	if (version != want)
		return cfail(c, -EPROTO, "unsupported protocol version %u", version);
	memset(auth, 0, sizeof(auth));
	if (method == RELAY_AUTH_HMAC_SHA256) {
		if (!token)
			return cfail(c, -EACCES,
				     "authentication failed: the receiver wants a token");
		if (relay_random(auth, RELAY_NONCE_LEN))
			return cfail(c, -EIO, "cannot compute the authentication");
		ret = relay_mac(token, token_len, RELAY_LABEL_CLIENT, chal + 4,
				auth, auth + RELAY_NONCE_LEN);
		if (ret)
			return cfail(c, ret, "cannot compute the authentication: %s",
				     relay_crypto_error());
	} else if (method != RELAY_AUTH_NONE) {
		return cfail(c, -EPROTO, "unsupported authentication method %u",
			     method);
	}
	ret = send_frame(c, RELAY_AUTH, auth, sizeof(auth));
	if (!ret)
		ret = recv_frame(c, RELAY_WELCOME, welcome, &len);
	if (ret)
		return ret;
	/* The receiver proves it knows the token too. */
	if (method == RELAY_AUTH_HMAC_SHA256 &&
	    (relay_mac(token, token_len, RELAY_LABEL_SERVER, auth, chal + 4, mac) ||
	     !relay_mac_equal(mac, welcome)))
		return cfail(c, -EACCES,
			     "authentication failed: the receiver does not know the token");
	return 0;
}

static int connect_version(struct relay_client *c, const char *host,
			   uint16_t port, const uint8_t *token,
			   size_t token_len, int timeout_ms, uint16_t version)
{
	struct addrinfo hints = {
		.ai_family = AF_UNSPEC,
		.ai_socktype = SOCK_STREAM,
		.ai_flags = AI_ADDRCONFIG | AI_NUMERICSERV,
	}, *res, *ai;
	char service[8];
	int ret, err = ECONNREFUSED;

	c->fd = -1;
	c->err[0] = '\0';
	c->file_bytes = 0;
	c->timeout_ms = timeout_ms;
	snprintf(service, sizeof(service), "%u", port);
	ret = getaddrinfo(host, service, &hints, &res);
	if (ret == EAI_NONAME || ret == EAI_ADDRFAMILY) {
		/* AI_ADDRCONFIG hides loopback when only lo is up. */
		hints.ai_flags &= ~AI_ADDRCONFIG;
		ret = getaddrinfo(host, service, &hints, &res);
	}
	if (ret)
		return cfail(c, -EHOSTUNREACH, "cannot resolve %s: %s", host,
			     gai_strerror(ret));
	for (ai = res; ai && c->fd < 0; ai = ai->ai_next)
		c->fd = connect_one(ai, timeout_ms, &err);
	freeaddrinfo(res);
	if (c->fd < 0) {
		if (err == ETIMEDOUT)
			return cfail(c, -ETIMEDOUT, "timed out");
		return cfail(c, -err, "%s", err == ECONNREFUSED ?
			     "connection refused" : strerror(err));
	}
	return handshake(c, token, token_len, version);
}

int relay_client_connect(struct relay_client *c, const char *host,
			 uint16_t port, const uint8_t *token, size_t token_len,
			 int timeout_ms)
{
	return connect_version(c, host, port, token, token_len, timeout_ms,
			       RELAY_VERSION_SNAPSHOT);
}

int relay_client_connect_stream(struct relay_client *c, const char *host,
				uint16_t port, const uint8_t *token,
				size_t token_len, int timeout_ms)
{
	int ret = connect_version(c, host, port, token, token_len, timeout_ms,
				  RELAY_VERSION_STREAM);

	/* A version-1 receiver: its reason alone would not say what to do. */
	if (ret == -EPROTO && strstr(c->err, "unsupported protocol version"))
		snprintf(c->err, sizeof(c->err),
			 "the receiver cannot take a stream (a ktrace-relayd older than protocol 2)");
	return ret;
}

static int put_str(uint8_t *p, const char *s)
{
	size_t len = strlen(s);

	relay_put16(p, len);
	memcpy(p + 2, s, len);
	return 2 + len;
}

int relay_client_begin(struct relay_client *c, const char *hostname,
		       const char *session, const char *snapshot)
{
	uint8_t buf[6 + 2 * RELAY_NAME_MAX + RELAY_SNAPSHOT_NAME_MAX];
	size_t off = 0;

	if (strlen(hostname) > RELAY_NAME_MAX || strlen(session) > RELAY_NAME_MAX ||
	    strlen(snapshot) > RELAY_SNAPSHOT_NAME_MAX)
		return cfail(c, -ENAMETOOLONG, "a name is too long for the relay protocol");
	off += put_str(buf + off, hostname);
	off += put_str(buf + off, session);
	off += put_str(buf + off, snapshot);
	return send_frame(c, RELAY_BEGIN, buf, off);
}

int relay_client_open(struct relay_client *c, const char *file)
{
	uint8_t buf[2 + 7 + RELAY_FILE_NAME_MAX];
	char path[8 + RELAY_FILE_NAME_MAX];
	int n;

	n = snprintf(path, sizeof(path), "kernel/%s", file);
	if (n < 0 || (size_t)n >= sizeof(path) - 1)
		return cfail(c, -ENAMETOOLONG, "file name too long: %s", file);
	c->file_bytes = 0;
	return send_frame(c, RELAY_FILE_OPEN, buf, put_str(buf, path));
}

/*
 * send_chunks() - @len bytes as frames of @type, at most RELAY_MAX_PAYLOAD
 * each, stopping at the first refusal the receiver sent; *@sent (when not
 * NULL) counts what went out, so a failure leaves it exact.
 */
static int send_chunks(struct relay_client *c, uint16_t type,
		       const void *buf, size_t len, uint64_t *sent)
{
	const uint8_t *p = buf;
	size_t chunk;
	int ret;

	while (len) {
		chunk = len < RELAY_MAX_PAYLOAD ? len : RELAY_MAX_PAYLOAD;
		ret = check_peer(c);
		if (!ret)
			ret = send_frame(c, type, p, chunk);
		if (ret)
			return ret;
		if (sent)
			*sent += chunk;
		p += chunk;
		len -= chunk;
	}
	return 0;
}

int relay_client_write(struct relay_client *c, const void *buf, size_t len)
{
	return send_chunks(c, RELAY_DATA, buf, len, &c->file_bytes);
}

int relay_client_copy_fd(struct relay_client *c, int fd, size_t len)
{
	uint8_t buf[64 * 1024];
	ssize_t n;
	int ret;

	while (len) {
		n = read(fd, buf, len < sizeof(buf) ? len : sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;	/* a pipe holding the bytes: no wait */
		if (n <= 0)
			return cfail(c, n ? -errno : -EIO, "reading the packet: %s",
				     n ? strerror(errno) : "short read");
		ret = relay_client_write(c, buf, n);
		if (ret)
			return ret;
		len -= n;
	}
	return 0;
}

int relay_client_close_file(struct relay_client *c)
{
	uint8_t buf[8];

	relay_put64(buf, c->file_bytes);
	return send_frame(c, RELAY_FILE_CLOSE, buf, sizeof(buf));
}

int relay_client_commit(struct relay_client *c, char *where, size_t len)
{
	uint8_t buf[2 + 2 * RELAY_NAME_MAX + RELAY_SNAPSHOT_NAME_MAX + 2];
	struct relay_reader r = { .p = buf };
	char path[sizeof(buf)];
	uint32_t n;
	int ret;

	ret = send_frame(c, RELAY_END, NULL, 0);
	if (!ret)
		ret = recv_frame(c, RELAY_COMMITTED, buf, &n);
	if (ret)
		return ret;
	r.len = n;
	if (!relay_get_str(&r, path, sizeof(path)))
		path[0] = '\0';
	if (where)
		snprintf(where, len, "%s", path);
	return 0;
}

int relay_client_stream_begin(struct relay_client *c, const char *hostname,
			      const char *session, uint16_t flags,
			      uint64_t *metadata_bytes)
{
	uint8_t buf[2 * (2 + RELAY_NAME_MAX) + 2], ready[8];
	struct relay_reader r = { .p = ready, .len = sizeof(ready) };
	size_t off = 0;
	uint32_t len;
	int ret;

	if (strlen(hostname) > RELAY_NAME_MAX || strlen(session) > RELAY_NAME_MAX)
		return cfail(c, -ENAMETOOLONG, "a name is too long for the relay protocol");
	off += put_str(buf + off, hostname);
	off += put_str(buf + off, session);
	relay_put16(buf + off, flags);
	off += 2;
	ret = send_frame(c, RELAY_STREAM_BEGIN, buf, off);
	if (!ret)
		ret = recv_frame(c, RELAY_STREAM_READY, ready, &len);
	if (ret)
		return ret;
	*metadata_bytes = relay_get64(&r);
	return 0;
}

int relay_client_stream_open(struct relay_client *c, uint32_t id,
			     const char *channel, uint32_t cpu,
			     uint64_t tracefile_size, uint32_t tracefile_count)
{
	uint8_t buf[4 + 4 + 8 + 4 + 2 + RELAY_CHANNEL_NAME_MAX];

	if (strlen(channel) > RELAY_CHANNEL_NAME_MAX)
		return cfail(c, -ENAMETOOLONG, "channel name too long: %s", channel);
	relay_put32(buf, id);
	relay_put32(buf + 4, cpu);
	relay_put64(buf + 8, tracefile_size);
	relay_put32(buf + 16, tracefile_count);
	return send_frame(c, RELAY_STREAM_OPEN, buf, 20 + put_str(buf + 20, channel));
}

int relay_client_stream_metadata(struct relay_client *c, const void *buf,
				 size_t len)
{
	return send_chunks(c, RELAY_STREAM_METADATA, buf, len, NULL);
}

int relay_client_stream_packet(struct relay_client *c, uint32_t id,
			       uint64_t len)
{
	uint8_t buf[12];
	int ret;

	relay_put32(buf, id);
	relay_put64(buf + 4, len);
	ret = check_peer(c);
	if (!ret)
		ret = send_frame(c, RELAY_STREAM_PACKET, buf, sizeof(buf));
	c->file_bytes = 0;
	return ret;
}

int relay_client_stream_sync(struct relay_client *c, uint64_t *bytes)
{
	uint8_t buf[8];
	struct relay_reader r = { .p = buf, .len = sizeof(buf) };
	uint32_t len;
	int ret;

	ret = send_frame(c, RELAY_STREAM_SYNC, NULL, 0);
	if (!ret)
		ret = recv_frame(c, RELAY_STREAM_SYNCED, buf, &len);
	if (ret)
		return ret;
	if (bytes)
		*bytes = relay_get64(&r);
	return 0;
}

int relay_client_stream_end(struct relay_client *c)
{
	return send_frame(c, RELAY_STREAM_END, NULL, 0);
}

void relay_client_close(struct relay_client *c)
{
	if (c->fd < 0)
		return;
	/* Best effort, without waiting: closing alone drops it too. */
	send(c->fd, (uint8_t[RELAY_HDR_LEN]){ 0, 0, 0, 0, 0, RELAY_ABORT, 0, 0 },
	     RELAY_HDR_LEN, MSG_NOSIGNAL | MSG_DONTWAIT);
	close(c->fd);
	c->fd = -1;
}
