// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the stream and metadata fds (module/abi), the packet
 * index (module/snapshot) and the ring buffer reader calls they use:
 * every rejection path of the /dev/ktrace and stream ioctls has its own
 * row with everything else valid, and the cases check what a reader relies
 * on: the packet index agrees with what a get sees, splice and mmap show
 * the held packet without changing it, poll wakes on delivery and hangs up
 * on destruction, and an fd keeps its session alive.
 *
 * The ioctls run through the files' real ioctl operation, with user
 * memory from kunit_vm_mmap(): copy_{from,to}_user and -EFAULT behave as
 * for a process.
 */
#include <kunit/test.h>
#include <linux/capability.h>
#include <linux/completion.h>
#include <linux/cred.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/module.h>
#include <linux/pipe_fs_i.h>
#include <linux/poll.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/splice.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include "abi/abi_internal.h"
#include "abi/uapi/ktrace.h"
#include "core/core_internal.h"
#include "core/metadata.h"
#include "core/session.h"
#include "ringbuffer/ringbuffer.h"
#include "snapshot/snapshot.h"

#include "ktrace_test_stream.h"

/* An ioctl that writes a u64 to user memory; returns it. */
static u64 t_ioctl_u64(struct kunit *test, struct t_env *e, struct file *file,
		       unsigned int cmd)
{
	u64 __user *up = e->umem;
	u64 v = ~0ULL;

	KUNIT_EXPECT_EQ(test, t_ioctl(file, cmd, up), 0);
	KUNIT_EXPECT_EQ(test, get_user(v, up), 0);
	return v;
}

static long t_get_subbuf(struct kunit *test, struct t_env *e,
			 struct file *file, u64 pos)
{
	u64 __user *up = e->umem;

	KUNIT_EXPECT_EQ(test, put_user(pos, up), 0);
	return t_ioctl(file, KTRACE_STREAM_GET_SUBBUF, up);
}

/* Write @n full packets and close the last one. */
static void t_fill_packets(struct kunit *test, struct t_env *e, unsigned int n)
{
	t_write(test, e, n * T_PER_PACKET);
	ktrace_rb_flush(e->buf, false);
}

/*
 * The stream ioctls, one row per rejection, each from a state in which
 * everything but the row's point is valid, plus a valid row per argument
 * kind to prove it.
 */
enum t_state {
	T_FRESH,		/* two packets delivered; nothing sampled/held */
	T_SAMPLED,		/* ... and SNAPSHOT taken */
	T_HELD,			/* ... and the first packet got */
	T_EMPTY,		/* nothing written */
	T_FINALIZED,		/* two packets, session destroyed, sampled */
	T_FINALIZED_EMPTY,	/* nothing written, session destroyed */
};

enum t_arg {
	T_ARG_NONE,
	T_ARG_BAD,		/* a user pointer that faults */
	T_ARG_U64,
	T_ARG_INFO,
	T_ARG_INDEX,
};

/* The argument block, at the start of the test's user memory. */
struct t_args {
	u64 value;
	struct ktrace_packet_info info;
	struct ktrace_packet_index index;
	u64 index_tail;		/* what a newer header might add */
	struct ktrace_packet_index_entry entries[T_NUM_SUBBUF];
};

struct t_ioctl_case {
	const char *desc;
	enum t_state state;
	unsigned int cmd;
	enum t_arg arg;
	void (*prep)(struct t_args *a);
	long expected;
};

static void t_pos_unaligned(struct t_args *a)
{
	a->value = 1;
}

static void t_pos_produced(struct t_args *a)
{
	a->value = 2 * T_SUBBUF;
}

static void t_pos_before_first(struct t_args *a)
{
	a->value = -T_SUBBUF;
}

static void t_info_small(struct t_args *a)
{
	a->info.size = KTRACE_PACKET_INFO_SIZE_VER0 - 8;
}

static void t_index_small(struct t_args *a)
{
	a->index.size = KTRACE_PACKET_INDEX_SIZE_VER0 - 8;
}

static void t_index_tail(struct t_args *a)
{
	a->index.size = sizeof(a->index) + sizeof(a->index_tail);
	a->index_tail = 1;
}

static void t_index_zero_tail(struct t_args *a)
{
	a->index.size = sizeof(a->index) + sizeof(a->index_tail);
}

static void t_index_flags(struct t_args *a)
{
	a->index.flags = 1;
}

static void t_index_reserved(struct t_args *a)
{
	a->index.reserved = 1;
}

static void t_index_bad_entries(struct t_args *a)
{
	a->index.entries = (unsigned long)T_BAD_UPTR;
}

static void t_index_short(struct t_args *a)
{
	a->index.count = 1;
}

