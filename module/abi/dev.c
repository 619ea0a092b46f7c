// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/ktrace: the misc device through which clients discover the module's
 * ABI and open stream, metadata and consumer fds. Opening it needs the node's
 * permission (root only, mode 0600) and CAP_PERFMON or CAP_SYS_ADMIN, as
 * perf_event_open() and the netlink family do: a uid-0 process that
 * dropped its capabilities is refused. An open /dev/ktrace fd is what
 * lets a process open streams; it may be passed to a less privileged
 * reader, the documented way to delegate. Every ioctl checks its argument
 * in full: unknown commands get
 * -ENOTTY, bad sizes, unknown flags and non-zero reserved fields -EINVAL,
 * bad pointers -EFAULT.
 */
#include <linux/capability.h>
#include <linux/err.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/uaccess.h>
#include <kunit/visibility.h>

#include "abi.h"
#include "abi/abi_internal.h"
#include "uapi/ktrace.h"

/* Features that other parts of module/abi add: see abi_features_add(). */
static u64 abi_features;

/* Always there. */
#define ABI_FEATURES	(KTRACE_FEATURE_PROBE_STATS | KTRACE_FEATURE_PACKET_INDEX | \
			 KTRACE_FEATURE_STREAMING)
#define ABI_IOCTLS	(BIT_ULL(KTRACE_IOC_NR_API) |			\
			 BIT_ULL(KTRACE_IOC_NR_OPEN_STREAM) |		\
			 BIT_ULL(KTRACE_IOC_NR_OPEN_METADATA) |		\
			 BIT_ULL(KTRACE_IOC_NR_OPEN_CONSUMER))

/**
 * abi_copy_sized_struct() - copy in a uapi struct that starts with its size
 * @dst: the kernel's struct, zeroed past what the caller's struct holds.
 * @ksize: sizeof(*@dst).
 * @uarg: the caller's struct; its first __u32 is its size.
 * @min_size: the size of the struct's first version.
 *
 * A caller built against an older header passes a smaller struct (the
 * missing fields read as zero); one built against a newer header a larger
 * one, accepted if every byte the kernel does not know is zero.
 *
 * Context: process context, may fault.
 * Return: 0; -EFAULT for a bad pointer; -EINVAL if the size is below
 * @min_size or unknown trailing bytes are non-zero.
 */
int abi_copy_sized_struct(void *dst, size_t ksize, const void __user *uarg,
			  size_t min_size)
{
	u32 usize;
	int ret;

	if (get_user(usize, (const u32 __user *)uarg))
		return -EFAULT;
	if (usize < min_size)
		return -EINVAL;
	ret = copy_struct_from_user(dst, ksize, uarg, usize);
	/* -E2BIG: the caller asks for something this module does not know. */
	return ret == -E2BIG ? -EINVAL : ret;
}

/**
 * abi_features_add() - report more KTRACE_FEATURE_* bits in KTRACE_IOC_API
 * @features: the bits, e.g. KTRACE_FEATURE_GENL once the generic netlink
 *	family is registered.
 *
 * Context: any; meant for module init.
 */
void abi_features_add(u64 features)
{
	WRITE_ONCE(abi_features, READ_ONCE(abi_features) | features);
}

static long abi_ioctl_api(struct ktrace_api __user *uarg)
{
	struct ktrace_api api;
	u32 usize;
	int ret;

	ret = abi_copy_sized_struct(&api, sizeof(api), uarg,
				    KTRACE_API_SIZE_VER0);
	if (ret)
		return ret;
	if (api.reserved)
		return -EINVAL;

	usize = api.size;
	api.size = sizeof(api);
	api.abi_version = KTRACE_ABI_VERSION;
	api.features = ABI_FEATURES | READ_ONCE(abi_features);
	api.ioctls = ABI_IOCTLS;
	if (copy_to_user(uarg, &api, min_t(u32, usize, sizeof(api))))
		return -EFAULT;
	return 0;
}

/* get_unused_fd_flags(), then the file, then fd_install() last. */
static long abi_ioctl_open_stream(const void __user *uarg)
{
	struct ktrace_open_stream req;
	struct file *file;
	int fd, ret;

	ret = abi_copy_sized_struct(&req, sizeof(req), uarg,
				    KTRACE_OPEN_STREAM_SIZE_VER0);
	if (ret)
		return ret;
	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0)
		return fd;
	file = ktrace_abi_stream_open(&req);
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		return PTR_ERR(file);
	}
	fd_install(fd, file);
	return fd;
}

static long abi_ioctl_open_metadata(const void __user *uarg)
{
	struct ktrace_open_metadata req;
	struct file *file;
	int fd, ret;

	ret = abi_copy_sized_struct(&req, sizeof(req), uarg,
				    KTRACE_OPEN_METADATA_SIZE_VER0);
	if (ret)
		return ret;
	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0)
		return fd;
	file = ktrace_abi_metadata_open(&req);
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		return PTR_ERR(file);
	}
	fd_install(fd, file);
	return fd;
}

static long abi_ioctl_open_consumer(const void __user *uarg)
{
	struct ktrace_open_consumer req;
	struct file *file;
	int fd, ret;

	ret = abi_copy_sized_struct(&req, sizeof(req), uarg,
				    KTRACE_OPEN_CONSUMER_SIZE_VER0);
	if (ret)
		return ret;
	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0)
		return fd;
	file = ktrace_abi_consumer_open(&req);
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		return PTR_ERR(file);
	}
	fd_install(fd, file);
	return fd;
}

/**
 * ktrace_abi_dev_ioctl() - the ioctls of /dev/ktrace
 * @file: the open device (unused: every ioctl is stateless).
 * @cmd: KTRACE_IOC_*.
 * @arg: the user pointer to the command's struct.
 *
 * Context: process context, may sleep.
 * Return: 0, or a new fd for the OPEN commands; -ENOTTY for an unknown
 * command; the command's errno (see docs/ABI.md).
 */
VISIBLE_IF_KUNIT long ktrace_abi_dev_ioctl(struct file *file, unsigned int cmd,
					   unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case KTRACE_IOC_API:
		return abi_ioctl_api(uarg);
	case KTRACE_IOC_OPEN_STREAM:
		return abi_ioctl_open_stream(uarg);
	case KTRACE_IOC_OPEN_METADATA:
		return abi_ioctl_open_metadata(uarg);
	case KTRACE_IOC_OPEN_CONSUMER:
		return abi_ioctl_open_consumer(uarg);
	default:
		return -ENOTTY;
	}
}
EXPORT_SYMBOL_IF_KUNIT(ktrace_abi_dev_ioctl);

/* The mode bits of the node are not enough: the caller needs the capability. */
static int abi_dev_open(struct inode *inode, struct file *file)
{
	return perfmon_capable() ? 0 : -EPERM;
}

static const struct file_operations abi_dev_fops = {
	.owner = THIS_MODULE,
	.open = abi_dev_open,
	.unlocked_ioctl = ktrace_abi_dev_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice abi_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "ktrace",
	.fops = &abi_dev_fops,
	.mode = 0600,
};

/**
 * ktrace_abi_init() - register /dev/ktrace
 *
 * Context: process context, may sleep.
 * Return: 0 or the errno of misc_register().
 */
int ktrace_abi_init(void)
{
	return misc_register(&abi_dev);
}

/**
 * ktrace_abi_exit() - unregister /dev/ktrace
 *
 * Context: process context, may sleep.
 */
void ktrace_abi_exit(void)
{
	misc_deregister(&abi_dev);
}
