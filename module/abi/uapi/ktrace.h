/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * ktrace userspace ABI: the generic netlink family "ktrace" (control) and
 * the /dev/ktrace, stream and metadata fd ioctls (data).
 *
 * This header is the whole contract between ktrace.ko and its clients.
 * It uses fixed-width types only, every struct is a multiple of 8 bytes
 * with explicit padding, and structs that may grow start with a __u32 size
 * (the caller's sizeof), so old and new binaries keep working together.
 * Ioctl numbers are never reused. See docs/ABI.md.
 */
#ifndef _UAPI_LINUX_KTRACE_H
#define _UAPI_LINUX_KTRACE_H

#include <linux/const.h>
#include <linux/ioctl.h>
#include <linux/types.h>

#define KTRACE_DEVICE_PATH	"/dev/ktrace"

/* Bumped on every ABI addition; never decreases. */
#define KTRACE_ABI_VERSION	3

#define KTRACE_IOC_MAGIC	0xE7

/**
 * struct ktrace_api - what the loaded module supports (KTRACE_IOC_API)
 * @size: in: sizeof(struct ktrace_api) as the caller knows it, at least
 *        KTRACE_API_SIZE_VER0. The kernel writes back at most @size bytes.
 * @abi_version: out: KTRACE_ABI_VERSION of the module.
 * @features: out: KTRACE_FEATURE_* bits.
 * @ioctls: out: bit N is set when the ioctl with number N on /dev/ktrace is
 *          supported.
 * @reserved: must be zero on input.
 */
struct ktrace_api {
	__u32 size;
	__u32 abi_version;
	__u64 features;
	__u64 ioctls;
	__u64 reserved;
};

#define KTRACE_API_SIZE_VER0	32

/* Feature bits reported in ktrace_api.features. */
#define KTRACE_FEATURE_PROBE_STATS	_BITULL(0)
/* The generic netlink family KTRACE_GENL_NAME is registered. */
#define KTRACE_FEATURE_GENL		_BITULL(1)
/* Stream fds support KTRACE_STREAM_PACKET_INDEX. */
#define KTRACE_FEATURE_PACKET_INDEX	_BITULL(2)
/*
 * ABI 3, streaming: KTRACE_IOC_OPEN_CONSUMER and consumer fds, the
 * append-only metadata fd, SESSION_CLEAR, CHANNEL_ENABLE and
 * CHANNEL_DISABLE, and the CONSUMER_*, STOP_SEQ, CHANNEL_READ_TIMER,
 * CHANNEL_TRACEFILE_SIZE, CHANNEL_TRACEFILE_COUNT and CHANNEL_ENABLED
 * attributes.
 */
#define KTRACE_FEATURE_STREAMING	_BITULL(3)

/*
 * Generic netlink family: sessions, channels, events, contexts, snapshot
 * outputs. Every command requires CAP_SYS_ADMIN (or CAP_PERFMON where the
 * kernel has it). Refusals carry an extended ack with a message and the
 * offending attribute.
 */
#define KTRACE_GENL_NAME		"ktrace"
#define KTRACE_GENL_VERSION		1
/* Multicast group of the KTRACE_CMD_NTF_* notifications. */
#define KTRACE_GENL_MCGRP_SESSIONS	"sessions"

/* Commands. Numbers are never reused. */
enum ktrace_cmd {
	KTRACE_CMD_UNSPEC,
	KTRACE_CMD_SESSION_NEW,		/* -> SESSION_ID */
	KTRACE_CMD_SESSION_DEL,
	KTRACE_CMD_SESSION_GET,		/* doit or dump */
	KTRACE_CMD_CHANNEL_NEW,		/* -> CHANNEL_ID */
	KTRACE_CMD_CHANNEL_GET,		/* doit or dump of one session's */
	KTRACE_CMD_EVENT_ENABLE,	/* -> EVENT_COUNT */
	KTRACE_CMD_EVENT_DISABLE,	/* -> EVENT_COUNT */
	KTRACE_CMD_EVENT_GET,		/* dump of one channel's */
	KTRACE_CMD_CONTEXT_ADD,
	KTRACE_CMD_START,
	KTRACE_CMD_STOP,
	KTRACE_CMD_TRACEPOINT_LIST,	/* dump, all but per-syscall events */
	KTRACE_CMD_OUTPUT_ADD,		/* -> OUTPUT_ID */
	KTRACE_CMD_OUTPUT_DEL,
	KTRACE_CMD_OUTPUT_GET,		/* dump of one session's */
	KTRACE_CMD_SNAPSHOT_BUMP,	/* -> SNAPSHOT_COUNT */
	KTRACE_CMD_TEST_FIRE,
	/* Notifications, on KTRACE_GENL_MCGRP_SESSIONS. */
	KTRACE_CMD_NTF_SESSION_NEW,
	KTRACE_CMD_NTF_SESSION_START,
	KTRACE_CMD_NTF_SESSION_STOP,
	KTRACE_CMD_NTF_SESSION_DEL,
	KTRACE_CMD_REGENERATE_STATEDUMP, /* of an active session */
	KTRACE_CMD_SYSCALL_LIST,	/* dump, per-syscall events */
	/* ABI 3, streaming */
	KTRACE_CMD_SESSION_CLEAR,	/* discard what the buffers hold */
	KTRACE_CMD_CHANNEL_DISABLE,
	KTRACE_CMD_CHANNEL_ENABLE,

	__KTRACE_CMD_MAX,
	KTRACE_CMD_MAX = __KTRACE_CMD_MAX - 1
};

/* Attributes. Numbers are never reused. */
enum ktrace_attr {
	KTRACE_ATTR_UNSPEC,
	KTRACE_ATTR_PAD,
	KTRACE_ATTR_SESSION_ID,		/* u32 */
	KTRACE_ATTR_SESSION_NAME,	/* string, [A-Za-z0-9_.-]{1,64} */
	KTRACE_ATTR_SESSION_MODE,	/* u32, enum ktrace_uapi_session_mode */
	KTRACE_ATTR_SESSION_STATE,	/* u32, enum ktrace_uapi_session_state */
	KTRACE_ATTR_SESSION_STARTED_ONCE, /* u8, 0 or 1 */
	KTRACE_ATTR_SNAPSHOT_COUNT,	/* u64 */
	KTRACE_ATTR_CHANNEL,		/* nest of CHANNEL_* (in dumps) */
	KTRACE_ATTR_CHANNEL_ID,		/* u32 */
	KTRACE_ATTR_CHANNEL_NAME,	/* string, [A-Za-z0-9_.-]{1,64} */
	KTRACE_ATTR_CHANNEL_MODE,	/* u32, enum ktrace_uapi_channel_mode */
	KTRACE_ATTR_CHANNEL_SUBBUF_SIZE, /* u64, power of 2, >= page size */
	KTRACE_ATTR_CHANNEL_NUM_SUBBUF,	/* u32, power of 2, >= 2 */
	KTRACE_ATTR_CHANNEL_SWITCH_TIMER, /* u32, microseconds, 0 = none */
	KTRACE_ATTR_CHANNEL_OUTPUT,	/* u32, enum ktrace_uapi_channel_output */
	KTRACE_ATTR_CHANNEL_STREAMS,	/* u32, per-CPU buffers */
	KTRACE_ATTR_CHANNEL_DISCARDED,	/* u64, events dropped, all CPUs */
	KTRACE_ATTR_CHANNEL_OVERWRITTEN, /* u64, events overwritten */
	KTRACE_ATTR_EVENT,		/* nest of EVENT_* (in dumps) */
	KTRACE_ATTR_EVENT_NAME,		/* string: name, or glob with * ? */
	KTRACE_ATTR_EVENT_ID,		/* u32, CTF event id in its channel */
	KTRACE_ATTR_EVENT_ENABLED,	/* u8, 0 or 1 */
	KTRACE_ATTR_EVENT_AVAILABLE,	/* u8, 0 or 1 */
	KTRACE_ATTR_EVENT_COUNT,	/* u32 */
	KTRACE_ATTR_FIELD,		/* nest of FIELD_* (in dumps) */
	KTRACE_ATTR_FIELD_NAME,		/* string */
	KTRACE_ATTR_FIELD_TYPE,		/* u32, enum ktrace_uapi_field_type */
	KTRACE_ATTR_FIELD_SIZE,		/* u32, bytes of one element */
	KTRACE_ATTR_FIELD_SIGNED,	/* u8, 0 or 1 */
	KTRACE_ATTR_FIELD_LENGTH,	/* u32, array elements */
	KTRACE_ATTR_CONTEXT_TYPE,	/* u32, enum ktrace_uapi_context_type */
	KTRACE_ATTR_OUTPUT,		/* nest of OUTPUT_* (in dumps) */
	KTRACE_ATTR_OUTPUT_ID,		/* u32 */
	KTRACE_ATTR_OUTPUT_NAME,	/* string, [A-Za-z0-9_.-]{1,64} */
	KTRACE_ATTR_OUTPUT_DEST,	/* string, 1..4095 bytes */
	KTRACE_ATTR_OUTPUT_MAX_SIZE,	/* u64, bytes, 0 = no limit */
	KTRACE_ATTR_TEST_SEQ,		/* u64 */
	KTRACE_ATTR_TEST_COUNT,		/* u32, 1..KTRACE_TEST_FIRE_MAX */
	KTRACE_ATTR_TEST_PAYLOAD,	/* u64 */
	KTRACE_ATTR_CHANNEL_BUFFERS,	/* u32, CPUs with a buffer */
	KTRACE_ATTR_CHANNEL_MEMORY,	/* u64, bytes of those buffers */
	/* ABI 3, streaming: sessions (SESSION_GET; STOP_SEQ also in STOP) */
	KTRACE_ATTR_CONSUMER_PID,	/* u32, tgid; only while attached */
	KTRACE_ATTR_CONSUMER_BYTES,	/* u64, as the consumer reported */
	KTRACE_ATTR_CONSUMER_PACKETS,	/* u64, as the consumer reported */
	KTRACE_ATTR_CONSUMER_ERROR,	/* u32, errno, 0 = none */
	KTRACE_ATTR_CONSUMER_SYNCED,	/* u64, stop seq written and synced */
	KTRACE_ATTR_CONSUMER_LAG,	/* u64, bytes delivered, not consumed */
	KTRACE_ATTR_STOP_SEQ,		/* u64, STOPs (and destroy) so far */
	/* ABI 3, streaming: channels (CHANNEL_NEW, CHANNEL_GET) */
	KTRACE_ATTR_CHANNEL_READ_TIMER,	/* u32, microseconds, 0 = none */
	KTRACE_ATTR_CHANNEL_TRACEFILE_SIZE, /* u64, bytes, 0 = unlimited */
	KTRACE_ATTR_CHANNEL_TRACEFILE_COUNT, /* u32, 0 = unlimited */
	KTRACE_ATTR_CHANNEL_ENABLED,	/* u8, 0 or 1 */
	KTRACE_ATTR_CHANNEL_READ,	/* u64, events consumed, all CPUs */
	KTRACE_ATTR_CONSUMER_READ,	/* u64, events consumed since attach */

	__KTRACE_ATTR_MAX,
	KTRACE_ATTR_MAX = __KTRACE_ATTR_MAX - 1
};

/* Longest name, and longest output destination, without the NUL. */
#define KTRACE_NAME_LEN			64
#define KTRACE_DEST_LEN			4095
#define KTRACE_TEST_FIRE_MAX		1000000
/* Bounds of the streaming channel attributes (ABI 3). */
#define KTRACE_READ_TIMER_MAX		60000000U	/* us: one minute */
#define KTRACE_TRACEFILE_COUNT_MAX	1000000U
/* TRACEFILE_SIZE, when not 0, is at least one sub-buffer (its size). */

enum ktrace_uapi_session_mode {
	KTRACE_SESSION_MODE_NORMAL = 1,
	KTRACE_SESSION_MODE_SNAPSHOT = 2,
};

enum ktrace_uapi_session_state {
	KTRACE_SESSION_STATE_NEVER_STARTED = 1,
	KTRACE_SESSION_STATE_ACTIVE = 2,
	KTRACE_SESSION_STATE_STOPPED = 3,
};

enum ktrace_uapi_channel_mode {
	KTRACE_CHANNEL_DISCARD = 1,
	KTRACE_CHANNEL_OVERWRITE = 2,
};

enum ktrace_uapi_channel_output {
	KTRACE_CHANNEL_SPLICE = 1,
	KTRACE_CHANNEL_MMAP = 2,
};

enum ktrace_uapi_context_type {
	KTRACE_CONTEXT_TYPE_PID = 1,
	KTRACE_CONTEXT_TYPE_TID = 2,
	KTRACE_CONTEXT_TYPE_PPID = 3,
	KTRACE_CONTEXT_TYPE_PROCNAME = 4,
	KTRACE_CONTEXT_TYPE_PRIO = 5,
	KTRACE_CONTEXT_TYPE_VPID = 6,
	KTRACE_CONTEXT_TYPE_VTID = 7,
	KTRACE_CONTEXT_TYPE_CPU_ID = 8,
	KTRACE_CONTEXT_TYPE_HOSTNAME = 9,
};

enum ktrace_uapi_field_type {
	KTRACE_FIELD_TYPE_INTEGER = 1,
	KTRACE_FIELD_TYPE_ENUM = 2,
	KTRACE_FIELD_TYPE_ARRAY = 3,
	KTRACE_FIELD_TYPE_ARRAY_TEXT = 4,
	KTRACE_FIELD_TYPE_STRING = 5,
};

/**
 * struct ktrace_open_stream - KTRACE_IOC_OPEN_STREAM argument
 * @size: sizeof(struct ktrace_open_stream), at least
 *        KTRACE_OPEN_STREAM_SIZE_VER0.
 * @flags: must be zero.
 * @session_id: the session.
 * @channel_id: the channel, as KTRACE_ATTR_CHANNEL_ID reports it.
 * @cpu: the CPU whose buffer the stream reads.
 * @reserved: must be zero.
 */
struct ktrace_open_stream {
	__u32 size;
	__u32 flags;
	__u32 session_id;
	__u32 channel_id;
	__u32 cpu;
	__u32 reserved;
};

#define KTRACE_OPEN_STREAM_SIZE_VER0	24

/**
 * struct ktrace_open_metadata - KTRACE_IOC_OPEN_METADATA argument
 * @size: sizeof(struct ktrace_open_metadata), at least
 *        KTRACE_OPEN_METADATA_SIZE_VER0.
 * @flags: must be zero.
 * @session_id: the session.
 * @reserved: must be zero.
 */
struct ktrace_open_metadata {
	__u32 size;
	__u32 flags;
	__u32 session_id;
	__u32 reserved;
};

#define KTRACE_OPEN_METADATA_SIZE_VER0	16

/**
 * struct ktrace_packet_info - KTRACE_STREAM_GET_PACKET_INFO argument
 * @size: in: sizeof(struct ktrace_packet_info), at least
 *        KTRACE_PACKET_INFO_SIZE_VER0; at most @size bytes are written.
 * @cpu: out: the stream's CPU.
 * @timestamp_begin: out: clock (ns) when the packet was opened.
 * @timestamp_end: out: clock (ns) when it was closed.
 * @seq: out: packet sequence number in the stream; gaps are lost packets.
 * @events_discarded: out: events the stream dropped up to this packet.
 * @content_size: out: bytes of header and events.
 * @packet_size: out: bytes of the packet: the content size rounded up
 *               to a page, what a reader copies to a trace file.
 */
struct ktrace_packet_info {
	__u32 size;
	__u32 cpu;
	__u64 timestamp_begin;
	__u64 timestamp_end;
	__u64 seq;
	__u64 events_discarded;
	__u64 content_size;
	__u64 packet_size;
};

#define KTRACE_PACKET_INFO_SIZE_VER0	56

/**
 * struct ktrace_packet_index_entry - one readable packet
 * @pos: its position, for KTRACE_STREAM_GET_SUBBUF.
 * @timestamp_begin: clock (ns) when it was opened.
 * @timestamp_end: clock (ns) when it was closed.
 * @seq: its sequence number.
 * @content_size: bytes of header and events.
 * @packet_size: bytes of the packet, as in struct ktrace_packet_info.
 */
struct ktrace_packet_index_entry {
	__u64 pos;
	__u64 timestamp_begin;
	__u64 timestamp_end;
	__u64 seq;
	__u64 content_size;
	__u64 packet_size;
};

/**
 * struct ktrace_packet_index - KTRACE_STREAM_PACKET_INDEX argument
 * @size: sizeof(struct ktrace_packet_index), at least
 *        KTRACE_PACKET_INDEX_SIZE_VER0.
 * @count: in: room in @entries; out: entries written.
 * @entries: in: user pointer to @count struct ktrace_packet_index_entry.
 * @flags: must be zero.
 * @reserved: must be zero.
 *
 * Describes the packets between the positions sampled by the last
 * KTRACE_STREAM_SNAPSHOT, oldest first, skipping packets that are being
 * written or were overwritten. Nothing is copied or consumed.
 */
struct ktrace_packet_index {
	__u32 size;
	__u32 count;
	__u64 entries;
	__u32 flags;
	__u32 reserved;
};

#define KTRACE_PACKET_INDEX_SIZE_VER0	24

/**
 * struct ktrace_open_consumer - KTRACE_IOC_OPEN_CONSUMER argument
 * @size: sizeof(struct ktrace_open_consumer), at least
 *        KTRACE_OPEN_CONSUMER_SIZE_VER0.
 * @session_id: the session, a normal (not snapshot) one.
 * @flags: must be zero.
 * @reserved: must be zero.
 */
struct ktrace_open_consumer {
	__u32 size;
	__u32 session_id;
	__u32 flags;
	__u32 reserved;
};

#define KTRACE_OPEN_CONSUMER_SIZE_VER0	16

/**
 * struct ktrace_consumer_stats - KTRACE_CONSUMER_SET_STATS argument
 * @size: sizeof(struct ktrace_consumer_stats), at least
 *        KTRACE_CONSUMER_STATS_SIZE_VER0.
 * @error: errno of the last write failure (1 to 4095), 0 = none.
 * @bytes_written: bytes written to the trace files since this consumer
 *                 attached; never decreases.
 * @packets_written: packets written since it attached; never decreases.
 * @synced_stop_seq: the stop sequence (KTRACE_CONSUMER_GET_STOP_SEQ) up to
 *                   which everything is written and fsynced; never
 *                   decreases, never above the session's stop sequence.
 */
struct ktrace_consumer_stats {
	__u32 size;
	__u32 error;
	__u64 bytes_written;
	__u64 packets_written;
	__u64 synced_stop_seq;
};

#define KTRACE_CONSUMER_STATS_SIZE_VER0	32

/* /dev/ktrace ioctl numbers: never reuse one. */
#define KTRACE_IOC_NR_API		0x00
#define KTRACE_IOC_NR_OPEN_STREAM	0x01
#define KTRACE_IOC_NR_OPEN_METADATA	0x02
#define KTRACE_IOC_NR_OPEN_CONSUMER	0x03

#define KTRACE_IOC_API		_IOWR(KTRACE_IOC_MAGIC, KTRACE_IOC_NR_API, \
				      struct ktrace_api)
