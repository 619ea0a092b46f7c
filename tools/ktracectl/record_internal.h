/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The layers of snapshot record, one file each:
 *
 *   record.c          the orchestration: preconditions, outputs, budgets,
 *                     one snapshot per output, undoing a failed one
 *   record_stream.c   the stream fds: open, flush, sample, get, splice, put
 *   record_dir.c      the snapshot's directory: make it, write the
 *                     metadata, remove what was made on failure
 *   record_summary.c  the summary line, or its JSON object
 *   record_net.c      a net:// output's sink: the files go to ktrace-relayd
 *   record_parse.c    the pure helpers (record.h)
 *
 * Every function that fails sets the reason with rec_fail() and returns a
 * negative errno.
 */
#ifndef KTRACECTL_RECORD_INTERNAL_H
#define KTRACECTL_RECORD_INTERNAL_H

#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <ktrace.h>

#include "nl.h"

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

struct cli_record;
struct relay_client;

/* Set by SIGINT/SIGTERM; checked between packets. */
extern volatile sig_atomic_t rec_stop;

/* One stream: the buffer of one channel on one CPU. */
struct rec_stream {
	const struct ktnl_channel *chan;
	unsigned int cpu;
	int fd;
	uint64_t subbuf_size;
	char file[KTRACE_NAME_LEN + 16];
	/* The last sample. */
	uint64_t consumed;
	uint64_t produced;
	/* Its packet index (window policy). */
	struct ktrace_packet_index_entry *index;
	size_t nindex;
	size_t index_cap;
	/* What the current snapshot copied, oldest first. */
	struct ktrace_packet_index_entry *copied;
	size_t ncopied;
	size_t copied_cap;
	uint64_t bytes;
	uint64_t lost;
	uint64_t budget;	/* UINT64_MAX: no limit */
};

/* Where one snapshot of this record goes. */
struct rec_output {
	char name[KTRACE_NAME_LEN + 1];
	char dest[PATH_MAX];
	uint64_t max_size;
};

/* The state of one snapshot, for its summary and its undoing. */
struct rec_snap {
	const struct rec_output *out;
	char dir[PATH_MAX];	/* <dest>/<name>-<time>-<n> */
	char kdir[PATH_MAX];	/* <dir>/kernel */
	char **made;		/* directories created above <dir> */
	size_t nmade;
	bool dir_made;
	bool kdir_made;
	bool metadata_made;
	size_t files_made;	/* streams[0 .. files_made) have a file */
	int kfd;
	int pipe[2];
	size_t pipe_size;
	bool have_clock;
	int64_t offset_s;
	int64_t offset_ns;
	uint64_t metadata_bytes;
	uint64_t bytes;
	uint64_t packets;
	uint64_t lost;
	struct relay_client *net;	/* a net:// output's, else NULL */
};

/* One record: the session, its outputs and streams. */
struct rec {
	struct ktnl *nl;
	const struct cli_record *req;
	const char *session;	/* the session's name, already selected */
	struct ktnl_session sess;
	bool have_sess;
	struct rec_output *outputs;
	size_t noutputs;
	struct rec_stream *streams;
	size_t nstreams;
	struct budget_stream *bstreams;
	struct budget_range *ranges;
	struct budget_window_stream *wstreams;
	size_t *first;
	int dev;
	struct tm tm;
	uint64_t n;
};

/* record.c */
int rec_fail(int err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* record_stream.c */
int rec_open_streams(struct rec *r);
void rec_close_streams(struct rec *r);
int rec_sample(struct rec *r);
int snap_stream(struct rec *r, struct rec_snap *sn, size_t i);

/* record_dir.c */
int snap_dirs(struct rec *r, struct rec_snap *sn);
int snap_metadata(struct rec *r, struct rec_snap *sn);
void snap_undo(struct rec *r, struct rec_snap *sn);

/* record_net.c: the net:// sink; each fails with the output named. */
bool rec_output_is_net(const struct rec_output *o);
int net_snap_begin(struct rec *r, struct rec_snap *sn);
int net_file_open(struct rec_snap *sn, const char *file);	/* an fd */
int net_write(struct rec_snap *sn, const void *buf, size_t len);
int net_copy_pipe(struct rec_snap *sn, size_t len);
int net_file_close(struct rec_snap *sn);
int net_commit(struct rec_snap *sn);
void net_end(struct rec_snap *sn);

/* record_summary.c */
void snap_print(struct rec *r, const struct rec_snap *sn);

#endif /* KTRACECTL_RECORD_INTERNAL_H */
