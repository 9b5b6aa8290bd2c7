// SPDX-License-Identifier: Apache-2.0
/*
 * The workload of test/native/more-syscalls.test.ts: the syscalls that got
 * their full events after the first wave (stat family, access, lseek,
 * getdents, mknod, flock, getcwd, the waits, ids and limits, the mlock
 * family, SysV semaphores, keyctl, io_uring_register, getsockname,
 * getpeername, close_range, open_by_handle_at, copy_file_range, splice),
 * each with known arguments and, where a failure changes what is stored, a
 * call that fails. Every call goes through syscall(2): glibc maps several of
 * these wrappers to other syscalls (stat to newfstatat, nanosleep to
 * clock_nanosleep, select to pselect6).
 *
 *   capture-more-syscalls DIR [libs]
 *
 * Prints "ready PID" and waits for a line on stdin; then works in DIR
 * (made empty first; the test starts it with DIR as its cwd) and exits
 * with code 5. Runs as root (mknod of a device, open_by_handle_at). Last,
 * a few ia32 calls (`int $0x80`) whose structures have a 32-bit layout;
 * with "libs", not those (libs' modern_bpf reads the 64-bit layout), for
 * the comparison.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/futex.h>
#include <linux/io_uring.h>
#include <linux/keyctl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/sem.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

static const char *dir;
static char pbuf[4][4096];

/* Path of NAME in the work directory. */
static const char *at(int slot, const char *name)
{
	snprintf(pbuf[slot], sizeof pbuf[slot], "%s/%s", dir, name);
	return pbuf[slot];
}

/* stat, lstat, fstat, newfstatat, access, lseek, getdents, mknod, flock, getcwd. */
static void files(int fd, int dfd)
{
	struct stat st;
	char buf[4096];
	syscall(SYS_stat, at(0, "file"), &st);
	syscall(SYS_stat, at(0, "missing"), &st);
	syscall(SYS_lstat, at(0, "file"), &st);
	syscall(SYS_fstat, fd, &st);
	syscall(SYS_fstat, -1, &st);
	syscall(SYS_newfstatat, dfd, "file", &st, AT_SYMLINK_NOFOLLOW);
	syscall(SYS_newfstatat, fd, "", &st, AT_EMPTY_PATH);
	syscall(SYS_newfstatat, AT_FDCWD, "missing", &st, 0);
	syscall(SYS_access, at(0, "file"), R_OK | W_OK);
	syscall(SYS_access, at(0, "file"), X_OK); /* 0644: refused even to root */
	syscall(SYS_access, at(0, "missing"), F_OK);
	syscall(SYS_lseek, fd, 5, SEEK_SET);
	syscall(SYS_lseek, fd, 0, SEEK_END);
	syscall(SYS_lseek, fd, 0, SEEK_DATA); /* no entry in the table: stored as 0 */
	syscall(SYS_lseek, -1, 7, SEEK_CUR);
	syscall(SYS_getdents64, dfd, buf, sizeof buf);
	syscall(SYS_getdents, dfd, buf, sizeof buf);
	syscall(SYS_getdents64, -1, buf, sizeof buf);
	syscall(SYS_mknod, at(0, "fifo"), S_IFIFO | 0600, 0);
	syscall(SYS_mknodat, dfd, "plain", 0640, 0); /* type 0: a regular file */
	syscall(SYS_mknodat, dfd, "null", S_IFCHR | 0666, makedev(1, 3));
	syscall(SYS_mknodat, dfd, "plain", S_IFREG | 0600, 0); /* exists */
	syscall(SYS_flock, fd, LOCK_EX | LOCK_NB);
	syscall(SYS_flock, fd, LOCK_UN);
	syscall(SYS_flock, -1, LOCK_SH);
	syscall(SYS_getcwd, buf, sizeof buf);
	syscall(SYS_getcwd, buf, 1); /* ERANGE: no path */
}

