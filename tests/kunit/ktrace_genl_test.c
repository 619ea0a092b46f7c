// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the generic netlink family "ktrace" (module/abi/genl.c).
 *
 * Requests are real netlink messages sent through a kernel netlink socket,
 * so that the genetlink core parses and validates them with the family's
 * own policies, checks the header and dispatches them exactly as it does
 * for userspace; acks come back with their extended-ack attributes. Every
 * refusal is checked for its errno, its message, and the attribute it
 * blames (NLMSGERR_ATTR_OFFS, resolved against the request) or reports
 * missing (NLMSGERR_ATTR_MISS_TYPE).
 *
 * Sessions are named "kt-genl*"; each case's exit destroys whatever such
 * sessions are left.
 */
#include <kunit/test.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/genetlink.h>
#include <linux/net.h>
#include <linux/netlink.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/string.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "abi/uapi/ktrace.h"
#include "core/event.h"
#include "core/session.h"
#include "probes/probes.h"
#include "ringbuffer/ringbuffer.h"

#define T_PREFIX	"kt-genl"
#define T_SESSION	"kt-genl"
#define T_CHAN		"chan"
#define T_OUTPUT	"out"
#define T_RECV_SIZE	(64 * 1024)
#define T_MSG_SIZE	8192
#define T_PERM_MSG	"ktrace needs CAP_PERFMON or CAP_SYS_ADMIN"
#define T_NAME_MSG	" name must be 1 to 64 characters from A-Z a-z 0-9 _ . -"
#define T_65		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

/* Resolved from the genetlink controller by the first socket. */
static u16 t_family;
static u32 t_mcgrp;

struct t_sock {
	struct socket *sock;
	u32 seq;
	u8 *buf;
};

/* What came back for one request. */
struct t_result {
	int error;		/* the ack's, or the dump's NLMSG_DONE's */
	char msg[160];		/* NLMSGERR_ATTR_MSG */
	u16 bad;		/* type of the attribute at NLMSGERR_ATTR_OFFS */
	u32 miss;		/* NLMSGERR_ATTR_MISS_TYPE */
	int nreplies;		/* messages other than the ack or done */
	int batches;		/* datagrams received */
	int reply_batches;	/* datagrams with replies */
	u8 *reply;		/* a copy of the first reply */
	struct nlattr *tb[KTRACE_ATTR_MAX + 1];	/* its attributes */
};

/* Called for each reply message; may look at @nlh only during the call. */
typedef void (*t_msg_fn)(struct kunit *test, const struct nlmsghdr *nlh,
			 void *arg);

static void t_sock_release(void *p)
{
	sock_release(p);
}

static void t_kfree_skb(void *p)
{
	kfree_skb(p);
}

static int t_setsockopt(struct t_sock *ts, int opt, int val)
{
	return ts->sock->ops->setsockopt(ts->sock, SOL_NETLINK, opt,
					 KERNEL_SOCKPTR(&val), sizeof(val));
}

static void t_parse(const struct nlmsghdr *nlh, struct nlattr **tb)
{
	const struct genlmsghdr *g = nlmsg_data(nlh);

	nla_parse_deprecated(tb, KTRACE_ATTR_MAX, genlmsg_data(g),
			     genlmsg_len(g), NULL, NULL);
}

static void t_parse_nested(const struct nlattr *nest, struct nlattr **tb)
{
	nla_parse_nested_deprecated(tb, KTRACE_ATTR_MAX, nest, NULL, NULL);
}

/* A request to @family: the header only, attributes to be put. */
static struct sk_buff *t_msg_family(struct kunit *test, u16 family, u8 cmd,
				    u16 flags)
{
	struct sk_buff *skb = nlmsg_new(T_MSG_SIZE, GFP_KERNEL);
	struct genlmsghdr *g;
	struct nlmsghdr *nlh;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, t_kfree_skb,
							skb), 0);
	nlh = nlmsg_put(skb, 0, 0, family, GENL_HDRLEN,
			NLM_F_REQUEST | flags);
	KUNIT_ASSERT_NOT_NULL(test, nlh);
	g = nlmsg_data(nlh);
	g->cmd = cmd;
	g->version = KTRACE_GENL_VERSION;
	g->reserved = 0;
	return skb;
}

static struct sk_buff *t_msg(struct kunit *test, u8 cmd)
{
	return t_msg_family(test, t_family, cmd, NLM_F_ACK);
}

static struct sk_buff *t_dump_msg(struct kunit *test, u8 cmd)
{
	return t_msg_family(test, t_family, cmd, NLM_F_DUMP);
}

static void t_ack_attrs(struct t_result *res, const struct sk_buff *req,
			const struct nlmsghdr *nlh, int hdrlen)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	u32 offs;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) ||
	    nlmsg_parse_deprecated(nlh, hdrlen, tb, NLMSGERR_ATTR_MAX, NULL,
				   NULL))
		return;
	if (tb[NLMSGERR_ATTR_MSG])
		strscpy(res->msg, nla_data(tb[NLMSGERR_ATTR_MSG]),
			sizeof(res->msg));
	if (tb[NLMSGERR_ATTR_OFFS]) {
		offs = nla_get_u32(tb[NLMSGERR_ATTR_OFFS]);
		if (offs + NLA_HDRLEN <= req->len)
			res->bad = nla_type((const struct nlattr *)
					    (req->data + offs));
	}
	if (tb[NLMSGERR_ATTR_MISS_TYPE])
		res->miss = nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
}

/* Sends @req; returns its result, to be completed by t_receive(). */
static struct t_result *t_send(struct kunit *test, struct t_sock *ts,
			       struct sk_buff *req)
{
	struct t_result *res = kunit_kzalloc(test, sizeof(*res), GFP_KERNEL);
	struct nlmsghdr *nlh = nlmsg_hdr(req);
	struct msghdr msg = {};
	struct kvec iov;
	int ret;

	if (!res)
		return NULL;
	nlh->nlmsg_seq = ++ts->seq;
	nlmsg_end(req, nlh);
	iov.iov_base = req->data;
	iov.iov_len = req->len;
	ret = kernel_sendmsg(ts->sock, &msg, &iov, 1, req->len);
	if (ret != req->len) {
		KUNIT_FAIL(test, "sendmsg: %d", ret);
		res->error = ret < 0 ? ret : -EIO;
	}
	return res;
}

/* Reads the replies to @req until its ack or the end of its dump. */
static void t_receive(struct kunit *test, struct t_sock *ts,
		      struct sk_buff *req, struct t_result *res, t_msg_fn fn,
		      void *arg)
{
	struct nlmsghdr *nlh;
	struct msghdr msg;
	struct kvec iov;
	bool done = false;
	int len;

	while (!done) {
		memset(&msg, 0, sizeof(msg));
		iov.iov_base = ts->buf;
		iov.iov_len = T_RECV_SIZE;
		len = kernel_recvmsg(ts->sock, &msg, &iov, 1, T_RECV_SIZE,
				     MSG_DONTWAIT);
		if (len < 0) {
			KUNIT_FAIL(test, "no ack for command %u: %d",
				   ((struct genlmsghdr *)
				    nlmsg_data(nlmsg_hdr(req)))->cmd, len);
			res->error = len;
			return;
		}
		res->batches++;
		if (nlmsg_ok((struct nlmsghdr *)ts->buf, len) &&
		    ((struct nlmsghdr *)ts->buf)->nlmsg_type >= NLMSG_MIN_TYPE)
			res->reply_batches++;
		for (nlh = (struct nlmsghdr *)ts->buf; nlmsg_ok(nlh, len);
		     nlh = nlmsg_next(nlh, &len)) {
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = nlmsg_data(nlh);

				res->error = e->error;
				t_ack_attrs(res, req, nlh, sizeof(*e));
				done = true;
				break;
			}
			if (nlh->nlmsg_type == NLMSG_DONE) {
				res->error = *(int *)nlmsg_data(nlh);
				t_ack_attrs(res, req, nlh, sizeof(int));
				done = true;
				break;
			}
			if (!res->nreplies++) {
				res->reply = kunit_kmalloc(test, nlh->nlmsg_len,
							   GFP_KERNEL);
				if (res->reply) {
					memcpy(res->reply, nlh, nlh->nlmsg_len);
					t_parse((void *)res->reply, res->tb);
				}
			}
			if (fn)
				fn(test, nlh, arg);
		}
	}
}

/*
 * Sends @req and reads until its ack (or the end of its dump). Never
 * asserts, so that it can run with borrowed credentials.
 */
static struct t_result *t_transact(struct kunit *test, struct t_sock *ts,
				   struct sk_buff *req, t_msg_fn fn, void *arg)
{
	struct t_result *res = t_send(test, ts, req);

	if (res && !res->error)
		t_receive(test, ts, req, res, fn, arg);
	return res;
}

static void t_resolve_reply(struct kunit *test, const struct nlmsghdr *nlh,
			    void *arg)
{
	struct nlattr *tb[CTRL_ATTR_MAX + 1], *g[CTRL_ATTR_MCAST_GRP_MAX + 1];
	const struct genlmsghdr *gh = nlmsg_data(nlh);
	struct nlattr *grp;
	int rem;

	nla_parse_deprecated(tb, CTRL_ATTR_MAX, genlmsg_data(gh),
			     genlmsg_len(gh), NULL, NULL);
	if (tb[CTRL_ATTR_FAMILY_ID])
		t_family = nla_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (!tb[CTRL_ATTR_MCAST_GROUPS])
		return;
	nla_for_each_nested(grp, tb[CTRL_ATTR_MCAST_GROUPS], rem) {
		nla_parse_nested_deprecated(g, CTRL_ATTR_MCAST_GRP_MAX, grp,
					    NULL, NULL);
		if (g[CTRL_ATTR_MCAST_GRP_NAME] && g[CTRL_ATTR_MCAST_GRP_ID] &&
		    !strcmp(nla_data(g[CTRL_ATTR_MCAST_GRP_NAME]),
			    KTRACE_GENL_MCGRP_SESSIONS))
			t_mcgrp = nla_get_u32(g[CTRL_ATTR_MCAST_GRP_ID]);
	}
}

/* A netlink socket with extended acks, the family resolved. */
static struct t_sock *t_sock_new(struct kunit *test)
{
	struct t_sock *ts = kunit_kzalloc(test, sizeof(*ts), GFP_KERNEL);
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK };
	struct t_result *res;
	struct sk_buff *req;

	KUNIT_ASSERT_NOT_NULL(test, ts);
	ts->buf = kunit_kmalloc(test, T_RECV_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ts->buf);
	KUNIT_ASSERT_EQ(test, sock_create_kern(&init_net, AF_NETLINK, SOCK_RAW,
					       NETLINK_GENERIC, &ts->sock), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, t_sock_release,
							ts->sock), 0);
	/* Bound now: a socket without a port id does not get multicasts. */
	KUNIT_ASSERT_EQ(test, kernel_bind(ts->sock, (struct sockaddr *)&addr,
					  sizeof(addr)), 0);
	KUNIT_ASSERT_EQ(test, t_setsockopt(ts, NETLINK_EXT_ACK, 1), 0);
	KUNIT_ASSERT_EQ(test, t_setsockopt(ts, NETLINK_CAP_ACK, 1), 0);
	if (t_family)
		return ts;

	req = t_msg_family(test, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, NLM_F_ACK);
	KUNIT_ASSERT_EQ(test, nla_put_string(req, CTRL_ATTR_FAMILY_NAME,
					     KTRACE_GENL_NAME), 0);
	res = t_transact(test, ts, req, t_resolve_reply, NULL);
	KUNIT_ASSERT_NOT_NULL(test, res);
	KUNIT_ASSERT_EQ_MSG(test, res->error, 0, "family %s not registered",
			    KTRACE_GENL_NAME);
	KUNIT_ASSERT_NE(test, t_family, 0);
	KUNIT_ASSERT_NE(test, t_mcgrp, 0);
	return ts;
}

/* A socket that receives the "sessions" notifications. */
static struct t_sock *t_listener(struct kunit *test)
{
	struct t_sock *ts = t_sock_new(test);

	KUNIT_ASSERT_EQ(test, t_setsockopt(ts, NETLINK_ADD_MEMBERSHIP,
					   t_mcgrp), 0);
	return ts;
}

/* The next queued notification: its command, session id and name. */
static u8 t_next_ntf(struct kunit *test, struct t_sock *ts, u32 *id,
		     char *name)
{
	struct nlattr *tb[KTRACE_ATTR_MAX + 1];
	struct msghdr msg = {};
	struct kvec iov = { .iov_base = ts->buf, .iov_len = T_RECV_SIZE };
	struct nlmsghdr *nlh = (struct nlmsghdr *)ts->buf;
	int len;

	len = kernel_recvmsg(ts->sock, &msg, &iov, 1, T_RECV_SIZE,
			     MSG_DONTWAIT);
	if (len < 0 || !nlmsg_ok(nlh, len))
		return 0;
	t_parse(nlh, tb);
	*id = tb[KTRACE_ATTR_SESSION_ID] ?
		nla_get_u32(tb[KTRACE_ATTR_SESSION_ID]) : 0;
	name[0] = '\0';
	if (tb[KTRACE_ATTR_SESSION_NAME])
		strscpy(name, nla_data(tb[KTRACE_ATTR_SESSION_NAME]),
			KTRACE_NAME_LEN + 1);
	return ((struct genlmsghdr *)nlmsg_data(nlh))->cmd;
}

/* Sessions the suite created, destroyed after every case. */
static void t_sweep(void)
{
	struct ktrace_session *s;
	u32 ids[256];
	int i, n;

	n = ktrace_session_list_ids(ids, ARRAY_SIZE(ids));
	for (i = 0; i < min_t(int, n, ARRAY_SIZE(ids)); i++) {
		s = ktrace_session_lookup_id(ids[i]);
		if (!s)
			continue;
		if (!strncmp(ktrace_session_name(s), T_PREFIX,
			     strlen(T_PREFIX)))
			ktrace_session_destroy(s);
		ktrace_session_put(s);
	}
}

static void t_session_put(void *p)
{
	ktrace_session_put(p);
}

