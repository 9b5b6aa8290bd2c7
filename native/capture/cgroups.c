// SPDX-License-Identifier: Apache-2.0
/*
 * Facts: libs userspace/libscap/linux/scap_cgroup.c (scap_cgroup_get_thread,
 * scap_cgroup_resolve_v2, get_cgroup_subsystems_v2, the mount scan of
 * scap_cgroup_interface_init, and for a scanner in a cgroup namespace
 * scap_in_cgroupns, scap_find_my_cgroup and scap_cgroup_prefix_path).
 */
#define _GNU_SOURCE
#include "cgroups.h"

#include <dirent.h>
#include <mntent.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The "subsys=path" strings written so far; once one does not fit, no more (as libscap). */
struct cgroup_out {
	char *p;
	size_t len;
	bool full;
};

static void put(struct cgroup_out *o, const char *subsys, size_t slen, const char *path)
{
	size_t plen = strlen(path);
	size_t need = slen + 1 + plen + 1;
	if (o->full || o->len + need > CGROUPS_MAX) {
		o->full = true;
		return;
	}
	memcpy(o->p + o->len, subsys, slen);
	o->p[o->len + slen] = '=';
	memcpy(o->p + o->len + slen + 1, path, plen + 1);
	o->len += need;
}

/* The first line of DIR/cgroup.controllers, without its newline; false if unreadable. */
static bool read_controllers(const char *dir, char *out, size_t cap)
{
	char path[2100];
	if ((size_t)snprintf(path, sizeof(path), "%s/cgroup.controllers", dir) >= sizeof(path))
		return false;
	FILE *f = fopen(path, "re");
	if (!f)
		return false;
	if (!fgets(out, (int)cap, f))
		out[0] = 0;
	fclose(f);
	out[strcspn(out, "\n")] = 0;
	return true;
}

/* Is the word w (length n) in the space-separated list? */
static bool in_list(const char *list, const char *w, size_t n)
{
	for (const char *p = list; *p;) {
		size_t len = strcspn(p, " ");
		if (len == n && memcmp(p, w, n) == 0)
			return true;
		p += len;
		p += strspn(p, " ");
	}
	return false;
}

/*
 * In a cgroup namespace other than init's? As libscap: when either link
 * cannot be read (no access to init's /proc entry), assume not.
 */
static bool in_cgroup_ns(void)
{
	char ours[128], init[128];
	ssize_t a = readlink("/proc/self/ns/cgroup", ours, sizeof(ours) - 1);
	ssize_t b = readlink("/proc/1/ns/cgroup", init, sizeof(init) - 1);
	if (a < 0 || b < 0)
		return false;
	ours[a] = 0;
	init[b] = 0;
	return strcmp(ours, init) != 0;
}

/*
 * Depth first from the cgroup directory `path` (a buffer of `cap` bytes,
 * `end` its NUL): the cgroup whose cgroup.procs has the line `pid_line`.
 * On success `path` names it.
 */
static bool find_own_cgroup(char *path, size_t cap, char *end, const char *pid_line)
{
	char line[64];
	if ((size_t)snprintf(end, cap - (size_t)(end - path), "/cgroup.procs") < cap - (size_t)(end - path)) {
		FILE *f = fopen(path, "re");
		*end = 0;
		if (f) {
			bool found = false;
			while (!found && fgets(line, sizeof(line), f))
				found = strcmp(line, pid_line) == 0;
			fclose(f);
			if (found)
				return true;
		}
	}
	*end = 0;
	DIR *d = opendir(path);
	if (!d)
		return false;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		size_t room = cap - (size_t)(end - path);
		int n = snprintf(end, room, "/%s", de->d_name);
		struct stat st;
		if (n < 0 || (size_t)n >= room || lstat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
			*end = 0;
			continue;
		}
		if (find_own_cgroup(path, cap, end + n, pid_line)) {
			closedir(d);
			return true;
		}
		*end = 0;
	}
	closedir(d);
	return false;
}

/*
 * Where a mount point of init's is seen from here: through /proc/1/root, as
 * libscap looks (init's mounts may not be ours), or as written when that is
 * closed to us (a sandbox whose init is not ours to trace), where libscap
 * would see no cgroup v2 at all.
 */
