/* SPDX-License-Identifier: GPL-2.0 OR Apache-2.0 */
/*
 * Exit events of System V semaphores (semget, semctl, semop) and of the
 * kernel key store (keyctl). Arguments come from the saved user registers
 * at exit; semop's first two operations are read from user memory. Values
 * follow libs' modern_bpf.
 */
#ifndef SCAPKIT_DRIVER_PROGRAMS_SYSV_BPF_H
#define SCAPKIT_DRIVER_PROGRAMS_SYSV_BPF_H

#include "../helpers/store.bpf.h"
#include "../helpers/extract.bpf.h"

/* include/uapi/linux/ipc.h and sem.h. */
#define N_IPC_CREAT 01000
#define N_IPC_EXCL 02000
#define N_IPC_NOWAIT 04000
#define N_SEM_UNDO 0x1000
#define N_IPC_RMID 0
#define N_IPC_SET 1
#define N_IPC_STAT 2
#define N_IPC_INFO 3
#define N_GETPID 11
#define N_GETVAL 12
#define N_GETALL 13
#define N_GETNCNT 14
#define N_GETZCNT 15
#define N_SETVAL 16
#define N_SETALL 17
#define N_SEM_STAT 18
#define N_SEM_INFO 19

static __always_inline __u32 semget_flags_to_scap(unsigned long f)
{
	return (f & N_IPC_CREAT ? PPM_SEMGET_FLAGS_IPC_CREAT : 0) | (f & N_IPC_EXCL ? PPM_SEMGET_FLAGS_IPC_EXCL : 0);
}

static __always_inline __u16 semop_flags_to_scap(__u16 f)
{
	return (f & N_IPC_NOWAIT ? PPM_SEMOP_FLAGS_IPC_NOWAIT : 0) | (f & N_SEM_UNDO ? PPM_SEMOP_FLAGS_SEM_UNDO : 0);
}

/* semctl's command, one bit each in the semctl_commands table; 0 for one it lacks (SEM_STAT_ANY). */
static __always_inline __u16 semctl_cmd_to_scap(__u16 cmd)
{
	switch (cmd) {
	case N_IPC_STAT: return PPM_SEMCTL_COMMANDS_IPC_STAT;
	case N_IPC_SET: return PPM_SEMCTL_COMMANDS_IPC_SET;
	case N_IPC_RMID: return PPM_SEMCTL_COMMANDS_IPC_RMID;
	case N_IPC_INFO: return PPM_SEMCTL_COMMANDS_IPC_INFO;
	case N_SEM_INFO: return PPM_SEMCTL_COMMANDS_SEM_INFO;
	case N_SEM_STAT: return PPM_SEMCTL_COMMANDS_SEM_STAT;
	case N_GETALL: return PPM_SEMCTL_COMMANDS_GETALL;
	case N_GETNCNT: return PPM_SEMCTL_COMMANDS_GETNCNT;
	case N_GETPID: return PPM_SEMCTL_COMMANDS_GETPID;
	case N_GETVAL: return PPM_SEMCTL_COMMANDS_GETVAL;
	case N_GETZCNT: return PPM_SEMCTL_COMMANDS_GETZCNT;
	case N_SETALL: return PPM_SEMCTL_COMMANDS_SETALL;
	case N_SETVAL: return PPM_SEMCTL_COMMANDS_SETVAL;
	default: return 0;
	}
}

SEC("tp_btf/sys_exit")
int BPF_PROG(semget_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SYSCALL_SEMGET_X, PPME_SYSCALL_SEMGET_X_NPARAMS);
	aux__s64(a, ret);
	aux__u32(a, (__u32)syscall_arg(regs, 0));
	aux__u32(a, (__u32)syscall_arg(regs, 1));
	aux__u32(a, semget_flags_to_scap(syscall_arg(regs, 2)));
	aux__submit(a, current_tid());
	return 0;
}

/*
 * semctl(semid, semnum, cmd, arg): the command is taken from its low 16
 * bits, as libs (an IPC_64 bit, 0x100, would make it unknown); val is the
 * fourth argument for SETVAL only, else 0.
 */
SEC("tp_btf/sys_exit")
int BPF_PROG(semctl_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	__u16 cmd = (__u16)syscall_arg(regs, 2);
	aux__begin(a, PPME_SYSCALL_SEMCTL_X, PPME_SYSCALL_SEMCTL_X_NPARAMS);
	aux__s64(a, ret);
	aux__u32(a, (__u32)syscall_arg(regs, 0));
	aux__u32(a, (__u32)syscall_arg(regs, 1));
	aux__u16(a, semctl_cmd_to_scap(cmd));
	aux__u32(a, cmd == N_SETVAL ? (__u32)syscall_arg(regs, 3) : 0);
	aux__submit(a, current_tid());
	return 0;
}

