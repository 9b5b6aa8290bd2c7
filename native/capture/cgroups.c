// SPDX-License-Identifier: Apache-2.0
/*
 * Facts: libs userspace/libscap/linux/scap_cgroup.c (scap_cgroup_get_thread,
 * scap_cgroup_resolve_v2, get_cgroup_subsystems_v2, the mount scan of
 * scap_cgroup_interface_init). Not reproduced: the prefixing of paths when
 * the scanner itself runs in a cgroup namespace (paths are then relative to
 * that namespace, as /proc shows them).
 */
#define _GNU_SOURCE
#include "cgroups.h"

#include <mntent.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

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

void cgroups__init(struct cgroup_hierarchy *h)
{
	h->v2_mount[0] = 0;
	h->v2_controllers[0] = 0;
	FILE *mounts = setmntent("/proc/1/mounts", "re");
	if (!mounts)
		return;
	struct mntent entry, *m;
	char buf[4096];
	while ((m = getmntent_r(mounts, &entry, buf, sizeof(buf)))) {
		char controllers[sizeof(h->v2_controllers)];
		if (strcmp(m->mnt_type, "cgroup2") != 0 || !read_controllers(m->mnt_dir, controllers, sizeof(controllers)))
			continue;
		snprintf(h->v2_mount, sizeof(h->v2_mount), "%s", m->mnt_dir);
		memcpy(h->v2_controllers, controllers, sizeof(controllers));
		/* A hybrid host also mounts an empty unified hierarchy: keep looking for the one with controllers. */
		if (controllers[0])
			break;
	}
	endmntent(mounts);
}

/*
 * A cgroup v2 path, as the kernel gives each controller's own cgroup: from
 * the thread's cgroup up to the root, each controller takes the deepest
 * cgroup whose cgroup.controllers lists it.
 */
static void resolve_v2(const struct cgroup_hierarchy *h, const char *cgroup, struct cgroup_out *o)
{
	char cur[1024], found[sizeof(h->v2_controllers)] = "";
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
		if (!*subsys) {
			/* A v1 line without controllers is a hierarchy with none bound: nothing to record. */
			if (h->v2_mount[0] && strcmp(line, "0") == 0)
				resolve_v2(h, cgroup, &o);
			continue;
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