/* futex, poll, ppoll, select, epoll_wait, nanosleep. */
static void waits(void)
{
	static int word = 1;
	syscall(SYS_futex, &word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, NULL, NULL, 0);
	syscall(SYS_futex, &word, FUTEX_WAIT, 2, NULL, NULL, 0); /* not 2: EAGAIN */
	syscall(SYS_futex, &word, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, 3, NULL, NULL, ~0U);
	int p[2];
	pipe(p);
	write(p[1], "x", 1);
	struct pollfd fds[2] = {{.fd = p[0], .events = POLLIN}, {.fd = p[1], .events = POLLOUT}};
	syscall(SYS_poll, fds, 2, -1); /* both ready: returns at once */
	syscall(SYS_poll, NULL, 0, 0);
	struct timespec ts = {.tv_sec = 1, .tv_nsec = 500};
	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	syscall(SYS_ppoll, fds, 2, &ts, &mask, 8);
	syscall(SYS_ppoll, fds, 1, NULL, NULL, 8);
	struct timeval tv = {0, 0};
	syscall(SYS_select, 0, NULL, NULL, NULL, &tv);
	int ep = epoll_create1(0);
	struct epoll_event evs[7];
	syscall(SYS_epoll_wait, ep, evs, 7, 0);
	syscall(SYS_epoll_wait, -1, evs, 3, 0);
	close(ep);
	struct timespec nap = {.tv_sec = 0, .tv_nsec = 1000};
	syscall(SYS_nanosleep, &nap, NULL);
	syscall(SYS_nanosleep, NULL, NULL); /* EFAULT */
	/* The byte still in the pipe goes to a file. */
	int out = open(at(0, "spliced"), O_CREAT | O_WRONLY, 0600);
	syscall(SYS_splice, p[0], NULL, out, NULL, 1, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
	syscall(SYS_splice, -1, NULL, out, NULL, 9, SPLICE_F_MORE);
	close(out);
	close(p[0]);
	close(p[1]);
}

/* getuid..getegid, getresuid, getresgid, getrlimit, setrlimit, prlimit64. */
static void ids(void)
{
	syscall(SYS_getuid);
	syscall(SYS_geteuid);
	syscall(SYS_getgid);
	syscall(SYS_getegid);
	uid_t r, e, s;
	syscall(SYS_getresuid, &r, &e, &s);
	syscall(SYS_getresgid, &r, &e, &s);
	syscall(SYS_getresuid, NULL, NULL, NULL); /* EFAULT */
	struct rlimit rl;
	syscall(SYS_getrlimit, RLIMIT_NOFILE, &rl);
	struct rlimit lower = {.rlim_cur = 1000, .rlim_max = rl.rlim_max};
	syscall(SYS_setrlimit, RLIMIT_NOFILE, &lower);
	struct rlimit next = {.rlim_cur = 1010, .rlim_max = rl.rlim_max}, old;
	syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, &next, &old);
	syscall(SYS_prlimit64, 0, RLIMIT_CORE, NULL, &old);
	syscall(SYS_prlimit64, 0, 99, NULL, &old); /* EINVAL: old not filled */
	syscall(SYS_getrlimit, 99, &rl);
}

/* mlock, munlock, mlock2, mlockall, munlockall. */
static void locks(void)
{
	char *page = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	syscall(SYS_mlock, page, 8192);
	syscall(SYS_munlock, page, 8192);
	syscall(SYS_mlock2, page, 4096, MLOCK_ONFAULT);
	syscall(SYS_munlock, page, 4096);
	syscall(SYS_mlockall, MCL_FUTURE | MCL_ONFAULT);
	syscall(SYS_munlockall);
	syscall(SYS_mlockall, 0); /* EINVAL */
	munmap(page, 8192);
}

/* semget, semctl, semop; keyctl; io_uring_register; getsockname, getpeername. */
static void ipc(void)
{
	int id = syscall(SYS_semget, IPC_PRIVATE, 2, IPC_CREAT | 0600);
	syscall(SYS_semctl, id, 0, SETVAL, 5);
	syscall(SYS_semctl, id, 1, GETVAL, 0);
	struct sembuf ops[2] = {{0, -1, IPC_NOWAIT}, {1, 1, SEM_UNDO}};
	syscall(SYS_semop, id, ops, 2);
	struct sembuf one = {0, -10, IPC_NOWAIT};
	syscall(SYS_semop, id, &one, 1); /* EAGAIN: nothing stored */
	syscall(SYS_semctl, id, 0, IPC_RMID, 0);
	int ex = syscall(SYS_semget, 0x5ca9, 1, IPC_CREAT | IPC_EXCL | 0600);
	syscall(SYS_semget, 0x5ca9, 1, IPC_CREAT | IPC_EXCL | 0600); /* EEXIST */
	syscall(SYS_semctl, ex, 0, IPC_RMID, 0);

	syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_PROCESS_KEYRING, 0);
	syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, "scapkit-ring");
	syscall(SYS_keyctl, KEYCTL_SEARCH, KEY_SPEC_SESSION_KEYRING, "user", "scapkit-none", 0);
	syscall(SYS_keyctl, KEYCTL_REVOKE, 12345);

	struct io_uring_params up;
	memset(&up, 0, sizeof up);
	int ur = syscall(SYS_io_uring_setup, 4, &up);
	int efd = eventfd(0, 0);
	syscall(SYS_io_uring_register, ur, IORING_REGISTER_EVENTFD, &efd, 1);
	syscall(SYS_io_uring_register, -1, IORING_UNREGISTER_BUFFERS, NULL, 0);
	close(efd);
	close(ur);

	int sv[2];
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	syscall(SYS_getsockname, sv[0], &ss, &len);
	len = sizeof ss;
	syscall(SYS_getpeername, sv[0], &ss, &len);
	close(sv[0]);
	close(sv[1]);
}

