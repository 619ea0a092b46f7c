// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for module/probes: events are bound to the kernel's
 * tracepoints by name and their probes run when the tracepoint fires.
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/umh.h>

#include "probes/probes.h"

static void probes_unknown_event_is_unavailable(struct kunit *test)
{
	KUNIT_EXPECT_FALSE(test, ktrace_probes_available("no_such_event"));
	KUNIT_EXPECT_EQ(test, ktrace_probes_hits("no_such_event"), 0);
}

static void probes_exec_probe_counts_execs(struct kunit *test)
{
	char *argv[2] = { "/bin/true", NULL };
	char *envp[2] = { "PATH=/bin", NULL };
	u64 before;
	int i, ret;

	KUNIT_ASSERT_TRUE(test, ktrace_probes_available("sched_process_exec"));
	before = ktrace_probes_hits("sched_process_exec");
	for (i = 0; i < 3; i++) {
		ret = call_usermodehelper(argv[0], argv, envp, UMH_WAIT_PROC);
		KUNIT_ASSERT_EQ_MSG(test, ret, 0, "running %s", argv[0]);
	}
	KUNIT_EXPECT_GE(test, ktrace_probes_hits("sched_process_exec"),
			before + 3);
}

static struct kunit_case probes_test_cases[] = {
	KUNIT_CASE(probes_unknown_event_is_unavailable),
	KUNIT_CASE(probes_exec_probe_counts_execs),
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
