// SPDX-License-Identifier: GPL-2.0
/*
 * Stream fds: one reader of one channel's buffer on one CPU, as
 * KTRACE_IOC_OPEN_STREAM hands it out ("[ktrace_stream]", read-only,
 * close-on-exec). The fd carries the LTTng-style reader ioctls, a
 * read-only mmap of the buffer, a non-destructive splice_read of the held
 * packet and poll. See docs/ABI.md for the contract.
 *
 * Lifetime. A stream holds a reference on its session, so its buffers
 * outlive the session's destruction: a reader can still get what was
 * recorded, and the module cannot be unloaded while the file is open
 * (.owner). Pipe buffers made by splice hold a reference on the file, so
 * the stream and its pages stay until the pipe is drained.
 *
 * Splice references the pages of the reader's copy of the held packet
 * (the ring buffer copies a packet into a per-buffer spare on get): it
 * never steals a page and never touches the ring, so a later get of the
 * same position finds the same bytes. The copy is only rewritten by the
 * next get, which fails with -EBUSY while pipe buffers of this stream
 * are still in a pipe: bytes in a pipe never change under its reader.
 *
 * A CPU without a buffer (possible, but not online since the channel was
 * made: see ktrace_rb_buf()) has an empty stream: @buf is NULL, every
 * sample is empty, gets fail with -ENODATA as on a finalized buffer, poll
 * reports EPOLLHUP, and its mmap area is one zeroed page of its own, so
 * that readers which map every stream need no special case. Its events,
 * if the CPU comes online later, go to a new buffer that a new stream fd
 * reads.
 *
 * Locking. @lock serialises the ioctls and splice_read, the ring
 * buffer's reader calls being single-reader. Lock order: pipe->mutex (held
 * by splice around ->splice_read) -> stream lock -> mmap_lock (faults in
 * copy_to_user). mmap runs under mmap_lock and so takes no stream lock:
 * it maps pages that never change for the life of the buffer. Poll
 * takes no lock either.
 */
#include <linux/anon_inodes.h>
#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pipe_fs_i.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/splice.h>
#include <linux/uaccess.h>
#include <kunit/visibility.h>

#include "abi/abi_internal.h"
#include "core/session.h"
#include "ringbuffer/ringbuffer.h"
#include "snapshot/snapshot.h"

struct abi_stream {
	/* Serialises ioctls and splice_read: the buffer has one reader. */
	struct mutex lock;
	struct ktrace_session *session;
	struct ktrace_rb_chan *chan;
	/* NULL: the CPU had no buffer when the stream was opened. */
	struct ktrace_rb_buf *buf;
	/* The mmap area when @buf is NULL. */
	struct page *empty_page;
	unsigned int cpu;
	/* The last KTRACE_STREAM_SNAPSHOT, if any. */
	bool sampled;
	unsigned long consumed;
	unsigned long produced;
	/* Pipe buffers that reference the held packet's pages. */
	atomic_t pipe_bufs;
};

/* A packet is copied up to the page after its content, as in LTTng. */
static u64 stream_padded_size(const struct ktrace_rb_packet_info *info)
{
	return PAGE_ALIGN((u64)info->content_size);
}

static long stream_put_u64(u64 v, void __user *uarg)
{
	return put_user(v, (u64 __user *)uarg) ? -EFAULT : 0;
}

/* Gets rewrite the reader's copy: not while a pipe references it. */
static int stream_get_subbuf(struct file *file, struct abi_stream *s,
			     const void __user *uarg, bool next)
{
	unsigned long pos;
	u64 upos;
	int ret;

	if (!next && get_user(upos, (const u64 __user *)uarg))
		return -EFAULT;
	if (atomic_read(&s->pipe_bufs))
		return -EBUSY;
	if (!s->buf)
		return -ENODATA;
	if (next) {
		ret = ktrace_rb_get_next_subbuf(s->buf, &pos);
	} else {
		/* A position this kernel cannot have produced. */
		if (upos > ULONG_MAX)
			return -EINVAL;
		ret = ktrace_rb_get_subbuf(s->buf, upos);
	}
	if (ret)
		return ret;
	/* splice(fd, NULL, ...) reads the new packet from its start. */
	file->f_pos = 0;
	return 0;
}

