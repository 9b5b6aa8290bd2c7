// SPDX-License-Identifier: Apache-2.0
/*
 * Layout facts: libs userspace/libscap/scap_savefile.c (scap_write_machine_info,
 * scap_write_iflist, scap_write_userlist, scap_write_proclist_entry_bufs,
 * scap_fd_write_to_disk) and the readers in scapfile/state-blocks/.
 */
#define _GNU_SOURCE
#include "proc_scan.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <time.h>
#include <unistd.h>

#include "cgroups.h"
#include "gen/events.h"

/*
 * The longest strings libscap's reader takes in a process list entry
 * (SCAP_MAX_PATH_SIZE for comm, exe, exepath, cwd and root;
 * SCAP_MAX_ARGS_SIZE and SCAP_MAX_ENV_SIZE for args and env): one byte more
 * and it refuses the whole file. Its own /proc scan cuts to these too.
 */
#define MAX_PATH 1024
#define MAX_LIST 4096
#define MACHINE_HOSTNAME_LEN 128

/* Fd types (scap_fd_type) and l4 protocols (scap_l4_proto); scapfile/state-blocks/types.ts. */
enum {
	FD_FILE = 1, FD_DIRECTORY = 2, FD_IPV4_SOCK = 3, FD_IPV6_SOCK = 4, FD_IPV4_SERVSOCK = 5,
	FD_IPV6_SERVSOCK = 6, FD_FIFO = 7, FD_UNIX_SOCK = 8, FD_EVENT = 9, FD_UNSUPPORTED = 10,
	FD_SIGNALFD = 11, FD_EVENTPOLL = 12, FD_INOTIFY = 13, FD_TIMERFD = 14, FD_NETLINK = 15,
	FD_FILE_V2 = 16, FD_BPF = 17, FD_USERFAULTFD = 18, FD_IOURING = 19, FD_MEMFD = 20, FD_PIDFD = 21,
};
enum { L4_TCP = 2, L4_UDP = 3 };
/* Interface entry types (scap_ifinfo_type). */
enum { IF_IPV4 = 1, IF_IPV6 = 2 };
/* User list entry kinds (USERBLOCK_TYPE_USER / _GROUP in userspace/libscap/scap.h). */
enum { USERBLOCK_USER = 0, USERBLOCK_GROUP = 1 };

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint64_t boot_ts_epoch_ns(void)
{
	return clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_BOOTTIME);
}

