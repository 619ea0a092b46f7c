// SPDX-License-Identifier: GPL-2.0
/*
 * ktrace snapshots, kernel side: the packet index of a sampled range.
 *
 * The index is built from the ring buffer's per-slot packet state
 * (ktrace_rb_packet_info()), which is read under the same
 * delivered/offset re-check protocol as a get: a packet that is still
 * being written, or that a writer overwrites while we look, is left out,
 * exactly as a get of it would fail with -EAGAIN. Packets described here
 * may still be overwritten before the reader gets them; the get is what
 * decides, the index is a plan.
 *
 * No WARN or BUG is reachable from userspace input or from timing
 * (machines run with panic_on_warn). A range comes from a stream fd's
 * last sample, which ktrace_rb_snapshot() keeps within one ring however
 * far writers run; anything else a caller passes is refused with -EINVAL.
 */
#include <linux/errno.h>
#include <linux/export.h>
#include <kunit/visibility.h>

#include "snapshot/snapshot.h"

/**
 * ktrace_snapshot_range_len() - packets in a sampled range
 * @chan: the channel.
 * @consumed: the start of the range, as ktrace_rb_snapshot() sampled it.
 * @produced: its end, likewise.
 *
 * Context: any.
 * Return: the number of sub-buffers in [@consumed, @produced), at most
 * the number of sub-buffers of a buffer; -EINVAL if the positions are not
 * sub-buffer aligned, @produced is before @consumed or the range is
 * longer than a buffer: they were not sampled from @chan.
 */
long ktrace_snapshot_range_len(const struct ktrace_rb_chan *chan,
			       unsigned long consumed, unsigned long produced)
{
	unsigned long subbuf_size = ktrace_rb_subbuf_size(chan);
	unsigned long n;

	if ((consumed | produced) & (subbuf_size - 1))
		return -EINVAL;
	/* Positions wrap around: only their difference means something. */
	if ((long)(produced - consumed) < 0)
		return -EINVAL;
	n = (produced - consumed) / subbuf_size;
	if (n > ktrace_rb_num_subbuf(chan))
		return -EINVAL;
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_snapshot_range_len);

/**
 * ktrace_snapshot_packet_index() - describe the readable packets of a range
 * @chan: the channel.
 * @cpu: the stream's CPU, a possible CPU.
 * @consumed: the start of the range, as ktrace_rb_snapshot() sampled it.
 * @produced: its end, likewise.
 * @pkts: receives the readable packets of the range, oldest first.
 * @max: room in @pkts; ktrace_snapshot_range_len() entries are always
 *	enough.
 *
 * Nothing is copied, held or consumed: the reader may hold a packet of
 * the same buffer meanwhile.
 *
 * Context: any; serialised with the buffer's other reader calls.
 * Return: the number of entries written, up to @max; -EINVAL for a range
 * that ktrace_snapshot_range_len() rejects.
 */
long ktrace_snapshot_packet_index(struct ktrace_rb_chan *chan,
				  unsigned int cpu, unsigned long consumed,
				  unsigned long produced,
				  struct ktrace_snapshot_packet *pkts,
				  unsigned long max)
{
	unsigned long subbuf_size = ktrace_rb_subbuf_size(chan);
	struct ktrace_rb_buf *buf = ktrace_rb_buf(chan, cpu);
	unsigned long pos, n = 0;
	long len;

	len = ktrace_snapshot_range_len(chan, consumed, produced);
	if (len < 0)
		return len;
	for (pos = consumed; pos != produced && n < max; pos += subbuf_size) {
		/* -EAGAIN: being written or overwritten; leave it out. */
		if (ktrace_rb_packet_info(buf, pos, &pkts[n].info))
			continue;
		pkts[n].pos = pos;
		n++;
	}
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_snapshot_packet_index);