static const struct t_ioctl_case t_ioctl_cases[] = {
	{ "unknown command", T_HELD, _IO(KTRACE_IOC_MAGIC, 0x3f),
	  T_ARG_NONE, NULL, -ENOTTY },
	{ "a /dev/ktrace command", T_FRESH, KTRACE_IOC_API, T_ARG_BAD, NULL,
	  -ENOTTY },
	{ "SNAPSHOT", T_EMPTY, KTRACE_STREAM_SNAPSHOT, T_ARG_NONE, NULL, 0 },
	{ "SNAPSHOT_GET_CONSUMED", T_SAMPLED,
	  KTRACE_STREAM_SNAPSHOT_GET_CONSUMED, T_ARG_U64, NULL, 0 },
	{ "SNAPSHOT_GET_CONSUMED before any SNAPSHOT", T_FRESH,
	  KTRACE_STREAM_SNAPSHOT_GET_CONSUMED, T_ARG_U64, NULL, -ENODATA },
	{ "SNAPSHOT_GET_CONSUMED to a bad pointer", T_SAMPLED,
	  KTRACE_STREAM_SNAPSHOT_GET_CONSUMED, T_ARG_BAD, NULL, -EFAULT },
	{ "SNAPSHOT_GET_PRODUCED", T_SAMPLED,
	  KTRACE_STREAM_SNAPSHOT_GET_PRODUCED, T_ARG_U64, NULL, 0 },
	{ "SNAPSHOT_GET_PRODUCED before any SNAPSHOT", T_FRESH,
	  KTRACE_STREAM_SNAPSHOT_GET_PRODUCED, T_ARG_U64, NULL, -ENODATA },
	{ "SNAPSHOT_GET_PRODUCED to a bad pointer", T_SAMPLED,
	  KTRACE_STREAM_SNAPSHOT_GET_PRODUCED, T_ARG_BAD, NULL, -EFAULT },
	{ "GET_SUBBUF of the first packet", T_FRESH, KTRACE_STREAM_GET_SUBBUF,
	  T_ARG_U64, NULL, 0 },
	{ "GET_SUBBUF from a bad pointer", T_FRESH, KTRACE_STREAM_GET_SUBBUF,
	  T_ARG_BAD, NULL, -EFAULT },
	{ "GET_SUBBUF of an unaligned position", T_FRESH,
	  KTRACE_STREAM_GET_SUBBUF, T_ARG_U64, t_pos_unaligned, -EINVAL },
	{ "GET_SUBBUF while holding a packet", T_HELD,
	  KTRACE_STREAM_GET_SUBBUF, T_ARG_U64, NULL, -EBUSY },
	{ "GET_SUBBUF at the produced position", T_FRESH,
	  KTRACE_STREAM_GET_SUBBUF, T_ARG_U64, t_pos_produced, -EAGAIN },
	{ "GET_SUBBUF before the first packet", T_FRESH,
	  KTRACE_STREAM_GET_SUBBUF, T_ARG_U64, t_pos_before_first, -EAGAIN },
	{ "GET_SUBBUF of a finalized buffer", T_FINALIZED,
	  KTRACE_STREAM_GET_SUBBUF, T_ARG_U64, NULL, 0 },
	{ "GET_SUBBUF past the end of a finalized buffer", T_FINALIZED,
	  KTRACE_STREAM_GET_SUBBUF, T_ARG_U64, t_pos_produced, -ENODATA },
	{ "PUT_SUBBUF", T_HELD, KTRACE_STREAM_PUT_SUBBUF, T_ARG_NONE, NULL, 0 },
	{ "PUT_SUBBUF holding nothing", T_FRESH, KTRACE_STREAM_PUT_SUBBUF,
	  T_ARG_NONE, NULL, -EINVAL },
	{ "GET_NEXT_SUBBUF", T_FRESH, KTRACE_STREAM_GET_NEXT_SUBBUF,
	  T_ARG_NONE, NULL, 0 },
	{ "GET_NEXT_SUBBUF while holding a packet", T_HELD,
	  KTRACE_STREAM_GET_NEXT_SUBBUF, T_ARG_NONE, NULL, -EBUSY },
	{ "GET_NEXT_SUBBUF on an empty buffer", T_EMPTY,
	  KTRACE_STREAM_GET_NEXT_SUBBUF, T_ARG_NONE, NULL, -EAGAIN },
	{ "GET_NEXT_SUBBUF on a finalized empty buffer", T_FINALIZED_EMPTY,
	  KTRACE_STREAM_GET_NEXT_SUBBUF, T_ARG_NONE, NULL, -ENODATA },
	{ "PUT_NEXT_SUBBUF holding nothing", T_FRESH,
	  KTRACE_STREAM_PUT_NEXT_SUBBUF, T_ARG_NONE, NULL, -EINVAL },
	{ "PUT_NEXT_SUBBUF after GET_SUBBUF", T_HELD,
	  KTRACE_STREAM_PUT_NEXT_SUBBUF, T_ARG_NONE, NULL, -EINVAL },
	{ "GET_SUBBUF_SIZE", T_HELD, KTRACE_STREAM_GET_SUBBUF_SIZE, T_ARG_U64,
	  NULL, 0 },
	{ "GET_SUBBUF_SIZE holding nothing", T_FRESH,
	  KTRACE_STREAM_GET_SUBBUF_SIZE, T_ARG_U64, NULL, -ENODATA },
	{ "GET_SUBBUF_SIZE to a bad pointer", T_HELD,
	  KTRACE_STREAM_GET_SUBBUF_SIZE, T_ARG_BAD, NULL, -EFAULT },
	{ "GET_PADDED_SUBBUF_SIZE", T_HELD,
	  KTRACE_STREAM_GET_PADDED_SUBBUF_SIZE, T_ARG_U64, NULL, 0 },
	{ "GET_PADDED_SUBBUF_SIZE holding nothing", T_FRESH,
	  KTRACE_STREAM_GET_PADDED_SUBBUF_SIZE, T_ARG_U64, NULL, -ENODATA },
	{ "GET_PADDED_SUBBUF_SIZE to a bad pointer", T_HELD,
	  KTRACE_STREAM_GET_PADDED_SUBBUF_SIZE, T_ARG_BAD, NULL, -EFAULT },
	{ "GET_MAX_SUBBUF_SIZE", T_EMPTY, KTRACE_STREAM_GET_MAX_SUBBUF_SIZE,
	  T_ARG_U64, NULL, 0 },
	{ "GET_MAX_SUBBUF_SIZE to a bad pointer", T_FRESH,
	  KTRACE_STREAM_GET_MAX_SUBBUF_SIZE, T_ARG_BAD, NULL, -EFAULT },
	{ "GET_MMAP_LEN", T_EMPTY, KTRACE_STREAM_GET_MMAP_LEN, T_ARG_U64, NULL,
	  0 },
	{ "GET_MMAP_LEN to a bad pointer", T_FRESH, KTRACE_STREAM_GET_MMAP_LEN,
	  T_ARG_BAD, NULL, -EFAULT },
	{ "GET_MMAP_READ_OFFSET", T_HELD, KTRACE_STREAM_GET_MMAP_READ_OFFSET,
	  T_ARG_U64, NULL, 0 },
	{ "GET_MMAP_READ_OFFSET holding nothing", T_FRESH,
	  KTRACE_STREAM_GET_MMAP_READ_OFFSET, T_ARG_U64, NULL, -ENODATA },
	{ "GET_MMAP_READ_OFFSET to a bad pointer", T_HELD,
	  KTRACE_STREAM_GET_MMAP_READ_OFFSET, T_ARG_BAD, NULL, -EFAULT },
	{ "FLUSH", T_EMPTY, KTRACE_STREAM_FLUSH, T_ARG_NONE, NULL, 0 },
	{ "FLUSH of a finalized buffer", T_FINALIZED, KTRACE_STREAM_FLUSH,
	  T_ARG_NONE, NULL, 0 },
	{ "FLUSH_EMPTY", T_EMPTY, KTRACE_STREAM_FLUSH_EMPTY, T_ARG_NONE, NULL,
	  0 },
	{ "GET_PACKET_INFO", T_HELD, KTRACE_STREAM_GET_PACKET_INFO,
	  T_ARG_INFO, NULL, 0 },
	{ "GET_PACKET_INFO holding nothing", T_FRESH,
	  KTRACE_STREAM_GET_PACKET_INFO, T_ARG_INFO, NULL, -ENODATA },
	{ "GET_PACKET_INFO with a size below version 0", T_HELD,
	  KTRACE_STREAM_GET_PACKET_INFO, T_ARG_INFO, t_info_small, -EINVAL },
	{ "GET_PACKET_INFO to a bad pointer", T_HELD,
	  KTRACE_STREAM_GET_PACKET_INFO, T_ARG_BAD, NULL, -EFAULT },
	{ "PACKET_INDEX", T_SAMPLED, KTRACE_STREAM_PACKET_INDEX, T_ARG_INDEX,
	  NULL, 0 },
	{ "PACKET_INDEX with a larger struct, zero tail", T_SAMPLED,
	  KTRACE_STREAM_PACKET_INDEX, T_ARG_INDEX, t_index_zero_tail, 0 },
	{ "PACKET_INDEX while holding a packet", T_HELD,
	  KTRACE_STREAM_PACKET_INDEX, T_ARG_INDEX, NULL, 0 },
	{ "PACKET_INDEX before any SNAPSHOT", T_FRESH,
	  KTRACE_STREAM_PACKET_INDEX, T_ARG_INDEX, NULL, -ENODATA },
	{ "PACKET_INDEX with a size below version 0", T_SAMPLED,
	  KTRACE_STREAM_PACKET_INDEX, T_ARG_INDEX, t_index_small, -EINVAL },
	{ "PACKET_INDEX with a non-zero unknown tail", T_SAMPLED,
	  KTRACE_STREAM_PACKET_INDEX, T_ARG_INDEX, t_index_tail, -EINVAL },
	{ "PACKET_INDEX with flags", T_SAMPLED, KTRACE_STREAM_PACKET_INDEX,
	  T_ARG_INDEX, t_index_flags, -EINVAL },
	{ "PACKET_INDEX with reserved", T_SAMPLED, KTRACE_STREAM_PACKET_INDEX,
	  T_ARG_INDEX, t_index_reserved, -EINVAL },
	{ "PACKET_INDEX from a bad pointer", T_SAMPLED,
	  KTRACE_STREAM_PACKET_INDEX, T_ARG_BAD, NULL, -EFAULT },
	{ "PACKET_INDEX to a bad entries pointer", T_SAMPLED,
	  KTRACE_STREAM_PACKET_INDEX, T_ARG_INDEX, t_index_bad_entries,
	  -EFAULT },
	{ "PACKET_INDEX with room for fewer packets than the range",
	  T_SAMPLED, KTRACE_STREAM_PACKET_INDEX, T_ARG_INDEX, t_index_short,
	  -E2BIG },
};

