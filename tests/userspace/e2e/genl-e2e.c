// SPDX-License-Identifier: GPL-2.0
/*
 * genl-e2e: the generic netlink family "ktrace" end to end, through the
 * uapi header and libnl only (not ktracectl's client, so that the two
 * check each other).
 *
 * It creates, lists and destroys sessions; checks that NEW commands reply
 * with ids, that refusals carry their errno, their extended-ack message and
 * the attribute they blame; drives channels, events, contexts, outputs,
 * start/stop, snapshot counts, test events and the tracepoint list; checks
 * every notification on the "sessions" group; and checks that a process
 * without privileges (uid 65534, no capabilities) gets EPERM.
 *
 * Prints one "ok:"/"FAILED:" line per check; exit status 0 when all
 * passed, 1 otherwise.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "e2e.h"

#define PERM_MSG	"ktrace needs CAP_PERFMON or CAP_SYS_ADMIN"
#define NAME_MSG	" name must be 1 to 64 characters from A-Z a-z 0-9 _ . -"

/* What came back for one request. */
struct result {
	struct e2e_ack ack;
	int replies;
	/* The first reply, parsed; a copy, valid until the next request. */
	struct nlattr *tb[KTRACE_ATTR_MAX + 1];
	struct nlmsghdr *reply;
	/* Called for every reply message. */
	void (*each)(struct nlmsghdr *nlh, struct nlattr **tb, void *arg);
	void *arg;
};

static void on_reply(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[KTRACE_ATTR_MAX + 1];
	struct result *r = arg;

	if (!r->replies++) {
		r->reply = malloc(nlh->nlmsg_len);
		memcpy(r->reply, nlh, nlh->nlmsg_len);
		e2e_parse(r->reply, r->tb);
	}
	if (r->each) {
		e2e_parse(nlh, tb);
		r->each(nlh, tb, r->arg);
	}
}

static struct nl_msg *request(struct e2e_nl *c, uint8_t cmd, int dump)
{
	return e2e_msg(c, cmd, dump);
}

static void result_reset(struct result *r)
{
	free(r->reply);
	memset(r, 0, sizeof(*r));
}

/* Sends @msg (freed) and reads to its ack or done; returns the errno. */
static int transact(struct e2e_nl *c, struct nl_msg *msg, struct result *r)
{
	free(r->reply);
	r->reply = NULL;
	r->replies = 0;
	memset(r->tb, 0, sizeof(r->tb));
	return e2e_send(c, msg, on_reply, r, &r->ack);
}

static const char *attr_str(struct nlattr **tb, int type)
{
	return tb[type] ? (const char *)nla_data(tb[type]) : "";
}

static uint32_t attr_u32(struct nlattr **tb, int type)
{
	return tb[type] ? nla_get_u32(tb[type]) : UINT32_MAX;
}

static uint64_t attr_u64(struct nlattr **tb, int type)
{
	return tb[type] ? nla_get_u64(tb[type]) : UINT64_MAX;
}

static int attr_u8(struct nlattr **tb, int type)
{
	return tb[type] ? nla_get_u8(tb[type]) : -1;
}

/* A refusal: its errno, message and blamed or missing attribute. */
static void expect_refusal(const struct result *r, int err, const char *msg,
			   int attr, const char *what)
{
	check(r->ack.error == err && !strcmp(r->ack.msg, msg) &&
	      (r->ack.bad == attr || r->ack.missing == attr) && !r->replies,
	      "%s: %s (\"%s\", attribute %d) [got %s, \"%s\", %d/%d]", what,
	      strerror(-err), msg, attr, strerror(-r->ack.error), r->ack.msg, r->ack.bad,
	      r->ack.missing);
}

/* Notifications */

static struct e2e_nl listener;

struct ntf {
	uint8_t cmd;
	uint32_t id;
	char name[KTRACE_NAME_LEN + 1];
};

static void on_ntf(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[KTRACE_ATTR_MAX + 1];
	struct ntf *n = arg;

	e2e_parse(nlh, tb);
	n->cmd = genlmsg_hdr(nlh)->cmd;
	n->id = attr_u32(tb, KTRACE_ATTR_SESSION_ID);
	snprintf(n->name, sizeof(n->name), "%s",
		 attr_str(tb, KTRACE_ATTR_SESSION_NAME));
}