/* struct sembuf (include/uapi/linux/sem.h). */
struct sysv_sembuf {
	__u16 sem_num;
	__s16 sem_op;
	__s16 sem_flg;
};

static __always_inline void aux__sembuf(struct scap_aux *a, const struct sysv_sembuf *op)
{
	aux__u16(a, op->sem_num);
	aux__u16(a, (__u16)op->sem_op);
	aux__u16(a, semop_flags_to_scap(op->sem_flg));
}

/*
 * semop(semid, sops, nsops): the first two operations (all zeros past
 * nsops), and only when the call succeeded, as libs.
 */
SEC("tp_btf/sys_exit")
int BPF_PROG(semop_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	__u32 nsops = (__u32)syscall_arg(regs, 2);
	const void *sops = (void *)syscall_arg(regs, 1);
	struct sysv_sembuf ops[2] = {};
	if (ret == 0 && sops && nsops > 0)
		bpf_probe_read_user(ops, nsops == 1 ? sizeof(ops[0]) : sizeof(ops), sops);
	aux__begin(a, PPME_SYSCALL_SEMOP_X, PPME_SYSCALL_SEMOP_X_NPARAMS);
	aux__s64(a, ret);
	aux__u32(a, nsops);
	aux__sembuf(a, &ops[0]);
	aux__sembuf(a, &ops[1]);
	aux__u32(a, (__u32)syscall_arg(regs, 0));
	aux__submit(a, current_tid());
	return 0;
}

/*
 * keyctl(operation, arg2, arg3, arg4, arg5). The operation numbers of the
 * keyctl_operations table are the native ones. Each of arg2..arg5 is a
 * dynamic parameter (the DYN_KEYCTL layouts of scapfile/schema): index 0
 * and an s64, or index 1 and a string. Which argument is which depends on
 * the operation (include/uapi/linux/keyctl.h, security/keys/keyctl.c):
 * one 2-bit kind per argument, arg2 in the low bits.
 */
#define KEYCTL_DYN_INT64 0
#define KEYCTL_DYN_CHARBUF 1

#define KEYCTL_ZERO 0	/* not an argument of this operation: 0 */
#define KEYCTL_INT 1	/* a number (key serial, uid, length, pointer) */
#define KEYCTL_STR 2	/* a string in user memory */
#define KEYCTL_KINDS(k2, k3, k4, k5) ((k2) | (k3) << 2 | (k4) << 4 | (k5) << 6)

