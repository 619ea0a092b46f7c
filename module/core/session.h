/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktrace sessions and channels: the in-kernel control API.
 *
 * A session is a named kernel object with a unique id; it lives until it is
 * destroyed and its last reference is dropped, so a reader holding a
 * reference (an fd, later) keeps it, its channels and their ring buffers
 * alive after destruction. A channel belongs to one session and owns one
 * ring buffer channel, whose per-CPU buffers are the channel's streams.
 * Channels are freed with their session.
 *
 * Every function here may sleep; all of them serialise on one global mutex,
 * so callers need no locking of their own. A channel's buffers are
 * allocated without that mutex held, so that a large allocation never
 * delays commands on other sessions.
 */
#ifndef _KTRACE_CORE_SESSION_H
#define _KTRACE_CORE_SESSION_H

#include <linux/sizes.h>
#include <linux/types.h>

struct file;
struct poll_table_struct;
struct ktrace_session;
struct ktrace_channel;
struct ktrace_rb_chan;

/* Longest session, channel and output name, without the NUL. */
#define KTRACE_NAME_MAX			64
/* Size of a snapshot output's destination string, with its NUL. */
#define KTRACE_OUTPUT_DEST_MAX		4096
/* The default name of a normal session's (only) output. */
#define KTRACE_TRACE_OUTPUT_NAME	"trace"
/* Streaming bounds: read timer (us), tracefiles kept per stream. */
#define KTRACE_READ_TIMER_US_MAX	60000000U
#define KTRACE_TRACEFILE_COUNT_LIMIT	1000000U

/*
 * Default channel geometry, LTTng's kernel defaults: 4 sub-buffers of
 * 1 MiB per CPU, enough for a useful snapshot of a busy machine.
 */
#define KTRACE_CHANNEL_DEFAULT_SUBBUF_SIZE	((unsigned long)SZ_1M)
#define KTRACE_CHANNEL_DEFAULT_NUM_SUBBUF	4U
#define KTRACE_CHANNEL_DEFAULT_NAME		"channel0"

/**
 * enum ktrace_session_mode - what a session is for
 * @KTRACE_SESSION_NORMAL: streams are consumed as they fill.
 * @KTRACE_SESSION_SNAPSHOT: flight recorder; data is read by snapshots.
 */
enum ktrace_session_mode {
	KTRACE_SESSION_NORMAL,
	KTRACE_SESSION_SNAPSHOT,
};

/**
 * enum ktrace_session_state - where a session is in its life
 * @KTRACE_SESSION_NEVER_STARTED: created, never started.
 * @KTRACE_SESSION_ACTIVE: recording.
 * @KTRACE_SESSION_STOPPED: started at least once, not recording.
 */
enum ktrace_session_state {
	KTRACE_SESSION_NEVER_STARTED,
	KTRACE_SESSION_ACTIVE,
	KTRACE_SESSION_STOPPED,
};

/**
 * enum ktrace_channel_mode - full-buffer policy of a channel
 * @KTRACE_CHANNEL_MODE_DEFAULT: overwrite in a snapshot session, discard
 *	otherwise.
 * @KTRACE_CHANNEL_MODE_DISCARD: drop new events when the buffer is full.
 * @KTRACE_CHANNEL_MODE_OVERWRITE: overwrite the oldest sub-buffer.
 */
enum ktrace_channel_mode {
	KTRACE_CHANNEL_MODE_DEFAULT,
	KTRACE_CHANNEL_MODE_DISCARD,
	KTRACE_CHANNEL_MODE_OVERWRITE,
};

/**
 * enum ktrace_channel_output - how readers are expected to copy data
 * @KTRACE_CHANNEL_OUTPUT_SPLICE: splice from the stream fd.
 * @KTRACE_CHANNEL_OUTPUT_MMAP: read through the stream fd's mmap.
 */
enum ktrace_channel_output {
	KTRACE_CHANNEL_OUTPUT_SPLICE,
	KTRACE_CHANNEL_OUTPUT_MMAP,
};

