// SPDX-License-Identifier: GPL-2.0
/*
 * ktrace-agent: a small, complete ktrace agent, written to be copied.
 *
 *   ktrace-agent [-a] [-v] SESSION
 *
 * Attaches to the streams of an existing session, reads the newest packet
 * of every CPU of every channel (-a: every readable packet) with the
 * snapshot protocol, decodes its events and prints how many of each it
 * found, one "<event> <count>" line per event seen, sorted by name, then
 * "total <count>". -v adds one line per stream on stderr. Nothing is
 * consumed: running it again on a stopped session prints the same, and
 * `ktracectl snapshot` still records every packet afterwards.
 *
 * It uses only the uapi header and libnl:
 *  - generic netlink: SESSION_GET (the session's id, its channels and their
 *    stream counts), EVENT_GET (each channel's event ids and names) and
 *    TRACEPOINT_LIST (the fields of each event, to know its size);
 *  - /dev/ktrace: a metadata fd (see the limitation below) and one stream
 *    fd per channel and CPU, read with FLUSH, SNAPSHOT, GET_SUBBUF and
 *    PUT_SUBBUF, through mmap or splice as the channel's output asks.
 *
 * Limitation: the netlink family does not list a channel's contexts, which
 * every record carries between its header and its fields. The agent takes
 * their total size from the stream's "event.context" block in the CTF
 * metadata text, which it parses only that far: one declaration per line,
 * an integer of "size = <bits>", optionally an array "[<length>]" (every
 * context type is one of these today; see docs/TRACE-FORMAT.md). An agent
 * that needs the context values, or must survive a context of another
 * kind, should parse the metadata properly (or use babeltrace2's library).
 *
 * Build: make -C tools/examples. Needs CAP_PERFMON or CAP_SYS_ADMIN (the
 * netlink family) and read-write access to /dev/ktrace.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ktrace.h"

/* Packet header and context: fixed by docs/TRACE-FORMAT.md. */
#define PACKET_MAGIC		0xC1FC1FC1u
#define PACKET_HEADER_SIZE	84
#define PACKET_STREAM_ID	20	/* u32: the channel id */
#define PACKET_CONTENT_SIZE	48	/* u64: bits */
/* Event header: 5-bit id (31: extended) and 27-bit time, or 13 bytes. */
#define EVENT_ID_EXTENDED	31
#define EVENT_HEADER_COMPACT	4
#define EVENT_HEADER_EXTENDED	13
#define SNAPSHOT_TRIES		10

static int verbose;

static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "ktrace-agent: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* Room for @n elements of @size bytes at @p, the new ones zeroed. */
static void *grow(void *p, size_t old, size_t n, size_t size)
{
	p = realloc(p, (n ? n : 1) * size);
	if (!p)
		die("out of memory");
	if (n > old)
		memset((char *)p + old * size, 0, (n - old) * size);
	return p;
}

/* An event as TRACEPOINT_LIST describes it, and how often it was seen. */
struct event_desc {
	char name[KTRACE_NAME_LEN + 1];
	unsigned int nfields;
	uint32_t *sizes;	/* bytes of each field; 0: a NUL-ended string */
	unsigned long count;
};

struct channel {
	uint32_t id;
	char name[KTRACE_NAME_LEN + 1];
	uint32_t streams;	/* one per possible CPU */
	uint32_t output;	/* KTRACE_CHANNEL_SPLICE or _MMAP */
	size_t ctx_size;	/* bytes of contexts in every record */
	unsigned int nids;	/* events[id], NULL when the id is unknown */
	struct event_desc **events;
};

static struct event_desc *descs;
static unsigned int ndescs;
static struct channel *channels;
static unsigned int nchannels;
static uint32_t session_id;

/* ---- Control: generic netlink through libnl ---- */

static struct nl_sock *nl;
static int family;

struct call {
	int error;	/* the ack's errno, negative */
	int done;
	char msg[256];	/* the extended ack's message, if any */
	void (*reply)(struct nlattr **tb, struct nlmsghdr *nlh);
};

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[KTRACE_ATTR_MAX + 1];
	struct call *c = arg;

	/* No policy: attributes from a newer module are ignored. */
	if (!genlmsg_parse(nlmsg_hdr(msg), 0, tb, KTRACE_ATTR_MAX, NULL))
		c->reply(tb, nlmsg_hdr(msg));
	return NL_OK;
}

