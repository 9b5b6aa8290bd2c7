// SPDX-License-Identifier: Apache-2.0
/*
 * The workload of test/native/syscalls.test.ts: one or more calls of every
 * syscall of issue 5's first wave, with known arguments, under scap-capture
 * and (where the reference is built) under libs' modern_bpf driver, so the
 * two drivers' events can be compared parameter by parameter.
 *
 *   capture-syscalls [DIR [PORT]]
 *
 * Prints "ready PID" and waits for a line on stdin; then works in
 * DIR (default /tmp/scapkit-syscalls, made empty first; TCP on 127.0.0.1:PORT,
 * default 47123, UDP on [::1]:PORT+1) and exits with code 3. Runs as
 * root in CI (mount, chown, setuid to 0); calls that must fail (bpf with a
 * bad command, module calls, ptrace of a pid that does not exist) fail
 * without side effects.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <linux/netlink.h>
#include <linux/openat2.h>
#include <linux/io_uring.h>
#include <linux/sched.h>
#include <sys/mount.h>
#include <sys/sendfile.h>
#include <unistd.h>

/* Path of NAME in the work directory. */
static const char *dir = "/tmp/scapkit-syscalls";
static char pbuf[8][4096];
static const char *at(int slot, const char *name)
{
	snprintf(pbuf[slot], sizeof pbuf[slot], "%s/%s", dir, name);
	return pbuf[slot];
}

/*
 * Failures and limits, where a driver must still record what the caller
 * asked (found by comparing with libs' modern_bpf; syscalls.test.ts checks
 * each by name).
 */
