/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every event table, one file per kernel subsystem. Adding an event is
 * adding a KTRACE_EVENT() to its subsystem's file; adding a subsystem is
 * adding its file here and its trace/events header to events.c. No
 * include guard: define_events.h reads this once per pass.
 */
#include "probes/events/block.h"
#include "probes/events/irq.h"
#include "probes/events/kmem.h"
#include "probes/events/ktrace.h"
#include "probes/events/net.h"
#include "probes/events/power.h"
#include "probes/events/sched.h"
#include "probes/events/signal.h"
#include "probes/events/statedump.h"
#include "probes/events/syscall_table.h"
#include "probes/events/syscalls.h"
#include "probes/events/timer.h"
#include "probes/events/vmscan.h"
#include "probes/events/workqueue.h"
#include "probes/events/writeback.h"