static int on_error(struct sockaddr_nl *who, struct nlmsgerr *err, void *arg)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)err - 1;
	int len = (int)nlh->nlmsg_len - NLMSG_HDRLEN - (int)sizeof(*err);
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	struct call *c = arg;

	(void)who;
	c->error = err->error;
	c->done = 1;
	/* With NETLINK_CAP_ACK the request is not echoed: TLVs follow. */
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && len > 0 &&
	    !nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)(err + 1), len,
		       NULL) && tb[NLMSGERR_ATTR_MSG])
		snprintf(c->msg, sizeof(c->msg), "%s",
			 (char *)nla_data(tb[NLMSGERR_ATTR_MSG]));
	return NL_STOP;
}

static int on_done(struct nl_msg *msg, void *arg)
{
	struct call *c = arg;
	int *err = nlmsg_data(nlmsg_hdr(msg));

	/* NLMSG_DONE of a dump carries its errno; an ack has none. */
	if (nlmsg_hdr(msg)->nlmsg_type == NLMSG_DONE)
		c->error = *err;
	c->done = 1;
	return NL_STOP;
}

/* A request for @cmd; @session: name the session by its id. */
static struct nl_msg *request(uint8_t cmd, int dump, int session)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0,
				 dump ? NLM_F_DUMP : NLM_F_ACK, cmd,
				 KTRACE_GENL_VERSION))
		die("out of memory");
	if (session && nla_put_u32(msg, KTRACE_ATTR_SESSION_ID, session_id))
		die("out of memory");
	return msg;
}

/* Sends @msg (freed), calls @reply on each answer; dies on a refusal. */
static void transact(struct nl_msg *msg, const char *what,
		     void (*reply)(struct nlattr **tb, struct nlmsghdr *nlh))
{
	struct call c = { .reply = reply };
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	int ret;

	if (!cb)
		die("out of memory");
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &c);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_done, &c);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_done, &c);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, &c);
	ret = nl_send_auto(nl, msg);
	nlmsg_free(msg);
	if (ret < 0)
		die("%s: %s", what, nl_geterror(ret));
	/* Replies, then the ack (or a dump's NLMSG_DONE), maybe over reads. */
	while (!c.done) {
		ret = nl_recvmsgs(nl, cb);
		if (ret < 0 && !c.done)
			die("%s: %s", what, nl_geterror(ret));
	}
	nl_cb_put(cb);
	if (c.error)
		die("%s: %s%s%s", what, strerror(-c.error),
		    c.msg[0] ? ": " : "", c.msg);
}

static void nl_open(void)
{
	int one = 1;

	nl = nl_socket_alloc();
	if (!nl || genl_connect(nl))
		die("cannot connect to generic netlink");
	/* We wait for each ack ourselves: see transact(). */
	nl_socket_disable_auto_ack(nl);
	if (setsockopt(nl_socket_get_fd(nl), SOL_NETLINK, NETLINK_EXT_ACK,
		       &one, sizeof(one)) ||
	    setsockopt(nl_socket_get_fd(nl), SOL_NETLINK, NETLINK_CAP_ACK,
		       &one, sizeof(one)))
		die("netlink options: %s", strerror(errno));
	family = genl_ctrl_resolve(nl, KTRACE_GENL_NAME);
	if (family < 0)
		die("no \"%s\" netlink family: is ktrace.ko loaded?",
		    KTRACE_GENL_NAME);
}

static uint32_t get_u32(struct nlattr **tb, int type)
{
	return tb[type] ? nla_get_u32(tb[type]) : 0;
}