/* Reads a whole small file; returns bytes read (the buffer is NUL-terminated) or -1. */
static ssize_t read_file(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	size_t len = 0;
	while (len + 1 < cap) {
		ssize_t n = read(fd, buf + len, cap - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = 0;
	return (ssize_t)len;
}

/*
 * Reads a whole file of any length into `b` (NUL-terminated): /proc status
 * files grow with the groups a process has, past any fixed buffer. Returns
 * the bytes read, or -1.
 */
static ssize_t read_whole_file(const char *path, struct bbuf *b)
{
	bbuf__reset(b);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	char chunk[4096];
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		bbuf__bytes(b, chunk, (size_t)n);
	}
	close(fd);
	size_t len = b->len;
	bbuf__u8(b, 0);
	return b->oom ? -1 : (ssize_t)len;
}

static void read_link(const char *path, char *out, size_t cap)
{
	ssize_t n = readlink(path, out, cap - 1);
	out[n > 0 ? n : 0] = 0;
}

static uint64_t u64_of(const char *s) { return s ? strtoull(s, NULL, 10) : 0; }

static int write_machine_info(struct writer *w)
{
	struct bbuf b = {0};
	struct sysinfo si;
	char host[MACHINE_HOSTNAME_LEN] = {0}, pidmax[32];
	uint64_t mem = sysinfo(&si) == 0 ? (uint64_t)si.totalram * si.mem_unit : 0;
	gethostname(host, sizeof(host) - 1);
	bbuf__u32(&b, (uint32_t)sysconf(_SC_NPROCESSORS_ONLN));
	bbuf__u64(&b, mem);
	bbuf__u64(&b, read_file("/proc/sys/kernel/pid_max", pidmax, sizeof(pidmax)) > 0 ? u64_of(pidmax) : 0);
	bbuf__bytes(&b, host, sizeof(host));
	bbuf__u64(&b, boot_ts_epoch_ns());
	bbuf__u64(&b, 0); /* flags */
	bbuf__u64(&b, 0); /* reserved3 */
	bbuf__u64(&b, 0); /* reserved4 */
	int err = b.oom ? -ENOMEM : writer__append_block(w, BLOCK_MACHINE_INFO, b.data, b.len);
	bbuf__free(&b);
	return err;
}

/* V2 interface entry: u32 length (not counting itself), then the V1 entry. */
static int write_interface_list(struct writer *w, struct scan_stats *st)
{
	struct ifaddrs *ifs = NULL;
	struct bbuf b = {0};
	if (getifaddrs(&ifs) != 0)
		return -errno;
	for (struct ifaddrs *i = ifs; i; i = i->ifa_next) {
		if (!i->ifa_addr)
			continue;
		int fam = i->ifa_addr->sa_family;
		if (fam != AF_INET && fam != AF_INET6)
			continue;
		size_t alen = fam == AF_INET ? 4 : 16;
		uint16_t nlen = (uint16_t)strnlen(i->ifa_name, MAX_PATH - 1);
		unsigned char zero[16] = {0};
		const void *addr, *mask, *bcast = zero;
		if (fam == AF_INET) {
			addr = &((struct sockaddr_in *)i->ifa_addr)->sin_addr;
			mask = i->ifa_netmask ? (void *)&((struct sockaddr_in *)i->ifa_netmask)->sin_addr : zero;
			if ((i->ifa_flags & IFF_BROADCAST) && i->ifa_broadaddr)
				bcast = &((struct sockaddr_in *)i->ifa_broadaddr)->sin_addr;
		} else {
			addr = &((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr;
			mask = i->ifa_netmask ? (void *)&((struct sockaddr_in6 *)i->ifa_netmask)->sin6_addr : zero;
		}
		bbuf__u32(&b, (uint32_t)(2 + 2 + 3 * alen + 8 + nlen));
		bbuf__u16(&b, fam == AF_INET ? IF_IPV4 : IF_IPV6);
		bbuf__u16(&b, nlen);
		bbuf__bytes(&b, addr, alen);
		bbuf__bytes(&b, mask, alen);
		bbuf__bytes(&b, bcast, alen);
		bbuf__u64(&b, 0); /* linkspeed: unknown */
		bbuf__bytes(&b, i->ifa_name, nlen);
		st->addresses++;
	}
	freeifaddrs(ifs);
	int err = b.oom ? -ENOMEM : b.len ? writer__append_block(w, BLOCK_INTERFACE_LIST_V2, b.data, b.len) : 0;
	bbuf__free(&b);
	return err;
}

/* V2 user entry: u32 length counting itself, u8 kind, then the V1 fields. */
static int write_user_list(struct writer *w, struct scan_stats *st)
{
	struct bbuf b = {0};
	struct passwd *pw;
	setpwent();
	while ((pw = getpwent())) {
		size_t at = b.len;
		bbuf__u32(&b, 0);
		bbuf__u8(&b, USERBLOCK_USER);
		bbuf__u32(&b, pw->pw_uid);
		bbuf__u32(&b, pw->pw_gid);
		bbuf__str16(&b, pw->pw_name, 255);
		bbuf__str16(&b, pw->pw_dir, 255);
		bbuf__str16(&b, pw->pw_shell, 255);
		bbuf__patch_u32(&b, at, (uint32_t)(b.len - at));
		st->users++;
	}
	endpwent();
	struct group *gr;
	setgrent();
	while ((gr = getgrent())) {
		size_t at = b.len;
		bbuf__u32(&b, 0);
		bbuf__u8(&b, USERBLOCK_GROUP);
		bbuf__u32(&b, gr->gr_gid);
		bbuf__str16(&b, gr->gr_name, 255);
		bbuf__patch_u32(&b, at, (uint32_t)(b.len - at));
		st->groups++;
	}
	endgrent();
	int err = b.oom ? -ENOMEM : b.len ? writer__append_block(w, BLOCK_USER_LIST_V2, b.data, b.len) : 0;
	bbuf__free(&b);
	return err;
}

/* The value after `key` in a /proc status text, or NULL. */
static const char *status_field(const char *status, const char *key)
{
	size_t klen = strlen(key);
	for (const char *p = status; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, key, klen) == 0 && p[klen] == ':') {
			p += klen + 1;
			while (*p == ' ' || *p == '\t')
				p++;
			return p;
		}
	}
	return NULL;
}

/* The last number of a whitespace-separated list on one line (NSpid, NStgid, NSpgid). */
static int64_t last_number(const char *p, int64_t dflt)
{
	if (!p)
		return dflt;
	int64_t v = dflt;
	while (*p && *p != '\n') {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!isdigit((unsigned char)*p))
			break;
		v = strtoll(p, (char **)&p, 10);
	}
	return v;
}

/* Fields of /proc/<tid>/stat after the command name. */
struct task_stat {
	int64_t ppid, pgid, sid;
	uint32_t tty;
	uint64_t minflt, majflt;
};

static bool read_task_stat(const char *dir, struct task_stat *ts)
{
	char path[64 + MAX_PATH], buf[1024];
	snprintf(path, sizeof(path), "%s/stat", dir);
	if (read_file(path, buf, sizeof(buf)) <= 0)
		return false;
	/* The command name may hold spaces and parentheses: fields start after the last ')'. */
	char *p = strrchr(buf, ')');
	if (!p)
		return false;
	char state;
	long long ppid, pgid, sid;
	int tty;
	unsigned long long minflt, majflt;
	if (sscanf(p + 1, " %c %lld %lld %lld %d %*d %*u %llu %*u %llu", &state, &ppid, &pgid, &sid, &tty,
		   &minflt, &majflt) != 7)
		return false;
	ts->ppid = ppid;
	ts->pgid = pgid;
	ts->sid = sid;
	ts->tty = (uint32_t)tty;
	ts->minflt = minflt;
	ts->majflt = majflt;
	return true;
}