/* The next notification, or cmd 0 after @timeout_ms. */
static struct ntf next_ntf(int timeout_ms)
{
	struct ntf n = { 0 };

	e2e_nl_next(&listener, timeout_ms, on_ntf, &n);
	return n;
}

static void expect_ntf(uint8_t cmd, uint32_t id, const char *name,
		       const char *what)
{
	struct ntf n = next_ntf(1000);

	check(n.cmd == cmd && n.id == id && !strcmp(n.name, name),
	      "notification %s for session %u %s [got cmd %u, %u %s]", what,
	      id, name, n.cmd, n.id, n.name);
}

/* Commands */

static struct e2e_nl conn;
static struct result res;

static struct nl_msg *session_msg(uint8_t cmd, int dump, const char *name)
{
	struct nl_msg *msg = request(&conn, cmd, dump);

	nla_put_string(msg, KTRACE_ATTR_SESSION_NAME, name);
	return msg;
}

static uint32_t session_new(const char *name, uint32_t mode)
{
	struct nl_msg *msg = request(&conn, KTRACE_CMD_SESSION_NEW, 0);
	uint32_t id;

	nla_put_string(msg, KTRACE_ATTR_SESSION_NAME, name);
	nla_put_u32(msg, KTRACE_ATTR_SESSION_MODE, mode);
	transact(&conn, msg, &res);
	id = attr_u32(res.tb, KTRACE_ATTR_SESSION_ID);
	check(!res.ack.error && id && id != UINT32_MAX,
	      "SESSION_NEW %s replies with its id %u", name, id);
	expect_ntf(KTRACE_CMD_NTF_SESSION_NEW, id, name, "NEW");
	return id;
}

struct listed {
	const char *names[3];
	uint32_t ids[3];
	int seen[3];
	int total;
};

static void on_listed_session(struct nlmsghdr *nlh, struct nlattr **tb,
			      void *arg)
{
	struct listed *l = arg;
	int i;

	(void)nlh;
	l->total++;
	for (i = 0; i < 3; i++)
		if (!strcmp(attr_str(tb, KTRACE_ATTR_SESSION_NAME),
			    l->names[i]) &&
		    attr_u32(tb, KTRACE_ATTR_SESSION_ID) == l->ids[i])
			l->seen[i]++;
}

static void test_sessions(uint32_t ids[3], const char *const names[3])
{
	struct listed l = { .names = { names[0], names[1], names[2] } };
	struct nl_msg *msg;
	int i;

	ids[0] = session_new(names[0], KTRACE_SESSION_MODE_SNAPSHOT);
	ids[1] = session_new(names[1], KTRACE_SESSION_MODE_NORMAL);
	ids[2] = session_new(names[2], KTRACE_SESSION_MODE_SNAPSHOT);
	check(ids[0] != ids[1] && ids[1] != ids[2] && ids[0] != ids[2],
	      "session ids are distinct (%u %u %u)", ids[0], ids[1], ids[2]);

	msg = request(&conn, KTRACE_CMD_SESSION_NEW, 0);
	nla_put_string(msg, KTRACE_ATTR_SESSION_NAME, names[0]);
	transact(&conn, msg, &res);
	expect_refusal(&res, -EEXIST, "a session of that name exists",
		       KTRACE_ATTR_SESSION_NAME, "SESSION_NEW with a taken name");

	msg = request(&conn, KTRACE_CMD_SESSION_NEW, 0);
	nla_put_string(msg, KTRACE_ATTR_SESSION_NAME, "e2e bad");
	transact(&conn, msg, &res);
	expect_refusal(&res, -EINVAL, "session" NAME_MSG,
		       KTRACE_ATTR_SESSION_NAME, "SESSION_NEW with a space");

	msg = request(&conn, KTRACE_CMD_SESSION_NEW, 0);
	nla_put_u32(msg, KTRACE_ATTR_SESSION_MODE, KTRACE_SESSION_MODE_NORMAL);
	transact(&conn, msg, &res);
	expect_refusal(&res, -EINVAL, "session name required",
		       KTRACE_ATTR_SESSION_NAME, "SESSION_NEW without a name");

	msg = request(&conn, KTRACE_CMD_SESSION_NEW, 0);
	nla_put_string(msg, KTRACE_ATTR_SESSION_NAME, "e2e-mode");
	nla_put_u32(msg, KTRACE_ATTR_SESSION_MODE, 7);
	transact(&conn, msg, &res);
	expect_refusal(&res, -ERANGE, "integer out of range",
		       KTRACE_ATTR_SESSION_MODE, "SESSION_NEW with mode 7");

	msg = request(&conn, KTRACE_CMD_SESSION_GET, 0);
	nla_put_u32(msg, KTRACE_ATTR_SESSION_ID, 0x7fffffff);
	transact(&conn, msg, &res);
	expect_refusal(&res, -ENOENT, "session not found",
		       KTRACE_ATTR_SESSION_ID, "SESSION_GET of an unknown id");

	memcpy(l.ids, ids, sizeof(l.ids));
	res.each = on_listed_session;
	res.arg = &l;
	transact(&conn, request(&conn, KTRACE_CMD_SESSION_GET, 1), &res);
	res.each = NULL;
	for (i = 0; i < 3; i++)
		check(!res.ack.error && l.seen[i] == 1,
		      "the session dump lists %s once with id %u", names[i],
		      ids[i]);
	check(l.total >= 3, "the session dump has %d sessions", l.total);
}

