/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where a snapshot goes on disk, as LTTng lays it out:
 *
 *   <dest>/<name>-<YYYYmmdd-HHMMSS>-<n>/kernel/{metadata, <channel>_<cpu>}
 *
 * <dest> is the output's destination: a path, or a file:// URL of an
 * absolute path. <name> is the output's name (the kernel names an unnamed
 * output "snapshot-<id>"); <n> is the session's snapshot counter. A session
 * with no output writes under its default destination,
 * $HOME/ktrace-traces/<session>-<YYYYmmdd-HHMMSS>.
 *
 * Times are formatted from the struct tm the caller passes. ktracectl
 * passes localtime_r(), as LTTng does, so names match `date` and `ls` on
 * the machine; the trace's timestamps do not depend on it (the metadata
 * carries the clock and its offset), and the snapshot counter keeps names
 * unique when local time repeats an hour.
 *
 * A relative path is relative to ktracectl's working directory; a file://
 * URL must hold an absolute path (file:///var/tmp/traces), as in LTTng.
 * Pure functions: no I/O. They return 0 or a negative errno and, when @why
 * is not NULL, point it at a short English reason for the error message.
 */
#ifndef KTRACECTL_SNAPSHOT_PATH_H
#define KTRACECTL_SNAPSHOT_PATH_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* "YYYYmmdd-HHMMSS" and its NUL. */
#define SNAPSHOT_PATH_TIME_SIZE	16

/**
 * snapshot_path_dest() - the directory an output destination names
 * @dest: "/path", "relative/path" or "file:///path".
 * @path: set to the path inside @dest (after "file://") on success.
 * @why: set to the reason on error; may be NULL.
 *
 * A net:// or tcp:// URL (snapshot_path_net()) is accepted too: @path
 * then points at its "HOST[:PORT]", which is no local path: callers that
 * write files check snapshot_path_net() first.
 *
 * Return: 0; -EINVAL for an empty destination, a file:// URL whose path
 * is not absolute or a malformed net:// URL; -EPROTONOSUPPORT for another
 * URL scheme.
 */
int snapshot_path_dest(const char *dest, const char **path, const char **why);

/* The port of a net:// URL without one: ktrace-relayd's (docs/RELAY.md). */
#define SNAPSHOT_PATH_NET_PORT	5390

/**
 * snapshot_path_net() - parse a network output, sent to ktrace-relayd
 * @dest: "net://HOST[:PORT]" or "net://[IPv6]:PORT"; tcp:// is the same;
 *	a trailing '/' is allowed, nothing after it.
 * @host: receives HOST (without brackets).
 * @hostlen: size of @host.
 * @port: receives PORT, or SNAPSHOT_PATH_NET_PORT.
 * @why: set to the reason on error; may be NULL.
 *
 * Return: 1 for a network output, 0 for anything else, -EINVAL for a
 * malformed one, -ENAMETOOLONG when HOST does not fit in @host.
 */
int snapshot_path_net(const char *dest, char *host, size_t hostlen,
		      uint16_t *port, const char **why);

/**
 * snapshot_path_time() - "YYYYmmdd-HHMMSS"
 * @buf: at least SNAPSHOT_PATH_TIME_SIZE bytes.
 * @tm: the time, broken down.
 *
 * Return: 0, or -EINVAL if a field of @tm is out of range (year before 0
 * or after 9999, month, day, hour, minute, or second above 60).
 */
int snapshot_path_time(char buf[SNAPSHOT_PATH_TIME_SIZE],
		       const struct tm *tm);

/**
 * snapshot_path_dir() - the kernel/ directory of one snapshot
 * @buf: where to write the path, without a trailing slash.
 * @len: size of @buf.
 * @dest: the output's destination (see snapshot_path_dest()); trailing
 *	slashes are dropped.
 * @name: the output's name: 1 to KTRACE_NAME_LEN characters of
 *	[A-Za-z0-9_.-], as the kernel accepts.
 * @tm: when the snapshot was recorded.
 * @n: the session's snapshot counter.
 * @why: set to the reason on error; may be NULL.
 *
 * Writes "<dest>/<name>-<YYYYmmdd-HHMMSS>-<n>/kernel".
 *
 * Return: 0; the errors of snapshot_path_dest() and snapshot_path_time();
 * -EINVAL for an invalid @name; -ENAMETOOLONG when the path, with its
 * NUL, would be longer than PATH_MAX or @len.
 */
int snapshot_path_dir(char *buf, size_t len, const char *dest,
		      const char *name, const struct tm *tm, uint64_t n,
		      const char **why);

/**
 * snapshot_path_name() - a snapshot's directory name: "<name>-<time>-<n>"
 * @buf: where to write it.
 * @len: size of @buf.
 * @name, @tm, @n, @why: as snapshot_path_dir().
 *
 * The name a network output's snapshot has on the receiver.
 *
 * Return: 0; -EINVAL for an invalid @name or @tm; -ENAMETOOLONG.
 */
int snapshot_path_name(char *buf, size_t len, const char *name,
		       const struct tm *tm, uint64_t n, const char **why);

/**
 * snapshot_path_default_dest() - the destination of a session without one
 * @buf: where to write the path, without a trailing slash.
 * @len: size of @buf.
 * @home: $HOME; must be an absolute path.
 * @session: the session's name (same rules as an output name).
 * @tm: when the destination is made (the session's first snapshot).
 * @why: set to the reason on error; may be NULL.
 *
 * Writes "<home>/ktrace-traces/<session>-<YYYYmmdd-HHMMSS>".
 *
 * Return: 0; -EINVAL for an unset or relative @home, an invalid @session
 * or @tm; -ENAMETOOLONG as snapshot_path_dir().
 */
int snapshot_path_default_dest(char *buf, size_t len, const char *home,
			       const char *session, const struct tm *tm,
			       const char **why);

/**
 * snapshot_path_stream_file() - the file name of a stream: "<channel>_<cpu>"
 * @buf: where to write it.
 * @len: size of @buf.
 * @channel: the channel's name (same rules as an output name).
 * @cpu: the stream's CPU.
 * @why: set to the reason on error; may be NULL.
 *
 * A name, not a path: open it with openat() on the kernel/ directory.
 *
 * Return: 0, -EINVAL for an invalid @channel, -ENAMETOOLONG if @len is
 * too small.
 */
int snapshot_path_stream_file(char *buf, size_t len, const char *channel,
			      unsigned int cpu, const char **why);

#endif /* KTRACECTL_SNAPSHOT_PATH_H */