static uint64_t fdlimit_of(int pid)
{
	char path[64], buf[4096];
	snprintf(path, sizeof(path), "/proc/%d/limits", pid);
	if (read_file(path, buf, sizeof(buf)) <= 0)
		return 0;
	const char *p = strstr(buf, "Max open files");
	if (!p)
		return 0;
	p += strlen("Max open files");
	while (*p == ' ')
		p++;
	return strncmp(p, "unlimited", 9) == 0 ? UINT64_MAX : strtoull(p, NULL, 10);
}

/*
 * Whether the executable of `pid` (`exepath`, seen through the process's
 * root) is writable by its effective user, as libscap's /proc scan decides
 * (scap_procs.c scap_proc_fill_exe_writable): the owner can chmod it, so it
 * counts as writable; otherwise this thread takes the process's effective
 * uid, then gid, and asks faccessat. Raw setresuid/setresgid change this
 * thread only (the libc wrappers change every thread). Like libscap, a gid
 * this thread may no longer take after giving up uid 0 leaves the answer
 * false.
 */
static bool exe_writable(int pid, const char *exepath, uid_t uid, gid_t gid)
{
	char path[64 + MAX_PATH];
	struct stat st;
	snprintf(path, sizeof(path), "/proc/%d/root%s", pid, exepath);
	if (exepath[0] != '/' || stat(path, &st) != 0)
		return false;
	if (st.st_uid == uid)
		return true;
	uid_t orig_uid = geteuid();
	gid_t orig_gid = getegid();
	bool writable = false;
	if (uid != (uid_t)-1 && gid != (gid_t)-1 && syscall(SYS_setresuid, -1, uid, -1) == 0 &&
	    syscall(SYS_setresgid, -1, gid, -1) == 0)
		writable = faccessat(AT_FDCWD, path, W_OK, AT_EACCESS) == 0;
	/* Back to what we were: uid first, as only uid 0 may set any gid. */
	if (syscall(SYS_setresuid, -1, orig_uid, -1) != 0 || syscall(SYS_setresgid, -1, orig_gid, -1) != 0) {
		fprintf(stderr, "scap-capture: cannot restore euid %u / egid %u after checking %s: %s\n",
			(unsigned)orig_uid, (unsigned)orig_gid, path, strerror(errno));
		abort();
	}
	return writable;
}

/*
 * When the pid namespace of the thread started: the ctime of its init's
 * /proc entry, as libscap takes it (for host processes that is when the
 * host's init started, not the boot). 0 when it cannot be seen.
 */
static uint64_t pidns_init_start_ns(const char *taskdir)
{
	char path[128];
	struct stat st;
	snprintf(path, sizeof(path), "%s/root/proc/1/cmdline", taskdir);
	if (stat(path, &st) != 0)
		return 0;
	return (uint64_t)st.st_ctim.tv_sec * 1000000000ull + (uint64_t)st.st_ctim.tv_nsec;
}

