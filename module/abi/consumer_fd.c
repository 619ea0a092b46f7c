// SPDX-License-Identifier: GPL-2.0
/*
 * Consumer fds: the attachment of a normal session's consumer, as
 * KTRACE_IOC_OPEN_CONSUMER hands it out ("[ktrace_consumer]", read-only,
 * close-on-exec). One per session: the session knows its consumer's pid
 * and what it reported, until the file is released (its last fd closed,
 * also by the consumer's death), which detaches it. The fd holds a
 * reference on the session. See docs/ABI.md, "Streaming".
 */
#include <linux/anon_inodes.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <kunit/visibility.h>

#include "abi/abi_internal.h"
#include "core/session.h"

static long consumer_set_stats(struct ktrace_session *s,
			       const void __user *uarg)
{
	struct ktrace_consumer_stats st;
	struct ktrace_consumer_report r;
	int ret;

	ret = abi_copy_sized_struct(&st, sizeof(st), uarg,
				    KTRACE_CONSUMER_STATS_SIZE_VER0);
	if (ret)
		return ret;
	r.bytes_written = st.bytes_written;
	r.packets_written = st.packets_written;
	r.synced_stop_seq = st.synced_stop_seq;
	r.error = st.error;
	return ktrace_session_consumer_report(s, &r);
}

/*
 * The ioctls of a consumer fd: 0; -ENOTTY for an unknown command; -EINVAL
 * for a report ktrace_session_consumer_report() refuses or a bad size;
 * -EFAULT.
 */
static long consumer_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	struct ktrace_session *s = file->private_data;
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case KTRACE_CONSUMER_SET_STATS:
		return consumer_set_stats(s, uarg);
	case KTRACE_CONSUMER_GET_STOP_SEQ:
		return put_user(ktrace_session_stop_seq(s), (u64 __user *)uarg) ?
			-EFAULT : 0;
	default:
		return -ENOTTY;
	}
}

static __poll_t consumer_poll(struct file *file, poll_table *wait)
{
	return ktrace_session_consumer_poll(file->private_data, file, wait);
}

static int consumer_release(struct inode *inode, struct file *file)
{
	struct ktrace_session *s = file->private_data;

	ktrace_session_consumer_detach(s);
	ktrace_session_put(s);
	return 0;
}

static const struct file_operations consumer_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = consumer_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.poll = consumer_poll,
	.llseek = noop_llseek,
	.release = consumer_release,
};

/**
 * ktrace_abi_consumer_open() - attach a session's consumer, as
 *	KTRACE_IOC_OPEN_CONSUMER
 * @req: the request, copied from the caller.
 *
 * Records the calling process (its tgid) as the session's consumer. The
 * caller installs the file in an fd, or fput()s it (which detaches).
 *
 * Context: process context, may sleep.
 * Return: the file, or ERR_PTR(-EINVAL) for non-zero flags or reserved
 * fields; ERR_PTR(-ENOENT) if no listed session has the id;
 * ERR_PTR(-EOPNOTSUPP) for a snapshot session; ERR_PTR(-EBUSY) if it has
 * a consumer; ERR_PTR(-ENOMEM) and the errnos of anon_inode_getfile().
 */
struct file *ktrace_abi_consumer_open(const struct ktrace_open_consumer *req)
{
	struct ktrace_session *s;
	struct file *file;
	int ret;

	if (req->flags || req->reserved)
		return ERR_PTR(-EINVAL);
	s = ktrace_session_lookup_id(req->session_id);
	if (!s)
		return ERR_PTR(-ENOENT);
	ret = ktrace_session_consumer_attach(s, task_tgid_nr(current));
	if (ret)
		goto out_put_session;
	file = anon_inode_getfile("[ktrace_consumer]", &consumer_fops, s,
				  O_RDONLY);
	if (IS_ERR(file)) {
		ret = PTR_ERR(file);
		ktrace_session_consumer_detach(s);
		goto out_put_session;
	}
	return file;

out_put_session:
	ktrace_session_put(s);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_abi_consumer_open);
