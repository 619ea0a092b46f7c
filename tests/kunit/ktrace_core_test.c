// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for module/core sessions and channels: names, ids, lifetime
 * by reference, the start/stop state machine, snapshot outputs and the
 * snapshot counter, channel creation and channel0, and every error path.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "core/session.h"
#include "ringbuffer/ringbuffer.h"

/* Destroy (if still listed) and drop the test's reference. */
static void t_session_release(void *p)
{
	struct ktrace_session *s = p;

	ktrace_session_destroy(s);
	ktrace_session_put(s);
}

static struct ktrace_session *t_session(struct kunit *test, const char *name,
					enum ktrace_session_mode mode)
{
	struct ktrace_session *s = ktrace_session_create(name, mode);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, s);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, t_session_release,
							s), 0);
	return s;
}

static struct ktrace_channel *t_channel(struct kunit *test,
					struct ktrace_session *s,
					const char *name)
{
	struct ktrace_channel_attr attr = {
		.name = name,
		.subbuf_size = PAGE_SIZE,
		.num_subbuf = 2,
	};
	struct ktrace_channel *c = ktrace_channel_create(s, &attr);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, c);
	return c;
}

static bool t_listed(u32 id)
{
	u32 ids[64];
	int i, n;

	n = ktrace_session_list_ids(ids, ARRAY_SIZE(ids));
	for (i = 0; i < min_t(int, n, ARRAY_SIZE(ids)); i++)
		if (ids[i] == id)
			return true;
	return false;
}

struct t_name {
	const char *desc;
	const char *name;
	bool valid;
};

static const struct t_name t_names[] = {
	{ "NULL", NULL, false },
	{ "empty", "", false },
	{ "65 characters",
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	  false },
	{ "slash", "a/b", false },
	{ "space", "a b", false },
	{ "newline", "a\n", false },
	{ "tab", "a\tb", false },
	{ "colon", "a:b", false },
	{ "asterisk", "sched_*", false },
	{ "non-ASCII byte", "caf\xc3\xa9", false },
	{ "one character", "x", true },
	{ "64 characters",
	  "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
	  true },
	{ "every allowed class", "Az09_.-", true },
};

static void t_name_desc(const struct t_name *n, char *desc)
{
	strscpy(desc, n->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(t_names, t_names, t_name_desc);

static void core_names_are_validated(struct kunit *test)
{
	const struct t_name *n = test->param_value;
	struct ktrace_session *s, *host;
	struct ktrace_channel_attr attr = {
		.name = n->name,
		.subbuf_size = PAGE_SIZE,
		.num_subbuf = 2,
	};
	struct ktrace_channel *c;
	u32 id;
	int ret;

	KUNIT_EXPECT_EQ(test, ktrace_name_valid(n->name), n->valid);

	s = ktrace_session_create(n->name, KTRACE_SESSION_NORMAL);
	if (n->valid) {
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, s);
		KUNIT_EXPECT_STREQ(test, ktrace_session_name(s), n->name);
		KUNIT_EXPECT_EQ(test, ktrace_session_destroy(s), 0);
		ktrace_session_put(s);
	} else {
		KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(s), -EINVAL);
	}

	host = t_session(test, "kt_names", KTRACE_SESSION_NORMAL);
	c = ktrace_channel_create(host, &attr);
	if (n->valid) {
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, c);
		KUNIT_EXPECT_STREQ(test, ktrace_channel_name(c), n->name);
		KUNIT_EXPECT_PTR_EQ(test, ktrace_channel_lookup(host, n->name),
				    c);
	} else {
		KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(c), -EINVAL);
	}

	/* An empty or NULL output name asks for the default one. */
	if (!n->name || !n->name[0])
		return;
	ret = ktrace_session_output_add(host, n->name, "/tmp/out", 0, &id);
	KUNIT_EXPECT_EQ(test, ret, n->valid ? 0 : -EINVAL);
}

