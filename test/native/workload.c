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
 * child that execs `/bin/true scapkit-arg`, one that runs /bin/true from a
 * memfd (execveat with AT_EMPTY_PATH, after one that fails), one that runs it
 * as nobody, waits for
 * them, prints "child PID memfd PID nobody PID" and exits with code 3.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define KNOWN_BYTES "scapkit known bytes\n"

/* Forks a child that runs `run`; returns its pid once it exited with 0, else -1. */
static pid_t run_child(void (*run)(void))
{
	pid_t child = fork();
	if (child == 0) {
		run();
		_exit(127);
	}
	int status;
	if (child < 0 || waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return -1;
	return child;
}

static void exec_true(void)
{
	execl("/bin/true", "true", "scapkit-arg", (char *)NULL);
}

/*
 * /bin/true copied into a memfd and run from it: the executable is a memfd.
 * First an execveat on a bad fd, which fails (EBADF).
 */
static void exec_true_from_memfd(void)
{
	int m = memfd_create("scapkit-true", 0);
	int src = open("/bin/true", O_RDONLY);
	char buf[65536];
	ssize_t n;
	if (m < 0 || src < 0)
		return;
	while ((n = read(src, buf, sizeof(buf))) > 0)
		if (write(m, buf, (size_t)n) != n)
			return;
	char *argv[] = { "true", NULL };
	char *envp[] = { NULL };
	if (syscall(SYS_execveat, -1, "", argv, envp, AT_EMPTY_PATH) != -1)
		return;
	syscall(SYS_execveat, m, "", argv, envp, AT_EMPTY_PATH);
}

/* /bin/true run as nobody: root owns it and its mode lets nobody only read and run it. */
static void exec_true_as_nobody(void)
{
	if (setgroups(0, NULL) != 0 || setresgid(65534, 65534, 65534) != 0 || setresuid(65534, 65534, 65534) != 0)
		return;
	exec_true();
}

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

	pid_t child = run_child(exec_true);
	pid_t memfd = run_child(exec_true_from_memfd);
	pid_t nobody = run_child(exec_true_as_nobody);
	if (child < 0 || memfd < 0 || nobody < 0)
		return 2;
	printf("child %d memfd %d nobody %d\n", child, memfd, nobody);
	fflush(stdout);
	exit(3);
}