/* One process list V9 entry for thread `tid` of process `pid`. */
static void append_thread(struct bbuf *b, int pid, int tid, uint64_t fdlimit, const struct cgroup_hierarchy *cgh)
{
	char dir[64], path[128 + MAX_PATH];
	char comm[64], exepath[MAX_PATH], cwd[MAX_PATH], root[MAX_PATH];
	static char cmdline[MAX_LIST + 1], environ_[MAX_LIST + 1], cgroups[CGROUPS_MAX];
	/* One scan at a time (the addon runs one too): the status text is reused. */
	static struct bbuf status_buf;
	struct task_stat ts = {0};

	snprintf(dir, sizeof(dir), "/proc/%d/task/%d", pid, tid);
	if (!read_task_stat(dir, &ts))
		return;
	snprintf(path, sizeof(path), "%s/status", dir);
	const char *status = read_whole_file(path, &status_buf) >= 0 ? (const char *)status_buf.data : "";
	snprintf(path, sizeof(path), "%s/comm", dir);
	ssize_t commlen = read_file(path, comm, sizeof(comm));
	/* The kernel ends comm with one newline; a name may hold newlines of its own, kept. */
	if (commlen > 0 && comm[commlen - 1] == '\n')
		comm[commlen - 1] = 0;
	else if (commlen < 0)
		comm[0] = 0;
	snprintf(path, sizeof(path), "/proc/%d/exe", pid);
	read_link(path, exepath, sizeof(exepath));
	snprintf(path, sizeof(path), "/proc/%d/cwd", pid);
	read_link(path, cwd, sizeof(cwd));
	snprintf(path, sizeof(path), "/proc/%d/root", pid);
	read_link(path, root, sizeof(root));
	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	ssize_t cmdlen = read_file(path, cmdline, sizeof(cmdline));
	if (cmdlen < 0)
		cmdlen = 0;
	snprintf(path, sizeof(path), "/proc/%d/environ", pid);
	ssize_t envlen = read_file(path, environ_, sizeof(environ_));
	if (envlen < 0)
		envlen = 0;
	/* exe is argv[0]; kernel threads have no command line and show their comm. */
	const char *exe = cmdlen ? cmdline : comm;
	size_t argv0len = cmdlen ? strnlen(cmdline, (size_t)cmdlen) : strlen(comm);
	size_t argsoff = cmdlen ? argv0len + 1 : 0;
	size_t argslen = (size_t)cmdlen > argsoff ? (size_t)cmdlen - argsoff : 0;
	/* Anyone can run a program under a longer argv[0] (exec -a): cut it, never the file. */
	size_t exelen = argv0len < MAX_PATH ? argv0len : MAX_PATH;

	unsigned ruid = 0, euid = 0, rgid = 0, egid = 0;
	const char *f;
	if ((f = status_field(status, "Uid")))
		sscanf(f, "%u %u", &ruid, &euid);
	if ((f = status_field(status, "Gid")))
		sscanf(f, "%u %u", &rgid, &egid);
	uint32_t vmsize = (f = status_field(status, "VmSize")) ? (uint32_t)strtoul(f, NULL, 10) : 0;
	uint32_t vmrss = (f = status_field(status, "VmRSS")) ? (uint32_t)strtoul(f, NULL, 10) : 0;
	uint32_t vmswap = (f = status_field(status, "VmSwap")) ? (uint32_t)strtoul(f, NULL, 10) : 0;
	uint64_t capinh = (f = status_field(status, "CapInh")) ? strtoull(f, NULL, 16) : 0;
	uint64_t capprm = (f = status_field(status, "CapPrm")) ? strtoull(f, NULL, 16) : 0;
	uint64_t capeff = (f = status_field(status, "CapEff")) ? strtoull(f, NULL, 16) : 0;
	int64_t vtid = last_number(status_field(status, "NSpid"), tid);
	int64_t vpid = last_number(status_field(status, "NStgid"), pid);
	int64_t vpgid = last_number(status_field(status, "NSpgid"), ts.pgid);

	char lbuf[32];
	snprintf(path, sizeof(path), "/proc/%d/loginuid", pid);
	uint32_t loginuid = read_file(path, lbuf, sizeof(lbuf)) > 0 ? (uint32_t)strtoul(lbuf, NULL, 10) : UINT32_MAX;

	struct stat exe_st = {0};
	snprintf(path, sizeof(path), "/proc/%d/exe", pid);
	bool has_exe = stat(path, &exe_st) == 0;

	/* Threads other than the leader share the leader's files and memory (libscap marks them so). */
	uint32_t flags = tid != pid ? PPM_CL_THREAD | PPM_CL_FILES : 0;

	size_t at = b->len;
	bbuf__u32(b, 0);
	bbuf__u64(b, (uint64_t)tid);
	bbuf__u64(b, (uint64_t)pid);
	bbuf__u64(b, (uint64_t)ts.ppid);
	bbuf__u64(b, (uint64_t)ts.sid);
	bbuf__u64(b, (uint64_t)vpgid);
	bbuf__str16(b, comm, MAX_PATH - 1);
	bbuf__blob16(b, exe, exelen);
	bbuf__str16(b, exepath, MAX_PATH - 1);
	bbuf__blob16(b, cmdline + argsoff, argslen);
	bbuf__str16(b, cwd, MAX_PATH - 1);
	bbuf__u64(b, fdlimit);
	bbuf__u32(b, flags);
	bbuf__u32(b, euid);
	bbuf__u32(b, egid);
	bbuf__u32(b, vmsize);
	bbuf__u32(b, vmrss);
	bbuf__u32(b, vmswap);
	bbuf__u64(b, ts.majflt);
	bbuf__u64(b, ts.minflt);
	bbuf__blob16(b, environ_, (size_t)envlen);
	bbuf__u64(b, (uint64_t)vtid);
	bbuf__u64(b, (uint64_t)vpid);
	bbuf__blob16(b, cgroups, cgroups__of_thread(cgh, dir, cgroups));
	bbuf__str16(b, root, MAX_PATH - 1);
	bbuf__u64(b, pidns_init_start_ns(dir));
	bbuf__u32(b, ts.tty);
	bbuf__u32(b, loginuid);
	bbuf__u8(b, has_exe && exe_writable(pid, exepath, euid, egid));
	bbuf__u64(b, capinh);
	bbuf__u64(b, capprm);
	bbuf__u64(b, capeff);
	bbuf__u8(b, 0); /* exe_upper_layer: libscap's /proc scan does not set it either */
	bbuf__u64(b, has_exe ? exe_st.st_ino : 0);
	bbuf__u64(b, has_exe ? (uint64_t)exe_st.st_ctim.tv_sec * 1000000000ull + exe_st.st_ctim.tv_nsec : 0);
	bbuf__u64(b, has_exe ? (uint64_t)exe_st.st_mtim.tv_sec * 1000000000ull + exe_st.st_mtim.tv_nsec : 0);
	bbuf__u8(b, 0); /* exe_from_memfd, exe_lower_layer: nor these */
	bbuf__u8(b, 0);
	bbuf__u64(b, (uint64_t)ts.pgid);
	bbuf__patch_u32(b, at, (uint32_t)(b->len - at));
}

