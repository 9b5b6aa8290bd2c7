/* SPDX-License-Identifier: GPL-2.0 OR Apache-2.0 */
/*
 * Events the kernel raises outside syscalls, each off by default and loaded
 * only when asked for (scap-capture --sched-switch, --page-faults,
 * --signals; native/capture/loader.c leaves the others out of the load):
 * a context switch (switch, PPME_SCHEDSWITCH_6_E), a page fault taken in
 * user or kernel mode (page_fault, PPME_PAGE_FAULT_E) and a signal about
 * to be handled (signaldeliver, PPME_SIGNALDELIVER_E).
 *
 * All three are small and fixed-size, and sched_switch and page faults can
 * fire thousands of times a second per CPU, so like read and write they are
 * built straight into the ring. They never touch an aux slot: a
 * page_fault_kernel can fire inside another program's user-memory read, and
 * sched_switch inside a preempted program, both on the same CPU. A ring
 * held by that program counts a drop (ring__take).
 *
 * What each parameter holds follows libs' kernel module (ppm_fillers.c),
 * which modern_bpf follows too, except for page_fault's ip: modern_bpf
 * stores the 8 bytes of code AT the faulting instruction pointer (0 for
 * every user fault, where the kernel read fails); the kernel module, and
 * this driver, store the instruction pointer itself.
 */
#ifndef SCAPKIT_DRIVER_PROGRAMS_KERNEL_EVENTS_BPF_H
#define SCAPKIT_DRIVER_PROGRAMS_KERNEL_EVENTS_BPF_H

#include "../helpers/store.bpf.h"

#define KEV_LENS_AT (SCAP_RECORD_CPU_LEN + SCAP_EVENT_HEADER_LEN)

_Static_assert(PPME_SCHEDSWITCH_6_E_NPARAMS == 6, "sched_switch_e stores next, pgft_maj, pgft_min, vm_size, vm_rss, vm_swap");
#define SWITCH_VALUES_AT (KEV_LENS_AT + 6 * SCAP_PARAM_LEN)
#define SWITCH_LEN (SWITCH_VALUES_AT + 8 + 8 + 8 + 4 + 4 + 4)

/*
 * The task switched out (current, the event's thread): the pid of the one
 * switched in, its own fault counts and memory sizes.
 */
SEC("tp_btf/sched_switch")
int BPF_PROG(sched_switch_e, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	if (!trace_allowed_pid(pid_tgid))
		return 0;
	__u32 sizes[3];
	mm_sizes_kib(prev->mm, sizes);
	__u64 next_pid = (__s64)next->pid;
	__u64 maj = prev->maj_flt;
	__u64 min = prev->min_flt;
	__u32 cpu = bpf_get_smp_processor_id();
	__u64 head;
	struct scap_ring *r = ring__take(cpu, SWITCH_LEN, &head);
	if (!r)
		return 0;
	__u8 *rec = ring__at(r, head);
	AUX_STORE(64, rec + KEV_LENS_AT, 8 | 8u << 16 | 8ull << 32 | 4ull << 48);
	AUX_STORE(32, rec + KEV_LENS_AT + 8, 4 | 4u << 16);
	AUX_STORE(64, rec + SWITCH_VALUES_AT, next_pid);
	AUX_STORE(64, rec + SWITCH_VALUES_AT + 8, maj);
	AUX_STORE(64, rec + SWITCH_VALUES_AT + 16, min);
	AUX_STORE(32, rec + SWITCH_VALUES_AT + 24, sizes[0]);
	AUX_STORE(32, rec + SWITCH_VALUES_AT + 28, sizes[1]);
	AUX_STORE(32, rec + SWITCH_VALUES_AT + 32, sizes[2]);
	record__header(rec, cpu, SWITCH_LEN, PPME_SCHEDSWITCH_6_E, PPME_SCHEDSWITCH_6_E_NPARAMS, (__u32)pid_tgid);
	ring__commit(r, cpu, head, SWITCH_LEN);
	return 0;
}

_Static_assert(PPME_PAGE_FAULT_E_NPARAMS == 3, "page_fault_e stores addr, ip, error");
#define PF_VALUES_AT (KEV_LENS_AT + 3 * SCAP_PARAM_LEN)
#define PF_LEN (PF_VALUES_AT + 8 + 8 + 4)

/* x86 page fault error code bits (arch/x86/include/asm/trap_pf.h) -> pf_flags. */
static __always_inline __u32 pf_flags_to_scap(unsigned long code)
{
	__u32 f = code & 0x1 ? PPM_PF_FLAGS_PROTECTION_VIOLATION : PPM_PF_FLAGS_PAGE_NOT_PRESENT;
	f |= code & 0x2 ? PPM_PF_FLAGS_WRITE_ACCESS : PPM_PF_FLAGS_READ_ACCESS;
	f |= code & 0x4 ? PPM_PF_FLAGS_USER_FAULT : PPM_PF_FLAGS_SUPERVISOR_FAULT;
	if (code & 0x8)
		f |= PPM_PF_FLAGS_RESERVED_PAGE;
	if (code & 0x10)
		f |= PPM_PF_FLAGS_INSTRUCTION_FETCH;
	return f;
}