/* Return a new O_CLOEXEC fd. */
#define KTRACE_IOC_OPEN_STREAM	_IOW(KTRACE_IOC_MAGIC, \
				     KTRACE_IOC_NR_OPEN_STREAM, \
				     struct ktrace_open_stream)
#define KTRACE_IOC_OPEN_METADATA _IOW(KTRACE_IOC_MAGIC, \
				      KTRACE_IOC_NR_OPEN_METADATA, \
				      struct ktrace_open_metadata)
/* ABI 3: the session's consumer fd, O_CLOEXEC; one per session. */
#define KTRACE_IOC_OPEN_CONSUMER _IOW(KTRACE_IOC_MAGIC, \
				      KTRACE_IOC_NR_OPEN_CONSUMER, \
				      struct ktrace_open_consumer)

/*
 * Stream fd ioctls (numbers 0x10 and up, never reused). Positions are
 * free-running byte counters: compare them only through their difference.
 */
#define KTRACE_STREAM_SNAPSHOT		_IO(KTRACE_IOC_MAGIC, 0x10)
#define KTRACE_STREAM_SNAPSHOT_GET_CONSUMED _IOR(KTRACE_IOC_MAGIC, 0x11, __u64)
#define KTRACE_STREAM_SNAPSHOT_GET_PRODUCED _IOR(KTRACE_IOC_MAGIC, 0x12, __u64)
#define KTRACE_STREAM_GET_SUBBUF	_IOW(KTRACE_IOC_MAGIC, 0x13, __u64)
#define KTRACE_STREAM_PUT_SUBBUF	_IO(KTRACE_IOC_MAGIC, 0x14)
#define KTRACE_STREAM_GET_NEXT_SUBBUF	_IO(KTRACE_IOC_MAGIC, 0x15)
#define KTRACE_STREAM_PUT_NEXT_SUBBUF	_IO(KTRACE_IOC_MAGIC, 0x16)
#define KTRACE_STREAM_GET_SUBBUF_SIZE	_IOR(KTRACE_IOC_MAGIC, 0x17, __u64)
#define KTRACE_STREAM_GET_PADDED_SUBBUF_SIZE _IOR(KTRACE_IOC_MAGIC, 0x18, __u64)
#define KTRACE_STREAM_GET_MAX_SUBBUF_SIZE _IOR(KTRACE_IOC_MAGIC, 0x19, __u64)
#define KTRACE_STREAM_GET_MMAP_LEN	_IOR(KTRACE_IOC_MAGIC, 0x1a, __u64)
#define KTRACE_STREAM_GET_MMAP_READ_OFFSET _IOR(KTRACE_IOC_MAGIC, 0x1b, __u64)
#define KTRACE_STREAM_FLUSH		_IO(KTRACE_IOC_MAGIC, 0x1c)
#define KTRACE_STREAM_FLUSH_EMPTY	_IO(KTRACE_IOC_MAGIC, 0x1d)
#define KTRACE_STREAM_GET_PACKET_INFO	_IOWR(KTRACE_IOC_MAGIC, 0x1e, \
					      struct ktrace_packet_info)
#define KTRACE_STREAM_PACKET_INDEX	_IOWR(KTRACE_IOC_MAGIC, 0x1f, \
					      struct ktrace_packet_index)

/* Consumer fd ioctls (ABI 3; numbers 0x30 and up, never reused). */
#define KTRACE_CONSUMER_SET_STATS	_IOW(KTRACE_IOC_MAGIC, 0x30, \
					     struct ktrace_consumer_stats)
/* The session's stop sequence now (as KTRACE_ATTR_STOP_SEQ). */
#define KTRACE_CONSUMER_GET_STOP_SEQ	_IOR(KTRACE_IOC_MAGIC, 0x31, __u64)

#endif /* _UAPI_LINUX_KTRACE_H */