static struct ktrace_session *t_session(struct kunit *test, const char *name,
					enum ktrace_session_mode mode)
{
	struct ktrace_session *s = ktrace_session_create(name, mode);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, s);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, t_session_put,
							s), 0);
	return s;
}

static struct ktrace_channel *t_channel(struct kunit *test,
					struct ktrace_session *s,
					const char *name,
					enum ktrace_channel_mode mode)
{
	struct ktrace_channel_attr attr = {
		.name = name,
		.subbuf_size = PAGE_SIZE,
		.num_subbuf = 2,
		.mode = mode,
	};
	struct ktrace_channel *c = ktrace_channel_create(s, &attr);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, c);
	return c;
}

/* Request attributes of a table row. */
enum t_kind {
	T_END,
	T_U8,
	T_U32,
	T_U64,
	T_STR,
	T_LONG,		/* @val 'a' characters and a NUL */
	T_SID,		/* the fixture session's id */
};

struct t_attr {
	u16 type;
	enum t_kind kind;
	u64 val;
	const char *str;
};

#define A_U8(t, v)	{ .type = (t), .kind = T_U8, .val = (v) }
#define A_U32(t, v)	{ .type = (t), .kind = T_U32, .val = (v) }
#define A_U64(t, v)	{ .type = (t), .kind = T_U64, .val = (v) }
#define A_STR(t, s)	{ .type = (t), .kind = T_STR, .str = (s) }
#define A_LONG(t, n)	{ .type = (t), .kind = T_LONG, .val = (n) }
#define A_SID		{ .type = KTRACE_ATTR_SESSION_ID, .kind = T_SID }
#define A_CHAN		A_STR(KTRACE_ATTR_CHANNEL_NAME, T_CHAN)

static void t_put(struct kunit *test, struct sk_buff *skb,
		  const struct t_attr *a, struct ktrace_session *s)
{
	u64 v64 = a->val;
	char *buf;
	int ret;

	switch (a->kind) {
	case T_U8:
		ret = nla_put_u8(skb, a->type, a->val);
		break;
	case T_U32:
		ret = nla_put_u32(skb, a->type, a->val);
		break;
	case T_U64:
		/* As libnl does: no padding attribute. */
		ret = nla_put(skb, a->type, sizeof(v64), &v64);
		break;
	case T_STR:
		ret = nla_put_string(skb, a->type, a->str);
		break;
	case T_LONG:
		buf = kunit_kzalloc(test, a->val + 1, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, buf);
		memset(buf, 'a', a->val);
		ret = nla_put(skb, a->type, a->val + 1, buf);
		break;
	case T_SID:
		ret = nla_put_u32(skb, a->type, ktrace_session_id(s));
		break;
	default:
		ret = -EINVAL;
		break;
	}
	KUNIT_ASSERT_EQ(test, ret, 0);
}

enum t_state {
	T_IDLE,		/* never started */
	T_ACTIVE,
	T_STOPPED,	/* started and stopped */
};

#define T_DUMP		BIT(0)	/* NLM_F_DUMP */
#define T_RESERVED	BIT(1)	/* genlmsghdr.reserved = 1 */
#define T_LIMIT		BIT(2)	/* max_buffer_mib = 1 during the request */
#define T_LIMIT_MSG	"buffers would pass max_buffer_mib=1 (0 MiB in use)"
#define T_NO_OUTPUT	BIT(3)	/* the fixture has no output */

/*
 * One request against the fixture: session T_SESSION (normal mode, in
 * @state) with channel T_CHAN (discard, a page x 2) recording the pid
 * context and ktrace_test, and the trace output T_OUTPUT (none with
 * T_NO_OUTPUT).
 */
struct t_case {
	const char *desc;
	u8 cmd;
	u8 flags;
	enum t_state state;
	struct t_attr attrs[8];
	int err;
	const char *msg;	/* NULL: no message */
	u16 bad;		/* attribute blamed, 0 for none */
	u16 miss;		/* attribute reported missing, 0 for none */
	u16 reply;		/* attribute the reply carries, 0 for none */
};

