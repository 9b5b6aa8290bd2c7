// SPDX-License-Identifier: Apache-2.0
/*
 * The cgroups of a thread as libscap's /proc scan records them in the
 * process list ("subsys=path" strings, each NUL-terminated): what
 * container.id and thread.cgroups read for processes that started before
 * the capture (new ones get theirs from clone/execve events).
 */
#ifndef SCAP_CAPTURE_CGROUPS_H
#define SCAP_CAPTURE_CGROUPS_H

#include <stddef.h>

#define CGROUPS_MAX 4096 /* SCAP_MAX_CGROUPS_SIZE */

/* The cgroup hierarchies, found once per scan. */
struct cgroup_hierarchy {
	char v2_mount[1024];   /* "" when no cgroup2 is mounted */
	char v2_controllers[512]; /* the root's cgroup.controllers, space-separated */
	/*
	 * When this process runs in a cgroup namespace of its own, /proc shows
	 * every cgroup relative to its namespace root; these are its own
	 * cgroups as the root namespace names them, to put paths back under:
	 * "" (none found, or not in a namespace) for v2, and "subsys=path"
	 * strings, each NUL-terminated, for v1.
	 */
	char self_v2[1024];
	char self_v1[2048];
	size_t self_v1_len;
};

/*
 * Finds the cgroup2 mount in /proc/1/mounts (the first one with controllers,
 * else the last), through /proc/1/root as libscap does (as written when
 * that is closed to us); and, when this
 * process is in a cgroup namespace other than init's, its own cgroups by
 * searching every hierarchy's cgroup.procs for its pid.
 */
void cgroups__init(struct cgroup_hierarchy *h);

/*
 * Writes the cgroups of the thread whose /proc directory is `taskdir` into
 * `out` (at most CGROUPS_MAX bytes); returns the length, NULs included
 * (0 when the file cannot be read).
 */
size_t cgroups__of_thread(const struct cgroup_hierarchy *h, const char *taskdir, char *out);

#endif
