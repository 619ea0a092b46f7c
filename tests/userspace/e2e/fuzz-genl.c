// SPDX-License-Identifier: GPL-2.0
/*
 * abi-fuzz's generic netlink messages (fuzz.h): commands 0..40 with random
 * flags, attributes of random types and lengths and nested garbage, or
 * the attributes a command takes; each followed by a request whose ack
 * must come.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/genetlink.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "fuzz.h"

static const char *const session_names[] = {
	MAIN_NAME, VICTIM_NAME, "fz-a", "fz-b", "fz-c", "", "fz a",
	"fz-name-of-sixty-five-characters-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
};
static const char *const channel_names[] = {
	"channel0", "c1", "", "c/1", "..",
};
static const char *const event_names[] = {
	"ktrace_test", "sched_switch", "sched_*", "irq_*", "timer_*", "*?",
	"nosuch", "sched-switch", "",
};
static __thread uint32_t fuzz_seq;	/* the thread's last random message */

void fuzz_count_acks(struct nlmsghdr *nlh, void *arg)
{
	(void)arg;
	if (nlh->nlmsg_seq == fuzz_seq && fuzz_seq &&
	    nlh->nlmsg_type == NLMSG_ERROR) {
		int e = -((struct nlmsgerr *)NLMSG_DATA(nlh))->error;

		stats.genl_errors[e >= 0 && e < GENL_ERRNOS ? e : GENL_ERRNOS - 1]++;
	}
}

/* ---- Generic netlink ---- */

enum attr_kind { A_NONE, A_U8, A_U32, A_U64, A_STR, A_NEST };

static enum attr_kind attr_kind(unsigned int type)
{
	switch (type) {
	case KTRACE_ATTR_SESSION_STARTED_ONCE:
	case KTRACE_ATTR_EVENT_ENABLED:
	case KTRACE_ATTR_EVENT_AVAILABLE:
	case KTRACE_ATTR_FIELD_SIGNED:
	case KTRACE_ATTR_CHANNEL_ENABLED:
		return A_U8;
	case KTRACE_ATTR_SNAPSHOT_COUNT:
	case KTRACE_ATTR_CHANNEL_SUBBUF_SIZE:
	case KTRACE_ATTR_CHANNEL_DISCARDED:
	case KTRACE_ATTR_CHANNEL_OVERWRITTEN:
	case KTRACE_ATTR_OUTPUT_MAX_SIZE:
	case KTRACE_ATTR_TEST_SEQ:
	case KTRACE_ATTR_TEST_PAYLOAD:
	case KTRACE_ATTR_PAD:
	case KTRACE_ATTR_CHANNEL_MEMORY:
	case KTRACE_ATTR_CONSUMER_BYTES:
	case KTRACE_ATTR_CONSUMER_PACKETS:
	case KTRACE_ATTR_CONSUMER_SYNCED:
	case KTRACE_ATTR_CONSUMER_LAG:
	case KTRACE_ATTR_STOP_SEQ:
	case KTRACE_ATTR_CHANNEL_TRACEFILE_SIZE:
		return A_U64;
	case KTRACE_ATTR_SESSION_NAME:
	case KTRACE_ATTR_CHANNEL_NAME:
	case KTRACE_ATTR_EVENT_NAME:
	case KTRACE_ATTR_FIELD_NAME:
	case KTRACE_ATTR_OUTPUT_NAME:
	case KTRACE_ATTR_OUTPUT_DEST:
		return A_STR;
	case KTRACE_ATTR_CHANNEL:
	case KTRACE_ATTR_EVENT:
	case KTRACE_ATTR_FIELD:
	case KTRACE_ATTR_OUTPUT:
		return A_NEST;
	case KTRACE_ATTR_UNSPEC:
		return A_NONE;
	default:
		return type <= KTRACE_ATTR_MAX ? A_U32 : A_NONE;
	}
}

static uint32_t u32_value(unsigned int type)
{
	static const uint32_t num_subbuf[] = { 0, 1, 2, 3, 4, 8, 16, 1u << 30,
					       UINT32_MAX };
	static const uint32_t counts[] = { 0, 1, 2, 100, 1000,
					   KTRACE_TEST_FIRE_MAX + 1, UINT32_MAX };
	static const uint32_t small[] = { 0, 1, 2, 3, 9, 10, 0x7fffffff,
					  UINT32_MAX };
	static const uint32_t read_timer[] = { 0, 1, 200000,
					       KTRACE_READ_TIMER_MAX,
					       KTRACE_READ_TIMER_MAX + 1 };
	static const uint32_t files[] = { 0, 1, 3, KTRACE_TRACEFILE_COUNT_MAX,
					  KTRACE_TRACEFILE_COUNT_MAX + 1 };

	switch (type) {
	case KTRACE_ATTR_SESSION_ID:
		return session_id_value();
	case KTRACE_ATTR_CHANNEL_NUM_SUBBUF:
		return PICK(num_subbuf);
	case KTRACE_ATTR_TEST_COUNT:	/* never the 1e6 maximum: too slow */
		return PICK(counts);
	case KTRACE_ATTR_CHANNEL_READ_TIMER:
		return chance(90) ? PICK(read_timer) : (uint32_t)rnd();
	case KTRACE_ATTR_CHANNEL_TRACEFILE_COUNT:
		return chance(90) ? PICK(files) : (uint32_t)rnd();
	default:
		return chance(80) ? PICK(small) : (uint32_t)rnd();
	}
}

