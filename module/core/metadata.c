// SPDX-License-Identifier: GPL-2.0
/*
 * CTF 1.8 metadata: the TSDL text describing a session's trace.
 *
 * The text is generated afresh on every request from the session as it is
 * now, so it always describes every event that may be in the buffers: all
 * events of every channel, enabled or not (a disabled event keeps its id).
 * docs/TRACE-FORMAT.md shows a complete sample and the bytes it describes.
 *
 * Layout conventions, those of LTTng's kernel tracer on architectures with
 * efficient unaligned access, so that babeltrace, babeltrace2, Trace
 * Compass and lttng-analyses read the trace as a Linux kernel trace:
 *
 *  - every type is byte-aligned (align = 8 bits): packets are packed;
 *  - integers are in the CPU's byte order, which the trace block states;
 *  - the packet header and context and the event header keep their CTF
 *    names; event and context fields get a leading underscore, which
 *    readers strip;
 *  - events use the compact header, a 5-bit id and 27 timestamp bits in
 *    one 32-bit word, or id 31 followed by a 32-bit id and a 64-bit
 *    timestamp.
 */
#include <asm/byteorder.h>
#include <linux/ctype.h>
#include <linux/err.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/time.h>
#include <linux/utsname.h>
#include <kunit/visibility.h>

#include "abi/uapi/ktrace.h"
#include "core/core_internal.h"
#include "core/metadata.h"
#include "probes/probes.h"

#if defined(__BIG_ENDIAN)
#define MD_BYTE_ORDER	"be"
#else
#define MD_BYTE_ORDER	"le"
#endif

/* Sized for a session with a few hundred events in one allocation. */
#define MD_INITIAL_SIZE	(16 * 1024)

/*
 * A growing text buffer. The first error sticks: later appends do
 * nothing, and the generator checks @err once at the end.
 */
struct md_buf {
	char *text;
	size_t len;
	size_t size;
	int err;
};

static void md_init(struct md_buf *b)
{
	b->len = 0;
	b->err = 0;
	b->size = MD_INITIAL_SIZE;
	b->text = kvmalloc(b->size, GFP_KERNEL);
	if (b->text)
		b->text[0] = '\0';
	else
		b->err = -ENOMEM;
}

/* Make room for @more bytes after the text, plus its NUL. */
static bool md_reserve(struct md_buf *b, size_t more)
{
	size_t need = b->len + more + 1;
	size_t size = b->size;
	char *text;

	if (b->err)
		return false;
	if (need <= b->size)
		return true;
	while (size < need)
		size *= 2;
	text = kvmalloc(size, GFP_KERNEL);
	if (!text) {
		b->err = -ENOMEM;
		return false;
	}
	memcpy(text, b->text, b->len + 1);
	kvfree(b->text);
	b->text = text;
	b->size = size;
	return true;
}

static void md_fail(struct md_buf *b, int err)
{
	if (!b->err)
		b->err = err;
}

static void md_write(struct md_buf *b, const char *s, size_t n)
{
	if (!md_reserve(b, n))
		return;
	memcpy(b->text + b->len, s, n);
	b->len += n;
	b->text[b->len] = '\0';
}

static void md_puts(struct md_buf *b, const char *s)
{
	md_write(b, s, strlen(s));
}

static __printf(2, 3) void md_printf(struct md_buf *b, const char *fmt, ...)
{
	va_list args;
	int n;

	if (b->err)
		return;
	va_start(args, fmt);
	n = vsnprintf(NULL, 0, fmt, args);
	va_end(args);
	if (!md_reserve(b, n))
		return;
	va_start(args, fmt);
	vsnprintf(b->text + b->len, n + 1, fmt, args);
	va_end(args);
	b->len += n;
}

/*
 * A TSDL string literal: quotes and backslashes are escaped, control
 * characters become three-digit octal escapes (never \x, whose digits
 * run on into the following text). At most @max bytes of @s are read.
 */
