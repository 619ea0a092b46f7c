/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktrace snapshots, kernel side: what a reader needs to plan a snapshot of
 * one stream (a channel's buffer on one CPU) without copying or consuming
 * anything. A snapshot reads the packets between two positions sampled
 * with ktrace_rb_snapshot(); the packet index tells, for each readable
 * packet of that range, its position, time span, sequence number and
 * size, so that a reader can choose which packets fit its budget before
 * getting any of them.
 */
#ifndef _KTRACE_SNAPSHOT_H
#define _KTRACE_SNAPSHOT_H

#include <linux/types.h>

#include "ringbuffer/ringbuffer.h"

/**
 * struct ktrace_snapshot_packet - one readable packet of a sampled range
 * @pos: its position, for ktrace_rb_get_subbuf().
 * @info: what its header says (see struct ktrace_rb_packet_info).
 */
struct ktrace_snapshot_packet {
	unsigned long pos;
	struct ktrace_rb_packet_info info;
};

long ktrace_snapshot_range_len(const struct ktrace_rb_chan *chan,
			       unsigned long consumed, unsigned long produced);
long ktrace_snapshot_packet_index(struct ktrace_rb_chan *chan,
				  unsigned int cpu, unsigned long consumed,
				  unsigned long produced,
				  struct ktrace_snapshot_packet *pkts,
				  unsigned long max);

#endif /* _KTRACE_SNAPSHOT_H */
