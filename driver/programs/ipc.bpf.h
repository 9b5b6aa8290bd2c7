/* SPDX-License-Identifier: GPL-2.0 OR Apache-2.0 */
/*
 * Exit events of IPC, event-fd and security-relevant syscalls (eventfd,
 * signalfd, timerfd, inotify, epoll_create, bpf, modules, userfaultfd,
 * io_uring, process_vm_*, seccomp, quotactl).
 */
#ifndef SCAPKIT_DRIVER_PROGRAMS_IPC_BPF_H
#define SCAPKIT_DRIVER_PROGRAMS_IPC_BPF_H

#include "../helpers/store.bpf.h"
#include "../helpers/extract.bpf.h"

/* This family's entries of the exit_handlers table (scap.bpf.c). */
#define IPC_EXIT_HANDLERS

#endif
