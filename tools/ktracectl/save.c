// SPDX-License-Identifier: GPL-2.0
/*
 * ktracectl save: a session's whole configuration (mode, channels with
 * their attributes, contexts and events, snapshot outputs) as a session
 * file (session_file.h), which ktracectl load recreates it from.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "ktracectl.h"
#include "nl.h"
#include "session_file.h"

/* @sf from the module's session @name. */
static int session_read(struct ktnl *nl, const char *name,
			struct session_file *sf)
{
	struct ktnl_session s;
	struct ktnl_event *evs;
	struct ktnl_output *outs;
	size_t i, j, n;
	int ret;

	ret = ktnl_session_get(nl, name, &s);
	if (ret)
		return ktracectl_nl_err(nl, ret, "%s", name);
	snprintf(sf->name, sizeof(sf->name), "%s", s.name);
	sf->mode = s.mode;
	sf->channels = calloc(s.nr_channels ? s.nr_channels : 1,
			      sizeof(*sf->channels));
	if (!sf->channels) {
		free(s.channels);
		return -ENOMEM;
	}
	for (i = 0; i < s.nr_channels; i++) {
		const struct ktnl_channel *c = &s.channels[i];
		struct sf_channel *sc = &sf->channels[i];

		sf->nr_channels++;
		snprintf(sc->name, sizeof(sc->name), "%s", c->name);
		sc->mode = c->mode;
		sc->subbuf_size = c->subbuf_size;
		sc->num_subbuf = c->num_subbuf;
		sc->switch_timer_us = c->switch_timer_us;
		sc->output = c->output;
		for (j = 0; j < c->nr_contexts && j < CLI_CONTEXT_TYPES; j++)
			sc->contexts[sc->nr_contexts++] = c->contexts[j];
		ret = ktnl_event_list(nl, s.name, c->name, &evs, &n);
		if (ret) {
			ret = ktracectl_nl_err(nl, ret, "%s", c->name);
			goto out;
		}
		sc->events = calloc(n ? n : 1, sizeof(*sc->events));
		if (!sc->events) {
			free(evs);
			ret = -ENOMEM;
			goto out;
		}
		for (j = 0; j < n; j++) {
			snprintf(sc->events[j].name, sizeof(sc->events[j].name),
				 "%s", evs[j].name);
			sc->events[j].enabled = evs[j].enabled;
		}
		sc->nr_events = n;
		free(evs);
	}
	ret = ktnl_output_list(nl, s.name, &outs, &n);
	if (ret) {
		ret = ktracectl_nl_err(nl, ret, "%s", s.name);
		goto out;
	}
	sf->outputs = calloc(n ? n : 1, sizeof(*sf->outputs));
	if (!sf->outputs) {
		free(outs);
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++) {
		snprintf(sf->outputs[i].name, sizeof(sf->outputs[i].name), "%s",
			 outs[i].name);
		snprintf(sf->outputs[i].dest, sizeof(sf->outputs[i].dest), "%s",
			 outs[i].dest);
		sf->outputs[i].max_size = outs[i].max_size;
	}
	sf->nr_outputs = n;
	free(outs);
out:
	free(s.channels);
	return ret;
}

/* Writes @sf to @path through a temporary file, so that no half is left. */
static int write_file(const char *path, const struct session_file *sf)
{
	char tmp[4096];
	FILE *f;
	int ret;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp%ld", path, (long)getpid()) >=
	    (int)sizeof(tmp)) {
		ktracectl_set_err("%s: %s", path, strerror(ENAMETOOLONG));
		return -ENAMETOOLONG;
	}
	f = fopen(tmp, "w");
	if (!f) {
		ret = -errno;
		ktracectl_set_err("%s: %s", path, strerror(errno));
		return ret;
	}
	ret = session_file_write(f, sf);
	if (fclose(f) && !ret)
		ret = -EIO;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret) {
		ktracectl_set_err("%s: %s", path, strerror(-ret));
		unlink(tmp);
	}
	return ret;
}

/* ktracectl save [NAME] [-s S] [-o FILE] */
int cmd_save(struct ktracectl_ctx *ctx)
{
	const struct cli_save *a = ctx->args;
	struct session_file sf = { 0 };
	int ret;

	ret = session_read(ctx->nl, ctx->session, &sf);
	if (!ret && a->output) {
		ret = write_file(a->output, &sf);
		if (!ret)
			printf("Session %s saved to %s.\n", sf.name, a->output);
	} else if (!ret && session_file_write(stdout, &sf)) {
		ktracectl_set_err("standard output: %s", strerror(EIO));
		ret = -EIO;
	}
	session_file_free(&sf);
	return ret;
}