static __always_inline __u8 keyctl_arg_kinds(__u32 op)
{
	switch (op) {
	case PPM_KEYCTL_OPERATIONS_KEYCTL_JOIN_SESSION_KEYRING:
		return KEYCTL_KINDS(KEYCTL_STR, KEYCTL_ZERO, KEYCTL_ZERO, KEYCTL_ZERO);
	case PPM_KEYCTL_OPERATIONS_KEYCTL_REVOKE:
	case PPM_KEYCTL_OPERATIONS_KEYCTL_CLEAR:
	case PPM_KEYCTL_OPERATIONS_KEYCTL_SET_REQKEY_KEYRING:
	case PPM_KEYCTL_OPERATIONS_KEYCTL_ASSUME_AUTHORITY:
	case PPM_KEYCTL_OPERATIONS_KEYCTL_INVALIDATE:
		return KEYCTL_KINDS(KEYCTL_INT, KEYCTL_ZERO, KEYCTL_ZERO, KEYCTL_ZERO);
	case PPM_KEYCTL_OPERATIONS_KEYCTL_GET_KEYRING_ID:
	case PPM_KEYCTL_OPERATIONS_KEYCTL_SETPERM:
	case PPM_KEYCTL_OPERATIONS_KEYCTL_LINK:
	case PPM_KEYCTL_OPERATIONS_KEYCTL_UNLINK:
	case PPM_KEYCTL_OPERATIONS_KEYCTL_SET_TIMEOUT:
	case PPM_KEYCTL_OPERATIONS_KEYCTL_GET_PERSISTENT:
	case PPM_KEYCTL_OPERATIONS_KEYCTL_CAPABILITIES:
		return KEYCTL_KINDS(KEYCTL_INT, KEYCTL_INT, KEYCTL_ZERO, KEYCTL_ZERO);
	case PPM_KEYCTL_OPERATIONS_KEYCTL_UPDATE:
	case PPM_KEYCTL_OPERATIONS_KEYCTL_CHOWN:
	case PPM_KEYCTL_OPERATIONS_KEYCTL_DESCRIBE:
	case PPM_KEYCTL_OPERATIONS_KEYCTL_READ:
	case PPM_KEYCTL_OPERATIONS_KEYCTL_NEGATE:
	case PPM_KEYCTL_OPERATIONS_KEYCTL_GET_SECURITY:
	case PPM_KEYCTL_OPERATIONS_KEYCTL_WATCH_KEY:
		return KEYCTL_KINDS(KEYCTL_INT, KEYCTL_INT, KEYCTL_INT, KEYCTL_ZERO);
	case PPM_KEYCTL_OPERATIONS_KEYCTL_RESTRICT_KEYRING:
		return KEYCTL_KINDS(KEYCTL_INT, KEYCTL_STR, KEYCTL_STR, KEYCTL_ZERO);
	case PPM_KEYCTL_OPERATIONS_KEYCTL_PKEY_QUERY:
		return KEYCTL_KINDS(KEYCTL_INT, KEYCTL_INT, KEYCTL_STR, KEYCTL_ZERO);
	case PPM_KEYCTL_OPERATIONS_KEYCTL_SEARCH:
		return KEYCTL_KINDS(KEYCTL_INT, KEYCTL_STR, KEYCTL_STR, KEYCTL_INT);
	case PPM_KEYCTL_OPERATIONS_KEYCTL_INSTANTIATE:
	case PPM_KEYCTL_OPERATIONS_KEYCTL_REJECT:
	case PPM_KEYCTL_OPERATIONS_KEYCTL_INSTANTIATE_IOV:
	case PPM_KEYCTL_OPERATIONS_KEYCTL_DH_COMPUTE:
	case PPM_KEYCTL_OPERATIONS_KEYCTL_MOVE:
		return KEYCTL_KINDS(KEYCTL_INT, KEYCTL_INT, KEYCTL_INT, KEYCTL_INT);
	case PPM_KEYCTL_OPERATIONS_KEYCTL_PKEY_ENCRYPT:
	case PPM_KEYCTL_OPERATIONS_KEYCTL_PKEY_DECRYPT:
	case PPM_KEYCTL_OPERATIONS_KEYCTL_PKEY_SIGN:
	case PPM_KEYCTL_OPERATIONS_KEYCTL_PKEY_VERIFY:
		return KEYCTL_KINDS(KEYCTL_INT, KEYCTL_STR, KEYCTL_INT, KEYCTL_INT);
	default:
		/* SESSION_TO_PARENT takes no arguments; an unknown operation's are not guessed. */
		return KEYCTL_KINDS(KEYCTL_ZERO, KEYCTL_ZERO, KEYCTL_ZERO, KEYCTL_ZERO);
	}
}

/* One keyctl argument as its dynamic parameter: a string (empty for NULL) or an s64. */
static __always_inline void aux__keyctl_arg(struct scap_aux *a, __u8 kind, unsigned long v)
{
	if (kind == KEYCTL_STR) {
		aux__put_u8(a, 0, KEYCTL_DYN_CHARBUF);
		long n = 0;
		if (v)
			n = bpf_probe_read_user_str(&a->data[AUX_OFF(a->payload_pos + 1)], SCAP_MAX_PATH_LEN, (void *)v);
		aux__end_param(a, 1 + (n > 0 ? n : 0));
		return;
	}
	aux__put_u8(a, 0, KEYCTL_DYN_INT64);
	aux__put_u64(a, 1, kind == KEYCTL_INT ? v : 0);
	aux__end_param(a, 1 + sizeof(__u64));
}

SEC("tp_btf/sys_exit")
int BPF_PROG(keyctl_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	__u32 op = (__u32)syscall_arg(regs, 0);
	__u8 kinds = keyctl_arg_kinds(op);
	aux__begin(a, PPME_SYSCALL_KEYCTL_X, PPME_SYSCALL_KEYCTL_X_NPARAMS);
	aux__s64(a, ret);
	aux__u32(a, op);
	aux__keyctl_arg(a, kinds & 3, syscall_arg(regs, 1));
	aux__keyctl_arg(a, kinds >> 2 & 3, syscall_arg(regs, 2));
	aux__keyctl_arg(a, kinds >> 4 & 3, syscall_arg(regs, 3));
	aux__keyctl_arg(a, kinds >> 6 & 3, syscall_arg(regs, 4));
	aux__submit(a, current_tid());
	return 0;
}

/* This family's entries of the exit_handlers table (scap.bpf.c). */
#define SYSV_EXIT_HANDLERS \
	[SCAP_NR_SEMGET] = (void *)&semget_x, \
	[SCAP_NR_SEMCTL] = (void *)&semctl_x, \
	[SCAP_NR_SEMOP] = (void *)&semop_x, \
	[SCAP_NR_KEYCTL] = (void *)&keyctl_x,

#endif