/**
 * struct ktrace_channel_attr - what a channel is created with
 * @name: 1 to KTRACE_NAME_MAX characters from [A-Za-z0-9_.-].
 * @subbuf_size: bytes per sub-buffer (power of two, at least PAGE_SIZE);
 *	0 for KTRACE_CHANNEL_DEFAULT_SUBBUF_SIZE.
 * @num_subbuf: sub-buffers per CPU (power of two, at least 2); 0 for
 *	KTRACE_CHANNEL_DEFAULT_NUM_SUBBUF.
 * @mode: full-buffer policy.
 * @switch_timer_us: period of the flush of partly filled packets, in
 *	microseconds; 0 for none.
 * @output: the output hint given to readers.
 * @read_timer_us: 0: writers wake a stream's pollers when they deliver a
 *	packet; otherwise the period, in microseconds (at most
 *	KTRACE_READ_TIMER_US_MAX), of a timer that wakes them instead.
 * @tracefile_size: bytes per trace file for the consumer; 0 for no limit,
 *	else at least the sub-buffer size. Normal sessions only.
 * @tracefile_count: trace files kept per stream; 0 for no limit, at most
 *	KTRACE_TRACEFILE_COUNT_LIMIT; needs @tracefile_size.
 * @disabled: create the channel disabled (it records nothing).
 */
struct ktrace_channel_attr {
	const char *name;
	unsigned long subbuf_size;
	unsigned int num_subbuf;
	enum ktrace_channel_mode mode;
	u32 switch_timer_us;
	enum ktrace_channel_output output;
	u32 read_timer_us;
	u64 tracefile_size;
	u32 tracefile_count;
	bool disabled;
};

/**
 * struct ktrace_consumer_report - what a session's consumer last reported
 * @bytes_written: bytes written to its trace files since it attached.
 * @packets_written: packets written since it attached.
 * @synced_stop_seq: the stop sequence up to which everything is written
 *	and synced.
 * @error: errno of its last write failure, 0 for none.
 */
struct ktrace_consumer_report {
	u64 bytes_written;
	u64 packets_written;
	u64 synced_stop_seq;
	u32 error;
};

/**
 * struct ktrace_consumer_status - the streaming state of a session
 * @attached: a consumer is attached.
 * @pid: its tgid, when attached.
 * @report: what the attached consumer, or the last one, reported.
 * @lag: bytes of closed packets not yet consumed, all streams.
 * @stop_seq: the session's stop sequence.
 * @events_read: events consumed (GET_NEXT_SUBBUF) from every stream since
 *	the attached, or last, consumer attached.
 */
struct ktrace_consumer_status {
	bool attached;
	pid_t pid;
	struct ktrace_consumer_report report;
	u64 lag;
	u64 stop_seq;
	u64 events_read;
};

/**
 * struct ktrace_snapshot_output - one snapshot output, as listed
 * @id: unique in the session, never reused by it.
 * @name: 1 to KTRACE_NAME_MAX characters from [A-Za-z0-9_.-].
 * @dest: destination string, opaque to the kernel.
 * @max_size: default maximum snapshot size in bytes; 0 for no limit.
 */
struct ktrace_snapshot_output {
	u32 id;
	const char *name;
	const char *dest;
	u64 max_size;
};

bool ktrace_name_valid(const char *name);
int ktrace_core_live_objects(void);
void ktrace_channel_init(void);
unsigned int ktrace_buffer_limit_mib(void);
#if IS_ENABLED(CONFIG_KUNIT)
/* The max_buffer_mib module parameter. */
extern unsigned int ktrace_max_buffer_mib;
/**
 * struct ktrace_core_test_hooks - where the KUnit suite steps in
 * @channel_alloc: called once a channel's buffers are allocated and
 *	before it is linked into @s, without sessions_lock held: the suite
 *	checks there that other sessions are not blocked meanwhile.
 */
struct ktrace_core_test_hooks {
	void (*channel_alloc)(struct ktrace_session *s);
};

extern struct ktrace_core_test_hooks ktrace_core_test_hooks;
#endif