/* ---- sockets: inode -> endpoints, from /proc/net ---- */

struct sock_info {
	uint64_t ino;
	uint8_t type;
	uint8_t l4;
	uint8_t sip[16], dip[16];
	uint16_t sport, dport;
	uint64_t unix_addr;
	char path[108];
};

/*
 * The sockets of one network namespace, indexed by inode: an fd scan looks
 * up every socket fd, so a linear search made it quadratic (tens of seconds
 * with the driver attached and the rings not drained, on a host with many
 * sockets).
 */
struct sock_table {
	/* Inode of the namespace (/proc/<pid>/ns/net); 0: /proc/net, ours. */
	uint64_t netns;
	struct sock_info *v;
	size_t n, cap;
	/* Open addressing: index + 1 into v, 0 for an empty slot; a power of two. */
	uint32_t *slots;
	size_t nslots;
};

static struct sock_info *sock_table__add(struct sock_table *t)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		struct sock_info *v = realloc(t->v, cap * sizeof(*v));
		if (!v)
			return NULL;
		t->v = v;
		t->cap = cap;
	}
	struct sock_info *s = &t->v[t->n++];
	memset(s, 0, sizeof(*s));
	return s;
}

static size_t ino_slot(uint64_t ino, size_t nslots)
{
	/* Fibonacci hashing: inodes are often consecutive. */
	return (size_t)((ino * 0x9E3779B97F4A7C15ull) >> 32) & (nslots - 1);
}

/*
 * Indexes the loaded sockets by inode; when an inode is listed twice the
 * first entry wins. Without memory for the index, lookups find nothing and
 * those sockets are written as unsupported.
 */
static void sock_table__index(struct sock_table *t)
{
	size_t nslots = 16;
	while (nslots < t->n * 2)
		nslots *= 2;
	t->slots = calloc(nslots, sizeof(*t->slots));
	if (!t->slots || t->n >= UINT32_MAX)
		return;
	t->nslots = nslots;
	for (size_t i = 0; i < t->n; i++) {
		size_t k = ino_slot(t->v[i].ino, nslots);
		while (t->slots[k] && t->v[t->slots[k] - 1].ino != t->v[i].ino)
			k = (k + 1) & (nslots - 1);
		if (!t->slots[k])
			t->slots[k] = (uint32_t)(i + 1);
	}
}

static const struct sock_info *sock_table__find(const struct sock_table *t, uint64_t ino)
{
	if (!t->nslots)
		return NULL;
	for (size_t k = ino_slot(ino, t->nslots); t->slots[k]; k = (k + 1) & (t->nslots - 1))
		if (t->v[t->slots[k] - 1].ino == ino)
			return &t->v[t->slots[k] - 1];
	return NULL;
}

static void sock_table__free(struct sock_table *t)
{
	free(t->v);
	free(t->slots);
}

/* /proc/net addresses are the raw network-order words printed as host-order hex. */
static void parse_hex_addr(const char *hex, size_t words, uint8_t *out)
{
	for (size_t i = 0; i < words; i++) {
		char w[9] = {0};
		memcpy(w, hex + i * 8, 8);
		uint32_t v = (uint32_t)strtoul(w, NULL, 16);
		memcpy(out + i * 4, &v, 4);
	}
}

/*
 * Opens the table `name` of a net directory (/proc/net, /proc/<pid>/net)
 * and reads past its header line; NULL when the table is missing or empty
 * (a kernel without that protocol).
 */
static FILE *open_net_table(const char *netdir, const char *name)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/%s", netdir, name);
	FILE *fp = fopen(path, "re");
	if (!fp)
		return NULL;
	char header[512];
	if (!fgets(header, sizeof(header), fp)) {
		fclose(fp);
		return NULL;
	}
	return fp;
}