static const struct t_case t_cases[] = {
	/* Header and dispatch */
	{ "unknown command", 30, 0, T_IDLE, {}, -EOPNOTSUPP },
	{ "EVENT_GET is a dump only", KTRACE_CMD_EVENT_GET, 0, T_IDLE,
	  { A_SID }, -EOPNOTSUPP },
	{ "reserved header byte set", KTRACE_CMD_SESSION_GET, T_RESERVED,
	  T_IDLE, { A_SID }, -EINVAL, "genlmsghdr.reserved field is not 0" },
	{ "attribute type past the last", KTRACE_CMD_SESSION_GET, 0, T_IDLE,
	  { A_U32(KTRACE_ATTR_MAX + 1, 1) }, -EINVAL, "Unknown attribute type",
	  KTRACE_ATTR_MAX + 1 },
	{ "attribute of another command", KTRACE_CMD_SESSION_GET, 0, T_IDLE,
	  { A_SID, A_STR(KTRACE_ATTR_EVENT_NAME, "x") }, -EINVAL,
	  "Unsupported attribute", KTRACE_ATTR_EVENT_NAME },
	{ "pad attribute", KTRACE_CMD_SESSION_GET, 0, T_IDLE,
	  { A_SID, A_U32(KTRACE_ATTR_PAD, 0) }, -EINVAL,
	  "Unsupported attribute", KTRACE_ATTR_PAD },

	/* SESSION_NEW */
	{ "session new: name missing", KTRACE_CMD_SESSION_NEW, 0, T_IDLE,
	  { A_U32(KTRACE_ATTR_SESSION_MODE, KTRACE_SESSION_MODE_NORMAL) },
	  -EINVAL, "session name required", 0, KTRACE_ATTR_SESSION_NAME },
	{ "session new: name of 65 characters", KTRACE_CMD_SESSION_NEW, 0,
	  T_IDLE, { A_LONG(KTRACE_ATTR_SESSION_NAME, 65) }, -EINVAL,
	  "Attribute failed policy validation", KTRACE_ATTR_SESSION_NAME },
	{ "session new: empty name", KTRACE_CMD_SESSION_NEW, 0, T_IDLE,
	  { A_STR(KTRACE_ATTR_SESSION_NAME, "") }, -EINVAL,
	  "session" T_NAME_MSG, KTRACE_ATTR_SESSION_NAME },
	{ "session new: name with a slash", KTRACE_CMD_SESSION_NEW, 0, T_IDLE,
	  { A_STR(KTRACE_ATTR_SESSION_NAME, "kt-genl/x") }, -EINVAL,
	  "session" T_NAME_MSG, KTRACE_ATTR_SESSION_NAME },
	{ "session new: name with a space", KTRACE_CMD_SESSION_NEW, 0, T_IDLE,
	  { A_STR(KTRACE_ATTR_SESSION_NAME, "kt-genl x") }, -EINVAL,
	  "session" T_NAME_MSG, KTRACE_ATTR_SESSION_NAME },
	{ "session new: name not a string", KTRACE_CMD_SESSION_NEW, 0, T_IDLE,
	  { A_U32(KTRACE_ATTR_SESSION_NAME, 0x61616161) }, -EINVAL,
	  "Attribute failed policy validation", KTRACE_ATTR_SESSION_NAME },
	{ "session new: mode 0", KTRACE_CMD_SESSION_NEW, 0, T_IDLE,
	  { A_STR(KTRACE_ATTR_SESSION_NAME, "kt-genl-new"),
	    A_U32(KTRACE_ATTR_SESSION_MODE, 0) }, -ERANGE,
	  "integer out of range", KTRACE_ATTR_SESSION_MODE },
	{ "session new: mode 3", KTRACE_CMD_SESSION_NEW, 0, T_IDLE,
	  { A_STR(KTRACE_ATTR_SESSION_NAME, "kt-genl-new"),
	    A_U32(KTRACE_ATTR_SESSION_MODE, 3) }, -ERANGE,
	  "integer out of range", KTRACE_ATTR_SESSION_MODE },
	{ "session new: mode of one byte", KTRACE_CMD_SESSION_NEW, 0, T_IDLE,
	  { A_STR(KTRACE_ATTR_SESSION_NAME, "kt-genl-new"),
	    A_U8(KTRACE_ATTR_SESSION_MODE, 1) }, -EINVAL,
	  "invalid attribute length", KTRACE_ATTR_SESSION_MODE },
	{ "session new: name taken", KTRACE_CMD_SESSION_NEW, 0, T_IDLE,
	  { A_STR(KTRACE_ATTR_SESSION_NAME, T_SESSION) }, -EEXIST,
	  "a session of that name exists", KTRACE_ATTR_SESSION_NAME },
	{ "session new: snapshot session", KTRACE_CMD_SESSION_NEW, 0, T_IDLE,
	  { A_STR(KTRACE_ATTR_SESSION_NAME, "kt-genl-new"),
	    A_U32(KTRACE_ATTR_SESSION_MODE, KTRACE_SESSION_MODE_SNAPSHOT) },
	  0, NULL, 0, 0, KTRACE_ATTR_SESSION_ID },
	{ "session new: 64 characters, default mode", KTRACE_CMD_SESSION_NEW,
	  0, T_IDLE,
	  { A_STR(KTRACE_ATTR_SESSION_NAME,
		  "kt-genl-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa") },
	  0, NULL, 0, 0, KTRACE_ATTR_SESSION_ID },

	/* Naming a session */
	{ "session del: neither id nor name", KTRACE_CMD_SESSION_DEL, 0,
	  T_IDLE, {}, -EINVAL, "session id or name required", 0,
	  KTRACE_ATTR_SESSION_ID },
	{ "session del: id and name", KTRACE_CMD_SESSION_DEL, 0, T_IDLE,
	  { A_SID, A_STR(KTRACE_ATTR_SESSION_NAME, T_SESSION) }, -EINVAL,
	  "give the session's id or its name, not both",
	  KTRACE_ATTR_SESSION_NAME },
	{ "session del: id 0", KTRACE_CMD_SESSION_DEL, 0, T_IDLE,
	  { A_U32(KTRACE_ATTR_SESSION_ID, 0) }, -ERANGE,
	  "integer out of range", KTRACE_ATTR_SESSION_ID },
	{ "session del: unknown id", KTRACE_CMD_SESSION_DEL, 0, T_IDLE,
	  { A_U32(KTRACE_ATTR_SESSION_ID, U32_MAX) }, -ENOENT,
	  "session not found", KTRACE_ATTR_SESSION_ID },
	{ "session del: unknown name", KTRACE_CMD_SESSION_DEL, 0, T_IDLE,
	  { A_STR(KTRACE_ATTR_SESSION_NAME, "kt-genl-none") }, -ENOENT,
	  "session not found", KTRACE_ATTR_SESSION_NAME },
	{ "session del: invalid name", KTRACE_CMD_SESSION_DEL, 0, T_IDLE,
	  { A_STR(KTRACE_ATTR_SESSION_NAME, "kt:genl") }, -EINVAL,
	  "session" T_NAME_MSG, KTRACE_ATTR_SESSION_NAME },
	{ "session del: by name", KTRACE_CMD_SESSION_DEL, 0, T_ACTIVE,
	  { A_STR(KTRACE_ATTR_SESSION_NAME, T_SESSION) } },
	{ "session get: unknown id", KTRACE_CMD_SESSION_GET, 0, T_IDLE,
	  { A_U32(KTRACE_ATTR_SESSION_ID, U32_MAX) }, -ENOENT,
	  "session not found", KTRACE_ATTR_SESSION_ID },
	{ "session get: by name", KTRACE_CMD_SESSION_GET, 0, T_IDLE,
	  { A_STR(KTRACE_ATTR_SESSION_NAME, T_SESSION) }, 0, NULL, 0, 0,
	  KTRACE_ATTR_CHANNEL },

	/* START, STOP, SNAPSHOT_BUMP */
	{ "start: active session", KTRACE_CMD_START, 0, T_ACTIVE, { A_SID },
	  -EALREADY, "session is already active" },
	{ "start: unknown session", KTRACE_CMD_START, 0, T_IDLE,
	  { A_U32(KTRACE_ATTR_SESSION_ID, U32_MAX) }, -ENOENT,
	  "session not found", KTRACE_ATTR_SESSION_ID },
	{ "start: stopped session", KTRACE_CMD_START, 0, T_STOPPED,
	  { A_SID } },
	{ "stop: session never started", KTRACE_CMD_STOP, 0, T_IDLE,
	  { A_SID }, -EALREADY, "session is not active" },
	{ "stop: stopped session", KTRACE_CMD_STOP, 0, T_STOPPED, { A_SID },
	  -EALREADY, "session is not active" },
	{ "stop: active session", KTRACE_CMD_STOP, 0, T_ACTIVE, { A_SID }, 0,
	  NULL, 0, 0, KTRACE_ATTR_STOP_SEQ },
	{ "snapshot bump: no session", KTRACE_CMD_SNAPSHOT_BUMP, 0, T_IDLE,
	  {}, -EINVAL, "session id or name required", 0,
	  KTRACE_ATTR_SESSION_ID },
	{ "snapshot bump: counts", KTRACE_CMD_SNAPSHOT_BUMP, 0, T_STOPPED,
	  { A_SID }, 0, NULL, 0, 0, KTRACE_ATTR_SNAPSHOT_COUNT },

	/* CHANNEL_NEW */
	{ "channel new: name missing", KTRACE_CMD_CHANNEL_NEW, 0, T_IDLE,
	  { A_SID }, -EINVAL, "channel name required", 0,
	  KTRACE_ATTR_CHANNEL_NAME },
	{ "channel new: invalid name", KTRACE_CMD_CHANNEL_NEW, 0, T_IDLE,
	  { A_SID, A_STR(KTRACE_ATTR_CHANNEL_NAME, "c*") }, -EINVAL,
	  "channel" T_NAME_MSG, KTRACE_ATTR_CHANNEL_NAME },
	{ "channel new: name of 65 characters", KTRACE_CMD_CHANNEL_NEW, 0,
	  T_IDLE, { A_SID, A_LONG(KTRACE_ATTR_CHANNEL_NAME, 65) }, -EINVAL,
	  "Attribute failed policy validation", KTRACE_ATTR_CHANNEL_NAME },
	{ "channel new: no session", KTRACE_CMD_CHANNEL_NEW, 0, T_IDLE,
	  { A_STR(KTRACE_ATTR_CHANNEL_NAME, "c2") }, -EINVAL,
	  "session id or name required", 0, KTRACE_ATTR_SESSION_ID },
	{ "channel new: unknown session", KTRACE_CMD_CHANNEL_NEW, 0, T_IDLE,
	  { A_STR(KTRACE_ATTR_SESSION_NAME, "kt-genl-none"),
	    A_STR(KTRACE_ATTR_CHANNEL_NAME, "c2") }, -ENOENT,
	  "session not found", KTRACE_ATTR_SESSION_NAME },
	{ "channel new: sub-buffer size not a power of two",
	  KTRACE_CMD_CHANNEL_NEW, 0, T_IDLE,
	  { A_SID, A_STR(KTRACE_ATTR_CHANNEL_NAME, "c2"),
	    A_U64(KTRACE_ATTR_CHANNEL_SUBBUF_SIZE, 3 * PAGE_SIZE) }, -EINVAL,
	  "sub-buffer size must be a power of two",
	  KTRACE_ATTR_CHANNEL_SUBBUF_SIZE },
	{ "channel new: sub-buffer smaller than a page",
	  KTRACE_CMD_CHANNEL_NEW, 0, T_IDLE,
	  { A_SID, A_STR(KTRACE_ATTR_CHANNEL_NAME, "c2"),
	    A_U64(KTRACE_ATTR_CHANNEL_SUBBUF_SIZE, PAGE_SIZE / 2) }, -ERANGE,
	  "integer out of range", KTRACE_ATTR_CHANNEL_SUBBUF_SIZE },
	{ "channel new: sub-buffer size of four bytes",
	  KTRACE_CMD_CHANNEL_NEW, 0, T_IDLE,
	  { A_SID, A_STR(KTRACE_ATTR_CHANNEL_NAME, "c2"),
	    A_U32(KTRACE_ATTR_CHANNEL_SUBBUF_SIZE, PAGE_SIZE) }, -EINVAL,
	  "invalid attribute length", KTRACE_ATTR_CHANNEL_SUBBUF_SIZE },
	{ "channel new: one sub-buffer", KTRACE_CMD_CHANNEL_NEW, 0, T_IDLE,
	  { A_SID, A_STR(KTRACE_ATTR_CHANNEL_NAME, "c2"),
	    A_U32(KTRACE_ATTR_CHANNEL_NUM_SUBBUF, 1) }, -ERANGE,
	  "integer out of range", KTRACE_ATTR_CHANNEL_NUM_SUBBUF },
	{ "channel new: three sub-buffers", KTRACE_CMD_CHANNEL_NEW, 0, T_IDLE,
	  { A_SID, A_STR(KTRACE_ATTR_CHANNEL_NAME, "c2"),
	    A_U32(KTRACE_ATTR_CHANNEL_NUM_SUBBUF, 3) }, -EINVAL,
	  "number of sub-buffers must be a power of two",
	  KTRACE_ATTR_CHANNEL_NUM_SUBBUF },
	{ "channel new: geometry past the position range",
	  KTRACE_CMD_CHANNEL_NEW, 0, T_IDLE,
	  { A_SID, A_STR(KTRACE_ATTR_CHANNEL_NAME, "c2"),
	    A_U64(KTRACE_ATTR_CHANNEL_SUBBUF_SIZE, 1ULL << 40),
	    A_U32(KTRACE_ATTR_CHANNEL_NUM_SUBBUF, 1U << 31) }, -EINVAL,
	  "sub-buffers too large or too many",
	  KTRACE_ATTR_CHANNEL_SUBBUF_SIZE },
	{ "channel new: more than all memory", KTRACE_CMD_CHANNEL_NEW, 0,
	  T_IDLE,
	  { A_SID, A_STR(KTRACE_ATTR_CHANNEL_NAME, "c2"),
	    A_U64(KTRACE_ATTR_CHANNEL_SUBBUF_SIZE, 1ULL << 30),
	    A_U32(KTRACE_ATTR_CHANNEL_NUM_SUBBUF, 1U << 10) }, -ENOMEM,
	  "not enough memory for the channel's buffers" },
	{ "channel new: over max_buffer_mib", KTRACE_CMD_CHANNEL_NEW, T_LIMIT,
	  T_IDLE,
	  { A_SID, A_STR(KTRACE_ATTR_CHANNEL_NAME, "c2"),
	    A_U64(KTRACE_ATTR_CHANNEL_SUBBUF_SIZE, 1ULL << 20),
	    A_U32(KTRACE_ATTR_CHANNEL_NUM_SUBBUF, 2) }, -ENOSPC, T_LIMIT_MSG },
	{ "channel new: within max_buffer_mib", KTRACE_CMD_CHANNEL_NEW,
	  T_LIMIT, T_IDLE,
	  { A_SID, A_STR(KTRACE_ATTR_CHANNEL_NAME, "c2"),
	    A_U64(KTRACE_ATTR_CHANNEL_SUBBUF_SIZE, PAGE_SIZE),
	    A_U32(KTRACE_ATTR_CHANNEL_NUM_SUBBUF, 2) },
	  0, NULL, 0, 0, KTRACE_ATTR_CHANNEL_ID },
	{ "event enable: channel0 over max_buffer_mib", KTRACE_CMD_EVENT_ENABLE,
	  T_LIMIT, T_IDLE,
	  { A_SID, A_STR(KTRACE_ATTR_EVENT_NAME, "ktrace_test") }, -ENOSPC,
	  T_LIMIT_MSG },
	{ "channel new: mode 0", KTRACE_CMD_CHANNEL_NEW, 0, T_IDLE,
	  { A_SID, A_STR(KTRACE_ATTR_CHANNEL_NAME, "c2"),
	    A_U32(KTRACE_ATTR_CHANNEL_MODE, 0) }, -ERANGE,
	  "integer out of range", KTRACE_ATTR_CHANNEL_MODE },
	{ "channel new: mode 3", KTRACE_CMD_CHANNEL_NEW, 0, T_IDLE,
	  { A_SID, A_STR(KTRACE_ATTR_CHANNEL_NAME, "c2"),
	    A_U32(KTRACE_ATTR_CHANNEL_MODE, 3) }, -ERANGE,
	  "integer out of range", KTRACE_ATTR_CHANNEL_MODE },
	{ "channel new: output 0", KTRACE_CMD_CHANNEL_NEW, 0, T_IDLE,
	  { A_SID, A_STR(KTRACE_ATTR_CHANNEL_NAME, "c2"),
	    A_U32(KTRACE_ATTR_CHANNEL_OUTPUT, 0) }, -ERANGE,
	  "integer out of range", KTRACE_ATTR_CHANNEL_OUTPUT },
	{ "channel new: output 3", KTRACE_CMD_CHANNEL_NEW, 0, T_IDLE,
	  { A_SID, A_STR(KTRACE_ATTR_CHANNEL_NAME, "c2"),
	    A_U32(KTRACE_ATTR_CHANNEL_OUTPUT, 3) }, -ERANGE,
	  "integer out of range", KTRACE_ATTR_CHANNEL_OUTPUT },
	{ "channel new: name taken", KTRACE_CMD_CHANNEL_NEW, 0, T_IDLE,
	  { A_SID, A_CHAN }, -EEXIST, "the session has a channel of that name",
	  KTRACE_ATTR_CHANNEL_NAME },
	{ "channel new: active session", KTRACE_CMD_CHANNEL_NEW, 0, T_ACTIVE,
	  { A_SID, A_STR(KTRACE_ATTR_CHANNEL_NAME, "c2") }, -EBUSY,
	  "cannot add a channel to an active session" },
	{ "channel new: every attribute", KTRACE_CMD_CHANNEL_NEW, 0, T_STOPPED,
	  { A_SID, A_STR(KTRACE_ATTR_CHANNEL_NAME, "c2"),
	    A_U32(KTRACE_ATTR_CHANNEL_MODE, KTRACE_CHANNEL_OVERWRITE),
	    A_U64(KTRACE_ATTR_CHANNEL_SUBBUF_SIZE, 2 * PAGE_SIZE),
	    A_U32(KTRACE_ATTR_CHANNEL_NUM_SUBBUF, 4),
	    A_U32(KTRACE_ATTR_CHANNEL_SWITCH_TIMER, 1000),
	    A_U32(KTRACE_ATTR_CHANNEL_OUTPUT, KTRACE_CHANNEL_MMAP) },
	  0, NULL, 0, 0, KTRACE_ATTR_CHANNEL_ID },

	/* Naming a channel: CHANNEL_GET */
	{ "channel get: no channel", KTRACE_CMD_CHANNEL_GET, 0, T_IDLE,
	  { A_SID }, -EINVAL, "channel id or name required", 0,
	  KTRACE_ATTR_CHANNEL_ID },
	{ "channel get: id and name", KTRACE_CMD_CHANNEL_GET, 0, T_IDLE,
	  { A_SID, A_U32(KTRACE_ATTR_CHANNEL_ID, 0), A_CHAN }, -EINVAL,
	  "give the channel's id or its name, not both",
	  KTRACE_ATTR_CHANNEL_NAME },
	{ "channel get: unknown id", KTRACE_CMD_CHANNEL_GET, 0, T_IDLE,
	  { A_SID, A_U32(KTRACE_ATTR_CHANNEL_ID, 7) }, -ENOENT,
	  "channel not found", KTRACE_ATTR_CHANNEL_ID },
	{ "channel get: unknown name", KTRACE_CMD_CHANNEL_GET, 0, T_IDLE,
	  { A_SID, A_STR(KTRACE_ATTR_CHANNEL_NAME, "nochan") }, -ENOENT,
	  "channel not found", KTRACE_ATTR_CHANNEL_NAME },
	{ "channel get: invalid name", KTRACE_CMD_CHANNEL_GET, 0, T_IDLE,
	  { A_SID, A_STR(KTRACE_ATTR_CHANNEL_NAME, "no chan") }, -EINVAL,
	  "channel" T_NAME_MSG, KTRACE_ATTR_CHANNEL_NAME },
	{ "channel get: by name", KTRACE_CMD_CHANNEL_GET, 0, T_IDLE,
	  { A_SID, A_CHAN }, 0, NULL, 0, 0, KTRACE_ATTR_CHANNEL },

	/* EVENT_ENABLE, EVENT_DISABLE */
	{ "event enable: name missing", KTRACE_CMD_EVENT_ENABLE, 0, T_IDLE,
	  { A_SID, A_CHAN }, -EINVAL, "event name or pattern required", 0,
	  KTRACE_ATTR_EVENT_NAME },
	{ "event enable: invalid pattern", KTRACE_CMD_EVENT_ENABLE, 0, T_IDLE,
	  { A_SID, A_CHAN, A_STR(KTRACE_ATTR_EVENT_NAME, "sched-switch") },
	  -EINVAL,
	  "event name or pattern must be 1 to 64 characters from A-Z a-z 0-9 _ * ?",
	  KTRACE_ATTR_EVENT_NAME },
	{ "event enable: pattern of 65 characters", KTRACE_CMD_EVENT_ENABLE,
	  0, T_IDLE,
	  { A_SID, A_CHAN, A_LONG(KTRACE_ATTR_EVENT_NAME, 65) }, -EINVAL,
	  "Attribute failed policy validation", KTRACE_ATTR_EVENT_NAME },
	{ "event enable: unknown event", KTRACE_CMD_EVENT_ENABLE, 0, T_IDLE,
	  { A_SID, A_CHAN, A_STR(KTRACE_ATTR_EVENT_NAME, "no_such_event") },
	  -ENOENT, "no event matches", KTRACE_ATTR_EVENT_NAME },
	{ "event enable: glob matching nothing", KTRACE_CMD_EVENT_ENABLE, 0,
	  T_IDLE, { A_SID, A_CHAN, A_STR(KTRACE_ATTR_EVENT_NAME, "zz*") },
	  -ENOENT, "no event matches", KTRACE_ATTR_EVENT_NAME },
	{ "event enable: unknown channel", KTRACE_CMD_EVENT_ENABLE, 0, T_IDLE,
	  { A_SID, A_STR(KTRACE_ATTR_CHANNEL_NAME, "nochan"),
	    A_STR(KTRACE_ATTR_EVENT_NAME, "ktrace_test") }, -ENOENT,
	  "channel not found", KTRACE_ATTR_CHANNEL_NAME },
	{ "event enable: no session", KTRACE_CMD_EVENT_ENABLE, 0, T_IDLE,
	  { A_STR(KTRACE_ATTR_EVENT_NAME, "ktrace_test") }, -EINVAL,
	  "session id or name required", 0, KTRACE_ATTR_SESSION_ID },
	{ "event enable: channel0 in an active session",
	  KTRACE_CMD_EVENT_ENABLE, 0, T_ACTIVE,
	  { A_SID, A_STR(KTRACE_ATTR_EVENT_NAME, "ktrace_test") }, -EBUSY,
	  "cannot create channel0 in an active session" },
	{ "event enable: while active", KTRACE_CMD_EVENT_ENABLE, 0, T_ACTIVE,
	  { A_SID, A_CHAN, A_STR(KTRACE_ATTR_EVENT_NAME, "ktrace_test") },
	  0, NULL, 0, 0, KTRACE_ATTR_EVENT_COUNT },
	{ "event disable: not enabled", KTRACE_CMD_EVENT_DISABLE, 0, T_IDLE,
	  { A_SID, A_CHAN, A_STR(KTRACE_ATTR_EVENT_NAME, "sched_switch") },
	  -ENOENT, "no enabled event of the channel matches",
	  KTRACE_ATTR_EVENT_NAME },
	{ "event disable: session without channel0", KTRACE_CMD_EVENT_DISABLE,
	  0, T_IDLE, { A_SID, A_STR(KTRACE_ATTR_EVENT_NAME, "ktrace_test") },
	  -ENOENT, "no channel given and the session has no channel0" },
	{ "event disable: invalid pattern", KTRACE_CMD_EVENT_DISABLE, 0,
	  T_IDLE, { A_SID, A_CHAN, A_STR(KTRACE_ATTR_EVENT_NAME, "") },
	  -EINVAL,
	  "event name or pattern must be 1 to 64 characters from A-Z a-z 0-9 _ * ?",
	  KTRACE_ATTR_EVENT_NAME },
	{ "event disable: by glob", KTRACE_CMD_EVENT_DISABLE, 0, T_ACTIVE,
	  { A_SID, A_CHAN, A_STR(KTRACE_ATTR_EVENT_NAME, "ktrace_*") },
	  0, NULL, 0, 0, KTRACE_ATTR_EVENT_COUNT },

	/* CONTEXT_ADD */
	{ "context add: type missing", KTRACE_CMD_CONTEXT_ADD, 0, T_IDLE,
	  { A_SID, A_CHAN }, -EINVAL, "context type required", 0,
	  KTRACE_ATTR_CONTEXT_TYPE },
	{ "context add: type 0", KTRACE_CMD_CONTEXT_ADD, 0, T_IDLE,
	  { A_SID, A_CHAN, A_U32(KTRACE_ATTR_CONTEXT_TYPE, 0) }, -ERANGE,
	  "integer out of range", KTRACE_ATTR_CONTEXT_TYPE },
	{ "context add: type 10", KTRACE_CMD_CONTEXT_ADD, 0, T_IDLE,
	  { A_SID, A_CHAN, A_U32(KTRACE_ATTR_CONTEXT_TYPE, 10) }, -ERANGE,
	  "integer out of range", KTRACE_ATTR_CONTEXT_TYPE },
	{ "context add: duplicate", KTRACE_CMD_CONTEXT_ADD, 0, T_IDLE,
	  { A_SID, A_CHAN,
	    A_U32(KTRACE_ATTR_CONTEXT_TYPE, KTRACE_CONTEXT_TYPE_PID) },
	  -EEXIST, "the channel records this context already",
	  KTRACE_ATTR_CONTEXT_TYPE },
	{ "context add: session started before", KTRACE_CMD_CONTEXT_ADD, 0,
	  T_STOPPED,
	  { A_SID, A_CHAN,
	    A_U32(KTRACE_ATTR_CONTEXT_TYPE, KTRACE_CONTEXT_TYPE_TID) },
	  -EBUSY, "contexts can only be added before the session's first start" },
	{ "context add: unknown channel id", KTRACE_CMD_CONTEXT_ADD, 0, T_IDLE,
	  { A_SID, A_U32(KTRACE_ATTR_CHANNEL_ID, 9),
	    A_U32(KTRACE_ATTR_CONTEXT_TYPE, KTRACE_CONTEXT_TYPE_TID) },
	  -ENOENT, "channel not found", KTRACE_ATTR_CHANNEL_ID },
	{ "context add: hostname", KTRACE_CMD_CONTEXT_ADD, 0, T_IDLE,
	  { A_SID, A_CHAN,
	    A_U32(KTRACE_ATTR_CONTEXT_TYPE, KTRACE_CONTEXT_TYPE_HOSTNAME) } },

	/* OUTPUT_ADD, OUTPUT_DEL */
	{ "output add: destination missing", KTRACE_CMD_OUTPUT_ADD, 0, T_IDLE,
	  { A_SID }, -EINVAL, "output destination required", 0,
	  KTRACE_ATTR_OUTPUT_DEST },
	{ "output add: empty destination", KTRACE_CMD_OUTPUT_ADD, 0, T_IDLE,
	  { A_SID, A_STR(KTRACE_ATTR_OUTPUT_DEST, "") }, -EINVAL,
	  "output destination must not be empty", KTRACE_ATTR_OUTPUT_DEST },
	{ "output add: destination of 4096 bytes", KTRACE_CMD_OUTPUT_ADD, 0,
	  T_IDLE, { A_SID, A_LONG(KTRACE_ATTR_OUTPUT_DEST, KTRACE_DEST_LEN + 1) },
	  -EINVAL, "Attribute failed policy validation",
	  KTRACE_ATTR_OUTPUT_DEST },
	{ "output add: invalid name", KTRACE_CMD_OUTPUT_ADD, 0, T_IDLE,
	  { A_SID, A_STR(KTRACE_ATTR_OUTPUT_NAME, "a b"),
	    A_STR(KTRACE_ATTR_OUTPUT_DEST, "/tmp") }, -EINVAL,
	  "output" T_NAME_MSG, KTRACE_ATTR_OUTPUT_NAME },
	{ "output add: name taken", KTRACE_CMD_OUTPUT_ADD, 0, T_IDLE,
	  { A_SID, A_STR(KTRACE_ATTR_OUTPUT_NAME, T_OUTPUT),
	    A_STR(KTRACE_ATTR_OUTPUT_DEST, "/tmp") }, -EEXIST,
	  "the session has an output of that name", KTRACE_ATTR_OUTPUT_NAME },
	{ "output add: destination of 4095 bytes", KTRACE_CMD_OUTPUT_ADD,
	  T_NO_OUTPUT, T_IDLE,
	  { A_SID, A_LONG(KTRACE_ATTR_OUTPUT_DEST, KTRACE_DEST_LEN) },
	  0, NULL, 0, 0, KTRACE_ATTR_OUTPUT_ID },
	{ "output add: a second trace output", KTRACE_CMD_OUTPUT_ADD, 0,
	  T_IDLE, { A_SID, A_STR(KTRACE_ATTR_OUTPUT_DEST, "/tmp") }, -EEXIST,
	  "a normal session has one trace output" },
	{ "output add: a size for a trace output", KTRACE_CMD_OUTPUT_ADD,
	  T_NO_OUTPUT, T_IDLE,
	  { A_SID, A_STR(KTRACE_ATTR_OUTPUT_DEST, "/tmp"),
	    A_U64(KTRACE_ATTR_OUTPUT_MAX_SIZE, 1 << 20) }, -EINVAL,
	  "a trace output has no size limit", KTRACE_ATTR_OUTPUT_MAX_SIZE },
	{ "output del: neither id nor name", KTRACE_CMD_OUTPUT_DEL, 0, T_IDLE,
	  { A_SID }, -EINVAL, "output id or name required", 0,
	  KTRACE_ATTR_OUTPUT_ID },
	{ "output del: id and name", KTRACE_CMD_OUTPUT_DEL, 0, T_IDLE,
	  { A_SID, A_U32(KTRACE_ATTR_OUTPUT_ID, 1),
	    A_STR(KTRACE_ATTR_OUTPUT_NAME, T_OUTPUT) }, -EINVAL,
	  "give the output's id or its name, not both",
	  KTRACE_ATTR_OUTPUT_NAME },
	{ "output del: id 0", KTRACE_CMD_OUTPUT_DEL, 0, T_IDLE,
	  { A_SID, A_U32(KTRACE_ATTR_OUTPUT_ID, 0) }, -ERANGE,
	  "integer out of range", KTRACE_ATTR_OUTPUT_ID },
	{ "output del: unknown id", KTRACE_CMD_OUTPUT_DEL, 0, T_IDLE,
	  { A_SID, A_U32(KTRACE_ATTR_OUTPUT_ID, 99) }, -ENOENT,
	  "output not found", KTRACE_ATTR_OUTPUT_ID },
	{ "output del: unknown name", KTRACE_CMD_OUTPUT_DEL, 0, T_IDLE,
	  { A_SID, A_STR(KTRACE_ATTR_OUTPUT_NAME, "nope") }, -ENOENT,
	  "output not found", KTRACE_ATTR_OUTPUT_NAME },
	{ "output del: invalid name", KTRACE_CMD_OUTPUT_DEL, 0, T_IDLE,
	  { A_SID, A_STR(KTRACE_ATTR_OUTPUT_NAME, "o/1") }, -EINVAL,
	  "output" T_NAME_MSG, KTRACE_ATTR_OUTPUT_NAME },
	{ "output del: by name", KTRACE_CMD_OUTPUT_DEL, 0, T_ACTIVE,
	  { A_SID, A_STR(KTRACE_ATTR_OUTPUT_NAME, T_OUTPUT) } },

	/* TEST_FIRE */
	{ "test fire: count missing", KTRACE_CMD_TEST_FIRE, 0, T_IDLE,
	  { A_U64(KTRACE_ATTR_TEST_SEQ, 1) }, -EINVAL, "event count required",
	  0, KTRACE_ATTR_TEST_COUNT },
	{ "test fire: count 0", KTRACE_CMD_TEST_FIRE, 0, T_IDLE,
	  { A_U32(KTRACE_ATTR_TEST_COUNT, 0) }, -ERANGE,
	  "integer out of range", KTRACE_ATTR_TEST_COUNT },
	{ "test fire: count past KTRACE_TEST_FIRE_MAX", KTRACE_CMD_TEST_FIRE,
	  0, T_IDLE, { A_U32(KTRACE_ATTR_TEST_COUNT, KTRACE_TEST_FIRE_MAX + 1) },
	  -ERANGE, "integer out of range", KTRACE_ATTR_TEST_COUNT },
	{ "test fire: a session id is not taken", KTRACE_CMD_TEST_FIRE, 0,
	  T_IDLE, { A_SID, A_U32(KTRACE_ATTR_TEST_COUNT, 1) }, -EINVAL,
	  "Unsupported attribute", KTRACE_ATTR_SESSION_ID },
	{ "test fire: every attribute", KTRACE_CMD_TEST_FIRE, 0, T_ACTIVE,
	  { A_U64(KTRACE_ATTR_TEST_SEQ, 1), A_U32(KTRACE_ATTR_TEST_COUNT, 3),
	    A_U64(KTRACE_ATTR_TEST_PAYLOAD, 42) } },

	/* REGENERATE_STATEDUMP */
	{ "regenerate statedump: no session", KTRACE_CMD_REGENERATE_STATEDUMP,
	  0, T_IDLE, {}, -EINVAL, "session id or name required", 0,
	  KTRACE_ATTR_SESSION_ID },
	{ "regenerate statedump: session not active",
	  KTRACE_CMD_REGENERATE_STATEDUMP, 0, T_IDLE, { A_SID }, -EINVAL,
	  "session is not active" },
	{ "regenerate statedump: active session",
	  KTRACE_CMD_REGENERATE_STATEDUMP, 0, T_ACTIVE, { A_SID } },

	/* Streaming (ABI 3): SESSION_CLEAR, CHANNEL_DISABLE/ENABLE */
	{ "clear: no session", KTRACE_CMD_SESSION_CLEAR, 0, T_IDLE, {},
	  -EINVAL, "session id or name required", 0, KTRACE_ATTR_SESSION_ID },
	{ "clear: takes no channel", KTRACE_CMD_SESSION_CLEAR, 0, T_IDLE,
	  { A_SID, A_CHAN }, -EINVAL, "Unsupported attribute",
	  KTRACE_ATTR_CHANNEL_NAME },
	{ "clear: active session", KTRACE_CMD_SESSION_CLEAR, 0, T_ACTIVE,
	  { A_SID } },
	{ "clear: never started", KTRACE_CMD_SESSION_CLEAR, 0, T_IDLE,
	  { A_SID } },
	{ "channel disable: no channel", KTRACE_CMD_CHANNEL_DISABLE, 0, T_IDLE,
	  { A_SID }, -EINVAL, "channel id or name required", 0,
	  KTRACE_ATTR_CHANNEL_ID },
	{ "channel disable: unknown channel", KTRACE_CMD_CHANNEL_DISABLE, 0,
	  T_IDLE, { A_SID, A_U32(KTRACE_ATTR_CHANNEL_ID, 7) }, -ENOENT,
	  "channel not found", KTRACE_ATTR_CHANNEL_ID },
	{ "channel disable: active session", KTRACE_CMD_CHANNEL_DISABLE, 0,
	  T_ACTIVE, { A_SID, A_CHAN } },
	{ "channel enable: enabled channel", KTRACE_CMD_CHANNEL_ENABLE, 0,
	  T_IDLE, { A_SID, A_CHAN }, -EALREADY, "channel is already enabled" },
	{ "channel enable: takes no event", KTRACE_CMD_CHANNEL_ENABLE, 0,
	  T_IDLE, { A_SID, A_CHAN, A_STR(KTRACE_ATTR_EVENT_NAME, "x") },
	  -EINVAL, "Unsupported attribute", KTRACE_ATTR_EVENT_NAME },
	{ "session get: streaming attributes", KTRACE_CMD_SESSION_GET, 0,
	  T_STOPPED, { A_SID }, 0, NULL, 0, 0, KTRACE_ATTR_CONSUMER_LAG },

	/* Streaming (ABI 3): CHANNEL_NEW attributes */
	{ "channel new: read timer past its bound", KTRACE_CMD_CHANNEL_NEW, 0,
	  T_IDLE, { A_SID, A_STR(KTRACE_ATTR_CHANNEL_NAME, "c2"),
		    A_U32(KTRACE_ATTR_CHANNEL_READ_TIMER,
			  KTRACE_READ_TIMER_MAX + 1) }, -ERANGE,
	  "integer out of range", KTRACE_ATTR_CHANNEL_READ_TIMER },
	{ "channel new: read timer of 8 bytes", KTRACE_CMD_CHANNEL_NEW, 0,
	  T_IDLE, { A_SID, A_STR(KTRACE_ATTR_CHANNEL_NAME, "c2"),
		    A_U64(KTRACE_ATTR_CHANNEL_READ_TIMER, 1000) }, -EINVAL,
	  "invalid attribute length", KTRACE_ATTR_CHANNEL_READ_TIMER },
	{ "channel new: tracefile size of 4 bytes", KTRACE_CMD_CHANNEL_NEW, 0,
	  T_IDLE, { A_SID, A_STR(KTRACE_ATTR_CHANNEL_NAME, "c2"),
		    A_U32(KTRACE_ATTR_CHANNEL_TRACEFILE_SIZE, 1 << 20) },
	  -EINVAL, "invalid attribute length",
	  KTRACE_ATTR_CHANNEL_TRACEFILE_SIZE },
	{ "channel new: tracefile below a sub-buffer", KTRACE_CMD_CHANNEL_NEW,
	  0, T_IDLE, { A_SID, A_STR(KTRACE_ATTR_CHANNEL_NAME, "c2"),
		       A_U64(KTRACE_ATTR_CHANNEL_SUBBUF_SIZE, 2 * PAGE_SIZE),
		       A_U64(KTRACE_ATTR_CHANNEL_TRACEFILE_SIZE, PAGE_SIZE) },
	  -EINVAL, "tracefile size must be at least the sub-buffer size",
	  KTRACE_ATTR_CHANNEL_TRACEFILE_SIZE },
	{ "channel new: tracefile count without a size",
	  KTRACE_CMD_CHANNEL_NEW, 0, T_IDLE,
	  { A_SID, A_STR(KTRACE_ATTR_CHANNEL_NAME, "c2"),
	    A_U32(KTRACE_ATTR_CHANNEL_TRACEFILE_COUNT, 3) }, -EINVAL,
	  "a tracefile count needs a tracefile size",
	  KTRACE_ATTR_CHANNEL_TRACEFILE_COUNT },
	{ "channel new: tracefile count past its bound",
	  KTRACE_CMD_CHANNEL_NEW, 0, T_IDLE,
	  { A_SID, A_STR(KTRACE_ATTR_CHANNEL_NAME, "c2"),
	    A_U64(KTRACE_ATTR_CHANNEL_TRACEFILE_SIZE, 1 << 20),
	    A_U32(KTRACE_ATTR_CHANNEL_TRACEFILE_COUNT,
		  KTRACE_TRACEFILE_COUNT_MAX + 1) }, -ERANGE,
	  "integer out of range", KTRACE_ATTR_CHANNEL_TRACEFILE_COUNT },
	{ "channel new: enabled 2", KTRACE_CMD_CHANNEL_NEW, 0, T_IDLE,
	  { A_SID, A_STR(KTRACE_ATTR_CHANNEL_NAME, "c2"),
	    A_U8(KTRACE_ATTR_CHANNEL_ENABLED, 2) }, -ERANGE,
	  "integer out of range", KTRACE_ATTR_CHANNEL_ENABLED },
	{ "channel new: enabled of 4 bytes", KTRACE_CMD_CHANNEL_NEW, 0, T_IDLE,
	  { A_SID, A_STR(KTRACE_ATTR_CHANNEL_NAME, "c2"),
	    A_U32(KTRACE_ATTR_CHANNEL_ENABLED, 1) }, -EINVAL,
	  "invalid attribute length", KTRACE_ATTR_CHANNEL_ENABLED },
	{ "channel new: streaming attributes", KTRACE_CMD_CHANNEL_NEW, 0,
	  T_IDLE, { A_SID, A_STR(KTRACE_ATTR_CHANNEL_NAME, "c2"),
		    A_U64(KTRACE_ATTR_CHANNEL_SUBBUF_SIZE, PAGE_SIZE),
		    A_U32(KTRACE_ATTR_CHANNEL_READ_TIMER, 200000),
		    A_U64(KTRACE_ATTR_CHANNEL_TRACEFILE_SIZE, 64 * 1024),
		    A_U32(KTRACE_ATTR_CHANNEL_TRACEFILE_COUNT, 3),
		    A_U8(KTRACE_ATTR_CHANNEL_ENABLED, 0) },
	  0, NULL, 0, 0, KTRACE_ATTR_CHANNEL_ID },

	/* Dumps: refused in their start */
	{ "channel dump: no session", KTRACE_CMD_CHANNEL_GET, T_DUMP, T_IDLE,
	  {}, -EINVAL, "session id or name required", 0,
	  KTRACE_ATTR_SESSION_ID },
	{ "channel dump: unknown session", KTRACE_CMD_CHANNEL_GET, T_DUMP,
	  T_IDLE, { A_U32(KTRACE_ATTR_SESSION_ID, U32_MAX) }, -ENOENT,
	  "session not found", KTRACE_ATTR_SESSION_ID },
	{ "event dump: session without channel0", KTRACE_CMD_EVENT_GET,
	  T_DUMP, T_IDLE, { A_SID }, -ENOENT,
	  "no channel given and the session has no channel0" },
	{ "event dump: unknown channel", KTRACE_CMD_EVENT_GET, T_DUMP, T_IDLE,
	  { A_SID, A_U32(KTRACE_ATTR_CHANNEL_ID, 5) }, -ENOENT,
	  "channel not found", KTRACE_ATTR_CHANNEL_ID },
	{ "output dump: unknown session name", KTRACE_CMD_OUTPUT_GET, T_DUMP,
	  T_IDLE, { A_STR(KTRACE_ATTR_SESSION_NAME, "kt-genl-none") },
	  -ENOENT, "session not found", KTRACE_ATTR_SESSION_NAME },
	{ "tracepoint list: takes no attribute", KTRACE_CMD_TRACEPOINT_LIST,
	  T_DUMP, T_IDLE, { A_SID }, -EINVAL, "Unsupported attribute",
	  KTRACE_ATTR_SESSION_ID },
	{ "session dump: every session", KTRACE_CMD_SESSION_GET, T_DUMP,
	  T_IDLE, {}, 0, NULL, 0, 0, KTRACE_ATTR_SESSION_ID },
	{ "event dump: by channel name", KTRACE_CMD_EVENT_GET, T_DUMP, T_IDLE,
	  { A_SID, A_CHAN }, 0, NULL, 0, 0, KTRACE_ATTR_EVENT },
	{ "output dump: by session id", KTRACE_CMD_OUTPUT_GET, T_DUMP, T_IDLE,
	  { A_SID }, 0, NULL, 0, 0, KTRACE_ATTR_OUTPUT },
};

