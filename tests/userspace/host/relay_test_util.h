/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the live-receiver tests share (test_relay.c, test_relay_stream.c):
 * a ktrace-relayd started on an ephemeral port of 127.0.0.1 and stopped,
 * its log read, and the raw frames a test sends to see it refuse them.
 * Built with RELAYD_BIN, the path of the ktrace-relayd to run.
 */
#ifndef RELAY_TEST_UTIL_H
#define RELAY_TEST_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "relay_client.h"

char *read_all(const char *path, size_t *len);
bool log_has(const char *path, const char *needle);
pid_t relayd_start(const char *log, const char *const args[], uint16_t *port);
int relayd_stop(pid_t pid, const char *root);
void raw_frame(struct relay_client *c, uint16_t type, const void *p,
	       size_t len);
const char *refusal(struct relay_client *c);

#endif