/* SESSION_GET: the session's id and channels (one CHANNEL nest each). */
static void on_session(struct nlattr **tb, struct nlmsghdr *nlh)
{
	struct nlattr *in[KTRACE_ATTR_MAX + 1], *nla;
	int rem;

	session_id = get_u32(tb, KTRACE_ATTR_SESSION_ID);
	nla_for_each_attr(nla, genlmsg_attrdata(nlmsg_data(nlh), 0),
			  genlmsg_attrlen(nlmsg_data(nlh), 0), rem) {
		struct channel *ch;

		if (nla_type(nla) != KTRACE_ATTR_CHANNEL ||
		    nla_parse_nested(in, KTRACE_ATTR_MAX, nla, NULL) ||
		    !in[KTRACE_ATTR_CHANNEL_ID] || !in[KTRACE_ATTR_CHANNEL_NAME])
			continue;
		channels = grow(channels, nchannels, nchannels + 1, sizeof(*ch));
		ch = &channels[nchannels++];
		ch->id = get_u32(in, KTRACE_ATTR_CHANNEL_ID);
		snprintf(ch->name, sizeof(ch->name), "%s",
			 nla_get_string(in[KTRACE_ATTR_CHANNEL_NAME]));
		ch->streams = get_u32(in, KTRACE_ATTR_CHANNEL_STREAMS);
		ch->output = get_u32(in, KTRACE_ATTR_CHANNEL_OUTPUT);
	}
}

/* TRACEPOINT_LIST: one EVENT nest per event, one FIELD nest per field. */
static void on_tracepoint(struct nlattr **tb, struct nlmsghdr *nlh)
{
	struct nlattr *in[KTRACE_ATTR_MAX + 1], *f[KTRACE_ATTR_MAX + 1];
	struct event_desc *d;
	struct nlattr *nla;
	unsigned int n = 0;
	int rem;

	(void)nlh;
	if (!tb[KTRACE_ATTR_EVENT] ||
	    nla_parse_nested(in, KTRACE_ATTR_MAX, tb[KTRACE_ATTR_EVENT], NULL) ||
	    !in[KTRACE_ATTR_EVENT_NAME])
		return;
	descs = grow(descs, ndescs, ndescs + 1, sizeof(*descs));
	d = &descs[ndescs++];
	snprintf(d->name, sizeof(d->name), "%s",
		 nla_get_string(in[KTRACE_ATTR_EVENT_NAME]));
	nla_for_each_nested(nla, tb[KTRACE_ATTR_EVENT], rem)
		n += nla_type(nla) == KTRACE_ATTR_FIELD;
	d->sizes = grow(NULL, 0, n, sizeof(*d->sizes));
	nla_for_each_nested(nla, tb[KTRACE_ATTR_EVENT], rem) {
		uint32_t *size = &d->sizes[d->nfields], length;

		if (nla_type(nla) != KTRACE_ATTR_FIELD ||
		    nla_parse_nested(f, KTRACE_ATTR_MAX, nla, NULL))
			continue;
		/* Arrays: length elements of size bytes; else one element. */
		length = get_u32(f, KTRACE_ATTR_FIELD_LENGTH);
		*size = get_u32(f, KTRACE_ATTR_FIELD_SIZE) * (length ? length : 1);
		if (get_u32(f, KTRACE_ATTR_FIELD_TYPE) == KTRACE_FIELD_TYPE_STRING)
			*size = 0;
		else if (!*size)
			die("event %s: a field without a size", d->name);
		d->nfields++;
	}
}

static struct channel *dumped;	/* the channel EVENT_GET is dumping */

/* EVENT_GET: one EVENT nest (name, id) per event the channel ever had. */
static void on_event(struct nlattr **tb, struct nlmsghdr *nlh)
{
	struct nlattr *in[KTRACE_ATTR_MAX + 1];
	struct channel *ch = dumped;
	const char *name;
	unsigned int i;
	uint32_t id;

	(void)nlh;
	if (!tb[KTRACE_ATTR_EVENT] ||
	    nla_parse_nested(in, KTRACE_ATTR_MAX, tb[KTRACE_ATTR_EVENT], NULL) ||
	    !in[KTRACE_ATTR_EVENT_NAME] || !in[KTRACE_ATTR_EVENT_ID])
		return;
	name = nla_get_string(in[KTRACE_ATTR_EVENT_NAME]);
	id = nla_get_u32(in[KTRACE_ATTR_EVENT_ID]);
	if (id >= ch->nids) {
		ch->events = grow(ch->events, ch->nids, id + 1,
				  sizeof(*ch->events));
		ch->nids = id + 1;
	}
	for (i = 0; i < ndescs; i++)
		if (!strcmp(descs[i].name, name))
			ch->events[id] = &descs[i];
	if (!ch->events[id])
		die("channel %s: event %s is not in the tracepoint list",
		    ch->name, name);
}

