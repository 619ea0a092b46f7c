/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Snapshot budgets: which packets of which streams a snapshot copies so that
 * it fits in --max-size (docs/DESIGN.md, decision 8: the module reports
 * positions and packet indexes, ktracectl decides).
 *
 * Pure functions: no I/O, no allocation, unit-tested on the host
 * (tests/userspace/host/test_budget.c). Errors are negative errnos.
 *
 * Positions are the free-running byte counters the stream fds report
 * (KTRACE_STREAM_SNAPSHOT_GET_CONSUMED/_PRODUCED, packet index entries).
 * They wrap at 2^64, so positions are only ever compared through their
 * signed difference. The metadata stream is never budgeted (as in LTTng):
 * the trace is unreadable without all of it.
 *
 * Two policies:
 *
 * equal  LTTng's: every stream gets the same number of whole sub-buffers,
 *        from the channel geometry alone, budgeted at the full sub-buffer
 *        size. See budget_equal().
 * window every stream covers the same most recent stretch of time: busy
 *        streams get more bytes, idle ones fewer. Budgeted on the bytes a
 *        packet really takes on disk. See budget_window().
 */
#ifndef KTRACECTL_BUDGET_H
#define KTRACECTL_BUDGET_H

#include <stddef.h>
#include <stdint.h>

#include <ktrace.h>

/**
 * struct budget_stream - one stream (channel x CPU) as sampled after a flush
 * @subbuf_size: the channel's sub-buffer size in bytes, a power of two.
 * @num_subbuf: the channel's sub-buffer count: no stream is granted more
 *	packets than this; 0 when unknown (then there is no such cap).
 * @consumed: the consumed position: the oldest readable packet. The ring
 *	buffer keeps it sub-buffer aligned; an unaligned one is rejected.
 * @produced: the end of the last complete packet; truncated down to a
 *	sub-buffer boundary, so it may be aligned or not.
 */
struct budget_stream {
	uint64_t subbuf_size;
	uint64_t num_subbuf;
	uint64_t consumed;
	uint64_t produced;
};

/**
 * struct budget_range - what to copy from one stream: positions [start, end)
 * @start: first packet to copy; sub-buffer aligned, never before consumed.
 * @end: the stream's produced position truncated to a sub-buffer.
 * @packets: (end - start) / subbuf_size; 0 copies nothing.
 * @share: packets the budget granted the stream (UINT64_MAX without a
 *	max-size); @packets is the smaller of this and what is readable.
 */
struct budget_range {
	uint64_t start;
	uint64_t end;
	uint64_t packets;
	uint64_t share;
};

/**
 * struct budget_equal_result - totals of budget_equal()
 * @total: bytes the ranges cover (packets x sub-buffer size, summed).
 * @granted: bytes of the granted shares; @total <= @granted <= max_size.
 * @min_size: the smallest max-size that succeeds: one sub-buffer of every
 *	stream, empty or not. Set on success and on -ENOSPC.
 */
struct budget_equal_result {
	uint64_t total;
	uint64_t granted;
	uint64_t min_size;
};

/**
 * budget_equal() - the equal policy: whole packets, shared alike
 * @streams: the session's streams, every channel, every CPU.
 * @n: how many.
 * @max_size: the snapshot's maximum size in bytes; 0 for no limit.
 * @out: @n ranges, written only on success.
 * @res: totals; may be NULL.
 *
 * Shares come from the channel geometry only, never from how much data a
 * stream holds, so the same configuration always splits the same way and
 * the too-small error does not depend on the load:
 *
 * - Packets are handed out in rounds. A round offers one more packet to
 *   every stream that still has room (fewer than @num_subbuf granted), one
 *   sub-buffer size at a time, smallest first. The streams of one size get
 *   their packet together, and only if all of them fit in what is left of
 *   @max_size; if they do not, that size gets no more packets (what is left
 *   only shrinks) and the round goes on with the next size. Handing out
 *   stops when a round gives nothing. Consequences:
 *   * one sub-buffer size everywhere: floor(max_size / (n x subbuf_size))
 *     packets per stream (capped by num_subbuf), exactly as lttng-tools;
 *   * no stream order matters: CPU 0 is never favoured over CPU 7, and
 *     the last round that cannot serve everyone serves whole sizes only;
 *   * mixed sizes: where lttng-tools stops every channel at the first round
 *     that does not fit whole, the channels of smaller sub-buffers here go
 *     on using what is left, smallest first (cheapest packets first, so the
 *     leftover keeps serving the most streams); @max_size is never exceeded.
 * - Unused shares are not redistributed: a stream with fewer readable
 *   packets than its share copies what it has and the rest of its share
 *   stays unused (LTTng does the same). A policy that moves bytes to the
 *   busy streams is budget_window().
 * - A stream copies its newest min(share, readable) packets:
 *   start = end - packets x subbuf_size, never before consumed.
 * - Without @max_size every readable packet is copied.
 *
 * Return: 0; -EINVAL for a sub-buffer size that is not a power of two,
 * an unaligned consumed position or one after produced, or NULL arrays;
 * -ENOSPC when @max_size cannot hold one sub-buffer of every stream
 * (budget_equal_too_small_msg() says why).
 */
int budget_equal(const struct budget_stream *streams, size_t n,
		 uint64_t max_size, struct budget_range *out,
		 struct budget_equal_result *res);