static int init_path(char *out, size_t cap, const char *mount_dir)
{
	static int via_init = -1;
	if (via_init < 0)
		via_init = access("/proc/1/root/", X_OK) == 0;
	return snprintf(out, cap, "%s%s", via_init ? "/proc/1/root" : "", mount_dir);
}

/* This process's cgroup in the hierarchy mounted at `mount` of init's, into `out`. */
static bool own_cgroup(const char *mount, char *out, size_t cap)
{
	char path[4096], pid_line[32];
	snprintf(pid_line, sizeof(pid_line), "%d\n", (int)getpid());
	int n = init_path(path, sizeof(path), mount);
	if (n < 0 || (size_t)n >= sizeof(path) || !find_own_cgroup(path, sizeof(path), path + n, pid_line))
		return false;
	/* The cgroup's path in its hierarchy: what follows the mount point ("/" for the root). */
	snprintf(out, cap, "%s", path[n] ? path + n : "/");
	return true;
}

/* v1 controllers (and name=... hierarchies) of /proc/self/cgroup, each with its own cgroup under `m`. */
static void own_v1_cgroups(struct cgroup_hierarchy *h, struct mntent *m)
{
	FILE *f = fopen("/proc/self/cgroup", "re");
	if (!f)
		return;
	char line[CGROUPS_MAX];
	while (fgets(line, sizeof(line), f)) {
		char *subsys = strchr(line, ':');
		char *end = subsys ? strchr(subsys + 1, ':') : NULL;
		if (!end || end == subsys + 1)
			continue;
		*end = 0;
		for (char *s = subsys + 1; *s;) {
			size_t n = strcspn(s, ",");
			char name[256], path[2048];
			if (n && n < sizeof(name)) {
				memcpy(name, s, n);
				name[n] = 0;
				/* libscap stops at the first of a mount's controllers it cannot find. */
				if (hasmntopt(m, name)) {
					if (!own_cgroup(m->mnt_dir, path, sizeof(path))) {
						fclose(f);
						return;
					}
					int w = snprintf(h->self_v1 + h->self_v1_len, sizeof(h->self_v1) - h->self_v1_len, "%s=%s", name, path);
					if (w > 0 && h->self_v1_len + (size_t)w + 1 <= sizeof(h->self_v1))
						h->self_v1_len += (size_t)w + 1;
				}
			}
			s += n;
			s += strspn(s, ",");
		}
	}
	fclose(f);
}

void cgroups__init(struct cgroup_hierarchy *h)
{
	h->v2_mount[0] = 0;
	h->v2_controllers[0] = 0;
	h->self_v2[0] = 0;
	h->self_v1_len = 0;
	bool in_ns = in_cgroup_ns();
	FILE *mounts = setmntent("/proc/1/mounts", "re");
	if (!mounts)
		return;
	struct mntent entry, *m;
	char buf[4096];
	while ((m = getmntent_r(mounts, &entry, buf, sizeof(buf)))) {
		if (strcmp(m->mnt_type, "cgroup") == 0) {
			if (in_ns)
				own_v1_cgroups(h, m);
			continue;
		}
		char controllers[sizeof(h->v2_controllers)], mount[sizeof(h->v2_mount)];
		if (strcmp(m->mnt_type, "cgroup2") != 0 ||
		    (size_t)init_path(mount, sizeof(mount), m->mnt_dir) >= sizeof(mount) ||
		    !read_controllers(mount, controllers, sizeof(controllers)))
			continue;
		memcpy(h->v2_mount, mount, sizeof(mount));
		memcpy(h->v2_controllers, controllers, sizeof(controllers));
		if (in_ns && !own_cgroup(m->mnt_dir, h->self_v2, sizeof(h->self_v2)))
			h->self_v2[0] = 0;
		/* A hybrid host also mounts an empty unified hierarchy: keep looking for the one with controllers. */
		if (controllers[0])
			break;
	}
	endmntent(mounts);
}

/*
 * `path` as the root namespace names it, given that this process's own
 * cgroup there is `self`: each leading "/.." of `path` climbs one level of
 * `self`, and the rest follows (libscap's scap_cgroup_prefix_path: a path
 * that is all "/.." keeps no slash of its own). False when `path` climbs
 * above the root.
 */