static __always_inline void emit_page_fault(unsigned long address, struct pt_regs *regs, unsigned long error_code)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	if (!trace_allowed_pid(pid_tgid))
		return;
	__u64 ip = BPF_CORE_READ(regs, ip);
	__u32 cpu = bpf_get_smp_processor_id();
	__u64 head;
	struct scap_ring *r = ring__take(cpu, PF_LEN, &head);
	if (!r)
		return;
	__u8 *rec = ring__at(r, head);
	AUX_STORE(32, rec + KEV_LENS_AT, 8 | 8u << 16);
	AUX_STORE(16, rec + KEV_LENS_AT + 4, 4);
	AUX_STORE(64, rec + PF_VALUES_AT, address);
	AUX_STORE(64, rec + PF_VALUES_AT + 8, ip);
	AUX_STORE(32, rec + PF_VALUES_AT + 16, pf_flags_to_scap(error_code));
	record__header(rec, cpu, PF_LEN, PPME_PAGE_FAULT_E, PPME_PAGE_FAULT_E_NPARAMS, (__u32)pid_tgid);
	ring__commit(r, cpu, head, PF_LEN);
}

SEC("tp_btf/page_fault_user")
int BPF_PROG(page_fault_user_e, unsigned long address, struct pt_regs *regs, unsigned long error_code)
{
	emit_page_fault(address, regs, error_code);
	return 0;
}

SEC("tp_btf/page_fault_kernel")
int BPF_PROG(page_fault_kernel_e, unsigned long address, struct pt_regs *regs, unsigned long error_code)
{
	emit_page_fault(address, regs, error_code);
	return 0;
}

_Static_assert(PPME_SIGNALDELIVER_E_NPARAMS == 3, "signal_deliver_e stores spid, dpid, sig");
#define SIGNAL_VALUES_AT (KEV_LENS_AT + 3 * SCAP_PARAM_LEN)
#define SIGNAL_LEN (SIGNAL_VALUES_AT + 8 + 8 + 1)

/* Linux signal numbers and si_code values (include/uapi/asm-generic/signal.h, siginfo.h). */
#define N_SIGHUP 1
#define N_SIGINT 2
#define N_SIGQUIT 3
#define N_SIGKILL 9
#define N_SIGTERM 15
#define N_SIGCHLD 17
#define N_SIGTSTP 20
#define N_SIGRTMIN 32
#define N_SIGRTMAX 64
#define N_SI_USER 0
#define N_SI_QUEUE (-1)

/*
 * The sender of a signal, where siginfo names one the way the kernel
 * module reads it: a kill's sender, a stop/termination signal's when sent
 * by a process (si_code SI_USER, SI_QUEUE or another user-side code), the
 * child of a SIGCHLD, a real-time signal's; 0 otherwise.
 */
static __always_inline __s32 signal_source_pid(int sig, struct kernel_siginfo *info)
{
	if (!info)
		return 0;
	if (sig >= N_SIGRTMIN && sig <= N_SIGRTMAX)
		return BPF_CORE_READ(info, _sifields._rt._pid);
	switch (sig) {
	case N_SIGKILL:
		return BPF_CORE_READ(info, _sifields._kill._pid);
	case N_SIGTERM:
	case N_SIGHUP:
	case N_SIGINT:
	case N_SIGTSTP:
	case N_SIGQUIT: {
		int code = BPF_CORE_READ(info, si_code);
		return code == N_SI_USER || code == N_SI_QUEUE || code <= 0 ? BPF_CORE_READ(info, _sifields._kill._pid) : 0;
	}
	case N_SIGCHLD:
		return BPF_CORE_READ(info, _sifields._sigchld._pid);
	default:
		return 0;
	}
}

/* A signal the current thread is about to handle (its handler, or the default action). */
SEC("tp_btf/signal_deliver")
int BPF_PROG(signal_deliver_e, int sig, struct kernel_siginfo *info, struct k_sigaction *ka)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	if (!trace_allowed_pid(pid_tgid))
		return 0;
	__s64 spid = signal_source_pid(sig, info);
	__u32 cpu = bpf_get_smp_processor_id();
	__u64 head;
	struct scap_ring *r = ring__take(cpu, SIGNAL_LEN, &head);
	if (!r)
		return 0;
	__u8 *rec = ring__at(r, head);
	AUX_STORE(32, rec + KEV_LENS_AT, 8 | 8u << 16);
	AUX_STORE(16, rec + KEV_LENS_AT + 4, 1);
	AUX_STORE(64, rec + SIGNAL_VALUES_AT, spid);
	AUX_STORE(64, rec + SIGNAL_VALUES_AT + 8, (__u32)pid_tgid);
	AUX_STORE(8, rec + SIGNAL_VALUES_AT + 16, sig);
	record__header(rec, cpu, SIGNAL_LEN, PPME_SIGNALDELIVER_E, PPME_SIGNALDELIVER_E_NPARAMS, (__u32)pid_tgid);
	ring__commit(r, cpu, head, SIGNAL_LEN);
	return 0;
}

#endif
