/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internals shared by the files of module/core: the session and channel
 * structures, the packet layout and the locking rules. Nothing outside
 * module/core includes this.
 */
#ifndef _KTRACE_CORE_INTERNAL_H
#define _KTRACE_CORE_INTERNAL_H

#include <linux/atomic.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/uuid.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "core/event.h"
#include "core/session.h"

/*
 * sessions_lock protects the session table and every mutable field of
 * every session and channel, including their lists. Probes read only
 * ktrace_session.state and ktrace_event.enabled, locklessly.
 */
extern struct mutex sessions_lock;

/* Sessions, channels and outputs allocated and not yet freed. */
extern atomic_t core_live_objects;

struct ktrace_session {
	struct kref ref;
	u32 id;
	enum ktrace_session_mode mode;
	/* Written under sessions_lock with WRITE_ONCE(); probes read it. */
	enum ktrace_session_state state;
	bool started_once;
	bool destroyed;
	u32 next_output_id;
	u32 next_channel_id;
	u64 snapshot_count;
	/* Trace identity and clock, fixed at creation, for the metadata. */
	uuid_t uuid;
	s64 clock_offset_ns;
	time64_t creation_time;
	struct list_head outputs;
	struct list_head channels;
	unsigned int num_channels;
	char name[KTRACE_NAME_MAX + 1];
	/*
	 * Streaming (consumer.c). @stop_seq counts the stops; the consumer
	 * fields are those of the attached consumer, or of the last one.
	 * Pollers of @consumer_wait read @stop_seq, @consumer.synced and
	 * @destroyed with READ_ONCE().
	 */
	u64 stop_seq;
	bool consumer_attached;
	pid_t consumer_pid;
	/* Events its channels' readers had consumed when it attached. */
	u64 consumer_read_base;
	struct ktrace_consumer_report consumer;
	wait_queue_head_t consumer_wait;
	/* The metadata cache (metadata_cache.c), with its own reference. */
	struct ktrace_metadata_cache *md;
	/* Under sessions_lock: the cache starts with the trace's header. */
	bool md_header_done;
};

struct ktrace_channel {
	struct list_head node;
	struct ktrace_session *session;
	struct ktrace_rb_chan *rb;
	/* CTF stream id: creation order in the session, from 0. */
	u32 id;
	enum ktrace_channel_mode mode;
	enum ktrace_channel_output output;
	u32 switch_timer_us;
	struct delayed_work switch_work;
	/* Streaming: wake readers every @read_timer_us (0: on delivery). */
	u32 read_timer_us;
	struct delayed_work read_work;
	/* Stored for the consumer only. */
	u64 tracefile_size;
	u32 tracefile_count;
	/* CHANNEL_DISABLE clears it: the events' enabled flags drop too. */
	bool enabled;
	/* In the metadata cache: the stream class, and events below this id. */
	bool md_stream_done;
	u32 md_next_event_id;
	/* Enabled events, in id order; ids are never reused. */
	struct list_head events;
	u32 next_event_id;
	/* Contexts in the order they were added, and their bytes per event. */
	u8 contexts[KTRACE_CONTEXT_COUNT];
	unsigned int nr_contexts;
	unsigned int context_size;
	char name[KTRACE_NAME_MAX + 1];
};

/*
 * Packet header and packet context of every packet, in CTF field order
 * and without padding (every CTF type here is byte-aligned). The metadata
 * (metadata.c) describes exactly this.
 */
#define KTRACE_CTF_MAGIC	0xC1FC1FC1U

struct ktrace_ctf_packet {
	/* trace.packet.header */
	u32 magic;
	u8 uuid[UUID_SIZE];
	u32 stream_id;
	u64 stream_instance_id;
	/* stream.packet.context */
	u64 timestamp_begin;
	u64 timestamp_end;
	u64 content_size;	/* bits */
	u64 packet_size;	/* bits */
	u64 packet_seq_num;
	u64 events_discarded;
	u32 cpu_id;
} __packed;

/*
 * Compact event header: a 5-bit id and the low 27 bits of the timestamp
 * in one 32-bit word (id in the low bits). Id 31 announces the extended
 * header: that byte, then a 32-bit id and the full 64-bit timestamp.
 */
#define KTRACE_CTF_COMPACT_ID_BITS	5
#define KTRACE_CTF_COMPACT_TS_BITS	27
#define KTRACE_CTF_EXTENDED_ID		31U
#define KTRACE_CTF_COMPACT_SIZE		4
#define KTRACE_CTF_EXTENDED_SIZE	(1 + 4 + 8)

extern const struct ktrace_rb_ops ktrace_ctf_rb_ops;

/* Contexts (context.c). */
const struct ktrace_field_desc *ktrace_context_field(enum ktrace_context_type t);
char *ktrace_context_record(const struct ktrace_channel *c, char *pos);

/* Channels (channel.c). */
void ktrace_session_timers_start(struct ktrace_session *s);
void ktrace_session_timers_stop(struct ktrace_session *s);
void ktrace_session_channels_free(struct ktrace_session *s);

/* Snapshot outputs (output.c). */
void ktrace_session_outputs_free(struct ktrace_session *s);

/* Streaming (consumer.c); callers hold sessions_lock. */
void ktrace_session_flush_locked(struct ktrace_session *s);
void ktrace_session_stopped_locked(struct ktrace_session *s);

/* The metadata cache (metadata_cache.c). */
int ktrace_metadata_cache_create(struct ktrace_session *s);
void ktrace_metadata_cache_changed(struct ktrace_session *s);
void ktrace_metadata_cache_detach_locked(struct ktrace_session *s);
void ktrace_metadata_cache_release(struct ktrace_session *s);
int ktrace_metadata_cache_append(struct ktrace_session *s, const char *text,
				 size_t len);
/* metadata.c */
int ktrace_metadata_sync_locked(struct ktrace_session *s);

/* Events (event.c); callers hold sessions_lock. */
void ktrace_channel_events_unlink(struct ktrace_channel *c);
void ktrace_channel_events_free(struct ktrace_channel *c);
int ktrace_channel_events_resume(struct ktrace_channel *c);
void ktrace_channel_events_pause(struct ktrace_channel *c);

#endif /* _KTRACE_CORE_INTERNAL_H */
