/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A saved session (ktracectl save / load): its whole configuration, read
 * from and written to a JSON file (docs/man/ktracectl.8, SESSION FILES).
 * Pure: no netlink; save.c and load.c talk to the module.
 */
#ifndef KTRACECTL_SESSION_FILE_H
#define KTRACECTL_SESSION_FILE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <ktrace.h>

#include "cli.h"

/* The format version this ktracectl writes and reads. */
#define SESSION_FILE_VERSION	1

struct sf_event {
	char name[KTRACE_NAME_LEN + 1];
	int enabled;
};

struct sf_channel {
	char name[KTRACE_NAME_LEN + 1];
	uint32_t mode;			/* KTRACE_CHANNEL_DISCARD/OVERWRITE */
	uint64_t subbuf_size;
	uint32_t num_subbuf;
	uint32_t switch_timer_us;
	uint32_t output;		/* KTRACE_CHANNEL_SPLICE/MMAP */
	size_t nr_contexts;
	uint32_t contexts[CLI_CONTEXT_TYPES];	/* KTRACE_CONTEXT_TYPE_* */
	size_t nr_events;
	struct sf_event *events;	/* in event id order */
};

struct sf_output {
	char name[KTRACE_NAME_LEN + 1];
	char dest[KTRACE_DEST_LEN + 1];
	uint64_t max_size;
};

struct session_file {
	char name[KTRACE_NAME_LEN + 1];
	uint32_t mode;			/* KTRACE_SESSION_MODE_* */
	size_t nr_channels;
	struct sf_channel *channels;	/* in channel id order */
	size_t nr_outputs;
	struct sf_output *outputs;
};

/*
 * session_file_parse() - read a saved session
 * @text: the file's contents, NUL-terminated.
 * @sf: filled in (session_file_free() it, also on error).
 * @err: where the reason goes on error, one line: "LINE:COLUMN: ..." for
 *	malformed JSON, else the key's path ("channels[1].num_subbuf: ...").
 * @errlen: size of @err.
 *
 * Every value is checked as the command line checks it; unknown keys and
 * other format versions are refused.
 *
 * Return: 0, or -EINVAL with @err set.
 */
int session_file_parse(const char *text, struct session_file *sf, char *err,
		       size_t errlen);

/* session_file_write() - write @sf as JSON to @f; 0 or -EIO. */
int session_file_write(FILE *f, const struct session_file *sf);

void session_file_free(struct session_file *sf);

#endif /* KTRACECTL_SESSION_FILE_H */
