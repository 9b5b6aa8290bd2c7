/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * The PPM_EXE_* facts of a task's executable that execve's `flags` carry
 * (proc.is_exe_writable, is_exe_upper_layer, is_exe_lower_layer,
 * is_exe_from_memfd in libsinsp). The same tests as falcosecurity/libs'
 * modern eBPF driver makes, so that rules read the same answers:
 *
 * - writable: not on a read-only mount, not immutable, and either owned by
 *   the task's fsuid, or its mode bits (group bits when the task is in the
 *   file's group, else the others' bits) allow writing, or the task has
 *   CAP_DAC_OVERRIDE (owner and group mapped in its user namespace) or
 *   CAP_FOWNER (owner mapped). POSIX ACLs are not looked at.
 * - upper/lower layer: on overlayfs, whether the overlay inode has an upper
 *   dentry with an inode (struct ovl_inode keeps it right after its vfs inode).
 * - memfd: an anonymous file (its dentry is its own parent) named "memfd:…".
 */
#ifndef SCAP_EXE_FLAGS_BPF_H
#define SCAP_EXE_FLAGS_BPF_H

#define N_SB_RDONLY 1
#define N_S_IMMUTABLE (1 << 3)
#define N_S_IFMT 00170000
#define N_S_IFREG 0100000
#define N_S_IFDIR 0040000
#define N_S_IFLNK 0120000
#define N_MAY_WRITE 2
#define N_CAP_DAC_OVERRIDE 1
#define N_CAP_FOWNER 3
#define N_OVERLAYFS_SUPER_MAGIC 0x794c7630
/* Binary search steps over supplementary groups: log2(NGROUPS_MAX = 65536). */
#define GROUP_SEARCH_STEPS 16
/* Extents a uid_gid_map holds inline (UID_GID_MAP_MAX_BASE_EXTENTS). */
#define MAP_BASE_EXTENTS 5

/* Whether `gid` is among the task's supplementary groups (kept sorted by the kernel). */
static __always_inline bool in_supplementary_groups(const struct cred *cred, __u32 gid)
{
	struct group_info *gi = BPF_CORE_READ(cred, group_info);
	if (!gi)
		return false;
	unsigned int lo = 0, hi = BPF_CORE_READ(gi, ngroups);
	for (int i = 0; i < GROUP_SEARCH_STEPS && lo < hi; i++) {
		unsigned int mid = (lo + hi) / 2;
		__u32 g = 0;
		BPF_CORE_READ_INTO(&g, gi, gid[mid].val);
		if (gid > g)
			lo = mid + 1;
		else if (gid < g)
			hi = mid;
		else
			return true;
	}
	return false;
}

/* Whether kernel id `id` has a value inside the namespace of `map` (map_id_up does not fail). */
static __always_inline bool id_mapped(struct uid_gid_map *map, __u32 id)
{
	__u32 n = BPF_CORE_READ(map, nr_extents);
	for (int j = 0; j < MAP_BASE_EXTENTS; j++) {
		if (j >= n)
			break;
		__u32 first = BPF_CORE_READ(map, extent[j].lower_first);
		__u32 count = BPF_CORE_READ(map, extent[j].count);
		if (id >= first && id - first < count)
			return true;
	}
	return false;
}

static __always_inline bool exe_writable(const struct cred *cred, struct inode *inode)
{
	__u32 mode = BPF_CORE_READ(inode, i_mode);
	__u32 type = mode & N_S_IFMT;
	unsigned long s_flags = BPF_CORE_READ(inode, i_sb, s_flags);
	if ((s_flags & N_SB_RDONLY) && (type == N_S_IFREG || type == N_S_IFDIR || type == N_S_IFLNK))
		return false;
	if (BPF_CORE_READ(inode, i_flags) & N_S_IMMUTABLE)
		return false;
	__u32 uid = BPF_CORE_READ(inode, i_uid.val);
	__u32 gid = BPF_CORE_READ(inode, i_gid.val);
	if (uid == (__u32)-1 || gid == (__u32)-1)
		return false;
	if (BPF_CORE_READ(cred, fsuid.val) == uid)
		return true;
	if (BPF_CORE_READ(cred, fsgid.val) == gid || in_supplementary_groups(cred, gid))
		mode >>= 3;
	if (mode & N_MAY_WRITE)
		return true;
	struct user_namespace *ns = BPF_CORE_READ(cred, user_ns);
	if (!ns)
		return false;
	bool uid_mapped = id_mapped(&ns->uid_map, uid);
	bool gid_mapped = id_mapped(&ns->gid_map, gid);
	__u64 caps = read_caps(&cred->cap_effective);
	if ((caps & (1ULL << N_CAP_DAC_OVERRIDE)) && uid_mapped && gid_mapped)
		return true;
	return (caps & (1ULL << N_CAP_FOWNER)) && uid_mapped;
}

static __always_inline __u32 overlay_layer_flag(struct dentry *dentry)
{
	if (BPF_CORE_READ(dentry, d_sb, s_magic) != N_OVERLAYFS_SUPER_MAGIC)
		return 0;
	char *vfs_inode = (char *)BPF_CORE_READ(dentry, d_inode);
	unsigned long inode_size = bpf_core_type_size(struct inode);
	struct dentry *upper = NULL;
	if (inode_size)
		bpf_probe_read_kernel(&upper, sizeof(upper), vfs_inode + inode_size);
	if (upper && BPF_CORE_READ(upper, d_inode, i_ino) != 0)
		return PPM_EXE_UPPER_LAYER;
	return PPM_EXE_LOWER_LAYER;
}

static __always_inline bool exe_from_memfd(struct dentry *dentry)
{
	if (BPF_CORE_READ(dentry, d_parent) != dentry)
		return false;
	const unsigned char *name = BPF_CORE_READ(dentry, d_name.name);
	char prefix[7] = {};
	/* Six bytes and the NUL the read puts after them, however long the name. */
	if (!name || bpf_probe_read_kernel_str(prefix, sizeof(prefix), name) != sizeof(prefix))
		return false;
	return prefix[0] == 'm' && prefix[1] == 'e' && prefix[2] == 'm' && prefix[3] == 'f' &&
	       prefix[4] == 'd' && prefix[5] == ':';
}

/* PPM_EXE_* bits of the executable `mm` runs, for `cred`; 0 when there is none. */
static __always_inline __u32 exe_flags(const struct cred *cred, struct mm_struct *mm)
{
	struct file *exe = BPF_CORE_READ(mm, exe_file);
	if (!exe)
		return 0;
	struct inode *inode = BPF_CORE_READ(exe, f_inode);
	struct dentry *dentry = BPF_CORE_READ(exe, f_path.dentry);
	__u32 flags = 0;
	if (inode && exe_writable(cred, inode))
		flags |= PPM_EXE_WRITABLE;
	if (dentry) {
		flags |= overlay_layer_flag(dentry);
		if (exe_from_memfd(dentry))
			flags |= PPM_EXE_FROM_MEMFD;
	}
	return flags;
}

#endif
