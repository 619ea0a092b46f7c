// SPDX-License-Identifier: GPL-2.0
/*
 * The snapshot commands: record (record.c does the work) and the
 * snapshot outputs of a session: add-output, del-output, list-output.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "json.h"
#include "ktracectl.h"
#include "nl.h"
#include "record.h"
#include "snapshot_path.h"

/*
 * The destination the kernel stores: absolute, since later runs may have
 * another working directory. An existing directory is resolved through
 * realpath(); anything else is joined to the working directory.
 */
static int absolute_dest(const char *dest, char *buf, size_t len)
{
	char real[PATH_MAX], cwd[PATH_MAX];
	const char *path, *base = "/";
	int ret;

	ret = snapshot_path_dest(dest, &path, NULL);
	if (ret)
		return ret;	/* cli_dest_check() passed: cannot happen */
	/* file:// URLs (path != dest) and absolute paths stay as given. */
	if (path == dest && dest[0] != '/') {
		if (realpath(dest, real)) {
			dest = real;
		} else if (getcwd(cwd, sizeof(cwd))) {
			base = cwd;
		} else {
			ktracectl_set_err("the working directory: %s",
					  strerror(errno));
			return -errno;
		}
	}
	ret = cli_abs_dest(buf, len, dest, base);
	if (ret)
		ktracectl_set_err("the output path is longer than %d bytes once made absolute",
				  KTRACE_DEST_LEN);
	return ret;
}

static int find_output(struct ktnl *nl, const char *session, uint32_t id,
		       const char *name, struct ktnl_output *out)
{
	struct ktnl_output *outputs;
	size_t n, i;
	int ret;

	ret = ktnl_output_list(nl, session, &outputs, &n);
	if (ret)
		return ktracectl_nl_err(nl, ret, "%s", session);
	ret = -ENOENT;
	for (i = 0; i < n && ret; i++)
		if (id ? outputs[i].id == id : !strcmp(outputs[i].name, name)) {
			*out = outputs[i];
			ret = 0;
		}
	free(outputs);
	return ret;
}

/**
 * ktracectl_add_output() - add a snapshot output to a session
 * @nl: the connection.
 * @session: the session's name.
 * @name: the output's name, or NULL for the kernel's "snapshot-<id>".
 * @dest: a destination that passed cli_dest_check(); made absolute.
 * @max_size: its default maximum snapshot size, 0 for none.
 * @out: receives the output as the kernel stored it.
 *
 * Return: 0, or a negative errno with the reason set.
 */
int ktracectl_add_output(struct ktnl *nl, const char *session,
			 const char *name, const char *dest,
			 uint64_t max_size, struct ktnl_output *out)
{
	char abs[KTRACE_DEST_LEN + 1];
	uint32_t id;
	int ret;

	ret = absolute_dest(dest, abs, sizeof(abs));
	if (ret)
		return ret;
	ret = ktnl_output_add(nl, session, name, abs, max_size, &id);
	if (ret)
		return ktracectl_nl_err(nl, ret, "%s",
					ktracectl_blamed(nl, session, NULL,
							 name ? name : abs));
	ret = find_output(nl, session, id, NULL, out);
	if (ret == -ENOENT)
		ktracectl_set_err("output %u vanished: deleted meanwhile", id);
	return ret;
}

/**
 * ktracectl_print_output() - one output, as list-output shows it
 * @prefix: printed first ("  ").
 * @o: the output.
 *
 * Prints "[1] snapshot-1: /var/tmp/traces (max size: 8 MiB)".
 */
void ktracectl_print_output(const char *prefix, const struct ktnl_output *o)
{
	char size[32];

	if (o->max_size)
		ktracectl_format_size(o->max_size, size, sizeof(size));
	printf("%s[%u] %s: %s (%s%s)\n", prefix, o->id, o->name, o->dest,
	       o->max_size ? "max size: " : "no max size",
	       o->max_size ? size : "");
}

/**
 * ktracectl_json_output() - one output as a JSON object
 * @o: the output.
 *
 * Return: the object (json.h); NULL without memory.
 */
json_t *ktracectl_json_output(const struct ktnl_output *o)
{
	json_t *obj = json_object();

	jout_uint(obj, "id", o->id);
	jout_str(obj, "name", o->name);
	jout_str(obj, "dest", o->dest);
	jout_uint(obj, "max_size", o->max_size);
	return obj;
}

/* ktracectl snapshot add-output [-s S] [-m SIZE] [-n NAME] PATH */
int cmd_add_output(struct ktracectl_ctx *ctx)
{
	const struct cli_output_add *a = ctx->args;
	struct ktnl_output out;
	int ret;

	ret = ktracectl_add_output(ctx->nl, ctx->session, a->name, a->dest,
				   a->max_size, &out);
	if (ret)
		return ret;
	printf("Snapshot output added to session %s:\n", ctx->session);
	ktracectl_print_output("  ", &out);
	return 0;
}

/* ktracectl snapshot del-output [-s S] ID|NAME */
int cmd_del_output(struct ktracectl_ctx *ctx)
{
	const struct cli_output_del *a = ctx->args;
	struct ktnl_output out;
	int ret = -ENOENT;

	/* A number is an id first; "snapshot-1" and names are names. */
	if (a->is_id)
		ret = find_output(ctx->nl, ctx->session, a->id, NULL, &out);
	if (ret == -ENOENT)
		ret = find_output(ctx->nl, ctx->session, 0, a->output, &out);
	if (ret == -ENOENT)
		ktracectl_set_err("%s: session %s has no output of that id or name",
				  a->output, ctx->session);
	if (ret)
		return ret;
	ret = ktnl_output_del(ctx->nl, ctx->session, out.name);
	if (ret)
		return ktracectl_nl_err(ctx->nl, ret, "%s", out.name);
	printf("Snapshot output [%u] %s deleted from session %s.\n", out.id,
	       out.name, ctx->session);
	return 0;
}

/* ktracectl snapshot list-output [-s S] [--json] */
int cmd_list_output(struct ktracectl_ctx *ctx)
{
	const struct cli_output_list *a = ctx->args;
	struct ktnl_output *outputs;
	json_t *root, *arr;
	size_t n, i;
	int ret;

	ret = ktnl_output_list(ctx->nl, ctx->session, &outputs, &n);
	if (ret)
		return ktracectl_nl_err(ctx->nl, ret, "%s", ctx->session);
	if (a->json) {
		arr = json_array();
		for (i = 0; i < n; i++)
			jout_append(arr, ktracectl_json_output(&outputs[i]));
		root = json_object();
		jout_str(root, "session", ctx->session);
		jout_set(root, "outputs", arr);
		ret = jout_print(stdout, root);
	} else {
		printf("Snapshot outputs of session %s:%s\n", ctx->session,
		       n ? "" : " none");
		for (i = 0; i < n; i++)
			ktracectl_print_output("  ", &outputs[i]);
	}
	free(outputs);
	return ret;
}

/*
 * ktracectl snapshot [record] [-s S] [-m SIZE] [-n NAME] [--policy P]
 * [--no-statedump] [PATH]
 */
int cmd_snapshot_record(struct ktracectl_ctx *ctx)
{
	return snapshot_record(ctx->nl, ctx->session, ctx->args);
}
