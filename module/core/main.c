// SPDX-License-Identifier: GPL-2.0
/*
 * ktrace: a flight-recorder tracer. Module entry and exit.
 *
 * Probes are registered before /dev/ktrace and the generic netlink family
 * appear and unregistered after they are gone, so a client never sees the
 * ABI without its probes; the family goes first, before the sessions are
 * destroyed.
 */
#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <net/genetlink.h>

#include "abi/abi.h"
#include "abi/uapi/ktrace.h"
#include "core/session.h"
#include "probes/probes.h"
#include "ringbuffer/ringbuffer.h"

static struct dentry *ktrace_debugfs;

static int probes_stats_show(struct seq_file *m, void *v)
{
	ktrace_probes_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(probes_stats);

/* Buffer memory: what every channel's buffers take, and the bound. */
static int memory_show(struct seq_file *m, void *v)
{
	seq_printf(m, "buffers %lu\nlimit %lu\n", ktrace_rb_mem_bytes(),
		   (unsigned long)ktrace_buffer_limit_mib() << 20);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(memory);

static int __init ktrace_init(void)
{
	int ret;

	ktrace_channel_init();
	ret = ktrace_rb_init();
	if (ret)
		return ret;
	ret = ktrace_probes_init();
	if (ret)
		goto out_rb;
	ret = ktrace_abi_init();
	if (ret)
		goto out_probes;
	ret = ktrace_genl_init();
	if (ret)
		goto out_abi;

	/* Diagnostics only: debugfs may be absent, and that is fine. */
	ktrace_debugfs = debugfs_create_dir("ktrace", NULL);
	debugfs_create_file("probes", 0400, ktrace_debugfs, NULL,
			    &probes_stats_fops);
	debugfs_create_file("memory", 0400, ktrace_debugfs, NULL,
			    &memory_fops);
	pr_info("ktrace: loaded\n");
	return 0;

out_abi:
	ktrace_abi_exit();
out_probes:
	ktrace_probes_exit();
out_rb:
	ktrace_rb_exit();
	return ret;
}

static void __exit ktrace_exit(void)
{
	debugfs_remove(ktrace_debugfs);
	/* No command runs, and none can start, once the family is gone. */
	ktrace_genl_exit();
	ktrace_abi_exit();
	ktrace_session_destroy_all();
	ktrace_probes_exit();
	/*
	 * Sessions still held elsewhere keep their channels, but nothing
	 * holds one past unload: stream and metadata fds pin the module.
	 */
	ktrace_rb_exit();
	pr_info("ktrace: unloaded\n");
}

module_init(ktrace_init);
module_exit(ktrace_exit);

MODULE_DESCRIPTION("ktrace flight-recorder tracer");
MODULE_AUTHOR("The ktrace developers");
MODULE_LICENSE("GPL");
MODULE_VERSION("0.1");
/*
 * The first request for the family (every ktracectl command makes one)
 * has the kernel modprobe the module. /dev/ktrace has no devname alias: a
 * dynamic misc minor has none to give, and a fixed one from the "local
 * use" range could name another driver's device node (README.md).
 */
MODULE_ALIAS_GENL_FAMILY(KTRACE_GENL_NAME);