static void load_inet(struct sock_table *t, const char *netdir, const char *name, bool v6, uint8_t l4)
{
	FILE *fp = open_net_table(netdir, name);
	if (!fp)
		return;
	char line[512], local[64], remote[64];
	unsigned st;
	unsigned long long ino;
	while (fgets(line, sizeof(line), fp)) {
		if (sscanf(line, " %*d: %63s %63s %x %*s %*s %*s %*u %*u %llu", local, remote, &st, &ino) != 4 || !ino)
			continue;
		struct sock_info *s = sock_table__add(t);
		if (!s)
			break;
		size_t words = v6 ? 4 : 1;
		char *lp = strchr(local, ':'), *rp = strchr(remote, ':');
		if (!lp || !rp)
			continue;
		s->ino = ino;
		s->l4 = l4;
		parse_hex_addr(local, words, s->sip);
		parse_hex_addr(remote, words, s->dip);
		s->sport = (uint16_t)strtoul(lp + 1, NULL, 16);
		s->dport = (uint16_t)strtoul(rp + 1, NULL, 16);
		bool server = s->dport == 0;
		s->type = v6 ? (server ? FD_IPV6_SERVSOCK : FD_IPV6_SOCK) : (server ? FD_IPV4_SERVSOCK : FD_IPV4_SOCK);
	}
	fclose(fp);
}

static void load_unix(struct sock_table *t, const char *netdir)
{
	FILE *fp = open_net_table(netdir, "unix");
	if (!fp)
		return;
	char line[512];
	while (fgets(line, sizeof(line), fp)) {
		unsigned long long addr, ino;
		int off = 0;
		if (sscanf(line, "%llx: %*x %*x %*x %*x %*x %llu%n", &addr, &ino, &off) != 2)
			continue;
		struct sock_info *s = sock_table__add(t);
		if (!s)
			break;
		s->ino = ino;
		s->type = FD_UNIX_SOCK;
		s->unix_addr = addr;
		const char *p = line + off;
		while (*p == ' ')
			p++;
		snprintf(s->path, sizeof(s->path), "%s", p);
		s->path[strcspn(s->path, "\n")] = 0;
	}
	fclose(fp);
}

static void load_netlink(struct sock_table *t, const char *netdir)
{
	FILE *fp = open_net_table(netdir, "netlink");
	if (!fp)
		return;
	char line[512];
	while (fgets(line, sizeof(line), fp)) {
		unsigned long long ino;
		if (sscanf(line, "%*x %*d %*d %*x %*d %*d %*d %*d %*d %llu", &ino) != 1)
			continue;
		struct sock_info *s = sock_table__add(t);
		if (!s)
			break;
		s->ino = ino;
		s->type = FD_NETLINK;
	}
	fclose(fp);
}

/*
 * The socket tables of every network namespace seen so far. /proc/net
 * lists the sockets of our own namespace only: a process in another one (a
 * container, a pod, `unshare -n`) has its own tcp, unix... tables, read
 * once per namespace through /proc/<pid>/net (libscap keys them the same
 * way, by the inode of /proc/<pid>/ns/net).
 */
struct netns_socks {
	struct sock_table *v;
	size_t n, cap;
};

static void load_sockets(struct sock_table *t, const char *netdir)
{
	load_inet(t, netdir, "tcp", false, L4_TCP);
	load_inet(t, netdir, "tcp6", true, L4_TCP);
	load_inet(t, netdir, "udp", false, L4_UDP);
	load_inet(t, netdir, "udp6", true, L4_UDP);
	load_unix(t, netdir);
	load_netlink(t, netdir);
	sock_table__index(t);
}

/* The sockets of the network namespace of `pid`, loaded the first time that namespace is seen. */
static const struct sock_table *netns_socks__of(struct netns_socks *ns, int pid)
{
	char path[64];
	struct stat st;
	snprintf(path, sizeof(path), "/proc/%d/ns/net", pid);
	/* Without its namespace (gone, or not ours to see): our own tables, as libscap. */
	uint64_t netns = stat(path, &st) == 0 ? st.st_ino : 0;
	for (size_t i = 0; i < ns->n; i++)
		if (ns->v[i].netns == netns)
			return &ns->v[i];
	if (ns->n == ns->cap) {
		size_t cap = ns->cap ? ns->cap * 2 : 8;
		struct sock_table *v = realloc(ns->v, cap * sizeof(*v));
		if (!v)
			return NULL;
		ns->v = v;
		ns->cap = cap;
	}
	struct sock_table *t = &ns->v[ns->n++];
	memset(t, 0, sizeof(*t));
	t->netns = netns;
	if (netns)
		snprintf(path, sizeof(path), "/proc/%d/net", pid);
	load_sockets(t, netns ? path : "/proc/net");
	return t;
}

static void netns_socks__free(struct netns_socks *ns)
{
	for (size_t i = 0; i < ns->n; i++)
		sock_table__free(&ns->v[i]);
	free(ns->v);
}