static uint64_t u64_value(unsigned int type)
{
	static const uint64_t subbuf[] = {
		0, 1, 4095, 4096, 8192, 12288, 65536, 1 << 20,
		(uint64_t)1 << 46, (uint64_t)1 << 62, UINT64_MAX,
	};

	if (type == KTRACE_ATTR_CHANNEL_SUBBUF_SIZE ||
	    type == KTRACE_ATTR_CHANNEL_TRACEFILE_SIZE)
		return chance(90) ? PICK(subbuf) : rnd();
	return chance(50) ? below(4) : rnd();
}

static const char *str_value(unsigned int type, char *buf, size_t size)
{
	static const char *const dests[] = {
		"/tmp/fz", "file:///tmp/fz", "net://x", "relative", "",
	};
	size_t i, len;

	if (chance(10)) {	/* long, up to past the longest allowed */
		len = below(chance(50) ? 80 : size);
		for (i = 0; i < len; i++)
			buf[i] = 'a' + below(26);
		buf[len] = '\0';
		return buf;
	}
	switch (type) {
	case KTRACE_ATTR_SESSION_NAME:
		return PICK(session_names);
	case KTRACE_ATTR_CHANNEL_NAME:
	case KTRACE_ATTR_OUTPUT_NAME:
		return PICK(channel_names);
	case KTRACE_ATTR_EVENT_NAME:
		return PICK(event_names);
	default:
		return PICK(dests);
	}
}

static void put_attrs(struct nl_msg *msg, int depth);

/* One attribute of @type: well-formed for its type (@sane %), or garbage. */
static int put_attr(struct nl_msg *msg, unsigned int type, int depth,
		    unsigned int sane)
{
	unsigned int base = type & NLA_TYPE_MASK;
	char buf[KTRACE_DEST_LEN + 2];
	size_t len = 0, i;

	if (chance(sane)) {
		switch (attr_kind(base)) {
		case A_U8:
			buf[0] = below(3);
			len = 1;
			break;
		case A_U32: {
			uint32_t v = u32_value(base);

			memcpy(buf, &v, len = 4);
			break;
		}
		case A_U64: {
			uint64_t v = u64_value(base);

			memcpy(buf, &v, len = 8);
			break;
		}
		case A_STR: {
			char str[KTRACE_DEST_LEN + 2];
			const char *v = str_value(base, str, sizeof(str) - 1);

			len = strlen(v) + (chance(90) ? 1 : 0);
			memcpy(buf, v, len);
			break;
		}
		case A_NEST:
			if (depth < 2) {
				struct nlattr *nest = nla_nest_start(msg, type);

				if (!nest)
					return -1;
				put_attrs(msg, depth + 1);
				nla_nest_end(msg, nest);
				return 0;
			}
			break;
		case A_NONE:
			break;
		}
	} else {
		len = below(chance(90) ? 24 : 200);
		for (i = 0; i < len; i++)
			buf[i] = chance(50) ? 0 : rnd();
	}
	return nla_put(msg, type, len, buf);
}

/* Attributes of random types (and flag bits); @depth for nests. */
static void put_attrs(struct nl_msg *msg, int depth)
{
	unsigned int n = below(depth ? 4 : 7), i;

	for (i = 0; i < n; i++) {
		unsigned int type = chance(85) ? 1 + below(KTRACE_ATTR_MAX)
					       : below(64);

		if (chance(5))
			type |= chance(50) ? NLA_F_NESTED : NLA_F_NET_BYTEORDER;
		if (put_attr(msg, type, depth, 75))
			return;
	}
}

/*
 * The attributes command @cmd takes (docs/ABI.md), each with a fair
 * chance: requests that pass validation and reach the core.
 */