static long stream_get_held_u64(struct abi_stream *s, unsigned int cmd,
				void __user *uarg)
{
	struct ktrace_rb_packet_info info;
	u64 v;
	int ret;

	if (!s->buf)
		return -ENODATA;
	ret = ktrace_rb_held_packet_info(s->buf, &info);
	if (ret)
		return ret;
	switch (cmd) {
	case KTRACE_STREAM_GET_SUBBUF_SIZE:
		v = info.content_size;
		break;
	case KTRACE_STREAM_GET_PADDED_SUBBUF_SIZE:
		v = stream_padded_size(&info);
		break;
	default: /* KTRACE_STREAM_GET_MMAP_READ_OFFSET */
		v = ktrace_rb_held_mmap_offset(s->buf);
		break;
	}
	return stream_put_u64(v, uarg);
}

static long stream_get_packet_info(struct abi_stream *s,
				   struct ktrace_packet_info __user *uarg)
{
	struct ktrace_rb_packet_info info;
	struct ktrace_packet_info out;
	u32 usize;
	int ret;

	/* Every field but size is written: a larger struct is fine. */
	if (get_user(usize, &uarg->size))
		return -EFAULT;
	if (usize < KTRACE_PACKET_INFO_SIZE_VER0)
		return -EINVAL;
	if (!s->buf)
		return -ENODATA;
	ret = ktrace_rb_held_packet_info(s->buf, &info);
	if (ret)
		return ret;
	out = (struct ktrace_packet_info) {
		.size = sizeof(out),
		.cpu = s->cpu,
		.timestamp_begin = info.ts_begin,
		.timestamp_end = info.ts_end,
		.seq = info.seq,
		.events_discarded = info.events_discarded,
		.content_size = info.content_size,
		.packet_size = stream_padded_size(&info),
	};
	if (copy_to_user(uarg, &out, min_t(u32, usize, sizeof(out))))
		return -EFAULT;
	return 0;
}

static long stream_packet_index(struct abi_stream *s,
				struct ktrace_packet_index __user *uarg)
{
	struct ktrace_packet_index_entry __user *entries;
	struct ktrace_snapshot_packet *pkts;
	struct ktrace_packet_index req;
	long len, n, i;
	int ret;

	ret = abi_copy_sized_struct(&req, sizeof(req), uarg,
				    KTRACE_PACKET_INDEX_SIZE_VER0);
	if (ret)
		return ret;
	if (req.flags || req.reserved)
		return -EINVAL;
	if (!s->sampled)
		return -ENODATA;
	len = ktrace_snapshot_range_len(s->chan, s->consumed, s->produced);
	if (len < 0)
		return len;
	/* Room for every packet of the range, readable or not. */
	if (req.count < len) {
		if (put_user((u32)len, &uarg->count))
			return -EFAULT;
		return -E2BIG;
	}
	if (!len)
		return put_user(0U, &uarg->count) ? -EFAULT : 0;

	pkts = kvmalloc_array(len, sizeof(*pkts), GFP_KERNEL);
	if (!pkts)
		return -ENOMEM;
	n = ktrace_snapshot_packet_index(s->chan, s->cpu, s->consumed,
					 s->produced, pkts, len);
	entries = u64_to_user_ptr(req.entries);
	for (i = 0; i < n; i++) {
		struct ktrace_packet_index_entry e = {
			.pos = pkts[i].pos,
			.timestamp_begin = pkts[i].info.ts_begin,
			.timestamp_end = pkts[i].info.ts_end,
			.seq = pkts[i].info.seq,
			.content_size = pkts[i].info.content_size,
			.packet_size = stream_padded_size(&pkts[i].info),
		};

		if (copy_to_user(&entries[i], &e, sizeof(e))) {
			ret = -EFAULT;
			goto out_free;
		}
	}
	if (put_user((u32)n, &uarg->count))
		ret = -EFAULT;
out_free:
	kvfree(pkts);
	return ret;
}