/* Native open flags from fdinfo to the PPM_O_* values events and fd lists store. */
static uint32_t open_flags_to_scap(unsigned long f)
{
	uint32_t r = 0;
	switch (f & O_ACCMODE) {
	case O_RDONLY: r |= PPM_O_RDONLY; break;
	case O_WRONLY: r |= PPM_O_WRONLY; break;
	case O_RDWR: r |= PPM_O_RDWR; break;
	}
	if (f & O_CREAT) r |= PPM_O_CREAT;
	if (f & O_EXCL) r |= PPM_O_EXCL;
	if (f & O_TRUNC) r |= PPM_O_TRUNC;
	if (f & O_APPEND) r |= PPM_O_APPEND;
	if (f & O_NONBLOCK) r |= PPM_O_NONBLOCK;
	if ((f & O_SYNC) == O_SYNC) r |= PPM_O_SYNC;
	else if (f & O_DSYNC) r |= PPM_O_DSYNC;
	if (f & O_DIRECT) r |= PPM_O_DIRECT;
	if (f & 0100000) r |= PPM_O_LARGEFILE; /* O_LARGEFILE as the kernel reports it on x86_64 */
	if (f & O_DIRECTORY) r |= PPM_O_DIRECTORY;
	if (f & O_CLOEXEC) r |= PPM_O_CLOEXEC;
	return r;
}

static uint32_t encode_dev(dev_t dev)
{
	unsigned major = (unsigned)(dev >> 8) & 0xfff, minor = (unsigned)(dev & 0xff) | ((unsigned)(dev >> 12) & 0xfff00);
	return (minor & 0xff) | (major << 8) | ((minor & ~0xffu) << 12);
}

/* The type an anon_inode / special link name stands for, or 0. */
static uint8_t special_fd_type(const char *link)
{
	static const struct { const char *prefix; uint8_t type; } kinds[] = {
		{"pipe:", FD_FIFO}, {"anon_inode:[eventfd]", FD_EVENT}, {"anon_inode:[signalfd]", FD_SIGNALFD},
		{"anon_inode:[eventpoll]", FD_EVENTPOLL}, {"anon_inode:inotify", FD_INOTIFY},
		{"anon_inode:[timerfd]", FD_TIMERFD}, {"anon_inode:bpf", FD_BPF},
		{"anon_inode:[userfaultfd]", FD_USERFAULTFD}, {"anon_inode:[io_uring]", FD_IOURING},
		{"anon_inode:[pidfd]", FD_PIDFD}, {"/memfd:", FD_MEMFD},
	};
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strncmp(link, kinds[i].prefix, strlen(kinds[i].prefix)) == 0)
			return kinds[i].type;
	return strncmp(link, "anon_inode:", 11) == 0 ? FD_UNSUPPORTED : 0;
}

static void append_fd_entry_head(struct bbuf *b, size_t *at, int64_t fd, uint64_t ino, uint8_t type)
{
	*at = b->len;
	bbuf__u32(b, 0);
	bbuf__u64(b, (uint64_t)fd);
	bbuf__u64(b, ino);
	bbuf__u8(b, type);
}

/* Appends the fd list V2 entries of process `pid`; returns how many. */
static uint32_t append_fds(struct bbuf *b, int pid, struct netns_socks *netns)
{
	/* Loaded at the first socket fd: most processes have none. */
	const struct sock_table *socks = NULL;
	static const struct sock_table none;
	char dirpath[64], path[512], link[MAX_PATH];
	uint32_t count = 0;
	snprintf(dirpath, sizeof(dirpath), "/proc/%d/fd", pid);
	DIR *d = opendir(dirpath);
	if (!d)
		return 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		int64_t fd = strtoll(de->d_name, NULL, 10);
		snprintf(path, sizeof(path), "%s/%s", dirpath, de->d_name);
		read_link(path, link, sizeof(link));
		if (!link[0])
			continue;
		struct stat st;
		bool have_st = stat(path, &st) == 0;
		uint64_t ino = have_st ? st.st_ino : 0;
		size_t at;
		unsigned long long sino;
		if (sscanf(link, "socket:[%llu]", &sino) == 1) {
			if (!socks && !(socks = netns_socks__of(netns, pid)))
				socks = &none;
			const struct sock_info *s = sock_table__find(socks, sino);
			uint8_t type = s ? s->type : FD_UNSUPPORTED;
			append_fd_entry_head(b, &at, fd, sino, type);
			switch (type) {
			case FD_IPV4_SOCK:
				bbuf__bytes(b, s->sip, 4);
				bbuf__bytes(b, s->dip, 4);
				bbuf__u16(b, s->sport);
				bbuf__u16(b, s->dport);
				bbuf__u8(b, s->l4);
				break;
			case FD_IPV6_SOCK:
				bbuf__bytes(b, s->sip, 16);
				bbuf__bytes(b, s->dip, 16);
				bbuf__u16(b, s->sport);
				bbuf__u16(b, s->dport);
				bbuf__u8(b, s->l4);
				break;
			case FD_IPV4_SERVSOCK:
				bbuf__bytes(b, s->sip, 4);
				bbuf__u16(b, s->sport);
				bbuf__u8(b, s->l4);
				break;
			case FD_IPV6_SERVSOCK:
				bbuf__bytes(b, s->sip, 16);
				bbuf__u16(b, s->sport);
				bbuf__u8(b, s->l4);
				break;
			case FD_UNIX_SOCK:
				bbuf__u64(b, s->unix_addr);
				bbuf__u64(b, 0);
				bbuf__str16(b, s->path, MAX_PATH - 1);
				break;
			default:
				bbuf__str16(b, link, MAX_PATH - 1);
			}
		} else if (special_fd_type(link)) {
			append_fd_entry_head(b, &at, fd, ino, special_fd_type(link));
			bbuf__str16(b, link, MAX_PATH - 1);
		} else if (have_st && S_ISDIR(st.st_mode)) {
			append_fd_entry_head(b, &at, fd, ino, FD_DIRECTORY);
			bbuf__str16(b, link, MAX_PATH - 1);
		} else {
			char info[256];
			unsigned long flags = 0;
			snprintf(path, sizeof(path), "/proc/%d/fdinfo/%s", pid, de->d_name);
			if (read_file(path, info, sizeof(info)) > 0) {
				const char *f = strstr(info, "flags:");
				if (f)
					flags = strtoul(f + 6, NULL, 8);
			}
			append_fd_entry_head(b, &at, fd, ino, FD_FILE_V2);
			bbuf__u32(b, open_flags_to_scap(flags));
			bbuf__str16(b, link, MAX_PATH - 1);
			bbuf__u32(b, have_st ? encode_dev(st.st_dev) : 0);
		}
		bbuf__patch_u32(b, at, (uint32_t)(b->len - at));
		count++;
	}
	closedir(d);
	return count;
}

