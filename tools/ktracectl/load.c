// SPDX-License-Identifier: GPL-2.0
/*
 * ktracectl load: recreate a session from a session file (session_file.h)
 * that ktracectl save wrote. The whole file is checked before anything is
 * created, and a session the module refuses a part of is destroyed again:
 * nothing is ever half-loaded.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ktracectl.h"
#include "nl.h"
#include "session_file.h"

/* Longest session file read: far more than any session needs. */
#define SESSION_FILE_MAX	(16 << 20)

/* The contents of @path, NUL-terminated, malloc()ed. */
static int read_file(const char *path, char **out)
{
	size_t len = 0, cap = 4096, n;
	char *buf = malloc(cap), *p;
	FILE *f;

	if (!buf)
		return -ENOMEM;
	f = fopen(path, "r");
	if (!f) {
		int ret = -errno;

		ktracectl_set_err("%s: %s", path, strerror(errno));
		free(buf);
		return ret;
	}
	while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (len + 1 < cap)
			continue;
		if (cap >= SESSION_FILE_MAX) {
			ktracectl_set_err("%s: larger than %d bytes", path,
					  SESSION_FILE_MAX);
			fclose(f);
			free(buf);
			return -EFBIG;
		}
		cap *= 2;
		p = realloc(buf, cap);
		if (!p) {
			fclose(f);
			free(buf);
			return -ENOMEM;
		}
		buf = p;
	}
	if (ferror(f)) {
		ktracectl_set_err("%s: %s", path, strerror(EIO));
		fclose(f);
		free(buf);
		return -EIO;
	}
	fclose(f);
	buf[len] = '\0';
	*out = buf;
	return 0;
}

/* One channel: created with its attributes, contexts and events. */
static int load_channel(struct ktnl *nl, const char *session,
			const struct sf_channel *c)
{
	struct ktnl_channel_attr attr = {
		.name = c->name,
		.mode = c->mode,
		.subbuf_size = c->subbuf_size,
		.num_subbuf = c->num_subbuf,
		.switch_timer_us = c->switch_timer_us,
		.output = c->output,
	};
	uint32_t count;
	size_t i;
	int ret;

	ret = ktnl_channel_new(nl, session, &attr, NULL);
	if (ret)
		return ktracectl_nl_err(nl, ret, "channel %s", c->name);
	for (i = 0; i < c->nr_contexts; i++) {
		ret = ktnl_context_add(nl, session, c->name, c->contexts[i]);
		if (ret)
			return ktracectl_nl_err(nl, ret, "channel %s: context %s",
						c->name,
						cli_context_name(c->contexts[i]));
	}
	/* In id order: a disabled event keeps its id, as it did. */
	for (i = 0; i < c->nr_events; i++) {
		const char *name = c->events[i].name;

		ret = ktnl_event_enable(nl, session, c->name, name, &count);
		if (!ret && !c->events[i].enabled)
			ret = ktnl_event_disable(nl, session, c->name, name,
						 &count);
		if (ret)
			return ktracectl_nl_err(nl, ret, "channel %s: event %s",
						c->name, name);
	}
	return 0;
}

static int load_session(struct ktnl *nl, const struct session_file *sf)
{
	size_t i;
	int ret;

	ret = ktnl_session_new(nl, sf->name, sf->mode, NULL);
	if (ret)
		return ktracectl_nl_err(nl, ret, "%s", sf->name);
	for (i = 0; !ret && i < sf->nr_channels; i++)
		ret = load_channel(nl, sf->name, &sf->channels[i]);
	for (i = 0; !ret && i < sf->nr_outputs; i++) {
		const struct sf_output *o = &sf->outputs[i];

		ret = ktnl_output_add(nl, sf->name, o->name, o->dest,
				      o->max_size, NULL);
		if (ret)
			ret = ktracectl_nl_err(nl, ret, "output %s", o->name);
	}
	if (ret)
		ktnl_session_del(nl, sf->name);	/* the reason stays set */
	return ret;
}

/* ktracectl load FILE [--override-name NAME] */
int cmd_load(struct ktracectl_ctx *ctx)
{
	const struct cli_load *a = ctx->args;
	struct session_file sf;
	char err[512], *text = NULL;
	int ret;

	ret = read_file(a->file, &text);
	if (ret)
		return ret;
	ret = session_file_parse(text, &sf, err, sizeof(err));
	free(text);
	if (ret) {
		/* "FILE:LINE:COLUMN: ..." for JSON, "FILE: key: ..." else. */
		ktracectl_set_err("%s:%s%s", a->file,
				  err[0] >= '0' && err[0] <= '9' ? "" : " ", err);
		session_file_free(&sf);
		return ret;
	}
	if (a->name)
		snprintf(sf.name, sizeof(sf.name), "%s", a->name);
	ret = load_session(ctx->nl, &sf);
	if (!ret)
		printf("Session %s loaded from %s.\n", sf.name, a->file);
	session_file_free(&sf);
	return ret;
}
