/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Block request, bio and buffer events, with LTTng's names and fields,
 * which Trace Compass's Disk I/O views and lttng-analyses' I/O latency
 * statistics read: a request is matched from issue to completion by
 * (dev, sector), and to the partition it was for by the bio's remap.
 * Read several times by define_events.h: no include guard around the
 * events.
 *
 * rwbs is not the kernel's "RWBS" string but LTTng's integer: one bit
 * per property of the request or bio (below). Its operation bit is set
 * only for read, write, discard, secure erase and flush, as the kernel's
 * own blk_fill_rwbs() names only those; write-zeroes, zone management
 * and driver-private operations have none. It is a plain integer, as in
 * LTTng (whose bitwise enumeration is an experimental build option).
 */
#ifndef _KTRACE_EVENTS_BLOCK_HELPERS
#define _KTRACE_EVENTS_BLOCK_HELPERS
#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/blktrace_api.h>
#include <linux/buffer_head.h>
#include <linux/sched.h>

/* LTTng's rwbs bits; bit 4 (barrier) has no request flag any more. */
enum {
	KTRACE_RWBS_WRITE	= 1 << 0,
	KTRACE_RWBS_DISCARD	= 1 << 1,
	KTRACE_RWBS_READ	= 1 << 2,
	KTRACE_RWBS_RAHEAD	= 1 << 3,
	KTRACE_RWBS_SYNC	= 1 << 5,
	KTRACE_RWBS_META	= 1 << 6,
	KTRACE_RWBS_SECURE	= 1 << 7,
	KTRACE_RWBS_FLUSH	= 1 << 8,
	KTRACE_RWBS_FUA		= 1 << 9,
	KTRACE_RWBS_PREFLUSH	= 1 << 10,
};

/* Of a request's or a bio's operation and flags, which share their encoding. */
static inline unsigned int ktrace_block_rwbs_opf(blk_opf_t flags)
{
	unsigned int rwbs;

	switch (flags & REQ_OP_MASK) {
	case REQ_OP_READ:
		rwbs = KTRACE_RWBS_READ;
		break;
	case REQ_OP_WRITE:
		rwbs = KTRACE_RWBS_WRITE;
		break;
	case REQ_OP_DISCARD:
		rwbs = KTRACE_RWBS_DISCARD;
		break;
	case REQ_OP_SECURE_ERASE:
		rwbs = KTRACE_RWBS_DISCARD | KTRACE_RWBS_SECURE;
		break;
	case REQ_OP_FLUSH:
		rwbs = KTRACE_RWBS_FLUSH;
		break;
	default:
		rwbs = 0;
		break;
	}
	if (flags & REQ_RAHEAD)
		rwbs |= KTRACE_RWBS_RAHEAD;
	if (flags & REQ_SYNC)
		rwbs |= KTRACE_RWBS_SYNC;
	if (flags & REQ_META)
		rwbs |= KTRACE_RWBS_META;
	if (flags & REQ_PREFLUSH)
		rwbs |= KTRACE_RWBS_PREFLUSH;
	if (flags & REQ_FUA)
		rwbs |= KTRACE_RWBS_FUA;
	return rwbs;
}

static inline unsigned int ktrace_block_rwbs(const struct request *rq)
{
	return ktrace_block_rwbs_opf(rq->cmd_flags);
}

/* 0 for a request of a queue without a disk, as the kernel records it. */
static inline dev_t ktrace_block_dev(const struct request *rq)
{
	struct gendisk *disk = rq->q->disk;

	return disk ? disk_devt(disk) : 0;
}
#endif /* _KTRACE_EVENTS_BLOCK_HELPERS */

/* tid and comm are those of the task that issues, often not the submitter. */
KTRACE_EVENT(block_rq_issue, block_rq_issue,
	KTRACE_PROTO(struct request *rq),
	KTRACE_FIELDS(
		kt_int(dev_t, dev, ktrace_block_dev(rq))
		kt_int(sector_t, sector, blk_rq_trace_sector(rq))
		kt_int(unsigned int, nr_sector, blk_rq_trace_nr_sectors(rq))
		kt_int(unsigned int, bytes, blk_rq_bytes(rq))
		kt_int(pid_t, tid, current->pid)
		kt_int(unsigned int, rwbs, ktrace_block_rwbs(rq))
		kt_text(comm, current->comm, TASK_COMM_LEN)
	))

/* A request may complete in several parts: nr_sector is this part's. */
KTRACE_EVENT(block_rq_complete, block_rq_complete,
	KTRACE_PROTO(struct request *rq, blk_status_t error,
		     unsigned int nr_bytes),
	KTRACE_FIELDS(
		kt_int(dev_t, dev, ktrace_block_dev(rq))
		kt_int(sector_t, sector, blk_rq_pos(rq))
		kt_int(unsigned int, nr_sector, nr_bytes >> SECTOR_SHIFT)
		kt_int(int, error, blk_status_to_errno(error))
		kt_int(unsigned int, rwbs, ktrace_block_rwbs(rq))
	))

/*
 * A bio sent on to another device (a partition's to its disk, a device
 * mapper target's to the one below): lttng-analyses follows the request
 * issued at (dev, sector) back to the partition it was for, (old_dev,
 * old_sector).
 */
KTRACE_EVENT(block_bio_remap, block_bio_remap,
	KTRACE_PROTO(struct bio *bio, dev_t dev, sector_t from),
	KTRACE_FIELDS(
		kt_int(dev_t, dev, bio_dev(bio))
		kt_int(sector_t, sector, bio->bi_iter.bi_sector)
		kt_int(unsigned int, nr_sector, bio_sectors(bio))
		kt_int(unsigned int, rwbs, ktrace_block_rwbs_opf(bio->bi_opf))
		kt_int(dev_t, old_dev, dev)
		kt_int(sector_t, old_sector, from)
	))

/*
 * A bio merged at the end of a queued request: that request issues with
 * the bio's sectors and no remap of its own, so lttng-analyses forgets
 * the bio's remap.
 */
KTRACE_EVENT(block_bio_backmerge, block_bio_backmerge,
	KTRACE_PROTO(struct bio *bio),
	KTRACE_FIELDS(
		kt_int(dev_t, dev, bio_dev(bio))
		kt_int(sector_t, sector, bio->bi_iter.bi_sector)
		kt_int(unsigned int, nr_sector, bio_sectors(bio))
		kt_int(unsigned int, rwbs, ktrace_block_rwbs_opf(bio->bi_opf))
		kt_int(pid_t, tid, current->pid)
		kt_text(comm, current->comm, TASK_COMM_LEN)
	))

/* sector is the buffer's block number, in units of its size. */
KTRACE_EVENT(block_dirty_buffer, block_dirty_buffer,
	KTRACE_PROTO(struct buffer_head *bh),
	KTRACE_FIELDS(
		kt_int(dev_t, dev, bh->b_bdev->bd_dev)
		kt_int(sector_t, sector, bh->b_blocknr)
		kt_int(size_t, size, bh->b_size)
	))
