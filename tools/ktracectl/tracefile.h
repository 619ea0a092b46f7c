/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One stream's trace files in a kernel/ directory: <channel>_<cpu>, or
 * <channel>_<cpu>_<k> rotated at a tracefile size and count, each file
 * starting with a whole packet; a writer that follows another (a later
 * consumer, a resumed network stream) goes on after the last whole
 * packet. Shared by the streaming consumer (consumer.c) and ktrace-relayd
 * (a streamed trace, docs/RELAY.md), so that a trace received over the
 * network has the very files a local output gets.
 */
#ifndef KTRACECTL_TRACEFILE_H
#define KTRACECTL_TRACEFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tracefile {
	int kfd;		/* the kernel/ directory (not owned) */
	const char *chan;	/* the channel's name (not owned) */
	unsigned int cpu;
	uint64_t size;		/* the tracefile size, 0: a single file */
	uint32_t count;		/* files kept, 0: all */
	uint64_t k;		/* index of the current file */
	int out;		/* the current file, -1 */
	uint64_t file_bytes;	/* its size: whole packets */
	uint64_t opened;	/* files created or reopened, for limits */
};

/* A closed tracefile of @chan on @cpu in @kfd. */
void tracefile_init(struct tracefile *t, int kfd, const char *chan,
		    unsigned int cpu, uint64_t size, uint32_t count);

/*
 * Opens the first file. With @append (another writer wrote here before),
 * an existing file is cut back to its last whole packet and written after
 * it; a rotating stream starts the file after its newest. Return: 0, or a
 * negative errno with "<file>: <reason>" in @err.
 */
int tracefile_open(struct tracefile *t, bool append, char *err, size_t len);

/*
 * Before a packet of @bytes: with a tracefile size, starts the next file
 * when the packet would take the current one past it (deleting the oldest
 * beyond the count). Return: 0, or a negative errno with @err set.
 */
int tracefile_before_packet(struct tracefile *t, uint64_t bytes, char *err,
			    size_t len);

/*
 * Cuts the current file back to @size bytes (a packet that did not come
 * whole). Return: 0 or a negative errno.
 */
int tracefile_truncate(struct tracefile *t, uint64_t size);

void tracefile_close(struct tracefile *t);

#endif /* KTRACECTL_TRACEFILE_H */