static int possible_cpus(void)
{
	FILE *f = fopen("/sys/devices/system/cpu/possible", "r");
	int a, b, n = 0;
	char sep;

	if (!f)
		return -1;
	while (fscanf(f, "%d", &a) == 1) {
		b = a;
		if (fscanf(f, "%c", &sep) == 1 && sep == '-') {
			if (fscanf(f, "%d", &b) != 1)
				break;
			if (fscanf(f, "%c", &sep) != 1)
				sep = '\n';
		}
		n += b - a + 1;
		if (sep != ',')
			break;
	}
	fclose(f);
	return n;
}

struct event_seen {
	int count;
	int ktrace_test;	/* its enabled flag, or -1 */
	int sched_enabled;
};

static void on_event(struct nlmsghdr *nlh, struct nlattr **tb, void *arg)
{
	struct nlattr *in[KTRACE_ATTR_MAX + 1];
	struct event_seen *e = arg;

	(void)nlh;
	if (!tb[KTRACE_ATTR_EVENT] ||
	    nla_parse_nested(in, KTRACE_ATTR_MAX, tb[KTRACE_ATTR_EVENT], NULL))
		return;
	e->count++;
	if (!strcmp(attr_str(in, KTRACE_ATTR_EVENT_NAME), "ktrace_test"))
		e->ktrace_test = attr_u8(in, KTRACE_ATTR_EVENT_ENABLED);
	else if (!strncmp(attr_str(in, KTRACE_ATTR_EVENT_NAME), "sched_", 6) &&
		 attr_u8(in, KTRACE_ATTR_EVENT_ENABLED) == 1)
		e->sched_enabled++;
}

static struct nl_msg *chan_msg(uint8_t cmd, int dump, const char *session)
{
	struct nl_msg *msg = session_msg(cmd, dump, session);

	nla_put_string(msg, KTRACE_ATTR_CHANNEL_NAME, "chan");
	return msg;
}

static uint32_t event_cmd(uint8_t cmd, const char *session,
			  const char *pattern)
{
	struct nl_msg *msg = chan_msg(cmd, 0, session);

	nla_put_string(msg, KTRACE_ATTR_EVENT_NAME, pattern);
	transact(&conn, msg, &res);
	return res.ack.error ? 0 : attr_u32(res.tb, KTRACE_ATTR_EVENT_COUNT);
}

