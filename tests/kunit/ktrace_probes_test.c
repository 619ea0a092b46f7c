// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for module/probes: events are bound to the kernel's
 * tracepoints by name and their probes run when the tracepoint fires.
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/umh.h>

#include "probes/probes.h"

static void probes_unknown_event_is_not_found(struct kunit *test)
{
	KUNIT_EXPECT_NULL(test, ktrace_probes_find("no_such_event"));
	KUNIT_EXPECT_NULL(test, ktrace_probes_desc(ktrace_probes_count()));
}

static void probes_table_has_available_events(struct kunit *test)
{
	static const char * const expected[] = {
		"ktrace_test", "sched_switch", "sched_process_exec",
	};
	const struct ktrace_event_desc *desc;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(expected); i++) {
		desc = ktrace_probes_find(expected[i]);
		KUNIT_ASSERT_NOT_NULL_MSG(test, desc, "%s", expected[i]);
		KUNIT_EXPECT_STREQ(test, desc->name, expected[i]);
		KUNIT_EXPECT_TRUE_MSG(test, ktrace_probes_available(desc),
				      "%s", expected[i]);
		KUNIT_EXPECT_GT(test, desc->nr_fields, 0);
	}
}

static void probes_names_are_unique(struct kunit *test)
{
	unsigned int i, j, n = ktrace_probes_count();

	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			KUNIT_EXPECT_STRNEQ(test, ktrace_probes_desc(i)->name,
					    ktrace_probes_desc(j)->name);
}

static int run_true(void)
{
	char *argv[2] = { "/bin/true", NULL };
	char *envp[2] = { "PATH=/bin", NULL };

	return call_usermodehelper(argv[0], argv, envp, UMH_WAIT_PROC);
}

/* A probe runs only while someone needs its event. */
static void probes_registered_only_while_used(struct kunit *test)
{
	const struct ktrace_event_desc *desc =
		ktrace_probes_find("sched_process_exec");
	u64 before;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, desc);
	before = ktrace_probes_hits(desc);
	KUNIT_ASSERT_EQ(test, run_true(), 0);
	KUNIT_EXPECT_EQ(test, ktrace_probes_hits(desc), before);

	KUNIT_ASSERT_EQ(test, ktrace_probes_get(desc), 0);
	for (i = 0; i < 3; i++)
		KUNIT_ASSERT_EQ(test, run_true(), 0);
	ktrace_probes_put(desc);
	KUNIT_EXPECT_GE(test, ktrace_probes_hits(desc), before + 3);

	before = ktrace_probes_hits(desc);
	KUNIT_ASSERT_EQ(test, run_true(), 0);
	KUNIT_EXPECT_EQ(test, ktrace_probes_hits(desc), before);
}

static struct kunit_case probes_test_cases[] = {
	KUNIT_CASE(probes_unknown_event_is_not_found),
	KUNIT_CASE(probes_table_has_available_events),
	KUNIT_CASE(probes_names_are_unique),
	KUNIT_CASE(probes_registered_only_while_used),
	{}
};

static struct kunit_suite probes_test_suite = {
	.name = "ktrace_probes",
	.test_cases = probes_test_cases,
};

kunit_test_suite(probes_test_suite);

MODULE_DESCRIPTION("KUnit tests for ktrace probes");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
