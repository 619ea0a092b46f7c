// SPDX-License-Identifier: GPL-2.0
/*
 * The ktrace relay protocol's framing, bounds, names and authentication
 * (relay_proto.h, docs/RELAY.md).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "relay_crypto.h"
#include "relay_proto.h"

_Static_assert(RELAY_MAC_LEN == RELAY_HMAC_LEN, "the MAC is an HMAC-SHA256");

void relay_put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

void relay_put32(uint8_t *p, uint32_t v)
{
	relay_put16(p, v >> 16);
	relay_put16(p + 2, v);
}

void relay_put64(uint8_t *p, uint64_t v)
{
	relay_put32(p, v >> 32);
	relay_put32(p + 4, v);
}

const uint8_t *relay_get_bytes(struct relay_reader *r, size_t n)
{
	const uint8_t *p = r->p;

	if (r->bad || r->len < n) {
		r->bad = true;
		return NULL;
	}
	r->p += n;
	r->len -= n;
	return p;
}

uint16_t relay_get16(struct relay_reader *r)
{
	const uint8_t *p = relay_get_bytes(r, 2);

	return p ? (uint16_t)(p[0] << 8 | p[1]) : 0;
}

uint32_t relay_get32(struct relay_reader *r)
{
	uint32_t hi = relay_get16(r);

	return hi << 16 | relay_get16(r);
}

uint64_t relay_get64(struct relay_reader *r)
{
	uint64_t hi = relay_get32(r);

	return hi << 32 | relay_get32(r);
}

bool relay_get_str(struct relay_reader *r, char *buf, size_t size)
{
	uint16_t len = relay_get16(r);
	const uint8_t *p;

	if (r->bad || len >= size) {
		r->bad = true;
		return false;
	}
	p = relay_get_bytes(r, len);
	if (!p)
		return false;
	memcpy(buf, p, len);
	buf[len] = '\0';
	return true;
}

void relay_hdr_encode(uint8_t hdr[RELAY_HDR_LEN], uint16_t type, uint32_t len)
{
	relay_put32(hdr, len);
	relay_put16(hdr + 4, type);
	relay_put16(hdr + 6, 0);
}

void relay_payload_bounds(uint16_t type, uint32_t *min, uint32_t *max)
{
	*min = 0;
	*max = 0;
	switch (type) {
	case RELAY_HELLO:
		*min = *max = 8;
		break;
	case RELAY_CHALLENGE:
		*min = *max = 4 + RELAY_NONCE_LEN;
		break;
	case RELAY_AUTH:
		*min = *max = RELAY_NONCE_LEN + RELAY_MAC_LEN;
		break;
	case RELAY_WELCOME:
		*min = *max = RELAY_MAC_LEN;
		break;
	case RELAY_ERROR:
		*min = 4;
		*max = 4 + RELAY_ERROR_TEXT_MAX;
		break;
	case RELAY_BEGIN:
		*min = 3 * (2 + 1);
		*max = 3 * 2 + 2 * RELAY_NAME_MAX + RELAY_SNAPSHOT_NAME_MAX;
		break;
	case RELAY_FILE_OPEN:
		*min = 2 + 8;
		*max = 2 + 7 + RELAY_FILE_NAME_MAX;
		break;
	case RELAY_DATA:
		*min = 1;
		*max = RELAY_MAX_PAYLOAD;
		break;
	case RELAY_FILE_CLOSE:
		*min = *max = 8;
		break;
	case RELAY_END:
	case RELAY_ABORT:
		break;
	case RELAY_COMMITTED:
		*min = 2 + 5;
		*max = 2 + 2 * RELAY_NAME_MAX + RELAY_SNAPSHOT_NAME_MAX + 2;
		break;
	case RELAY_STREAM_BEGIN:
		*min = 2 * (2 + 1) + 2;
		*max = 2 * (2 + RELAY_NAME_MAX) + 2;
		break;
	case RELAY_STREAM_READY:
	case RELAY_STREAM_SYNCED:
		*min = *max = 8;
		break;
	case RELAY_STREAM_OPEN:
		/* id, cpu, tracefile size, tracefile count, channel */
		*min = 4 + 4 + 8 + 4 + 2 + 1;
		*max = 4 + 4 + 8 + 4 + 2 + RELAY_CHANNEL_NAME_MAX;
		break;
	case RELAY_STREAM_METADATA:
		*min = 1;
		*max = RELAY_MAX_PAYLOAD;
		break;
	case RELAY_STREAM_PACKET:
		*min = *max = 4 + 8;
		break;
	case RELAY_STREAM_SYNC:
	case RELAY_STREAM_END:
		break;
	}
}