/* The mmap area: the buffer's (ring, then spare), or an empty stream's. */
static unsigned long stream_mmap_pages(const struct abi_stream *s)
{
	return s->buf ? ktrace_rb_mmap_size(s->buf) >> PAGE_SHIFT : 1;
}

static struct page *stream_mmap_page(struct abi_stream *s, unsigned long pgoff)
{
	return s->buf ? ktrace_rb_mmap_page(s->buf, pgoff) : s->empty_page;
}

static long stream_ioctl(struct file *file, unsigned int cmd,
			 unsigned long arg)
{
	struct abi_stream *s = file->private_data;
	void __user *uarg = (void __user *)arg;
	long ret;

	mutex_lock(&s->lock);
	switch (cmd) {
	case KTRACE_STREAM_SNAPSHOT:
		if (s->buf)
			ktrace_rb_snapshot(s->buf, &s->consumed, &s->produced);
		else
			s->consumed = 0, s->produced = 0;
		s->sampled = true;
		ret = 0;
		break;
	case KTRACE_STREAM_SNAPSHOT_GET_CONSUMED:
		ret = s->sampled ? stream_put_u64(s->consumed, uarg) : -ENODATA;
		break;
	case KTRACE_STREAM_SNAPSHOT_GET_PRODUCED:
		ret = s->sampled ? stream_put_u64(s->produced, uarg) : -ENODATA;
		break;
	case KTRACE_STREAM_GET_SUBBUF:
		ret = stream_get_subbuf(file, s, uarg, false);
		break;
	case KTRACE_STREAM_PUT_SUBBUF:
		ret = s->buf ? ktrace_rb_put_subbuf(s->buf) : -EINVAL;
		break;
	case KTRACE_STREAM_GET_NEXT_SUBBUF:
		ret = stream_get_subbuf(file, s, uarg, true);
		break;
	case KTRACE_STREAM_PUT_NEXT_SUBBUF:
		ret = s->buf ? ktrace_rb_put_next_subbuf(s->buf) : -EINVAL;
		break;
	case KTRACE_STREAM_GET_SUBBUF_SIZE:
	case KTRACE_STREAM_GET_PADDED_SUBBUF_SIZE:
	case KTRACE_STREAM_GET_MMAP_READ_OFFSET:
		ret = stream_get_held_u64(s, cmd, uarg);
		break;
	case KTRACE_STREAM_GET_MAX_SUBBUF_SIZE:
		ret = stream_put_u64(ktrace_rb_subbuf_size(s->chan), uarg);
		break;
	case KTRACE_STREAM_GET_MMAP_LEN:
		ret = stream_put_u64(stream_mmap_pages(s) << PAGE_SHIFT, uarg);
		break;
	case KTRACE_STREAM_FLUSH:
	case KTRACE_STREAM_FLUSH_EMPTY:
		if (s->buf)
			ktrace_rb_flush(s->buf, cmd == KTRACE_STREAM_FLUSH_EMPTY);
		ret = 0;
		break;
	case KTRACE_STREAM_GET_PACKET_INFO:
		ret = stream_get_packet_info(s, uarg);
		break;
	case KTRACE_STREAM_PACKET_INDEX:
		ret = stream_packet_index(s, uarg);
		break;
	default:
		ret = -ENOTTY;
		break;
	}
	mutex_unlock(&s->lock);
	return ret;
}

/*
 * Pipe buffers: a reference on the page and on the stream's file, and a
 * count in the stream, per buffer. The file reference keeps the stream,
 * the module (whose code these ops are) and the session alive; its last
 * fput() is deferred, so the module is never put from its own code.
 */
static void stream_pipe_ref(struct file *file)
{
	struct abi_stream *s = file->private_data;

	get_file(file);
	atomic_inc(&s->pipe_bufs);
}

static void stream_pipe_buf_release(struct pipe_inode_info *pipe,
				    struct pipe_buffer *buf)
{
	struct file *file = (struct file *)buf->private;
	struct abi_stream *s = file->private_data;

