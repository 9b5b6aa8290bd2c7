/* SPDX-License-Identifier: GPL-2.0 OR Apache-2.0 */
/*
 * Kernel differences the driver reads around, one helper each, with the
 * kernel change that made them. Everything else reads fields that have not
 * moved since BTF exists.
 */
#ifndef SCAPKIT_DRIVER_CORE_FIXES_BPF_H
#define SCAPKIT_DRIVER_CORE_FIXES_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_core_read.h>

/*
 * inode timestamps: split into i_ctime_sec/i_ctime_nsec (and the same for
 * mtime) by kernel 6.11, commit 3aa63a569c64 ("fs: switch timespec64 fields
 * in inode to discrete integers"); before, the ctime was `__i_ctime`
 * (6.6, commit 13bc24457850) and earlier `i_ctime`, a timespec64.
 */
struct inode___pre611 {
	struct timespec64 __i_ctime;
	struct timespec64 i_mtime;
};
struct inode___pre66 {
	struct timespec64 i_ctime;
	struct timespec64 i_mtime;
};

static __always_inline __u64 timespec_ns(struct timespec64 *ts)
{
	return (__u64)BPF_CORE_READ(ts, tv_sec) * 1000000000ULL + BPF_CORE_READ(ts, tv_nsec);
}

/*
 * Since 6.13 (multigrain timestamps, commit 4e40eff0b573, "fs: add
 * infrastructure for multigrain timestamps") bit 31 of i_ctime_nsec is a
 * flag, I_CTIME_QUERIED, not part of the time; the kernel masks it off in
 * inode_get_ctime_nsec. Nanoseconds stay below 2^30, so the mask is right
 * on every kernel with the split fields. (libs' modern_bpf at 48dfd53 does
 * not mask it: its exe_ino_ctime is 2^31 ns late once the ctime was queried.)
 */
#define INODE_CTIME_QUERIED (1U << 31)

static __always_inline __u64 inode_ctime_ns(struct inode *inode)
{
	if (bpf_core_field_exists(inode->i_ctime_sec))
		return (__u64)BPF_CORE_READ(inode, i_ctime_sec) * 1000000000ULL +
		       (BPF_CORE_READ(inode, i_ctime_nsec) & ~INODE_CTIME_QUERIED);
	struct inode___pre611 *i611 = (void *)inode;
	if (bpf_core_field_exists(i611->__i_ctime))
		return timespec_ns(&i611->__i_ctime);
	struct inode___pre66 *i66 = (void *)inode;
	return timespec_ns(&i66->i_ctime);
}

static __always_inline __u64 inode_mtime_ns(struct inode *inode)
{
	if (bpf_core_field_exists(inode->i_mtime_sec))
		return (__u64)BPF_CORE_READ(inode, i_mtime_sec) * 1000000000ULL +
		       BPF_CORE_READ(inode, i_mtime_nsec);
	struct inode___pre66 *i66 = (void *)inode;
	return timespec_ns(&i66->i_mtime);
}

/*
 * Resident set counters: an array of percpu_counter since kernel 6.2, commit
 * f1a7941243c1 ("mm: convert mm's rss stats into percpu_counter"); before, a
 * struct mm_rss_stat of atomic_long_t. The percpu counter's `count` is the
 * batched total, close enough for a size shown in kB.
 */
struct mm_rss_stat___pre62 {
	atomic_long_t count[4];
};
struct mm_struct___pre62 {
	struct mm_rss_stat___pre62 rss_stat;
};

/* Counter indexes (enum mm_counter; unchanged since 2.6.34): file, anon, swap, shmem. */
#define SCAP_MM_FILEPAGES 0
#define SCAP_MM_ANONPAGES 1
#define SCAP_MM_SWAPENTS 2
#define SCAP_MM_SHMEMPAGES 3

#define MM_COUNTER(mm, member)                                                            \
	({                                                                                    \
		struct mm_struct___pre62 *old__ = (void *)(mm);                               \
		__s64 v__ = bpf_core_field_exists(old__->rss_stat.count)                       \
				    ? BPF_CORE_READ(old__, rss_stat.count[member].counter)     \
				    : BPF_CORE_READ(mm, rss_stat[member].count);              \
		v__ < 0 ? 0 : v__;                                                            \
	})

/* Resident pages of a process: file + anonymous + shared memory. */
static __always_inline __u64 mm_rss_pages(struct mm_struct *mm)
{
	return MM_COUNTER(mm, SCAP_MM_FILEPAGES) + MM_COUNTER(mm, SCAP_MM_ANONPAGES) +
	       MM_COUNTER(mm, SCAP_MM_SHMEMPAGES);
}

static __always_inline __u64 mm_swap_pages(struct mm_struct *mm)
{
	return MM_COUNTER(mm, SCAP_MM_SWAPENTS);
}

/*
 * kernfs_node's parent pointer: `parent` until 6.15, then `__parent`, read
 * under RCU (kernel commit "kernfs: Use RCU to access
 * kernfs_node::parent."). The cgroup path walk of process events climbs it.
 */
struct kernfs_node___pre615 {
	struct kernfs_node *parent;
};

static __always_inline struct kernfs_node *kernfs_parent(struct kernfs_node *kn)
{
	struct kernfs_node___pre615 *old = (void *)kn;
	if (bpf_core_field_exists(old->parent))
		return BPF_CORE_READ(old, parent);
	return BPF_CORE_READ(kn, __parent);
}

#endif