static int desc_cmp(const void *a, const void *b)
{
	return strcmp(((const struct event_desc *)a)->name,
		      ((const struct event_desc *)b)->name);
}

/* ---- Metadata: only each stream's event.context ---- */

static char *read_metadata(int dev)
{
	struct ktrace_open_metadata req = {
		.size = sizeof(req), .session_id = session_id,
	};
	size_t len = 0, cap = 65536;
	char *text = grow(NULL, 0, cap, 1);
	ssize_t got;
	int fd;

	fd = ioctl(dev, KTRACE_IOC_OPEN_METADATA, &req);
	if (fd < 0)
		die("OPEN_METADATA: %s", strerror(errno));
	while ((got = read(fd, text + len, cap - len - 1)) > 0) {
		len += got;
		if (len + 1 == cap) {
			text = grow(text, cap, 2 * cap, 1);
			cap *= 2;
		}
	}
	if (got < 0)
		die("metadata read: %s", strerror(errno));
	text[len] = '\0';
	close(fd);
	return text;
}

/*
 * Bytes of the contexts of stream (channel) @id: the sum over the lines of
 * its "event.context := struct { ... };" of size / 8, times the array
 * length when there is one. 0 when the stream has no event.context.
 */
static size_t context_size(const char *md, uint32_t id)
{
	const char *s, *end = NULL, *line, *eol;
	size_t total = 0;
	unsigned int sid;

	/* The block "stream {\n\tid = <id>; ... \n};" */
	for (s = strstr(md, "stream {"); s; s = strstr(end, "stream {")) {
		end = strstr(s, "\n};");
		if (!end)
			break;
		if (sscanf(s, "stream { id = %u;", &sid) == 1 && sid == id)
			break;
	}
	if (!s || !end)
		die("metadata: no stream with id %u", id);
	line = strstr(s, "event.context := struct {");
	if (!line || line > end)
		return 0;
	/* One declaration per line, up to the block's closing "};". */
	for (line = strchr(line, '\n') + 1; line < end; line = eol + 1) {
		const char *size, *bracket;
		unsigned long bits, length = 1;

		eol = strchr(line, '\n');
		if (line[strspn(line, "\t ")] == '}')
			break;
		size = strstr(line, "size = ");
		bracket = memchr(line, '[', eol - line);
		if (!size || size > eol || (bracket && bracket < size) ||
		    sscanf(size, "size = %lu;", &bits) != 1 || bits % 8)
			die("metadata: stream %u: cannot size context \"%.*s\"",
			    id, (int)(eol - line), line);
		if (bracket)
			length = strtoul(bracket + 1, NULL, 10);
		total += bits / 8 * length;
	}
	return total;
}

/* ---- Data: decode the events of one packet ---- */

static uint32_t rd32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));	/* unaligned, the CPU's byte order */
	return v;
}

static uint64_t rd64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* Counts the events of @p (@len bytes of content); returns how many. */
static unsigned long decode_packet(const struct channel *ch,
				   const unsigned char *p, size_t len)
{
	unsigned long n = 0;
	size_t off, end;

	if (len < PACKET_HEADER_SIZE || rd32(p) != PACKET_MAGIC ||
	    rd32(p + PACKET_STREAM_ID) != ch->id)
		die("channel %s: not a packet of this channel", ch->name);
	end = rd64(p + PACKET_CONTENT_SIZE) / 8;
	if (end > len)
		die("channel %s: content size %zu past %zu bytes", ch->name,
		    end, len);
	for (off = PACKET_HEADER_SIZE; off < end; n++) {
		struct event_desc *d;
		uint32_t id;
		unsigned int i;

		if (end - off < EVENT_HEADER_COMPACT)
			goto truncated;
		/* The low 5 bits of a 32-bit integer: the id, or 31. */
		id = rd32(p + off) & 0x1f;
		if (id == EVENT_ID_EXTENDED) {
			if (end - off < EVENT_HEADER_EXTENDED)
				goto truncated;
			id = rd32(p + off + 1);
			off += EVENT_HEADER_EXTENDED;
		} else {
			off += EVENT_HEADER_COMPACT;
		}
		if (id >= ch->nids || !(d = ch->events[id]))
			die("channel %s: unknown event id %u at offset %zu",
			    ch->name, id, off);
		off += ch->ctx_size;
		for (i = 0; i < d->nfields && off <= end; i++) {
			if (d->sizes[i])
				off += d->sizes[i];
			else	/* a string and its NUL */
				off += strnlen((const char *)p + off, end - off) + 1;
		}
		if (off > end)
			goto truncated;
		d->count++;
	}
	return n;
truncated:
	die("channel %s: event %lu runs past the packet's content", ch->name, n);
	return 0;
}