static void core_session_lifecycle(struct kunit *test)
{
	struct ktrace_session *s, *l;
	u32 id;

	s = ktrace_session_create("kt_life", KTRACE_SESSION_SNAPSHOT);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, s);
	id = ktrace_session_id(s);
	KUNIT_EXPECT_NE(test, id, 0);
	KUNIT_EXPECT_STREQ(test, ktrace_session_name(s), "kt_life");
	KUNIT_EXPECT_EQ(test, ktrace_session_mode(s), KTRACE_SESSION_SNAPSHOT);
	KUNIT_EXPECT_EQ(test, ktrace_session_state(s),
			KTRACE_SESSION_NEVER_STARTED);
	KUNIT_EXPECT_FALSE(test, ktrace_session_started_once(s));
	KUNIT_EXPECT_EQ(test, ktrace_session_num_channels(s), 0);
	KUNIT_EXPECT_TRUE(test, t_listed(id));

	l = ktrace_session_lookup_id(id);
	KUNIT_EXPECT_PTR_EQ(test, l, s);
	ktrace_session_put(l);
	l = ktrace_session_lookup_name("kt_life");
	KUNIT_EXPECT_PTR_EQ(test, l, s);
	ktrace_session_put(l);

	KUNIT_EXPECT_EQ(test, ktrace_session_destroy(s), 0);
	KUNIT_EXPECT_NULL(test, ktrace_session_lookup_id(id));
	KUNIT_EXPECT_NULL(test, ktrace_session_lookup_name("kt_life"));
	KUNIT_EXPECT_FALSE(test, t_listed(id));
	/* The caller's reference still holds a usable session. */
	KUNIT_EXPECT_STREQ(test, ktrace_session_name(s), "kt_life");
	ktrace_session_put(s);
}

static void core_session_create_rejects_bad_mode(struct kunit *test)
{
	struct ktrace_session *s;

	s = ktrace_session_create("kt_mode", (enum ktrace_session_mode)7);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(s), -EINVAL);
	KUNIT_EXPECT_NULL(test, ktrace_session_lookup_name("kt_mode"));
}

static void core_session_duplicate_name_is_eexist(struct kunit *test)
{
	struct ktrace_session *a, *b;
	u32 id;

	a = ktrace_session_create("kt_dup", KTRACE_SESSION_NORMAL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, a);
	id = ktrace_session_id(a);
	b = ktrace_session_create("kt_dup", KTRACE_SESSION_SNAPSHOT);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(b), -EEXIST);

	/* Destroying frees the name but never reuses the id at once. */
	KUNIT_EXPECT_EQ(test, ktrace_session_destroy(a), 0);
	ktrace_session_put(a);
	b = t_session(test, "kt_dup", KTRACE_SESSION_NORMAL);
	KUNIT_EXPECT_NE(test, ktrace_session_id(b), id);
}

static void core_session_ids_are_unique(struct kunit *test)
{
	struct ktrace_session *a, *b;

	a = t_session(test, "kt_id_a", KTRACE_SESSION_NORMAL);
	b = t_session(test, "kt_id_b", KTRACE_SESSION_NORMAL);
	KUNIT_EXPECT_NE(test, ktrace_session_id(a), ktrace_session_id(b));
	KUNIT_EXPECT_TRUE(test, t_listed(ktrace_session_id(a)));
	KUNIT_EXPECT_TRUE(test, t_listed(ktrace_session_id(b)));
	KUNIT_EXPECT_GE(test, ktrace_session_list_ids(NULL, 0), 2);
	KUNIT_EXPECT_NULL(test, ktrace_session_lookup_name("kt_id_c"));
	KUNIT_EXPECT_NULL(test, ktrace_session_lookup_name("bad/name"));
	KUNIT_EXPECT_NULL(test, ktrace_session_lookup_id(0));
}

static void core_destroyed_session_rejects_everything(struct kunit *test)
{
	struct ktrace_channel_attr attr = { .name = "chan" };
	struct ktrace_session *s;
	u32 id;

	s = t_session(test, "kt_gone", KTRACE_SESSION_NORMAL);
	KUNIT_ASSERT_EQ(test, ktrace_session_destroy(s), 0);
	KUNIT_EXPECT_EQ(test, ktrace_session_destroy(s), -ENOENT);
	KUNIT_EXPECT_EQ(test, ktrace_session_start(s), -ENOENT);
	KUNIT_EXPECT_EQ(test, ktrace_session_stop(s), -ENOENT);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(ktrace_channel_create(s, &attr)),
			-ENOENT);
	KUNIT_EXPECT_EQ(test,
			PTR_ERR_OR_ZERO(ktrace_session_default_channel(s)),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, ktrace_session_output_add(s, "o", "/tmp", 0, &id),
			-ENOENT);
}

