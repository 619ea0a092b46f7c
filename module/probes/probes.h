/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktrace events: what each event records (its field descriptions, for the
 * metadata) and the binding of its probe to a kernel tracepoint.
 *
 * Every event is defined once, in module/probes/events/<subsystem>.h; see
 * module/probes/define_events.h for how one definition becomes both the
 * probe function and the description below.
 */
#ifndef _KTRACE_PROBES_H
#define _KTRACE_PROBES_H

#include <linux/types.h>

struct hlist_node;
struct seq_file;

/**
 * enum ktrace_field_kind - the CTF type of a field
 * @KTRACE_FIELD_INTEGER: one integer.
 * @KTRACE_FIELD_ENUM: one integer with named values (@enum_desc).
 * @KTRACE_FIELD_ARRAY: @length integers.
 * @KTRACE_FIELD_ARRAY_TEXT: @length bytes of UTF-8 text, NUL-padded.
 * @KTRACE_FIELD_STRING: NUL-terminated UTF-8 text of any length.
 */
enum ktrace_field_kind {
	KTRACE_FIELD_INTEGER,
	KTRACE_FIELD_ENUM,
	KTRACE_FIELD_ARRAY,
	KTRACE_FIELD_ARRAY_TEXT,
	KTRACE_FIELD_STRING,
};

/**
 * struct ktrace_enum_entry - one named value of an enumeration
 * @label: the name babeltrace prints.
 * @value: the value.
 */
struct ktrace_enum_entry {
	const char *label;
	s64 value;
};

/**
 * struct ktrace_enum_desc - an enumeration
 * @entries: its values.
 * @nr_entries: how many.
 */
struct ktrace_enum_desc {
	const struct ktrace_enum_entry *entries;
	unsigned int nr_entries;
};

/**
 * struct ktrace_field_desc - one field of an event or of a context
 * @name: field name, as LTTng names it (without the leading underscore
 *	that the metadata adds).
 * @kind: its CTF type.
 * @size: bytes of one integer (1, 2, 4 or 8); 1 for text.
 * @is_signed: whether the integers are signed.
 * @hex: whether readers should print the integers in hexadecimal.
 * @length: number of elements of an array, 0 otherwise.
 * @enum_desc: the values of an enumeration, NULL otherwise.
 *
 * Fields are packed: each starts on the byte after the previous one,
 * integers are in the CPU's byte order.
 */
struct ktrace_field_desc {
	const char *name;
	enum ktrace_field_kind kind;
	u8 size;
	bool is_signed;
	bool hex;
	unsigned int length;
	const struct ktrace_enum_desc *enum_desc;
};

/**
 * struct ktrace_event_desc - an event, as the metadata describes it
 * @name: the event name.
 * @tracepoint: the kernel tracepoint it is attached to; NULL for an event
 *	that ktrace fires itself (ktrace_test).
 * @fields: its payload fields, in record order.
 * @nr_fields: how many.
 */
struct ktrace_event_desc {
	const char *name;
	const char *tracepoint;
	const struct ktrace_field_desc *fields;
	unsigned int nr_fields;
};

int ktrace_probes_init(void);
void ktrace_probes_exit(void);

unsigned int ktrace_probes_count(void);
const struct ktrace_event_desc *ktrace_probes_desc(unsigned int index);
const struct ktrace_event_desc *ktrace_probes_find(const char *name);
bool ktrace_probes_available(const struct ktrace_event_desc *desc);
bool ktrace_probes_is_syscall(const struct ktrace_event_desc *desc);
u64 ktrace_probes_hits(const struct ktrace_event_desc *desc);

int ktrace_probes_link(const struct ktrace_event_desc *desc,
		       struct hlist_node *node);
void ktrace_probes_unlink(struct hlist_node *node);
int ktrace_probes_get(const struct ktrace_event_desc *desc);
void ktrace_probes_put(const struct ktrace_event_desc *desc);
void ktrace_probes_synchronize(void);

int ktrace_probes_fire_test(u64 seq, u32 count, u64 payload);
int ktrace_probes_fire_test_faultable(u64 seq, u32 count, u64 payload);

/**
 * struct ktrace_statedump_stats - what a statedump walked
 * @tasks: threads recorded.
 * @fds: open files recorded.
 */
struct ktrace_statedump_stats {
	u64 tasks;
	u64 fds;
};

int ktrace_probes_statedump(struct ktrace_statedump_stats *stats);
void ktrace_probes_show(struct seq_file *m);

#endif /* _KTRACE_PROBES_H */
