// SPDX-License-Identifier: GPL-2.0
/*
 * Snapshot budgets: the equal policy (LTTng's, corrected) and the window
 * policy. The rules are in budget.h; this file is the arithmetic.
 *
 * A stream's ring buffer, positions growing to the right and wrapping at
 * 2^64 (all comparisons through the signed difference, pos_before()):
 *
 *   consumed                    start                    end    produced
 *      |  pkt  |  pkt  |  pkt  |  pkt  |  pkt  |  pkt  |  pkt  |...
 *      '------ readable, too old for the budget -'---- copied --'
 *
 * end = produced truncated to a sub-buffer; start = end - packets x size.
 * LTTng's 2013 consumer started at produced - max_stream_size, which is not
 * sub-buffer aligned when the share is not a multiple of the sub-buffer:
 * here a share is a count of whole packets, so start is always aligned.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include "budget.h"
#include "ktracectl.h"

/* Sub-buffer sizes are powers of two: one size class per bit. */
#define NR_SIZE_CLASSES	64

static bool is_pow2(uint64_t x)
{
	return x && !(x & (x - 1));
}

static unsigned int size_class(uint64_t pow2)
{
	return 63 - __builtin_clzll(pow2);
}

/* a is before b on the wrapping position axis. */
static bool pos_before(uint64_t a, uint64_t b)
{
	return (int64_t)(a - b) < 0;
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* *acc += v; on overflow *acc saturates and true is returned. */
static bool add_sat(uint64_t *acc, uint64_t v)
{
	if (__builtin_add_overflow(*acc, v, acc)) {
		*acc = UINT64_MAX;
		return true;
	}
	return false;
}

/* An snprintf() that appends and keeps counting past the end of buf. */
struct msg {
	char *buf;
	size_t len;
	int pos;
};

static void msg_add(struct msg *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void msg_add(struct msg *m, const char *fmt, ...)
{
	size_t at = m->pos < 0 ? 0 : (size_t)m->pos;
	va_list ap;
	int ret;

	va_start(ap, fmt);
	if (m->buf && at < m->len)
		ret = vsnprintf(m->buf + at, m->len - at, fmt, ap);
	else
		ret = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (ret > 0)
		m->pos += ret;
}

static void msg_size(struct msg *m, uint64_t bytes)
{
	char s[32];

	ktracectl_format_size(bytes, s, sizeof(s));
	msg_add(m, "%s", s);
}

static void msg_start(struct msg *m, char *buf, size_t len,
		      uint64_t max_size)
{
	m->buf = buf;
	m->len = len;
	m->pos = 0;
	if (buf && len)
		buf[0] = '\0';
	msg_add(m, "max-size ");
	msg_size(m, max_size);
	msg_add(m, " is too small: ");
}

/* ---- equal policy ---- */

static uint64_t stream_end(const struct budget_stream *s)
{
	return s->produced & ~(s->subbuf_size - 1);
}

static int equal_check(const struct budget_stream *streams, size_t n)
{
	size_t i;

	if (n && !streams)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		const struct budget_stream *s = &streams[i];

		if (!is_pow2(s->subbuf_size))
			return -EINVAL;
		if (s->consumed & (s->subbuf_size - 1))
			return -EINVAL;
		if (pos_before(stream_end(s), s->consumed))
			return -EINVAL;
	}
	return 0;
}

/* The stream still takes packets after @served rounds of its size. */
static bool has_room(const struct budget_stream *s, uint64_t served)
{
	return !s->num_subbuf || served < s->num_subbuf;
}

/*
 * Rounds of budget_equal(), batched: while every open size class fits, k
 * whole rounds go at once (k bounded by the budget and by the first stream
 * to reach num_subbuf). A round that does not fit whole serves the classes
 * that fit, smallest first, and closes the others for good: a class's cost
 * only drops when it is served, and the budget left only shrinks. Each pass
 * either closes a class or fills a stream, so there are at most
 * n + 2 x NR_SIZE_CLASSES passes.
 */
static void equal_rounds(const struct budget_stream *streams, size_t n,
			 uint64_t left, uint64_t served[NR_SIZE_CLASSES])
{
	bool open[NR_SIZE_CLASSES] = { false };
	unsigned int c;
	size_t i;

	for (i = 0; i < n; i++)
		open[size_class(streams[i].subbuf_size)] = true;
	for (;;) {
		uint64_t members[NR_SIZE_CLASSES] = { 0 };
		uint64_t room[NR_SIZE_CLASSES];
		uint64_t cost[NR_SIZE_CLASSES];
		bool too_big[NR_SIZE_CLASSES] = { false };
		uint64_t round = 0, k;
		bool round_too_big = false, any = false, progress = false;

		for (c = 0; c < NR_SIZE_CLASSES; c++)
			room[c] = UINT64_MAX;
		for (i = 0; i < n; i++) {
			const struct budget_stream *s = &streams[i];

			c = size_class(s->subbuf_size);
			if (!open[c] || !has_room(s, served[c]))
				continue;
			members[c]++;
			if (s->num_subbuf)
				room[c] = min_u64(room[c],
						  s->num_subbuf - served[c]);
		}
		for (c = 0; c < NR_SIZE_CLASSES; c++) {
			if (!open[c])
				continue;
			if (!members[c]) {
				open[c] = false;	/* every stream is full */
				continue;
			}
			any = true;
			too_big[c] = __builtin_mul_overflow(members[c],
							    UINT64_C(1) << c,
							    &cost[c]);
			if (too_big[c] || add_sat(&round, cost[c]))
				round_too_big = true;
		}
		if (!any)
			return;

		if (!round_too_big && round <= left) {
			k = left / round;
			for (c = 0; c < NR_SIZE_CLASSES; c++)
				if (open[c])
					k = min_u64(k, room[c]);
			for (c = 0; c < NR_SIZE_CLASSES; c++)
				if (open[c])
					served[c] += k;
			left -= k * round;
			continue;
		}

		for (c = 0; c < NR_SIZE_CLASSES; c++) {
			if (!open[c])
				continue;
			if (!too_big[c] && cost[c] <= left) {
				served[c]++;
				left -= cost[c];
				progress = true;
			} else {
				open[c] = false;
			}
		}
		if (!progress)
			return;
	}
}

uint64_t budget_equal_min_size(const struct budget_stream *streams, size_t n)
{
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < n; i++)
		add_sat(&sum, streams[i].subbuf_size);
	return sum;
}