static void test_channels_events_contexts(const char *session)
{
	struct nlattr *ch[KTRACE_ATTR_MAX + 1];
	struct event_seen seen = { .ktrace_test = -1 };
	struct nl_msg *msg;
	uint32_t n, sched;

	msg = chan_msg(KTRACE_CMD_CHANNEL_NEW, 0, session);
	nla_put_u64(msg, KTRACE_ATTR_CHANNEL_SUBBUF_SIZE, 3 * 4096);
	transact(&conn, msg, &res);
	expect_refusal(&res, -EINVAL, "sub-buffer size must be a power of two",
		       KTRACE_ATTR_CHANNEL_SUBBUF_SIZE,
		       "CHANNEL_NEW with a 12 KiB sub-buffer");

	msg = chan_msg(KTRACE_CMD_CHANNEL_NEW, 0, session);
	nla_put_u32(msg, KTRACE_ATTR_CHANNEL_NUM_SUBBUF, 1);
	transact(&conn, msg, &res);
	expect_refusal(&res, -ERANGE, "integer out of range",
		       KTRACE_ATTR_CHANNEL_NUM_SUBBUF,
		       "CHANNEL_NEW with one sub-buffer");

	msg = chan_msg(KTRACE_CMD_CHANNEL_NEW, 0, session);
	nla_put_u64(msg, KTRACE_ATTR_CHANNEL_SUBBUF_SIZE, 16384);
	nla_put_u32(msg, KTRACE_ATTR_CHANNEL_NUM_SUBBUF, 4);
	nla_put_u32(msg, KTRACE_ATTR_CHANNEL_MODE, KTRACE_CHANNEL_DISCARD);
	transact(&conn, msg, &res);
	check(!res.ack.error && attr_u32(res.tb, KTRACE_ATTR_CHANNEL_ID) == 0,
	      "CHANNEL_NEW replies with channel id 0 [%s, %u]",
	      strerror(-res.ack.error), attr_u32(res.tb, KTRACE_ATTR_CHANNEL_ID));

	transact(&conn, chan_msg(KTRACE_CMD_CHANNEL_NEW, 0, session), &res);
	expect_refusal(&res, -EEXIST, "the session has a channel of that name",
		       KTRACE_ATTR_CHANNEL_NAME, "CHANNEL_NEW with a taken name");

	transact(&conn, session_msg(KTRACE_CMD_CHANNEL_GET, 1, session), &res);
	memset(ch, 0, sizeof(ch));
	if (res.tb[KTRACE_ATTR_CHANNEL])
		nla_parse_nested(ch, KTRACE_ATTR_MAX, res.tb[KTRACE_ATTR_CHANNEL],
				 NULL);
	check(!res.ack.error && res.replies == 1 &&
	      !strcmp(attr_str(ch, KTRACE_ATTR_CHANNEL_NAME), "chan") &&
	      attr_u64(ch, KTRACE_ATTR_CHANNEL_SUBBUF_SIZE) == 16384 &&
	      attr_u32(ch, KTRACE_ATTR_CHANNEL_NUM_SUBBUF) == 4 &&
	      attr_u32(ch, KTRACE_ATTR_CHANNEL_MODE) == KTRACE_CHANNEL_DISCARD &&
	      attr_u32(ch, KTRACE_ATTR_CHANNEL_OUTPUT) == KTRACE_CHANNEL_SPLICE &&
	      attr_u64(ch, KTRACE_ATTR_CHANNEL_DISCARDED) == 0,
	      "the channel dump describes chan (16 KiB x 4, discard, splice)");
	check((int)attr_u32(ch, KTRACE_ATTR_CHANNEL_STREAMS) == possible_cpus(),
	      "chan has one stream per possible CPU (%u, %d)",
	      attr_u32(ch, KTRACE_ATTR_CHANNEL_STREAMS), possible_cpus());

	n = event_cmd(KTRACE_CMD_EVENT_ENABLE, session, "ktrace_test");
	check(!res.ack.error && n == 1, "EVENT_ENABLE ktrace_test: 1 event");
	sched = event_cmd(KTRACE_CMD_EVENT_ENABLE, session, "sched_*");
	check(!res.ack.error && sched >= 1, "EVENT_ENABLE sched_*: %u events",
	      sched);
	event_cmd(KTRACE_CMD_EVENT_ENABLE, session, "no_such_event");
	expect_refusal(&res, -ENOENT, "no event matches",
		       KTRACE_ATTR_EVENT_NAME, "EVENT_ENABLE of an unknown event");
	event_cmd(KTRACE_CMD_EVENT_ENABLE, session, "sched-switch");
	expect_refusal(&res, -EINVAL,
		       "event name or pattern must be 1 to 64 characters from A-Z a-z 0-9 _ * ?",
		       KTRACE_ATTR_EVENT_NAME, "EVENT_ENABLE of a bad pattern");
	n = event_cmd(KTRACE_CMD_EVENT_DISABLE, session, "ktrace_test");
	check(!res.ack.error && n == 1, "EVENT_DISABLE ktrace_test: 1 event");
	event_cmd(KTRACE_CMD_EVENT_DISABLE, session, "ktrace_test");
	expect_refusal(&res, -ENOENT, "no enabled event of the channel matches",
		       KTRACE_ATTR_EVENT_NAME, "EVENT_DISABLE twice");

	res.each = on_event;
	res.arg = &seen;
	transact(&conn, chan_msg(KTRACE_CMD_EVENT_GET, 1, session), &res);
	res.each = NULL;
	check(!res.ack.error && seen.count == (int)sched + 1 &&
	      seen.ktrace_test == 0 && seen.sched_enabled == (int)sched,
	      "the event dump lists %u events, ktrace_test disabled",
	      sched + 1);

	msg = chan_msg(KTRACE_CMD_CONTEXT_ADD, 0, session);
	nla_put_u32(msg, KTRACE_ATTR_CONTEXT_TYPE, KTRACE_CONTEXT_TYPE_PID);
	check(!transact(&conn, msg, &res), "CONTEXT_ADD pid");
	msg = chan_msg(KTRACE_CMD_CONTEXT_ADD, 0, session);
	nla_put_u32(msg, KTRACE_ATTR_CONTEXT_TYPE, KTRACE_CONTEXT_TYPE_PID);
	transact(&conn, msg, &res);
	expect_refusal(&res, -EEXIST, "the channel records this context already",
		       KTRACE_ATTR_CONTEXT_TYPE, "CONTEXT_ADD pid twice");
	msg = chan_msg(KTRACE_CMD_CONTEXT_ADD, 0, session);
	nla_put_u32(msg, KTRACE_ATTR_CONTEXT_TYPE, 10);
	transact(&conn, msg, &res);
	expect_refusal(&res, -ERANGE, "integer out of range",
		       KTRACE_ATTR_CONTEXT_TYPE, "CONTEXT_ADD of type 10");
}

