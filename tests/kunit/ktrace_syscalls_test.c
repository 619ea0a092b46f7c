// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the per-syscall events (module/probes/syscalls.c and
 * the table gen_syscalls.py generates from this kernel): busybox, run as
 * a user-mode helper, makes real system calls, and the channel must hold
 * exactly the events enabled, with the arguments the call was given.
 */
#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/module.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <linux/umh.h>
#include <asm/unistd.h>

#include "ktrace_test_trace.h"

/* A path no VM has, longer than a recorded string keeps (255 bytes). */
#define T_LONG_PATH_LEN		300

/* busybox @applet @arg, waited for; its exit status. */
static int t_busybox(const char *applet, const char *arg)
{
	char *argv[4], *envp[2];

	argv[0] = "/bin/busybox";
	argv[1] = (char *)applet;
	argv[2] = (char *)arg;
	argv[3] = NULL;
	envp[0] = "PATH=/bin";
	envp[1] = NULL;
	return call_usermodehelper(argv[0], argv, envp, UMH_WAIT_PROC);
}

static struct t_trace *t_record(struct kunit *test, const char *const *events,
				const char *applet, const char *arg)
{
	struct t_fix *f = t_setup(test, SZ_64K);

	for (; *events; events++)
		t_enable(test, f->c, *events);
	t_start(test, f);
	t_busybox(applet, arg);
	t_stop(test, f);
	return t_read(test, f->c);
}

static const struct t_event *t_first(const struct t_trace *tr,
				     const char *name)
{
	unsigned int i;

	for (i = 0; i < tr->nr; i++)
		if (t_is(&tr->ev[i], name))
			return &tr->ev[i];
	return NULL;
}

/* openat's path is a string; its exit records the fd or the error. */
static void syscalls_openat_records_filename_and_ret(struct kunit *test)
{
	static const char *const events[] = {
		"syscall_entry_openat", "syscall_exit_openat", NULL,
	};
	static const char path[] = "/ktrace_sc_no_such_file";
	struct t_trace *tr = t_record(test, events, "cat", path);
	unsigned int i, entries = 0, exits = 0;

	for (i = 0; i < tr->nr; i++) {
		const struct t_event *ev = &tr->ev[i];

		if (t_is(ev, "syscall_entry_openat") &&
		    !strcmp(t_string_field(test, ev, "filename"), path)) {
			entries++;
			KUNIT_EXPECT_EQ(test, (int)t_int(test, ev, "dfd"),
					AT_FDCWD);
		}
		if (t_is(ev, "syscall_exit_openat") &&
		    (long)t_int(test, ev, "ret") == -ENOENT)
			exits++;
	}
	KUNIT_EXPECT_EQ(test, entries, 1);
	KUNIT_EXPECT_GE(test, exits, 1);
}

/* A path longer than the copy is cut to 255 bytes that end in "...". */
static void syscalls_long_string_is_visibly_truncated(struct kunit *test)
{
	static const char *const events[] = { "syscall_entry_openat", NULL };
	char *path = kunit_kzalloc(test, T_LONG_PATH_LEN + 1, GFP_KERNEL);
	const char *got = NULL;
	struct t_trace *tr;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, path);
	memset(path, 'k', T_LONG_PATH_LEN);
	path[0] = '/';
	tr = t_record(test, events, "cat", path);
	for (i = 0; i < tr->nr; i++)
		if (t_is(&tr->ev[i], "syscall_entry_openat") &&
		    !strncmp(t_string_field(test, &tr->ev[i], "filename"),
			     "/kkk", 4))
			got = t_string_field(test, &tr->ev[i], "filename");
	KUNIT_ASSERT_NOT_NULL(test, got);
	KUNIT_EXPECT_EQ(test, strlen(got), 255);
	KUNIT_EXPECT_STREQ(test, got + 252, "...");
	KUNIT_EXPECT_EQ(test, strncmp(got, path, 252), 0);
}

/* Only the enabled calls are recorded, and exit_group's argument is typed. */
static void syscalls_only_enabled_calls_are_recorded(struct kunit *test)
{
	static const char *const events[] = {
		"syscall_entry_getppid", "syscall_entry_exit_group", NULL,
	};
	struct t_trace *tr = t_record(test, events, "true", NULL);
	const struct t_event *ev = t_first(tr, "syscall_entry_exit_group");
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, ev);
	KUNIT_EXPECT_EQ(test, (int)t_int(test, ev, "error_code"), 0);
	for (i = 0; i < tr->nr; i++)
		KUNIT_EXPECT_TRUE_MSG(test,
				      t_is(&tr->ev[i], "syscall_entry_getppid") ||
				      t_is(&tr->ev[i], "syscall_entry_exit_group"),
				      "%s", tr->ev[i].desc->name);
}

/*
 * Calls without a usable prototype (mmap is declared by x86 alone) are
 * syscall_entry_unknown with their number; calls with one never are.
 */