int budget_equal(const struct budget_stream *streams, size_t n,
		 uint64_t max_size, struct budget_range *out,
		 struct budget_equal_result *res)
{
	uint64_t served[NR_SIZE_CLASSES] = { 0 };
	uint64_t min_size = 0, total = 0, granted = 0;
	bool min_too_big = false;
	size_t i;
	int ret;

	ret = equal_check(streams, n);
	if (ret)
		return ret;
	if (n && !out)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (add_sat(&min_size, streams[i].subbuf_size))
			min_too_big = true;
	if (res)
		res->min_size = min_size;
	if (max_size && (min_too_big || max_size < min_size))
		return -ENOSPC;

	if (max_size)
		equal_rounds(streams, n, max_size, served);
	for (i = 0; i < n; i++) {
		const struct budget_stream *s = &streams[i];
		uint64_t size = s->subbuf_size, end = stream_end(s);
		uint64_t readable = (end - s->consumed) / size;
		uint64_t share = UINT64_MAX;

		if (max_size) {
			share = served[size_class(size)];
			if (s->num_subbuf)
				share = min_u64(share, s->num_subbuf);
			/* share x size <= max_size: no overflow. */
			granted += share * size;
		}
		out[i].share = share;
		out[i].packets = min_u64(share, readable);
		out[i].end = end;
		out[i].start = end - out[i].packets * size;
		add_sat(&total, out[i].packets * size);
	}
	if (res) {
		res->total = total;
		res->granted = max_size ? granted : total;
	}
	return 0;
}

int budget_equal_too_small_msg(char *buf, size_t len, uint64_t max_size,
			       const struct budget_stream *streams, size_t n)
{
	uint64_t count[NR_SIZE_CLASSES] = { 0 };
	unsigned int c, classes = 0;
	struct msg m;
	size_t i;

	msg_start(&m, buf, len, max_size);
	for (i = 0; i < n; i++) {
		if (!is_pow2(streams[i].subbuf_size))
			continue;
		c = size_class(streams[i].subbuf_size);
		if (!count[c]++)
			classes++;
	}
	msg_add(&m, "%zu stream%s", n, n == 1 ? "" : "s");
	if (classes == 1) {
		for (c = 0; !count[c]; c++)
			;
		msg_add(&m, " of ");
		msg_size(&m, UINT64_C(1) << c);
		msg_add(&m, " sub-buffers");
	} else if (classes > 1) {
		const char *sep = " (";

		for (c = 0; c < NR_SIZE_CLASSES; c++) {
			if (!count[c])
				continue;
			msg_add(&m, "%s%llu of ", sep,
				(unsigned long long)count[c]);
			msg_size(&m, UINT64_C(1) << c);
			sep = ", ";
		}
		msg_add(&m, " sub-buffers)");
	}
	msg_add(&m, " need%s at least ", n == 1 ? "s" : "");
	msg_size(&m, budget_equal_min_size(streams, n));
	return m.pos;
}

/* ---- window policy ---- */

static int window_check(const struct budget_window_stream *streams, size_t n)
{
	size_t i, k;

	if (n && !streams)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		const struct ktrace_packet_index_entry *p = streams[i].packets;

		if (streams[i].count && !p)
			return -EINVAL;
		for (k = 0; k < streams[i].count; k++) {
			if (!p[k].packet_size ||
			    p[k].timestamp_begin > p[k].timestamp_end ||
			    p[k].timestamp_end == UINT64_MAX)
				return -EINVAL;
			if (k && p[k].timestamp_end < p[k - 1].timestamp_end)
				return -EINVAL;
		}
	}
	return 0;
}