static void on_output(struct nlmsghdr *nlh, struct nlattr **tb, void *arg)
{
	struct nlattr *in[KTRACE_ATTR_MAX + 1];
	int *ok = arg;

	(void)nlh;
	if (tb[KTRACE_ATTR_OUTPUT] &&
	    !nla_parse_nested(in, KTRACE_ATTR_MAX, tb[KTRACE_ATTR_OUTPUT], NULL) &&
	    attr_u32(in, KTRACE_ATTR_OUTPUT_ID) == 1 &&
	    !strcmp(attr_str(in, KTRACE_ATTR_OUTPUT_NAME), "disk") &&
	    !strcmp(attr_str(in, KTRACE_ATTR_OUTPUT_DEST), "/var/tmp/snap") &&
	    attr_u64(in, KTRACE_ATTR_OUTPUT_MAX_SIZE) == 1 << 20)
		(*ok)++;
}

static void test_outputs(const char *session)
{
	struct nl_msg *msg;
	int ok = 0;

	msg = session_msg(KTRACE_CMD_OUTPUT_ADD, 0, session);
	nla_put_string(msg, KTRACE_ATTR_OUTPUT_NAME, "disk");
	nla_put_string(msg, KTRACE_ATTR_OUTPUT_DEST, "/var/tmp/snap");
	nla_put_u64(msg, KTRACE_ATTR_OUTPUT_MAX_SIZE, 1 << 20);
	transact(&conn, msg, &res);
	check(!res.ack.error && attr_u32(res.tb, KTRACE_ATTR_OUTPUT_ID) == 1,
	      "OUTPUT_ADD replies with output id 1");

	msg = session_msg(KTRACE_CMD_OUTPUT_ADD, 0, session);
	nla_put_string(msg, KTRACE_ATTR_OUTPUT_DEST, "");
	transact(&conn, msg, &res);
	expect_refusal(&res, -EINVAL, "output destination must not be empty",
		       KTRACE_ATTR_OUTPUT_DEST, "OUTPUT_ADD to \"\"");

	res.each = on_output;
	res.arg = &ok;
	transact(&conn, session_msg(KTRACE_CMD_OUTPUT_GET, 1, session), &res);
	res.each = NULL;
	check(!res.ack.error && res.replies == 1 && ok == 1,
	      "the output dump lists disk -> /var/tmp/snap, 1 MiB");

	msg = session_msg(KTRACE_CMD_OUTPUT_DEL, 0, session);
	nla_put_string(msg, KTRACE_ATTR_OUTPUT_NAME, "disk");
	check(!transact(&conn, msg, &res), "OUTPUT_DEL disk");
	msg = session_msg(KTRACE_CMD_OUTPUT_DEL, 0, session);
	nla_put_string(msg, KTRACE_ATTR_OUTPUT_NAME, "disk");
	transact(&conn, msg, &res);
	expect_refusal(&res, -ENOENT, "output not found",
		       KTRACE_ATTR_OUTPUT_NAME, "OUTPUT_DEL disk twice");
}