static void syscalls_unknown_has_id_and_args(struct kunit *test)
{
	static const char *const events[] = {
		"syscall_entry_unknown", "syscall_exit_unknown", NULL,
	};
	struct t_trace *tr = t_record(test, events, "true", NULL);
	const struct ktrace_field_desc *fd;
	unsigned int i, unknown = 0;
	long id;

	for (i = 0; i < tr->nr; i++) {
		if (!t_is(&tr->ev[i], "syscall_entry_unknown"))
			continue;
		id = t_int(test, &tr->ev[i], "id");
		KUNIT_EXPECT_NE(test, id, __NR_exit_group);
		KUNIT_EXPECT_NE(test, id, __NR_openat);
		t_field(test, &tr->ev[i], "args", &fd);
		KUNIT_EXPECT_EQ(test, fd->length, 6);
		unknown++;
	}
	KUNIT_EXPECT_GT(test, unknown, 0);
}

/* Names and availability, as ktracectl enable-event sees them. */
static void syscalls_events_are_listed_by_name(struct kunit *test)
{
	static const char * const names[] = {
		"syscall_entry_getppid", "syscall_exit_getppid",
		"syscall_entry_openat", "syscall_exit_openat",
		"syscall_entry_unknown", "syscall_exit_unknown",
		"syscall_entry", "syscall_exit",
	};
	const struct ktrace_event_desc *d;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		d = ktrace_probes_find(names[i]);
		KUNIT_ASSERT_NOT_NULL_MSG(test, d, "%s", names[i]);
		KUNIT_EXPECT_TRUE_MSG(test, ktrace_probes_available(d), "%s",
				      names[i]);
	}
	/* LTTng's inputs and outputs: read's buf is written, so at exit. */
	d = ktrace_probes_find("syscall_entry_read");
	KUNIT_ASSERT_NOT_NULL(test, d);
	KUNIT_ASSERT_EQ(test, d->nr_fields, 2);
	KUNIT_EXPECT_STREQ(test, d->fields[0].name, "fd");
	KUNIT_EXPECT_STREQ(test, d->fields[1].name, "count");
	d = ktrace_probes_find("syscall_exit_read");
	KUNIT_ASSERT_NOT_NULL(test, d);
	KUNIT_ASSERT_EQ(test, d->nr_fields, 2);
	KUNIT_EXPECT_STREQ(test, d->fields[0].name, "ret");
	KUNIT_EXPECT_STREQ(test, d->fields[1].name, "buf");
	KUNIT_EXPECT_TRUE(test, d->fields[1].hex);
	/* pipe2's fds by value, as LTTng records them. */
	d = ktrace_probes_find("syscall_exit_pipe2");
	KUNIT_ASSERT_NOT_NULL(test, d);
	KUNIT_ASSERT_EQ(test, d->nr_fields, 2);
	KUNIT_EXPECT_STREQ(test, d->fields[1].name, "fildes");
	KUNIT_EXPECT_EQ(test, d->fields[1].length, 2);
	/* An exit event without outputs records ret alone. */
	d = ktrace_probes_find("syscall_exit_openat");
	KUNIT_ASSERT_NOT_NULL(test, d);
	KUNIT_EXPECT_EQ(test, d->nr_fields, 1);
	KUNIT_EXPECT_STREQ(test, d->fields[0].name, "ret");
}

/* "*" is the tracepoints; a glob reaches system calls from "syscall_". */
static void syscalls_reached_by_syscall_globs_only(struct kunit *test)
{
	const struct ktrace_event_desc *d;
	int tracepoints = 0, entries = 0;
	struct ktrace_channel *c;
	struct t_fix *f;
	unsigned int i;

	for (i = 0; i < ktrace_probes_count(); i++) {
		d = ktrace_probes_desc(i);
		if (!ktrace_probes_available(d))
			continue;
		if (!ktrace_probes_is_syscall(d))
			tracepoints++;
		else if (!strncmp(d->name, "syscall_entry_", 14))
			entries++;
	}
	KUNIT_ASSERT_GT(test, entries, 300);
	f = t_setup(test, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, ktrace_event_enable(f->c, "*"), tracepoints);
	KUNIT_EXPECT_EQ(test, ktrace_event_enable(f->c, "*getppid"), -ENOENT);
	c = t_add_channel(test, f->s, "entries", PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, ktrace_event_enable(c, "syscall_entry_*"),
			entries);
	c = t_add_channel(test, f->s, "getppid", PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, ktrace_event_enable(c, "syscall_*_getppid"), 2);
	KUNIT_EXPECT_EQ(test, ktrace_event_enable(c, "syscall_entry_getppid"),
			1);
}

static struct kunit_case syscalls_test_cases[] = {
	KUNIT_CASE(syscalls_events_are_listed_by_name),
	KUNIT_CASE(syscalls_reached_by_syscall_globs_only),
	KUNIT_CASE(syscalls_openat_records_filename_and_ret),
	KUNIT_CASE(syscalls_long_string_is_visibly_truncated),
	KUNIT_CASE(syscalls_only_enabled_calls_are_recorded),
	KUNIT_CASE(syscalls_unknown_has_id_and_args),
	{}
};

static struct kunit_suite syscalls_test_suite = {
	.name = "ktrace_syscalls",
	.test_cases = syscalls_test_cases,
};

kunit_test_suite(syscalls_test_suite);

MODULE_DESCRIPTION("KUnit tests for ktrace's per-syscall events");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
