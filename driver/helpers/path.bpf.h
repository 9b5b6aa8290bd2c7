/* SPDX-License-Identifier: GPL-2.0 OR Apache-2.0 */
/*
 * A file's path rebuilt from its dentries and mounts, for the hooks that
 * cannot call bpf_d_path (tp_btf sys_exit among them: the kernel allows it
 * only from a short list of LSM/fentry/iterator attach points). Generic:
 * any event with a struct file or struct path can store one, which is why
 * it lives in helpers/ and not in a program family.
 *
 *   aux__file_path(a, BPF_CORE_READ(mm, exe_file));
 *
 * The values follow libs' modern_bpf (its d_path approximation), so that
 * the two drivers agree byte for byte:
 *   - the walk goes up d_parent; at the root dentry of a mount it goes on
 *     from where that mount is attached in its parent mount, and stops at a
 *     mount that is its own parent: the root of the mount namespace (or of
 *     a detached tree). The task's root (chroot) is not looked at, so a
 *     chrooted or pivoted process's exe is named from the namespace root;
 *   - at most PATH_MAX_STEPS steps, a step being a name or a mount crossed;
 *     a deeper path keeps its innermost names, still with a leading "/";
 *   - a dentry that is its own parent without being a mount root (a file
 *     made by alloc_file_pseudo, e.g. a memfd) ends the walk; when that
 *     happens before any name was taken, the value is the dentry's bare
 *     name, without a "/" ("memfd:name");
 *   - an unlinked file keeps its last name and parent in the dcache, so its
 *     old path comes out, without d_path's " (deleted)";
 *   - the result is cut to PATH_MAX_STORED bytes (NUL included);
 *   - a file pointer of NULL (no mm, a kernel thread) is an empty parameter.
 * No locks are taken (none can be from here): a rename or mount change
 * racing with the walk can give a mixed path, as it can in libs.
 *
 * Names are found leaf first, so they are written right to left into a
 * scratch window of the aux slot, between the highest byte an event's
 * bounded writes can reach (SCAP_MAX_EVENT_SIZE + 2 * SCAP_MAX_SNAPLEN) and
 * the iovec scratch at the slot's end; the finished string is then copied
 * to the event's current parameter, which lies below that window.
 */
#ifndef SCAPKIT_DRIVER_HELPERS_PATH_BPF_H
#define SCAPKIT_DRIVER_HELPERS_PATH_BPF_H

#include "store.bpf.h"
#include "iovec.bpf.h"

/* libs' bounds: steps of the walk, and bytes of the stored path. */
#define PATH_MAX_STEPS 96
#define PATH_MAX_STORED 4096
/*
 * Bytes of one name: NAME_MAX (255) plus its "/". Every filesystem refuses
 * longer names, and pseudo files' names (memfd:, anon inodes) are shorter.
 * A longer one ends the walk (libs would take it whole).
 */
#define PATH_NAME_ROOM 256

#define PATH_SCRATCH_OFF (SCAP_MAX_EVENT_SIZE + 2 * SCAP_MAX_SNAPLEN)
#define PATH_SCRATCH_LEN (IOVEC_SCRATCH_OFF - PATH_SCRATCH_OFF)
_Static_assert(PATH_MAX_STEPS * PATH_NAME_ROOM + 1 < PATH_SCRATCH_LEN, "the deepest path fits the scratch window");
_Static_assert(SCAP_MAX_EVENT_SIZE + PATH_MAX_STORED <= PATH_SCRATCH_OFF, "the copy into the event stays below the window");
_Static_assert(PATH_SCRATCH_OFF + PATH_SCRATCH_LEN + PATH_NAME_ROOM <= 2 * SCAP_MAX_EVENT_SIZE, "what the verifier allows a name write stays in the slot");

/*
 * The walk's write position (where the path built so far starts, as an
 * offset in the window) is kept in the aux slot, not in a register: a
 * register would carry a different known range out of each way an
 * iteration can end, and the verifier could not merge those states over
 * PATH_MAX_STEPS iterations. A value loaded from the map is unknown, the
 * same on every path; the check before each write bounds it again.
 */

static __always_inline struct mount *path__real_mount(struct vfsmount *vfs)
{
	return (void *)vfs - bpf_core_field_offset(struct mount, mnt);
}

/* Stores the path of `f` (a kernel struct file *) as the event's next parameter. */
static __always_inline void aux__file_path(struct scap_aux *a, struct file *f)
{
	if (!f) {
		aux__empty(a);
		return;
	}
	struct path p = {};
	bpf_core_read(&p, sizeof(p), &f->f_path);
	struct dentry *dentry = p.dentry;
	struct mount *mnt = path__real_mount(p.mnt);
	struct mount *mnt_parent = BPF_CORE_READ(mnt, mnt_parent);
	struct dentry *mnt_root = BPF_CORE_READ(p.mnt, mnt_root);

	/* The string's NUL goes at the window's last byte; names go in front of it. */
	a->data[PATH_SCRATCH_OFF + PATH_SCRATCH_LEN - 1] = 0;
	a->path_pos = PATH_SCRATCH_LEN - 1;

#pragma clang loop unroll(disable)
	for (int i = 0; i < PATH_MAX_STEPS; i++) {
		struct dentry *parent = BPF_CORE_READ(dentry, d_parent);
		if (dentry == mnt_root || dentry == parent) {
			/* Its own parent but no mount's root: a pseudo file, nothing above it. */
			if (dentry != mnt_root)
				break;
			/* The namespace's root mount (or a detached one's) is its own parent. */
			if (mnt == mnt_parent)
				break;
			/* Carry on in the parent mount, from the dentry this one is mounted on. */
			dentry = BPF_CORE_READ(mnt, mnt_mountpoint);
			mnt = mnt_parent;
			mnt_parent = BPF_CORE_READ(mnt, mnt_parent);
			mnt_root = BPF_CORE_READ(mnt, mnt.mnt_root);
			continue;
		}
		struct qstr name = {};
		bpf_core_read(&name, sizeof(name), &dentry->d_name);
		__u32 len = name.len;
		/* An empty or overlong name ends the walk, keeping what was found. */
		if (len == 0 || len > PATH_NAME_ROOM - 1)
			break;
		__u32 end = *(volatile __u32 *)&a->path_pos;
		if (end > PATH_SCRATCH_LEN - 1 || end < len + 1)
			break;
		__u32 start = end - (len + 1);
		/*
		 * The checks above keep the write inside the window; the verifier
		 * cannot relate start to len, and sees start < the window's last
		 * byte and len < PATH_NAME_ROOM: inside the aux slot (the last
		 * _Static_assert above), which is all it needs.
		 */
		if (start > PATH_SCRATCH_LEN - 2)
			break;
		barrier_var(len);
		len &= PATH_NAME_ROOM - 1;
		if (bpf_probe_read_kernel(&a->data[PATH_SCRATCH_OFF + start + 1], len, name.name) != 0)
			break;
		a->data[PATH_SCRATCH_OFF + start] = '/';
		a->path_pos = start;
		dentry = parent;
	}

	__u32 start = *(volatile __u32 *)&a->path_pos;
	if (start >= PATH_SCRATCH_LEN - 1) {
		/* No name taken: the dentry where the walk stopped names it (a memfd's "memfd:x"). */
		aux__kernel_str(a, BPF_CORE_READ(dentry, d_name.name), PATH_MAX_STORED);
		return;
	}
	aux__kernel_str(a, &a->data[PATH_SCRATCH_OFF + start], PATH_MAX_STORED);
}

#endif