/* Sessions */
struct ktrace_session *ktrace_session_create(const char *name,
					     enum ktrace_session_mode mode);
int ktrace_session_destroy(struct ktrace_session *s);
void ktrace_session_get(struct ktrace_session *s);
void ktrace_session_put(struct ktrace_session *s);
struct ktrace_session *ktrace_session_lookup_id(u32 id);
struct ktrace_session *ktrace_session_lookup_name(const char *name);
int ktrace_session_list_ids(u32 *ids, unsigned int max);
int ktrace_session_start(struct ktrace_session *s);
int ktrace_session_stop(struct ktrace_session *s);
int ktrace_session_stop_counted(struct ktrace_session *s, u64 *stop_seq);
void ktrace_session_destroy_all(void);

u32 ktrace_session_id(const struct ktrace_session *s);
const char *ktrace_session_name(const struct ktrace_session *s);
enum ktrace_session_mode ktrace_session_mode(const struct ktrace_session *s);
enum ktrace_session_state ktrace_session_state(struct ktrace_session *s);
bool ktrace_session_started_once(struct ktrace_session *s);

/* Snapshot outputs and counter */
int ktrace_session_output_add(struct ktrace_session *s, const char *name,
			      const char *dest, u64 max_size, u32 *id);
int ktrace_session_output_del_id(struct ktrace_session *s, u32 id);
int ktrace_session_output_del_name(struct ktrace_session *s,
				   const char *name);
int ktrace_session_output_for_each(struct ktrace_session *s,
				   int (*fn)(void *arg,
					     const struct ktrace_snapshot_output *o),
				   void *arg);
u64 ktrace_session_snapshot_count(struct ktrace_session *s);
void ktrace_session_snapshot_bump(struct ktrace_session *s);

/* Streaming: the consumer, the stop sequence, clear */
int ktrace_session_consumer_attach(struct ktrace_session *s, pid_t pid);
void ktrace_session_consumer_detach(struct ktrace_session *s);
int ktrace_session_consumer_report(struct ktrace_session *s,
				   const struct ktrace_consumer_report *r);
void ktrace_session_consumer_status(struct ktrace_session *s,
				    struct ktrace_consumer_status *st);
__poll_t ktrace_session_consumer_poll(struct ktrace_session *s,
				      struct file *file,
				      struct poll_table_struct *wait);
u64 ktrace_session_stop_seq(struct ktrace_session *s);
int ktrace_session_clear(struct ktrace_session *s);

/* Channels */
struct ktrace_channel *
ktrace_channel_create(struct ktrace_session *s,
		      const struct ktrace_channel_attr *attr);
struct ktrace_channel *ktrace_channel_lookup(struct ktrace_session *s,
					     const char *name);
struct ktrace_channel *ktrace_channel_lookup_id(struct ktrace_session *s,
						u32 id);
struct ktrace_channel *ktrace_session_default_channel(struct ktrace_session *s);
unsigned int ktrace_session_num_channels(struct ktrace_session *s);
int ktrace_channel_for_each(struct ktrace_session *s,
			    int (*fn)(void *arg, struct ktrace_channel *c),
			    void *arg);

u32 ktrace_channel_id(const struct ktrace_channel *c);
const char *ktrace_channel_name(const struct ktrace_channel *c);
enum ktrace_channel_mode ktrace_channel_mode(const struct ktrace_channel *c);
u32 ktrace_channel_switch_timer_us(const struct ktrace_channel *c);
enum ktrace_channel_output ktrace_channel_output(const struct ktrace_channel *c);
struct ktrace_rb_chan *ktrace_channel_rb(const struct ktrace_channel *c);
u32 ktrace_channel_read_timer_us(const struct ktrace_channel *c);
u64 ktrace_channel_tracefile_size(const struct ktrace_channel *c);
u32 ktrace_channel_tracefile_count(const struct ktrace_channel *c);
bool ktrace_channel_enabled(const struct ktrace_channel *c);
int ktrace_channel_set_enabled(struct ktrace_channel *c, bool enable);

#endif /* _KTRACE_CORE_SESSION_H */
