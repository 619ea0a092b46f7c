/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every event table, one file per kernel subsystem. Adding an event is
 * adding a KTRACE_EVENT() to its subsystem's file; adding a subsystem is
 * adding its file here and its trace/events header to events.c. No
 * include guard: define_events.h reads this once per pass.
 */
#include "probes/events/ktrace.h"
#include "probes/events/sched.h"