static void core_held_reference_outlives_destroy(struct kunit *test)
{
	struct ktrace_session *s, *held;
	struct ktrace_channel *c;
	struct ktrace_rb_chan *rb;
	struct ktrace_rb_ctx ctx;
	int live = ktrace_core_live_objects();

	s = ktrace_session_create("kt_held", KTRACE_SESSION_SNAPSHOT);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, s);
	c = t_channel(test, s, "chan");
	KUNIT_ASSERT_EQ(test, ktrace_session_start(s), 0);

	/* A reader (an fd, later) looks the session up by name. */
	held = ktrace_session_lookup_name("kt_held");
	KUNIT_ASSERT_PTR_EQ(test, held, s);
	KUNIT_EXPECT_EQ(test, ktrace_session_destroy(s), 0);
	ktrace_session_put(s);

	/* Stopped, finalized, unlisted, but every pointer still valid. */
	KUNIT_EXPECT_NULL(test, ktrace_session_lookup_name("kt_held"));
	KUNIT_EXPECT_EQ(test, ktrace_session_state(held),
			KTRACE_SESSION_STOPPED);
	KUNIT_EXPECT_TRUE(test, ktrace_session_started_once(held));
	KUNIT_EXPECT_PTR_EQ(test, ktrace_channel_lookup(held, "chan"), c);
	rb = ktrace_channel_rb(c);
	KUNIT_EXPECT_EQ(test, ktrace_rb_subbuf_size(rb), PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, ktrace_rb_reserve(rb, &ctx, 8), -ESHUTDOWN);
	KUNIT_EXPECT_EQ(test, ktrace_core_live_objects(), live + 2);

	/* The last reference frees it all (KASAN catches a later use). */
	ktrace_session_put(held);
	KUNIT_EXPECT_EQ(test, ktrace_core_live_objects(), live);
}

static void core_start_stop_state_machine(struct kunit *test)
{
	struct ktrace_channel_attr attr = {
		.name = "late",
		.subbuf_size = PAGE_SIZE,
		.num_subbuf = 2,
	};
	struct ktrace_session *s;
	struct ktrace_channel *c;

	s = t_session(test, "kt_state", KTRACE_SESSION_NORMAL);
	t_channel(test, s, "chan");
	KUNIT_EXPECT_EQ(test, ktrace_session_stop(s), -EALREADY);
	KUNIT_EXPECT_EQ(test, ktrace_session_state(s),
			KTRACE_SESSION_NEVER_STARTED);

	KUNIT_EXPECT_EQ(test, ktrace_session_start(s), 0);
	KUNIT_EXPECT_EQ(test, ktrace_session_state(s), KTRACE_SESSION_ACTIVE);
	KUNIT_EXPECT_TRUE(test, ktrace_session_started_once(s));
	KUNIT_EXPECT_EQ(test, ktrace_session_start(s), -EALREADY);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(ktrace_channel_create(s, &attr)),
			-EBUSY);
	KUNIT_EXPECT_EQ(test,
			PTR_ERR_OR_ZERO(ktrace_session_default_channel(s)),
			-EBUSY);

	KUNIT_EXPECT_EQ(test, ktrace_session_stop(s), 0);
	KUNIT_EXPECT_EQ(test, ktrace_session_state(s), KTRACE_SESSION_STOPPED);
	KUNIT_EXPECT_TRUE(test, ktrace_session_started_once(s));
	KUNIT_EXPECT_EQ(test, ktrace_session_stop(s), -EALREADY);
	c = ktrace_channel_create(s, &attr);
	KUNIT_EXPECT_FALSE(test, IS_ERR_OR_NULL(c));

	KUNIT_EXPECT_EQ(test, ktrace_session_start(s), 0);
	KUNIT_EXPECT_EQ(test, ktrace_session_state(s), KTRACE_SESSION_ACTIVE);
	/* The session had channels: start added no channel0. */
	KUNIT_EXPECT_EQ(test, ktrace_session_num_channels(s), 2);
	KUNIT_EXPECT_NULL(test, ktrace_channel_lookup(s, "channel0"));
}

/* Write one event on this CPU; return the CPU. */
static unsigned int t_write_event(struct kunit *test, struct ktrace_channel *c)
{
	struct ktrace_rb_ctx ctx;
	u64 v = 42;

	KUNIT_ASSERT_EQ(test, ktrace_rb_reserve(ktrace_channel_rb(c), &ctx,
						sizeof(v)), 0);
	memcpy(ctx.data, &v, sizeof(v));
	ktrace_rb_commit(ktrace_channel_rb(c), &ctx);
	return ctx.cpu;
}

static bool t_packet_closed(struct ktrace_channel *c, unsigned int cpu)
{
	unsigned long consumed, produced;

	ktrace_rb_snapshot(ktrace_rb_buf(ktrace_channel_rb(c), cpu), &consumed,
			   &produced);
	return produced != consumed;
}