static void test_start_stop(uint32_t id, const char *session)
{
	struct nl_msg *msg;

	check(!transact(&conn, session_msg(KTRACE_CMD_START, 0, session), &res),
	      "START %s", session);
	expect_ntf(KTRACE_CMD_NTF_SESSION_START, id, session, "START");
	transact(&conn, session_msg(KTRACE_CMD_START, 0, session), &res);
	expect_refusal(&res, -EALREADY, "session is already active", 0,
		       "START twice");

	msg = request(&conn, KTRACE_CMD_TEST_FIRE, 0);
	nla_put_u64(msg, KTRACE_ATTR_TEST_SEQ, 1);
	nla_put_u32(msg, KTRACE_ATTR_TEST_COUNT, 100);
	nla_put_u64(msg, KTRACE_ATTR_TEST_PAYLOAD, 7);
	check(!transact(&conn, msg, &res), "TEST_FIRE 100 events");
	msg = request(&conn, KTRACE_CMD_TEST_FIRE, 0);
	nla_put_u32(msg, KTRACE_ATTR_TEST_COUNT, KTRACE_TEST_FIRE_MAX + 1);
	transact(&conn, msg, &res);
	expect_refusal(&res, -ERANGE, "integer out of range",
		       KTRACE_ATTR_TEST_COUNT, "TEST_FIRE past the maximum");

	check(!transact(&conn, session_msg(KTRACE_CMD_STOP, 0, session), &res),
	      "STOP %s", session);
	expect_ntf(KTRACE_CMD_NTF_SESSION_STOP, id, session, "STOP");
	transact(&conn, session_msg(KTRACE_CMD_STOP, 0, session), &res);
	expect_refusal(&res, -EALREADY, "session is not active", 0,
		       "STOP twice");

	transact(&conn, session_msg(KTRACE_CMD_SNAPSHOT_BUMP, 0, session), &res);
	check(!res.ack.error && attr_u64(res.tb, KTRACE_ATTR_SNAPSHOT_COUNT) == 1,
	      "SNAPSHOT_BUMP replies with count 1");

	transact(&conn, session_msg(KTRACE_CMD_SESSION_GET, 0, session), &res);
	check(!res.ack.error && attr_u32(res.tb, KTRACE_ATTR_SESSION_ID) == id &&
	      attr_u32(res.tb, KTRACE_ATTR_SESSION_MODE) ==
			KTRACE_SESSION_MODE_SNAPSHOT &&
	      attr_u32(res.tb, KTRACE_ATTR_SESSION_STATE) ==
			KTRACE_SESSION_STATE_STOPPED &&
	      attr_u8(res.tb, KTRACE_ATTR_SESSION_STARTED_ONCE) == 1 &&
	      attr_u64(res.tb, KTRACE_ATTR_SNAPSHOT_COUNT) == 1 &&
	      res.tb[KTRACE_ATTR_CHANNEL],
	      "SESSION_GET: snapshot mode, stopped, started once, 1 snapshot, a channel");
}

struct tp_seen {
	int events;
	int ktrace_test_fields;
	int prev_comm_ok;
	char unavailable[KTRACE_NAME_LEN + 1];	/* one, if any */
};