static void t_ioctl_case_desc(const struct t_ioctl_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(t_ioctl_cases, t_ioctl_cases, t_ioctl_case_desc);

static void stream_ioctl_checks_its_argument(struct kunit *test)
{
	const struct t_ioctl_case *c = test->param_value;
	struct t_args *a = kunit_kzalloc(test, sizeof(*a), GFP_KERNEL);
	struct t_args __user *ua;
	const void __user *arg;
	struct t_env e;
	struct file *file;

	KUNIT_ASSERT_NOT_NULL(test, a);
	t_env_init(test, &e, "kt_ioctl", KTRACE_SESSION_SNAPSHOT);
	ua = e.umem;
	file = t_stream_open(test, &e);
	if (c->state != T_EMPTY && c->state != T_FINALIZED_EMPTY)
		t_fill_packets(test, &e, 2);
	if (c->state == T_FINALIZED || c->state == T_FINALIZED_EMPTY)
		KUNIT_ASSERT_EQ(test, ktrace_session_destroy(e.session), 0);
	if (c->state == T_SAMPLED || c->state == T_HELD ||
	    c->state == T_FINALIZED)
		KUNIT_ASSERT_EQ(test, t_ioctl(file, KTRACE_STREAM_SNAPSHOT,
					      NULL), 0);
	if (c->state == T_HELD)
		KUNIT_ASSERT_EQ(test, t_get_subbuf(test, &e, file, 0), 0);

	a->value = 0;
	a->info.size = sizeof(a->info);
	a->index.size = sizeof(a->index);
	a->index.count = T_NUM_SUBBUF;
	a->index.entries = (unsigned long)ua->entries;
	if (c->prep)
		c->prep(a);
	KUNIT_ASSERT_EQ(test, copy_to_user(ua, a, sizeof(*a)), 0);

	switch (c->arg) {
	case T_ARG_NONE:
		arg = NULL;
		break;
	case T_ARG_BAD:
		arg = T_BAD_UPTR;
		break;
	case T_ARG_U64:
		arg = &ua->value;
		break;
	case T_ARG_INFO:
		arg = &ua->info;
		break;
	default:
		arg = &ua->index;
		break;
	}
	KUNIT_EXPECT_EQ(test, t_ioctl(file, c->cmd, arg), c->expected);
}

/* /dev/ktrace: OPEN_STREAM, OPEN_METADATA and API, through the ioctl. */
enum t_dev_state {
	T_DEV_LISTED,		/* the session exists */
	T_DEV_DESTROYED,	/* it was destroyed */
	T_DEV_STREAM_OPEN,	/* its stream on e.cpu is open already */
};

struct t_dev_args {
	struct ktrace_open_stream stream;
	u64 stream_tail;
	struct ktrace_open_metadata metadata;
	u64 metadata_tail;
	struct ktrace_api api;
	u64 api_tail;
};

struct t_dev_case {
	const char *desc;
	enum t_dev_state state;
	unsigned int cmd;
	bool bad_pointer;
	void (*prep)(struct t_dev_args *a);
	/* 1: a new fd of that file name. */
	long expected;
	const char *fd_name;
};

static void t_os_small(struct t_dev_args *a)
{
	a->stream.size = KTRACE_OPEN_STREAM_SIZE_VER0 - 4;
}

static void t_os_tail(struct t_dev_args *a)
{
	a->stream.size = sizeof(a->stream) + sizeof(a->stream_tail);
	a->stream_tail = 1;
}

static void t_os_zero_tail(struct t_dev_args *a)
{
	a->stream.size = sizeof(a->stream) + sizeof(a->stream_tail);
}

static void t_os_flags(struct t_dev_args *a)
{
	a->stream.flags = 1;
}

static void t_os_reserved(struct t_dev_args *a)
{
	a->stream.reserved = 1;
}

static void t_os_cpu_nr(struct t_dev_args *a)
{
	a->stream.cpu = nr_cpu_ids;
}

static void t_os_cpu_max(struct t_dev_args *a)
{
	a->stream.cpu = U32_MAX;
}

static void t_os_session(struct t_dev_args *a)
{
	a->stream.session_id = U32_MAX;
}

static void t_os_channel(struct t_dev_args *a)
{
	a->stream.channel_id = 99;
}

static void t_om_small(struct t_dev_args *a)
{
	a->metadata.size = KTRACE_OPEN_METADATA_SIZE_VER0 - 4;
}

static void t_om_tail(struct t_dev_args *a)
{
	a->metadata.size = sizeof(a->metadata) + sizeof(a->metadata_tail);
	a->metadata_tail = 1;
}

static void t_om_flags(struct t_dev_args *a)
{
	a->metadata.flags = 1;
}

static void t_om_reserved(struct t_dev_args *a)
{
	a->metadata.reserved = 1;
}

static void t_om_session(struct t_dev_args *a)
{
	a->metadata.session_id = U32_MAX;
}

static void t_api_small(struct t_dev_args *a)
{
	a->api.size = KTRACE_API_SIZE_VER0 - 8;
}

static void t_api_tail(struct t_dev_args *a)
{
	a->api.size = sizeof(a->api) + sizeof(a->api_tail);
	a->api_tail = 1;
}

static void t_api_reserved(struct t_dev_args *a)
{
	a->api.reserved = 1;
}

static const struct t_dev_case t_dev_cases[] = {
	{ "OPEN_STREAM", T_DEV_LISTED, KTRACE_IOC_OPEN_STREAM, false, NULL, 1,
	  "[ktrace_stream]" },
	{ "OPEN_STREAM with a larger struct, zero tail", T_DEV_LISTED,
	  KTRACE_IOC_OPEN_STREAM, false, t_os_zero_tail, 1,
	  "[ktrace_stream]" },
	{ "OPEN_STREAM with a size below version 0", T_DEV_LISTED,
	  KTRACE_IOC_OPEN_STREAM, false, t_os_small, -EINVAL },
	{ "OPEN_STREAM with a non-zero unknown tail", T_DEV_LISTED,
	  KTRACE_IOC_OPEN_STREAM, false, t_os_tail, -EINVAL },
	{ "OPEN_STREAM from a bad pointer", T_DEV_LISTED,
	  KTRACE_IOC_OPEN_STREAM, true, NULL, -EFAULT },
	{ "OPEN_STREAM with flags", T_DEV_LISTED, KTRACE_IOC_OPEN_STREAM,
	  false, t_os_flags, -EINVAL },
	{ "OPEN_STREAM with reserved", T_DEV_LISTED, KTRACE_IOC_OPEN_STREAM,
	  false, t_os_reserved, -EINVAL },
	{ "OPEN_STREAM of CPU nr_cpu_ids", T_DEV_LISTED,
	  KTRACE_IOC_OPEN_STREAM, false, t_os_cpu_nr, -EINVAL },
	{ "OPEN_STREAM of CPU U32_MAX", T_DEV_LISTED, KTRACE_IOC_OPEN_STREAM,
	  false, t_os_cpu_max, -EINVAL },
	{ "OPEN_STREAM of an unknown session", T_DEV_LISTED,
	  KTRACE_IOC_OPEN_STREAM, false, t_os_session, -ENOENT },
	{ "OPEN_STREAM of a destroyed session", T_DEV_DESTROYED,
	  KTRACE_IOC_OPEN_STREAM, false, NULL, -ENOENT },
	{ "OPEN_STREAM of an unknown channel", T_DEV_LISTED,
	  KTRACE_IOC_OPEN_STREAM, false, t_os_channel, -ENOENT },
	{ "OPEN_STREAM of a stream that has a reader", T_DEV_STREAM_OPEN,
	  KTRACE_IOC_OPEN_STREAM, false, NULL, -EBUSY },
	{ "OPEN_METADATA", T_DEV_LISTED, KTRACE_IOC_OPEN_METADATA, false,
	  NULL, 1, "[ktrace_metadata]" },
	{ "OPEN_METADATA while a stream is open", T_DEV_STREAM_OPEN,
	  KTRACE_IOC_OPEN_METADATA, false, NULL, 1, "[ktrace_metadata]" },
	{ "OPEN_METADATA with a size below version 0", T_DEV_LISTED,
	  KTRACE_IOC_OPEN_METADATA, false, t_om_small, -EINVAL },
	{ "OPEN_METADATA with a non-zero unknown tail", T_DEV_LISTED,
	  KTRACE_IOC_OPEN_METADATA, false, t_om_tail, -EINVAL },
	{ "OPEN_METADATA from a bad pointer", T_DEV_LISTED,
	  KTRACE_IOC_OPEN_METADATA, true, NULL, -EFAULT },
	{ "OPEN_METADATA with flags", T_DEV_LISTED, KTRACE_IOC_OPEN_METADATA,
	  false, t_om_flags, -EINVAL },
	{ "OPEN_METADATA with reserved", T_DEV_LISTED,
	  KTRACE_IOC_OPEN_METADATA, false, t_om_reserved, -EINVAL },
	{ "OPEN_METADATA of an unknown session", T_DEV_LISTED,
	  KTRACE_IOC_OPEN_METADATA, false, t_om_session, -ENOENT },
	{ "OPEN_METADATA of a destroyed session", T_DEV_DESTROYED,
	  KTRACE_IOC_OPEN_METADATA, false, NULL, -ENOENT },
	{ "API", T_DEV_LISTED, KTRACE_IOC_API, false, NULL, 0 },
	{ "API with a size below version 0", T_DEV_LISTED, KTRACE_IOC_API,
	  false, t_api_small, -EINVAL },
	{ "API with a non-zero unknown tail", T_DEV_LISTED, KTRACE_IOC_API,
	  false, t_api_tail, -EINVAL },
	{ "API with reserved", T_DEV_LISTED, KTRACE_IOC_API, false,
	  t_api_reserved, -EINVAL },
	{ "API from a bad pointer", T_DEV_LISTED, KTRACE_IOC_API, true, NULL,
	  -EFAULT },
	{ "unknown command", T_DEV_LISTED, _IOW(KTRACE_IOC_MAGIC, 0x03, u64),
	  false, NULL, -ENOTTY },
	{ "a stream command", T_DEV_LISTED, KTRACE_STREAM_SNAPSHOT, false,
	  NULL, -ENOTTY },
};

static void t_dev_case_desc(const struct t_dev_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(t_dev_cases, t_dev_cases, t_dev_case_desc);

static void dev_ioctl_checks_its_argument(struct kunit *test)
{
	const struct t_dev_case *c = test->param_value;
	struct t_dev_args *a = kunit_kzalloc(test, sizeof(*a), GFP_KERNEL);
	struct t_dev_args __user *ua;
	const void __user *arg;
	struct file *file;
	struct t_env e;
	bool cloexec;
	long ret;

	KUNIT_ASSERT_NOT_NULL(test, a);
	t_env_init(test, &e, "kt_dev", KTRACE_SESSION_SNAPSHOT);
	ua = e.umem;
	a->stream.size = sizeof(a->stream);
	a->stream.session_id = ktrace_session_id(e.session);
	a->stream.channel_id = ktrace_channel_id(e.channel);
	a->stream.cpu = e.cpu;
	a->metadata.size = sizeof(a->metadata);
	a->metadata.session_id = ktrace_session_id(e.session);
	a->api.size = sizeof(a->api);
	if (c->prep)
		c->prep(a);
	KUNIT_ASSERT_EQ(test, copy_to_user(ua, a, sizeof(*a)), 0);
	if (c->state == T_DEV_DESTROYED)
		KUNIT_ASSERT_EQ(test, ktrace_session_destroy(e.session), 0);
	if (c->state == T_DEV_STREAM_OPEN)
		t_stream_open(test, &e);

	if (c->bad_pointer)
		arg = T_BAD_UPTR;
	else if (c->cmd == KTRACE_IOC_OPEN_STREAM)
		arg = &ua->stream;
	else if (c->cmd == KTRACE_IOC_OPEN_METADATA)
		arg = &ua->metadata;
	else
		arg = &ua->api;
	ret = ktrace_abi_dev_ioctl(NULL, c->cmd, (unsigned long)arg);
	if (!c->fd_name) {
		KUNIT_EXPECT_EQ(test, ret, c->expected);
		return;
	}

	KUNIT_ASSERT_GE(test, ret, 0);
	rcu_read_lock();
	cloexec = close_on_exec(ret, current->files);
	rcu_read_unlock();
	KUNIT_EXPECT_TRUE(test, cloexec);
	file = fget(ret);
	KUNIT_EXPECT_NOT_NULL(test, file);
	if (file) {
		KUNIT_EXPECT_STREQ(test,
				   (const char *)file_dentry(file)->d_name.name,
				   c->fd_name);
		KUNIT_EXPECT_FALSE(test, file->f_mode & FMODE_WRITE);
		fput(file);
	}
	KUNIT_EXPECT_EQ(test, close_fd(ret), 0);
	flush_delayed_fput();
}

/* Opening /dev/ktrace as uid 0 holding only one capability (or none). */
struct t_open_case {
	const char *desc;
	int keep;		/* the one CAP_* in the effective set, or -1 */
	int expected;		/* 0 or the errno of open() */
};

static const struct t_open_case t_open_cases[] = {
	{ "uid 0 without capabilities", -1, -EPERM },
	{ "uid 0 with CAP_DAC_OVERRIDE only", CAP_DAC_OVERRIDE, -EPERM },
	{ "uid 0 with CAP_PERFMON only", CAP_PERFMON, 0 },
	{ "uid 0 with CAP_SYS_ADMIN only", CAP_SYS_ADMIN, 0 },
};

KUNIT_ARRAY_PARAM_DESC(t_open_cases, t_open_cases, desc);

/*
 * The real node, through the VFS: uid 0 passes the mode bits (0600, owned
 * by root) whatever its capabilities, so only the device's own check can
 * refuse it.
 */
static void dev_open_needs_perfmon_or_sys_admin(struct kunit *test)
{
	const struct t_open_case *c = test->param_value;
	const struct cred *old;
	struct file *file;
	struct cred *new;

	new = prepare_creds();
	KUNIT_ASSERT_NOT_NULL(test, new);
	cap_clear(new->cap_effective);
	if (c->keep >= 0)
		cap_raise(new->cap_effective, c->keep);
	old = override_creds(new);
	file = filp_open("/dev/ktrace", O_RDWR, 0);
	revert_creds(old);
	put_cred(new);
	if (!c->expected) {
		KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(file), "open: %ld",
				       PTR_ERR(file));
		filp_close(file, NULL);
		return;
	}
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(file), c->expected);
	if (!IS_ERR(file))
		filp_close(file, NULL);
}

