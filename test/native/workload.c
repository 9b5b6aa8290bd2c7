// SPDX-License-Identifier: Apache-2.0
/*
 * The workload of test/native/capture.test.ts: known syscalls with known
 * arguments, started only when the capture is ready.
 *
 *   capture-workload FILE PORT
 *
 * Prints "ready PID" and waits for a line on stdin; then creates FILE and
 * writes KNOWN_BYTES to it (openat, write, close), reads it back through
 * the open(2) syscall, connects a TCP socket to 127.0.0.1:PORT, forks a
 * child that execs `/bin/true scapkit-arg`, waits for it, prints
 * "child PID" and exits with code 3.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define KNOWN_BYTES "scapkit known bytes\n"

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: capture-workload FILE PORT\n");
		return 2;
	}
	printf("ready %d\n", getpid());
	fflush(stdout);
	char go[16];
	if (!fgets(go, sizeof(go), stdin))
		return 2;

	int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0640);
	if (fd < 0 || write(fd, KNOWN_BYTES, strlen(KNOWN_BYTES)) != (ssize_t)strlen(KNOWN_BYTES))
		return 2;
	close(fd);

	char back[64];
	fd = (int)syscall(SYS_open, argv[1], O_RDONLY);
	if (fd < 0 || read(fd, back, sizeof(back)) != (ssize_t)strlen(KNOWN_BYTES))
		return 2;
	close(fd);

	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[2])) };
	inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
	if (s < 0 || connect(s, (struct sockaddr *)&addr, sizeof(addr)) != 0)
		return 2;
	close(s);

	pid_t child = fork();
	if (child == 0) {
		execl("/bin/true", "true", "scapkit-arg", (char *)NULL);
		_exit(127);
	}
	int status;
	if (child < 0 || waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return 2;
	printf("child %d\n", child);
	fflush(stdout);
	exit(3);
}
