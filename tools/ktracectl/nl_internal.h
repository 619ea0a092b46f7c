/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the files of ktracectl's netlink client share: nl.c has the
 * connection, requests and these helpers; nl_session.c, nl_event.c and
 * nl_output.c one object each.
 */
#ifndef KTRACECTL_NL_INTERNAL_H
#define KTRACECTL_NL_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "nl.h"

/* Attributes of a reply; 0 or "" when absent. */
void ktnl_attr_string(char *dst, size_t size, const struct nlattr *a);
uint32_t ktnl_attr_u32(struct nlattr **tb, int type);
uint64_t ktnl_attr_u64(struct nlattr **tb, int type);
int ktnl_attr_flag(struct nlattr **tb, int type);

/* Grows a malloc()ed array by one zeroed element; NULL without memory. */
void *ktnl_grow(void *array, size_t *count, size_t size);

/* A request naming a session (and, if @channel, a channel); NULL on ENOMEM. */
struct nl_msg *ktnl_session_request(struct ktnl *nl, uint8_t cmd, int dump,
				    const char *session, const char *channel);

/* ktnl_transact() of a request that may be NULL (-ENOMEM). */
int ktnl_send(struct ktnl *nl, struct nl_msg *msg, ktnl_reply_fn fn,
	      void *arg);

/* Sends @msg and returns the integer attribute @type of its reply. */
int ktnl_transact_pick(struct ktnl *nl, struct nl_msg *msg, int type,
		       uint64_t *value);

#endif /* KTRACECTL_NL_INTERNAL_H */