static void on_tracepoint(struct nlmsghdr *nlh, struct nlattr **tb,
			  void *arg)
{
	struct nlattr *in[KTRACE_ATTR_MAX + 1], *f[KTRACE_ATTR_MAX + 1];
	struct tp_seen *s = arg;
	struct nlattr *nla;
	const char *name;
	int rem;

	(void)nlh;
	if (!tb[KTRACE_ATTR_EVENT] ||
	    nla_parse_nested(in, KTRACE_ATTR_MAX, tb[KTRACE_ATTR_EVENT], NULL))
		return;
	s->events++;
	name = attr_str(in, KTRACE_ATTR_EVENT_NAME);
	if (attr_u8(in, KTRACE_ATTR_EVENT_AVAILABLE) == 0)
		snprintf(s->unavailable, sizeof(s->unavailable), "%s", name);
	nla_for_each_nested(nla, tb[KTRACE_ATTR_EVENT], rem) {
		if (nla_type(nla) != KTRACE_ATTR_FIELD ||
		    nla_parse_nested(f, KTRACE_ATTR_MAX, nla, NULL))
			continue;
		if (!strcmp(name, "ktrace_test") &&
		    attr_u32(f, KTRACE_ATTR_FIELD_TYPE) ==
			KTRACE_FIELD_TYPE_INTEGER &&
		    attr_u32(f, KTRACE_ATTR_FIELD_SIZE) == 8)
			s->ktrace_test_fields++;
		if (!strcmp(name, "sched_switch") &&
		    !strcmp(attr_str(f, KTRACE_ATTR_FIELD_NAME), "prev_comm") &&
		    attr_u32(f, KTRACE_ATTR_FIELD_TYPE) ==
			KTRACE_FIELD_TYPE_ARRAY_TEXT &&
		    attr_u32(f, KTRACE_ATTR_FIELD_LENGTH) == 16 &&
		    attr_u8(in, KTRACE_ATTR_EVENT_AVAILABLE) == 1)
			s->prev_comm_ok = 1;
	}
}

static void test_tracepoints(const char *session)
{
	struct tp_seen s = { 0 };

	res.each = on_tracepoint;
	res.arg = &s;
	transact(&conn, request(&conn, KTRACE_CMD_TRACEPOINT_LIST, 1), &res);
	res.each = NULL;
	check(!res.ack.error && s.events >= 2, "TRACEPOINT_LIST: %d events",
	      s.events);
	check(s.ktrace_test_fields == 2,
	      "ktrace_test has two 8-byte integer fields");
	check(s.prev_comm_ok,
	      "sched_switch is available, prev_comm is 16 bytes of text");
	if (!s.unavailable[0]) {
		printf("(every event is available on this kernel)\n");
		return;
	}
	event_cmd(KTRACE_CMD_EVENT_ENABLE, session, s.unavailable);
	expect_refusal(&res, -ENODEV, "this kernel lacks the event's tracepoint",
		       KTRACE_ATTR_EVENT_NAME, "EVENT_ENABLE of an unavailable event");
}

/*
 * Whether a refusal in a dump's start reaches the ack's extended ack:
 * netlink passes it on since Linux 6.2; on Debian's 6.1 the errno comes
 * back alone.
 */
static int dump_start_has_extack(void)
{
	struct utsname u;
	int major = 0, minor = 0;

	if (uname(&u) || sscanf(u.release, "%d.%d", &major, &minor) != 2)
		return 1;
	return major > 6 || (major == 6 && minor >= 2);
}

/*
 * The same requests from uid 65534 without capabilities: every command
 * and dump is refused, and so is the notification group.
 */