static void md_quoted(struct md_buf *b, const char *s, size_t max)
{
	size_t i, n = strnlen(s, max);
	size_t run = 0;

	md_puts(b, "\"");
	for (i = 0; i < n; i++) {
		unsigned char ch = s[i];

		if (ch != '"' && ch != '\\' && ch >= 0x20 && ch != 0x7f)
			continue;
		md_write(b, s + run, i - run);
		if (ch == '"' || ch == '\\')
			md_printf(b, "\\%c", ch);
		else
			md_printf(b, "\\%03o", ch);
		run = i + 1;
	}
	md_write(b, s + run, n - run);
	md_puts(b, "\"");
}

/* Field names become TSDL identifiers: [A-Za-z_][A-Za-z0-9_]*. */
static bool md_identifier_valid(const char *name)
{
	const char *p;

	if (!name || !*name || isdigit(*name))
		return false;
	for (p = name; *p; p++)
		if (!isalnum(*p) && *p != '_')
			return false;
	return true;
}

static bool md_int_size_valid(u8 size)
{
	return size == 1 || size == 2 || size == 4 || size == 8;
}

static void md_integer(struct md_buf *b, unsigned int bits, bool is_signed,
		       const char *encoding, unsigned int base)
{
	md_printf(b,
		  "integer { size = %u; align = 8; signed = %d; encoding = %s; base = %u; }",
		  bits, is_signed, encoding, base);
}

static bool md_enum_value_valid(const struct ktrace_field_desc *f, s64 v)
{
	unsigned int bits = f->size * BITS_PER_BYTE;

	if (bits == 64)
		return f->is_signed || v >= 0;
	if (f->is_signed)
		return v >= -(1LL << (bits - 1)) && v < (1LL << (bits - 1));
	return v >= 0 && v < (1LL << bits);
}

static int md_enum(struct md_buf *b, const struct ktrace_field_desc *f)
{
	const struct ktrace_enum_desc *e = f->enum_desc;
	unsigned int i;

	if (!e || !e->nr_entries || !e->entries)
		return -EINVAL;
	for (i = 0; i < e->nr_entries; i++)
		if (!e->entries[i].label ||
		    !md_enum_value_valid(f, e->entries[i].value))
			return -EINVAL;

	md_puts(b, "enum : ");
	md_integer(b, f->size * BITS_PER_BYTE, f->is_signed, "none",
		   f->hex ? 16 : 10);
	md_puts(b, " {");
	for (i = 0; i < e->nr_entries; i++) {
		const struct ktrace_enum_entry *ent = &e->entries[i];

		md_puts(b, i ? ", " : " ");
		md_quoted(b, ent->label, SIZE_MAX);
		if (f->is_signed)
			md_printf(b, " = %lld", ent->value);
		else
			md_printf(b, " = %llu", (u64)ent->value);
	}
	md_puts(b, " }");
	return 0;
}