/**
 * budget_equal_min_size() - one sub-buffer of every stream, in bytes
 * @streams: the streams.
 * @n: how many.
 *
 * Return: the sum of the sub-buffer sizes (saturating at UINT64_MAX).
 */
uint64_t budget_equal_min_size(const struct budget_stream *streams,
			       size_t n);

/**
 * budget_equal_too_small_msg() - why budget_equal() failed with -ENOSPC
 * @buf: where to write.
 * @len: size of @buf.
 * @max_size: the max-size that was asked for.
 * @streams: the streams it was asked for.
 * @n: how many.
 *
 * Writes "max-size 64 KiB is too small: 8 streams of 256 KiB sub-buffers
 * need at least 2 MiB", or with several sub-buffer sizes (smallest first)
 * "max-size 1 MiB is too small: 8 streams (4 of 256 KiB, 4 of 1 MiB
 * sub-buffers) need at least 5 MiB".
 *
 * Return: what snprintf() returns: the length of the whole message.
 */
int budget_equal_too_small_msg(char *buf, size_t len, uint64_t max_size,
			       const struct budget_stream *streams, size_t n);

/**
 * struct budget_window_stream - the packet index of one stream
 * @packets: its readable packets, oldest first (KTRACE_STREAM_PACKET_INDEX);
 *	timestamp_end never decreases, packet_size is what the packet takes
 *	on disk.
 * @count: how many; 0 for an empty stream.
 */
struct budget_window_stream {
	const struct ktrace_packet_index_entry *packets;
	size_t count;
};

/**
 * struct budget_window_result - what budget_window() chose
 * @start: T: every packet with timestamp_end >= T is copied and, but for
 *	each stream's newest packet, no other; the oldest T that fits. 0 when
 *	every readable packet is copied.
 * @total: bytes copied (sum of packet_size).
 * @min_size: the smallest max-size that succeeds: the newest packet of every
 *	non-empty stream. Set on success and on -ENOSPC.
 */
struct budget_window_result {
	uint64_t start;
	uint64_t total;
	uint64_t min_size;
};

/**
 * budget_window() - the window policy: the same stretch of time everywhere
 * @streams: the packet index of every stream.
 * @n: how many.
 * @max_size: the snapshot's maximum size in bytes; 0 for no limit.
 * @first: @n indexes, written only on success: stream i copies its packets
 *	first[i] .. count - 1; first[i] == count copies nothing (empty stream).
 * @res: what was chosen; may be NULL.
 *
 * Chooses the oldest time T such that the packets of all streams that end
 * at or after T fit in @max_size. So every event from T on is in the
 * snapshot, on every CPU: all streams cover the same most recent window and
 * a busy stream gets as many bytes as that window takes on it.
 * Every non-empty stream keeps at least its newest packet, even one that
 * ended before T (a CPU idle since then): the snapshot always shows the
 * last thing each CPU did, and that is why the minimum is the sum of the
 * newest packets. T is found by bisection over time, each step summing the
 * packets from the newest back: O(total packets x log2(time span)), no
 * allocation.
 *
 * Return: 0; -EINVAL for NULL arrays, a packet of size 0, one that ends
 * before it begins or before the packet ahead of it, or a timestamp_end of
 * UINT64_MAX; -ENOSPC when @max_size cannot hold the newest packet of every
 * non-empty stream (budget_window_too_small_msg() says why).
 */
int budget_window(const struct budget_window_stream *streams, size_t n,
		  uint64_t max_size, size_t *first,
		  struct budget_window_result *res);

/**
 * budget_window_too_small_msg() - why budget_window() failed with -ENOSPC
 * @buf: where to write.
 * @len: size of @buf.
 * @max_size: the max-size that was asked for.
 * @streams: the streams it was asked for.
 * @n: how many.
 *
 * Writes "max-size 64 KiB is too small: the newest packets of 8 streams
 * need at least 96 KiB".
 *
 * Return: what snprintf() returns: the length of the whole message.
 */
int budget_window_too_small_msg(char *buf, size_t len, uint64_t max_size,
				const struct budget_window_stream *streams,
				size_t n);

/**
 * struct budget_span - the time a snapshot covers on every stream
 * @begin: the oldest time from which every stream that copies anything
 *	has data: the latest timestamp_begin of the streams' first packets.
 * @end: the newest timestamp_end copied.
 */
struct budget_span {
	uint64_t begin;
	uint64_t end;
};

/**
 * budget_window_covered() - the common window a choice of packets covers
 * @streams: the packet index of every stream.
 * @n: how many.
 * @first: per stream, the first packet copied (count: none), as
 *	budget_window() writes it or budget_first_packet_at() finds it for
 *	budget_equal()'s start positions.
 * @span: the window; end - begin is its length.
 *
 * Used for the CLI summary of both policies.
 *
 * Return: 0, or -ENODATA when no stream copies anything.
 */
int budget_window_covered(const struct budget_window_stream *streams,
			  size_t n, const size_t *first,
			  struct budget_span *span);

/**
 * budget_first_packet_at() - the first index entry at or after a position
 * @packets: a stream's packet index, oldest first.
 * @count: how many.
 * @pos: a position, such as budget_range.start.
 *
 * Wrap-safe: entries before @pos by their signed difference are skipped.
 *
 * Return: an index, or @count when every entry is before @pos.
 */
size_t budget_first_packet_at(const struct ktrace_packet_index_entry *packets,
			      size_t count, uint64_t pos);

#endif /* KTRACECTL_BUDGET_H */