static void core_switch_timer_closes_partial_packets(struct kunit *test)
{
	struct ktrace_channel_attr attr = {
		.name = "timed",
		.subbuf_size = PAGE_SIZE,
		.num_subbuf = 2,
		.switch_timer_us = 1000,
	};
	struct ktrace_channel *timed, *untimed;
	unsigned int cpu_t, cpu_u;
	struct ktrace_session *s;
	int i;

	s = t_session(test, "kt_timer", KTRACE_SESSION_NORMAL);
	timed = ktrace_channel_create(s, &attr);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, timed);
	untimed = t_channel(test, s, "untimed");
	cpu_t = t_write_event(test, timed);
	cpu_u = t_write_event(test, untimed);
	/* Not started: no timer, the packets stay open. */
	msleep(20);
	KUNIT_EXPECT_FALSE(test, t_packet_closed(timed, cpu_t));

	KUNIT_ASSERT_EQ(test, ktrace_session_start(s), 0);
	for (i = 0; i < 100 && !t_packet_closed(timed, cpu_t); i++)
		msleep(20);
	KUNIT_EXPECT_TRUE(test, t_packet_closed(timed, cpu_t));
	KUNIT_EXPECT_FALSE(test, t_packet_closed(untimed, cpu_u));
	KUNIT_EXPECT_EQ(test, ktrace_session_stop(s), 0);
}

static void core_start_creates_channel0(struct kunit *test)
{
	struct ktrace_session *snap, *norm;
	struct ktrace_channel *c;

	snap = t_session(test, "kt_c0_snap", KTRACE_SESSION_SNAPSHOT);
	norm = t_session(test, "kt_c0_norm", KTRACE_SESSION_NORMAL);
	KUNIT_ASSERT_EQ(test, ktrace_session_start(snap), 0);
	KUNIT_ASSERT_EQ(test, ktrace_session_start(norm), 0);
	KUNIT_EXPECT_EQ(test, ktrace_session_num_channels(snap), 1);
	KUNIT_EXPECT_EQ(test, ktrace_session_num_channels(norm), 1);

	c = ktrace_channel_lookup(snap, "channel0");
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_EQ(test, ktrace_channel_mode(c),
			KTRACE_CHANNEL_MODE_OVERWRITE);
	c = ktrace_channel_lookup(norm, "channel0");
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_EQ(test, ktrace_channel_mode(c),
			KTRACE_CHANNEL_MODE_DISCARD);
}

static void core_default_channel_is_created_once(struct kunit *test)
{
	struct ktrace_channel *c0, *again;
	struct ktrace_session *s;

	s = t_session(test, "kt_default", KTRACE_SESSION_SNAPSHOT);
	t_channel(test, s, "other");
	c0 = ktrace_session_default_channel(s);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, c0);
	KUNIT_EXPECT_STREQ(test, ktrace_channel_name(c0), "channel0");
	KUNIT_EXPECT_EQ(test, ktrace_rb_subbuf_size(ktrace_channel_rb(c0)),
			KTRACE_CHANNEL_DEFAULT_SUBBUF_SIZE);
	KUNIT_EXPECT_EQ(test, ktrace_rb_num_subbuf(ktrace_channel_rb(c0)),
			KTRACE_CHANNEL_DEFAULT_NUM_SUBBUF);
	KUNIT_EXPECT_EQ(test, ktrace_channel_mode(c0),
			KTRACE_CHANNEL_MODE_OVERWRITE);
	KUNIT_EXPECT_EQ(test, ktrace_channel_output(c0),
			KTRACE_CHANNEL_OUTPUT_SPLICE);
	KUNIT_EXPECT_EQ(test, ktrace_channel_switch_timer_us(c0), 0);

	again = ktrace_session_default_channel(s);
	KUNIT_EXPECT_PTR_EQ(test, again, c0);
	KUNIT_EXPECT_EQ(test, ktrace_session_num_channels(s), 2);
}

static void core_channel_keeps_its_attributes(struct kunit *test)
{
	struct ktrace_channel_attr attr = {
		.name = "chan",
		.subbuf_size = 2 * PAGE_SIZE,
		.num_subbuf = 4,
		.mode = KTRACE_CHANNEL_MODE_DISCARD,
		.switch_timer_us = 100000,
		.output = KTRACE_CHANNEL_OUTPUT_MMAP,
	};
	struct ktrace_session *s;
	struct ktrace_channel *c;

	/* An explicit mode wins over the snapshot session's default. */
	s = t_session(test, "kt_attr", KTRACE_SESSION_SNAPSHOT);
	c = ktrace_channel_create(s, &attr);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, c);
	KUNIT_EXPECT_EQ(test, ktrace_channel_mode(c),
			KTRACE_CHANNEL_MODE_DISCARD);
	KUNIT_EXPECT_EQ(test, ktrace_channel_switch_timer_us(c), 100000);
	KUNIT_EXPECT_EQ(test, ktrace_channel_output(c),
			KTRACE_CHANNEL_OUTPUT_MMAP);
	KUNIT_EXPECT_EQ(test, ktrace_rb_subbuf_size(ktrace_channel_rb(c)),
			2 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, ktrace_rb_num_subbuf(ktrace_channel_rb(c)), 4);
	KUNIT_EXPECT_PTR_EQ(test, ktrace_rb_priv(ktrace_channel_rb(c)),
			    (void *)c);

	attr.name = "chan2";
	attr.mode = KTRACE_CHANNEL_MODE_OVERWRITE;
	c = ktrace_channel_create(s, &attr);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, c);
	KUNIT_EXPECT_EQ(test, ktrace_channel_mode(c),
			KTRACE_CHANNEL_MODE_OVERWRITE);
}

