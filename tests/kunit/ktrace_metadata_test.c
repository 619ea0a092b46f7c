// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the CTF metadata (module/core/metadata.c): the text a
 * session's trace is decoded with. Golden fragments pin what readers rely
 * on: the CTF 1.8 line, the env that makes Trace Compass see a kernel
 * trace, the clock, one stream per channel with its contexts, one event
 * block per event (disabled ones included), and the exact TSDL of every
 * field kind.
 */
#include <kunit/test.h>
#include <linux/ctype.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/time.h>
#include <linux/timekeeping.h>
#include <linux/utsname.h>
#include <linux/uuid.h>

#include "abi/uapi/ktrace.h"
#include "core/event.h"
#include "core/metadata.h"
#include "core/session.h"
#include "probes/probes.h"
#include "ringbuffer/ringbuffer.h"

#if defined(__BIG_ENDIAN)
#define T_BYTE_ORDER	"be"
#else
#define T_BYTE_ORDER	"le"
#endif

static void t_session_release(void *p)
{
	struct ktrace_session *s = p;

	ktrace_session_destroy(s);
	ktrace_session_put(s);
}

static struct ktrace_session *t_session(struct kunit *test, const char *name)
{
	struct ktrace_session *s;

	s = ktrace_session_create(name, KTRACE_SESSION_SNAPSHOT);
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

static void t_kvfree(void *p)
{
	kvfree(p);
}

static void t_kfree(void *p)
{
	kfree(p);
}

static __printf(2, 3) char *t_printf(struct kunit *test, const char *fmt, ...)
{
	va_list args;
	char *s;

	va_start(args, fmt);
	s = kvasprintf(GFP_KERNEL, fmt, args);
	va_end(args);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, t_kfree, s), 0);
	return s;
}

static char *t_metadata(struct kunit *test, struct ktrace_session *s)
{
	size_t len = 0;
	char *md = ktrace_metadata_generate(s, &len);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, md);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, t_kvfree, md), 0);
	KUNIT_EXPECT_EQ(test, len, strlen(md));
	return md;
}

/* Enable an event, or skip the case if this kernel lacks its tracepoint. */
static void t_enable(struct kunit *test, struct ktrace_channel *c,
		     const char *event)
{
	int ret = ktrace_event_enable(c, event);

	if (ret == -ENODEV)
		kunit_skip(test, "%s is not available on this kernel", event);
	KUNIT_ASSERT_EQ(test, ret, 1);
}

static void t_expect_has(struct kunit *test, const char *text,
			 const char *frag)
{
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(text, frag),
				  "missing from the metadata:\n%s", frag);
}

static void t_expect_hasnt(struct kunit *test, const char *text,
			   const char *frag)
{
	KUNIT_EXPECT_NULL_MSG(test, strstr(text, frag),
			      "unexpected in the metadata:\n%s", frag);
}

#define T_INT(bits, sgn, base)						\
	"integer { size = " #bits "; align = 8; signed = " #sgn		\
	"; encoding = none; base = " #base "; }"
#define T_TEXT								\
	"integer { size = 8; align = 8; signed = 0; encoding = UTF8; base = 10; }"

static void metadata_starts_with_ctf_1_8(struct kunit *test)
{
	struct ktrace_session *s = t_session(test, "md_magic");
	char *md = t_metadata(test, s);

	KUNIT_EXPECT_TRUE(test, str_has_prefix(md, "/* CTF 1.8 */\n"));
	t_expect_has(test, md,
		     "trace {\n"
		     "\tmajor = 1;\n"
		     "\tminor = 8;\n");
	t_expect_has(test, md,
		     "\tbyte_order = " T_BYTE_ORDER ";\n"
		     "\tpacket.header := struct {\n"
		     "\t\tuint32_t magic;\n"
		     "\t\tuint8_t uuid[16];\n"
		     "\t\tuint32_t stream_id;\n"
		     "\t\tuint64_t stream_instance_id;\n"
		     "\t};\n");
}

