// SPDX-License-Identifier: GPL-2.0
/*
 * syscall-table DIR: issues 22 common system calls with known arguments,
 * through syscall(2) so that libc neither caches nor substitutes one, and
 * prints what the per-syscall events must have recorded: its tid, then
 * one line per event in the order the calls were made,
 *
 *   syscall_entry_openat dfd=-100 filename="DIR/f" flags=578 mode=420
 *   syscall_exit_openat ret=3
 *
 * NAME=VALUE for each field to check (integers in decimal, strings
 * quoted, fildes=[3,4] for an array). The syscalls scenario records them
 * with every system call enabled and syscalls.host compares each line
 * with the next event of that name of this thread in babeltrace2's
 * output. The lines are kept in memory and printed at the end, so that
 * printing makes no system call in between.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char lines[16384];
static size_t used;

static void expect(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(lines + used, sizeof(lines) - used, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(lines) - used) {
		fprintf(stderr, "syscall-table: expectations overflow\n");
		exit(1);
	}
	used += n;
}

static void die(const char *what)
{
	fprintf(stderr, "syscall-table: %s: %s\n", what, strerror(errno));
	exit(1);
}

int main(int argc, char **argv)
{
	char path[PATH_MAX], dir[PATH_MAX], missing[PATH_MAX], buf[64];
	static const char msg[] = "hello table";
	struct timespec ts, req = { 0, 1000 }, rem;
	struct utsname uts;
	struct stat st;
	long ret, fd, fd2, addr;
	int fds[2], status;
	pid_t child;

	if (argc != 2) {
		fprintf(stderr, "usage: syscall-table DIR\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/file", argv[1]);
	snprintf(dir, sizeof(dir), "%s/dir", argv[1]);
	snprintf(missing, sizeof(missing), "%s/missing", argv[1]);
	expect("tid %ld\n", (long)syscall(SYS_gettid));

	ret = syscall(SYS_getppid);
	expect("syscall_entry_getppid\nsyscall_exit_getppid ret=%ld\n", ret);

	fd = syscall(SYS_openat, AT_FDCWD, path, O_RDWR | O_CREAT | O_TRUNC,
		     0644);
	if (fd < 0)
		die("openat");
	expect("syscall_entry_openat dfd=%d filename=\"%s\" flags=%d mode=%d\n"
	       "syscall_exit_openat ret=%ld\n", AT_FDCWD, path,
	       O_RDWR | O_CREAT | O_TRUNC, 0644, fd);

	ret = syscall(SYS_openat, AT_FDCWD, missing, O_RDONLY, 0);
	expect("syscall_entry_openat dfd=%d filename=\"%s\" flags=0 mode=0\n"
	       "syscall_exit_openat ret=%d\n", AT_FDCWD, missing, -ENOENT);
	if (ret != -1 || errno != ENOENT)
		die("openat of a missing file");

	ret = syscall(SYS_write, fd, msg, sizeof(msg) - 1);
	expect("syscall_entry_write fd=%ld buf=%lu count=%zu\n"
	       "syscall_exit_write ret=%ld\n", fd, (unsigned long)msg,
	       sizeof(msg) - 1, ret);

	ret = syscall(SYS_lseek, fd, 0, SEEK_SET);
	expect("syscall_entry_lseek fd=%ld offset=0 whence=%d\n"
	       "syscall_exit_lseek ret=%ld\n", fd, SEEK_SET, ret);

	ret = syscall(SYS_read, fd, buf, sizeof(buf));
	expect("syscall_entry_read fd=%ld count=%zu\n"
	       "syscall_exit_read ret=%ld buf=%lu\n", fd, sizeof(buf), ret,
	       (unsigned long)buf);
	if (ret != (long)sizeof(msg) - 1)
		die("read back");

	ret = syscall(SYS_fstat, fd, &st);
	expect("syscall_entry_newfstat fd=%ld\n"
	       "syscall_exit_newfstat ret=%ld statbuf=%lu\n", fd, ret,
	       (unsigned long)&st);

	fd2 = syscall(SYS_dup, fd);
	expect("syscall_entry_dup fildes=%ld\nsyscall_exit_dup ret=%ld\n", fd,
	       fd2);

	ret = syscall(SYS_dup3, fd, 40, O_CLOEXEC);
	expect("syscall_entry_dup3 oldfd=%ld newfd=40 flags=%d\n"
	       "syscall_exit_dup3 ret=%ld\n", fd, O_CLOEXEC, ret);

	ret = syscall(SYS_close, 40);
	expect("syscall_entry_close fd=40\nsyscall_exit_close ret=%ld\n", ret);

	ret = syscall(SYS_pipe2, fds, O_CLOEXEC);
	if (ret)
		die("pipe2");
	expect("syscall_entry_pipe2 flags=%d\n"
	       "syscall_exit_pipe2 ret=0 fildes=[%d,%d]\n", O_CLOEXEC, fds[0],
	       fds[1]);

	ret = syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
	expect("syscall_entry_clock_gettime which_clock=%d\n"
	       "syscall_exit_clock_gettime ret=%ld tp=%lu\n", CLOCK_MONOTONIC,
	       ret, (unsigned long)&ts);

	ret = syscall(SYS_nanosleep, &req, &rem);
	expect("syscall_entry_nanosleep rqtp=%lu\n"
	       "syscall_exit_nanosleep ret=%ld rmtp=%lu\n", (unsigned long)&req,
	       ret, (unsigned long)&rem);

	ret = syscall(SYS_getpid);
	expect("syscall_entry_getpid\nsyscall_exit_getpid ret=%ld\n", ret);

	/* x86's own mmap has no prototype in syscalls.h: the unknown events. */
	addr = syscall(SYS_mmap, 0L, 8192L, (long)(PROT_READ | PROT_WRITE),
		       (long)(MAP_PRIVATE | MAP_ANONYMOUS), -1L, 0L);
	if (addr == -1)
		die("mmap");
	expect("syscall_entry_unknown id=%d args=[0,8192,%d,%d,%lu,0]\n"
	       "syscall_exit_unknown id=%d ret=%ld\n", SYS_mmap,
	       PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
	       (unsigned long)-1L, SYS_mmap, addr);

	ret = syscall(SYS_munmap, addr, 8192);
	expect("syscall_entry_munmap addr=%lu len=8192\n"
	       "syscall_exit_munmap ret=%ld\n", (unsigned long)addr, ret);

	ret = syscall(SYS_brk, 0);
	expect("syscall_entry_brk brk=0\nsyscall_exit_brk ret=%ld\n", ret);

	ret = syscall(SYS_faccessat, AT_FDCWD, path, R_OK);
	expect("syscall_entry_faccessat dfd=%d filename=\"%s\" mode=%d\n"
	       "syscall_exit_faccessat ret=%ld\n", AT_FDCWD, path, R_OK, ret);

	ret = syscall(SYS_mkdirat, AT_FDCWD, dir, 0755);
	expect("syscall_entry_mkdirat dfd=%d pathname=\"%s\" mode=%d\n"
	       "syscall_exit_mkdirat ret=%ld\n", AT_FDCWD, dir, 0755, ret);

	ret = syscall(SYS_unlinkat, AT_FDCWD, dir, AT_REMOVEDIR);
	expect("syscall_entry_unlinkat dfd=%d pathname=\"%s\" flag=%d\n"
	       "syscall_exit_unlinkat ret=%ld\n", AT_FDCWD, dir, AT_REMOVEDIR,
	       ret);

	ret = syscall(SYS_kill, getpid(), 0);
	expect("syscall_entry_kill pid=%d sig=0\nsyscall_exit_kill ret=%ld\n",
	       getpid(), ret);

	ret = syscall(SYS_uname, &uts);
	expect("syscall_entry_newuname\n"
	       "syscall_exit_newuname ret=%ld name=%lu\n", ret,
	       (unsigned long)&uts);

	child = fork();
	if (child < 0)
		die("fork");
	if (!child)
		_exit(7);
	ret = syscall(SYS_wait4, child, &status, 0, NULL);
	if (ret != child || !WIFEXITED(status) || WEXITSTATUS(status) != 7)
		die("wait4");
	expect("syscall_entry_wait4 pid=%d options=0\n"
	       "syscall_exit_wait4 ret=%d stat_addr=%lu status=%d ru=0\n",
	       child, child, (unsigned long)&status, status);

	close(fds[0]);
	close(fds[1]);
	close(fd2);
	close(fd);
	fwrite(lines, 1, used, stdout);
	return fflush(stdout) ? 1 : 0;
}
