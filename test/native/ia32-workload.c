// SPDX-License-Identifier: Apache-2.0
/*
 * The workload of test/native/ia32.test.ts: a 64-bit program that makes
 * 32-bit (ia32) syscalls with `int $0x80`, each with known arguments, then
 * runs a 32-bit binary (capture-ia32-exec), so the test can check that the
 * driver records them as the x86_64 syscalls they stand for.
 *
 *   capture-ia32 DIR EXEC32 [libs]
 *
 * Listens on an ephemeral TCP port of 127.0.0.1 (native calls), prints
 * "ready PID PORT" and waits for a line on stdin; then makes the calls below
 * in DIR and ends with an ia32 exit_group(3). ia32 calls take 32-bit
 * pointers, so everything they point to is in a MAP_32BIT mapping. With
 * "libs", only the calls libs' modern_bpf records as the kernel made them
 * (no pointer with a dirty upper half, no socketcall), for the comparison.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* ia32 numbers (arch/x86/entry/syscalls/syscall_32.tbl) and socketcall calls (linux/net.h). */
enum {
	IA32_EXIT_GROUP = 252, IA32_READ = 3, IA32_WRITE = 4, IA32_OPEN = 5, IA32_CLOSE = 6,
	IA32_WAITPID = 7, IA32_GETPID = 20, IA32_SOCKETCALL = 102, IA32_READV = 145,
	IA32_WRITEV = 146, IA32_OPENAT = 295, IA32_TIMERFD_CREATE = 322,
	SYS_SOCKET_ = 1, SYS_CONNECT_ = 3, SYS_SENDMSG_ = 16,
};

/* An ia32 syscall: number in eax, arguments in ebx, ecx, edx, esi (the kernel reads their low halves). */
static long sys32(long nr, unsigned long a, unsigned long b, unsigned long c, unsigned long d)
{
	long ret;
	__asm__ volatile("int $0x80"
			 : "=a"(ret)
			 : "a"(nr), "b"(a), "c"(b), "d"(c), "S"(d)
			 : "r8", "r9", "r10", "r11", "memory");
	return ret;
}

/* A socketcall: its arguments as 32-bit words in user memory. */
static long socketcall32(int call, uint32_t *words, const uint32_t *args, int n)
{
	memcpy(words, args, n * sizeof(*args));
	return sys32(IA32_SOCKETCALL, call, (uintptr_t)words, 0, 0);
}

struct compat_iovec { uint32_t base, len; };
struct compat_msghdr { uint32_t name, namelen, iov, iovlen, control, controllen, flags; };

/* Bump allocator in the low mapping. */
static char *low;
static void *low_alloc(size_t n)
{
	void *p = low;
	low += (n + 15) & ~(size_t)15;
	return p;
}
static uint32_t low_str(const char *s)
{
	char *p = low_alloc(strlen(s) + 1);
	strcpy(p, s);
	return (uintptr_t)p;
}
#define LOW(p) ((uint32_t)(uintptr_t)(p))

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	const char *dir = argv[1], *exec32 = argv[2];
	int libs = argc > 3 && strcmp(argv[3], "libs") == 0;
	low = mmap(NULL, 1 << 16, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	if (low == MAP_FAILED)
		return 2;
	int lfd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t sl = sizeof(sin);
	if (bind(lfd, (struct sockaddr *)&sin, sizeof(sin)) || listen(lfd, 4) || getsockname(lfd, (struct sockaddr *)&sin, &sl))
		return 2;
	printf("ready %d %d\n", getpid(), ntohs(sin.sin_port));
	fflush(stdout);
	char line[16];
	if (!fgets(line, sizeof line, stdin))
		return 2;

	char path[512];
	snprintf(path, sizeof path, "%s/ia32-file", dir);
	uint32_t upath = low_str(path);
	/* The same path at a pointer whose upper half is not zero: the kernel uses the low half. */
	unsigned long upath_dirty = libs ? upath : upath | 0xdead000000000000ul;

	long fd = sys32(IA32_OPEN, upath_dirty, O_WRONLY | O_CREAT | O_TRUNC, 0640, 0);
	sys32(IA32_WRITE, fd, low_str("ia32 known bytes\n"), 17, 0);
	struct compat_iovec *wv = low_alloc(2 * sizeof(*wv));
	wv[0] = (struct compat_iovec){ low_str("ia32 "), 5 };
	wv[1] = (struct compat_iovec){ low_str("vector\n"), 7 };
	sys32(IA32_WRITEV, fd, LOW(wv), 2, 0);
	sys32(IA32_CLOSE, fd, 0, 0, 0);

	fd = sys32(IA32_OPENAT, (uint32_t)AT_FDCWD, upath, O_RDONLY, 0);
	sys32(IA32_READ, fd, LOW(low_alloc(64)), 17, 0);
	struct compat_iovec *rv = low_alloc(2 * sizeof(*rv));
	rv[0] = (struct compat_iovec){ LOW(low_alloc(16)), 5 };
	rv[1] = (struct compat_iovec){ LOW(low_alloc(64)), 64 };
	sys32(IA32_READV, fd, LOW(rv), 2, 0);
	/* An fd with garbage above it, as a 64-bit caller may leave in rbx. */
	sys32(IA32_CLOSE, fd | 0xffffffff00000000ul, 0, 0, 0);

	sys32(IA32_OPEN, low_str("/nonexistent-scapkit-ia32/file"), O_RDONLY, 0, 0);

	if (libs)
		goto rest;
	uint32_t *words = low_alloc(8 * sizeof(uint32_t));
	long sfd = socketcall32(SYS_SOCKET_, words, (uint32_t[]){ AF_INET, SOCK_STREAM, 0 }, 3);
	struct sockaddr_in *dst = low_alloc(sizeof(*dst));
	*dst = sin;
	socketcall32(SYS_CONNECT_, words, (uint32_t[]){ sfd, LOW(dst), sizeof(*dst) }, 3);
	struct compat_iovec *mv = low_alloc(sizeof(*mv));
	*mv = (struct compat_iovec){ low_str("ia32 message"), 12 };
	struct compat_msghdr *mh = low_alloc(sizeof(*mh));
	*mh = (struct compat_msghdr){ .iov = LOW(mv), .iovlen = 1 };
	socketcall32(SYS_SENDMSG_, words, (uint32_t[]){ sfd, LOW(mh), 0 }, 3);
	sys32(IA32_CLOSE, sfd, 0, 0, 0);
rest:

	sys32(IA32_GETPID, 0, 0, 0, 0);
	/* ia32 only (no x86_64 counterpart): not recorded; x86_64's 7 is poll. */
	sys32(IA32_WAITPID, -1, 0, 0, 0);
	/* ia32 322 is x86_64's execveat number. */
	sys32(IA32_TIMERFD_CREATE, CLOCK_MONOTONIC, 0, 0, 0);

	fflush(stdout);
	pid_t child = fork();
	if (child == 0) {
		execl(exec32, exec32, (char *)NULL);
		_exit(127);
	}
	int status;
	waitpid(child, &status, 0);
	printf("child %d exit %d\n", child, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	fflush(stdout);
	sys32(IA32_EXIT_GROUP, 3, 0, 0, 0);
	return 1;
}