	atomic_dec(&s->pipe_bufs);
	put_page(buf->page);
	fput(file);
}

/* tee(2) duplicates a buffer. */
static bool stream_pipe_buf_get(struct pipe_inode_info *pipe,
				struct pipe_buffer *buf)
{
	if (!try_get_page(buf->page))
		return false;
	stream_pipe_ref((struct file *)buf->private);
	return true;
}

/* No ->try_steal: the pages stay the buffer's. */
static const struct pipe_buf_operations stream_pipe_buf_ops = {
	.release = stream_pipe_buf_release,
	.get = stream_pipe_buf_get,
};

/*
 * Splice the held packet, from offset *ppos in the packet up to its padded
 * size (the page after its content). get_subbuf resets the file position
 * to 0, so splice(fd, NULL, ...) reads each packet from its start; an
 * explicit offset (splice(fd, &off, ...)) is an offset in the held packet.
 */
static ssize_t stream_splice_read(struct file *file, loff_t *ppos,
				  struct pipe_inode_info *pipe, size_t len,
				  unsigned int flags)
{
	struct abi_stream *s = file->private_data;
	struct ktrace_rb_packet_info info;
	ssize_t ret, spliced = 0;
	u64 end, off = *ppos;

	mutex_lock(&s->lock);
	ret = s->buf ? ktrace_rb_held_packet_info(s->buf, &info) : -ENODATA;
	if (ret)
		goto out_unlock;
	end = stream_padded_size(&info);
	if (*ppos < 0 || off >= end)
		goto out_unlock;
	len = min_t(u64, len, end - off);
	while (len) {
		struct pipe_buffer pbuf = {
			.page = ktrace_rb_held_page(s->buf, off),
			.offset = offset_in_page(off),
			.len = min_t(size_t, len, PAGE_SIZE - offset_in_page(off)),
			.ops = &stream_pipe_buf_ops,
			.private = (unsigned long)file,
		};

		get_page(pbuf.page);
		stream_pipe_ref(file);
		/* Releases the buffer (our references) if the pipe is full. */
		ret = add_to_pipe(pipe, &pbuf);
		if (ret < 0)
			break;
		spliced += ret;
		off += ret;
		len -= ret;
	}
	*ppos = off;
	if (spliced)
		ret = spliced;
out_unlock:
	mutex_unlock(&s->lock);
	return ret;
}

/* Not anonymous: a page zapped by MADV_DONTNEED gives SIGBUS, no zero page. */
static const struct vm_operations_struct stream_vm_ops = {};

static void stream_vm_flags_mod(struct vm_area_struct *vma, vm_flags_t set,
				vm_flags_t clear)
{
#ifdef KTRACE_HAVE_VM_FLAGS_MOD
	vm_flags_mod(vma, set, clear);
#else
	vma->vm_flags = (vma->vm_flags | set) & ~clear;
#endif
}

/*
 * Read-only shared mapping of the buffer's mmap area (the ring, then the
 * reader's copy of the held packet), pages inserted at mmap time as the
 * kernel's trace ring buffer does. They never change for the buffer's
 * life, so no lock is needed.
 */
static int stream_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct abi_stream *s = file->private_data;
	unsigned long area = stream_mmap_pages(s);
	unsigned long pgoff = vma->vm_pgoff, n = vma_pages(vma), i;
	int ret;

	if ((vma->vm_flags & (VM_WRITE | VM_EXEC)) ||
	    !(vma->vm_flags & VM_MAYSHARE))
		return -EPERM;
	if (pgoff >= area || n > area - pgoff)
		return -EINVAL;
	/* Never writable nor executable later; not in core dumps. */
	stream_vm_flags_mod(vma, VM_DONTEXPAND | VM_DONTDUMP,
			    VM_MAYWRITE | VM_MAYEXEC);
	vma->vm_ops = &stream_vm_ops;
	for (i = 0; i < n; i++) {
		ret = vm_insert_page(vma, vma->vm_start + (i << PAGE_SHIFT),
				     stream_mmap_page(s, pgoff + i));
		if (ret)
			return ret;
	}
	return 0;
}