static void t_cpu_online(void *cpu)
{
	/* Already online (the case's last step did it): nothing to do. */
	add_cpu((uintptr_t)cpu);
}

/*
 * CPU hotplug, through the kernel's own hotplug: a CPU offline when the
 * channel is made has no buffer, and its stream is empty and finished;
 * once online it gets a buffer that records; offline again, it keeps the
 * buffer and its packets, which a new stream reads.
 */
static void stream_follows_cpu_hotplug(struct kunit *test)
{
	unsigned int cpu = cpumask_last(cpu_online_mask);
	unsigned long consumed, produced;
	struct ktrace_rb_buf *buf;
	struct t_env e, on;
	struct file *file;

	if (cpu == cpumask_first(cpu_online_mask))
		kunit_skip(test, "needs two online CPUs");
	KUNIT_ASSERT_EQ(test, remove_cpu(cpu), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, t_cpu_online,
							(void *)(uintptr_t)cpu),
			0);
	t_env_init(test, &e, "kt_hotplug", KTRACE_SESSION_SNAPSHOT);
	KUNIT_EXPECT_NULL(test, ktrace_rb_buf(e.rb, cpu));
	KUNIT_EXPECT_EQ(test, ktrace_rb_chan_nr_bufs(e.rb), num_online_cpus());
	KUNIT_EXPECT_EQ(test, ktrace_rb_chan_mem_bytes(e.rb),
			num_online_cpus() * (T_NUM_SUBBUF + 1) * T_SUBBUF);

	on = e;
	on.cpu = cpu;
	file = t_stream_open(test, &on);
	KUNIT_EXPECT_EQ(test, t_ioctl(file, KTRACE_STREAM_SNAPSHOT, NULL), 0);
	KUNIT_EXPECT_EQ(test, t_ioctl_u64(test, &e, file,
					  KTRACE_STREAM_SNAPSHOT_GET_CONSUMED), 0);
	KUNIT_EXPECT_EQ(test, t_ioctl_u64(test, &e, file,
					  KTRACE_STREAM_SNAPSHOT_GET_PRODUCED), 0);
	KUNIT_EXPECT_EQ(test, t_ioctl(file, KTRACE_STREAM_GET_NEXT_SUBBUF, NULL),
			-ENODATA);
	KUNIT_EXPECT_EQ(test, t_get_subbuf(test, &e, file, 0), -ENODATA);
	KUNIT_EXPECT_EQ(test, t_ioctl(file, KTRACE_STREAM_PUT_SUBBUF, NULL),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, t_ioctl(file, KTRACE_STREAM_FLUSH, NULL), 0);
	KUNIT_EXPECT_EQ(test, t_ioctl_u64(test, &e, file,
					  KTRACE_STREAM_GET_MMAP_LEN), PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, vfs_poll(file, NULL), EPOLLHUP);

	KUNIT_ASSERT_EQ(test, add_cpu(cpu), 0);
	buf = ktrace_rb_buf(e.rb, cpu);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_EXPECT_EQ(test, ktrace_rb_chan_nr_bufs(e.rb), num_online_cpus());
	on.buf = buf;
	t_fill_packets(test, &on, 2);

	KUNIT_ASSERT_EQ(test, remove_cpu(cpu), 0);
	KUNIT_EXPECT_PTR_EQ(test, ktrace_rb_buf(e.rb, cpu), buf);
	ktrace_rb_snapshot(buf, &consumed, &produced);
	KUNIT_EXPECT_EQ(test, produced - consumed, 2 * T_SUBBUF);
	file = t_stream_open(test, &on);
	KUNIT_EXPECT_EQ(test, t_ioctl(file, KTRACE_STREAM_SNAPSHOT, NULL), 0);
	KUNIT_EXPECT_EQ(test, t_get_subbuf(test, &e, file, consumed), 0);
	KUNIT_EXPECT_EQ(test, t_ioctl(file, KTRACE_STREAM_PUT_SUBBUF, NULL), 0);
}

static void dev_api_reports_streams_and_packet_index(struct kunit *test)
{
	struct ktrace_api api = { .size = sizeof(api) };
	struct ktrace_api __user *ua = t_user_mem(test);

	KUNIT_ASSERT_EQ(test, copy_to_user(ua, &api, sizeof(api)), 0);
	KUNIT_ASSERT_EQ(test, ktrace_abi_dev_ioctl(NULL, KTRACE_IOC_API,
						   (unsigned long)ua), 0);
	KUNIT_ASSERT_EQ(test, copy_from_user(&api, ua, sizeof(api)), 0);
	KUNIT_EXPECT_EQ(test, api.size, sizeof(api));
	KUNIT_EXPECT_EQ(test, api.abi_version, KTRACE_ABI_VERSION);
	KUNIT_EXPECT_EQ(test, api.ioctls,
			BIT_ULL(KTRACE_IOC_NR_API) |
			BIT_ULL(KTRACE_IOC_NR_OPEN_STREAM) |
			BIT_ULL(KTRACE_IOC_NR_OPEN_METADATA) |
			BIT_ULL(KTRACE_IOC_NR_OPEN_CONSUMER));
	KUNIT_EXPECT_TRUE(test, api.features & KTRACE_FEATURE_PACKET_INDEX);
	KUNIT_EXPECT_TRUE(test, api.features & KTRACE_FEATURE_STREAMING);
	KUNIT_EXPECT_TRUE(test, api.features & KTRACE_FEATURE_PROBE_STATS);
}

static void stream_snapshot_samples_positions(struct kunit *test)
{
	unsigned long consumed, produced;
	struct file *file;
	struct t_env e;

	t_env_init(test, &e, "kt_sample", KTRACE_SESSION_SNAPSHOT);
	file = t_stream_open(test, &e);
	t_fill_packets(test, &e, 2);
	/* One more event: the third packet is open, not produced. */
	t_write(test, &e, 1);
	KUNIT_ASSERT_EQ(test, t_ioctl(file, KTRACE_STREAM_SNAPSHOT, NULL), 0);
	ktrace_rb_snapshot(e.buf, &consumed, &produced);
	KUNIT_EXPECT_EQ(test, t_ioctl_u64(test, &e, file,
					  KTRACE_STREAM_SNAPSHOT_GET_CONSUMED),
			0);
	KUNIT_EXPECT_EQ(test, t_ioctl_u64(test, &e, file,
					  KTRACE_STREAM_SNAPSHOT_GET_PRODUCED),
			2 * T_SUBBUF);
	KUNIT_EXPECT_EQ(test, produced, 2 * T_SUBBUF);
	KUNIT_EXPECT_EQ(test, consumed, 0);
	KUNIT_EXPECT_EQ(test, t_ioctl_u64(test, &e, file,
					  KTRACE_STREAM_GET_MAX_SUBBUF_SIZE),
			T_SUBBUF);
	KUNIT_EXPECT_EQ(test, t_ioctl_u64(test, &e, file,
					  KTRACE_STREAM_GET_MMAP_LEN),
			(T_NUM_SUBBUF + 1) * T_SUBBUF);

	/* The sample stays until the next SNAPSHOT. */
	KUNIT_ASSERT_EQ(test, t_ioctl(file, KTRACE_STREAM_FLUSH, NULL), 0);
	KUNIT_EXPECT_EQ(test, t_ioctl_u64(test, &e, file,
					  KTRACE_STREAM_SNAPSHOT_GET_PRODUCED),
			2 * T_SUBBUF);
	KUNIT_ASSERT_EQ(test, t_ioctl(file, KTRACE_STREAM_SNAPSHOT, NULL), 0);
	KUNIT_EXPECT_EQ(test, t_ioctl_u64(test, &e, file,
					  KTRACE_STREAM_SNAPSHOT_GET_PRODUCED),
			3 * T_SUBBUF);
}