/*
 * Bytes copied for a start time T: every stream's newest packet (@base)
 * plus its older packets that end at or after T. Gives up (false) as soon
 * as @max_size is exceeded; @max_size 0 means no limit.
 */
static bool window_fits(const struct budget_window_stream *streams, size_t n,
			uint64_t t, uint64_t base, uint64_t max_size,
			uint64_t *total)
{
	uint64_t sum = base;
	size_t i, k;

	for (i = 0; i < n; i++) {
		const struct ktrace_packet_index_entry *p = streams[i].packets;

		for (k = streams[i].count; k-- > 1;) {
			if (p[k - 1].timestamp_end < t)
				break;
			if (add_sat(&sum, p[k - 1].packet_size) && max_size)
				return false;
			if (max_size && sum > max_size)
				return false;
		}
	}
	if (total)
		*total = sum;
	return true;
}

static uint64_t window_min_size(const struct budget_window_stream *streams,
				size_t n, bool *too_big, size_t *nonempty)
{
	uint64_t sum = 0;
	size_t i;

	*too_big = false;
	*nonempty = 0;
	for (i = 0; i < n; i++) {
		size_t count = streams[i].count;

		if (!count)
			continue;
		(*nonempty)++;
		if (add_sat(&sum, streams[i].packets[count - 1].packet_size))
			*too_big = true;
	}
	return sum;
}

int budget_window(const struct budget_window_stream *streams, size_t n,
		  uint64_t max_size, size_t *first,
		  struct budget_window_result *res)
{
	uint64_t base, lo = UINT64_MAX, hi = 0, t = 0, total;
	bool base_too_big, older = false;
	size_t i, k, nonempty;
	int ret;

	ret = window_check(streams, n);
	if (ret)
		return ret;
	if (n && !first)
		return -EINVAL;
	base = window_min_size(streams, n, &base_too_big, &nonempty);
	if (res)
		res->min_size = base;
	if (max_size && (base_too_big || max_size < base))
		return -ENOSPC;

	/* Candidate T: the ends of the packets older than each newest one. */
	for (i = 0; i < n; i++) {
		size_t count = streams[i].count;

		if (count < 2)
			continue;
		older = true;
		lo = min_u64(lo, streams[i].packets[0].timestamp_end);
		if (streams[i].packets[count - 2].timestamp_end >= hi)
			hi = streams[i].packets[count - 2].timestamp_end + 1;
	}
	/*
	 * Bisect for the smallest T that fits: fits(hi) holds (only newest
	 * packets), fits(lo) is the everything case. Invariant: !fits(lo),
	 * fits(hi).
	 */
	if (max_size && older &&
	    !window_fits(streams, n, lo, base, max_size, NULL)) {
		while (hi - lo > 1) {
			uint64_t mid = lo + (hi - lo) / 2;

			if (window_fits(streams, n, mid, base, max_size, NULL))
				hi = mid;
			else
				lo = mid;
		}
		t = hi;
	}
	window_fits(streams, n, t, base, 0, &total);

	for (i = 0; i < n; i++) {
		const struct ktrace_packet_index_entry *p = streams[i].packets;
		size_t count = streams[i].count;

		for (k = 0; k + 1 < count && p[k].timestamp_end < t; k++)
			;
		first[i] = k;
	}
	if (res) {
		res->start = t;
		res->total = total;
	}
	return 0;
}

int budget_window_too_small_msg(char *buf, size_t len, uint64_t max_size,
				const struct budget_window_stream *streams,
				size_t n)
{
	size_t nonempty;
	uint64_t min;
	bool too_big;
	struct msg m;

	min = window_min_size(streams, n, &too_big, &nonempty);
	msg_start(&m, buf, len, max_size);
	msg_add(&m, "the newest packet%s of %zu stream%s need%s at least ",
		nonempty == 1 ? "" : "s", nonempty, nonempty == 1 ? "" : "s",
		nonempty == 1 ? "s" : "");
	msg_size(&m, min);
	return m.pos;
}

int budget_window_covered(const struct budget_window_stream *streams,
			  size_t n, const size_t *first,
			  struct budget_span *span)
{
	bool any = false;
	size_t i;

	span->begin = 0;
	span->end = 0;
	for (i = 0; i < n; i++) {
		const struct ktrace_packet_index_entry *p = streams[i].packets;
		size_t count = streams[i].count;

		if (first[i] >= count)
			continue;
		if (!any || p[first[i]].timestamp_begin > span->begin)
			span->begin = p[first[i]].timestamp_begin;
		if (!any || p[count - 1].timestamp_end > span->end)
			span->end = p[count - 1].timestamp_end;
		any = true;
	}
	return any ? 0 : -ENODATA;
}

size_t budget_first_packet_at(const struct ktrace_packet_index_entry *packets,
			      size_t count, uint64_t pos)
{
	size_t lo = 0, hi = count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (pos_before(packets[mid].pos, pos))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}