KUNIT_ARRAY_PARAM_DESC(t_cases, t_cases, desc);

static void t_fixture(struct kunit *test, enum t_state state, u8 flags)
{
	struct ktrace_session *s;
	struct ktrace_channel *c;
	u32 id;

	s = t_session(test, T_SESSION, KTRACE_SESSION_NORMAL);
	c = t_channel(test, s, T_CHAN, KTRACE_CHANNEL_MODE_DISCARD);
	KUNIT_ASSERT_EQ(test, ktrace_context_add(c, KTRACE_CONTEXT_PID), 0);
	KUNIT_ASSERT_EQ(test, ktrace_event_enable(c, "ktrace_test"), 1);
	if (!(flags & T_NO_OUTPUT))
		KUNIT_ASSERT_EQ(test, ktrace_session_output_add(s, T_OUTPUT,
								"/tmp/kt", 0,
								&id), 0);
	if (state == T_IDLE)
		return;
	KUNIT_ASSERT_EQ(test, ktrace_session_start(s), 0);
	if (state == T_STOPPED)
		KUNIT_ASSERT_EQ(test, ktrace_session_stop(s), 0);
}

static struct ktrace_session *t_fixture_session(struct kunit *test)
{
	struct ktrace_session *s = ktrace_session_lookup_name(T_SESSION);