static void core_channel_duplicate_name_is_eexist(struct kunit *test)
{
	struct ktrace_channel_attr attr = {
		.name = "chan",
		.subbuf_size = PAGE_SIZE,
		.num_subbuf = 2,
	};
	struct ktrace_session *a, *b;

	a = t_session(test, "kt_cdup_a", KTRACE_SESSION_NORMAL);
	b = t_session(test, "kt_cdup_b", KTRACE_SESSION_NORMAL);
	t_channel(test, a, "chan");
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(ktrace_channel_create(a, &attr)),
			-EEXIST);
	/* Channel names are per session. */
	t_channel(test, b, "chan");
	KUNIT_EXPECT_EQ(test, ktrace_session_num_channels(a), 1);
	KUNIT_EXPECT_NULL(test, ktrace_channel_lookup(a, "nope"));
	KUNIT_EXPECT_NULL(test, ktrace_channel_lookup(a, "bad/name"));
}

struct t_geometry {
	const char *desc;
	unsigned long subbuf_size;
	unsigned int num_subbuf;
	int mode;
	int output;
	int err;
};

/* Geometry errors come from the ring buffer, passed through unchanged. */
static const struct t_geometry t_bad_channels[] = {
	{ "subbuf_size below PAGE_SIZE", PAGE_SIZE / 2, 2, 0, 0, -EINVAL },
	{ "subbuf_size not a power of two", 3 * PAGE_SIZE, 2, 0, 0, -EINVAL },
	{ "num_subbuf 1", PAGE_SIZE, 1, 0, 0, -EINVAL },
	{ "num_subbuf 3, not a power of two", PAGE_SIZE, 3, 0, 0, -EINVAL },
	{ "ring too large for position arithmetic",
	  1UL << (BITS_PER_LONG - 5), 4, 0, 0, -EINVAL },
	{ "more memory than the machine has", 1UL << 40, 2, 0, 0, -ENOMEM },
	{ "unknown mode", PAGE_SIZE, 2, 9, 0, -EINVAL },
	{ "unknown output hint", PAGE_SIZE, 2, 0, 5, -EINVAL },
};

