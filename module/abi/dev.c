// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/ktrace: the misc device through which clients discover the module's
 * ABI. Root only (mode 0600), and every ioctl checks its argument in full:
 * unknown commands get -ENOTTY, bad sizes and non-zero reserved fields
 * -EINVAL.
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/uaccess.h>

#include "abi.h"
#include "uapi/ktrace.h"

static long abi_ioctl_api(struct ktrace_api __user *uarg)
{
	struct ktrace_api api = {};
	u32 usize;

	if (get_user(usize, &uarg->size))
		return -EFAULT;
	if (usize < KTRACE_API_SIZE_VER0)
		return -EINVAL;
	/* Accept a larger struct from a newer client if its tail is zero. */
	if (copy_struct_from_user(&api, sizeof(api), uarg, usize))
		return -EINVAL;
	if (api.reserved)
		return -EINVAL;

	api.size = sizeof(api);
	api.abi_version = KTRACE_ABI_VERSION;
	api.features = KTRACE_FEATURE_PROBE_STATS;
	api.ioctls = BIT_ULL(KTRACE_IOC_NR_API);
	if (copy_to_user(uarg, &api, min_t(u32, usize, sizeof(api))))
		return -EFAULT;
	return 0;
}

static long abi_dev_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	switch (cmd) {
	case KTRACE_IOC_API:
		return abi_ioctl_api((struct ktrace_api __user *)arg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations abi_dev_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = abi_dev_ioctl,
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
