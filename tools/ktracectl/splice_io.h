/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Moving a held packet from a stream fd to a file: splice stream fd ->
 * pipe -> file, with a read/write copy when the file system cannot take
 * splice. Shared by the snapshot writer (record_stream.c) and the
 * streaming consumer (consumer.c).
 */
#ifndef KTRACECTL_SPLICE_IO_H
#define KTRACECTL_SPLICE_IO_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

/* Which side of a copy failed. */
enum splice_side {
	SPLICE_SIDE_READ,	/* the stream fd */
	SPLICE_SIDE_WRITE,	/* the file */
};

/**
 * splice_packet_to() - copy the held packet of a stream fd to a file
 * @from: the stream fd, holding a packet (its position at 0).
 * @pipe_fds: a pipe, empty.
 * @pipe_size: its capacity.
 * @out: the file, written at its offset.
 * @len: the bytes to copy (GET_PADDED_SUBBUF_SIZE).
 * @stop: when set (by a signal), EINTR ends the copy; may be NULL.
 * @side: receives the failing side on error.
 *
 * On a write error the pipe may still hold bytes: drain or replace it
 * before the next get (the kernel refuses a get while they are there).
 *
 * Return: 0, -EIO when the packet ended early, or a negative errno.
 */
int splice_packet_to(int from, const int pipe_fds[2], size_t pipe_size,
		     int out, uint64_t len, volatile sig_atomic_t *stop,
		     enum splice_side *side);

/* write() all of @buf, retrying on EINTR: 0 or a negative errno. */
int splice_write_all(int fd, const char *buf, size_t len);

#endif /* KTRACECTL_SPLICE_IO_H */