/* PACKET_INDEX of the last sample: @n entries written to @ua->entries. */
static long t_packet_index(struct kunit *test, struct file *file,
			   struct t_args __user *ua, u32 room, u32 *n)
{
	struct ktrace_packet_index idx = {
		.size = sizeof(idx),
		.count = room,
		.entries = (unsigned long)ua->entries,
	};
	long ret;

	KUNIT_EXPECT_EQ(test, copy_to_user(&ua->index, &idx, sizeof(idx)), 0);
	ret = t_ioctl(file, KTRACE_STREAM_PACKET_INDEX, &ua->index);
	KUNIT_EXPECT_EQ(test, get_user(*n, &ua->index.count), 0);
	return ret;
}

static void stream_packet_index_matches_get_subbuf(struct kunit *test)
{
	struct ktrace_packet_index_entry ent[T_NUM_SUBBUF];
	struct ktrace_packet_info info;
	const struct ktrace_ctf_packet *hdr;
	struct t_args __user *ua;
	struct file *file;
	struct t_env e;
	u32 i, n;

	t_env_init(test, &e, "kt_index", KTRACE_SESSION_SNAPSHOT);
	ua = e.umem;
	file = t_stream_open(test, &e);
	t_write(test, &e, 3 * T_PER_PACKET - 5);
	KUNIT_ASSERT_EQ(test, t_ioctl(file, KTRACE_STREAM_FLUSH, NULL), 0);
	KUNIT_ASSERT_EQ(test, t_ioctl(file, KTRACE_STREAM_SNAPSHOT, NULL), 0);
	KUNIT_ASSERT_EQ(test, t_packet_index(test, file, ua, T_NUM_SUBBUF, &n),
			0);
	KUNIT_ASSERT_EQ(test, n, 3);
	KUNIT_ASSERT_EQ(test, copy_from_user(ent, ua->entries,
					     n * sizeof(ent[0])), 0);
	/* Nothing got held, nothing consumed. */
	KUNIT_EXPECT_NULL(test, ktrace_rb_held_data(e.buf));

	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_EQ(test, ent[i].pos, i * T_SUBBUF);
		KUNIT_EXPECT_EQ(test, ent[i].seq, i);
		KUNIT_EXPECT_LE(test, ent[i].timestamp_begin,
				ent[i].timestamp_end);
		KUNIT_EXPECT_EQ(test, ent[i].packet_size,
				PAGE_ALIGN(ent[i].content_size));
		KUNIT_ASSERT_EQ(test, t_get_subbuf(test, &e, file, ent[i].pos),
				0);

		/* What GET_PACKET_INFO says of the held packet... */
		info = (struct ktrace_packet_info){ .size = sizeof(info) };
		KUNIT_ASSERT_EQ(test, copy_to_user(&ua->info, &info,
						   sizeof(info)), 0);
		KUNIT_ASSERT_EQ(test, t_ioctl(file,
					      KTRACE_STREAM_GET_PACKET_INFO,
					      &ua->info), 0);
		KUNIT_ASSERT_EQ(test, copy_from_user(&info, &ua->info,
						     sizeof(info)), 0);
		KUNIT_EXPECT_EQ(test, info.size, sizeof(info));
		KUNIT_EXPECT_EQ(test, info.cpu, e.cpu);
		KUNIT_EXPECT_EQ(test, info.seq, ent[i].seq);
		KUNIT_EXPECT_EQ(test, info.timestamp_begin,
				ent[i].timestamp_begin);
		KUNIT_EXPECT_EQ(test, info.timestamp_end, ent[i].timestamp_end);
		KUNIT_EXPECT_EQ(test, info.content_size, ent[i].content_size);
		KUNIT_EXPECT_EQ(test, info.packet_size, ent[i].packet_size);
		KUNIT_EXPECT_EQ(test, t_ioctl_u64(test, &e, file,
						  KTRACE_STREAM_GET_SUBBUF_SIZE),
				ent[i].content_size);
		KUNIT_EXPECT_EQ(test,
				t_ioctl_u64(test, &e, file,
					    KTRACE_STREAM_GET_PADDED_SUBBUF_SIZE),
				ent[i].packet_size);

		/* ... and the packet's own header. */
		hdr = ktrace_rb_held_data(e.buf);
		KUNIT_ASSERT_NOT_NULL(test, hdr);
		KUNIT_EXPECT_EQ(test, hdr->magic, KTRACE_CTF_MAGIC);
		KUNIT_EXPECT_EQ(test, hdr->packet_seq_num, ent[i].seq);
		KUNIT_EXPECT_EQ(test, hdr->timestamp_begin,
				ent[i].timestamp_begin);
		KUNIT_EXPECT_EQ(test, hdr->timestamp_end, ent[i].timestamp_end);
		KUNIT_EXPECT_EQ(test, hdr->content_size,
				ent[i].content_size * BITS_PER_BYTE);
		KUNIT_EXPECT_EQ(test, hdr->packet_size,
				ent[i].packet_size * BITS_PER_BYTE);
		KUNIT_EXPECT_EQ(test, hdr->cpu_id, e.cpu);
		KUNIT_ASSERT_EQ(test, t_ioctl(file, KTRACE_STREAM_PUT_SUBBUF,
					      NULL), 0);
	}
	/* The last packet was flushed before it was full. */
	KUNIT_EXPECT_LT(test, ent[2].content_size, ent[1].content_size);
	KUNIT_EXPECT_EQ(test, t_ioctl_u64(test, &e, file,
					  KTRACE_STREAM_SNAPSHOT_GET_CONSUMED),
			0);
}

static void stream_packet_index_skips_overwritten_packets(struct kunit *test)
{
	struct ktrace_packet_index_entry ent[T_NUM_SUBBUF];
	struct ktrace_rb_packet_info info;
	struct t_args __user *ua;
	struct file *file;
	struct t_env e;
	u32 n;

	t_env_init(test, &e, "kt_overwrite", KTRACE_SESSION_SNAPSHOT);
	ua = e.umem;
	file = t_stream_open(test, &e);
	t_fill_packets(test, &e, 3);
	KUNIT_ASSERT_EQ(test, t_ioctl(file, KTRACE_STREAM_SNAPSHOT, NULL), 0);

	/* Too little room: the kernel says how much the range needs. */
	KUNIT_EXPECT_EQ(test, t_packet_index(test, file, ua, 2, &n), -E2BIG);
	KUNIT_EXPECT_EQ(test, n, 3);

	/* Two more packets: the fifth reuses the first one's slot. */
	t_fill_packets(test, &e, 2);
	KUNIT_ASSERT_EQ(test, t_packet_index(test, file, ua, T_NUM_SUBBUF, &n),
			0);
	KUNIT_ASSERT_EQ(test, n, 2);
	KUNIT_ASSERT_EQ(test, copy_from_user(ent, ua->entries,
					     n * sizeof(ent[0])), 0);
	KUNIT_EXPECT_EQ(test, ent[0].pos, T_SUBBUF);
	KUNIT_EXPECT_EQ(test, ent[0].seq, 1);
	KUNIT_EXPECT_EQ(test, ent[1].pos, 2 * T_SUBBUF);
	KUNIT_EXPECT_EQ(test, ent[1].seq, 2);
	/* A get agrees: the first packet is gone. */
	KUNIT_EXPECT_EQ(test, ktrace_rb_packet_info(e.buf, 0, &info), -EAGAIN);
	KUNIT_EXPECT_EQ(test, t_get_subbuf(test, &e, file, 0), -EAGAIN);
	KUNIT_EXPECT_EQ(test, t_get_subbuf(test, &e, file, T_SUBBUF), 0);
}

static void stream_get_next_consumes_in_order(struct kunit *test)
{
	struct ktrace_rb_packet_info info;
	struct file *file;
	struct t_env e;
	unsigned int i;

	t_env_init(test, &e, "kt_next", KTRACE_SESSION_NORMAL);
	file = t_stream_open(test, &e);
	t_fill_packets(test, &e, 2);
	for (i = 0; i < 2; i++) {
		KUNIT_ASSERT_EQ(test, t_ioctl(file,
					      KTRACE_STREAM_GET_NEXT_SUBBUF,
					      NULL), 0);
		KUNIT_ASSERT_EQ(test, ktrace_rb_held_packet_info(e.buf, &info),
				0);
		KUNIT_EXPECT_EQ(test, info.seq, i);
		KUNIT_ASSERT_EQ(test, t_ioctl(file,
					      KTRACE_STREAM_PUT_NEXT_SUBBUF,
					      NULL), 0);
		KUNIT_ASSERT_EQ(test, t_ioctl(file, KTRACE_STREAM_SNAPSHOT,
					      NULL), 0);
		KUNIT_EXPECT_EQ(test,
				t_ioctl_u64(test, &e, file,
					    KTRACE_STREAM_SNAPSHOT_GET_CONSUMED),
				(i + 1) * T_SUBBUF);
	}
	KUNIT_EXPECT_EQ(test, t_ioctl(file, KTRACE_STREAM_GET_NEXT_SUBBUF, NULL),
			-EAGAIN);
	/* Consumed sub-buffers are free again in discard mode. */
	t_fill_packets(test, &e, T_NUM_SUBBUF);
}

