// A disk that takes its time, for test/native/capture-slow-disk.test.ts:
// preloaded into scap-capture (LD_PRELOAD), it delays every fsync and every
// write(2) to a regular file by SLOW_IO_FSYNC_MS and SLOW_IO_WRITE_MS
// milliseconds (unset: no delay) before doing it, as a busy or slow disk
// makes them wait. Other descriptors (stderr, pipes) are not delayed.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void delay(const char *env)
{
	const char *v = getenv(env);
	long ms = v ? atol(v) : 0;
	if (ms <= 0)
		return;
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0)
		;
}

static int regular_file(int fd)
{
	struct stat st;
	return fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
}

int fsync(int fd)
{
	static int (*real)(int);
	if (!real)
		real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
	if (regular_file(fd))
		delay("SLOW_IO_FSYNC_MS");
	return real(fd);
}

ssize_t write(int fd, const void *buf, size_t n)
{
	static ssize_t (*real)(int, const void *, size_t);
	if (!real)
		real = (ssize_t (*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
	if (regular_file(fd))
		delay("SLOW_IO_WRITE_MS");
	return real(fd, buf, n);
}
