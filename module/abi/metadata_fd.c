// SPDX-License-Identifier: GPL-2.0
/*
 * Metadata fds: a session's CTF metadata, as KTRACE_IOC_OPEN_METADATA
 * hands it out ("[ktrace_metadata]", read-only, close-on-exec). The fd
 * reads the session's metadata cache (core/metadata_cache.c), an
 * append-only text, from its own position: read() returns the bytes past
 * it and 0 at the end, never blocking; poll() reports EPOLLIN when the
 * cache has grown past it (enabling events or adding channels appends
 * their declarations), EPOLLHUP at the end once the session is
 * destroyed. pread() and lseek() work within what the cache holds. The
 * fd keeps the cache, not the session.
 */
#include <linux/anon_inodes.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/uio.h>
#include <kunit/visibility.h>

#include "abi/abi_internal.h"
#include "core/metadata.h"
#include "core/session.h"

static ssize_t metadata_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct ktrace_metadata_cache *md = iocb->ki_filp->private_data;
	loff_t pos = iocb->ki_pos;
	size_t n, done, total = 0;
	bool fault = false;
	void *bounce;
	int ret;

	if (pos < 0)
		return -EINVAL;
	if (!iov_iter_count(to))
		return 0;
	/* At the end: append what the session gained since. */
	if (pos >= ktrace_metadata_cache_len(md)) {
		ret = ktrace_metadata_cache_sync(md);
		if (ret)
			return ret;
	}
	/* Copied out under the cache's lock, to user memory without it. */
	bounce = (void *)__get_free_page(GFP_KERNEL);
	if (!bounce)
		return -ENOMEM;
	while (iov_iter_count(to)) {
		n = ktrace_metadata_cache_copy(md, bounce,
					       min_t(size_t, PAGE_SIZE,
						     iov_iter_count(to)),
					       pos);
		if (!n)
			break;
		done = copy_to_iter(bounce, n, to);
		pos += done;
		total += done;
		if (done < n) {
			fault = true;
			break;
		}
	}
	free_page((unsigned long)bounce);
	if (!total && fault)
		return -EFAULT;
	iocb->ki_pos = pos;
	return total;
}

/* Within what the cache holds now; SEEK_END is its end. */
static loff_t metadata_llseek(struct file *file, loff_t offset, int whence)
{
	struct ktrace_metadata_cache *md = file->private_data;

	return fixed_size_llseek(file, offset, whence,
				 ktrace_metadata_cache_len(md));
}

static __poll_t metadata_poll(struct file *file, poll_table *wait)
{
	struct ktrace_metadata_cache *md = file->private_data;
	loff_t pos = READ_ONCE(file->f_pos);

	return ktrace_metadata_cache_poll(md, file, wait, max_t(loff_t, pos, 0));
}

static int metadata_release(struct inode *inode, struct file *file)
{
	ktrace_metadata_cache_put(file->private_data);
	return 0;
}

static const struct file_operations metadata_fops = {
	.owner = THIS_MODULE,
	.read_iter = metadata_read_iter,
	.llseek = metadata_llseek,
	.poll = metadata_poll,
	.release = metadata_release,
};

/**
 * ktrace_abi_metadata_open() - open a metadata file, as
 *	KTRACE_IOC_OPEN_METADATA
 * @req: the request, copied from the caller.
 *
 * The caller installs the file in an fd, or fput()s it.
 *
 * Context: process context, may sleep.
 * Return: the file, or ERR_PTR(-EINVAL) for non-zero flags or reserved
 * fields; ERR_PTR(-ENOENT) if no listed session has the id;
 * ERR_PTR(-ENOMEM); an errno of ktrace_metadata_cache_open().
 */
struct file *ktrace_abi_metadata_open(const struct ktrace_open_metadata *req)
{
	struct ktrace_metadata_cache *md;
	struct ktrace_session *session;
	struct file *file;

	if (req->flags || req->reserved)
		return ERR_PTR(-EINVAL);
	session = ktrace_session_lookup_id(req->session_id);
	if (!session)
		return ERR_PTR(-ENOENT);
	md = ktrace_metadata_cache_open(session);
	ktrace_session_put(session);
	if (IS_ERR(md))
		return ERR_CAST(md);
	file = anon_inode_getfile("[ktrace_metadata]", &metadata_fops, md,
				  O_RDONLY);
	if (IS_ERR(file)) {
		ktrace_metadata_cache_put(md);
		return file;
	}
	/* Anonymous files are not seekable unless told (6.1 and older). */
	file->f_mode |= FMODE_LSEEK | FMODE_PREAD;
	return file;
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_abi_metadata_open);