	KUNIT_ASSERT_NOT_NULL(test, s);
	ktrace_session_put(s);	/* the fixture holds a reference */
	return s;
}

static void t_limit_restore(void *p)
{
	ktrace_max_buffer_mib = (uintptr_t)p;
}

static void genl_request_gets_its_errno_message_and_attribute(struct kunit *test)
{
	const struct t_case *c = test->param_value;
	struct ktrace_session *s;
	struct t_result *res;
	struct t_sock *ts;
	struct sk_buff *req;
	const struct t_attr *a;

	ts = t_sock_new(test);
	t_fixture(test, c->state, c->flags);
	s = t_fixture_session(test);
	req = c->flags & T_DUMP ? t_dump_msg(test, c->cmd) : t_msg(test, c->cmd);
	if (c->flags & T_RESERVED)
		((struct genlmsghdr *)nlmsg_data(nlmsg_hdr(req)))->reserved = 1;
	if (c->flags & T_LIMIT) {
		void *old = (void *)(uintptr_t)ktrace_max_buffer_mib;

		KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
								t_limit_restore,
								old), 0);
		ktrace_max_buffer_mib = 1;
	}
	for (a = c->attrs; a->kind != T_END; a++)
		t_put(test, req, a, s);

	res = t_transact(test, ts, req, NULL, NULL);
	KUNIT_ASSERT_NOT_NULL(test, res);
	KUNIT_EXPECT_EQ(test, res->error, c->err);
	KUNIT_EXPECT_STREQ(test, res->msg, c->msg ?: "");
	KUNIT_EXPECT_EQ(test, res->bad, c->bad);
	KUNIT_EXPECT_EQ(test, res->miss, c->miss);
	if (c->reply)
		KUNIT_EXPECT_NOT_NULL_MSG(test, res->tb[c->reply],
					  "reply lacks attribute %u", c->reply);
	else
		KUNIT_EXPECT_EQ(test, res->nreplies, 0);
}

/* Every command and dump refuses a caller without the capabilities. */
struct t_perm {
	const char *desc;
	u8 cmd;
	bool dump;
};

static const struct t_perm t_perms[] = {
	{ "SESSION_NEW", KTRACE_CMD_SESSION_NEW },
	{ "SESSION_DEL", KTRACE_CMD_SESSION_DEL },
	{ "SESSION_GET", KTRACE_CMD_SESSION_GET },
	{ "SESSION_GET dump", KTRACE_CMD_SESSION_GET, true },
	{ "CHANNEL_NEW", KTRACE_CMD_CHANNEL_NEW },
	{ "CHANNEL_GET", KTRACE_CMD_CHANNEL_GET },
	{ "CHANNEL_GET dump", KTRACE_CMD_CHANNEL_GET, true },
	{ "EVENT_ENABLE", KTRACE_CMD_EVENT_ENABLE },
	{ "EVENT_DISABLE", KTRACE_CMD_EVENT_DISABLE },
	{ "EVENT_GET dump", KTRACE_CMD_EVENT_GET, true },
	{ "CONTEXT_ADD", KTRACE_CMD_CONTEXT_ADD },
	{ "START", KTRACE_CMD_START },
	{ "STOP", KTRACE_CMD_STOP },
	{ "TRACEPOINT_LIST dump", KTRACE_CMD_TRACEPOINT_LIST, true },
	{ "OUTPUT_ADD", KTRACE_CMD_OUTPUT_ADD },
	{ "OUTPUT_DEL", KTRACE_CMD_OUTPUT_DEL },
	{ "OUTPUT_GET dump", KTRACE_CMD_OUTPUT_GET, true },
	{ "SNAPSHOT_BUMP", KTRACE_CMD_SNAPSHOT_BUMP },
	{ "TEST_FIRE", KTRACE_CMD_TEST_FIRE },
	{ "REGENERATE_STATEDUMP", KTRACE_CMD_REGENERATE_STATEDUMP },
	{ "SYSCALL_LIST dump", KTRACE_CMD_SYSCALL_LIST, true },
	{ "SESSION_CLEAR", KTRACE_CMD_SESSION_CLEAR },
	{ "CHANNEL_DISABLE", KTRACE_CMD_CHANNEL_DISABLE },
	{ "CHANNEL_ENABLE", KTRACE_CMD_CHANNEL_ENABLE },
};

KUNIT_ARRAY_PARAM_DESC(t_perms, t_perms, desc);

/* Credentials with only @keep (a CAP_* bit or -1) in the effective set. */
static struct cred *t_creds(struct kunit *test, int keep)
{
	struct cred *new = prepare_creds();

	KUNIT_ASSERT_NOT_NULL(test, new);
	cap_clear(new->cap_effective);
	if (keep >= 0)
		cap_raise(new->cap_effective, keep);
	return new;
}

/* Sends @req as a caller holding only @keep; no assertion in between. */
static struct t_result *t_transact_as(struct kunit *test, int keep,
				      struct t_sock *ts, struct sk_buff *req)
{
	struct cred *new = t_creds(test, keep);
	const struct cred *old;
	struct t_result *res;

	old = override_creds(new);
	res = t_transact(test, ts, req, NULL, NULL);
	revert_creds(old);
	put_cred(new);
	KUNIT_ASSERT_NOT_NULL(test, res);
	return res;
}

static void genl_every_command_needs_perfmon(struct kunit *test)
{
	const struct t_perm *p = test->param_value;
	struct t_sock *ts = t_sock_new(test);
	struct t_result *res;
	struct sk_buff *req;

	req = p->dump ? t_dump_msg(test, p->cmd) : t_msg(test, p->cmd);
	res = t_transact_as(test, -1, ts, req);
	KUNIT_EXPECT_EQ(test, res->error, -EPERM);
	KUNIT_EXPECT_STREQ(test, res->msg, T_PERM_MSG);
	KUNIT_EXPECT_EQ(test, res->nreplies, 0);
}

/* Events TRACEPOINT_LIST (or, with @syscalls, SYSCALL_LIST) lists. */
static int t_nr_listed(bool syscalls)
{
	unsigned int i;
	int n = 0;

	for (i = 0; i < ktrace_probes_count(); i++)
		n += ktrace_probes_is_syscall(ktrace_probes_desc(i)) == syscalls;
	return n;
}

static void genl_perfmon_or_sys_admin_is_enough(struct kunit *test)
{
	static const int caps[] = { CAP_PERFMON, CAP_SYS_ADMIN };
	struct t_sock *ts = t_sock_new(test);
	struct t_result *res;
	struct sk_buff *req;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(caps); i++) {
		req = t_dump_msg(test, KTRACE_CMD_TRACEPOINT_LIST);
		res = t_transact_as(test, caps[i], ts, req);
		KUNIT_EXPECT_EQ_MSG(test, res->error, 0, "cap %d", caps[i]);
		KUNIT_EXPECT_EQ(test, res->nreplies, t_nr_listed(false));

		req = t_msg(test, KTRACE_CMD_SESSION_NEW);
		KUNIT_ASSERT_EQ(test, nla_put_string(req,
						     KTRACE_ATTR_SESSION_NAME,
						     "kt-genl-cap"), 0);
		res = t_transact_as(test, caps[i], ts, req);
		KUNIT_EXPECT_EQ_MSG(test, res->error, 0, "cap %d", caps[i]);
		t_sweep();
	}
}