static int numeric_name(const struct dirent *de)
{
	for (const char *p = de->d_name; *p; p++)
		if (!isdigit((unsigned char)*p))
			return 0;
	return de->d_name[0] != 0;
}

/* setpriority on a thread id sets that thread's nice value only (Linux). */
int proc_scan__nice_thread(void)
{
	id_t tid = (id_t)syscall(SYS_gettid);
	errno = 0;
	int before = getpriority(PRIO_PROCESS, tid);
	if (errno != 0)
		return INT_MIN;
	int nicer = before + PROC_SCAN_NICE > 19 ? 19 : before + PROC_SCAN_NICE;
	return setpriority(PRIO_PROCESS, tid, nicer) == 0 ? before : INT_MIN;
}

void proc_scan__renice(int before)
{
	if (before != INT_MIN)
		setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), before);
}

int proc_scan__write_state(struct writer *w, struct scan_stats *st)
{
	struct bbuf threads = {0}, fds = {0};
	struct netns_socks netns = {0};
	struct cgroup_hierarchy cgh;
	int err;

	memset(st, 0, sizeof(*st));
	if ((err = write_machine_info(w)) || (err = write_interface_list(w, st)) || (err = write_user_list(w, st)))
		return err;

	cgroups__init(&cgh);

	/* All threads go into one process list block, then one fd list block per process. */
	DIR *proc = opendir("/proc");
	if (!proc) {
		err = -errno;
		goto out;
	}
	struct dirent *de;
	int *pids = NULL;
	size_t npids = 0, cap = 0;
	while ((de = readdir(proc))) {
		if (!numeric_name(de))
			continue;
		if (npids == cap) {
			cap = cap ? cap * 2 : 1024;
			int *p = realloc(pids, cap * sizeof(*p));
			if (!p)
				break;
			pids = p;
		}
		pids[npids++] = atoi(de->d_name);
	}
	closedir(proc);

	for (size_t i = 0; i < npids; i++) {
		int pid = pids[i];
		char taskdir[300];
		snprintf(taskdir, sizeof(taskdir), "/proc/%d/task", pid);
		DIR *tasks = opendir(taskdir);
		if (!tasks)
			continue;
		uint64_t fdlimit = fdlimit_of(pid);
		while ((de = readdir(tasks))) {
			if (!numeric_name(de))
				continue;
			size_t before = threads.len;
			append_thread(&threads, pid, atoi(de->d_name), fdlimit, &cgh);
			if (threads.len != before)
				st->threads++;
		}
		closedir(tasks);
		st->processes++;
	}
	if (threads.oom) {
		err = -ENOMEM;
		goto out_pids;
	}
	if ((err = writer__append_block(w, BLOCK_PROCESS_LIST_V9, threads.data, threads.len)))
		goto out_pids;

	for (size_t i = 0; i < npids; i++) {
		bbuf__reset(&fds);
		bbuf__u64(&fds, (uint64_t)pids[i]);
		uint32_t n = append_fds(&fds, pids[i], &netns);
		if (!n)
			continue;
		st->fds += n;
		if (fds.oom) {
			err = -ENOMEM;
			break;
		}
		if ((err = writer__append_block(w, BLOCK_FD_LIST_V2, fds.data, fds.len)))
			break;
	}
out_pids:
	free(pids);
out:
	netns_socks__free(&netns);
	bbuf__free(&threads);
	bbuf__free(&fds);
	return err;
}