/* The events of a channel's buffers consumed through GET_NEXT_SUBBUF. */
static u64 t_events_read(struct t_env *e)
{
	struct ktrace_rb_counters cnt;

	ktrace_rb_get_counters(e->buf, &cnt);
	return cnt.read;
}

static void stream_get_next_counts_events_read(struct kunit *test)
{
	const unsigned int n = 2 * T_PER_PACKET + 3;
	struct ktrace_consumer_status st;
	struct file *file;
	struct t_env e;
	unsigned int i;
	u64 consumed;

	t_env_init(test, &e, "kt_read", KTRACE_SESSION_NORMAL);
	file = t_stream_open(test, &e);
	t_write(test, &e, n);
	ktrace_rb_flush(e.buf, false);
	KUNIT_EXPECT_EQ(test, t_events_read(&e), 0);
	/* A non-consuming get (a snapshot read) counts nothing. */
	KUNIT_ASSERT_EQ(test, t_ioctl(file, KTRACE_STREAM_SNAPSHOT, NULL), 0);
	consumed = t_ioctl_u64(test, &e, file,
			       KTRACE_STREAM_SNAPSHOT_GET_CONSUMED);
	KUNIT_ASSERT_EQ(test, t_get_subbuf(test, &e, file, consumed), 0);
	KUNIT_ASSERT_EQ(test, t_ioctl(file, KTRACE_STREAM_PUT_SUBBUF, NULL), 0);
	KUNIT_EXPECT_EQ(test, t_events_read(&e), 0);
	/*
	 * Two full packets and one of 3 events, each counted once; the
	 * consumer that attaches after the first counts the other two.
	 */
	for (i = 0; i < 3; i++) {
		if (i == 1)
			KUNIT_ASSERT_EQ(test,
					ktrace_session_consumer_attach(e.session,
								       1), 0);
		KUNIT_ASSERT_EQ(test, t_ioctl(file,
					      KTRACE_STREAM_GET_NEXT_SUBBUF,
					      NULL), 0);
		KUNIT_ASSERT_EQ(test, t_ioctl(file,
					      KTRACE_STREAM_PUT_NEXT_SUBBUF,
					      NULL), 0);
		KUNIT_EXPECT_EQ(test, t_events_read(&e),
				i < 2 ? (i + 1) * T_PER_PACKET : n);
	}
	KUNIT_EXPECT_EQ(test, t_ioctl(file, KTRACE_STREAM_GET_NEXT_SUBBUF, NULL),
			-EAGAIN);
	KUNIT_EXPECT_EQ(test, t_events_read(&e), n);
	ktrace_session_consumer_status(e.session, &st);
	KUNIT_EXPECT_EQ(test, st.events_read, n - T_PER_PACKET);
	ktrace_session_consumer_detach(e.session);
}

static void stream_flush_closes_packets(struct kunit *test)
{
	struct file *file;
	struct t_env e;

	t_env_init(test, &e, "kt_flush", KTRACE_SESSION_SNAPSHOT);
	file = t_stream_open(test, &e);
	/* Nothing to close. */
	KUNIT_ASSERT_EQ(test, t_ioctl(file, KTRACE_STREAM_FLUSH, NULL), 0);
	KUNIT_ASSERT_EQ(test, t_ioctl(file, KTRACE_STREAM_SNAPSHOT, NULL), 0);
	KUNIT_EXPECT_EQ(test, t_ioctl_u64(test, &e, file,
					  KTRACE_STREAM_SNAPSHOT_GET_PRODUCED),
			0);
	/* An empty packet, so that the time ranges reach the present. */
	KUNIT_ASSERT_EQ(test, t_ioctl(file, KTRACE_STREAM_FLUSH_EMPTY, NULL),
			0);
	KUNIT_ASSERT_EQ(test, t_get_subbuf(test, &e, file, 0), 0);
	KUNIT_EXPECT_EQ(test, t_ioctl_u64(test, &e, file,
					  KTRACE_STREAM_GET_SUBBUF_SIZE),
			sizeof(struct ktrace_ctf_packet));
	KUNIT_ASSERT_EQ(test, t_ioctl(file, KTRACE_STREAM_PUT_SUBBUF, NULL), 0);
	/* One event, then a flush: a packet with it. */
	t_write(test, &e, 1);
	KUNIT_ASSERT_EQ(test, t_ioctl(file, KTRACE_STREAM_FLUSH, NULL), 0);
	KUNIT_ASSERT_EQ(test, t_get_subbuf(test, &e, file, T_SUBBUF), 0);
	KUNIT_EXPECT_EQ(test, t_ioctl_u64(test, &e, file,
					  KTRACE_STREAM_GET_SUBBUF_SIZE),
			sizeof(struct ktrace_ctf_packet) + T_EVENT_LEN);
}

static void stream_poll_wakes_on_delivery_and_hangs_up(struct kunit *test)
{
	struct t_poll p;
	struct file *file;
	struct t_env e;

	t_env_init(test, &e, "kt_poll", KTRACE_SESSION_NORMAL);
	file = t_stream_open(test, &e);
	KUNIT_EXPECT_EQ(test, t_poll_start(&p, file), 0);
	KUNIT_EXPECT_NOT_NULL(test, p.head);
	/* An open packet is not readable: no wakeup yet. */
	t_write(test, &e, 1);
	KUNIT_EXPECT_EQ(test, vfs_poll(file, NULL), 0);
	/* Delivering it wakes the poller (from irq_work). */
	KUNIT_ASSERT_EQ(test, t_ioctl(file, KTRACE_STREAM_FLUSH, NULL), 0);
	KUNIT_EXPECT_GT(test, wait_for_completion_timeout(&p.woken, 10 * HZ),
			0);
	t_poll_stop(&p);
	KUNIT_EXPECT_EQ(test, vfs_poll(file, NULL), EPOLLIN | EPOLLRDNORM);

	KUNIT_ASSERT_EQ(test, t_ioctl(file, KTRACE_STREAM_GET_NEXT_SUBBUF,
				      NULL), 0);
	KUNIT_ASSERT_EQ(test, t_ioctl(file, KTRACE_STREAM_PUT_NEXT_SUBBUF,
				      NULL), 0);
	KUNIT_EXPECT_EQ(test, t_poll_start(&p, file), 0);
	/* Destroying the session wakes it; consumed and final: hang up. */
	KUNIT_ASSERT_EQ(test, ktrace_session_destroy(e.session), 0);
	KUNIT_EXPECT_GT(test, wait_for_completion_timeout(&p.woken, 10 * HZ),
			0);
	t_poll_stop(&p);
	KUNIT_EXPECT_EQ(test, vfs_poll(file, NULL), EPOLLHUP);
}

