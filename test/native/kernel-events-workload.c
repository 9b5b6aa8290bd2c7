// SPDX-License-Identifier: Apache-2.0
/*
 * The workload of test/native/kernel-events.test.ts: page faults at known
 * addresses from a known function, signals with known senders, and a sleep
 * with known fault counts and memory size, started once the capture is ready.
 *
 *   capture-kernel-events
 *
 * Prints "ready PID" and waits for a line on stdin. Then:
 * - maps 4 fresh anonymous pages and writes one byte into each at offset 123
 *   from touch_pages (never inlined), printing
 *   "faults BASE TOUCH_START TOUCH_END" (hex addresses);
 * - with handlers for SIGTERM and SIGCHLD, sends itself SIGTERM and forks a
 *   child that exits at once, waits for it; prints "child PID";
 * - reads its minor fault count and memory size (KiB), then sleeps 20 ms,
 *   and prints "sleep MINFLT VMSIZE_KIB MAJFLT": the context switch into
 *   that sleep carries those values (major faults too: on a loaded machine
 *   a page of the program may have to be read back in);
 * and exits with 0.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGES 4
#define OFFSET 123

static volatile sig_atomic_t got_term, got_chld;

static void on_term(int sig) { (void)sig; got_term = 1; }
static void on_chld(int sig) { (void)sig; got_chld = 1; }

__attribute__((noinline)) static void touch_pages(volatile char *base)
{
	for (int i = 0; i < PAGES; i++)
		base[i * 4096 + OFFSET] = 1;
}

/* A marker after touch_pages: the faulting stores lie between the two. */
__attribute__((noinline)) static void after_touch_pages(void)
{
	asm volatile("");
}

int main(void)
{
	static char statm[256];
	printf("ready %d\n", getpid());
	fflush(stdout);
	char go[16];
	if (!fgets(go, sizeof(go), stdin))
		return 2;

	char *base = mmap(NULL, PAGES * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED)
		return 2;
	touch_pages(base);
	printf("faults %lx %lx %lx\n", (unsigned long)base, (unsigned long)(uintptr_t)touch_pages,
	       (unsigned long)(uintptr_t)after_touch_pages);
	fflush(stdout);

	struct sigaction sa = { .sa_handler = on_term };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = on_chld;
	sigaction(SIGCHLD, &sa, NULL);
	kill(getpid(), SIGTERM);
	pid_t child = fork();
	if (child == 0)
		_exit(0);
	int status;
	while (waitpid(child, &status, 0) != child)
		;
	if (!got_term || !got_chld)
		return 2;
	printf("child %d\n", child);
	fflush(stdout);

	/*
	 * Every page used from here to the sleep is touched before the counts
	 * are read: the buffers, and whatever the first calls of getrusage and
	 * nanosleep touch (the dynamic linker binds them then, on a deeper
	 * stack; a fault there made the count one short now and then).
	 */
	memset(statm, 0, sizeof(statm));
	struct rusage ru;
	memset(&ru, 0, sizeof(ru));
	getrusage(RUSAGE_THREAD, &ru);
	struct timespec ts = { .tv_sec = 0, .tv_nsec = 1 };
	nanosleep(&ts, NULL);
	ts.tv_nsec = 20 * 1000 * 1000;
	int fd = open("/proc/self/statm", O_RDONLY);
	if (fd < 0 || read(fd, statm, sizeof(statm) - 1) <= 0)
		return 2;
	close(fd);
	getrusage(RUSAGE_THREAD, &ru);
	nanosleep(&ts, NULL);
	/* statm's first number is the size in pages; the kernel reports it in 4 KiB pages on x86_64. */
	printf("sleep %ld %lu %ld\n", ru.ru_minflt, strtoul(statm, NULL, 10) * 4, ru.ru_majflt);
	fflush(stdout);
	return 0;
}