static void genl_notifications_need_sys_admin(struct kunit *test)
{
	struct t_sock *ts = t_sock_new(test);
	const struct cred *old;
	struct cred *new;
	int ret;

	new = t_creds(test, CAP_PERFMON);
	old = override_creds(new);
	ret = t_setsockopt(ts, NETLINK_ADD_MEMBERSHIP, t_mcgrp);
	revert_creds(old);
	put_cred(new);
	KUNIT_EXPECT_EQ(test, ret, -EPERM);

	new = t_creds(test, CAP_SYS_ADMIN);
	old = override_creds(new);
	ret = t_setsockopt(ts, NETLINK_ADD_MEMBERSHIP, t_mcgrp);
	revert_creds(old);
	put_cred(new);
	KUNIT_EXPECT_EQ(test, ret, 0);
}

/* Sends a request naming a session by id, with an optional u32 attribute. */
static struct t_result *t_session_cmd(struct kunit *test, struct t_sock *ts,
				      u8 cmd, u32 id)
{
	struct sk_buff *req = t_msg(test, cmd);
	struct t_result *res;

	KUNIT_ASSERT_EQ(test, nla_put_u32(req, KTRACE_ATTR_SESSION_ID, id), 0);
	res = t_transact(test, ts, req, NULL, NULL);
	KUNIT_ASSERT_NOT_NULL(test, res);
	return res;
}

static void t_expect_ntf(struct kunit *test, struct t_sock *l, u8 cmd,
			 u32 id, const char *name)
{
	char got_name[KTRACE_NAME_LEN + 1];
	u32 got_id;

	KUNIT_EXPECT_EQ(test, t_next_ntf(test, l, &got_id, got_name), cmd);
	KUNIT_EXPECT_EQ(test, got_id, id);
	KUNIT_EXPECT_STREQ(test, got_name, name);
}

static void genl_session_lifecycle_replies_and_notifies(struct kunit *test)
{
	struct t_sock *ts = t_sock_new(test), *l = t_listener(test);
	char name[KTRACE_NAME_LEN + 1];
	struct ktrace_session *s;
	struct t_result *res;
	struct sk_buff *req;
	u32 id, dummy;

	req = t_msg(test, KTRACE_CMD_SESSION_NEW);
	KUNIT_ASSERT_EQ(test, nla_put_string(req, KTRACE_ATTR_SESSION_NAME,
					     "kt-genl-life"), 0);
	KUNIT_ASSERT_EQ(test, nla_put_u32(req, KTRACE_ATTR_SESSION_MODE,
					  KTRACE_SESSION_MODE_SNAPSHOT), 0);
	res = t_transact(test, ts, req, NULL, NULL);
	KUNIT_ASSERT_EQ(test, res->error, 0);
	KUNIT_ASSERT_NOT_NULL(test, res->tb[KTRACE_ATTR_SESSION_ID]);
	KUNIT_EXPECT_EQ(test, ((struct genlmsghdr *)
			       nlmsg_data((struct nlmsghdr *)res->reply))->cmd,
			KTRACE_CMD_SESSION_NEW);
	id = nla_get_u32(res->tb[KTRACE_ATTR_SESSION_ID]);
	s = ktrace_session_lookup_name("kt-genl-life");
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_EQ(test, ktrace_session_id(s), id);
	KUNIT_EXPECT_EQ(test, ktrace_session_mode(s), KTRACE_SESSION_SNAPSHOT);
	ktrace_session_put(s);
	t_expect_ntf(test, l, KTRACE_CMD_NTF_SESSION_NEW, id, "kt-genl-life");

	KUNIT_EXPECT_EQ(test, t_session_cmd(test, ts, KTRACE_CMD_START,
					    id)->error, 0);
	t_expect_ntf(test, l, KTRACE_CMD_NTF_SESSION_START, id, "kt-genl-life");
	/* A refused command notifies nothing. */
	KUNIT_EXPECT_EQ(test, t_session_cmd(test, ts, KTRACE_CMD_START,
					    id)->error, -EALREADY);
	KUNIT_EXPECT_EQ(test, t_session_cmd(test, ts, KTRACE_CMD_STOP,
					    id)->error, 0);
	t_expect_ntf(test, l, KTRACE_CMD_NTF_SESSION_STOP, id, "kt-genl-life");
	KUNIT_EXPECT_EQ(test, t_session_cmd(test, ts, KTRACE_CMD_SESSION_DEL,
					    id)->error, 0);
	t_expect_ntf(test, l, KTRACE_CMD_NTF_SESSION_DEL, id, "kt-genl-life");
	KUNIT_EXPECT_EQ(test, t_next_ntf(test, l, &dummy, name), 0);

	KUNIT_EXPECT_NULL(test, ktrace_session_lookup_id(id));
	res = t_session_cmd(test, ts, KTRACE_CMD_SESSION_GET, id);
	KUNIT_EXPECT_EQ(test, res->error, -ENOENT);
}

static u64 t_u64(struct nlattr **tb, int type)
{
	return tb[type] ? nla_get_u64(tb[type]) : U64_MAX;
}

static u32 t_u32(struct nlattr **tb, int type)
{
	return tb[type] ? nla_get_u32(tb[type]) : U32_MAX;
}

static void genl_session_get_reports_state_and_channels(struct kunit *test)
{
	struct nlattr *ch[KTRACE_ATTR_MAX + 1];
	struct t_sock *ts = t_sock_new(test);
	struct ktrace_session *s;
	struct t_result *res;
	struct sk_buff *req;
	u32 id;

	s = t_session(test, "kt-genl-get", KTRACE_SESSION_SNAPSHOT);
	id = ktrace_session_id(s);
	req = t_msg(test, KTRACE_CMD_CHANNEL_NEW);
	KUNIT_ASSERT_EQ(test, nla_put_u32(req, KTRACE_ATTR_SESSION_ID, id), 0);
	KUNIT_ASSERT_EQ(test, nla_put_string(req, KTRACE_ATTR_CHANNEL_NAME,
					     "c0"), 0);
	KUNIT_ASSERT_EQ(test, nla_put_u32(req, KTRACE_ATTR_CHANNEL_NUM_SUBBUF,
					  2), 0);
	KUNIT_ASSERT_EQ(test, nla_put_u32(req, KTRACE_ATTR_CHANNEL_SWITCH_TIMER,
					  1000), 0);
	KUNIT_ASSERT_EQ(test, nla_put_u32(req, KTRACE_ATTR_CHANNEL_OUTPUT,
					  KTRACE_CHANNEL_MMAP), 0);
	res = t_transact(test, ts, req, NULL, NULL);
	KUNIT_ASSERT_EQ(test, res->error, 0);
	KUNIT_EXPECT_EQ(test, t_u32(res->tb, KTRACE_ATTR_CHANNEL_ID), 0);

	res = t_session_cmd(test, ts, KTRACE_CMD_SESSION_GET, id);
	KUNIT_ASSERT_EQ(test, res->error, 0);
	KUNIT_EXPECT_EQ(test, t_u32(res->tb, KTRACE_ATTR_SESSION_ID), id);
	KUNIT_EXPECT_STREQ(test, (char *)nla_data(res->tb[KTRACE_ATTR_SESSION_NAME]),
			   "kt-genl-get");
	KUNIT_EXPECT_EQ(test, t_u32(res->tb, KTRACE_ATTR_SESSION_MODE),
			KTRACE_SESSION_MODE_SNAPSHOT);
	KUNIT_EXPECT_EQ(test, t_u32(res->tb, KTRACE_ATTR_SESSION_STATE),
			KTRACE_SESSION_STATE_NEVER_STARTED);
	KUNIT_EXPECT_EQ(test, nla_get_u8(res->tb[KTRACE_ATTR_SESSION_STARTED_ONCE]),
			0);
	KUNIT_EXPECT_EQ(test, t_u64(res->tb, KTRACE_ATTR_SNAPSHOT_COUNT), 0);
	KUNIT_ASSERT_NOT_NULL(test, res->tb[KTRACE_ATTR_CHANNEL]);
	t_parse_nested(res->tb[KTRACE_ATTR_CHANNEL], ch);
	KUNIT_EXPECT_EQ(test, t_u32(ch, KTRACE_ATTR_CHANNEL_ID), 0);
	KUNIT_EXPECT_STREQ(test, (char *)nla_data(ch[KTRACE_ATTR_CHANNEL_NAME]),
			   "c0");
	/* The session's default: overwrite in a snapshot session. */
	KUNIT_EXPECT_EQ(test, t_u32(ch, KTRACE_ATTR_CHANNEL_MODE),
			KTRACE_CHANNEL_OVERWRITE);
	KUNIT_EXPECT_EQ(test, t_u64(ch, KTRACE_ATTR_CHANNEL_SUBBUF_SIZE),
			KTRACE_CHANNEL_DEFAULT_SUBBUF_SIZE);
	KUNIT_EXPECT_EQ(test, t_u32(ch, KTRACE_ATTR_CHANNEL_NUM_SUBBUF), 2);
	KUNIT_EXPECT_EQ(test, t_u32(ch, KTRACE_ATTR_CHANNEL_SWITCH_TIMER), 1000);
	KUNIT_EXPECT_EQ(test, t_u32(ch, KTRACE_ATTR_CHANNEL_OUTPUT),
			KTRACE_CHANNEL_MMAP);
	KUNIT_EXPECT_EQ(test, t_u32(ch, KTRACE_ATTR_CHANNEL_STREAMS),
			num_possible_cpus());
	KUNIT_EXPECT_EQ(test, t_u64(ch, KTRACE_ATTR_CHANNEL_DISCARDED), 0);
	KUNIT_EXPECT_EQ(test, t_u64(ch, KTRACE_ATTR_CHANNEL_OVERWRITTEN), 0);

	KUNIT_EXPECT_EQ(test, t_session_cmd(test, ts, KTRACE_CMD_START,
					    id)->error, 0);
	KUNIT_EXPECT_EQ(test, t_session_cmd(test, ts, KTRACE_CMD_STOP,
					    id)->error, 0);
	res = t_session_cmd(test, ts, KTRACE_CMD_SNAPSHOT_BUMP, id);
	KUNIT_EXPECT_EQ(test, t_u64(res->tb, KTRACE_ATTR_SNAPSHOT_COUNT), 1);
	res = t_session_cmd(test, ts, KTRACE_CMD_SNAPSHOT_BUMP, id);
	KUNIT_EXPECT_EQ(test, t_u64(res->tb, KTRACE_ATTR_SNAPSHOT_COUNT), 2);
	res = t_session_cmd(test, ts, KTRACE_CMD_SESSION_GET, id);
	KUNIT_EXPECT_EQ(test, t_u32(res->tb, KTRACE_ATTR_SESSION_STATE),
			KTRACE_SESSION_STATE_STOPPED);
	KUNIT_EXPECT_EQ(test, nla_get_u8(res->tb[KTRACE_ATTR_SESSION_STARTED_ONCE]),
			1);
	KUNIT_EXPECT_EQ(test, t_u64(res->tb, KTRACE_ATTR_SNAPSHOT_COUNT), 2);
	/* Every session counts its stops; only normal ones have a consumer. */
	KUNIT_EXPECT_EQ(test, t_u64(res->tb, KTRACE_ATTR_STOP_SEQ), 1);
	KUNIT_EXPECT_NULL(test, res->tb[KTRACE_ATTR_CONSUMER_BYTES]);
	KUNIT_EXPECT_NULL(test, res->tb[KTRACE_ATTR_CONSUMER_PID]);
}