static void stream_mmap_is_read_only(struct kunit *test)
{
	u8 *held = kunit_kzalloc(test, T_SUBBUF, GFP_KERNEL);
	unsigned long addr, len, ret;
	struct vm_area_struct *vma;
	vm_flags_t flags = 0;
	struct file *file;
	struct t_env e;
	u64 off;

	KUNIT_ASSERT_NOT_NULL(test, held);
	t_env_init(test, &e, "kt_mmap", KTRACE_SESSION_SNAPSHOT);
	file = t_stream_open(test, &e);
	t_fill_packets(test, &e, 2);
	len = t_ioctl_u64(test, &e, file, KTRACE_STREAM_GET_MMAP_LEN);

	/* Writable, executable or private mappings are refused. */
	ret = vm_mmap(file, 0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
	KUNIT_EXPECT_EQ(test, (long)ret, -EPERM);
	ret = vm_mmap(file, 0, len, PROT_READ | PROT_EXEC, MAP_SHARED, 0);
	KUNIT_EXPECT_EQ(test, (long)ret, -EPERM);
	ret = vm_mmap(file, 0, len, PROT_READ, MAP_PRIVATE, 0);
	KUNIT_EXPECT_EQ(test, (long)ret, -EPERM);
	/* The fd is read-only: the VFS refuses a shared writable mapping. */
	ret = vm_mmap(file, 0, len, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	KUNIT_EXPECT_EQ(test, (long)ret, -EACCES);
	/* Nothing past the area. */
	ret = vm_mmap(file, 0, PAGE_SIZE, PROT_READ, MAP_SHARED, len);
	KUNIT_EXPECT_EQ(test, (long)ret, -EINVAL);
	ret = vm_mmap(file, 0, len, PROT_READ, MAP_SHARED, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, (long)ret, -EINVAL);

	addr = kunit_vm_mmap(test, file, 0, len, PROT_READ, MAP_SHARED, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(addr));
	KUNIT_ASSERT_NE(test, addr, 0);
	mmap_read_lock(current->mm);
	vma = find_vma(current->mm, addr);
	if (vma)
		flags = vma->vm_flags;
	mmap_read_unlock(current->mm);
	KUNIT_EXPECT_FALSE(test, flags & (VM_MAYWRITE | VM_MAYEXEC));
	KUNIT_EXPECT_TRUE(test, flags & VM_DONTEXPAND);

	/* The held packet, at the read offset, is the reader's copy. */
	KUNIT_ASSERT_EQ(test, t_get_subbuf(test, &e, file, T_SUBBUF), 0);
	off = t_ioctl_u64(test, &e, file, KTRACE_STREAM_GET_MMAP_READ_OFFSET);
	KUNIT_ASSERT_LE(test, off + T_SUBBUF, len);
	KUNIT_ASSERT_EQ(test, copy_from_user(held,
					     (void __user *)(addr + off),
					     T_SUBBUF), 0);
	KUNIT_EXPECT_EQ(test, memcmp(held, ktrace_rb_held_data(e.buf),
				     T_SUBBUF), 0);
	/* The ring is mapped too, in slot order: slot 1 holds it. */
	KUNIT_ASSERT_EQ(test, copy_from_user(held,
					     (void __user *)(addr + T_SUBBUF),
					     T_SUBBUF), 0);
	KUNIT_EXPECT_EQ(test, memcmp(held, ktrace_rb_held_data(e.buf),
				     T_SUBBUF), 0);
	/* Unmapped now, the file goes with the test's last reference. */
	KUNIT_EXPECT_EQ(test, vm_munmap(addr, len), 0);
}

static void t_shmem_release(void *p)
{
	fput(p);
}

/* Splice [@pos, @pos + @len) of the held packet; return what came out. */
static ssize_t t_splice(struct kunit *test, struct file *in, struct file *shm,
			loff_t pos, size_t len, u8 *out)
{
	loff_t opos = 0, rpos = 0;
	ssize_t n;

	n = do_splice_direct(in, &pos, shm, &opos, len, 0);
	if (n > 0)
		KUNIT_EXPECT_EQ(test, kernel_read(shm, out, n, &rpos), n);
	return n;
}

static void stream_splice_is_non_destructive(struct kunit *test)
{
	u8 *saved = kunit_kzalloc(test, T_SUBBUF, GFP_KERNEL);
	u8 *out = kunit_kzalloc(test, T_SUBBUF, GFP_KERNEL);
	struct file *file, *shm;
	struct page *page;
	struct t_env e;
	int refs;
	u64 pad;

	KUNIT_ASSERT_NOT_NULL(test, saved);
	KUNIT_ASSERT_NOT_NULL(test, out);
	t_env_init(test, &e, "kt_splice", KTRACE_SESSION_SNAPSHOT);
	file = t_stream_open(test, &e);
	shm = shmem_file_setup("kt_splice", 4 * T_SUBBUF, 0);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, shm);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, t_shmem_release,
							shm), 0);
	/* Nothing held: nothing to splice. */
	KUNIT_EXPECT_EQ(test, t_splice(test, file, shm, 0, T_SUBBUF, out),
			-ENODATA);

	t_write(test, &e, T_PER_PACKET / 2);
	ktrace_rb_flush(e.buf, false);
	KUNIT_ASSERT_EQ(test, t_get_subbuf(test, &e, file, 0), 0);
	memcpy(saved, ktrace_rb_held_data(e.buf), T_SUBBUF);
	pad = t_ioctl_u64(test, &e, file, KTRACE_STREAM_GET_PADDED_SUBBUF_SIZE);
	KUNIT_ASSERT_EQ(test, pad, T_SUBBUF);
	page = ktrace_rb_held_page(e.buf, 0);
	refs = page_ref_count(page);

	KUNIT_EXPECT_EQ(test, t_splice(test, file, shm, 0, pad, out), pad);
	KUNIT_EXPECT_EQ(test, memcmp(out, saved, pad), 0);
	/* The pipe referenced the page and gave it back. */
	KUNIT_EXPECT_EQ(test, page_ref_count(page), refs);
	/* An offset is an offset in the held packet. */
	KUNIT_EXPECT_EQ(test, t_splice(test, file, shm, 100, 50, out), 50);
	KUNIT_EXPECT_EQ(test, memcmp(out, saved + 100, 50), 0);
	KUNIT_EXPECT_EQ(test, t_splice(test, file, shm, pad, 1, out), 0);

	/* Nothing changed: put, get again, same bytes, same splice. */
	KUNIT_ASSERT_EQ(test, t_ioctl(file, KTRACE_STREAM_PUT_SUBBUF, NULL), 0);
	KUNIT_ASSERT_EQ(test, t_get_subbuf(test, &e, file, 0), 0);
	KUNIT_EXPECT_EQ(test, memcmp(ktrace_rb_held_data(e.buf), saved,
				     T_SUBBUF), 0);
	memset(out, 0, T_SUBBUF);
	KUNIT_EXPECT_EQ(test, t_splice(test, file, shm, 0, pad, out), pad);
	KUNIT_EXPECT_EQ(test, memcmp(out, saved, pad), 0);
}

/* Release what is left in a pipe, as its reader would. */
static void t_pipe_drain(struct pipe_inode_info *pipe)
{
	unsigned int mask = pipe->ring_size - 1;

	pipe_lock(pipe);
	while (!pipe_empty(pipe->head, pipe->tail)) {
		pipe_buf_release(pipe, &pipe->bufs[pipe->tail & mask]);
		pipe->tail++;
	}
	pipe_unlock(pipe);
}

static void stream_get_waits_for_the_pipe_to_drain(struct kunit *test)
{
	u8 *out = kunit_kzalloc(test, T_SUBBUF, GFP_KERNEL);
	struct pipe_inode_info *pipe;
	struct file *file, *shm;
	struct t_env e;
	loff_t pos = 0;
	ssize_t n;

	KUNIT_ASSERT_NOT_NULL(test, out);
	t_env_init(test, &e, "kt_pipe", KTRACE_SESSION_SNAPSHOT);
	file = t_stream_open(test, &e);
	shm = shmem_file_setup("kt_pipe", 4 * T_SUBBUF, 0);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, shm);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, t_shmem_release,
							shm), 0);
	t_fill_packets(test, &e, 2);
	KUNIT_ASSERT_EQ(test, t_get_subbuf(test, &e, file, 0), 0);
	/* A direct splice gives this task its internal pipe. */
	KUNIT_ASSERT_EQ(test, t_splice(test, file, shm, 0, T_SUBBUF, out),
			T_SUBBUF);
	pipe = current->splice_pipe;
	KUNIT_ASSERT_NOT_NULL(test, pipe);

	/* Leave the packet's pages in the pipe. */
	pipe_lock(pipe);
	n = vfs_splice_read(file, &pos, pipe, T_SUBBUF, 0);
	pipe_unlock(pipe);
	KUNIT_ASSERT_EQ(test, n, T_SUBBUF);
	KUNIT_EXPECT_EQ(test, t_ioctl(file, KTRACE_STREAM_PUT_SUBBUF, NULL), 0);
	/* A get would rewrite the bytes the pipe still shows. */
	KUNIT_EXPECT_EQ(test, t_get_subbuf(test, &e, file, T_SUBBUF), -EBUSY);
	KUNIT_EXPECT_EQ(test, t_ioctl(file, KTRACE_STREAM_GET_NEXT_SUBBUF,
				      NULL), -EBUSY);
	t_pipe_drain(pipe);
	KUNIT_EXPECT_EQ(test, t_get_subbuf(test, &e, file, T_SUBBUF), 0);
}

static void stream_fd_keeps_its_session_alive(struct kunit *test)
{
	const struct ktrace_ctf_packet *hdr;
	struct file *file;
	struct t_env e;
	int base;

	flush_delayed_fput();
	base = ktrace_core_live_objects();
	t_env_init(test, &e, "kt_alive", KTRACE_SESSION_SNAPSHOT);
	file = t_stream_open(test, &e);
	t_write(test, &e, T_PER_PACKET / 2);
	/* Destroy and drop the creator's reference: the fd keeps it. */
	kunit_release_action(test, t_session_release, e.session);
	KUNIT_EXPECT_EQ(test, ktrace_core_live_objects(), base + 2);

	/* Finalized: the open packet was closed, and reads still work. */
	KUNIT_ASSERT_EQ(test, t_ioctl(file, KTRACE_STREAM_FLUSH, NULL), 0);
	KUNIT_ASSERT_EQ(test, t_ioctl(file, KTRACE_STREAM_SNAPSHOT, NULL), 0);
	KUNIT_EXPECT_EQ(test, t_ioctl_u64(test, &e, file,
					  KTRACE_STREAM_SNAPSHOT_GET_PRODUCED),
			T_SUBBUF);
	KUNIT_ASSERT_EQ(test, t_get_subbuf(test, &e, file, 0), 0);
	hdr = ktrace_rb_held_data(e.buf);
	KUNIT_EXPECT_EQ(test, hdr->magic, KTRACE_CTF_MAGIC);
	KUNIT_EXPECT_EQ(test, hdr->content_size,
			(sizeof(*hdr) + T_PER_PACKET / 2 * T_EVENT_LEN) *
			BITS_PER_BYTE);
	KUNIT_EXPECT_EQ(test, t_get_subbuf(test, &e, file, T_SUBBUF), -EBUSY);

	/* Closing the fd, holding a packet, frees everything. */
	kunit_release_action(test, t_file_release, file);
	KUNIT_EXPECT_EQ(test, ktrace_core_live_objects(), base);
}