static bool type_known(uint16_t type)
{
	return (type >= RELAY_HELLO && type <= RELAY_ERROR) ||
	       (type >= RELAY_BEGIN && type <= RELAY_ABORT) ||
	       (type >= RELAY_STREAM_BEGIN && type <= RELAY_STREAM_END);
}

int relay_hdr_decode(const uint8_t hdr[RELAY_HDR_LEN], uint16_t *type,
		     uint32_t *len)
{
	struct relay_reader r = { .p = hdr, .len = RELAY_HDR_LEN };
	uint32_t min, max;
	uint16_t flags;

	*len = relay_get32(&r);
	*type = relay_get16(&r);
	flags = relay_get16(&r);
	if (flags || !type_known(*type))
		return -EPROTO;
	relay_payload_bounds(*type, &min, &max);
	if (*len < min || *len > max)
		return -EPROTO;
	return 0;
}

bool relay_name_valid(const char *s, size_t len, size_t max)
{
	size_t i;

	if (!s || !len || len > max || s[0] == '.')
		return false;
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '.' ||
		      c == '-'))
			return false;
	}
	return true;
}

bool relay_path_valid(const char *s, size_t len, const char **name)
{
	static const char prefix[] = "kernel/";
	size_t plen = sizeof(prefix) - 1;

	if (len <= plen || memcmp(s, prefix, plen))
		return false;
	if (!relay_name_valid(s + plen, len - plen, RELAY_FILE_NAME_MAX))
		return false;
	if (name)
		*name = s + plen;
	return true;
}

const char *relay_err_reason(uint16_t code)
{
	switch (code) {
	case RELAY_E_PROTOCOL:
		return "protocol error";
	case RELAY_E_VERSION:
		return "unsupported protocol version";
	case RELAY_E_AUTH:
		return "authentication failed";
	case RELAY_E_BAD_NAME:
		return "bad name";
	case RELAY_E_FULL:
		return "receiver full";
	case RELAY_E_EXISTS:
		return "exists on the receiver";
	case RELAY_E_IO:
		return "receiver I/O error";
	case RELAY_E_BUSY:
		return "receiver busy";
	case RELAY_E_TIMEOUT:
		return "timed out";
	case RELAY_E_STREAMING:
		return "trace being received already";
	}
	return "receiver error";
}

int relay_mac(const uint8_t *token, size_t token_len, const char *label,
	      const uint8_t *a, const uint8_t *b, uint8_t out[RELAY_MAC_LEN])
{
	uint8_t msg[64 + 2 * RELAY_NONCE_LEN];
	size_t llen = strlen(label);

	if (llen > 64)
		return -EINVAL;
	memcpy(msg, label, llen);
	memcpy(msg + llen, a, RELAY_NONCE_LEN);
	memcpy(msg + llen + RELAY_NONCE_LEN, b, RELAY_NONCE_LEN);
	return relay_hmac_sha256(token, token_len, msg,
				 llen + 2 * RELAY_NONCE_LEN, out);
}

bool relay_mac_equal(const uint8_t *a, const uint8_t *b)
{
	/* Every byte compared whatever differs: no early exit to time. */
	volatile uint8_t diff = 0;
	size_t i;

	for (i = 0; i < RELAY_MAC_LEN; i++)
		diff |= a[i] ^ b[i];
	return !diff;
}

int relay_random(uint8_t *buf, size_t len)
{
	ssize_t n;

	while (len) {
		n = getrandom(buf, len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		buf += n;
		len -= n;
	}
	return 0;
}

int relay_token_load(const char *path, uint8_t *buf, size_t *len,
		     const char **why)
{
	uint8_t tmp[RELAY_TOKEN_MAX + 1];
	size_t have = 0;
	ssize_t n;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		*why = strerror(errno);
		return err;
	}
	while (have < sizeof(tmp)) {
		n = read(fd, tmp + have, sizeof(tmp) - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			*why = strerror(errno);
			close(fd);
			return err;
		}
		if (!n)
			break;
		have += n;
	}
	close(fd);
	while (have && (tmp[have - 1] == '\n' || tmp[have - 1] == '\r' ||
			tmp[have - 1] == ' ' || tmp[have - 1] == '\t'))
		have--;
	if (have > RELAY_TOKEN_MAX) {
		*why = "longer than 4096 bytes";
		return -EINVAL;
	}
	if (have < RELAY_TOKEN_MIN) {
		*why = "shorter than 16 bytes";
		return -EINVAL;
	}
	memcpy(buf, tmp, have);
	*len = have;
	explicit_bzero(tmp, sizeof(tmp));
	return 0;
}