static void test_unprivileged(void)
{
	static const struct {
		uint8_t cmd;
		int dump;
	} cmds[] = {
		{ KTRACE_CMD_SESSION_NEW, 0 }, { KTRACE_CMD_SESSION_DEL, 0 },
		{ KTRACE_CMD_SESSION_GET, 0 }, { KTRACE_CMD_SESSION_GET, 1 },
		{ KTRACE_CMD_CHANNEL_NEW, 0 }, { KTRACE_CMD_CHANNEL_GET, 1 },
		{ KTRACE_CMD_EVENT_ENABLE, 0 }, { KTRACE_CMD_EVENT_GET, 1 },
		{ KTRACE_CMD_CONTEXT_ADD, 0 }, { KTRACE_CMD_START, 0 },
		{ KTRACE_CMD_STOP, 0 }, { KTRACE_CMD_TRACEPOINT_LIST, 1 },
		{ KTRACE_CMD_OUTPUT_ADD, 0 }, { KTRACE_CMD_OUTPUT_GET, 1 },
		{ KTRACE_CMD_SNAPSHOT_BUMP, 0 }, { KTRACE_CMD_TEST_FIRE, 0 },
	};
	int status, ok;
	size_t i;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		struct e2e_nl c;
		struct result r = { 0 };

		if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
			die("dropping privileges: %s", strerror(errno));
		e2e_failures = 0;
		e2e_nl_open(&c);
		for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
			const char *msg = PERM_MSG;

			if (cmds[i].dump && !dump_start_has_extack())
				msg = "";
			transact(&c, request(&c, cmds[i].cmd, cmds[i].dump), &r);
			check(r.ack.error == -EPERM && !strcmp(r.ack.msg, msg) &&
			      !r.replies,
			      "uid 65534: command %u%s refused: EPERM, \"%s\"",
			      cmds[i].cmd, cmds[i].dump ? " (dump)" : "",
			      r.ack.msg);
		}
		ok = e2e_nl_join(&c);
		check(ok == -EPERM,
		      "uid 65534: joining the sessions group: %s",
		      strerror(-ok));
		e2e_nl_close(&c);
		fflush(stdout);
		_exit(e2e_failures ? 1 : 0);
	}
	if (waitpid(pid, &status, 0) != pid)
		die("waitpid: %s", strerror(errno));
	check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "the unprivileged child passed its %zu checks",
	      sizeof(cmds) / sizeof(cmds[0]) + 1);
}

/* KTRACE_IOC_API announces the family. */
static void test_feature_bit(void)
{
	struct ktrace_api api = { .size = sizeof(api) };
	int fd = open(KTRACE_DEVICE_PATH, O_RDWR | O_CLOEXEC);

	check(fd >= 0 && !ioctl(fd, KTRACE_IOC_API, &api) &&
	      (api.features & KTRACE_FEATURE_GENL),
	      "KTRACE_IOC_API reports KTRACE_FEATURE_GENL (features %#llx)",
	      (unsigned long long)api.features);
	if (fd >= 0)
		close(fd);
}

int main(void)
{
	static const char *const names[3] = { "e2e-a", "e2e-b", "e2e-c" };
	struct listed l = { .names = { names[0], names[1], names[2] } };
	uint32_t ids[3];
	int i;

	test_feature_bit();
	e2e_nl_open(&conn);
	e2e_nl_open(&listener);
	check(listener.mcgrp > 0, "the %s group resolves",
	      KTRACE_GENL_MCGRP_SESSIONS);
	check(!e2e_nl_join(&listener),
	      "root joins the %s group", KTRACE_GENL_MCGRP_SESSIONS);

	test_sessions(ids, names);
	test_channels_events_contexts(names[0]);
	test_outputs(names[0]);
	test_start_stop(ids[0], names[0]);
	test_tracepoints(names[0]);
	test_unprivileged();
	/* Refusals (the child's too) notify nothing. */
	check(next_ntf(0).cmd == 0, "no notification for refused commands");

	for (i = 0; i < 3; i++) {
		check(!transact(&conn, session_msg(KTRACE_CMD_SESSION_DEL, 0,
						   names[i]), &res),
		      "SESSION_DEL %s", names[i]);
		expect_ntf(KTRACE_CMD_NTF_SESSION_DEL, ids[i], names[i], "DEL");
	}
	transact(&conn, session_msg(KTRACE_CMD_SESSION_DEL, 0, names[0]), &res);
	expect_refusal(&res, -ENOENT, "session not found",
		       KTRACE_ATTR_SESSION_NAME, "SESSION_DEL twice");
	res.each = on_listed_session;
	res.arg = &l;
	memcpy(l.ids, ids, sizeof(ids));
	transact(&conn, request(&conn, KTRACE_CMD_SESSION_GET, 1), &res);
	res.each = NULL;
	check(!res.ack.error && !l.seen[0] && !l.seen[1] && !l.seen[2],
	      "the session dump no longer lists them");

	result_reset(&res);
	e2e_nl_close(&conn);
	e2e_nl_close(&listener);
	return e2e_summary();
}