/* Copies the held packet's @len bytes of content through splice. */
static void splice_held(int fd, unsigned char *buf, size_t len)
{
	size_t done = 0;
	int p[2];

	if (pipe(p))
		die("pipe: %s", strerror(errno));
	while (done < len) {
		/* splice(fd, NULL, ...) reads the held packet from its start. */
		ssize_t n = splice(fd, NULL, p[1], NULL, len - done, 0);

		if (n <= 0)
			die("splice: %s", n ? strerror(errno) : "early end");
		if (read(p[0], buf + done, n) != n)
			die("pipe read: %s", strerror(errno));
		done += n;
	}
	close(p[0]);
	close(p[1]);
}

static uint64_t ioctl_u64(int fd, unsigned long req, const char *what)
{
	uint64_t v;

	if (ioctl(fd, req, &v))
		die("%s: %s", what, strerror(errno));
	return v;
}

/*
 * One stream: sample it, then get, copy, put and decode its newest packet
 * (or each packet of the sample). Returns the events decoded.
 */
static unsigned long read_stream(const struct channel *ch, int fd, int all,
				 unsigned int cpu)
{
	uint64_t consumed = 0, produced = 0, step, pos, len, off;
	unsigned long events = 0, packets = 0, lost = 0;
	unsigned char *map = MAP_FAILED, *buf;
	size_t map_len = 0;
	int tries;

	step = ioctl_u64(fd, KTRACE_STREAM_GET_MAX_SUBBUF_SIZE, "GET_MAX_SUBBUF_SIZE");
	buf = grow(NULL, 0, step, 1);
	if (ch->output == KTRACE_CHANNEL_MMAP) {
		map_len = ioctl_u64(fd, KTRACE_STREAM_GET_MMAP_LEN, "GET_MMAP_LEN");
		map = mmap(NULL, map_len, PROT_READ, MAP_SHARED, fd, 0);
		if (map == MAP_FAILED)
			die("mmap: %s", strerror(errno));
	}
	for (tries = 0; tries < SNAPSHOT_TRIES; tries++) {
		/*
		 * Close the packet being written, then sample the positions.
		 * FLUSH, not FLUSH_EMPTY: on a quiet CPU the newest packet
		 * stays the last one with events.
		 */
		if (ioctl(fd, KTRACE_STREAM_FLUSH) || ioctl(fd, KTRACE_STREAM_SNAPSHOT))
			die("FLUSH/SNAPSHOT: %s", strerror(errno));
		consumed = ioctl_u64(fd, KTRACE_STREAM_SNAPSHOT_GET_CONSUMED, "GET_CONSUMED");
		produced = ioctl_u64(fd, KTRACE_STREAM_SNAPSHOT_GET_PRODUCED, "GET_PRODUCED");
		if (produced == consumed)
			break;		/* nothing recorded on this CPU */
		/* Positions wrap: only their differences are meaningful. */
		for (pos = all ? consumed : produced - step;
		     (int64_t)(produced - pos) > 0; pos += step) {
			if (ioctl(fd, KTRACE_STREAM_GET_SUBBUF, &pos)) {
				if (errno != EAGAIN)
					die("GET_SUBBUF: %s", strerror(errno));
				lost++;	/* overwritten since the sample */
				continue;
			}
			len = ioctl_u64(fd, KTRACE_STREAM_GET_SUBBUF_SIZE, "GET_SUBBUF_SIZE");
			if (map != MAP_FAILED) {
				off = ioctl_u64(fd, KTRACE_STREAM_GET_MMAP_READ_OFFSET,
						"GET_MMAP_READ_OFFSET");
				memcpy(buf, map + off, len);
			} else {
				splice_held(fd, buf, len);
			}
			if (ioctl(fd, KTRACE_STREAM_PUT_SUBBUF))
				die("PUT_SUBBUF: %s", strerror(errno));
			events += decode_packet(ch, buf, len);
			packets++;
		}
		/* The newest packet was overwritten under us: sample again. */
		if (all || packets)
			break;
		lost = 0;
	}
	if (!all && produced != consumed && !packets)
		die("channel %s cpu %u: the newest packet kept being overwritten",
		    ch->name, cpu);
	if (verbose)
		fprintf(stderr, "%s cpu %u: %lu packet(s), %lu event(s), %lu lost\n",
			ch->name, cpu, packets, events, lost);
	if (map != MAP_FAILED)
		munmap(map, map_len);
	free(buf);
	return events;
}

