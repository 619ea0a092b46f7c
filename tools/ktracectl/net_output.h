/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Connecting a net://HOST[:PORT] output to ktrace-relayd (docs/RELAY.md):
 * the token ($KTRACE_RELAY_TOKEN_FILE, else /etc/ktrace/relay.token; none
 * for an --insecure receiver), the timeout ($KTRACE_RELAY_TIMEOUT s,
 * default 10) and the host name the receiver files the trace under. The
 * same for a snapshot output (record_net.c) and a normal session's
 * streaming consumer (consumer.c).
 */
#ifndef KTRACECTL_NET_OUTPUT_H
#define KTRACECTL_NET_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>

#include "relay_client.h"

/* This host's name as the receiver takes it: its first label, cut to 64. */
void net_output_hostname(char *buf, size_t len);

/*
 * Connects and authenticates @c to @dest (net://...), protocol version 2
 * when @stream. Return: 0, or a negative errno with the reason in @why
 * (without the output's name: "connection refused").
 */
int net_output_connect(struct relay_client *c, const char *dest, bool stream,
		       char *why, size_t len);

/* The reason a relay errno stands for ("connection lost"), for a stop. */
const char *net_output_reason(int err);

#endif /* KTRACECTL_NET_OUTPUT_H */
