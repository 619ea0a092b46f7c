/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The names a normal session's trace uses (pure helpers, unit-tested on
 * the host: tests/userspace/host/test_consumer_path.c).
 */
#ifndef KTRACECTL_CONSUMER_PATH_H
#define KTRACECTL_CONSUMER_PATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/**
 * consumer_auto_name() - the name of a session created without one
 * @buf: receives "auto-<YYYYmmdd-HHMMSS>".
 * @len: its size.
 * @tm: the local time of the create.
 *
 * Return: 0, -EINVAL for a @tm out of range, -ENAMETOOLONG if @len is small.
 */
int consumer_auto_name(char *buf, size_t len, const struct tm *tm);

/**
 * consumer_tracefile() - the file name of one stream's trace file
 * @buf: receives "<channel>_<cpu>", or "<channel>_<cpu>_<k>" when the
 *	channel has a tracefile size (rotation).
 * @len: its size.
 * @channel: the channel's name.
 * @cpu: the stream's CPU.
 * @rotating: whether the channel has a tracefile size.
 * @k: the file's index, from 0 (ignored without rotation).
 *
 * Return: 0, -EINVAL for an invalid channel name, -ENAMETOOLONG.
 */
int consumer_tracefile(char *buf, size_t len, const char *channel,
		       unsigned int cpu, bool rotating, uint64_t k);

/**
 * consumer_tracefile_index() - the index of a rotated trace file's name
 * @name: a directory entry.
 * @channel: the channel's name.
 * @cpu: the stream's CPU.
 * @k: receives the index.
 *
 * Return: true when @name is "<channel>_<cpu>_<k>" with k in decimal
 * without leading zeros.
 */
bool consumer_tracefile_index(const char *name, const char *channel,
			      unsigned int cpu, uint64_t *k);

/**
 * consumer_rotate_needed() - whether a packet starts a new trace file
 * @file_bytes: bytes in the current file.
 * @len: the packet's size.
 * @limit: the tracefile size, 0 for none.
 *
 * Return: true when the file holds something and the packet would take it
 * past @limit.
 */
bool consumer_rotate_needed(uint64_t file_bytes, uint64_t len,
			    uint64_t limit);

/**
 * consumer_file_to_delete() - the file a rotation deletes
 * @k: the index of the file just started.
 * @count: the tracefile count, 0 for unlimited.
 * @old: receives the index of the file to delete.
 *
 * Return: true when one must be deleted (@count files are kept).
 */
bool consumer_file_to_delete(uint64_t k, uint32_t count, uint64_t *old);

/* Bytes of the packet header and context (docs/TRACE-FORMAT.md). */
#define CONSUMER_PACKET_HEADER	84

/**
 * consumer_packet_size() - the size of the packet a stream file holds at
 *	some offset
 * @hdr: its first CONSUMER_PACKET_HEADER bytes.
 * @room: the bytes of the file from there on.
 *
 * Used to cut a file that ends in the middle of a packet (a consumer
 * killed while writing it) back to its last whole packet before
 * appending.
 *
 * Return: its packet_size in bytes, or 0 when it is not a whole,
 * well-formed packet (bad magic, a size not in bytes, smaller than the
 * header or past @room).
 */
uint64_t consumer_packet_size(const unsigned char *hdr, uint64_t room);

#endif /* KTRACECTL_CONSUMER_PATH_H */