/* One field declaration, "<type> _<name>[<length>]", without the ';'. */
static int md_field(struct md_buf *b, const struct ktrace_field_desc *f)
{
	int ret;

	if (!md_identifier_valid(f->name))
		return -EINVAL;

	switch (f->kind) {
	case KTRACE_FIELD_INTEGER:
		if (!md_int_size_valid(f->size))
			return -EINVAL;
		md_integer(b, f->size * BITS_PER_BYTE, f->is_signed, "none",
			   f->hex ? 16 : 10);
		md_printf(b, " _%s", f->name);
		break;
	case KTRACE_FIELD_ENUM:
		if (!md_int_size_valid(f->size))
			return -EINVAL;
		ret = md_enum(b, f);
		if (ret)
			return ret;
		md_printf(b, " _%s", f->name);
		break;
	case KTRACE_FIELD_ARRAY:
		if (!md_int_size_valid(f->size) || !f->length)
			return -EINVAL;
		md_integer(b, f->size * BITS_PER_BYTE, f->is_signed, "none",
			   f->hex ? 16 : 10);
		md_printf(b, " _%s[%u]", f->name, f->length);
		break;
	case KTRACE_FIELD_ARRAY_TEXT:
		if (!f->length)
			return -EINVAL;
		md_integer(b, BITS_PER_BYTE, false, "UTF8", 10);
		md_printf(b, " _%s[%u]", f->name, f->length);
		break;
	case KTRACE_FIELD_STRING:
		md_printf(b, "string { encoding = UTF8; } _%s", f->name);
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

/* The fields of a struct body, each on its own line at @indent tabs. */
static void md_fields(struct md_buf *b, const struct ktrace_field_desc *f,
		      unsigned int n, unsigned int indent)
{
	unsigned int i;
	int ret;

	for (i = 0; i < n; i++) {
		md_printf(b, "%.*s", indent, "\t\t\t\t");
		ret = md_field(b, &f[i]);
		if (ret) {
			md_fail(b, ret);
			return;
		}
		md_puts(b, ";\n");
	}
}

/**
 * ktrace_metadata_print_field() - the TSDL declaration of one field
 * @f: the field.
 *
 * For tests: the declaration exactly as an event or context block holds
 * it, without indentation or the closing semicolon, e.g.
 * "integer { size = 32; align = 8; signed = 1; encoding = none; base = 10; } _tid".
 *
 * Context: process context, may sleep.
 * Return: a kvmalloc()'d NUL-terminated string the caller kvfree()s;
 * ERR_PTR(-EINVAL) if @f cannot be described (unknown kind, integer size
 * other than 1, 2, 4 or 8 bytes, zero-length array, enumeration without
 * values or with a value out of its integer's range, name that is not an
 * identifier); ERR_PTR(-ENOMEM).
 */
char *ktrace_metadata_print_field(const struct ktrace_field_desc *f)
{
	struct md_buf b;
	int ret;

	md_init(&b);
	ret = md_field(&b, f);
	if (ret)
		md_fail(&b, ret);
	if (b.err) {
		kvfree(b.text);
		return ERR_PTR(b.err);
	}
	return b.text;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_metadata_print_field);

static void md_trace(struct md_buf *b, const struct ktrace_session *s)
{
	md_puts(b,
		"/* CTF 1.8 */\n"
		"\n"
		"typealias integer { size = 8; align = 8; signed = false; } := uint8_t;\n"
		"typealias integer { size = 16; align = 8; signed = false; } := uint16_t;\n"
		"typealias integer { size = 32; align = 8; signed = false; } := uint32_t;\n"
		"typealias integer { size = 64; align = 8; signed = false; } := uint64_t;\n"
		"typealias integer { size = 5; align = 1; signed = false; } := uint5_t;\n"
		"typealias integer { size = 27; align = 1; signed = false; } := uint27_t;\n"
		"\n"
		"trace {\n"
		"\tmajor = 1;\n"
		"\tminor = 8;\n");
	md_printf(b, "\tuuid = \"%pUb\";\n", &s->uuid);
	md_puts(b,
		"\tbyte_order = " MD_BYTE_ORDER ";\n"
		"\tpacket.header := struct {\n"
		"\t\tuint32_t magic;\n"
		"\t\tuint8_t uuid[16];\n"
		"\t\tuint32_t stream_id;\n"
		"\t\tuint64_t stream_instance_id;\n"
		"\t};\n"
		"};\n"
		"\n");
}

static void md_env_string(struct md_buf *b, const char *key, const char *val,
			  size_t max)
{
	md_printf(b, "\t%s = ", key);
	md_quoted(b, val, max);
	md_puts(b, ";\n");
}

/*
 * The kernel's identity is that of the initial UTS namespace: the same
 * whoever asks. Its strings are read without uts_sem (not exported), as
 * every module does; each read is bounded by its array.
 */
static void md_env(struct md_buf *b, const struct ktrace_session *s)
{
	const struct new_utsname *uts = init_utsname();
	struct tm tm;

	time64_to_tm(s->creation_time, 0, &tm);
	md_puts(b, "env {\n");
	md_env_string(b, "domain", "kernel", SIZE_MAX);
	md_env_string(b, "sysname", uts->sysname, sizeof(uts->sysname));
	md_env_string(b, "kernel_release", uts->release, sizeof(uts->release));
	md_env_string(b, "kernel_version", uts->version, sizeof(uts->version));
	md_env_string(b, "hostname", uts->nodename, sizeof(uts->nodename));
	md_env_string(b, "tracer_name", KTRACE_LAYOUT_TRACER_NAME, SIZE_MAX);
	md_printf(b,
		  "\ttracer_major = %d;\n"
		  "\ttracer_minor = %d;\n"
		  "\ttracer_patchlevel = %d;\n",
		  KTRACE_LAYOUT_MAJOR, KTRACE_LAYOUT_MINOR,
		  KTRACE_LAYOUT_PATCHLEVEL);
	md_env_string(b, "ktrace_version", KTRACE_VERSION, SIZE_MAX);
	md_printf(b, "\tktrace_abi = %d;\n", KTRACE_ABI_VERSION);
	md_env_string(b, "trace_name", s->name, sizeof(s->name));
	md_printf(b,
		  "\ttrace_creation_datetime = \"%04ld%02d%02dT%02d%02d%02d+0000\";\n",
		  tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
		  tm.tm_hour, tm.tm_min, tm.tm_sec);
	md_env_string(b, "trace_buffering_scheme", "global", SIZE_MAX);
	md_puts(b, "};\n\n");
}

/*
 * The clock: ktrace's monotonic clock in ns, and its offset from the
 * epoch as whole seconds and remaining ns. An offset below zero (a wall
 * clock set earlier than the uptime, as on a board without an RTC before
 * its first sync) is written as 0: babeltrace 1 rejects a negative
 * offset_s, and such wall-clock times mean nothing anyway.
 */
static void md_clock(struct md_buf *b, const struct ktrace_session *s)
{
	u64 ns = max_t(s64, s->clock_offset_ns, 0);
	u32 rem;
	u64 sec = div_u64_rem(ns, NSEC_PER_SEC, &rem);

	md_puts(b,
		"clock {\n"
		"\tname = \"monotonic\";\n");
	md_printf(b, "\tuuid = \"%pUb\";\n", &s->uuid);
	md_puts(b,
		"\tdescription = \"Monotonic Clock\";\n"
		"\tfreq = 1000000000; /* Frequency, in Hz */\n"
		"\tprecision = 1;\n"
		"\t/* clock value offset from the epoch: offset_s + offset / freq */\n");
	md_printf(b, "\toffset_s = %llu;\n\toffset = %u;\n", sec, rem);
	md_puts(b,
		"\tabsolute = TRUE;\n"
		"};\n"
		"\n"
		"typealias integer {\n"
		"\tsize = 27; align = 1; signed = false;\n"
		"\tmap = clock.monotonic.value;\n"
		"} := uint27_clock_monotonic_t;\n"
		"\n"
		"typealias integer {\n"
		"\tsize = 32; align = 8; signed = false;\n"
		"\tmap = clock.monotonic.value;\n"
		"} := uint32_clock_monotonic_t;\n"
		"\n"
		"typealias integer {\n"
		"\tsize = 64; align = 8; signed = false;\n"
		"\tmap = clock.monotonic.value;\n"
		"} := uint64_clock_monotonic_t;\n"
		"\n");
}

/* struct ktrace_ctf_packet after the header, and the compact header. */
static void md_layouts(struct md_buf *b)
{
	md_puts(b,
		"struct packet_context {\n"
		"\tuint64_clock_monotonic_t timestamp_begin;\n"
		"\tuint64_clock_monotonic_t timestamp_end;\n"
		"\tuint64_t content_size;\n"
		"\tuint64_t packet_size;\n"
		"\tuint64_t packet_seq_num;\n"
		"\tuint64_t events_discarded;\n"
		"\tuint32_t cpu_id;\n"
		"};\n"
		"\n"
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
		"} align(8);\n"
		"\n");
}

static void md_stream(struct md_buf *b, const struct ktrace_channel *c)
{
	unsigned int i;

	md_printf(b,
		  "stream {\n"
		  "\tid = %u;\n"
		  "\tevent.header := struct event_header_compact;\n"
		  "\tpacket.context := struct packet_context;\n",
		  c->id);
	if (c->nr_contexts) {
		md_puts(b, "\tevent.context := struct {\n");
		for (i = 0; i < c->nr_contexts; i++) {
			const struct ktrace_field_desc *f =
				ktrace_context_field(c->contexts[i]);

			if (!f) {
				md_fail(b, -EINVAL);
				return;
			}
			md_fields(b, f, 1, 2);
		}
		md_puts(b, "\t};\n");
	}
	md_puts(b, "};\n\n");
}

static void md_event(struct md_buf *b, const struct ktrace_channel *c,
		     const struct ktrace_event *ev)
{
	const struct ktrace_event_desc *d = ev->desc;

	if (!d->name || (d->nr_fields && !d->fields)) {
		md_fail(b, -EINVAL);
		return;
	}
	md_puts(b, "event {\n\tname = ");
	md_quoted(b, d->name, SIZE_MAX);
	md_printf(b,
		  ";\n"
		  "\tid = %u;\n"
		  "\tstream_id = %u;\n"
		  "\tfields := struct {\n",
		  ev->id, c->id);
	md_fields(b, d->fields, d->nr_fields, 2);
	md_puts(b, "\t};\n};\n\n");
}

/**
 * ktrace_metadata_generate() - the CTF metadata of a session
 * @s: the session; the caller holds a reference.
 * @len: set to the length of the text, without its NUL.
 *
 * Describes the trace as it is now: every channel (a stream class whose
 * id is the channel id) and every event of every channel, enabled or
 * disabled, with the contexts the channel records. The first line is
 * the "CTF 1.8" comment that readers look for.
 *
 * Context: process context, may sleep; takes sessions_lock.
 * Return: a kvmalloc()'d NUL-terminated text the caller kvfree()s;
 * ERR_PTR(-ENOMEM); ERR_PTR(-EINVAL) if an event or context description
 * cannot be expressed in TSDL (a bug in its definition).
 */
char *ktrace_metadata_generate(struct ktrace_session *s, size_t *len)
{
	const struct ktrace_channel *c;
	const struct ktrace_event *ev;
	struct md_buf b;

	md_init(&b);
	md_trace(&b, s);
	md_env(&b, s);
	md_clock(&b, s);
	md_layouts(&b);

	mutex_lock(&sessions_lock);
	list_for_each_entry(c, &s->channels, node) {
		md_stream(&b, c);
		list_for_each_entry(ev, &c->events, chan_node)
			md_event(&b, c, ev);
	}
	mutex_unlock(&sessions_lock);

	if (b.err) {
		kvfree(b.text);
		return ERR_PTR(b.err);
	}
	*len = b.len;
	return b.text;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_metadata_generate);

/* Does the metadata cache of @s lack a declaration? Under sessions_lock. */
static bool md_cache_behind(const struct ktrace_session *s)
{
	const struct ktrace_channel *c;

	if (!s->md_header_done)
		return true;
	list_for_each_entry(c, &s->channels, node)
		if (!c->md_stream_done || c->md_next_event_id != c->next_event_id)
			return true;
	return false;
}

/**
 * ktrace_metadata_sync_locked() - append what the metadata cache lacks
 * @s: the session.
 *
 * The first sync appends the text ktrace_metadata_generate() would give
 * now; later ones append the stream classes of new channels and the
 * declarations of events enabled since, in channel and id order. Text in
 * the cache is never rewritten. A channel's stream class, once appended,
 * fixes its contexts (ktrace_context_add() refuses from then on).
 *
 * Context: process context, may sleep; the caller holds sessions_lock.
 * Return: 0, or -ENOMEM (nothing appended, the next sync tries again),
 * -EINVAL for a description TSDL cannot express.
 */
int ktrace_metadata_sync_locked(struct ktrace_session *s)
{
	struct ktrace_channel *c;
	const struct ktrace_event *ev;
	struct md_buf b;
	int ret;

	lockdep_assert_held(&sessions_lock);
	if (!md_cache_behind(s))
		return 0;
	md_init(&b);
	if (!s->md_header_done) {
		md_trace(&b, s);
		md_env(&b, s);
		md_clock(&b, s);
		md_layouts(&b);
	}
	list_for_each_entry(c, &s->channels, node) {
		if (!c->md_stream_done)
			md_stream(&b, c);
		list_for_each_entry(ev, &c->events, chan_node)
			if (ev->id >= c->md_next_event_id)
				md_event(&b, c, ev);
	}
	ret = b.err;
	if (!ret)
		ret = ktrace_metadata_cache_append(s, b.text, b.len);
	kvfree(b.text);
	if (ret)
		return ret;
	s->md_header_done = true;
	list_for_each_entry(c, &s->channels, node) {
		c->md_stream_done = true;
		c->md_next_event_id = c->next_event_id;
	}
	return 0;
}