static void put_cmd_attrs(struct nl_msg *msg, uint8_t cmd)
{
	enum {
		S = 1 << 0, C = 1 << 1, E = 1 << 2, X = 1 << 3, O = 1 << 4,
		NEW_S = 1 << 5, NEW_C = 1 << 6, NEW_O = 1 << 7, T = 1 << 8,
	};
	static const unsigned int takes[KTRACE_CMD_MAX + 1] = {
		[KTRACE_CMD_SESSION_NEW] = NEW_S,
		[KTRACE_CMD_SESSION_DEL] = S, [KTRACE_CMD_SESSION_GET] = S,
		[KTRACE_CMD_CHANNEL_NEW] = S | NEW_C,
		[KTRACE_CMD_CHANNEL_GET] = S | C, [KTRACE_CMD_EVENT_GET] = S | C,
		[KTRACE_CMD_EVENT_ENABLE] = S | C | E,
		[KTRACE_CMD_EVENT_DISABLE] = S | C | E,
		[KTRACE_CMD_CONTEXT_ADD] = S | C | X,
		[KTRACE_CMD_START] = S, [KTRACE_CMD_STOP] = S,
		[KTRACE_CMD_OUTPUT_ADD] = S | NEW_O, [KTRACE_CMD_OUTPUT_DEL] = S | O,
		[KTRACE_CMD_OUTPUT_GET] = S, [KTRACE_CMD_SNAPSHOT_BUMP] = S,
		[KTRACE_CMD_TEST_FIRE] = T,
		[KTRACE_CMD_SESSION_CLEAR] = S,
		[KTRACE_CMD_CHANNEL_DISABLE] = S | C,
		[KTRACE_CMD_CHANNEL_ENABLE] = S | C,
	};
	static const struct { unsigned int group; uint16_t type; } attrs[] = {
		{ S, KTRACE_ATTR_SESSION_ID }, { S, KTRACE_ATTR_SESSION_NAME },
		{ NEW_S, KTRACE_ATTR_SESSION_NAME }, { NEW_S, KTRACE_ATTR_SESSION_MODE },
		{ C, KTRACE_ATTR_CHANNEL_ID }, { C, KTRACE_ATTR_CHANNEL_NAME },
		{ NEW_C, KTRACE_ATTR_CHANNEL_NAME }, { NEW_C, KTRACE_ATTR_CHANNEL_MODE },
		{ NEW_C, KTRACE_ATTR_CHANNEL_SUBBUF_SIZE },
		{ NEW_C, KTRACE_ATTR_CHANNEL_NUM_SUBBUF },
		{ NEW_C, KTRACE_ATTR_CHANNEL_SWITCH_TIMER },
		{ NEW_C, KTRACE_ATTR_CHANNEL_OUTPUT },
		{ NEW_C, KTRACE_ATTR_CHANNEL_READ_TIMER },
		{ NEW_C, KTRACE_ATTR_CHANNEL_TRACEFILE_SIZE },
		{ NEW_C, KTRACE_ATTR_CHANNEL_TRACEFILE_COUNT },
		{ NEW_C, KTRACE_ATTR_CHANNEL_ENABLED },
		{ E, KTRACE_ATTR_EVENT_NAME }, { X, KTRACE_ATTR_CONTEXT_TYPE },
		{ O, KTRACE_ATTR_OUTPUT_ID }, { O, KTRACE_ATTR_OUTPUT_NAME },
		{ NEW_O, KTRACE_ATTR_OUTPUT_NAME }, { NEW_O, KTRACE_ATTR_OUTPUT_DEST },
		{ NEW_O, KTRACE_ATTR_OUTPUT_MAX_SIZE },
		{ T, KTRACE_ATTR_TEST_SEQ }, { T, KTRACE_ATTR_TEST_COUNT },
		{ T, KTRACE_ATTR_TEST_PAYLOAD },
	};
	unsigned int i, group = cmd <= KTRACE_CMD_MAX ? takes[cmd] : 0;
	int named = 0;

	for (i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
		if (!(attrs[i].group & group) || !chance(60))
			continue;
		/* A session by id or by name: both, now and then. */
		if (attrs[i].group == S && named++ && chance(80))
			continue;
		if (put_attr(msg, attrs[i].type, 0, 92))
			return;
	}
	if (chance(10))		/* and one more, of any type */
		put_attrs(msg, 1);
}

/*
 * Never let the fuzz destroy fz-main, disable its events or channel, or
 * clear what it recorded.
 */
static void protect_main(struct nlmsghdr *nlh)
{
	struct genlmsghdr *g = nlmsg_data(nlh);
	struct nlattr *a;
	int rem;

	if (g->cmd != KTRACE_CMD_SESSION_DEL &&
	    g->cmd != KTRACE_CMD_EVENT_DISABLE &&
	    g->cmd != KTRACE_CMD_CHANNEL_DISABLE &&
	    g->cmd != KTRACE_CMD_SESSION_CLEAR)
		return;
	nla_for_each_attr(a, genlmsg_attrdata(g, 0), genlmsg_attrlen(g, 0), rem) {
		uint32_t id;

		if (nla_type(a) == KTRACE_ATTR_SESSION_ID && nla_len(a) >= 4) {
			memcpy(&id, nla_data(a), 4);
			if (id == main_id) {
				id = victim_id;
				memcpy(nla_data(a), &id, 4);
			}
		} else if (nla_type(a) == KTRACE_ATTR_SESSION_NAME &&
			   nla_len(a) >= (int)strlen(MAIN_NAME) &&
			   !memcmp(nla_data(a), MAIN_NAME, strlen(MAIN_NAME))) {
			memcpy(nla_data(a), "fz-victi", 8);
		}
	}
}