static __poll_t stream_poll(struct file *file, poll_table *wait)
{
	struct abi_stream *s = file->private_data;

	if (!s->buf)
		return EPOLLHUP;
	return ktrace_rb_poll(s->buf, file, wait);
}

/* Positions are offsets in the held packet (see stream_splice_read()). */
static loff_t stream_llseek(struct file *file, loff_t offset, int whence)
{
	struct abi_stream *s = file->private_data;

	return no_seek_end_llseek_size(file, offset, whence,
				       ktrace_rb_subbuf_size(s->chan));
}

static int stream_release(struct inode *inode, struct file *file)
{
	struct abi_stream *s = file->private_data;

	/* Puts the held packet, if any, without consuming it. */
	if (s->buf)
		ktrace_rb_reader_close(s->buf);
	/* Mappings hold their own reference on it. */
	if (s->empty_page)
		__free_page(s->empty_page);
	ktrace_session_put(s->session);
	mutex_destroy(&s->lock);
	kfree(s);
	return 0;
}

static const struct file_operations stream_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = stream_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.splice_read = stream_splice_read,
	.mmap = stream_mmap,
	.poll = stream_poll,
	.llseek = stream_llseek,
	.release = stream_release,
};

/**
 * ktrace_abi_stream_open() - open a stream file, as KTRACE_IOC_OPEN_STREAM
 * @req: the request, copied from the caller.
 *
 * The file reads one buffer of a channel; it claims the buffer (one
 * reader at a time) and holds a reference on the session. The caller
 * installs it in an fd, or fput()s it.
 *
 * Context: process context, may sleep.
 * Return: the file, or ERR_PTR(-EINVAL) for non-zero flags or reserved
 * fields or a CPU that is not possible; ERR_PTR(-ENOENT) if no listed
 * session or no channel of it has the id; ERR_PTR(-EBUSY) if the buffer
 * already has a reader; ERR_PTR(-ENOMEM).
 */
struct file *ktrace_abi_stream_open(const struct ktrace_open_stream *req)
{
	struct ktrace_channel *c;
	struct abi_stream *s;
	struct file *file;
	int ret;

	if (req->flags || req->reserved)
		return ERR_PTR(-EINVAL);
	if (req->cpu >= nr_cpu_ids || !cpu_possible(req->cpu))
		return ERR_PTR(-EINVAL);
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return ERR_PTR(-ENOMEM);
	mutex_init(&s->lock);
	atomic_set(&s->pipe_bufs, 0);
	s->cpu = req->cpu;
	s->session = ktrace_session_lookup_id(req->session_id);
	if (!s->session) {
		ret = -ENOENT;
		goto out_free_stream;
	}
	c = ktrace_channel_lookup_id(s->session, req->channel_id);
	if (!c) {
		ret = -ENOENT;
		goto out_put_session;
	}
	s->chan = ktrace_channel_rb(c);
	s->buf = ktrace_rb_buf(s->chan, s->cpu);
	if (s->buf) {
		ret = ktrace_rb_reader_open(s->buf);
		if (ret)
			goto out_put_session;
	} else {
		/* An empty stream: no reader to claim, a page to map. */
		s->empty_page = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!s->empty_page) {
			ret = -ENOMEM;
			goto out_put_session;
		}
	}
	file = anon_inode_getfile("[ktrace_stream]", &stream_fops, s, O_RDONLY);
	if (IS_ERR(file)) {
		ret = PTR_ERR(file);
		goto out_close_reader;
	}
	/* Offsets in the held packet, for splice with an offset and sendfile. */
	file->f_mode |= FMODE_LSEEK | FMODE_PREAD;
	return file;

out_close_reader:
	if (s->buf)
		ktrace_rb_reader_close(s->buf);
	if (s->empty_page)
		__free_page(s->empty_page);
out_put_session:
	ktrace_session_put(s->session);
out_free_stream:
	mutex_destroy(&s->lock);
	kfree(s);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_abi_stream_open);
