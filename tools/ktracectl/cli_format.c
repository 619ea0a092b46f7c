// SPDX-License-Identifier: GPL-2.0
/*
 * The names of the uapi's values, as the command line takes them and as
 * list, list-events and the JSON outputs print them, and the formatting of
 * fields and channels (see cli.h). Pure functions, tested on the host.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "ktracectl.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char *const context_names[] = {
	[KTRACE_CONTEXT_TYPE_PID] = "pid",
	[KTRACE_CONTEXT_TYPE_TID] = "tid",
	[KTRACE_CONTEXT_TYPE_PPID] = "ppid",
	[KTRACE_CONTEXT_TYPE_PROCNAME] = "procname",
	[KTRACE_CONTEXT_TYPE_PRIO] = "prio",
	[KTRACE_CONTEXT_TYPE_VPID] = "vpid",
	[KTRACE_CONTEXT_TYPE_VTID] = "vtid",
	[KTRACE_CONTEXT_TYPE_CPU_ID] = "cpu_id",
	[KTRACE_CONTEXT_TYPE_HOSTNAME] = "hostname",
};

uint32_t cli_context_type(const char *name)
{
	uint32_t t;

	for (t = 1; t < ARRAY_SIZE(context_names); t++)
		if (!strcmp(context_names[t], name))
			return t;
	return 0;
}

const char *cli_context_name(uint32_t type)
{
	if (type && type < ARRAY_SIZE(context_names))
		return context_names[type];
	return "unknown";
}

const char *cli_session_mode_str(uint32_t mode)
{
	switch (mode) {
	case KTRACE_SESSION_MODE_NORMAL:
		return "normal";
	case KTRACE_SESSION_MODE_SNAPSHOT:
		return "snapshot";
	}
	return "unknown";
}

const char *cli_session_state_str(uint32_t state)
{
	switch (state) {
	case KTRACE_SESSION_STATE_NEVER_STARTED:
		return "never-started";
	case KTRACE_SESSION_STATE_ACTIVE:
		return "active";
	case KTRACE_SESSION_STATE_STOPPED:
		return "stopped";
	}
	return "unknown";
}

const char *cli_channel_mode_str(uint32_t mode)
{
	switch (mode) {
	case KTRACE_CHANNEL_DISCARD:
		return "discard";
	case KTRACE_CHANNEL_OVERWRITE:
		return "overwrite";
	}
	return "unknown";
}

const char *cli_channel_output_str(uint32_t output)
{
	switch (output) {
	case KTRACE_CHANNEL_SPLICE:
		return "splice";
	case KTRACE_CHANNEL_MMAP:
		return "mmap";
	}
	return "unknown";
}

const char *cli_field_type_str(uint32_t type)
{
	switch (type) {
	case KTRACE_FIELD_TYPE_INTEGER:
		return "integer";
	case KTRACE_FIELD_TYPE_ENUM:
		return "enum";
	case KTRACE_FIELD_TYPE_ARRAY:
		return "array";
	case KTRACE_FIELD_TYPE_ARRAY_TEXT:
		return "text";
	case KTRACE_FIELD_TYPE_STRING:
		return "string";
	}
	return "unknown";
}

void cli_format_field(char *buf, size_t len, uint32_t type, uint32_t size,
		      int is_signed, uint32_t length)
{
	char sign = is_signed ? 's' : 'u';

	switch (type) {
	case KTRACE_FIELD_TYPE_INTEGER:
		snprintf(buf, len, "%c%u", sign, size * 8);
		break;
	case KTRACE_FIELD_TYPE_ENUM:
		snprintf(buf, len, "enum %c%u", sign, size * 8);
		break;
	case KTRACE_FIELD_TYPE_ARRAY:
		snprintf(buf, len, "%c%u[%u]", sign, size * 8, length);
		break;
	case KTRACE_FIELD_TYPE_ARRAY_TEXT:
		snprintf(buf, len, "char[%u]", length);
		break;
	case KTRACE_FIELD_TYPE_STRING:
		snprintf(buf, len, "string");
		break;
	default:
		snprintf(buf, len, "unknown");
		break;
	}
}

void cli_format_channel(char *buf, size_t len, uint32_t mode,
			uint64_t subbuf_size, uint32_t num_subbuf,
			uint32_t output, uint32_t switch_timer_us)
{
	char size[32], timer[32];

	ktracectl_format_size(subbuf_size, size, sizeof(size));
	if (switch_timer_us)
		snprintf(timer, sizeof(timer), "%u us", switch_timer_us);
	else
		snprintf(timer, sizeof(timer), "off");
	snprintf(buf, len, "%s, %u x %s sub-buffers per CPU, %s output, switch timer %s",
		 cli_channel_mode_str(mode), num_subbuf, size,
		 cli_channel_output_str(output), timer);
}