/* The 36-character uuid after @key in @md, copied to @out. */
static void t_uuid_after(struct kunit *test, const char *md, const char *key,
			 char out[UUID_STRING_LEN + 1])
{
	const char *p = strstr(md, key);
	int i;

	KUNIT_ASSERT_NOT_NULL_MSG(test, p, "no %s", key);
	p += strlen(key);
	memcpy(out, p, UUID_STRING_LEN);
	out[UUID_STRING_LEN] = '\0';
	KUNIT_EXPECT_EQ(test, p[UUID_STRING_LEN], '"');
	for (i = 0; i < UUID_STRING_LEN; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23)
			KUNIT_EXPECT_EQ(test, out[i], '-');
		else
			KUNIT_EXPECT_TRUE_MSG(test, isxdigit(out[i]) &&
					      !isupper(out[i]), "uuid %s", out);
	}
}

static void metadata_uuid_is_per_session_and_names_the_clock(struct kunit *test)
{
	char *md1 = t_metadata(test, t_session(test, "md_uuid1"));
	char *md2 = t_metadata(test, t_session(test, "md_uuid2"));
	char trace1[UUID_STRING_LEN + 1], clock1[UUID_STRING_LEN + 1];
	char trace2[UUID_STRING_LEN + 1];

	t_uuid_after(test, md1, "\tminor = 8;\n\tuuid = \"", trace1);
	t_uuid_after(test, md1, "\tname = \"monotonic\";\n\tuuid = \"", clock1);
	t_uuid_after(test, md2, "\tminor = 8;\n\tuuid = \"", trace2);
	KUNIT_EXPECT_STREQ(test, trace1, clock1);
	KUNIT_EXPECT_STRNEQ(test, trace1, trace2);
}

static void metadata_env_declares_lttng_layout_and_ktrace(struct kunit *test)
{
	const struct new_utsname *uts = init_utsname();
	struct ktrace_session *s = t_session(test, "md_env-1.x");
	char *md = t_metadata(test, s);
	char *frag;

	t_expect_has(test, md, "env {\n\tdomain = \"kernel\";\n");
	/* What Trace Compass and lttng-analyses pick their tables from. */
	t_expect_has(test, md, "\ttracer_name = \"lttng-modules\";\n"
			       "\ttracer_major = 2;\n"
			       "\ttracer_minor = 13;\n"
			       "\ttracer_patchlevel = 9;\n"
			       "\tktrace_version = \"0.1.0\";\n");
	frag = t_printf(test, "\tktrace_abi = %d;\n", KTRACE_ABI_VERSION);
	t_expect_has(test, md, frag);
	t_expect_has(test, md, "\ttrace_name = \"md_env-1.x\";\n");
	t_expect_has(test, md, "\ttrace_buffering_scheme = \"global\";\n");
	t_expect_has(test, md, "\tsysname = \"Linux\";\n");

	frag = t_printf(test, "\tkernel_release = \"%s\";\n", uts->release);
	t_expect_has(test, md, frag);
	frag = t_printf(test, "\thostname = \"%s\";\n", uts->nodename);
	t_expect_has(test, md, frag);
}

