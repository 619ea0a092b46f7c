// SPDX-License-Identifier: GPL-2.0
/*
 * One stream's trace files (tracefile.h): naming and rotation by
 * consumer_path.c's rules, appending after the last whole packet.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "consumer_path.h"
#include "tracefile.h"

#define NAME_LEN	(64 + 48)

static int fail(char *err, size_t len, int ret, const char *name)
{
	snprintf(err, len, "%s: %s", name, strerror(-ret));
	return ret;
}

void tracefile_init(struct tracefile *t, int kfd, const char *chan,
		    unsigned int cpu, uint64_t size, uint32_t count)
{
	memset(t, 0, sizeof(*t));
	t->kfd = kfd;
	t->chan = chan;
	t->cpu = cpu;
	t->size = size;
	t->count = count;
	t->out = -1;
}

/* Cuts @fd back to its last whole packet; returns its new size. */
static int64_t whole_packets(int fd)
{
	unsigned char hdr[CONSUMER_PACKET_HEADER];
	off_t end = lseek(fd, 0, SEEK_END);
	uint64_t off = 0, size;

	if (end < 0)
		return -errno;
	while ((uint64_t)end - off >= sizeof(hdr)) {
		if (pread(fd, hdr, sizeof(hdr), off) != (ssize_t)sizeof(hdr))
			return -EIO;	/* never cut what could not be read */
		size = consumer_packet_size(hdr, (uint64_t)end - off);
		if (!size)
			break;
		off += size;
	}
	if (off != (uint64_t)end && ftruncate(fd, off))
		return -errno;
	/* Write after the last whole packet, never past a hole. */
	if (lseek(fd, off, SEEK_SET) < 0)
		return -errno;
	return off;
}

/* Opens file k, after its last whole packet when it exists. */
static int open_file(struct tracefile *t, char *err, size_t len)
{
	char name[NAME_LEN];
	int64_t size;
	uint64_t old;
	int ret;

	ret = consumer_tracefile(name, sizeof(name), t->chan, t->cpu,
				 t->size != 0, t->k);
	if (ret)
		return fail(err, len, ret, t->chan);
	/* Read too: an appended file is checked for whole packets first. */
	t->out = openat(t->kfd, name, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
			0644);
	if (t->out < 0)
		return fail(err, len, -errno, name);
	t->opened++;
	size = whole_packets(t->out);
	if (size < 0)
		return fail(err, len, (int)size, name);
	t->file_bytes = size;
	if (t->size && consumer_file_to_delete(t->k, t->count, &old)) {
		consumer_tracefile(name, sizeof(name), t->chan, t->cpu, true,
				   old);
		unlinkat(t->kfd, name, 0);
	}
	return 0;
}

int tracefile_open(struct tracefile *t, bool append, char *err, size_t len)
{
	uint64_t k, max = 0, oldest = UINT64_MAX, j;
	char name[NAME_LEN];
	bool any = false;
	struct dirent *d;
	DIR *dir;
	int fd;

	if (!t->size || !append)
		return open_file(t, err, len);
	fd = openat(t->kfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	dir = fd >= 0 ? fdopendir(fd) : NULL;
	if (!dir) {
		if (fd >= 0)
			close(fd);
		return fail(err, len, -errno, ".");
	}
	while ((d = readdir(dir))) {
		if (!consumer_tracefile_index(d->d_name, t->chan, t->cpu, &k))
			continue;
		any = true;
		if (k > max)
			max = k;
		if (k < oldest)
			oldest = k;
	}
	closedir(dir);
	if (!any)
		return open_file(t, err, len);
	/* The newest file cut to whole packets, then the next one. */
	t->k = max;
	if (open_file(t, err, len))
		return -EIO;
	close(t->out);
	t->out = -1;
	t->k = max + 1;
	/* What a count now keeps: files k - count + 1 .. k. */
	if (t->count)
		for (j = oldest; j + t->count <= t->k; j++) {
			consumer_tracefile(name, sizeof(name), t->chan, t->cpu,
					   true, j);
			unlinkat(t->kfd, name, 0);
		}
	return open_file(t, err, len);
}

int tracefile_before_packet(struct tracefile *t, uint64_t bytes, char *err,
			    size_t len)
{
	if (!t->size || !consumer_rotate_needed(t->file_bytes, bytes, t->size))
		return 0;
	close(t->out);
	t->out = -1;
	t->k++;
	return open_file(t, err, len);
}

int tracefile_truncate(struct tracefile *t, uint64_t size)
{
	if (ftruncate(t->out, size) || lseek(t->out, size, SEEK_SET) < 0)
		return -errno;
	t->file_bytes = size;
	return 0;
}

void tracefile_close(struct tracefile *t)
{
	if (t->out >= 0)
		close(t->out);
	t->out = -1;
}
