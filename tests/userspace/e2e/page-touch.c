// SPDX-License-Identifier: GPL-2.0
/*
 * page-touch PAGES: a thread maps PAGES pages of private anonymous
 * memory, writes to each so that the kernel allocates it (one
 * kmem_mm_page_alloc event per page: huge pages are refused for the
 * mapping), unmaps them (one kmem_mm_page_free per page); then prints
 * that thread's tid. The allocating thread of the analyses scenario,
 * which lttng-memtop must credit with at least PAGES pages allocated
 * and freed. A thread of its own because lttng-memtop names a thread as
 * it was at its first allocation: the main thread's first ones are made
 * before its exec, still named after the shell; a new thread is named
 * "page-touch" from its start.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

static long pages;
static long tid;

static void *touch(void *arg)
{
	long i, size = sysconf(_SC_PAGESIZE);
	char *mem;

	(void)arg;
	tid = syscall(SYS_gettid);
	mem = mmap(NULL, pages * size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	/* A transparent huge page would be one event of order 9. */
	if (madvise(mem, pages * size, MADV_NOHUGEPAGE))
		perror("madvise");
	/* Stores the compiler keeps: munmap() gets the memory after them. */
	for (i = 0; i < pages; i++)
		mem[i * size] = 1;
	if (munmap(mem, pages * size)) {
		perror("munmap");
		exit(1);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t thread;
	int err;

	pages = argc == 2 ? strtol(argv[1], NULL, 10) : 0;
	if (pages <= 0) {
		fprintf(stderr, "usage: page-touch PAGES\n");
		return 2;
	}
	err = pthread_create(&thread, NULL, touch, NULL);
	if (!err)
		err = pthread_join(thread, NULL);
	if (err) {
		fprintf(stderr, "page-touch: thread: %s\n", strerror(err));
		return 1;
	}
	printf("%ld\n", tid);
	return 0;
}