static bool under_self(const char *self, const char *path, char *out, size_t cap)
{
	const char *p = path;
	size_t at = strlen(self); /* where the kept part of self ends */
	while (strncmp(p, "/..", 3) == 0) {
		if (self[at] == '/' && at != 0)
			at--;
		p += 3;
		while (self[at] != '/') {
			if (at == 0)
				return false;
			at--;
		}
	}
	if (strcmp(p, "/") == 0)
		p++;
	return (size_t)snprintf(out, cap, "%.*s%s", (int)at, self, p) < cap;
}

/*
 * A cgroup v2 path, as the kernel gives each controller's own cgroup: from
 * the thread's cgroup up to the root, each controller takes the deepest
 * cgroup whose cgroup.controllers lists it.
 */
static void resolve_v2(const struct cgroup_hierarchy *h, const char *cgroup, struct cgroup_out *o)
{
	char cur[2048], found[sizeof(h->v2_controllers)] = "";
	size_t found_len = 0;
	snprintf(cur, sizeof(cur), "%s", cgroup);
	for (;;) {
		char dir[sizeof(h->v2_mount) + sizeof(cur)], controllers[sizeof(h->v2_controllers)];
		snprintf(dir, sizeof(dir), "%s%s", h->v2_mount, cur);
		if (!read_controllers(dir, controllers, sizeof(controllers)))
			return;
		for (const char *p = controllers; *p;) {
			size_t n = strcspn(p, " ");
			if (n && !in_list(found, p, n) && found_len + n + 2 <= sizeof(found)) {
				put(o, p, n, cur);
				found_len += (size_t)snprintf(found + found_len, sizeof(found) - found_len, "%s%.*s",
							      found_len ? " " : "", (int)n, p);
			}
			p += n;
			p += strspn(p, " ");
		}
		if (cur[0] != '/' || cur[1] == 0)
			return;
		bool all = true;
		for (const char *p = h->v2_controllers; *p && all;) {
			size_t n = strcspn(p, " ");
			all = n == 0 || in_list(found, p, n);
			p += n;
			p += strspn(p, " ");
		}
		if (all)
			return;
		char *slash = strrchr(cur, '/');
		slash[slash == cur ? 1 : 0] = 0;
	}
}

/* This process's own cgroup recorded for the v1 controller list `subsys`, if any. */
static const char *own_v1(const struct cgroup_hierarchy *h, const char *subsys)
{
	size_t n = strlen(subsys);
	for (size_t at = 0; at < h->self_v1_len; at += strlen(h->self_v1 + at) + 1) {
		if (strncmp(h->self_v1 + at, subsys, n) == 0 && h->self_v1[at + n] == '=')
			return h->self_v1 + at + n + 1;
	}
	return NULL;
}

size_t cgroups__of_thread(const struct cgroup_hierarchy *h, const char *taskdir, char *out)
{
	char path[1100], line[CGROUPS_MAX];
	struct cgroup_out o = { .p = out };
	snprintf(path, sizeof(path), "%s/cgroup", taskdir);
	FILE *f = fopen(path, "re");
	if (!f)
		return 0;
	/* Lines are "hierarchy-id:controllers:path"; cgroup v2's is "0::path". */
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		char *subsys = strchr(line, ':');
		char *cgroup = subsys ? strchr(subsys + 1, ':') : NULL;
		if (!cgroup)
			continue;
		*subsys++ = 0;
		*cgroup++ = 0;
		char full[2048];
		if (!*subsys) {
			/* A v1 line without controllers is a hierarchy with none bound: nothing to record. */
			if (h->v2_mount[0] && strcmp(line, "0") == 0 &&
			    (!h->self_v2[0] || under_self(h->self_v2, cgroup, full, sizeof(full))))
				resolve_v2(h, h->self_v2[0] ? full : cgroup, &o);
			continue;
		}
		/*
		 * In a cgroup namespace, the path goes under this process's own
		 * cgroup of that hierarchy. libscap looks that up by the line's whole
		 * controller list, so a line of several ("cpu,cpuacct") keeps its
		 * namespace path there; so here.
		 */
		const char *self = own_v1(h, subsys);
		if (self) {
			if (!under_self(self, cgroup, full, sizeof(full)))
				break;
			cgroup = full;
		}
		for (char *s = subsys; *s;) {
			size_t n = strcspn(s, ",");
			if (n)
				put(&o, s, n, cgroup);
			s += n;
			s += strspn(s, ",");
		}
	}
	fclose(f);
	return o.len;
}