static void genl_normal_session_reports_its_consumer(struct kunit *test)
{
	struct nlattr *ch[KTRACE_ATTR_MAX + 1];
	struct ktrace_consumer_report r = { .bytes_written = 10,
					    .packets_written = 1 };
	struct t_sock *ts = t_sock_new(test);
	struct ktrace_session *s;
	struct t_result *res;
	struct sk_buff *req;
	u32 id;

	s = t_session(test, "kt-genl-stream", KTRACE_SESSION_NORMAL);
	id = ktrace_session_id(s);
	req = t_msg(test, KTRACE_CMD_CHANNEL_NEW);
	KUNIT_ASSERT_EQ(test, nla_put_u32(req, KTRACE_ATTR_SESSION_ID, id), 0);
	KUNIT_ASSERT_EQ(test, nla_put_string(req, KTRACE_ATTR_CHANNEL_NAME,
					     "c0"), 0);
	KUNIT_ASSERT_EQ(test, nla_put_u64_64bit(req,
						KTRACE_ATTR_CHANNEL_SUBBUF_SIZE,
						PAGE_SIZE, KTRACE_ATTR_PAD), 0);
	KUNIT_ASSERT_EQ(test, nla_put_u32(req, KTRACE_ATTR_CHANNEL_READ_TIMER,
					  5000), 0);
	KUNIT_ASSERT_EQ(test, nla_put_u64_64bit(req,
						KTRACE_ATTR_CHANNEL_TRACEFILE_SIZE,
						16 * PAGE_SIZE,
						KTRACE_ATTR_PAD), 0);
	KUNIT_ASSERT_EQ(test, nla_put_u32(req,
					  KTRACE_ATTR_CHANNEL_TRACEFILE_COUNT,
					  2), 0);
	KUNIT_ASSERT_EQ(test, nla_put_u8(req, KTRACE_ATTR_CHANNEL_ENABLED, 0),
			0);
	res = t_transact(test, ts, req, NULL, NULL);
	KUNIT_ASSERT_EQ(test, res->error, 0);

	res = t_session_cmd(test, ts, KTRACE_CMD_SESSION_GET, id);
	KUNIT_ASSERT_EQ(test, res->error, 0);
	KUNIT_EXPECT_EQ(test, t_u64(res->tb, KTRACE_ATTR_STOP_SEQ), 0);
	KUNIT_EXPECT_NULL(test, res->tb[KTRACE_ATTR_CONSUMER_PID]);
	KUNIT_EXPECT_EQ(test, t_u64(res->tb, KTRACE_ATTR_CONSUMER_BYTES), 0);
	KUNIT_EXPECT_EQ(test, t_u64(res->tb, KTRACE_ATTR_CONSUMER_PACKETS), 0);
	KUNIT_EXPECT_EQ(test, t_u32(res->tb, KTRACE_ATTR_CONSUMER_ERROR), 0);
	KUNIT_EXPECT_EQ(test, t_u64(res->tb, KTRACE_ATTR_CONSUMER_SYNCED), 0);
	KUNIT_EXPECT_EQ(test, t_u64(res->tb, KTRACE_ATTR_CONSUMER_LAG), 0);
	KUNIT_ASSERT_NOT_NULL(test, res->tb[KTRACE_ATTR_CHANNEL]);
	t_parse_nested(res->tb[KTRACE_ATTR_CHANNEL], ch);
	KUNIT_EXPECT_EQ(test, t_u32(ch, KTRACE_ATTR_CHANNEL_READ_TIMER), 5000);
	KUNIT_EXPECT_EQ(test, t_u64(ch, KTRACE_ATTR_CHANNEL_TRACEFILE_SIZE),
			16 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, t_u32(ch, KTRACE_ATTR_CHANNEL_TRACEFILE_COUNT),
			2);
	KUNIT_ASSERT_NOT_NULL(test, ch[KTRACE_ATTR_CHANNEL_ENABLED]);
	KUNIT_EXPECT_EQ(test, nla_get_u8(ch[KTRACE_ATTR_CHANNEL_ENABLED]), 0);

	/* CHANNEL_ENABLE, then CHANNEL_GET shows it. */
	req = t_msg(test, KTRACE_CMD_CHANNEL_ENABLE);
	KUNIT_ASSERT_EQ(test, nla_put_u32(req, KTRACE_ATTR_SESSION_ID, id), 0);
	KUNIT_ASSERT_EQ(test, nla_put_u32(req, KTRACE_ATTR_CHANNEL_ID, 0), 0);
	KUNIT_EXPECT_EQ(test, t_transact(test, ts, req, NULL, NULL)->error, 0);
	req = t_msg(test, KTRACE_CMD_CHANNEL_GET);
	KUNIT_ASSERT_EQ(test, nla_put_u32(req, KTRACE_ATTR_SESSION_ID, id), 0);
	KUNIT_ASSERT_EQ(test, nla_put_u32(req, KTRACE_ATTR_CHANNEL_ID, 0), 0);
	res = t_transact(test, ts, req, NULL, NULL);
	KUNIT_ASSERT_EQ(test, res->error, 0);
	KUNIT_ASSERT_NOT_NULL(test, res->tb[KTRACE_ATTR_CHANNEL]);
	t_parse_nested(res->tb[KTRACE_ATTR_CHANNEL], ch);
	KUNIT_EXPECT_EQ(test, nla_get_u8(ch[KTRACE_ATTR_CHANNEL_ENABLED]), 1);

	/* A consumer attached: its pid and what it reported. */
	KUNIT_ASSERT_EQ(test, ktrace_session_consumer_attach(s, 4242), 0);
	KUNIT_ASSERT_EQ(test, ktrace_session_consumer_report(s, &r), 0);
	KUNIT_EXPECT_EQ(test, t_session_cmd(test, ts, KTRACE_CMD_START,
					    id)->error, 0);
	res = t_session_cmd(test, ts, KTRACE_CMD_STOP, id);
	KUNIT_EXPECT_EQ(test, res->error, 0);
	KUNIT_EXPECT_EQ(test, t_u64(res->tb, KTRACE_ATTR_STOP_SEQ), 1);
	res = t_session_cmd(test, ts, KTRACE_CMD_SESSION_GET, id);
	KUNIT_EXPECT_EQ(test, t_u32(res->tb, KTRACE_ATTR_CONSUMER_PID), 4242);
	KUNIT_EXPECT_EQ(test, t_u64(res->tb, KTRACE_ATTR_CONSUMER_BYTES), 10);
	KUNIT_EXPECT_EQ(test, t_u64(res->tb, KTRACE_ATTR_CONSUMER_PACKETS), 1);
	KUNIT_EXPECT_EQ(test, t_u64(res->tb, KTRACE_ATTR_STOP_SEQ), 1);
	/* Detached: no pid, the last report stays. */
	ktrace_session_consumer_detach(s);
	res = t_session_cmd(test, ts, KTRACE_CMD_SESSION_GET, id);
	KUNIT_EXPECT_NULL(test, res->tb[KTRACE_ATTR_CONSUMER_PID]);
	KUNIT_EXPECT_EQ(test, t_u64(res->tb, KTRACE_ATTR_CONSUMER_BYTES), 10);
}

/*
 * TEST_FIRE records into a full one-page x 2 channel: the counters a
 * channel reports are the sums over its CPUs' buffers.
 */
static void t_counters_case(struct kunit *test, enum ktrace_session_mode mode,
			    int counter)
{
	struct nlattr *ch[KTRACE_ATTR_MAX + 1];
	struct ktrace_rb_counters cnt;
	struct t_sock *ts = t_sock_new(test);
	struct ktrace_session *s;
	struct ktrace_channel *c;
	u64 discarded = 0, overwritten = 0;
	struct t_result *res;
	struct sk_buff *req;
	unsigned int cpu;
	u32 id;

	s = t_session(test, "kt-genl-count", mode);
	id = ktrace_session_id(s);
	c = t_channel(test, s, "small", KTRACE_CHANNEL_MODE_DEFAULT);

	req = t_msg(test, KTRACE_CMD_EVENT_ENABLE);
	KUNIT_ASSERT_EQ(test, nla_put_u32(req, KTRACE_ATTR_SESSION_ID, id), 0);
	KUNIT_ASSERT_EQ(test, nla_put_u32(req, KTRACE_ATTR_CHANNEL_ID,
					  ktrace_channel_id(c)), 0);
	KUNIT_ASSERT_EQ(test, nla_put_string(req, KTRACE_ATTR_EVENT_NAME,
					     "ktrace_test"), 0);
	res = t_transact(test, ts, req, NULL, NULL);
	KUNIT_ASSERT_EQ(test, res->error, 0);
	KUNIT_EXPECT_EQ(test, t_u32(res->tb, KTRACE_ATTR_EVENT_COUNT), 1);
	KUNIT_EXPECT_EQ(test, t_u32(res->tb, KTRACE_ATTR_CHANNEL_ID),
			ktrace_channel_id(c));

	KUNIT_ASSERT_EQ(test, t_session_cmd(test, ts, KTRACE_CMD_START,
					    id)->error, 0);
	req = t_msg(test, KTRACE_CMD_TEST_FIRE);
	KUNIT_ASSERT_EQ(test, nla_put_u32(req, KTRACE_ATTR_TEST_COUNT, 20000),
			0);
	res = t_transact(test, ts, req, NULL, NULL);
	KUNIT_EXPECT_EQ(test, res->error, 0);
	KUNIT_ASSERT_EQ(test, t_session_cmd(test, ts, KTRACE_CMD_STOP,
					    id)->error, 0);

	for_each_possible_cpu(cpu) {
		if (!ktrace_rb_buf(ktrace_channel_rb(c), cpu))
			continue;	/* never online since the channel was made */
		ktrace_rb_get_counters(ktrace_rb_buf(ktrace_channel_rb(c), cpu),
				       &cnt);
		discarded += cnt.discarded;
		overwritten += cnt.overwritten;
	}
	req = t_msg(test, KTRACE_CMD_CHANNEL_GET);
	KUNIT_ASSERT_EQ(test, nla_put_u32(req, KTRACE_ATTR_SESSION_ID, id), 0);
	KUNIT_ASSERT_EQ(test, nla_put_string(req, KTRACE_ATTR_CHANNEL_NAME,
					     "small"), 0);
	res = t_transact(test, ts, req, NULL, NULL);
	KUNIT_ASSERT_EQ(test, res->error, 0);
	KUNIT_EXPECT_EQ(test, t_u32(res->tb, KTRACE_ATTR_SESSION_ID), id);
	KUNIT_ASSERT_NOT_NULL(test, res->tb[KTRACE_ATTR_CHANNEL]);
	t_parse_nested(res->tb[KTRACE_ATTR_CHANNEL], ch);
	KUNIT_EXPECT_EQ(test, t_u64(ch, KTRACE_ATTR_CHANNEL_DISCARDED),
			discarded);
	KUNIT_EXPECT_EQ(test, t_u64(ch, KTRACE_ATTR_CHANNEL_OVERWRITTEN),
			overwritten);
	KUNIT_EXPECT_GT(test, counter ? overwritten : discarded, 0);
	KUNIT_EXPECT_EQ(test, counter ? discarded : overwritten, 0);
}

static void genl_discard_channel_reports_discarded(struct kunit *test)
{
	t_counters_case(test, KTRACE_SESSION_NORMAL, 0);
}

static void genl_overwrite_channel_reports_overwritten(struct kunit *test)
{
	t_counters_case(test, KTRACE_SESSION_SNAPSHOT, 1);
}

static void genl_event_enable_creates_channel0(struct kunit *test)
{
	struct t_sock *ts = t_sock_new(test);
	struct ktrace_session *s;
	struct ktrace_channel *c;
	struct t_result *res;
	struct sk_buff *req;

	s = t_session(test, "kt-genl-ch0", KTRACE_SESSION_SNAPSHOT);
	req = t_msg(test, KTRACE_CMD_EVENT_ENABLE);
	KUNIT_ASSERT_EQ(test, nla_put_string(req, KTRACE_ATTR_SESSION_NAME,
					     "kt-genl-ch0"), 0);
	KUNIT_ASSERT_EQ(test, nla_put_string(req, KTRACE_ATTR_EVENT_NAME,
					     "ktrace_test"), 0);
	res = t_transact(test, ts, req, NULL, NULL);
	KUNIT_ASSERT_EQ(test, res->error, 0);
	KUNIT_EXPECT_EQ(test, t_u32(res->tb, KTRACE_ATTR_EVENT_COUNT), 1);
	KUNIT_EXPECT_EQ(test, t_u32(res->tb, KTRACE_ATTR_CHANNEL_ID), 0);
	c = ktrace_channel_lookup(s, KTRACE_CHANNEL_DEFAULT_NAME);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_EQ(test, ktrace_rb_subbuf_size(ktrace_channel_rb(c)),
			KTRACE_CHANNEL_DEFAULT_SUBBUF_SIZE);
	KUNIT_EXPECT_EQ(test, ktrace_rb_num_subbuf(ktrace_channel_rb(c)),
			KTRACE_CHANNEL_DEFAULT_NUM_SUBBUF);
	KUNIT_EXPECT_EQ(test, ktrace_session_num_channels(s), 1);

	/* Now channel0 exists, disabling without a channel uses it. */
	req = t_msg(test, KTRACE_CMD_EVENT_DISABLE);
	KUNIT_ASSERT_EQ(test, nla_put_u32(req, KTRACE_ATTR_SESSION_ID,
					  ktrace_session_id(s)), 0);
	KUNIT_ASSERT_EQ(test, nla_put_string(req, KTRACE_ATTR_EVENT_NAME,
					     "ktrace_test"), 0);
	res = t_transact(test, ts, req, NULL, NULL);
	KUNIT_EXPECT_EQ(test, res->error, 0);
	KUNIT_EXPECT_EQ(test, t_u32(res->tb, KTRACE_ATTR_EVENT_COUNT), 1);
}

static void genl_unavailable_event_is_enodev(struct kunit *test)
{
	const struct ktrace_event_desc *desc = NULL;
	struct t_sock *ts;
	struct t_result *res;
	struct sk_buff *req;
	unsigned int i;

	for (i = 0; i < ktrace_probes_count(); i++) {
		if (!ktrace_probes_available(ktrace_probes_desc(i))) {
			desc = ktrace_probes_desc(i);
			break;
		}
	}
	if (!desc)
		kunit_skip(test, "every event is available on this kernel");
	ts = t_sock_new(test);
	t_fixture(test, T_IDLE, 0);
	req = t_msg(test, KTRACE_CMD_EVENT_ENABLE);
	KUNIT_ASSERT_EQ(test, nla_put_string(req, KTRACE_ATTR_SESSION_NAME,
					     T_SESSION), 0);
	KUNIT_ASSERT_EQ(test, nla_put_string(req, KTRACE_ATTR_CHANNEL_NAME,
					     T_CHAN), 0);
	KUNIT_ASSERT_EQ(test, nla_put_string(req, KTRACE_ATTR_EVENT_NAME,
					     desc->name), 0);
	res = t_transact(test, ts, req, NULL, NULL);
	KUNIT_EXPECT_EQ(test, res->error, -ENODEV);
	KUNIT_EXPECT_STREQ(test, res->msg,
			   "this kernel lacks the event's tracepoint");
	KUNIT_EXPECT_EQ(test, res->bad, KTRACE_ATTR_EVENT_NAME);
}

/* The session dump: every session once, in id order, across messages. */
#define T_DUMP_SESSIONS	100

struct t_session_dump {
	u32 ids[T_DUMP_SESSIONS];
	int seen[T_DUMP_SESSIONS];
	u32 last_id;
	bool ordered;
	int messages;
};

static void t_session_dump_msg(struct kunit *test, const struct nlmsghdr *nlh,
			       void *arg)
{
	struct t_session_dump *d = arg;
	struct nlattr *tb[KTRACE_ATTR_MAX + 1];
	u32 id;
	int i;

	t_parse(nlh, tb);
	KUNIT_EXPECT_EQ(test, ((struct genlmsghdr *)nlmsg_data(nlh))->cmd,
			KTRACE_CMD_SESSION_GET);
	KUNIT_EXPECT_TRUE(test, nlh->nlmsg_flags & NLM_F_MULTI);
	if (!tb[KTRACE_ATTR_SESSION_ID] || !tb[KTRACE_ATTR_SESSION_NAME]) {
		KUNIT_FAIL(test, "session without id or name");
		return;
	}
	id = nla_get_u32(tb[KTRACE_ATTR_SESSION_ID]);
	if (d->messages++ && id <= d->last_id)
		d->ordered = false;
	d->last_id = id;
	for (i = 0; i < T_DUMP_SESSIONS; i++)
		if (d->ids[i] == id)
			d->seen[i]++;
}

