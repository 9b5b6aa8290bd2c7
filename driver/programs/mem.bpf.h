/* SPDX-License-Identifier: GPL-2.0 OR Apache-2.0 */
/*
 * Exit events of memory and mount syscalls (mmap, munmap, mprotect,
 * memfd_create, mount, umount2, fsconfig).
 */
#ifndef SCAPKIT_DRIVER_PROGRAMS_MEM_BPF_H
#define SCAPKIT_DRIVER_PROGRAMS_MEM_BPF_H

#include "../helpers/store.bpf.h"
#include "../helpers/extract.bpf.h"

/* This family's entries of the exit_handlers table (scap.bpf.c). */
#define MEM_EXIT_HANDLERS

#endif