static void t_geometry_desc(const struct t_geometry *g, char *desc)
{
	strscpy(desc, g->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(t_bad_channels, t_bad_channels, t_geometry_desc);

static void core_channel_rejects_bad_config(struct kunit *test)
{
	const struct t_geometry *g = test->param_value;
	struct ktrace_channel_attr attr = {
		.name = "chan",
		.subbuf_size = g->subbuf_size,
		.num_subbuf = g->num_subbuf,
		.mode = (enum ktrace_channel_mode)g->mode,
		.output = (enum ktrace_channel_output)g->output,
	};
	int live = ktrace_core_live_objects();
	struct ktrace_session *s;

	s = t_session(test, "kt_geometry", KTRACE_SESSION_NORMAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(ktrace_channel_create(s, &attr)),
			g->err);
	KUNIT_EXPECT_EQ(test, ktrace_session_num_channels(s), 0);
	KUNIT_EXPECT_EQ(test, ktrace_core_live_objects(), live + 1);
}

struct t_outputs {
	unsigned int n;
	u32 ids[8];
	char names[8][KTRACE_NAME_MAX + 1];
	const char *dest0;
	u64 max0;
};

static int t_collect(void *arg, const struct ktrace_snapshot_output *o)
{
	struct t_outputs *t = arg;

	if (t->n >= ARRAY_SIZE(t->ids))
		return -ENOSPC;
	if (!t->n) {
		t->dest0 = o->dest;
		t->max0 = o->max_size;
	}
	t->ids[t->n] = o->id;
	strscpy(t->names[t->n], o->name, sizeof(t->names[0]));
	t->n++;
	return 0;
}

static int t_stop_at_first(void *arg, const struct ktrace_snapshot_output *o)
{
	(*(unsigned int *)arg)++;
	return 1;
}

static void core_outputs_add_delete_list(struct kunit *test)
{
	struct ktrace_session *s;
	struct t_outputs *t;
	u32 id1, id2, id3, id4;
	unsigned int visits = 0;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	s = t_session(test, "kt_outputs", KTRACE_SESSION_SNAPSHOT);

	KUNIT_EXPECT_EQ(test, ktrace_session_output_for_each(s, t_collect, t),
			0);
	KUNIT_EXPECT_EQ(test, t->n, 0);

	KUNIT_ASSERT_EQ(test, ktrace_session_output_add(s, "disk", "/var/tr",
							8 << 20, &id1), 0);
	KUNIT_ASSERT_EQ(test, ktrace_session_output_add(s, "", "/tmp/a", 0,
							&id2), 0);
	KUNIT_ASSERT_EQ(test, ktrace_session_output_add(s, NULL, "/tmp/b", 0,
							&id3), 0);
	KUNIT_EXPECT_NE(test, id1, id2);
	KUNIT_EXPECT_NE(test, id2, id3);

	KUNIT_EXPECT_EQ(test, ktrace_session_output_for_each(s, t_collect, t),
			0);
	KUNIT_ASSERT_EQ(test, t->n, 3);
	KUNIT_EXPECT_EQ(test, t->ids[0], id1);
	KUNIT_EXPECT_STREQ(test, t->names[0], "disk");
	KUNIT_EXPECT_EQ(test, t->max0, 8 << 20);
	KUNIT_EXPECT_EQ(test, t->ids[1], id2);
	KUNIT_EXPECT_EQ(test, strncmp(t->names[1], "snapshot-", 9), 0);
	KUNIT_EXPECT_EQ(test, t->ids[2], id3);
	KUNIT_EXPECT_STRNEQ(test, t->names[1], t->names[2]);

	KUNIT_EXPECT_EQ(test, ktrace_session_output_for_each(s, t_stop_at_first,
							     &visits), 1);
	KUNIT_EXPECT_EQ(test, visits, 1);

	KUNIT_EXPECT_EQ(test, ktrace_session_output_del_id(s, id2), 0);
	KUNIT_EXPECT_EQ(test, ktrace_session_output_del_id(s, id2), -ENOENT);
	KUNIT_EXPECT_EQ(test, ktrace_session_output_del_name(s, "disk"), 0);
	KUNIT_EXPECT_EQ(test, ktrace_session_output_del_name(s, "disk"),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, ktrace_session_output_del_name(s, "bad/name"),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, ktrace_session_output_del_id(s, 12345), -ENOENT);

	t->n = 0;
	KUNIT_EXPECT_EQ(test, ktrace_session_output_for_each(s, t_collect, t),
			0);
	KUNIT_ASSERT_EQ(test, t->n, 1);
	KUNIT_EXPECT_EQ(test, t->ids[0], id3);
	KUNIT_EXPECT_STREQ(test, t->dest0, "/tmp/b");

	/* Ids are never reused; a deleted name is free again. */
	KUNIT_ASSERT_EQ(test, ktrace_session_output_add(s, "disk", "/x", 0,
							&id4), 0);
	KUNIT_EXPECT_GT(test, id4, id3);
}

static void core_outputs_reject_bad_input(struct kunit *test)
{
	int live = ktrace_core_live_objects();
	struct ktrace_session *s;
	char *dest;
	u32 id;

	s = t_session(test, "kt_out_bad", KTRACE_SESSION_SNAPSHOT);
	KUNIT_ASSERT_EQ(test, ktrace_session_output_add(s, "o", "/tmp", 0, &id),
			0);
	KUNIT_EXPECT_EQ(test, ktrace_session_output_add(s, "o", "/tmp2", 0,
							&id), -EEXIST);
	KUNIT_EXPECT_EQ(test, ktrace_session_output_add(s, "p", "", 0, &id),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, ktrace_session_output_add(s, "p", NULL, 0, &id),
			-EINVAL);

	dest = kunit_kzalloc(test, KTRACE_OUTPUT_DEST_MAX + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, dest);
	memset(dest, 'd', KTRACE_OUTPUT_DEST_MAX);
	KUNIT_EXPECT_EQ(test, ktrace_session_output_add(s, "p", dest, 0, &id),
			-EINVAL);
	dest[KTRACE_OUTPUT_DEST_MAX - 1] = '\0';
	KUNIT_EXPECT_EQ(test, ktrace_session_output_add(s, "p", dest, 0, &id),
			0);
	KUNIT_EXPECT_EQ(test, ktrace_core_live_objects(), live + 3);
}

static void core_snapshot_counter_counts_bumps(struct kunit *test)
{
	struct ktrace_session *s;

	s = t_session(test, "kt_counter", KTRACE_SESSION_SNAPSHOT);
	KUNIT_EXPECT_EQ(test, ktrace_session_snapshot_count(s), 0);
	ktrace_session_snapshot_bump(s);
	ktrace_session_snapshot_bump(s);
	KUNIT_EXPECT_EQ(test, ktrace_session_snapshot_count(s), 2);
}

static void core_destroy_with_children_leaks_nothing(struct kunit *test)
{
	int live = ktrace_core_live_objects();
	struct ktrace_session *s;
	u32 id;

	s = ktrace_session_create("kt_leak", KTRACE_SESSION_SNAPSHOT);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, s);
	t_channel(test, s, "a");
	t_channel(test, s, "b");
	KUNIT_ASSERT_EQ(test, ktrace_session_output_add(s, "o1", "/t", 0, &id),
			0);
	KUNIT_ASSERT_EQ(test, ktrace_session_output_add(s, "", "/t", 0, &id),
			0);
	KUNIT_ASSERT_EQ(test, ktrace_session_start(s), 0);
	KUNIT_EXPECT_EQ(test, ktrace_core_live_objects(), live + 5);

	/* Destroy while active: it stops first. */
	KUNIT_EXPECT_EQ(test, ktrace_session_destroy(s), 0);
	KUNIT_EXPECT_EQ(test, ktrace_session_state(s), KTRACE_SESSION_STOPPED);
	KUNIT_EXPECT_EQ(test, ktrace_core_live_objects(), live + 5);
	ktrace_session_put(s);
	KUNIT_EXPECT_EQ(test, ktrace_core_live_objects(), live);
}

/*
 * While a channel's buffers are being allocated (the hook runs between the
 * allocation and the linking), another task lists sessions, stops one and
 * destroys it: each of those takes sessions_lock, so they finish only if
 * the allocation does not hold it. A bounded wait keeps a regression a
 * failure rather than a hang.
 */
struct t_other {
	struct work_struct work;
	struct completion done;
	struct ktrace_session *s;
	int listed, stopped, destroyed;
};

static struct t_other *t_other;
static bool t_other_in_time;

static void t_other_work(struct work_struct *work)
{
	struct t_other *o = container_of(work, struct t_other, work);

	o->listed = ktrace_session_list_ids(NULL, 0);
	o->stopped = ktrace_session_stop(o->s);
	o->destroyed = ktrace_session_destroy(o->s);
	complete(&o->done);
}

static void t_alloc_hook(struct ktrace_session *s)
{
	queue_work(system_unbound_wq, &t_other->work);
	t_other_in_time = wait_for_completion_timeout(&t_other->done, 10 * HZ);
}

static void t_alloc_hook_reset(void *unused)
{
	ktrace_core_test_hooks.channel_alloc = NULL;
}

static void core_channel_allocates_without_the_sessions_lock(struct kunit *test)
{
	struct ktrace_session *s, *other;
	struct ktrace_channel_attr attr = {
		.name = "big",
		.subbuf_size = SZ_1M,
		.num_subbuf = 4,
	};
	struct ktrace_channel *c;

	s = t_session(test, "kt-core-alloc", KTRACE_SESSION_NORMAL);
	other = t_session(test, "kt-core-other", KTRACE_SESSION_NORMAL);
	KUNIT_ASSERT_EQ(test, ktrace_session_start(other), 0);
	t_other = kunit_kzalloc(test, sizeof(*t_other), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t_other);
	INIT_WORK(&t_other->work, t_other_work);
	init_completion(&t_other->done);
	t_other->s = other;
	t_other_in_time = false;

	ktrace_core_test_hooks.channel_alloc = t_alloc_hook;
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, t_alloc_hook_reset,
							NULL), 0);
	c = ktrace_channel_create(s, &attr);
	t_alloc_hook_reset(NULL);
	/* Whatever happened, the other task is done before the test is. */
	flush_work(&t_other->work);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, c);
	KUNIT_EXPECT_TRUE_MSG(test, t_other_in_time,
			      "list, stop and destroy waited for the allocation");
	KUNIT_EXPECT_GE(test, t_other->listed, 2);
	KUNIT_EXPECT_EQ(test, t_other->stopped, 0);
	KUNIT_EXPECT_EQ(test, t_other->destroyed, 0);
	KUNIT_EXPECT_EQ(test, ktrace_session_num_channels(s), 1U);
}