static void usage(void)
{
	fprintf(stderr, "usage: ktrace-agent [-a] [-v] SESSION\n"
		"  -a  read every readable packet, not only the newest of each CPU\n"
		"  -v  one line per stream on stderr\n");
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned long total = 0;
	unsigned int i, cpu, opened;
	struct nl_msg *msg;
	int all = 0, opt, dev;
	char *md;

	while ((opt = getopt(argc, argv, "av")) != -1) {
		if (opt == 'a')
			all = 1;
		else if (opt == 'v')
			verbose = 1;
		else
			usage();
	}
	if (optind != argc - 1)
		usage();

	/* The session, its channels and the layout of every event. */
	nl_open();
	msg = request(KTRACE_CMD_SESSION_GET, 0, 0);
	if (nla_put_string(msg, KTRACE_ATTR_SESSION_NAME, argv[optind]))
		die("out of memory");
	transact(msg, argv[optind], on_session);
	transact(request(KTRACE_CMD_TRACEPOINT_LIST, 1, 0), "TRACEPOINT_LIST",
		 on_tracepoint);
	/* Sorted now, so that the channels' pointers stay valid. */
	qsort(descs, ndescs, sizeof(*descs), desc_cmp);
	for (i = 0; i < nchannels; i++) {
		dumped = &channels[i];
		msg = request(KTRACE_CMD_EVENT_GET, 1, 1);
		if (nla_put_u32(msg, KTRACE_ATTR_CHANNEL_ID, channels[i].id))
			die("out of memory");
		transact(msg, "EVENT_GET", on_event);
	}

	dev = open(KTRACE_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (dev < 0)
		die("%s: %s", KTRACE_DEVICE_PATH, strerror(errno));
	md = read_metadata(dev);
	for (i = 0; i < nchannels; i++)
		channels[i].ctx_size = context_size(md, channels[i].id);
	free(md);

	/* One stream per possible CPU; CPU numbers may have holes. */
	for (i = 0; i < nchannels; i++) {
		for (cpu = 0, opened = 0; opened < channels[i].streams; cpu++) {
			struct ktrace_open_stream req = {
				.size = sizeof(req),
				.session_id = session_id,
				.channel_id = channels[i].id,
				.cpu = cpu,
			};
			int fd = ioctl(dev, KTRACE_IOC_OPEN_STREAM, &req);

			if (fd < 0 && errno == EINVAL && cpu < 4096)
				continue;	/* not a possible CPU */
			if (fd < 0)
				die("%s cpu %u: OPEN_STREAM: %s%s", channels[i].name,
				    cpu, strerror(errno), errno == EBUSY ?
				    " (another reader has the stream)" : "");
			total += read_stream(&channels[i], fd, all, cpu);
			close(fd);
			opened++;
		}
	}
	close(dev);

	for (i = 0; i < ndescs; i++)
		if (descs[i].count)
			printf("%s %lu\n", descs[i].name, descs[i].count);
	printf("total %lu\n", total);
	nl_socket_free(nl);
	return 0;
}
