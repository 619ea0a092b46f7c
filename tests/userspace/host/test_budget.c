// SPDX-License-Identifier: GPL-2.0
/*
 * Snapshot budgets (tools/ktracectl/budget.c): the equal policy against
 * hand-computed tables, LTTng's cases and an independent round-by-round
 * model; the window policy against hand-computed indexes, a brute-force
 * model and a skewed load.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "budget.h"

#define KiB (UINT64_C(1) << 10)
#define MiB (UINT64_C(1) << 20)
#define GiB (UINT64_C(1) << 30)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_STREAMS 64

/* Deterministic pseudo-random numbers (splitmix64), fixed seeds. */
static uint64_t rng_state;

static uint64_t rng(void)
{
	uint64_t z = (rng_state += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static uint64_t rng_range(uint64_t lo, uint64_t hi)
{
	return lo + rng() % (hi - lo + 1);
}

static bool before(uint64_t a, uint64_t b)
{
	return (int64_t)(a - b) < 0;
}

/*
 * A stream with @readable whole packets ending at a produced position
 * @tail bytes past a sub-buffer boundary; consumed anywhere on the 64-bit
 * axis, so some streams wrap.
 */
static struct budget_stream make_stream(uint64_t subbuf, uint64_t num_subbuf,
					uint64_t readable, uint64_t consumed,
					uint64_t tail)
{
	struct budget_stream s = {
		.subbuf_size = subbuf,
		.num_subbuf = num_subbuf,
		.consumed = consumed & ~(subbuf - 1),
	};

	s.produced = s.consumed + readable * subbuf + tail;
	return s;
}

/* What every successful budget_equal() must satisfy. */
static void check_equal_invariants(const struct budget_stream *st, size_t n,
				   uint64_t max_size,
				   const struct budget_range *out,
				   const struct budget_equal_result *res)
{
	uint64_t total = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		uint64_t s = st[i].subbuf_size;
		uint64_t end = st[i].produced & ~(s - 1);
		uint64_t readable = (end - st[i].consumed) / s;

		assert_int_equal(out[i].end, end);
		assert_int_equal(out[i].start % s, 0);
		assert_false(before(out[i].start, st[i].consumed));
		assert_false(before(end, out[i].start));
		assert_int_equal(out[i].packets, (end - out[i].start) / s);
		assert_true(out[i].packets <= out[i].share);
		assert_int_equal(out[i].packets,
				 readable < out[i].share ? readable :
				 out[i].share);
		if (max_size && st[i].num_subbuf)
			assert_true(out[i].share <= st[i].num_subbuf);
		if (!max_size)
			assert_int_equal(out[i].share, UINT64_MAX);
		total += out[i].packets * s;
	}
	assert_int_equal(res->total, total);
	if (max_size) {
		assert_true(res->total <= res->granted);
		assert_true(res->granted <= max_size);
	}
	assert_int_equal(res->min_size, budget_equal_min_size(st, n));
}

/* ---- equal policy: one sub-buffer size ---- */

struct uniform_row {
	const char *what;
	unsigned int n;
	uint64_t subbuf;
	uint64_t num_subbuf;
	uint64_t readable;
	uint64_t max_size;
	uint64_t share;		/* expected, per stream */
	uint64_t packets;	/* expected, per stream */
};

static const struct uniform_row uniform_rows[] = {
	{ "one packet fits exactly", 1, 4 * KiB, 2, 2, 4 * KiB, 1, 1 },
	{ "both packets fit exactly", 1, 4 * KiB, 2, 2, 8 * KiB, 2, 2 },
	{ "num_subbuf caps the share", 1, 4 * KiB, 2, 2, 1 * MiB, 2, 2 },
	{ "4 rounds fit exactly", 4, 4 * KiB, 64, 64, 64 * KiB, 4, 4 },
	{ "one byte short loses a round", 4, 4 * KiB, 64, 64, 64 * KiB - 1,
	  3, 3 },
	{ "one byte over gains nothing", 4, 4 * KiB, 64, 64, 64 * KiB + 1,
	  4, 4 },
	{ "8 x 256 KiB in 8 MiB", 8, 256 * KiB, 16, 16, 8 * MiB, 4, 4 },
	{ "8 x 256 KiB in 8 MiB - 1", 8, 256 * KiB, 16, 16, 8 * MiB - 1,
	  3, 3 },
	{ "partial last round is not served", 3, 1 * MiB, 8, 8, 10 * MiB,
	  3, 3 },
	{ "17 streams, remainder of 16 packets unused", 17, 64 * KiB, 32, 32,
	  17 * 64 * KiB * 5 + 16 * 64 * KiB, 5, 5 },
	{ "64 x 8 MiB capped at 2 sub-buffers", 64, 8 * MiB, 2, 2, 4 * GiB,
	  2, 2 },
	{ "64 x 8 MiB in 1 GiB", 64, 8 * MiB, 4, 4, 1 * GiB, 2, 2 },
	{ "64 x 4 KiB take all 64", 64, 4 * KiB, 64, 64, 16 * MiB, 64, 64 },
	{ "64 x 4 KiB one byte short", 64, 4 * KiB, 64, 64, 16 * MiB - 1,
	  63, 63 },
	{ "share larger than readable", 2, 4 * KiB, 64, 3, 1 * MiB, 64, 3 },
	{ "num_subbuf unknown: no cap", 2, 4 * KiB, 0, 8, 40 * KiB, 5, 5 },
	{ "num_subbuf unknown, max-size 2^64-1: batched rounds end", 2,
	  4 * KiB, 0, 3, UINT64_MAX, (UINT64_C(1) << 51) - 1, 3 },
	{ "no max-size copies all", 8, 1 * MiB, 8, 8, 0, UINT64_MAX, 8 },
	{ "no max-size, empty streams", 4, 4 * KiB, 4, 0, 0, UINT64_MAX, 0 },
};

static void equal_uniform_table(void **state)
{
	struct budget_stream st[MAX_STREAMS];
	struct budget_range out[MAX_STREAMS];
	size_t r, i;

	(void)state;
	for (r = 0; r < ARRAY_SIZE(uniform_rows); r++) {
		const struct uniform_row *row = &uniform_rows[r];
		struct budget_equal_result res;

		print_message("uniform: %s\n", row->what);
		for (i = 0; i < row->n; i++)
			st[i] = make_stream(row->subbuf, row->num_subbuf,
					    row->readable,
					    i * UINT64_C(0x9e3779b97f4a7c15),
					    i % 3 ? 0 : row->subbuf / 2);
		assert_int_equal(budget_equal(st, row->n, row->max_size, out,
					      &res), 0);
		for (i = 0; i < row->n; i++) {
			assert_int_equal(out[i].share, row->share);
			assert_int_equal(out[i].packets, row->packets);
			assert_int_equal(out[i].start,
					 out[i].end - row->packets * row->subbuf);
		}
		assert_int_equal(res.total, row->n * row->packets * row->subbuf);
		check_equal_invariants(st, row->n, row->max_size, out, &res);
	}
}

/*
 * 1..64 streams, sub-buffers of 4 KiB..8 MiB, 2..64 of them: the share is
 * floor(max_size / (n x subbuf_size)), capped by num_subbuf, at and around
 * every multiple.
 */
static void equal_uniform_share_is_floor_over_geometries(void **state)
{
	static const unsigned int counts[] = { 1, 2, 3, 7, 8, 31, 64 };
	static const uint64_t nsubs[] = { 2, 4, 16, 64 };
	struct budget_stream st[MAX_STREAMS];
	struct budget_range out[MAX_STREAMS];
	unsigned int c, sh, ns, k;
	size_t i;

	(void)state;
	for (c = 0; c < ARRAY_SIZE(counts); c++)
	for (sh = 12; sh <= 23; sh++)
	for (ns = 0; ns < ARRAY_SIZE(nsubs); ns++)
	for (k = 1; k <= nsubs[ns] + 1; k++) {
		uint64_t n = counts[c], s = UINT64_C(1) << sh;
		uint64_t round = n * s;
		uint64_t maxes[3] = { k * round, k * round + s - 1,
				      (k + 1) * round - 1 };
		unsigned int m;

		for (i = 0; i < n; i++)
			st[i] = make_stream(s, nsubs[ns], nsubs[ns],
					    i * UINT64_C(0x5851f42d4c957f2d),
					    0);
		for (m = 0; m < 3; m++) {
			struct budget_equal_result res;
			uint64_t want = maxes[m] / round;

			if (want > nsubs[ns])
				want = nsubs[ns];
			assert_int_equal(budget_equal(st, n, maxes[m], out,
						      &res), 0);
			for (i = 0; i < n; i++) {
				if (out[i].packets != want)
					print_message("n %llu subbuf %llu nsub %llu max %llu\n",
						      (unsigned long long)n,
						      (unsigned long long)s,
						      (unsigned long long)nsubs[ns],
						      (unsigned long long)maxes[m]);
				assert_int_equal(out[i].packets, want);
			}
			check_equal_invariants(st, n, maxes[m], out, &res);
		}
	}
}

/* ---- equal policy: several sub-buffer sizes ---- */

struct chan_spec {
	unsigned int count;
	uint64_t subbuf;
	uint64_t num_subbuf;
	uint64_t readable;
	uint64_t packets;	/* expected per stream */
};

struct mixed_row {
	const char *what;
	uint64_t max_size;
	struct chan_spec chans[3];
	uint64_t total;		/* expected */
};

static const struct mixed_row mixed_rows[] = {
	{ "one packet each fits exactly", 5 * MiB,
	  { { 4, 256 * KiB, 16, 16, 1 }, { 4, 1 * MiB, 16, 16, 1 } },
	  5 * MiB },
	{ "two whole rounds", 10 * MiB,
	  { { 4, 256 * KiB, 16, 16, 2 }, { 4, 1 * MiB, 16, 16, 2 } },
	  10 * MiB },
	/*
	 * lttng-tools stops both channels after round 1 (round 2 costs
	 * 5 MiB, 4 MiB are left): here the 256 KiB channel goes on.
	 */
	{ "small sub-buffers use what large ones cannot", 9 * MiB,
	  { { 4, 256 * KiB, 16, 16, 5 }, { 4, 1 * MiB, 16, 16, 1 } },
	  9 * MiB },
	{ "small sub-buffers stop at num_subbuf", 9 * MiB,
	  { { 4, 256 * KiB, 4, 4, 4 }, { 4, 1 * MiB, 16, 16, 1 } },
	  8 * MiB },
	{ "a full channel hands its rounds to the others", 100 * MiB,
	  { { 8, 4 * MiB, 2, 2, 2 }, { 8, 64 * KiB, 64, 64, 64 } },
	  96 * MiB },
	{ "smallest size is served first in a round",
	  2 * (1 * MiB + 4 * KiB) + 2 * MiB,
	  { { 2, 1 * MiB, 512, 512, 1 }, { 2, 4 * KiB, 512, 512, 257 } },
	  2 * MiB + 2 * 257 * 4 * KiB },
	{ "three sizes, last round serves the two smallest",
	  2 * (1 * MiB + 64 * KiB + 4 * KiB) + 2 * (64 * KiB + 4 * KiB) + 1,
	  { { 2, 4 * KiB, 2, 2, 2 }, { 2, 64 * KiB, 8, 8, 2 },
	    { 2, 1 * MiB, 8, 8, 1 } },
	  2 * (2 * 4 * KiB + 2 * 64 * KiB + 1 * MiB) },
	{ "unused share is not redistributed", 10 * MiB,
	  { { 4, 256 * KiB, 16, 0, 0 }, { 4, 1 * MiB, 16, 16, 2 } },
	  8 * MiB },
};

static void equal_mixed_sizes_table(void **state)
{
	struct budget_stream st[MAX_STREAMS];
	struct budget_range out[MAX_STREAMS];
	size_t r, i, c, n;

	(void)state;
	for (r = 0; r < ARRAY_SIZE(mixed_rows); r++) {
		const struct mixed_row *row = &mixed_rows[r];
		struct budget_equal_result res;

		print_message("mixed: %s\n", row->what);
		/* Interleave the channels' streams: order must not matter. */
		for (n = 0, i = 0; i < MAX_STREAMS; i++)
			for (c = 0; c < 3; c++)
				if (i < row->chans[c].count)
					st[n++] = make_stream(
						row->chans[c].subbuf,
						row->chans[c].num_subbuf,
						row->chans[c].readable,
						rng(), 0);
		assert_int_equal(budget_equal(st, n, row->max_size, out, &res),
				 0);
		for (i = 0; i < n; i++)
			for (c = 0; c < 3; c++)
				if (row->chans[c].count &&
				    st[i].subbuf_size == row->chans[c].subbuf)
					assert_int_equal(out[i].packets,
							 row->chans[c].packets);
		assert_int_equal(res.total, row->total);
		check_equal_invariants(st, n, row->max_size, out, &res);
	}
}

/* ---- equal policy: positions ---- */

static void equal_positions_wrap_past_2_64(void **state)
{
	const uint64_t s = 64 * KiB;
	/* consumed 3 packets below 2^64, produced 2 packets past 0. */
	struct budget_stream st = {
		.subbuf_size = s, .num_subbuf = 8,
		.consumed = (uint64_t)0 - 3 * s, .produced = 2 * s + 100,
	};
	struct budget_equal_result res;
	struct budget_range out;

	(void)state;
	assert_int_equal(budget_equal(&st, 1, 3 * s, &out, &res), 0);
	assert_int_equal(out.end, 2 * s);
	assert_int_equal(out.packets, 3);
	assert_int_equal(out.start, (uint64_t)0 - s);
	check_equal_invariants(&st, 1, 3 * s, &out, &res);

	assert_int_equal(budget_equal(&st, 1, 0, &out, &res), 0);
	assert_int_equal(out.packets, 5);
	assert_int_equal(out.start, st.consumed);

	assert_int_equal(budget_equal(&st, 1, 100 * s, &out, &res), 0);
	assert_int_equal(out.packets, 5);
	assert_int_equal(out.start, st.consumed);
	check_equal_invariants(&st, 1, 100 * s, &out, &res);
}

static void equal_start_is_aligned_when_produced_is_not(void **state)
{
	const uint64_t s = 4 * KiB;
	struct budget_stream st = {
		.subbuf_size = s, .num_subbuf = 8,
		.consumed = 0, .produced = 5 * s + 17,
	};
	struct budget_equal_result res;
	struct budget_range out;

	(void)state;
	/* LTTng 2013 started at produced - 2.5 packets: unaligned. */
	assert_int_equal(budget_equal(&st, 1, 2 * s + s / 2, &out, &res), 0);
	assert_int_equal(out.end, 5 * s);
	assert_int_equal(out.start, 3 * s);
	assert_int_equal(out.packets, 2);
}

static void equal_fewer_readable_packets_keep_others_share(void **state)
{
	const uint64_t s = 4 * KiB;
	struct budget_stream st[4] = {
		make_stream(s, 64, 64, 0, 0),
		make_stream(s, 64, 64, 1 * MiB, 0),
		make_stream(s, 64, 1, 2 * MiB, 0),
		make_stream(s, 64, 0, 3 * MiB, 0),	/* empty */
	};
	static const uint64_t want[4] = { 4, 4, 1, 0 };
	struct budget_equal_result res;
	struct budget_range out[4];
	size_t i;

	(void)state;
	assert_int_equal(budget_equal(st, 4, 64 * KiB, out, &res), 0);
	for (i = 0; i < 4; i++) {
		assert_int_equal(out[i].share, 4);
		assert_int_equal(out[i].packets, want[i]);
	}
	assert_int_equal(out[3].start, st[3].consumed);
	assert_int_equal(out[3].end, st[3].consumed);
	assert_int_equal(res.total, 9 * s);
	assert_int_equal(res.granted, 64 * KiB);
	check_equal_invariants(st, 4, 64 * KiB, out, &res);
}

static void equal_no_streams_copies_nothing(void **state)
{
	struct budget_equal_result res;

	(void)state;
	assert_int_equal(budget_equal(NULL, 0, 4 * KiB, NULL, &res), 0);
	assert_int_equal(res.total, 0);
	assert_int_equal(res.min_size, 0);
}

/* ---- equal policy: too small ---- */

struct too_small_row {
	const char *what;
	uint64_t max_size;
	struct chan_spec chans[2];
	uint64_t min_size;
	const char *msg;
};

static const struct too_small_row too_small_rows[] = {
	{ "8 streams of 256 KiB in 64 KiB", 64 * KiB,
	  { { 8, 256 * KiB, 4, 4, 0 } }, 2 * MiB,
	  "max-size 64 KiB is too small: 8 streams of 256 KiB sub-buffers "
	  "need at least 2 MiB" },
	{ "one byte short of a packet each", 2 * MiB - 1,
	  { { 8, 256 * KiB, 4, 4, 0 } }, 2 * MiB,
	  "max-size 2097151 B is too small: 8 streams of 256 KiB "
	  "sub-buffers need at least 2 MiB" },
	{ "mixed sizes", 1 * MiB,
	  { { 4, 256 * KiB, 4, 4, 0 }, { 4, 1 * MiB, 4, 4, 0 } }, 5 * MiB,
	  "max-size 1 MiB is too small: 8 streams (4 of 256 KiB, 4 of 1 MiB "
	  "sub-buffers) need at least 5 MiB" },
	{ "one stream", 100,
	  { { 1, 4 * KiB, 2, 2, 0 } }, 4 * KiB,
	  "max-size 100 B is too small: 1 stream of 4 KiB sub-buffers needs "
	  "at least 4 KiB" },
	{ "empty streams count: the split follows the geometry", 4 * KiB,
	  { { 2, 4 * KiB, 2, 0, 0 } }, 8 * KiB,
	  "max-size 4 KiB is too small: 2 streams of 4 KiB sub-buffers need "
	  "at least 8 KiB" },
	{ "not a binary multiple", 3 * MiB + 1,
	  { { 3, 1 * MiB, 4, 4, 0 }, { 1, 4 * KiB, 4, 4, 0 } },
	  3 * MiB + 4 * KiB,
	  "max-size 3145729 B is too small: 4 streams (1 of 4 KiB, 3 of "
	  "1 MiB sub-buffers) need at least 3076 KiB" },
};

static void equal_too_small_fails_with_message(void **state)
{
	struct budget_stream st[MAX_STREAMS];
	struct budget_range out[MAX_STREAMS];
	size_t r, i, c, n;
	char msg[256];

	(void)state;
	for (r = 0; r < ARRAY_SIZE(too_small_rows); r++) {
		const struct too_small_row *row = &too_small_rows[r];
		struct budget_equal_result res = { 0 };
		int len;

		print_message("too small: %s\n", row->what);
		for (n = 0, c = 0; c < 2; c++)
			for (i = 0; i < row->chans[c].count; i++)
				st[n++] = make_stream(row->chans[c].subbuf,
						      row->chans[c].num_subbuf,
						      row->chans[c].readable,
						      rng(), 0);
		memset(out, 0xa5, sizeof(out));
		assert_int_equal(budget_equal(st, n, row->max_size, out, &res),
				 -ENOSPC);
		assert_int_equal(res.min_size, row->min_size);
		assert_int_equal(out[0].start, UINT64_C(0xa5a5a5a5a5a5a5a5));
		len = budget_equal_too_small_msg(msg, sizeof(msg),
						 row->max_size, st, n);
		assert_string_equal(msg, row->msg);
		assert_int_equal(len, strlen(row->msg));

		/* The minimum it reports is enough: one packet each. */
		assert_int_equal(budget_equal(st, n, row->min_size, out, &res),
				 0);
		for (i = 0; i < n; i++)
			assert_int_equal(out[i].share, 1);
	}
}

static void equal_too_small_message_truncates_safely(void **state)
{
	struct budget_stream st[8];
	char msg[16];
	size_t i;
	int len;

	(void)state;
	for (i = 0; i < 8; i++)
		st[i] = make_stream(256 * KiB, 4, 4, 0, 0);
	len = budget_equal_too_small_msg(msg, sizeof(msg), 64 * KiB, st, 8);
	assert_int_equal(len, strlen("max-size 64 KiB is too small: 8 streams"
				     " of 256 KiB sub-buffers need at least "
				     "2 MiB"));
	assert_string_equal(msg, "max-size 64 KiB");
	assert_int_equal(budget_equal_too_small_msg(NULL, 0, 64 * KiB, st, 8),
			 len);
}

/* ---- equal policy: rejected input, one error at a time ---- */

static void equal_rejects_invalid_streams(void **state)
{
	const struct budget_stream good = make_stream(4 * KiB, 4, 2, 0, 0);
	struct {
		const char *what;
		struct budget_stream bad;
	} rows[] = {
		{ "sub-buffer size 0", { 0, 4, 0, 8 * KiB } },
		{ "sub-buffer size not a power of two",
		  { 3000, 4, 0, 6000 } },
		{ "consumed not sub-buffer aligned",
		  { 4 * KiB, 4, 100, 8 * KiB } },
		{ "consumed after produced", { 4 * KiB, 4, 8 * KiB, 4 * KiB } },
		{ "consumed after produced across the wrap",
		  { 4 * KiB, 4, 4 * KiB, (uint64_t)0 - 4 * KiB } },
	};
	struct budget_range out[2];
	size_t r;

	(void)state;
	for (r = 0; r < ARRAY_SIZE(rows); r++) {
		struct budget_stream st[2] = { good, rows[r].bad };

		print_message("rejects: %s\n", rows[r].what);
		memset(out, 0xa5, sizeof(out));
		assert_int_equal(budget_equal(st, 2, 0, out, NULL), -EINVAL);
		assert_int_equal(budget_equal(st, 2, 1 * MiB, out, NULL),
				 -EINVAL);
		assert_int_equal(out[0].start, UINT64_C(0xa5a5a5a5a5a5a5a5));
	}
	assert_int_equal(budget_equal(NULL, 1, 0, out, NULL), -EINVAL);
	assert_int_equal(budget_equal(&good, 1, 0, NULL, NULL), -EINVAL);
	assert_int_equal(budget_equal(&good, 1, 0, out, NULL), 0);
}

/* ---- equal policy: property check against a round-by-round model ---- */

/*
 * The rule of budget.h, literally: rounds; in each, every sub-buffer size
 * from the smallest, all its streams with room get a packet if they all
 * fit; stop when a round gives nothing. No batching, no closing.
 */
static void model_equal_shares(const struct budget_stream *st, size_t n,
			       uint64_t max_size, uint64_t *share)
{
	uint64_t served[64] = { 0 }, left = max_size;
	bool progress = true;
	unsigned int c;
	size_t i;

	while (progress) {
		progress = false;
		for (c = 0; c < 64; c++) {
			uint64_t members = 0, cost;

			for (i = 0; i < n; i++)
				if (st[i].subbuf_size == UINT64_C(1) << c &&
				    (!st[i].num_subbuf ||
				     served[c] < st[i].num_subbuf))
					members++;
			if (!members)
				continue;
			cost = members << c;
			if (cost <= left) {
				left -= cost;
				served[c]++;
				progress = true;
			}
		}
	}
	for (i = 0; i < n; i++) {
		c = 63 - __builtin_clzll(st[i].subbuf_size);
		share[i] = served[c];
		if (st[i].num_subbuf && share[i] > st[i].num_subbuf)
			share[i] = st[i].num_subbuf;
	}
}

static void equal_random_geometries_hold_invariants(void **state)
{
	unsigned int iter;

	(void)state;
	rng_state = 20240305;
	for (iter = 0; iter < 3000; iter++) {
		struct budget_stream st[MAX_STREAMS], rev[MAX_STREAMS];
		struct budget_range out[MAX_STREAMS], rout[MAX_STREAMS];
		struct budget_equal_result res, rres;
		uint64_t share[MAX_STREAMS], capacity = 0, min_size, max_size;
		unsigned int nchan = rng_range(1, 4), ncpu = rng_range(1, 16);
		bool uniform = true;
		size_t n = 0, i, c;

		for (c = 0; c < nchan; c++) {
			uint64_t s = UINT64_C(1) << rng_range(12, 23);
			uint64_t nsub = UINT64_C(1) << rng_range(1, 6);

			for (i = 0; i < ncpu; i++) {
				/* Near the wrap one time in four. */
				uint64_t consumed = rng() % 4 ? rng() :
					(uint64_t)0 - rng_range(0, 64) * s;

				st[n++] = make_stream(s, nsub,
						      rng_range(0, nsub),
						      consumed,
						      rng_range(0, s - 1));
				capacity += nsub * s;
			}
			if (st[0].subbuf_size != s ||
			    st[0].num_subbuf != nsub)
				uniform = false;
		}
		min_size = budget_equal_min_size(st, n);
		max_size = rng() % 8 ? rng_range(min_size, 2 * capacity) : 0;

		assert_int_equal(budget_equal(st, n, max_size, out, &res), 0);
		check_equal_invariants(st, n, max_size, out, &res);
		if (!max_size)
			continue;
		model_equal_shares(st, n, max_size, share);
		for (i = 0; i < n; i++)
			assert_int_equal(out[i].share, share[i]);
		if (uniform)
			for (i = 0; i < n; i++) {
				uint64_t want = max_size / (n * st[0].subbuf_size);

				if (want > st[i].num_subbuf)
					want = st[i].num_subbuf;
				assert_int_equal(out[i].share, want);
			}
		/* The order of the streams does not matter. */
		for (i = 0; i < n; i++)
			rev[i] = st[n - 1 - i];
		assert_int_equal(budget_equal(rev, n, max_size, rout, &rres),
				 0);
		for (i = 0; i < n; i++)
			assert_int_equal(rout[i].share, out[n - 1 - i].share);
		/* Too small by one byte fails. */
		assert_int_equal(budget_equal(st, n, min_size - 1, out, &res),
				 min_size > 1 ? -ENOSPC : 0);
	}
}

/* ---- window policy ---- */

#define MAX_PACKETS 128

struct idx {
	struct ktrace_packet_index_entry p[MAX_PACKETS];
	size_t count;
};

/* Append a packet [begin, end] of @size bytes at the next position. */
static void idx_add(struct idx *x, uint64_t pos, uint64_t begin, uint64_t end,
		    uint64_t size)
{
	struct ktrace_packet_index_entry *e = &x->p[x->count];

	e->pos = pos;
	e->timestamp_begin = begin;
	e->timestamp_end = end;
	e->seq = x->count;
	e->content_size = size - 100;
	e->packet_size = size;
	x->count++;
}

static void idx_streams(struct idx *x, size_t n,
			struct budget_window_stream *ws)
{
	size_t i;

	for (i = 0; i < n; i++) {
		ws[i].packets = x[i].p;
		ws[i].count = x[i].count;
	}
}

/* A stream of equal packets: ends[] are the packets' end times. */
static void idx_fill(struct idx *x, const uint64_t *ends, size_t count,
		     uint64_t size)
{
	size_t k;

	x->count = 0;
	for (k = 0; k < count; k++)
		idx_add(x, k * 64 * KiB, k ? ends[k - 1] : 0, ends[k], size);
}

/* The copy is the packets ending at or after T, plus each newest. */
static void check_window_invariants(const struct budget_window_stream *ws,
				    size_t n, uint64_t max_size,
				    const size_t *first,
				    const struct budget_window_result *res)
{
	uint64_t total = 0;
	size_t i, k;

	for (i = 0; i < n; i++) {
		const struct ktrace_packet_index_entry *p = ws[i].packets;

		if (!ws[i].count) {
			assert_int_equal(first[i], 0);
			continue;
		}
		assert_true(first[i] < ws[i].count);
		for (k = 0; k < ws[i].count; k++) {
			bool copied = k >= first[i];

			if (k + 1 < ws[i].count)
				assert_int_equal(copied,
						 p[k].timestamp_end >= res->start);
			else
				assert_true(copied);
			if (copied)
				total += p[k].packet_size;
		}
	}
	assert_int_equal(res->total, total);
	if (max_size)
		assert_true(total <= max_size);
}

struct window_row {
	const char *what;
	uint64_t max_size;
	uint64_t start;		/* expected T */
	size_t first[3];	/* expected */
	uint64_t total;		/* expected */
};

/*
 * A: 4 packets of 4 KiB ending at 10, 20, 30, 40;
 * B: 1 packet of 4 KiB ending at 40;
 * C: 3 packets of 4 KiB ending at 10, 20, 30 (ties with A).
 */
static const struct window_row window_rows[] = {
	{ "only the newest packets fit", 12 * KiB, 31, { 3, 0, 2 },
	  12 * KiB },
	{ "one more packet fits: the newest older one", 16 * KiB, 21,
	  { 2, 0, 2 }, 16 * KiB },
	{ "ties go in together or not at all", 20 * KiB, 21, { 2, 0, 2 },
	  16 * KiB },
	{ "one byte short of a tie group", 24 * KiB - 1, 21, { 2, 0, 2 },
	  16 * KiB },
	{ "exact fit of a tie group", 24 * KiB, 11, { 1, 0, 1 }, 24 * KiB },
	{ "one byte short of everything", 32 * KiB - 1, 11, { 1, 0, 1 },
	  24 * KiB },
	{ "everything fits: T is 0", 32 * KiB, 0, { 0, 0, 0 }, 32 * KiB },
	{ "no max-size: everything", 0, 0, { 0, 0, 0 }, 32 * KiB },
};

static void window_table(void **state)
{
	static const uint64_t a_ends[] = { 10, 20, 30, 40 };
	static const uint64_t b_ends[] = { 40 };
	static const uint64_t c_ends[] = { 10, 20, 30 };
	struct budget_window_stream ws[3];
	struct idx x[3];
	size_t r, i;

	(void)state;
	idx_fill(&x[0], a_ends, 4, 4 * KiB);
	idx_fill(&x[1], b_ends, 1, 4 * KiB);
	idx_fill(&x[2], c_ends, 3, 4 * KiB);
	idx_streams(x, 3, ws);
	for (r = 0; r < ARRAY_SIZE(window_rows); r++) {
		const struct window_row *row = &window_rows[r];
		struct budget_window_result res;
		size_t first[3];

		print_message("window: %s\n", row->what);
		assert_int_equal(budget_window(ws, 3, row->max_size, first,
					       &res), 0);
		assert_int_equal(res.start, row->start);
		for (i = 0; i < 3; i++)
			assert_int_equal(first[i], row->first[i]);
		assert_int_equal(res.total, row->total);
		assert_int_equal(res.min_size, 12 * KiB);
		check_window_invariants(ws, 3, row->max_size, first, &res);
	}
}

static void window_idle_stream_keeps_its_newest_packet(void **state)
{
	static const uint64_t busy_ends[] = { 100, 200, 300, 400 };
	static const uint64_t idle_ends[] = { 5 };
	struct budget_window_stream ws[3];
	struct budget_window_result res;
	size_t first[3];
	struct idx x[3];

	(void)state;
	idx_fill(&x[0], busy_ends, 4, 8 * KiB);
	idx_fill(&x[1], idle_ends, 1, 4 * KiB);
	x[2].count = 0;				/* empty */
	idx_streams(x, 3, ws);
	assert_int_equal(budget_window(ws, 3, 20 * KiB, first, &res), 0);
	/* The idle packet ended at 5, long before T, and is still copied. */
	assert_int_equal(res.start, 201);
	assert_int_equal(first[0], 2);
	assert_int_equal(first[1], 0);
	assert_int_equal(first[2], 0);		/* == count: nothing */
	assert_int_equal(res.total, 20 * KiB);
	check_window_invariants(ws, 3, 20 * KiB, first, &res);
}

static void window_budgets_packet_size_not_subbuf_size(void **state)
{
	struct budget_window_stream ws;
	struct budget_window_result res;
	size_t first;
	struct idx x = { .count = 0 };

	(void)state;
	/* 64 KiB sub-buffers holding 4, 8 and 12 KiB of content. */
	idx_add(&x, 0, 0, 10, 12 * KiB);
	idx_add(&x, 64 * KiB, 10, 20, 4 * KiB);
	idx_add(&x, 128 * KiB, 20, 30, 8 * KiB);
	idx_streams(&x, 1, &ws);
	assert_int_equal(budget_window(&ws, 1, 12 * KiB, &first, &res), 0);
	assert_int_equal(first, 1);
	assert_int_equal(res.total, 12 * KiB);
	assert_int_equal(budget_window(&ws, 1, 24 * KiB - 1, &first, &res), 0);
	assert_int_equal(first, 1);
	assert_int_equal(res.start, 11);
	assert_int_equal(budget_window(&ws, 1, 24 * KiB, &first, &res), 0);
	assert_int_equal(first, 0);
	assert_int_equal(res.start, 0);
}

static void window_too_small_fails_with_message(void **state)
{
	static const uint64_t ends[] = { 10, 20 };
	struct budget_window_stream ws[3];
	struct budget_window_result res = { 0 };
	size_t first[3] = { 7, 7, 7 };
	struct idx x[3];
	char msg[128];

	(void)state;
	idx_fill(&x[0], ends, 2, 8 * KiB);
	idx_fill(&x[1], ends, 2, 4 * KiB);
	x[2].count = 0;
	idx_streams(x, 3, ws);
	assert_int_equal(budget_window(ws, 3, 12 * KiB - 1, first, &res),
			 -ENOSPC);
	assert_int_equal(res.min_size, 12 * KiB);
	assert_int_equal(first[0], 7);
	budget_window_too_small_msg(msg, sizeof(msg), 12 * KiB - 1, ws, 3);
	assert_string_equal(msg, "max-size 12287 B is too small: the newest "
			    "packets of 2 streams need at least 12 KiB");
	assert_int_equal(budget_window(ws, 3, 12 * KiB, first, &res), 0);

	budget_window_too_small_msg(msg, sizeof(msg), 4 * KiB, ws, 1);
	assert_string_equal(msg, "max-size 4 KiB is too small: the newest "
			    "packet of 1 stream needs at least 8 KiB");
}

static void window_rejects_invalid_indexes(void **state)
{
	struct {
		const char *what;
		struct ktrace_packet_index_entry bad;
	} rows[] = {
		{ "packet of size 0", { 128 * KiB, 30, 40, 2, 0, 0 } },
		{ "ends before it begins", { 128 * KiB, 40, 30, 2, 100, 4096 } },
		{ "ends before the packet ahead", { 128 * KiB, 15, 19, 2, 100,
						     4096 } },
		{ "timestamp_end UINT64_MAX", { 128 * KiB, 30, UINT64_MAX, 2,
						 100, 4096 } },
	};
	static const uint64_t ends[] = { 10, 20 };
	struct budget_window_stream ws;
	size_t r, first = 7;
	struct idx x;

	(void)state;
	for (r = 0; r < ARRAY_SIZE(rows); r++) {
		print_message("rejects: %s\n", rows[r].what);
		idx_fill(&x, ends, 2, 4 * KiB);
		x.p[x.count++] = rows[r].bad;
		idx_streams(&x, 1, &ws);
		assert_int_equal(budget_window(&ws, 1, 1 * MiB, &first, NULL),
				 -EINVAL);
		assert_int_equal(budget_window(&ws, 1, 0, &first, NULL),
				 -EINVAL);
		assert_int_equal(first, 7);
	}
	ws.packets = NULL;
	ws.count = 1;
	assert_int_equal(budget_window(&ws, 1, 0, &first, NULL), -EINVAL);
	assert_int_equal(budget_window(NULL, 1, 0, &first, NULL), -EINVAL);
	idx_fill(&x, ends, 2, 4 * KiB);
	idx_streams(&x, 1, &ws);
	assert_int_equal(budget_window(&ws, 1, 0, NULL, NULL), -EINVAL);
	assert_int_equal(budget_window(&ws, 1, 0, &first, NULL), 0);
}

/* Bytes a start time T copies, by brute force. */
static uint64_t model_window_total(const struct budget_window_stream *ws,
				   size_t n, uint64_t t)
{
	uint64_t total = 0;
	size_t i, k;

	for (i = 0; i < n; i++)
		for (k = 0; k < ws[i].count; k++)
			if (k + 1 == ws[i].count ||
			    ws[i].packets[k].timestamp_end >= t)
				total += ws[i].packets[k].packet_size;
	return total;
}

static void window_random_indexes_choose_oldest_start(void **state)
{
	static struct idx x[16];
	unsigned int iter;

	(void)state;
	rng_state = 7;
	for (iter = 0; iter < 2000; iter++) {
		struct budget_window_stream ws[16];
		struct budget_window_result res;
		uint64_t all, max_size, t, cand;
		size_t n = rng_range(1, 16), first[16], i, k;

		for (i = 0; i < n; i++) {
			/* Coarse clock: ties across streams are common. */
			uint64_t now = rng_range(0, 50);

			x[i].count = 0;
			for (k = rng_range(0, 40); k; k--) {
				uint64_t begin = now;

				now += rng_range(0, 5);
				idx_add(&x[i], x[i].count * 64 * KiB, begin, now,
					rng_range(1, 16) * 4 * KiB);
			}
		}
		idx_streams(x, n, ws);
		all = model_window_total(ws, n, 0);
		max_size = rng() % 8 ? rng_range(1, all + 1) : 0;

		if (max_size && max_size < model_window_total(ws, n,
							      UINT64_MAX)) {
			assert_int_equal(budget_window(ws, n, max_size, first,
						       &res), -ENOSPC);
			continue;
		}
		assert_int_equal(budget_window(ws, n, max_size, first, &res),
				 0);
		check_window_invariants(ws, n, max_size, first, &res);
		t = res.start;
		assert_int_equal(res.total, model_window_total(ws, n, t));
		if (!max_size) {
			assert_int_equal(t, 0);
			continue;
		}
		/* T is the oldest: every older candidate exceeds max-size. */
		if (t) {
			assert_true(model_window_total(ws, n, t - 1) > max_size);
			cand = 0;
			for (i = 0; i < n; i++)
				for (k = 0; k + 1 < ws[i].count; k++)
					if (ws[i].packets[k].timestamp_end == t - 1)
						cand = 1;
			assert_int_equal(cand, 1);	/* T = an end + 1 */
		}
	}
}

/*
 * One busy CPU writes 10x the packets of the 7 idle ones over the same
 * 10 s; every buffer holds its newest 64 packets of 64 KiB. Positions of
 * the busy stream wrap past 2^64.
 */
static void window_skewed_load_covers_twice_equal_window(void **state)
{
	const uint64_t s = 64 * KiB, ms = 1000000, max_size = 8 * MiB;
	static struct idx x[8];
	struct budget_window_stream ws[8];
	struct budget_stream st[8];
	struct budget_range out[8];
	struct budget_window_result wres;
	struct budget_equal_result eres;
	struct budget_span wspan, espan;
	size_t wfirst[8], efirst[8], i, k;

	(void)state;
	for (i = 0; i < 8; i++) {
		uint64_t period = i ? 100 * ms : 10 * ms;
		uint64_t base = i ? i * GiB : (uint64_t)0 - 10 * s;

		x[i].count = 0;
		for (k = 0; k < 64; k++) {
			uint64_t end = 10000 * ms - (63 - k) * period;

			idx_add(&x[i], base + k * s, end - period, end, s);
		}
		st[i].subbuf_size = s;
		st[i].num_subbuf = 64;
		st[i].consumed = base;
		st[i].produced = base + 64 * s;
	}
	idx_streams(x, 8, ws);

	assert_int_equal(budget_window(ws, 8, max_size, wfirst, &wres), 0);
	check_window_invariants(ws, 8, max_size, wfirst, &wres);
	assert_int_equal(budget_window_covered(ws, 8, wfirst, &wspan), 0);

	assert_int_equal(budget_equal(st, 8, max_size, out, &eres), 0);
	for (i = 0; i < 8; i++) {
		assert_int_equal(out[i].packets, 16);
		efirst[i] = budget_first_packet_at(x[i].p, x[i].count,
						   out[i].start);
		assert_int_equal(efirst[i], 64 - 16);
	}
	assert_int_equal(budget_window_covered(ws, 8, efirst, &espan), 0);

	/* Equal: 16 busy packets, 160 ms. Window: all 64 busy, 640 ms. */
	assert_int_equal(espan.end - espan.begin, 160 * ms);
	assert_int_equal(wspan.end - wspan.begin, 640 * ms);
	assert_true(wspan.end - wspan.begin >= 2 * (espan.end - espan.begin));
	/* The busy CPU gets more bytes than any idle one. */
	for (i = 1; i < 8; i++)
		assert_true(64 - wfirst[0] > 2 * (64 - wfirst[i]));
	assert_true(wres.total <= max_size);
	assert_true(wres.total > eres.total / 2);
}

struct covered_row {
	const char *what;
	size_t first[2];
	int ret;
	uint64_t begin, end;
};

static void window_covered_is_latest_first_begin(void **state)
{
	static const uint64_t a_ends[] = { 10, 20, 30, 40 };
	static const uint64_t b_ends[] = { 25, 35 };
	static const struct covered_row rows[] = {
		{ "all of both", { 0, 0 }, 0, 0, 40 },
		{ "A from 20, B all", { 2, 0 }, 0, 20, 40 },
		{ "A all, B from 25", { 0, 1 }, 0, 25, 40 },
		{ "only B", { 4, 1 }, 0, 25, 35 },
		{ "nothing", { 4, 2 }, -ENODATA, 0, 0 },
	};
	struct budget_window_stream ws[2];
	struct budget_span span;
	struct idx x[2];
	size_t r;

	(void)state;
	idx_fill(&x[0], a_ends, 4, 4 * KiB);
	idx_fill(&x[1], b_ends, 2, 4 * KiB);
	idx_streams(x, 2, ws);
	for (r = 0; r < ARRAY_SIZE(rows); r++) {
		print_message("covered: %s\n", rows[r].what);
		assert_int_equal(budget_window_covered(ws, 2, rows[r].first,
						       &span), rows[r].ret);
		assert_int_equal(span.begin, rows[r].begin);
		assert_int_equal(span.end, rows[r].end);
	}
}

static void first_packet_at_is_wrap_safe(void **state)
{
	const uint64_t s = 4 * KiB, base = (uint64_t)0 - 2 * s;
	struct idx x = { .count = 0 };

	(void)state;
	/* Positions -2s, -s, 0, s, 3s (the packet at 2s was skipped). */
	idx_add(&x, base, 0, 1, s);
	idx_add(&x, base + s, 1, 2, s);
	idx_add(&x, 0, 2, 3, s);
	idx_add(&x, s, 3, 4, s);
	idx_add(&x, 3 * s, 4, 5, s);
	assert_int_equal(budget_first_packet_at(x.p, 5, base - s), 0);
	assert_int_equal(budget_first_packet_at(x.p, 5, base), 0);
	assert_int_equal(budget_first_packet_at(x.p, 5, base + s), 1);
	assert_int_equal(budget_first_packet_at(x.p, 5, 0), 2);
	assert_int_equal(budget_first_packet_at(x.p, 5, 2 * s), 4);
	assert_int_equal(budget_first_packet_at(x.p, 5, 4 * s), 5);
	assert_int_equal(budget_first_packet_at(x.p, 0, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(equal_uniform_table),
		cmocka_unit_test(equal_uniform_share_is_floor_over_geometries),
		cmocka_unit_test(equal_mixed_sizes_table),
		cmocka_unit_test(equal_positions_wrap_past_2_64),
		cmocka_unit_test(equal_start_is_aligned_when_produced_is_not),
		cmocka_unit_test(equal_fewer_readable_packets_keep_others_share),
		cmocka_unit_test(equal_no_streams_copies_nothing),
		cmocka_unit_test(equal_too_small_fails_with_message),
		cmocka_unit_test(equal_too_small_message_truncates_safely),
		cmocka_unit_test(equal_rejects_invalid_streams),
		cmocka_unit_test(equal_random_geometries_hold_invariants),
		cmocka_unit_test(window_table),
		cmocka_unit_test(window_idle_stream_keeps_its_newest_packet),
		cmocka_unit_test(window_budgets_packet_size_not_subbuf_size),
		cmocka_unit_test(window_too_small_fails_with_message),
		cmocka_unit_test(window_rejects_invalid_indexes),
		cmocka_unit_test(window_random_indexes_choose_oldest_start),
		cmocka_unit_test(window_skewed_load_covers_twice_equal_window),
		cmocka_unit_test(window_covered_is_latest_first_begin),
		cmocka_unit_test(first_packet_at_is_wrap_safe),
	};

	return cmocka_run_group_tests_name("budget", tests, NULL, NULL);
}