/* A session destroyed while its channel is allocated gets no channel. */
static void t_destroy_hook(struct ktrace_session *s)
{
	ktrace_session_destroy(s);
}

static void core_channel_of_a_session_destroyed_meanwhile(struct kunit *test)
{
	struct ktrace_session *s = t_session(test, "kt-core-gone",
					     KTRACE_SESSION_NORMAL);
	unsigned long before = ktrace_rb_mem_bytes();
	struct ktrace_channel_attr attr = {
		.name = "c",
		.subbuf_size = PAGE_SIZE,
		.num_subbuf = 2,
	};
	struct ktrace_channel *c;

	ktrace_core_test_hooks.channel_alloc = t_destroy_hook;
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, t_alloc_hook_reset,
							NULL), 0);
	c = ktrace_channel_create(s, &attr);
	t_alloc_hook_reset(NULL);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(c), -ENOENT);
	KUNIT_EXPECT_EQ(test, ktrace_session_num_channels(s), 0U);
	/* Its buffers went with it. */
	KUNIT_EXPECT_EQ(test, ktrace_rb_mem_bytes(), before);
}

static void t_limit_restore(void *p)
{
	ktrace_max_buffer_mib = (uintptr_t)p;
}

/*
 * max_buffer_mib bounds every channel's buffers together: a channel over
 * it fails with -ENOSPC before anything is allocated, one within it is
 * charged, and freeing gives the memory back.
 */
