// SPDX-License-Identifier: Apache-2.0
/*
 * The workload of test/native/capture-ring.test.ts: many writes of varied
 * sizes and known bytes, so that records of every length wrap around a
 * small ring again and again.
 *
 *   capture-ring-writes N
 *
 * Prints "ready PID", waits for a line on stdin, then makes N writes to
 * /dev/null: write i is 1 + (i * 37) % 300 bytes long and its byte k is
 * (i + k) & 0xff. Every 8 writes it sleeps 2 ms: a 64 KiB ring then holds
 * some 80 ms of them, so a consumer held up by other tests (CI runs test
 * files in parallel on two CPUs) still keeps up.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 2)
		return 2;
	long n = atol(argv[1]);
	int fd = open("/dev/null", O_WRONLY);
	if (fd < 0)
		return 1;
	printf("ready %d\n", (int)getpid());
	fflush(stdout);
	char line[16];
	if (!fgets(line, sizeof(line), stdin))
		return 1;
	unsigned char buf[300];
	for (long i = 0; i < n; i++) {
		size_t size = 1 + (size_t)(i * 37) % 300;
		for (size_t k = 0; k < size; k++)
			buf[k] = (unsigned char)(i + (long)k);
		if (write(fd, buf, size) != (ssize_t)size)
			return 1;
		if (i % 8 == 7)
			usleep(2000);
	}
	return 0;
}