static void edge_cases(int port)
{
	/* A path of 2,100 bytes: PATH_MAX allows it, and it must come whole. */
	static char longpath[2101];
	strcpy(longpath, "/nonexistent-scapkit");
	for (size_t n = strlen(longpath); n + 10 <= 2100; n += 10)
		memcpy(longpath + n, "/ddddddddd", 10);
	openat(AT_FDCWD, longpath, O_RDONLY);
	/* A write that fails keeps the bytes the caller passed. */
	write(-1, "edge-write", 10);
	/* O_DSYNC alone, and O_SYNC (which includes O_DSYNC's bit). */
	close(open(at(0, "dsync-file"), O_WRONLY | O_CREAT | O_DSYNC, 0600));
	close(open(at(0, "sync-file"), O_WRONLY | O_CREAT | O_SYNC, 0600));
	/* Failed execs: what the caller asked to run is in exe, args and env. */
	char *const fargs[] = {"edge-prog", "a1", "a2", NULL};
	char *const fenv[] = {"EDGE=1", "E2=x", NULL};
	execve("/nonexistent-scapkit/prog", fargs, fenv);
	syscall(SYS_execve, "/nonexistent-scapkit/prog2", NULL, NULL); /* NULL argv: not through glibc's nonnull wrapper */
	/* A refused TCP connect has no tuple. */
	int rs = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in ra = {.sin_family = AF_INET, .sin_port = htons(port + 1), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	connect(rs, (struct sockaddr *)&ra, sizeof ra);
	close(rs);
	/* A connected UDP socket, then disconnected (AF_UNSPEC): its tuple is all zeros. */
	int ds = socket(AF_INET, SOCK_DGRAM, 0);
	connect(ds, (struct sockaddr *)&ra, sizeof ra);
	struct sockaddr unspec = {.sa_family = AF_UNSPEC};
	connect(ds, &unspec, sizeof unspec);
	close(ds);
	/* A unix name of all 108 bytes of sun_path, no NUL after it: DIR/ppp... */
	int ub = socket(AF_UNIX, SOCK_DGRAM, 0);
	struct sockaddr_un full = {.sun_family = AF_UNIX};
	memset(full.sun_path, 'p', sizeof full.sun_path);
	memcpy(full.sun_path, dir, strlen(dir));
	full.sun_path[strlen(dir)] = '/';
	bind(ub, (struct sockaddr *)&full, sizeof full);
	close(ub);
	char fullname[sizeof full.sun_path + 1];
	memcpy(fullname, full.sun_path, sizeof full.sun_path);
	fullname[sizeof full.sun_path] = 0;
	unlink(fullname);
	/* Netlink: no address layout in the format, so none is stored. */
	int nl = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
	struct sockaddr_nl nla = {.nl_family = AF_NETLINK};
	bind(nl, (struct sockaddr *)&nla, sizeof nla);
	close(nl);
	/* A clone3 the kernel refuses (CLONE_THREAD without CLONE_SIGHAND): no exe, no args. */
	struct clone_args bad;
	memset(&bad, 0, sizeof bad);
	bad.flags = CLONE_THREAD;
	syscall(SYS_clone3, &bad, sizeof bad);
	/* An exec whose arguments pass 4,096 bytes: cut there, ended by a NUL. */
	pid_t c = fork();
	if (c == 0) {
		static char words[100][64];
		char *big[102];
		big[0] = "true";
		for (int i = 0; i < 100; i++) {
			snprintf(words[i], sizeof words[i], "edge-arg-%03d-%s", i, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
			big[i + 1] = words[i];
		}
		big[101] = NULL;
		execv("/bin/true", big);
		_exit(9);
	}
	waitpid(c, NULL, 0);
}

int main(int argc, char **argv)
{
	char line[16];
	if (argc > 1) dir = argv[1];
	int port = argc > 2 ? atoi(argv[2]) : 47123;
	char cmd[4200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	system(cmd);
	mkdir(dir, 0755);
	printf("ready %d\n", getpid());
	fflush(stdout);
	if (!fgets(line, sizeof line, stdin)) return 1;
	char buf[256];
	memset(buf, 'A', sizeof buf);
	int fd = open(at(0, "a"), O_CREAT | O_RDWR | O_TRUNC, 0640);
	write(fd, "hello world\n", 12);
	pwrite(fd, "XY", 2, 3);
	lseek(fd, 0, SEEK_SET);
	read(fd, buf, 100);
	pread(fd, buf, 5, 2);
	struct iovec iov[2] = {{buf, 3}, {buf + 10, 4}};
	writev(fd, iov, 2);
	readv(fd, iov, 2);
	/* Edge cases: vectored I/O that returns data, a failing one, fcntl reads. */
	lseek(fd, 0, SEEK_SET);
	readv(fd, iov, 2);
	writev(-1, iov, 2);
	pwrite(-1, "no", 2, 0);
	fcntl(fd, F_GETFD, 0);
	fcntl(fd, F_GETFL, 0);
	pwritev(fd, iov, 2, 1);
	preadv(fd, iov, 2, 0);
	int fd2 = openat(AT_FDCWD, at(0, "b"), O_CREAT | O_WRONLY | O_APPEND | O_CLOEXEC, 0600);
	struct open_how how = {.flags = O_RDONLY | O_DIRECTORY, .resolve = RESOLVE_BENEATH};
	int dfd = syscall(SYS_openat2, AT_FDCWD, dir, &how, sizeof how);
	int fd3 = creat(at(0, "c"), 0644);
	int e = open(at(0, "nonexistent"), O_RDONLY);
	(void)e;
	dup(fd);
	dup2(fd, 20);
	dup3(fd, 21, O_CLOEXEC);
	fcntl(fd, F_DUPFD, 30);
	fcntl(fd, F_DUPFD_CLOEXEC, 40);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	ioctl(fd, 0x5401, buf);
	void *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mprotect(m, 4096, PROT_READ);
	munmap(m, 8192);
	int mfd = memfd_create("scapmem", MFD_CLOEXEC);
	ftruncate(mfd, 100);
	truncate(at(0, "a"), 5);
	mkdir(at(0, "d"), 0700);
	int sf = open(at(0, "b"), O_RDONLY);
	off_t off = 0;
	sendfile(fd, sf, &off, 4);
	sendfile(fd, sf, NULL, 4);
	mkdir(at(0, "mnt"), 0755);
	mount("none", at(0, "mnt"), "tmpfs", MS_NOSUID | MS_NODEV, "size=1m");
	umount2(at(0, "mnt"), MNT_DETACH);
	int fsfd = syscall(SYS_fsopen, "tmpfs", 0);
	syscall(SYS_fsconfig, fsfd, 1 /* FSCONFIG_SET_STRING */, "size", "1m", 0);
	syscall(SYS_fsconfig, fsfd, 6 /* FSCONFIG_CMD_CREATE */, NULL, NULL, 0);
	mkdirat(dfd, "e", 0711);
	rename(at(0, "c"), at(1, "c2"));
	renameat(dfd, "c2", dfd, "c3");
	syscall(SYS_renameat2, dfd, "c3", dfd, "c4", 0);
	link(at(0, "a"), at(1, "alink"));
	linkat(dfd, "alink", dfd, "alink2", 0);
	symlink(at(0, "a"), at(1, "sym"));
	symlinkat("target", dfd, "sym2");
	chmod(at(0, "a"), 0600);
	fchmod(fd, 0644);
	fchmodat(dfd, "b", 0640, 0);
	chown(at(0, "a"), 0, 0);
	fchown(fd, 0, 0);
	fchownat(dfd, "b", 0, 0, 0);
	lchown(at(0, "sym"), 0, 0);
	unlink(at(0, "alink"));
	unlinkat(dfd, "alink2", 0);
	unlinkat(dfd, "e", AT_REMOVEDIR);
	rmdir(at(0, "d"));
	chdir(dir);
	fchdir(dfd);
	chdir("/");
	int p[2];
	pipe(p);
	pipe2(p, O_CLOEXEC | O_NONBLOCK);
	syscall(SYS_eventfd, 5);
	eventfd(3, EFD_CLOEXEC);
	syscall(SYS_eventfd2, 4, EFD_NONBLOCK);
	sigset_t ss;
	sigemptyset(&ss);
	sigaddset(&ss, SIGUSR1);
	syscall(SYS_signalfd, -1, &ss, 8);
	signalfd(-1, &ss, SFD_CLOEXEC);
	timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK);
	inotify_init();
	syscall(SYS_inotify_init1, IN_CLOEXEC);
	epoll_create(4);
	epoll_create1(EPOLL_CLOEXEC);
	/* network */
	int ls = socket(AF_INET, SOCK_STREAM, 0);
	int one = 1;
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	bind(ls, (struct sockaddr *)&a, sizeof a);
	listen(ls, 5);
	int cs = socket(AF_INET, SOCK_STREAM, 0);
	connect(cs, (struct sockaddr *)&a, sizeof a);
	int as = accept(ls, NULL, NULL);
	int cs2 = socket(AF_INET, SOCK_STREAM, 0);
	connect(cs2, (struct sockaddr *)&a, sizeof a);
	struct sockaddr_in peer;
	socklen_t pl = sizeof peer;
	int as2 = accept4(ls, (struct sockaddr *)&peer, &pl, SOCK_CLOEXEC);
	send(cs, "ping", 4, 0);
	recv(as, buf, 10, 0);
	sendto(as2, "pong", 4, 0, NULL, 0);
	recvfrom(cs2, buf, 10, 0, NULL, NULL);
	struct msghdr mh = {0};
	struct iovec mv = {"msg!", 4};
	mh.msg_iov = &mv;
	mh.msg_iovlen = 1;
	sendmsg(cs, &mh, 0);
	struct iovec rv = {buf, 50};
	mh.msg_iov = &rv;
	recvmsg(as, &mh, 0);
	int v = 0;
	socklen_t vl = sizeof v;
	getsockopt(cs, SOL_SOCKET, SO_RCVBUF, &v, &vl);
	getsockopt(cs, SOL_SOCKET, SO_ERROR, &v, &vl);
	struct timeval tv = {.tv_sec = 2, .tv_usec = 500};
	setsockopt(cs, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	int nd = 1;
	setsockopt(cs, IPPROTO_TCP, 1 /* TCP_NODELAY */, &nd, sizeof nd);
	struct mmsghdr mm[2];
	memset(mm, 0, sizeof mm);
	struct iovec m0 = {"mm0", 3}, m1 = {"mm11", 4};
	mm[0].msg_hdr.msg_iov = &m0;
	mm[0].msg_hdr.msg_iovlen = 1;
	mm[1].msg_hdr.msg_iov = &m1;
	mm[1].msg_hdr.msg_iovlen = 1;
	sendmmsg(cs, mm, 2, 0);
	char r0[8], r1[8];
	struct iovec q0 = {r0, 8}, q1 = {r1, 8};
	mm[0].msg_hdr.msg_iov = &q0;
	mm[1].msg_hdr.msg_iov = &q1;
	recvmmsg(as, mm, 2, MSG_DONTWAIT, NULL);
	shutdown(cs, SHUT_WR);
	/* A unix stream pair through accept, and a descriptor passed over it. */
	int uls = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un usa = {.sun_family = AF_UNIX};
	const char *spath = at(0, "stream");
	memcpy(usa.sun_path, spath, strnlen(spath, sizeof usa.sun_path - 1));
	bind(uls, (struct sockaddr *)&usa, sizeof usa);
	listen(uls, 2);
	int ucs = socket(AF_UNIX, SOCK_STREAM, 0);
	connect(ucs, (struct sockaddr *)&usa, sizeof usa);
	int uas = accept(uls, NULL, NULL);
	char cbuf[CMSG_SPACE(sizeof(int))];
	memset(cbuf, 0, sizeof cbuf);
	struct iovec fv = {"fd!", 3};
	struct msghdr fm = {.msg_iov = &fv, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&fm);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	sendmsg(ucs, &fm, 0);
	char rbuf[8];
	struct iovec rfv = {rbuf, sizeof rbuf};
	char rcbuf[CMSG_SPACE(sizeof(int))];
	struct msghdr rfm = {.msg_iov = &rfv, .msg_iovlen = 1, .msg_control = rcbuf, .msg_controllen = sizeof rcbuf};
	recvmsg(uas, &rfm, 0);
	close(uas);
	close(ucs);
	close(uls);
	int us = socket(AF_UNIX, SOCK_DGRAM, 0);
	struct sockaddr_un ua = {.sun_family = AF_UNIX};
	const char *sock = at(0, "sock");
	memcpy(ua.sun_path, sock, strnlen(sock, sizeof ua.sun_path - 1));
	bind(us, (struct sockaddr *)&ua, sizeof ua);
	int uc = socket(AF_UNIX, SOCK_DGRAM, 0);
	sendto(uc, "unix", 4, 0, (struct sockaddr *)&ua, sizeof ua);
	recvfrom(us, buf, 10, 0, NULL, NULL);
	int sp[2];
	socketpair(AF_UNIX, SOCK_STREAM, 0, sp);
	int u6 = socket(AF_INET6, SOCK_DGRAM, 0);
	struct sockaddr_in6 a6 = {.sin6_family = AF_INET6, .sin6_port = htons(port + 1), .sin6_addr = IN6ADDR_LOOPBACK_INIT};
	bind(u6, (struct sockaddr *)&a6, sizeof a6);
	sendto(u6, "six", 3, 0, (struct sockaddr *)&a6, sizeof a6);
	recvfrom(u6, buf, 10, 0, NULL, NULL);
	/* An unconnected UDP socket: the address comes with the message. */
	struct iovec uv = {"udp-msg", 7};
	struct msghdr um = {.msg_name = &a6, .msg_namelen = sizeof a6, .msg_iov = &uv, .msg_iovlen = 1};
	sendmsg(u6, &um, 0);
	struct sockaddr_in6 from6;
	struct iovec urv = {buf, 20};
	struct msghdr urm = {.msg_name = &from6, .msg_namelen = sizeof from6, .msg_iov = &urv, .msg_iovlen = 1};
	recvmsg(u6, &urm, 0);
	close(as);
	close(cs);
	close(fd3);
	close(fd2);
	/* processes */
	prctl(PR_SET_NAME, "scapkit-renamed");
	prctl(PR_SET_NAME, "capture-syscall");
	pid_t c = fork();
	if (c == 0) {
		setsid();
		setpgid(0, 0);
		execl("/bin/true", "true", "arg1", "arg two", (char *)NULL);
		_exit(9);
	}
	waitpid(c, NULL, 0);
	c = fork();
	if (c == 0) _exit(7);
	waitpid(c, NULL, 0);
	c = vfork();
	if (c == 0) _exit(5);
	waitpid(c, NULL, 0);
	/*
	 * A subreaper: a child forks a grandchild and exits; the grandchild
	 * is handed to us (procexit's reaper_tid), then exits.
	 */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	int hs[2];
	pipe(hs);
	c = fork();
	if (c == 0) {
		/* The child leaves only once the grandchild runs (a fixed event order). */
		if (fork() == 0) {
			write(hs[1], "g", 1);
			usleep(50 * 1000);
			_exit(4);
		}
		char g;
		read(hs[0], &g, 1);
		_exit(2);
	}
	close(hs[0]);
	close(hs[1]);
	while (waitpid(-1, NULL, 0) > 0)
		;
	prctl(PR_SET_CHILD_SUBREAPER, 0);
	/* clone3, and a child that asks to be traced, then runs /bin/true through execveat. */
	struct clone_args ca;
	memset(&ca, 0, sizeof ca);
	ca.exit_signal = SIGCHLD;
	c = syscall(SYS_clone3, &ca, sizeof ca);
	if (c == 0) _exit(6);
	waitpid(c, NULL, 0);
	c = fork();
	if (c == 0) {
		syscall(SYS_ptrace, 0 /* PTRACE_TRACEME */, 0, 0, 0);
		char *const args[] = {"true", "via-execveat", NULL};
		char *const env[] = {"SCAPKIT=1", NULL};
		syscall(SYS_execveat, AT_FDCWD, "/bin/true", args, env, 0);
		_exit(9);
	}
	/* The traced child stops at its exec (SIGTRAP): let it go on. */
	int ws;
	if (waitpid(c, &ws, 0) == c && WIFSTOPPED(ws)) {
		syscall(SYS_ptrace, 17 /* PTRACE_DETACH */, c, 0, 0);
		waitpid(c, NULL, 0);
	}
	kill(getpid(), 0);
	syscall(SYS_tkill, getpid(), 0);
	syscall(SYS_tgkill, getpid(), getpid(), 0);
	setgid(0);
	setuid(0);
	setresuid(0, 0, 0);
	setresgid(0, 0, 0);
	setreuid(0, 0);
	setregid(0, 0);
	int pfd = syscall(SYS_pidfd_open, getpid(), 0);
	syscall(SYS_pidfd_getfd, pfd, fd, 0);
	syscall(SYS_userfaultfd, O_CLOEXEC);
	syscall(SYS_bpf, 999, NULL, 0);
	syscall(SYS_process_vm_readv, getpid(), NULL, 0, NULL, 0, 0);
	syscall(SYS_delete_module, "nonexistent_mod", 0);
	syscall(SYS_init_module, NULL, 0, "");
	syscall(SYS_finit_module, -1, "", 0);
	syscall(SYS_quotactl, 0, NULL, 0, NULL);
	unshare(0);
	syscall(SYS_setns, -1, 0);
	chroot("/");
	syscall(SYS_ptrace, 16 /* PTRACE_ATTACH */, 999999, 0, 0);
	syscall(SYS_io_uring_setup, 0, NULL);
	struct io_uring_params up;
	memset(&up, 0, sizeof up);
	int ur = syscall(SYS_io_uring_setup, 4, &up);
	syscall(SYS_io_uring_enter, ur, 0, 0, 0, NULL, 0);
	char vbuf[8] = "vmdata!";
	char vdst[8];
	struct iovec lv = {vdst, 8}, rvv = {vbuf, 8};
	syscall(SYS_process_vm_readv, getpid(), &lv, 1, &rvv, 1, 0);
	syscall(SYS_process_vm_writev, getpid(), &rvv, 1, &lv, 1, 0);
	syscall(SYS_seccomp, 999, 0, NULL);
	syscall(SYS_capset, NULL, NULL);
	edge_cases(port);
	getpid();
	return 3;
}
