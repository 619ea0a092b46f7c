/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Turns the event definitions of probes/events/ into probe functions,
 * field descriptions and the probe table. Included once, by events.c,
 * after the kernel's trace/events headers. Like the kernel's
 * define_trace.h, it reads the definitions several times, each time with
 * KTRACE_EVENT() and the field macros meaning something else:
 *
 *  0. how many variable-length strings each event has;
 *  1. the probe function, and a compile-time check of its prototype
 *     against the tracepoint's (check_trace_callback_type_<tp>());
 *  2. the field descriptions, for the metadata;
 *  3. the table entries.
 *
 * An event definition:
 *
 *   KTRACE_EVENT(event_name, tracepoint_name,
 *	KTRACE_PROTO(the tracepoint's arguments),
 *	KTRACE_FIELDS(
 *		kt_int(pid_t, tid, p->pid)
 *		kt_text(comm, p->comm, TASK_COMM_LEN)
 *	))
 *
 * KTRACE_EVENT_CODE() adds local declarations and statements, run once
 * per call before any field is evaluated; KTRACE_EVENT_INTERNAL() defines
 * an event that ktrace fires itself, with no tracepoint.
 *
 * Field macros; each field is packed right after the previous one:
 *   kt_int(type, name, expr)          integer of @type, shown in decimal
 *   kt_hex(type, name, expr)          same, shown in hexadecimal
 *   kt_enum(type, name, expr, enum)   integer named by the values of the
 *                                     struct ktrace_enum_desc @enum
 *   kt_array(type, name, src, len)    @len integers of @type at @src
 *   kt_text(name, src, len)           @len bytes of text at @src
 *   kt_string(name, src)              NUL-terminated text; NULL is "(null)"
 *
 * The probe function sizes the payload once (strings are measured then),
 * and writes it into every channel the event is enabled in.
 */
#include <linux/compiler.h>
#include <linux/kernel.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/rculist.h>
#include <linux/string.h>

#include "core/record.h"
#include "probes/probes_internal.h"

#define KTRACE_PROTO(...)	__VA_ARGS__
#define KTRACE_FIELDS(...)	__VA_ARGS__
#define KTRACE_LOCALS(...)	__VA_ARGS__
#define KTRACE_CODE(...)	__VA_ARGS__

#define KTRACE_EVENT(name, tp, proto, fields)				\
	KTRACE_EVENT_CODE(name, tp, KTRACE_PROTO(proto),		\
			  KTRACE_LOCALS(), KTRACE_CODE(),		\
			  KTRACE_FIELDS(fields))

/*
 * A string that shrank between sizing and writing is padded with '#'.
 * Returns where the next field goes.
 */
static inline char *ktrace_write_string(char *pos, const char *s, size_t len)
{
	size_t n = strnlen(s, len - 1);

	pos = ktrace_record_write(pos, s, n);
	memset(pos, '#', len - 1 - n);
	pos += len - 1 - n;
	*pos++ = '\0';
	return pos;
}

static inline const char *ktrace_string_or_null(const char *s)
{
	return s ? s : "(null)";
}

/* Pass 0: strings per event. */
#define kt_int(type, name, expr)
#define kt_hex(type, name, expr)
#define kt_enum(type, name, expr, e)
#define kt_array(type, name, src, len)
#define kt_text(name, src, len)
#define kt_string(name, src)		+ 1
#define KTRACE_EVENT_CODE(name, tp, proto, locals, code, fields)	\
	enum { ktrace_strings_##name = 0 fields };
#define KTRACE_EVENT_INTERNAL(name, proto, fields)			\
	KTRACE_EVENT_CODE(name, none, KTRACE_PROTO(proto),		\
			  KTRACE_LOCALS(), KTRACE_CODE(),		\
			  KTRACE_FIELDS(fields))
#include "probes/events/all.h"
#undef kt_int
#undef kt_hex
#undef kt_enum
#undef kt_array
#undef kt_text
#undef kt_string
#undef KTRACE_EVENT_CODE
#undef KTRACE_EVENT_INTERNAL

/*
 * Pass 1: probe functions. Each field is a statement that, while
 * __sizing, adds its size to __payload and otherwise writes its bytes;
 * __sizing is a constant in each expansion, so the compiler keeps only
 * one branch. The record and the string lengths are always written
 * before they are read: __uninitialized spares their zeroing on every
 * call under CONFIG_INIT_STACK_ALL_ZERO, as Debian's kernels build.
 */
#define KT_FIXED(type, expr)						\
	do {								\
		if (__sizing) {						\
			__payload += sizeof(type);			\
		} else {						\
			type __v = (expr);				\
									\
			__pos = ktrace_record_write(__pos, &__v,	\
						    sizeof(__v));	\
		}							\
	} while (0);
#define kt_int(type, name, expr)	KT_FIXED(type, expr)
#define kt_hex(type, name, expr)	KT_FIXED(type, expr)
#define kt_enum(type, name, expr, e)	KT_FIXED(type, expr)
#define kt_array(type, name, src, len)					\
	do {								\
		const type *__a = (src);				\
									\
		if (__sizing)						\
			__payload += sizeof(type) * (len);		\
		else							\
			__pos = ktrace_record_write(__pos, __a,		\
					sizeof(type) * (len));		\
	} while (0);
#define kt_text(name, src, len)						\
	do {								\
		if (__sizing)						\
			__payload += (len);				\
		else							\
			__pos = ktrace_record_write(__pos, (src),	\
						    (len));		\
	} while (0);
#define kt_string(name, src)						\
	do {								\
		const char *__s = ktrace_string_or_null(src);		\
									\
		if (__sizing) {						\
			__strlen[__si] = strlen(__s) + 1;		\
			__payload += __strlen[__si];			\
		} else {						\
			__pos = ktrace_write_string(__pos, __s,		\
						    __strlen[__si]);	\
		}							\
		__si++;							\
	} while (0);

/*
 * The walk of a probe's events must be an RCU-sched reader, which
 * ktrace_probes_synchronize() waits for. Tracepoints used to call probes
 * with preemption disabled; from 6.13 on, the faultable ones (sys_enter,
 * sys_exit) call them preemptible under tasks-trace RCU, and from 7.x on
 * the others under SRCU. So the probe disables preemption around the
 * walk itself, as the kernel's own trace events and perf do for syscalls,
 * which also keeps each record on the CPU that reserved it. PROVE_RCU
 * checks it here, as PROVE_RCU_LIST (which needs RCU_EXPERT) would check
 * the list walk.
 */
static __always_inline void ktrace_probe_walk_check(void)
{
	RCU_LOCKDEP_WARN(!rcu_read_lock_sched_held(),
			 "ktrace probe walks its events outside RCU-sched");
}

#define KTRACE_PROBE_FUNCTION(name, proto, locals, code, fields)	\
static void ktrace_probe_##name(void *__data, proto)			\
{									\
	struct ktrace_probe *__probe = __data;				\
	size_t __strlen[ktrace_strings_##name + 1] __maybe_unused	\
		__uninitialized;					\
	struct ktrace_event *__ev;					\
	struct ktrace_record __r __uninitialized;			\
	char *__pos;							\
	size_t __payload = 0;						\
	unsigned int __si __maybe_unused = 0;				\
	bool __sizing __maybe_unused = true;				\
	locals								\
									\
	this_cpu_inc(*__probe->hits);					\
	if (hlist_empty(&__probe->events))				\
		return;							\
	code								\
	fields								\
	__sizing = false;						\
	preempt_disable_notrace();					\
	ktrace_probe_walk_check();					\
	hlist_for_each_entry_rcu(__ev, &__probe->events, probe_node) {	\
		if (!ktrace_record_begin(__ev, &__r, __payload,	\
					 &__pos))			\
			continue;					\
		__si = 0;						\
		fields							\
		ktrace_record_end(__ev, &__r);				\
	}								\
	preempt_enable_notrace();					\
}

#define KTRACE_EVENT_CODE(name, tp, proto, locals, code, fields)	\
	KTRACE_PROBE_FUNCTION(name, KTRACE_PROTO(proto),		\
			      KTRACE_LOCALS(locals), KTRACE_CODE(code),	\
			      KTRACE_FIELDS(fields))			\
	static inline void ktrace_check_##name(void)			\
	{								\
		check_trace_callback_type_##tp(ktrace_probe_##name);	\
	}
#define KTRACE_EVENT_INTERNAL(name, proto, fields)			\
	KTRACE_PROBE_FUNCTION(name, KTRACE_PROTO(proto),		\
			      KTRACE_LOCALS(), KTRACE_CODE(),		\
			      KTRACE_FIELDS(fields))
#include "probes/events/all.h"
#undef KT_FIXED
#undef kt_int
#undef kt_hex
#undef kt_enum
#undef kt_array
#undef kt_text
#undef kt_string
#undef KTRACE_PROBE_FUNCTION
#undef KTRACE_EVENT_CODE
#undef KTRACE_EVENT_INTERNAL

/* Pass 2: field descriptions. */
#define KT_INTEGER(type, _name, _hex)					\
	{ .name = #_name, .kind = KTRACE_FIELD_INTEGER,			\
	  .size = sizeof(type), .is_signed = is_signed_type(type),	\
	  .hex = (_hex) },
#define kt_int(type, name, expr)	KT_INTEGER(type, name, false)
#define kt_hex(type, name, expr)	KT_INTEGER(type, name, true)
#define kt_enum(type, _name, expr, e)					\
	{ .name = #_name, .kind = KTRACE_FIELD_ENUM,			\
	  .size = sizeof(type), .is_signed = is_signed_type(type),	\
	  .enum_desc = &(e) },
#define kt_array(type, _name, src, len)					\
	{ .name = #_name, .kind = KTRACE_FIELD_ARRAY,			\
	  .size = sizeof(type), .is_signed = is_signed_type(type),	\
	  .length = (len) },
#define kt_text(_name, src, len)					\
	{ .name = #_name, .kind = KTRACE_FIELD_ARRAY_TEXT, .size = 1,	\
	  .length = (len) },
#define kt_string(_name, src)						\
	{ .name = #_name, .kind = KTRACE_FIELD_STRING, .size = 1 },
#define KTRACE_EVENT_CODE(name, tp, proto, locals, code, fields)	\
	static const struct ktrace_field_desc ktrace_fields_##name[] = {	\
		fields							\
	};
#define KTRACE_EVENT_INTERNAL(name, proto, fields)			\
	KTRACE_EVENT_CODE(name, none, KTRACE_PROTO(proto),		\
			  KTRACE_LOCALS(), KTRACE_CODE(),		\
			  KTRACE_FIELDS(fields))
#include "probes/events/all.h"
#undef KT_INTEGER
#undef kt_int
#undef kt_hex
#undef kt_enum
#undef kt_array
#undef kt_text
#undef kt_string
#undef KTRACE_EVENT_CODE
#undef KTRACE_EVENT_INTERNAL

/* Pass 3: the table. */
#define KTRACE_TABLE_ENTRY(_name, _tp)					\
	{								\
		.desc = {						\
			.name = #_name,					\
			.tracepoint = _tp,				\
			.fields = ktrace_fields_##_name,		\
			.nr_fields = ARRAY_SIZE(ktrace_fields_##_name),	\
		},							\
		.func = ktrace_probe_##_name,				\
	},
#define KTRACE_EVENT_CODE(name, tp, proto, locals, code, fields)	\
	KTRACE_TABLE_ENTRY(name, #tp)
#define KTRACE_EVENT_INTERNAL(name, proto, fields)			\
	KTRACE_TABLE_ENTRY(name, NULL)

struct ktrace_probe ktrace_probe_table[] = {
#include "probes/events/all.h"
};
const unsigned int ktrace_probe_table_size = ARRAY_SIZE(ktrace_probe_table);

#undef KTRACE_TABLE_ENTRY
#undef KTRACE_EVENT_CODE
#undef KTRACE_EVENT_INTERNAL
