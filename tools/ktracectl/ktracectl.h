/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KTRACECTL_H
#define KTRACECTL_H

#include <stdint.h>

#define KTRACECTL_VERSION "0.1"

/* The message for every command when /dev/ktrace does not exist. */
#define KTRACECTL_NOT_LOADED \
	"the ktrace module is not loaded (insmod ktrace.ko / modprobe ktrace)"

/*
 * A command handler returns 0 or a negative errno. It may leave a reason
 * in ktracectl_err() for main() to print; otherwise strerror() is used.
 */
struct ktracectl_cmd {
	const char *name;
	int (*handler)(int argc, char **argv);
	const char *usage;
	const char *help;
};

void ktracectl_set_err(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/* device.c: /dev/ktrace */
int ktracectl_dev_open(void);
int cmd_version(int argc, char **argv);

/* size.c: pure helpers, unit-tested on the host */
int ktracectl_parse_size(const char *s, uint64_t *out);
void ktracectl_format_size(uint64_t bytes, char *buf, unsigned long len);

#endif /* KTRACECTL_H */
