// SPDX-License-Identifier: GPL-2.0
/*
 * Metadata fds: the CTF metadata text of a session, as
 * KTRACE_IOC_OPEN_METADATA hands it out ("[ktrace_metadata]", read-only,
 * close-on-exec). The text is generated once, at open: it describes the
 * session as it was then (every channel and every event enabled so far),
 * and the fd needs no reference on the session afterwards. read() and
 * pread() serve it; lseek() moves anywhere in it.
 */
#include <linux/anon_inodes.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <kunit/visibility.h>

#include "abi/abi_internal.h"
#include "core/metadata.h"
#include "core/session.h"

struct abi_metadata {
	char *text;
	size_t len;
};

static ssize_t metadata_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct abi_metadata *m = iocb->ki_filp->private_data;
	loff_t pos = iocb->ki_pos;
	size_t n;

	if (pos < 0)
		return -EINVAL;
	if (pos >= m->len || !iov_iter_count(to))
		return 0;
	n = copy_to_iter(m->text + pos, m->len - pos, to);
	if (!n)
		return -EFAULT;
	iocb->ki_pos = pos + n;
	return n;
}

static loff_t metadata_llseek(struct file *file, loff_t offset, int whence)
{
	struct abi_metadata *m = file->private_data;

	return fixed_size_llseek(file, offset, whence, m->len);
}

static int metadata_release(struct inode *inode, struct file *file)
{
	struct abi_metadata *m = file->private_data;

	kvfree(m->text);
	kfree(m);
	return 0;
}

static const struct file_operations metadata_fops = {
	.owner = THIS_MODULE,
	.read_iter = metadata_read_iter,
	.llseek = metadata_llseek,
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
 * ERR_PTR(-ENOMEM); an errno of ktrace_metadata_generate().
 */
struct file *ktrace_abi_metadata_open(const struct ktrace_open_metadata *req)
{
	struct ktrace_session *session;
	struct abi_metadata *m;
	struct file *file;
	int ret;

	if (req->flags || req->reserved)
		return ERR_PTR(-EINVAL);
	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return ERR_PTR(-ENOMEM);
	session = ktrace_session_lookup_id(req->session_id);
	if (!session) {
		ret = -ENOENT;
		goto out_free_metadata;
	}
	m->text = ktrace_metadata_generate(session, &m->len);
	ktrace_session_put(session);
	if (IS_ERR(m->text)) {
		ret = PTR_ERR(m->text);
		goto out_free_metadata;
	}
	file = anon_inode_getfile("[ktrace_metadata]", &metadata_fops, m,
				  O_RDONLY);
	if (IS_ERR(file)) {
		ret = PTR_ERR(file);
		goto out_free_text;
	}
	/* Anonymous files are not seekable unless told (6.1 and older). */
	file->f_mode |= FMODE_LSEEK | FMODE_PREAD;
	return file;

out_free_text:
	kvfree(m->text);
out_free_metadata:
	kfree(m);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_abi_metadata_open);