static void core_buffer_memory_is_bounded(struct kunit *test)
{
	struct ktrace_session *s = t_session(test, "kt-core-limit",
					     KTRACE_SESSION_SNAPSHOT);
	struct ktrace_channel_attr attr = {
		.name = "over",
		.subbuf_size = SZ_1M,
		.num_subbuf = 2,
	};
	void *old = (void *)(uintptr_t)ktrace_max_buffer_mib;
	unsigned long before = ktrace_rb_mem_bytes();
	struct ktrace_channel *c;

	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, t_limit_restore,
							old), 0);
	ktrace_max_buffer_mib = (before >> 20) + 2;

	/* 3 MiB per CPU: over the 1 to 2 MiB left. */
	c = ktrace_channel_create(s, &attr);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(c), -ENOSPC);
	KUNIT_EXPECT_EQ(test, ktrace_rb_mem_bytes(), before);
	KUNIT_EXPECT_EQ(test, ktrace_session_num_channels(s), 0U);
	/* channel0 (5 MiB per CPU) too, when start makes it. */
	KUNIT_EXPECT_EQ(test, ktrace_session_start(s), -ENOSPC);

	attr.name = "within";
	attr.subbuf_size = PAGE_SIZE;
	c = ktrace_channel_create(s, &attr);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, c);
	KUNIT_EXPECT_EQ(test, ktrace_rb_mem_bytes() - before,
			ktrace_rb_chan_mem_bytes(ktrace_channel_rb(c)));
	KUNIT_EXPECT_EQ(test, ktrace_rb_chan_mem_bytes(ktrace_channel_rb(c)),
			3 * PAGE_SIZE * ktrace_rb_chan_nr_bufs(ktrace_channel_rb(c)));

	kunit_release_action(test, t_session_release, s);
	KUNIT_EXPECT_EQ(test, ktrace_rb_mem_bytes(), before);
}

static struct kunit_case core_test_cases[] = {
	KUNIT_CASE_PARAM(core_names_are_validated, t_names_gen_params),
	KUNIT_CASE(core_session_lifecycle),
	KUNIT_CASE(core_session_create_rejects_bad_mode),
	KUNIT_CASE(core_session_duplicate_name_is_eexist),
	KUNIT_CASE(core_session_ids_are_unique),
	KUNIT_CASE(core_destroyed_session_rejects_everything),
	KUNIT_CASE(core_held_reference_outlives_destroy),
	KUNIT_CASE(core_start_stop_state_machine),
	KUNIT_CASE(core_switch_timer_closes_partial_packets),
	KUNIT_CASE(core_start_creates_channel0),
	KUNIT_CASE(core_default_channel_is_created_once),
	KUNIT_CASE(core_channel_keeps_its_attributes),
	KUNIT_CASE(core_channel_duplicate_name_is_eexist),
	KUNIT_CASE_PARAM(core_channel_rejects_bad_config,
			 t_bad_channels_gen_params),
	KUNIT_CASE(core_outputs_add_delete_list),
	KUNIT_CASE(core_outputs_reject_bad_input),
	KUNIT_CASE(core_snapshot_counter_counts_bumps),
	KUNIT_CASE(core_destroy_with_children_leaks_nothing),
	KUNIT_CASE(core_channel_allocates_without_the_sessions_lock),
	KUNIT_CASE(core_channel_of_a_session_destroyed_meanwhile),
	KUNIT_CASE(core_buffer_memory_is_bounded),
	{}
};

static struct kunit_suite core_test_suite = {
	.name = "ktrace_core",
	.test_cases = core_test_cases,
};

kunit_test_suite(core_test_suite);

MODULE_DESCRIPTION("KUnit tests for ktrace sessions and channels");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
