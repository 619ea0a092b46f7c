/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The only door to userspace: /dev/ktrace and its ioctls (dev.c), and the
 * generic netlink family "ktrace" (genl.c).
 */
#ifndef _KTRACE_ABI_H
#define _KTRACE_ABI_H

int ktrace_abi_init(void);
void ktrace_abi_exit(void);

int ktrace_genl_init(void);
void ktrace_genl_exit(void);

#endif /* _KTRACE_ABI_H */
