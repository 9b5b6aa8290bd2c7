/*
 * A 32-bit program without libc (test/native/ia32.test.ts): what a 32-bit
 * binary's syscalls look like to the driver once a 64-bit process has
 * exec'd it. Writes "ia32 exec\n" to stdout, makes an ia32 timerfd_create
 * (ia32 322, x86_64's execveat number) and exits with 5 through
 * exit_group. Built with cc -m32 -nostdlib -static (native/capture/Makefile).
 */
	.globl _start
	.text
_start:
	movl $4, %eax		/* write(1, msg, 10) */
	movl $1, %ebx
	movl $msg, %ecx
	movl $10, %edx
	int $0x80
	movl $322, %eax		/* timerfd_create(CLOCK_MONOTONIC, 0) */
	movl $1, %ebx
	xorl %ecx, %ecx
	int $0x80
	movl $252, %eax		/* exit_group(5) */
	movl $5, %ebx
	int $0x80

	.data
msg:	.ascii "ia32 exec\n"
	.section .note.GNU-stack, "", @progbits