static char *t_datetime(struct kunit *test, time64_t t)
{
	struct tm tm;

	time64_to_tm(t, 0, &tm);
	return t_printf(test,
			"\ttrace_creation_datetime = \"%04ld%02d%02dT%02d%02d%02d+0000\";\n",
			tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static void metadata_creation_datetime_is_utc_iso8601(struct kunit *test)
{
	time64_t before = ktime_get_real_seconds();
	struct ktrace_session *s = t_session(test, "md_datetime");
	time64_t after = ktime_get_real_seconds();
	char *md = t_metadata(test, s);
	char *at_before = t_datetime(test, before);
	char *at_after = t_datetime(test, after);

	KUNIT_EXPECT_TRUE_MSG(test, strstr(md, at_before) || strstr(md, at_after),
			      "expected %s", at_before);
}

static void metadata_clock_is_monotonic_ns_with_realtime_offset(struct kunit *test)
{
	struct ktrace_session *s = t_session(test, "md_clock");
	s64 expected = ktime_get_real_ns() - ktrace_rb_clock();
	char *md = t_metadata(test, s);
	unsigned long long sec;
	unsigned int ns;
	const char *p;
	s64 offset;
	int n;

	t_expect_has(test, md, "clock {\n\tname = \"monotonic\";\n");
	t_expect_has(test, md, "\tdescription = \"Monotonic Clock\";\n"
			       "\tfreq = 1000000000; /* Frequency, in Hz */\n"
			       "\tprecision = 1;\n");
	t_expect_has(test, md, "\tabsolute = TRUE;\n};\n");
	t_expect_has(test, md, "typealias integer {\n"
			       "\tsize = 27; align = 1; signed = false;\n"
			       "\tmap = clock.monotonic.value;\n"
			       "} := uint27_clock_monotonic_t;\n");
	t_expect_has(test, md, "typealias integer {\n"
			       "\tsize = 64; align = 8; signed = false;\n"
			       "\tmap = clock.monotonic.value;\n"
			       "} := uint64_clock_monotonic_t;\n");

	p = strstr(md, "\toffset_s = ");
	KUNIT_ASSERT_NOT_NULL(test, p);
	n = sscanf(p, "\toffset_s = %llu;\n\toffset = %u;", &sec, &ns);
	KUNIT_ASSERT_EQ(test, n, 2);
	KUNIT_EXPECT_LT(test, ns, NSEC_PER_SEC);
	offset = sec * NSEC_PER_SEC + ns;
	/* Realtime may be stepped between the two reads: allow a second. */
	KUNIT_EXPECT_LT(test, abs(offset - expected), (s64)NSEC_PER_SEC);
}

static void metadata_layouts_match_the_packet(struct kunit *test)
{
	char *md = t_metadata(test, t_session(test, "md_layouts"));

	t_expect_has(test, md,
		     "struct packet_context {\n"
		     "\tuint64_clock_monotonic_t timestamp_begin;\n"
		     "\tuint64_clock_monotonic_t timestamp_end;\n"
		     "\tuint64_t content_size;\n"
		     "\tuint64_t packet_size;\n"
		     "\tuint64_t packet_seq_num;\n"
		     "\tuint64_t events_discarded;\n"
		     "\tuint32_t cpu_id;\n"
		     "};\n");
	t_expect_has(test, md,
		     "struct event_header_compact {\n"
		     "\tenum : uint5_t { compact = 0 ... 30, extended = 31 } id;\n"
		     "\tvariant <id> {\n"
		     "\t\tstruct {\n"
		     "\t\t\tuint27_clock_monotonic_t timestamp;\n"
		     "\t\t} compact;\n"
		     "\t\tstruct {\n"
		     "\t\t\tuint32_t id;\n"
		     "\t\t\tuint64_clock_monotonic_t timestamp;\n"
		     "\t\t} extended;\n"
		     "\t} v;\n"
		     "} align(8);\n");
}

static void metadata_channel_contexts_become_event_context(struct kunit *test)
{
	struct ktrace_session *s = t_session(test, "md_contexts");
	struct ktrace_channel *c = t_channel(test, s, "ctx");
	char *md;

	KUNIT_ASSERT_EQ(test, ktrace_context_add(c, KTRACE_CONTEXT_PID), 0);
	KUNIT_ASSERT_EQ(test, ktrace_context_add(c, KTRACE_CONTEXT_PROCNAME), 0);
	KUNIT_ASSERT_EQ(test, ktrace_context_add(c, KTRACE_CONTEXT_TID), 0);
	md = t_metadata(test, s);
	t_expect_has(test, md,
		     "stream {\n"
		     "\tid = 0;\n"
		     "\tevent.header := struct event_header_compact;\n"
		     "\tpacket.context := struct packet_context;\n"
		     "\tevent.context := struct {\n"
		     "\t\t" T_INT(32, 1, 10) " _pid;\n"
		     "\t\t" T_TEXT " _procname[16];\n"
		     "\t\t" T_INT(32, 1, 10) " _tid;\n"
		     "\t};\n"
		     "};\n");
}

static void metadata_every_context_type_is_described(struct kunit *test)
{
	struct ktrace_session *s = t_session(test, "md_all_contexts");
	struct ktrace_channel *c = t_channel(test, s, "ctx");
	char *md, *frag;
	int t;

	for (t = 0; t < KTRACE_CONTEXT_COUNT; t++)
		KUNIT_ASSERT_EQ(test, ktrace_context_add(c, t), 0);
	md = t_metadata(test, s);
	for (t = 0; t < KTRACE_CONTEXT_COUNT; t++) {
		frag = t_printf(test, " _%s", ktrace_context_name(t));
		t_expect_has(test, md, frag);
	}
}

static void metadata_channel_without_contexts_has_no_event_context(struct kunit *test)
{
	struct ktrace_session *s = t_session(test, "md_no_contexts");
	char *md;

	t_channel(test, s, "plain");
	md = t_metadata(test, s);
	t_expect_has(test, md,
		     "stream {\n"
		     "\tid = 0;\n"
		     "\tevent.header := struct event_header_compact;\n"
		     "\tpacket.context := struct packet_context;\n"
		     "};\n");
	t_expect_hasnt(test, md, "event.context");
}

static const char t_sched_switch_block[] =
	"event {\n"
	"\tname = \"sched_switch\";\n"
	"\tid = 0;\n"
	"\tstream_id = 0;\n"
	"\tfields := struct {\n"
	"\t\t" T_TEXT " _prev_comm[16];\n"
	"\t\t" T_INT(32, 1, 10) " _prev_tid;\n"
	"\t\t" T_INT(32, 1, 10) " _prev_prio;\n"
	"\t\t" T_INT(64, 1, 10) " _prev_state;\n"
	"\t\t" T_TEXT " _next_comm[16];\n"
	"\t\t" T_INT(32, 1, 10) " _next_tid;\n"
	"\t\t" T_INT(32, 1, 10) " _next_prio;\n"
	"\t};\n"
	"};\n";

static const char t_ktrace_test_block[] =
	"event {\n"
	"\tname = \"ktrace_test\";\n"
	"\tid = 1;\n"
	"\tstream_id = 0;\n"
	"\tfields := struct {\n"
	"\t\t" T_INT(64, 0, 10) " _seq;\n"
	"\t\t" T_INT(64, 0, 16) " _payload;\n"
	"\t};\n"
	"};\n";

static void metadata_enabled_events_have_exact_blocks(struct kunit *test)
{
	struct ktrace_session *s = t_session(test, "md_events");
	struct ktrace_channel *c = t_channel(test, s, "events");
	char *md;

	t_enable(test, c, "sched_switch");
	t_enable(test, c, "ktrace_test");
	md = t_metadata(test, s);
	t_expect_has(test, md, t_sched_switch_block);
	t_expect_has(test, md, t_ktrace_test_block);
	/* Events follow their stream. */
	KUNIT_EXPECT_TRUE(test, strstr(md, "stream {\n\tid = 0;") <
			  strstr(md, "\tname = \"sched_switch\";"));
}

static void metadata_disabled_event_keeps_its_block(struct kunit *test)
{
	struct ktrace_session *s = t_session(test, "md_disabled");
	struct ktrace_channel *c = t_channel(test, s, "events");
	char *md;

	t_enable(test, c, "sched_switch");
	t_enable(test, c, "ktrace_test");
	KUNIT_ASSERT_EQ(test, ktrace_event_disable(c, "sched_switch"), 1);
	KUNIT_ASSERT_EQ(test, ktrace_event_disable(c, "ktrace_test"), 1);
	md = t_metadata(test, s);
	t_expect_has(test, md, t_sched_switch_block);
	t_expect_has(test, md, t_ktrace_test_block);
}

static void metadata_is_current_at_every_call(struct kunit *test)
{
	struct ktrace_session *s = t_session(test, "md_current");
	struct ktrace_channel *c = t_channel(test, s, "events");
	char *before, *after;

	before = t_metadata(test, s);
	t_expect_hasnt(test, before, "event {");
	t_enable(test, c, "ktrace_test");
	after = t_metadata(test, s);
	t_expect_has(test, after, "\tname = \"ktrace_test\";\n\tid = 0;\n");
}

static void metadata_second_channel_is_stream_1(struct kunit *test)
{
	struct ktrace_session *s = t_session(test, "md_streams");
	struct ktrace_channel *c;
	const char *stream1, *event;
	char *md;

	t_channel(test, s, "first");
	c = t_channel(test, s, "second");
	t_enable(test, c, "ktrace_test");
	md = t_metadata(test, s);
	t_expect_has(test, md, "stream {\n\tid = 0;\n");
	stream1 = strstr(md, "stream {\n\tid = 1;\n");
	event = strstr(md, "\tname = \"ktrace_test\";\n"
			   "\tid = 0;\n"
			   "\tstream_id = 1;\n");
	KUNIT_ASSERT_NOT_NULL(test, stream1);
	KUNIT_ASSERT_NOT_NULL(test, event);
	KUNIT_EXPECT_TRUE(test, stream1 < event);
}

/* Field kinds: each hand-made description and its exact TSDL. */

static const struct ktrace_enum_entry t_state_entries[] = {
	{ "RUNNING", 0 }, { "SLEEPING", 1 }, { "DEAD", -1 },
};

static const struct ktrace_enum_desc t_state_enum = {
	t_state_entries, ARRAY_SIZE(t_state_entries)
};

static const struct ktrace_enum_entry t_u8_entries[] = {
	{ "LOW", 0 }, { "HIGH", 255 },
};

static const struct ktrace_enum_desc t_u8_enum = {
	t_u8_entries, ARRAY_SIZE(t_u8_entries)
};

static const struct ktrace_enum_entry t_quoted_entries[] = {
	{ "say \"hi\"\\", 1 },
};

static const struct ktrace_enum_desc t_quoted_enum = {
	t_quoted_entries, ARRAY_SIZE(t_quoted_entries)
};

static const struct ktrace_enum_entry t_u64_entries[] = {
	{ "TOP", S64_MAX },
};

static const struct ktrace_enum_desc t_u64_enum = {
	t_u64_entries, ARRAY_SIZE(t_u64_entries)
};

static const struct ktrace_enum_desc t_empty_enum = { t_u8_entries, 0 };

struct t_field {
	const char *desc;
	struct ktrace_field_desc field;
	const char *tsdl;	/* NULL: rejected with -EINVAL */
};

static const struct t_field t_fields[] = {
	{ "s32", { .name = "tid", .kind = KTRACE_FIELD_INTEGER, .size = 4,
		   .is_signed = true },
	  T_INT(32, 1, 10) " _tid" },
	{ "u64", { .name = "seq", .kind = KTRACE_FIELD_INTEGER, .size = 8 },
	  T_INT(64, 0, 10) " _seq" },
	{ "s8", { .name = "c", .kind = KTRACE_FIELD_INTEGER, .size = 1,
		  .is_signed = true },
	  T_INT(8, 1, 10) " _c" },
	{ "u16 hex", { .name = "port", .kind = KTRACE_FIELD_INTEGER,
		       .size = 2, .hex = true },
	  T_INT(16, 0, 16) " _port" },
	{ "s32 enum", { .name = "state", .kind = KTRACE_FIELD_ENUM, .size = 4,
			.is_signed = true, .enum_desc = &t_state_enum },
	  "enum : " T_INT(32, 1, 10)
	  " { \"RUNNING\" = 0, \"SLEEPING\" = 1, \"DEAD\" = -1 } _state" },
	{ "u8 hex enum", { .name = "level", .kind = KTRACE_FIELD_ENUM,
			   .size = 1, .hex = true, .enum_desc = &t_u8_enum },
	  "enum : " T_INT(8, 0, 16) " { \"LOW\" = 0, \"HIGH\" = 255 } _level" },
	{ "u64 enum", { .name = "big", .kind = KTRACE_FIELD_ENUM, .size = 8,
			.enum_desc = &t_u64_enum },
	  "enum : " T_INT(64, 0, 10) " { \"TOP\" = 9223372036854775807 } _big" },
	{ "enum label escaped", { .name = "q", .kind = KTRACE_FIELD_ENUM,
				  .size = 4, .enum_desc = &t_quoted_enum },
	  "enum : " T_INT(32, 0, 10) " { \"say \\\"hi\\\"\\\\\" = 1 } _q" },
	{ "u16 hex array", { .name = "words", .kind = KTRACE_FIELD_ARRAY,
			     .size = 2, .hex = true, .length = 3 },
	  T_INT(16, 0, 16) " _words[3]" },
	{ "s64 array", { .name = "args", .kind = KTRACE_FIELD_ARRAY,
			 .size = 8, .is_signed = true, .length = 6 },
	  T_INT(64, 1, 10) " _args[6]" },
	{ "array text", { .name = "comm", .kind = KTRACE_FIELD_ARRAY_TEXT,
			  .size = 1, .length = 16 },
	  T_TEXT " _comm[16]" },
	{ "string", { .name = "filename", .kind = KTRACE_FIELD_STRING,
		      .size = 1 },
	  "string { encoding = UTF8; } _filename" },
	{ "integer of 3 bytes", { .name = "x", .kind = KTRACE_FIELD_INTEGER,
				  .size = 3 }, NULL },
	{ "integer of 0 bytes", { .name = "x", .kind = KTRACE_FIELD_INTEGER },
	  NULL },
	{ "array of 16 bytes", { .name = "x", .kind = KTRACE_FIELD_ARRAY,
				 .size = 16, .length = 2 }, NULL },
	{ "empty array", { .name = "x", .kind = KTRACE_FIELD_ARRAY, .size = 4 },
	  NULL },
	{ "empty text", { .name = "x", .kind = KTRACE_FIELD_ARRAY_TEXT,
			  .size = 1 }, NULL },
	{ "enum without values", { .name = "x", .kind = KTRACE_FIELD_ENUM,
				   .size = 4 }, NULL },
	{ "enum of 0 entries", { .name = "x", .kind = KTRACE_FIELD_ENUM,
				 .size = 4, .enum_desc = &t_empty_enum }, NULL },
	{ "enum value above s8", { .name = "x", .kind = KTRACE_FIELD_ENUM,
				   .size = 1, .is_signed = true,
				   .enum_desc = &t_u8_enum }, NULL },
	{ "negative value in unsigned enum",
	  { .name = "x", .kind = KTRACE_FIELD_ENUM, .size = 8,
	    .enum_desc = &t_state_enum }, NULL },
	{ "NULL name", { .kind = KTRACE_FIELD_INTEGER, .size = 4 }, NULL },
	{ "empty name", { .name = "", .kind = KTRACE_FIELD_INTEGER, .size = 4 },
	  NULL },
	{ "name with a digit first", { .name = "9lives",
				       .kind = KTRACE_FIELD_INTEGER,
				       .size = 4 }, NULL },
	{ "name with a dash", { .name = "a-b", .kind = KTRACE_FIELD_INTEGER,
				.size = 4 }, NULL },
	{ "unknown kind", { .name = "x", .kind = 99, .size = 4 }, NULL },
};

static void t_field_desc(const struct t_field *f, char *desc)
{
	strscpy(desc, f->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(t_fields, t_fields, t_field_desc);

static void metadata_field_kinds_render_exactly(struct kunit *test)
{
	const struct t_field *f = test->param_value;
	char *text = ktrace_metadata_print_field(&f->field);

	if (!f->tsdl) {
		KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(text), -EINVAL);
		return;
	}
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, text);
	KUNIT_EXPECT_STREQ(test, text, f->tsdl);
	kvfree(text);
}

static struct kunit_case metadata_test_cases[] = {
	KUNIT_CASE(metadata_starts_with_ctf_1_8),
	KUNIT_CASE(metadata_uuid_is_per_session_and_names_the_clock),
	KUNIT_CASE(metadata_env_declares_lttng_layout_and_ktrace),
	KUNIT_CASE(metadata_creation_datetime_is_utc_iso8601),
	KUNIT_CASE(metadata_clock_is_monotonic_ns_with_realtime_offset),
	KUNIT_CASE(metadata_layouts_match_the_packet),
	KUNIT_CASE(metadata_channel_contexts_become_event_context),
	KUNIT_CASE(metadata_every_context_type_is_described),
	KUNIT_CASE(metadata_channel_without_contexts_has_no_event_context),
	KUNIT_CASE(metadata_enabled_events_have_exact_blocks),
	KUNIT_CASE(metadata_disabled_event_keeps_its_block),
	KUNIT_CASE(metadata_is_current_at_every_call),
	KUNIT_CASE(metadata_second_channel_is_stream_1),
	KUNIT_CASE_PARAM(metadata_field_kinds_render_exactly,
			 t_fields_gen_params),
	{}
};

static struct kunit_suite metadata_test_suite = {
	.name = "ktrace_metadata",
	.test_cases = metadata_test_cases,
};

kunit_test_suite(metadata_test_suite);

MODULE_DESCRIPTION("KUnit tests for ktrace's CTF metadata");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
