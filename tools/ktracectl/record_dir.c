// SPDX-License-Identifier: GPL-2.0
/*
 * snapshot record's directory work (record_internal.h): make
 * <dest>/<name>-<time>-<n>/kernel/ and the directories above it, write
 * the metadata, and remove all that a failed snapshot made, newest first.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ktracectl.h"
#include "record.h"
#include "record_internal.h"
#include "snapshot_path.h"
#include "splice_io.h"

/* mkdir -p @path, remembering what it made, for undoing. */
static int make_parents(struct rec_snap *sn, const char *path)
{
	char buf[PATH_MAX], **grown;
	struct stat st;
	size_t len, i;

	len = snprintf(buf, sizeof(buf), "%s", path);
	if (len >= sizeof(buf))
		return rec_fail(-ENAMETOOLONG, "path too long: %s", path);
	for (i = 1; i <= len; i++) {
		char c = buf[i];

		/* Each prefix that ends before a slash, and the whole. */
		if ((c != '/' && c != '\0') || buf[i - 1] == '/')
			continue;
		buf[i] = '\0';
		if (!mkdir(buf, 0755)) {
			grown = realloc(sn->made, (sn->nmade + 1) * sizeof(*grown));
			if (grown) {
				sn->made = grown;
				sn->made[sn->nmade] = strdup(buf);
				if (sn->made[sn->nmade])
					sn->nmade++;
			}
		} else if (errno != EEXIST) {
			return rec_fail(-errno, "cannot create directory %s: %s",
				    buf, strerror(errno));
		} else if (stat(buf, &st) || !S_ISDIR(st.st_mode)) {
			return rec_fail(-ENOTDIR, "%s is not a directory", buf);
		}
		buf[i] = c;
	}
	return 0;
}

/* Removes what the snapshot created, newest first. */
void snap_undo(struct rec *r, struct rec_snap *sn)
{
	size_t i;

	if (sn->net) {
		net_end(sn);	/* the receiver drops what it got */
		return;
	}
	if (sn->kfd >= 0) {
		for (i = 0; i < sn->files_made; i++)
			unlinkat(sn->kfd, r->streams[i].file, 0);
		if (sn->metadata_made)
			unlinkat(sn->kfd, "metadata", 0);
	}
	if (sn->kdir_made)
		rmdir(sn->kdir);
	if (sn->dir_made)
		rmdir(sn->dir);
	/* Parents only if empty: another snapshot may be writing there. */
	for (i = sn->nmade; i-- > 0;)
		rmdir(sn->made[i]);
}

/* Creates <dest>/<name>-<time>-<n>/kernel/. */
int snap_dirs(struct rec *r, struct rec_snap *sn)
{
	const char *dest, *why = NULL;
	char *slash;
	int ret;

	if (rec_output_is_net(sn->out))
		return net_snap_begin(r, sn);
	ret = snapshot_path_dest(sn->out->dest, &dest, &why);
	if (!ret)
		ret = snapshot_path_dir(sn->kdir, sizeof(sn->kdir),
					sn->out->dest, sn->out->name, &r->tm,
					r->n, &why);
	if (ret)
		return rec_fail(ret, "output '%s' (%s): %s", sn->out->name,
			    sn->out->dest, why);
	snprintf(sn->dir, sizeof(sn->dir), "%s", sn->kdir);
	slash = strrchr(sn->dir, '/');
	*slash = '\0';

	ret = make_parents(sn, dest);
	if (ret)
		return ret;
	if (mkdir(sn->dir, 0755)) {
		if (errno == EEXIST)
			return rec_fail(-EEXIST, "%s already exists", sn->dir);
		return rec_fail(-errno, "cannot create directory %s: %s", sn->dir,
			    strerror(errno));
	}
	sn->dir_made = true;
	if (mkdir(sn->kdir, 0755))
		return rec_fail(-errno, "cannot create directory %s: %s", sn->kdir,
			    strerror(errno));
	sn->kdir_made = true;
	sn->kfd = open(sn->kdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (sn->kfd < 0)
		return rec_fail(-errno, "%s: %s", sn->kdir, strerror(errno));
	return 0;
}

/* Reads the metadata to its end and writes kernel/metadata. */
int snap_metadata(struct rec *r, struct rec_snap *sn)
{
	struct ktrace_open_metadata open_md = {
		.size = sizeof(open_md),
		.session_id = r->sess.id,
	};
	size_t len = 0, cap = 64 * 1024;
	char *text = malloc(cap + 1), *grown;
	ssize_t got;
	int fd, out, ret;

	if (!text)
		return rec_fail(-ENOMEM, "out of memory");
	fd = ioctl(r->dev, KTRACE_IOC_OPEN_METADATA, &open_md);
	if (fd < 0) {
		ret = rec_fail(-errno, "opening the metadata: %s", strerror(errno));
		goto out_free;
	}
	for (;;) {
		if (len == cap) {
			grown = realloc(text, 2 * cap + 1);
			if (!grown) {
				ret = rec_fail(-ENOMEM, "out of memory");
				goto out_close;
			}
			text = grown;
			cap *= 2;
		}
		got = read(fd, text + len, cap - len);
		if (got < 0 && errno == EINTR && !rec_stop)
			continue;
		if (got < 0) {
			ret = rec_stop ? rec_fail(-EINTR, "interrupted") :
			      rec_fail(-errno, "reading the metadata: %s",
				   strerror(errno));
			goto out_close;
		}
		if (!got)
			break;
		len += got;
	}
	text[len] = '\0';
	sn->have_clock = !record_parse_clock(text, &sn->offset_s,
					     &sn->offset_ns);
	if (sn->net) {
		ret = net_file_open(sn, "metadata");
		if (ret >= 0)
			ret = net_write(sn, text, len);
		if (!ret)
			ret = net_file_close(sn);
		sn->metadata_bytes = len;
		goto out_close;
	}

	out = openat(sn->kfd, "metadata", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
		     0644);
	if (out < 0) {
		ret = rec_fail(-errno, "%s/metadata: %s", sn->kdir, strerror(errno));
		goto out_close;
	}
	sn->metadata_made = true;
	ret = splice_write_all(out, text, len);
	if (close(out) && !ret)
		ret = -errno;
	if (ret)
		rec_fail(ret, "writing %s/metadata: %s", sn->kdir, strerror(-ret));
	sn->metadata_bytes = len;
out_close:
	close(fd);
out_free:
	free(text);
	return ret;
}