static void stream_open_is_exclusive_per_buffer(struct kunit *test)
{
	struct ktrace_open_stream req = { .size = sizeof(req) };
	struct file *file, *other;
	unsigned int cpu;
	struct t_env e;

	t_env_init(test, &e, "kt_excl", KTRACE_SESSION_SNAPSHOT);
	req.session_id = ktrace_session_id(e.session);
	req.channel_id = ktrace_channel_id(e.channel);
	req.cpu = e.cpu;
	file = t_stream_open(test, &e);
	KUNIT_EXPECT_EQ(test, PTR_ERR(ktrace_abi_stream_open(&req)), -EBUSY);

	/* Another CPU's buffer has its own reader. */
	for_each_possible_cpu(cpu) {
		if (cpu == e.cpu)
			continue;
		req.cpu = cpu;
		other = ktrace_abi_stream_open(&req);
		KUNIT_EXPECT_FALSE(test, IS_ERR_OR_NULL(other));
		if (!IS_ERR_OR_NULL(other))
			__fput_sync(other);
		break;
	}

	/* Closing the reader, even holding a packet, frees the buffer. */
	t_fill_packets(test, &e, 1);
	KUNIT_ASSERT_EQ(test, t_get_subbuf(test, &e, file, 0), 0);
	kunit_release_action(test, t_file_release, file);
	KUNIT_EXPECT_NULL(test, ktrace_rb_held_data(e.buf));
	req.cpu = e.cpu;
	other = ktrace_abi_stream_open(&req);
	KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(other));
	__fput_sync(other);
}

static void rb_packet_info_follows_the_get_protocol(struct kunit *test)
{
	struct ktrace_rb_packet_info info, held;
	struct t_env e;

	t_env_init(test, &e, "kt_rbinfo", KTRACE_SESSION_SNAPSHOT);
	KUNIT_ASSERT_EQ(test, ktrace_rb_reader_open(e.buf), 0);
	KUNIT_EXPECT_EQ(test, ktrace_rb_reader_open(e.buf), -EBUSY);
	KUNIT_EXPECT_EQ(test, ktrace_rb_held_packet_info(e.buf, &held),
			-ENODATA);
	t_fill_packets(test, &e, 1);
	t_write(test, &e, 1);

	KUNIT_ASSERT_EQ(test, ktrace_rb_packet_info(e.buf, 0, &info), 0);
	KUNIT_ASSERT_EQ(test, ktrace_rb_get_subbuf(e.buf, 0), 0);
	KUNIT_ASSERT_EQ(test, ktrace_rb_held_packet_info(e.buf, &held), 0);
	KUNIT_EXPECT_EQ(test, memcmp(&info, &held, sizeof(info)), 0);
	KUNIT_EXPECT_EQ(test, info.seq, 0);
	KUNIT_EXPECT_EQ(test, info.cpu, e.cpu);
	KUNIT_EXPECT_EQ(test, info.packet_size, T_SUBBUF);
	KUNIT_EXPECT_EQ(test, info.content_size,
			sizeof(struct ktrace_ctf_packet) +
			T_PER_PACKET * T_EVENT_LEN);
	/* Describing a packet while holding another is fine. */
	KUNIT_EXPECT_EQ(test, ktrace_rb_packet_info(e.buf, T_SUBBUF, &info),
			-EAGAIN);	/* open: still being written */
	KUNIT_EXPECT_EQ(test, ktrace_rb_packet_info(e.buf, 1, &info), -EINVAL);
	KUNIT_EXPECT_EQ(test, ktrace_rb_packet_info(e.buf, -T_SUBBUF, &info),
			-EAGAIN);	/* before the first packet */

	/* Overwrite the first packet's slot. */
	t_fill_packets(test, &e, T_NUM_SUBBUF);
	/* Packets 1 to 5 now, 4 and 5 in the slots of 0 and 1. */
	KUNIT_EXPECT_EQ(test, ktrace_rb_packet_info(e.buf, 0, &info), -EAGAIN);
	KUNIT_EXPECT_EQ(test, ktrace_rb_packet_info(e.buf, T_SUBBUF, &info),
			-EAGAIN);
	/* The held copy and its description stay. */
	KUNIT_ASSERT_EQ(test, ktrace_rb_held_packet_info(e.buf, &info), 0);
	KUNIT_EXPECT_EQ(test, memcmp(&info, &held, sizeof(info)), 0);
	KUNIT_EXPECT_EQ(test, ktrace_rb_packet_info(e.buf, 2 * T_SUBBUF, &info),
			0);
	KUNIT_EXPECT_EQ(test, info.seq, 2);
	KUNIT_EXPECT_EQ(test, ktrace_rb_packet_info(e.buf, 5 * T_SUBBUF, &info),
			0);
	KUNIT_EXPECT_EQ(test, info.seq, 5);

	/* Finalized: nothing will come at the produced position. */
	KUNIT_ASSERT_EQ(test, ktrace_session_destroy(e.session), 0);
	KUNIT_EXPECT_EQ(test, ktrace_rb_packet_info(e.buf,
						    (T_NUM_SUBBUF + 2) *
						    T_SUBBUF, &info),
			-ENODATA);
	/* Closing the reader puts what it holds. */
	ktrace_rb_reader_close(e.buf);
	KUNIT_EXPECT_NULL(test, ktrace_rb_held_data(e.buf));
	KUNIT_EXPECT_EQ(test, ktrace_rb_reader_open(e.buf), 0);
	ktrace_rb_reader_close(e.buf);
}

static void snapshot_range_len_rejects_foreign_ranges(struct kunit *test)
{
	struct t_env e;

	t_env_init(test, &e, "kt_range", KTRACE_SESSION_SNAPSHOT);
	KUNIT_EXPECT_EQ(test, ktrace_snapshot_range_len(e.rb, 0, 0), 0);
	KUNIT_EXPECT_EQ(test, ktrace_snapshot_range_len(e.rb, 0, 3 * T_SUBBUF),
			3);
	/* Free-running positions wrap around. */
	KUNIT_EXPECT_EQ(test, ktrace_snapshot_range_len(e.rb, -T_SUBBUF,
							T_SUBBUF), 2);
	KUNIT_EXPECT_EQ(test, ktrace_snapshot_range_len(e.rb, 1, T_SUBBUF),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, ktrace_snapshot_range_len(e.rb, T_SUBBUF, 0),
			-EINVAL);
	KUNIT_EXPECT_EQ(test,
			ktrace_snapshot_range_len(e.rb, 0, (T_NUM_SUBBUF + 1) *
						  T_SUBBUF),
			-EINVAL);
}

static void metadata_fd_serves_the_metadata(struct kunit *test)
{
	struct file *file;
	struct t_env e;
	char *text, *got;
	size_t len;
	loff_t pos;

	t_env_init(test, &e, "kt_meta", KTRACE_SESSION_SNAPSHOT);
	file = t_metadata_open(test, &e);
	text = ktrace_metadata_generate(e.session, &len);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, text);
	got = kunit_kzalloc(test, len + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, got);
	/* The fd needs no session: destroy it first. */
	KUNIT_ASSERT_EQ(test, ktrace_session_destroy(e.session), 0);

	pos = 0;
	KUNIT_EXPECT_EQ(test, kernel_read(file, got, len + 1, &pos), len);
	KUNIT_EXPECT_EQ(test, memcmp(got, text, len), 0);
	KUNIT_EXPECT_EQ(test, kernel_read(file, got, len, &pos), 0);
	/* pread */
	pos = 10;
	KUNIT_EXPECT_EQ(test, kernel_read(file, got, 5, &pos), 5);
	KUNIT_EXPECT_EQ(test, memcmp(got, text + 10, 5), 0);
	/* lseek */
	KUNIT_EXPECT_EQ(test, vfs_llseek(file, 0, SEEK_END), len);
	KUNIT_EXPECT_EQ(test, vfs_llseek(file, 0, SEEK_SET), 0);
	KUNIT_EXPECT_EQ(test, vfs_llseek(file, -1, SEEK_SET), -EINVAL);
	kvfree(text);
}

static struct kunit_case stream_test_cases[] = {
	KUNIT_CASE_PARAM(stream_ioctl_checks_its_argument,
			 t_ioctl_cases_gen_params),
	KUNIT_CASE_PARAM(dev_ioctl_checks_its_argument, t_dev_cases_gen_params),
	KUNIT_CASE_PARAM(dev_open_needs_perfmon_or_sys_admin,
			 t_open_cases_gen_params),
	KUNIT_CASE(dev_api_reports_streams_and_packet_index),
	KUNIT_CASE(stream_follows_cpu_hotplug),
	KUNIT_CASE(stream_snapshot_samples_positions),
	KUNIT_CASE(stream_packet_index_matches_get_subbuf),
	KUNIT_CASE(stream_packet_index_skips_overwritten_packets),
	KUNIT_CASE(stream_get_next_consumes_in_order),
	KUNIT_CASE(stream_get_next_counts_events_read),
	KUNIT_CASE(stream_flush_closes_packets),
	KUNIT_CASE(stream_poll_wakes_on_delivery_and_hangs_up),
	KUNIT_CASE(stream_mmap_is_read_only),
	KUNIT_CASE(stream_splice_is_non_destructive),
	KUNIT_CASE(stream_get_waits_for_the_pipe_to_drain),
	KUNIT_CASE(stream_fd_keeps_its_session_alive),
	KUNIT_CASE(stream_open_is_exclusive_per_buffer),
	KUNIT_CASE(rb_packet_info_follows_the_get_protocol),
	KUNIT_CASE(snapshot_range_len_rejects_foreign_ranges),
	KUNIT_CASE(metadata_fd_serves_the_metadata),
	{}
};

static struct kunit_suite stream_test_suite = {
	.name = "ktrace_stream",
	.test_cases = stream_test_cases,
};

kunit_test_suite(stream_test_suite);

MODULE_DESCRIPTION("KUnit tests for ktrace stream and metadata fds");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