/*
 * Channel geometry: refused values are welcome, but an accepted channel
 * may take at most 4 MiB per CPU. Past that, the number of sub-buffers
 * becomes 3, which is refused.
 */
static void limit_geometry(struct nlmsghdr *nlh)
{
	struct genlmsghdr *g = nlmsg_data(nlh);
	uint64_t subbuf = 1 << 20;
	uint32_t *num = NULL, n = 4;
	struct nlattr *a;
	int rem;

	nla_for_each_attr(a, genlmsg_attrdata(g, 0), genlmsg_attrlen(g, 0), rem) {
		if (nla_type(a) == KTRACE_ATTR_CHANNEL_SUBBUF_SIZE && nla_len(a) == 8)
			memcpy(&subbuf, nla_data(a), 8);
		if (nla_type(a) == KTRACE_ATTR_CHANNEL_NUM_SUBBUF && nla_len(a) == 4) {
			num = nla_data(a);
			memcpy(&n, num, 4);
		}
	}
	/* Sizes too large for the machine's memory fail before allocating. */
	if (subbuf > (4 << 20) || n > (4 << 20) || subbuf * n <= (4 << 20))
		return;
	/* Without the attribute, only sizes the pools lack get this far. */
	if (num)
		memcpy(num, &(uint32_t){ 3 }, 4);
}

void op_genl(struct e2e_nl *c, unsigned long op)
{
	static const uint16_t flag_bits[] = {
		NLM_F_ACK, NLM_F_ECHO, NLM_F_DUMP, NLM_F_ROOT, NLM_F_MATCH,
		NLM_F_ATOMIC, NLM_F_MULTI, NLM_F_DUMP_INTR, NLM_F_REPLACE,
		NLM_F_EXCL, NLM_F_CREATE, NLM_F_APPEND, 0x8000,
	};
	int grammar = chance(60);
	uint16_t flags = NLM_F_REQUEST | (grammar ? NLM_F_ACK : 0);
	uint8_t cmd = grammar ? 1 + below(KTRACE_CMD_MAX) :
		      chance(80) ? below(KTRACE_CMD_MAX + 3) : below(41);
	struct nl_msg *msg = nlmsg_alloc_size(16384);
	struct e2e_ack ack;
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;
	uint32_t seq = ++c->seq;
	unsigned int i;
	int ret;

	if (grammar && chance(20))
		flags = NLM_F_REQUEST | NLM_F_DUMP;
	for (i = grammar ? (unsigned int)chance(10) : below(4); i; i--)
		flags |= PICK(flag_bits);
	if (!grammar && chance(10))
		flags = rnd();
	if (!msg || !(g = genlmsg_put(msg, 0, seq, c->family, 0, flags, cmd,
				      chance(95) ? KTRACE_GENL_VERSION : rnd())))
		die("out of memory");
	if (!grammar && chance(5))
		g->reserved = rnd();
	if (grammar)
		put_cmd_attrs(msg, cmd);
	else
		put_attrs(msg, 0);
	fuzz_seq = seq;
	nlh = nlmsg_hdr(msg);
	if (chance(3))	/* netlink's own types */
		nlh->nlmsg_type = below(NLMSG_MIN_TYPE);
	protect_main(nlh);
	if (g->cmd == KTRACE_CMD_CHANNEL_NEW)
		limit_geometry(nlh);
	if (verbose)
		printf("%lu: genl cmd %u flags %#x len %u\n", op, g->cmd,
		       nlh->nlmsg_flags, nlh->nlmsg_len);
	stats.genl_sent++;
	if (send(c->fd, nlh, nlh->nlmsg_len, 0) < 0 && errno != ENOBUFS)
		check(0, "op %lu: netlink send: %s", op, strerror(errno));
	nlmsg_free(msg);

	/* Then a request we know: its ack comes after anything of the above. */
	ret = e2e_session_cmd(c, KTRACE_CMD_SESSION_GET, main_id, &ack);
	if (ret)
		check(0, "op %lu: SESSION_GET %s after a random message: %s %s",
		      op, MAIN_NAME, strerror(-ret), ack.msg);
	else
		stats.genl_ok++;
}

