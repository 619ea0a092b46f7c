// SPDX-License-Identifier: GPL-2.0
/*
 * ktnl-e2e: ktracectl's netlink client (tools/ktracectl/nl.c) against the
 * module, one call of each ktnl_* function and what it returns, including
 * a refusal's errno, message and attribute as ktracectl will print them.
 * genl-e2e checks the family itself without this client.
 *
 * Exit status: 0 when every check passed, 1 otherwise.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e.h"
#include "nl.h"

int main(void)
{
	struct ktnl_channel_attr attr = {
		.name = "chan",
		.subbuf_size = 8192,
		.num_subbuf = 2,
		.mode = KTRACE_CHANNEL_OVERWRITE,
	};
	struct ktnl_notification ntf;
	struct ktnl_tracepoint *tps;
	struct ktnl_session *list, s;
	struct ktnl_channel *chans;
	struct ktnl_output *outs;
	struct ktnl_event *evs;
	struct ktnl nl, sub;
	uint32_t id, cid, oid, n;
	size_t i, count;
	uint64_t snaps;
	int ret, found;

	ret = ktnl_open(&nl);
	check(!ret, "ktnl_open: %s", strerror(-ret));
	if (ret)
		return 1;
	ret = ktnl_open(&sub);
	check(!ret && !ktnl_subscribe(&sub), "ktnl_subscribe");

	ret = ktnl_session_new(&nl, "ktnl-a", KTRACE_SESSION_MODE_SNAPSHOT, &id);
	check(!ret && id, "ktnl_session_new: id %u", id);
	ret = ktnl_notification_next(&sub, &ntf, 1000);
	check(ret == 1 && ntf.cmd == KTRACE_CMD_NTF_SESSION_NEW &&
	      ntf.session_id == id && !strcmp(ntf.session, "ktnl-a"),
	      "ktnl_notification_next: NEW %u %s", ntf.session_id, ntf.session);

	ret = ktnl_session_new(&nl, "ktnl-a", 0, NULL);
	check(ret == -EEXIST &&
	      !strcmp(ktnl_errmsg(&nl), "a session of that name exists") &&
	      ktnl_err_attr(&nl) == KTRACE_ATTR_SESSION_NAME,
	      "a refusal: %s: %s (attribute %d)", strerror(-ret),
	      ktnl_errmsg(&nl), ktnl_err_attr(&nl));
	ret = ktnl_session_new(&nl, "", 0, NULL);
	check(ret == -EINVAL && ktnl_err_attr(&nl) == KTRACE_ATTR_SESSION_NAME,
	      "an empty name: %s (attribute %d)", ktnl_errmsg(&nl),
	      ktnl_err_attr(&nl));
	ret = ktnl_start(&nl, "ktnl-none");
	check(ret == -ENOENT && !strcmp(ktnl_errmsg(&nl), "session not found"),
	      "ktnl_start of an unknown session: %s", ktnl_errmsg(&nl));

	ret = ktnl_channel_new(&nl, "ktnl-a", &attr, &cid);
	check(!ret && cid == 0, "ktnl_channel_new: id %u", cid);
	attr.name = "chan2";
	attr.num_subbuf = 3;
	ret = ktnl_channel_new(&nl, "ktnl-a", &attr, NULL);
	check(ret == -EINVAL &&
	      ktnl_err_attr(&nl) == KTRACE_ATTR_CHANNEL_NUM_SUBBUF,
	      "three sub-buffers: %s", ktnl_errmsg(&nl));
	ret = ktnl_channel_list(&nl, "ktnl-a", &chans, &count);
	check(!ret && count == 1 && !strcmp(chans[0].name, "chan") &&
	      chans[0].subbuf_size == 8192 && chans[0].num_subbuf == 2 &&
	      chans[0].mode == KTRACE_CHANNEL_OVERWRITE && chans[0].streams > 0,
	      "ktnl_channel_list: %zu channel(s)", count);
	if (!ret)
		free(chans);

	ret = ktnl_event_enable(&nl, "ktnl-a", "chan", "ktrace_test", &n);
	check(!ret && n == 1, "ktnl_event_enable: %u", n);
	ret = ktnl_event_enable(&nl, "ktnl-a", "chan", "sched_switch", &n);
	check(!ret && n == 1, "ktnl_event_enable sched_switch: %u", n);
	ret = ktnl_event_disable(&nl, "ktnl-a", "chan", "sched_switch", &n);
	check(!ret && n == 1, "ktnl_event_disable: %u", n);
	ret = ktnl_event_disable(&nl, "ktnl-a", NULL, "ktrace_test", &n);
	check(ret == -ENOENT, "ktnl_event_disable in a missing channel0: %s",
	      ktnl_errmsg(&nl));
	ret = ktnl_event_list(&nl, "ktnl-a", "chan", &evs, &count);
	check(!ret && count == 2 && !strcmp(evs[0].name, "ktrace_test") &&
	      evs[0].enabled && evs[0].id == 0 &&
	      !strcmp(evs[1].name, "sched_switch") && !evs[1].enabled &&
	      evs[1].id == 1, "ktnl_event_list: %zu events", count);
	if (!ret)
		free(evs);
	ret = ktnl_context_add(&nl, "ktnl-a", "chan", KTRACE_CONTEXT_TYPE_TID);
	check(!ret, "ktnl_context_add");

	ret = ktnl_output_add(&nl, "ktnl-a", NULL, "/var/tmp/o", 4096, &oid);
	check(!ret && oid == 1, "ktnl_output_add: id %u", oid);
	ret = ktnl_output_list(&nl, "ktnl-a", &outs, &count);
	check(!ret && count == 1 && !strcmp(outs[0].name, "snapshot-1") &&
	      !strcmp(outs[0].dest, "/var/tmp/o") && outs[0].max_size == 4096,
	      "ktnl_output_list: %zu output(s)", count);
	if (!ret)
		free(outs);
	ret = ktnl_output_del(&nl, "ktnl-a", "snapshot-1");
	check(!ret, "ktnl_output_del");

	check(!ktnl_start(&nl, "ktnl-a"), "ktnl_start");
	check(!ktnl_test_fire(&nl, 1, 10, 5), "ktnl_test_fire");
	check(!ktnl_stop(&nl, "ktnl-a"), "ktnl_stop");
	ret = ktnl_snapshot_bump(&nl, "ktnl-a", &snaps);
	check(!ret && snaps == 1, "ktnl_snapshot_bump: %llu",
	      (unsigned long long)snaps);

	ret = ktnl_session_get(&nl, "ktnl-a", &s);
	check(!ret && s.id == id && s.state == KTRACE_SESSION_STATE_STOPPED &&
	      s.started_once && s.snapshot_count == 1 && s.nr_channels == 1 &&
	      !strcmp(s.channels[0].name, "chan"),
	      "ktnl_session_get: state %u, %zu channel(s)", s.state,
	      s.nr_channels);
	if (!ret)
		free(s.channels);

	ret = ktnl_session_list(&nl, &list, &count);
	found = 0;
	for (i = 0; !ret && i < count; i++)
		found += list[i].id == id && list[i].nr_channels == 1;
	check(!ret && found == 1, "ktnl_session_list: %zu session(s)", count);
	if (!ret)
		ktnl_session_free(list, count);

	ret = ktnl_tracepoint_list(&nl, &tps, &count);
	found = 0;
	for (i = 0; !ret && i < count; i++)
		found += !strcmp(tps[i].name, "ktrace_test") &&
			 tps[i].available && tps[i].nr_fields == 2 &&
			 !strcmp(tps[i].fields[0].name, "seq");
	check(!ret && found == 1, "ktnl_tracepoint_list: %zu events", count);
	if (!ret)
		ktnl_tracepoint_free(tps, count);

	check(!ktnl_session_del(&nl, "ktnl-a"), "ktnl_session_del");
	for (i = 0; i < 3; i++)
		if (ktnl_notification_next(&sub, &ntf, 1000) != 1)
			break;
	check(i == 3 && ntf.cmd == KTRACE_CMD_NTF_SESSION_DEL &&
	      ntf.session_id == id,
	      "START, STOP and DEL notifications (last: cmd %u)", ntf.cmd);

	ktnl_close(&sub);
	ktnl_close(&nl);
	return e2e_summary();
}