static void genl_session_dump_resumes_across_messages(struct kunit *test)
{
	struct t_session_dump *d = kunit_kzalloc(test, sizeof(*d), GFP_KERNEL);
	struct t_sock *ts = t_sock_new(test);
	struct ktrace_session *s;
	struct t_result *res;
	struct sk_buff *req;
	char name[32];
	int i;

	KUNIT_ASSERT_NOT_NULL(test, d);
	for (i = 0; i < T_DUMP_SESSIONS; i++) {
		snprintf(name, sizeof(name), "kt-genl-d%03d", i);
		s = t_session(test, name, KTRACE_SESSION_SNAPSHOT);
		d->ids[i] = ktrace_session_id(s);
	}
	d->ordered = true;
	/*
	 * The first message of a fresh socket is NLMSG_GOODSIZE: it holds
	 * fewer than 100 sessions. The last one is destroyed before the
	 * rest of the dump is produced.
	 */
	req = t_dump_msg(test, KTRACE_CMD_SESSION_GET);
	res = t_send(test, ts, req);
	KUNIT_ASSERT_EQ(test, res->error, 0);
	KUNIT_EXPECT_EQ(test, ktrace_session_destroy(s), 0);
	t_receive(test, ts, req, res, t_session_dump_msg, d);
	KUNIT_ASSERT_EQ(test, res->error, 0);
	/* 100 sessions take more than one NLMSG_GOODSIZE message. */
	KUNIT_EXPECT_GE(test, res->reply_batches, 2);
	KUNIT_EXPECT_TRUE(test, d->ordered);
	for (i = 0; i < T_DUMP_SESSIONS - 1; i++)
		KUNIT_EXPECT_EQ_MSG(test, d->seen[i], 1, "session %d", i);
	/* Destroyed during the dump: not listed any more. */
	KUNIT_EXPECT_EQ(test, d->seen[T_DUMP_SESSIONS - 1], 0);
}

/* The channel, event and output dumps of one session. */
struct t_objs {
	int count;
	u32 ids[8];
	char names[8][KTRACE_NAME_LEN + 1];
	u8 flag[8];
	u32 session;
	u32 channel;
	int nest;
};

static void t_objs_msg(struct kunit *test, const struct nlmsghdr *nlh,
		       void *arg)
{
	struct nlattr *tb[KTRACE_ATTR_MAX + 1], *in[KTRACE_ATTR_MAX + 1];
	struct t_objs *o = arg;
	int id_attr, name_attr;

	t_parse(nlh, tb);
	KUNIT_EXPECT_EQ(test, t_u32(tb, KTRACE_ATTR_SESSION_ID), o->session);
	if (!tb[o->nest] || o->count == ARRAY_SIZE(o->ids)) {
		KUNIT_FAIL(test, "no nest %d, or too many objects", o->nest);
		return;
	}
	t_parse_nested(tb[o->nest], in);
	switch (o->nest) {
	case KTRACE_ATTR_CHANNEL:
		id_attr = KTRACE_ATTR_CHANNEL_ID;
		name_attr = KTRACE_ATTR_CHANNEL_NAME;
		break;
	case KTRACE_ATTR_EVENT:
		KUNIT_EXPECT_EQ(test, t_u32(tb, KTRACE_ATTR_CHANNEL_ID),
				o->channel);
		id_attr = KTRACE_ATTR_EVENT_ID;
		name_attr = KTRACE_ATTR_EVENT_NAME;
		if (in[KTRACE_ATTR_EVENT_ENABLED])
			o->flag[o->count] =
				nla_get_u8(in[KTRACE_ATTR_EVENT_ENABLED]);
		break;
	default:
		id_attr = KTRACE_ATTR_OUTPUT_ID;
		name_attr = KTRACE_ATTR_OUTPUT_NAME;
		KUNIT_EXPECT_STREQ(test,
				   (char *)nla_data(in[KTRACE_ATTR_OUTPUT_DEST]),
				   "/var/tmp/kt");
		KUNIT_EXPECT_EQ(test, t_u64(in, KTRACE_ATTR_OUTPUT_MAX_SIZE),
				4096);
		break;
	}
	o->ids[o->count] = t_u32(in, id_attr);
	if (in[name_attr])
		strscpy(o->names[o->count], nla_data(in[name_attr]),
			KTRACE_NAME_LEN + 1);
	o->count++;
}

static struct t_objs *t_dump_objs(struct kunit *test, struct t_sock *ts,
				  u8 cmd, u32 session, int nest,
				  struct ktrace_channel *channel)
{
	struct t_objs *o = kunit_kzalloc(test, sizeof(*o), GFP_KERNEL);
	struct sk_buff *req = t_dump_msg(test, cmd);
	struct t_result *res;

	KUNIT_ASSERT_NOT_NULL(test, o);
	o->session = session;
	o->nest = nest;
	if (channel)
		o->channel = ktrace_channel_id(channel);
	KUNIT_ASSERT_EQ(test, nla_put_u32(req, KTRACE_ATTR_SESSION_ID,
					  session), 0);
	if (channel)
		KUNIT_ASSERT_EQ(test, nla_put_string(req,
						     KTRACE_ATTR_CHANNEL_NAME,
						     ktrace_channel_name(channel)),
				0);
	res = t_transact(test, ts, req, t_objs_msg, o);
	KUNIT_EXPECT_EQ(test, res->error, 0);
	return o;
}

static void genl_channel_event_and_output_dumps(struct kunit *test)
{
	static const char * const chans[] = { "c0", "c1", "c2" };
	struct t_sock *ts = t_sock_new(test);
	struct ktrace_session *s;
	struct ktrace_channel *c1;
	struct t_objs *o;
	struct sk_buff *req;
	unsigned int i;
	u32 id, oid;

	s = t_session(test, "kt-genl-dump", KTRACE_SESSION_SNAPSHOT);
	id = ktrace_session_id(s);
	for (i = 0; i < ARRAY_SIZE(chans); i++)
		t_channel(test, s, chans[i], KTRACE_CHANNEL_MODE_DEFAULT);
	c1 = ktrace_channel_lookup(s, "c1");
	KUNIT_ASSERT_EQ(test, ktrace_event_enable(c1, "ktrace_test"), 1);
	KUNIT_ASSERT_EQ(test, ktrace_event_enable(c1, "sched_process_exec"), 1);
	KUNIT_ASSERT_EQ(test, ktrace_event_disable(c1, "ktrace_test"), 1);
	KUNIT_ASSERT_EQ(test, ktrace_session_output_add(s, "o1", "/var/tmp/kt",
							4096, &oid), 0);
	KUNIT_ASSERT_EQ(test, ktrace_session_output_add(s, NULL, "/var/tmp/kt",
							4096, &oid), 0);

	o = t_dump_objs(test, ts, KTRACE_CMD_CHANNEL_GET, id,
			KTRACE_ATTR_CHANNEL, NULL);
	KUNIT_ASSERT_EQ(test, o->count, 3);
	for (i = 0; i < 3; i++) {
		KUNIT_EXPECT_EQ(test, o->ids[i], i);
		KUNIT_EXPECT_STREQ(test, o->names[i], chans[i]);
	}

	o = t_dump_objs(test, ts, KTRACE_CMD_EVENT_GET, id, KTRACE_ATTR_EVENT,
			c1);
	KUNIT_ASSERT_EQ(test, o->count, 2);
	KUNIT_EXPECT_STREQ(test, o->names[0], "ktrace_test");
	KUNIT_EXPECT_EQ(test, o->ids[0], 0);
	KUNIT_EXPECT_EQ(test, o->flag[0], 0);
	KUNIT_EXPECT_STREQ(test, o->names[1], "sched_process_exec");
	KUNIT_EXPECT_EQ(test, o->ids[1], 1);
	KUNIT_EXPECT_EQ(test, o->flag[1], 1);

	o = t_dump_objs(test, ts, KTRACE_CMD_EVENT_GET, id, KTRACE_ATTR_EVENT,
			ktrace_channel_lookup(s, "c2"));
	KUNIT_EXPECT_EQ(test, o->count, 0);

	req = t_msg(test, KTRACE_CMD_OUTPUT_DEL);
	KUNIT_ASSERT_EQ(test, nla_put_u32(req, KTRACE_ATTR_SESSION_ID, id), 0);
	KUNIT_ASSERT_EQ(test, nla_put_u32(req, KTRACE_ATTR_OUTPUT_ID, 1), 0);
	KUNIT_EXPECT_EQ(test, t_transact(test, ts, req, NULL, NULL)->error, 0);
	o = t_dump_objs(test, ts, KTRACE_CMD_OUTPUT_GET, id,
			KTRACE_ATTR_OUTPUT, NULL);
	KUNIT_ASSERT_EQ(test, o->count, 1);
	KUNIT_EXPECT_EQ(test, o->ids[0], 2);
	KUNIT_EXPECT_STREQ(test, o->names[0], "snapshot-2");
}

/* TRACEPOINT_LIST: every event of the table, in order, with its fields. */
struct t_tp_dump {
	bool syscalls;
	unsigned int index;
	unsigned int seen;
	int field_mismatches;
};

static void t_tp_msg(struct kunit *test, const struct nlmsghdr *nlh,
		     void *arg)
{
	struct nlattr *tb[KTRACE_ATTR_MAX + 1], *ev[KTRACE_ATTR_MAX + 1];
	struct nlattr *fl[KTRACE_ATTR_MAX + 1];
	const struct ktrace_event_desc *desc;
	const struct ktrace_field_desc *f;
	struct t_tp_dump *d = arg;
	struct nlattr *field;
	unsigned int nf = 0;
	int rem;

	/* The table's events of this list, in table order. */
	do
		desc = ktrace_probes_desc(d->index++);
	while (desc && ktrace_probes_is_syscall(desc) != d->syscalls);
	d->seen++;
	if (!desc) {
		KUNIT_FAIL(test, "more events than the table has");
		return;
	}
	t_parse(nlh, tb);
	if (!tb[KTRACE_ATTR_EVENT]) {
		KUNIT_FAIL(test, "%s: no event nest", desc->name);
		return;
	}
	t_parse_nested(tb[KTRACE_ATTR_EVENT], ev);
	KUNIT_EXPECT_STREQ(test, (char *)nla_data(ev[KTRACE_ATTR_EVENT_NAME]),
			   desc->name);
	KUNIT_EXPECT_EQ(test, nla_get_u8(ev[KTRACE_ATTR_EVENT_AVAILABLE]),
			ktrace_probes_available(desc));
	nla_for_each_nested(field, tb[KTRACE_ATTR_EVENT], rem) {
		if (nla_type(field) != KTRACE_ATTR_FIELD)
			continue;
		if (nf >= desc->nr_fields) {
			d->field_mismatches++;
			break;
		}
		f = &desc->fields[nf++];
		t_parse_nested(field, fl);
		if (strcmp(nla_data(fl[KTRACE_ATTR_FIELD_NAME]), f->name) ||
		    t_u32(fl, KTRACE_ATTR_FIELD_SIZE) != f->size ||
		    t_u32(fl, KTRACE_ATTR_FIELD_LENGTH) != f->length ||
		    nla_get_u8(fl[KTRACE_ATTR_FIELD_SIGNED]) != f->is_signed)
			d->field_mismatches++;
		if (!strcmp(desc->name, "sched_switch") &&
		    !strcmp(f->name, "prev_comm")) {
			KUNIT_EXPECT_EQ(test, t_u32(fl, KTRACE_ATTR_FIELD_TYPE),
					KTRACE_FIELD_TYPE_ARRAY_TEXT);
			KUNIT_EXPECT_EQ(test, f->length, TASK_COMM_LEN);
		}
		if (!strcmp(desc->name, "ktrace_test") &&
		    !strcmp(f->name, "seq"))
			KUNIT_EXPECT_EQ(test, t_u32(fl, KTRACE_ATTR_FIELD_TYPE),
					KTRACE_FIELD_TYPE_INTEGER);
	}
	KUNIT_EXPECT_EQ_MSG(test, nf, desc->nr_fields, "%s", desc->name);
}

/*
 * TRACEPOINT_LIST describes every event but the per-syscall ones, which
 * SYSCALL_LIST describes: together, the whole table.
 */
static void genl_tracepoint_list_describes_every_event(struct kunit *test)
{
	static const int cmds[] = {
		KTRACE_CMD_TRACEPOINT_LIST, KTRACE_CMD_SYSCALL_LIST,
	};
	struct t_sock *ts = t_sock_new(test);
	struct t_tp_dump *d;
	struct t_result *res;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		d = kunit_kzalloc(test, sizeof(*d), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, d);
		d->syscalls = cmds[i] == KTRACE_CMD_SYSCALL_LIST;
		res = t_transact(test, ts, t_dump_msg(test, cmds[i]),
				 t_tp_msg, d);
		KUNIT_EXPECT_EQ(test, res->error, 0);
		KUNIT_EXPECT_EQ(test, d->seen, t_nr_listed(d->syscalls));
		KUNIT_EXPECT_EQ(test, d->field_mismatches, 0);
	}
	KUNIT_EXPECT_GT(test, t_nr_listed(true), 0);
}

static void genl_test_exit(struct kunit *test)
{
	t_sweep();
}

static struct kunit_case genl_test_cases[] = {
	KUNIT_CASE_PARAM(genl_request_gets_its_errno_message_and_attribute,
			 t_cases_gen_params),
	KUNIT_CASE_PARAM(genl_every_command_needs_perfmon,
			 t_perms_gen_params),
	KUNIT_CASE(genl_perfmon_or_sys_admin_is_enough),
	KUNIT_CASE(genl_notifications_need_sys_admin),
	KUNIT_CASE(genl_session_lifecycle_replies_and_notifies),
	KUNIT_CASE(genl_session_get_reports_state_and_channels),
	KUNIT_CASE(genl_normal_session_reports_its_consumer),
	KUNIT_CASE(genl_discard_channel_reports_discarded),
	KUNIT_CASE(genl_overwrite_channel_reports_overwritten),
	KUNIT_CASE(genl_event_enable_creates_channel0),
	KUNIT_CASE(genl_unavailable_event_is_enodev),
	KUNIT_CASE(genl_session_dump_resumes_across_messages),
	KUNIT_CASE(genl_channel_event_and_output_dumps),
	KUNIT_CASE(genl_tracepoint_list_describes_every_event),
	{}
};

static struct kunit_suite genl_test_suite = {
	.name = "ktrace_genl",
	.exit = genl_test_exit,
	.test_cases = genl_test_cases,
};

kunit_test_suite(genl_test_suite);

MODULE_DESCRIPTION("KUnit tests for ktrace's generic netlink family");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
