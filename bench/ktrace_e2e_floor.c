// SPDX-License-Identifier: GPL-2.0
/*
 * The floor of make bench-e2e: probes on the sys_enter and sys_exit
 * tracepoints that do nothing. While this module is loaded, every system
 * call pays what any tracer of those tracepoints pays before its own
 * work: the syscall work flag's slow path and the tracepoint's dispatch to
 * one probe. Not a test: it only exists between its insmod and rmmod.
 */
#include <linux/errno.h>
#include <linux/module.h>
#include <linux/string.h>
#include <linux/tracepoint.h>

struct pt_regs;

static struct tracepoint *tp_enter, *tp_exit;

static void floor_sys_enter(void *data, struct pt_regs *regs, long id)
{
}

static void floor_sys_exit(void *data, struct pt_regs *regs, long ret)
{
}

static void floor_lookup(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "sys_enter"))
		tp_enter = tp;
	else if (!strcmp(tp->name, "sys_exit"))
		tp_exit = tp;
}

static int __init floor_init(void)
{
	int ret;

	for_each_kernel_tracepoint(floor_lookup, NULL);
	if (!tp_enter || !tp_exit)
		return -ENODEV;
	ret = tracepoint_probe_register(tp_enter, floor_sys_enter, NULL);
	if (ret)
		return ret;
	ret = tracepoint_probe_register(tp_exit, floor_sys_exit, NULL);
	if (ret) {
		tracepoint_probe_unregister(tp_enter, floor_sys_enter, NULL);
		tracepoint_synchronize_unregister();
	}
	return ret;
}

static void __exit floor_exit(void)
{
	tracepoint_probe_unregister(tp_exit, floor_sys_exit, NULL);
	tracepoint_probe_unregister(tp_enter, floor_sys_enter, NULL);
	tracepoint_synchronize_unregister();
}

module_init(floor_init);
module_exit(floor_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ktrace benchmark: do-nothing sys_enter/sys_exit probes");