/*
 * The state changers, each checked in sinsp's tables after it: fds closed
 * by close_range are gone (fstat names none), an fd marked close-on-exec
 * stays, and the file open_by_handle_at opened has its path.
 */
static void state(int dfd)
{
	int a = open(at(0, "range-a"), O_CREAT | O_RDONLY, 0600);
	int b = dup(a);
	int c = open(at(0, "range-c"), O_CREAT | O_RDONLY, 0600);
	struct stat st;
	syscall(SYS_close_range, a, b, 0);
	syscall(SYS_fstat, a, &st);
	syscall(SYS_close_range, c, c, CLOSE_RANGE_CLOEXEC);
	syscall(SYS_fstat, c, &st);
	syscall(SYS_close_range, 10, 5, 0); /* EINVAL */
	close(c);

	struct file_handle *fh = malloc(sizeof *fh + MAX_HANDLE_SZ);
	fh->handle_bytes = MAX_HANDLE_SZ;
	int mount_id;
	syscall(SYS_name_to_handle_at, AT_FDCWD, at(0, "file"), fh, &mount_id, 0);
	int h = syscall(SYS_open_by_handle_at, dfd, fh, O_RDWR | O_CLOEXEC);
	syscall(SYS_fstat, h, &st);
	close(h);
	syscall(SYS_open_by_handle_at, -1, fh, O_RDONLY); /* EBADF */
	free(fh);

	/*
	 * A chdir through a symlink: sinsp's cwd is then DIR/link/, until
	 * getcwd says where the process is (DIR/sub).
	 */
	char buf[4096];
	symlink("sub", at(0, "link"));
	chdir(at(0, "link"));
	syscall(SYS_getcwd, buf, sizeof buf);
}

/* An ia32 syscall: number in eax, arguments in ebx, ecx, edx (the kernel reads their low halves). */
static long sys32(long nr, unsigned long a, unsigned long b, unsigned long c)
{
	long ret;
	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(a), "c"(b), "d"(c) : "r8", "r9", "r10", "r11", "memory");
	return ret;
}

/*
 * ia32 nanosleep (162), ugetrlimit (191) and setrlimit (75): 32-bit
 * timespec and rlimit (arch/x86/entry/syscalls/syscall_32.tbl), in memory
 * a 32-bit pointer reaches (MAP_32BIT).
 */
static void ia32(void)
{
	uint32_t *low = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	low[0] = 0;
	low[1] = 2000;
	sys32(162, (uintptr_t)low, 0, 0);
	sys32(191, RLIMIT_NOFILE, (uintptr_t)(low + 2), 0);
	low[4] = 0;
	low[5] = 0xffffffff; /* COMPAT_RLIM_INFINITY */
	sys32(75, RLIMIT_CORE, (uintptr_t)(low + 4), 0);
	munmap(low, 4096);
}

int main(int argc, char **argv)
{
	char line[16];
	if (argc < 2) {
		fprintf(stderr, "usage: capture-more-syscalls DIR [libs]\n");
		return 1;
	}
	dir = argv[1];
	char cmd[4200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	system(cmd);
	mkdir(dir, 0755);
	mkdir(at(0, "sub"), 0755);
	printf("ready %d\n", getpid());
	fflush(stdout);
	if (!fgets(line, sizeof line, stdin)) return 1;
	int fd = open(at(0, "file"), O_CREAT | O_RDWR, 0644);
	write(fd, "0123456789abcdef", 16);
	int dfd = open(dir, O_RDONLY | O_DIRECTORY);
	int copy = open(at(0, "copy"), O_CREAT | O_RDWR, 0644);
	syscall(SYS_lseek, fd, 0, SEEK_SET);
	syscall(SYS_copy_file_range, fd, NULL, copy, NULL, 8, 0);
	syscall(SYS_copy_file_range, -1, NULL, copy, NULL, 4, 0); /* EBADF */
	close(copy);
	files(fd, dfd);
	waits();
	ids();
	locks();
	ipc();
	state(dfd);
	close(fd);
	close(dfd);
	if (argc < 3 || strcmp(argv[2], "libs") != 0)
		ia32();
	return 5;
}
