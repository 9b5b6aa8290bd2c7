// SPDX-License-Identifier: GPL-2.0 OR Apache-2.0
/*
 * The scapkit driver: one dispatcher on the raw sys_exit tracepoint that
 * builds read and write itself, tail-calls the handler of any other syscall
 * (programs/, one header per family) or, for a syscall without one, writes
 * the generic event;
 * sched_process_exec keeps what execve's exit cannot read any more (the
 * filename); sched_process_exit writes procexit; sched_switch, page faults
 * and signal delivery are optional (programs/kernel_events.bpf.h). Every
 * event uses the modern exit-only layout of driver/gen/events.h.
 *
 * x86_64 only for now. A 32-bit (ia32) syscall, made with `int $0x80` or
 * by a 32-bit process, is recorded as its x86_64 counterpart
 * (ia32_to_native_nr below, helpers/extract.bpf.h for its arguments), the
 * socket calls multiplexed by ia32 socketcall each as its own syscall.
 */
#include "helpers/base.bpf.h"
#include "helpers/store.bpf.h"
#include "helpers/extract.bpf.h"
#include "helpers/exe_flags.bpf.h"
#include "programs/file.bpf.h"
#include "programs/net.bpf.h"
#include "programs/process.bpf.h"
#include "programs/mem.bpf.h"
#include "programs/ipc.bpf.h"
#include "programs/fs.bpf.h"
#include "programs/wait.bpf.h"
#include "programs/identity.bpf.h"
#include "programs/sysv.bpf.h"
#include "programs/kernel_events.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* x86_64 native syscall number -> ppm_sc code, for the generic event. */
static const volatile __u16 native_to_ppm_sc[SCAP_SYSCALL_TABLE_SIZE] = SCAP_NATIVE_TO_PPM_SC_X86_64_INIT;

/* ia32 number -> x86_64 number (-1: none), scapfile/schema/syscalls-ia32.ts. */
static const volatile __s16 ia32_to_native[SCAP_SYSCALL_TABLE_SIZE] = SCAP_IA32_TO_NATIVE_INIT;
/* socketcall's call (SYS_SOCKET, SYS_CONNECT...) -> x86_64 number (-1: none). */
static const volatile __s16 socketcall_to_native[SCAP_SOCKETCALL_CALLS] = SCAP_SOCKETCALL_TO_NATIVE_INIT;

/*
 * The x86_64 number an ia32 syscall is recorded as, -1 when it has none.
 * A socketcall becomes the socket call it makes, so its handler and the
 * --syscalls selection treat it as that syscall (its arguments are read from
 * the user array, ia32_syscall_arg).
 */
static __always_inline long ia32_to_native_nr(struct pt_regs *regs, long nr)
{
	if (nr == SCAP_IA32_NR_SOCKETCALL) {
		__u32 call = (__u32)regs->bx;
		return call < SCAP_SOCKETCALL_CALLS ? socketcall_to_native[call] : -1;
	}
	if (nr < 0 || nr >= SCAP_SYSCALL_TABLE_SIZE)
		return -1;
	return ia32_to_native[nr & (SCAP_SYSCALL_TABLE_SIZE - 1)];
}

/*
 * Exit handlers by native syscall number; a missing entry means "generic
 * event". Each programs/ header lists its own (<FAMILY>_EXIT_HANDLERS).
 */
struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, SCAP_SYSCALL_TABLE_SIZE);
	__uint(key_size, sizeof(__u32));
	__array(values, int(void *));
} exit_handlers SEC(".maps") = {
	.values = {
		FILE_EXIT_HANDLERS
		MEM_EXIT_HANDLERS
		NET_EXIT_HANDLERS
		PROCESS_EXIT_HANDLERS
		IPC_EXIT_HANDLERS
		FS_EXIT_HANDLERS
		WAIT_EXIT_HANDLERS
		IDENTITY_EXIT_HANDLERS
		SYSV_EXIT_HANDLERS
	},
};

/*
 * The generic event (a syscall without a handler: getpid, clock_gettime,
 * sched_yield and the like, much of a busy system) has a fixed layout, so like read and
 * write it is built straight into the ring: the ppm_sc code and the native
 * id, two bytes each (for an ia32 syscall, its x86_64 number, as libs'
 * modern_bpf stores it).
 */
_Static_assert(PPME_GENERIC_X_NPARAMS == 2, "emit_generic_x stores sc and id");
#define GENERIC_LENS_AT (SCAP_RECORD_CPU_LEN + SCAP_EVENT_HEADER_LEN)
#define GENERIC_LEN (GENERIC_LENS_AT + 2 * SCAP_PARAM_LEN + 2 + 2)

static __always_inline void emit_generic_x(long nr, __u32 tid)
{
	__u16 sc = 0;
	if (nr >= 0 && nr < SCAP_SYSCALL_TABLE_SIZE)
		sc = native_to_ppm_sc[nr & (SCAP_SYSCALL_TABLE_SIZE - 1)];
	__u32 cpu = bpf_get_smp_processor_id();
	__u64 head;
	struct scap_ring *r = ring__take(cpu, GENERIC_LEN, &head);
	if (!r)
		return;
	__u8 *rec = ring__at(r, head);
	/* Both lengths (2 and 2), then both values, each pair in one store. */
	AUX_STORE(32, rec + GENERIC_LENS_AT, 2 | 2u << 16);
	AUX_STORE(32, rec + GENERIC_LENS_AT + 4, sc | (__u32)(__u16)nr << 16);
	record__header(rec, cpu, GENERIC_LEN, PPME_GENERIC_X, PPME_GENERIC_X_NPARAMS, tid);
	ring__commit(r, cpu, head, GENERIC_LEN);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(sys_exit, struct pt_regs *regs, long ret)
{
	/* One task pointer for ids and the compat check: plain BTF loads, not two more helper calls. */
	struct task_struct *task = bpf_get_current_task_btf();
	__u64 pid_tgid = (__u64)task->tgid << 32 | (__u32)task->pid;
	if (!trace_allowed_pid(pid_tgid))
		return 0;
	long nr = syscall_nr(regs);
	bool ia32 = in_ia32_syscall_task(task);
	if (ia32)
		nr = ia32_to_native_nr(regs, nr);
	if (nr < 0 || nr >= SCAP_SYSCALL_TABLE_SIZE)
		return 0;
	if (filter_syscalls && !syscall_wanted[nr & (SCAP_SYSCALL_TABLE_SIZE - 1)])
		return 0;
	/* The hot pair, built here (programs/file.bpf.h says why). */
	if (nr == SCAP_NR_READ) {
		read_write_x(regs, ia32, ret, PPME_SYSCALL_READ_X, PPME_SYSCALL_READ_X_NPARAMS, (__u32)pid_tgid);
		return 0;
	}
	if (nr == SCAP_NR_WRITE) {
		read_write_x(regs, ia32, ret, PPME_SYSCALL_WRITE_X, PPME_SYSCALL_WRITE_X_NPARAMS, (__u32)pid_tgid);
		return 0;
	}
	bpf_tail_call(ctx, &exit_handlers, nr);
	emit_generic_x(nr, (__u32)pid_tgid);
	return 0;
}
