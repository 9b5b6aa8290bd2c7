/* SPDX-License-Identifier: GPL-2.0 OR Apache-2.0 */
/*
 * Exit events of socket syscalls. Socket parameter layouts (PT_SOCKADDR,
 * PT_SOCKTUPLE) are facts of the format: a PPM_AF_* family byte, then
 * addresses in network order and ports in host order; unix tuples carry
 * the kernel addresses of both ends and the path.
 */
#ifndef SCAPKIT_DRIVER_PROGRAMS_NET_BPF_H
#define SCAPKIT_DRIVER_PROGRAMS_NET_BPF_H

#include <bpf/bpf_endian.h>
#include "../helpers/store.bpf.h"
#include "../helpers/extract.bpf.h"

#define N_AF_UNIX 1
#define N_AF_INET 2
#define N_AF_INET6 10
#define PPM_AF_UNIX 1
#define PPM_AF_INET 2
#define PPM_AF_INET6 10
#define UNIX_PATH_LEN 108

/*
 * Stores a user sockaddr as PT_SOCKADDR; returns its family (0 when none).
 * Offsets: sockaddr_in {family, port, addr}, sockaddr_in6 {family, port,
 * flowinfo, addr}, sockaddr_un {family, path}.
 */
static __always_inline __u16 store_user_sockaddr(struct scap_aux *a, void *uaddr, __u32 ulen)
{
	__u16 family = 0;
	if (!uaddr || ulen < 2 || bpf_probe_read_user(&family, sizeof(family), uaddr) != 0) {
		aux__empty(a);
		return 0;
	}
	switch (family) {
	case N_AF_INET: {
		__u16 port = 0;
		bpf_probe_read_user(&port, sizeof(port), uaddr + 2);
		aux__put_u8(a, 0, PPM_AF_INET);
		aux__put_user(a, 1, uaddr + 4, 4);
		aux__put_u16(a, 5, bpf_ntohs(port));
		aux__end_param(a, 7);
		break;
	}
	case N_AF_INET6: {
		__u16 port = 0;
		bpf_probe_read_user(&port, sizeof(port), uaddr + 2);
		aux__put_u8(a, 0, PPM_AF_INET6);
		aux__put_user(a, 1, uaddr + 8, 16);
		aux__put_u16(a, 17, bpf_ntohs(port));
		aux__end_param(a, 19);
		break;
	}
	case N_AF_UNIX: {
		aux__put_u8(a, 0, PPM_AF_UNIX);
		long n = bpf_probe_read_user_str(&a->data[AUX_OFF(a->payload_pos + 1)], UNIX_PATH_LEN, uaddr + 2);
		if (n <= 0) {
			aux__put_u8(a, 1, 0);
			n = 1;
		}
		aux__end_param(a, 1 + n);
		break;
	}
	default:
		aux__put_u8(a, 0, family & 0xff);
		aux__end_param(a, 1);
	}
	return family;
}

static __always_inline struct sock *fd_sock(long fd)
{
	struct file *f = fd_file(fd);
	if (!f)
		return NULL;
	struct socket *sock = BPF_CORE_READ(f, private_data);
	return sock ? BPF_CORE_READ(sock, sk) : NULL;
}

/*
 * The path part of a unix tuple, written at offset `at` of the current
 * parameter; returns its length (NUL included, at least 1: an unreadable
 * or unnamed address is stored as ""). From the caller's sockaddr_un
 * `uaddr` when given (a datagram sent to an address), else the address
 * `owner` is bound to. An abstract name (sun_path[0] == 0) is stored
 * without its leading NUL, as libs does. Here and not in store.bpf.h:
 * only socket tuples need it.
 */
static __always_inline __u32 put_unix_path(struct scap_aux *a, __u32 at, struct sock *owner, void *uaddr)
{
	char *dst = (char *)&a->data[AUX_OFF(a->payload_pos + at)];
	long n = -1;
	if (uaddr) {
		n = bpf_probe_read_user_str(dst, UNIX_PATH_LEN, uaddr + 2);
		if (n == 1) /* empty: abstract, or no name */
			n = bpf_probe_read_user_str(dst, UNIX_PATH_LEN - 1, uaddr + 3);
	} else if (owner) {
		struct unix_address *addr = BPF_CORE_READ((struct unix_sock *)owner, addr);
		if (addr) {
			const char *path = addr->name[0].sun_path;
			n = bpf_probe_read_kernel_str(dst, UNIX_PATH_LEN, path);
			if (n == 1)
				n = bpf_probe_read_kernel_str(dst, UNIX_PATH_LEN - 1, path + 1);
		}
	}
	if (n <= 0) {
		*dst = 0;
		n = 1;
	}
	return n;
}

/*
 * Stores the tuple of a connecting socket: the local end from the socket,
 * the remote end from the address the caller passed (the socket's peer
 * fields are cleared again when a connect fails).
 */
static __always_inline void store_connect_tuple(struct scap_aux *a, struct sock *sk, void *uaddr, __u16 family)
{
	if (!sk) {
		aux__empty(a);
		return;
	}
	__u16 lport = BPF_CORE_READ(sk, __sk_common.skc_num);
	__u16 rport = 0;
	switch (family) {
	case N_AF_INET: {
		bpf_probe_read_user(&rport, sizeof(rport), uaddr + 2);
		aux__put_u8(a, 0, PPM_AF_INET);
		aux__put_u32(a, 1, BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr));
		aux__put_u16(a, 5, lport);
		aux__put_user(a, 7, uaddr + 4, 4);
		aux__put_u16(a, 11, bpf_ntohs(rport));
		aux__end_param(a, 13);
		break;
	}
	case N_AF_INET6: {
		struct in6_addr local = BPF_CORE_READ(sk, __sk_common.skc_v6_rcv_saddr);
		bpf_probe_read_user(&rport, sizeof(rport), uaddr + 2);
		aux__put_u8(a, 0, PPM_AF_INET6);
		bpf_probe_read_kernel(&a->data[AUX_OFF(a->payload_pos + 1)], 16, &local);
		aux__put_u16(a, 17, lport);
		aux__put_user(a, 19, uaddr + 8, 16);
		aux__put_u16(a, 35, bpf_ntohs(rport));
		aux__end_param(a, 37);
		break;
	}
	case N_AF_UNIX: {
		/* Outbound, as libs orders it: the peer, then this socket. */
		struct sock *peer = BPF_CORE_READ((struct unix_sock *)sk, peer);
		aux__put_u8(a, 0, PPM_AF_UNIX);
		aux__put_u64(a, 1, (__u64)peer);
		aux__put_u64(a, 9, (__u64)sk);
		aux__end_param(a, 17 + put_unix_path(a, 17, peer, peer ? NULL : uaddr));
		break;
	}
	default:
		aux__empty(a);
	}
}

SEC("tp_btf/sys_exit")
int BPF_PROG(connect_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	long fd = (int)syscall_arg(regs, 0);
	void *uaddr = (void *)syscall_arg(regs, 1);
	__u32 ulen = syscall_arg(regs, 2);
	__u16 family = 0;
	bpf_probe_read_user(&family, sizeof(family), uaddr);
	aux__begin(a, PPME_SOCKET_CONNECT_X, PPME_SOCKET_CONNECT_X_NPARAMS);
	aux__s64(a, ret);
	store_connect_tuple(a, fd_sock(fd), uaddr, family);
	aux__s64(a, fd);
	store_user_sockaddr(a, uaddr, ulen);
	aux__submit(a, current_tid());
	return 0;
}

/*
 * socket: the PPM_AF_* values equal Linux's AF_* for every family in the
 * socket_families table, so the domain is stored as passed; SOCK_NONBLOCK
 * and SOCK_CLOEXEC ride in `type` with the values of O_NONBLOCK/O_CLOEXEC.
 */
SEC("tp_btf/sys_exit")
int BPF_PROG(socket_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	__u32 type = syscall_arg(regs, 1);
	aux__begin(a, PPME_SOCKET_SOCKET_X, PPME_SOCKET_SOCKET_X_NPARAMS);
	aux__s64(a, ret);
	aux__u32(a, (__u32)syscall_arg(regs, 0));
	aux__u32(a, type);
	aux__u32(a, (__u32)syscall_arg(regs, 2));
	aux__u32(a, fd_flags_to_scap(type));
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(bind_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SOCKET_BIND_X, PPME_SOCKET_BIND_X_NPARAMS);
	aux__s64(a, ret);
	store_user_sockaddr(a, (void *)syscall_arg(regs, 1), (__u32)syscall_arg(regs, 2));
	aux__s64(a, (int)syscall_arg(regs, 0));
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(listen_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SOCKET_LISTEN_X, PPME_SOCKET_LISTEN_X_NPARAMS);
	aux__s64(a, ret);
	aux__s64(a, (int)syscall_arg(regs, 0));
	aux__u32(a, (int)syscall_arg(regs, 1));
	aux__submit(a, current_tid());
	return 0;
}

/*
 * The tuple of a socket from its kernel fields. `inbound` (an accepted
 * connection, a receive) puts the remote end first, as libsinsp expects;
 * outbound puts the local end first. Ports are stored in host order. An
 * unconnected socket (UDP) has no remote end in the kernel: then the
 * caller's address `uaddr` (sendto's destination, recvfrom's source) is
 * used when there is one. Unix tuples follow libs' modern_bpf: outbound
 * is (peer, local, the peer's path, or the destination's for an
 * unconnected datagram socket), inbound is (local, peer, the local path);
 * only unix sockets pay for the peer and path reads.
 */
static __always_inline void store_sock_tuple(struct scap_aux *a, struct sock *sk, bool inbound, void *uaddr)
{
	if (!sk) {
		aux__empty(a);
		return;
	}
	__u16 family = BPF_CORE_READ(sk, __sk_common.skc_family);
	__u16 lport = BPF_CORE_READ(sk, __sk_common.skc_num);
	__u16 rport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	switch (family) {
	case N_AF_INET: {
		__u32 laddr = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
		__u32 raddr = BPF_CORE_READ(sk, __sk_common.skc_daddr);
		if (rport == 0 && uaddr) {
			bpf_probe_read_user(&rport, sizeof(rport), uaddr + 2);
			rport = bpf_ntohs(rport);
			bpf_probe_read_user(&raddr, sizeof(raddr), uaddr + 4);
		}
		aux__put_u8(a, 0, PPM_AF_INET);
		aux__put_u32(a, 1, inbound ? raddr : laddr);
		aux__put_u16(a, 5, inbound ? rport : lport);
		aux__put_u32(a, 7, inbound ? laddr : raddr);
		aux__put_u16(a, 11, inbound ? lport : rport);
		aux__end_param(a, 13);
		break;
	}
	case N_AF_INET6: {
		struct in6_addr laddr = BPF_CORE_READ(sk, __sk_common.skc_v6_rcv_saddr);
		struct in6_addr raddr = BPF_CORE_READ(sk, __sk_common.skc_v6_daddr);
		if (rport == 0 && uaddr) {
			bpf_probe_read_user(&rport, sizeof(rport), uaddr + 2);
			rport = bpf_ntohs(rport);
			bpf_probe_read_user(&raddr, sizeof(raddr), uaddr + 8);
		}
		aux__put_u8(a, 0, PPM_AF_INET6);
		bpf_probe_read_kernel(&a->data[AUX_OFF(a->payload_pos + 1)], 16, inbound ? &raddr : &laddr);
		aux__put_u16(a, 17, inbound ? rport : lport);
		bpf_probe_read_kernel(&a->data[AUX_OFF(a->payload_pos + 19)], 16, inbound ? &laddr : &raddr);
		aux__put_u16(a, 35, inbound ? lport : rport);
		aux__end_param(a, 37);
		break;
	}
	case N_AF_UNIX: {
		struct sock *peer = BPF_CORE_READ((struct unix_sock *)sk, peer);
		aux__put_u8(a, 0, PPM_AF_UNIX);
		if (inbound) {
			aux__put_u64(a, 1, (__u64)sk);
			aux__put_u64(a, 9, (__u64)peer);
			aux__end_param(a, 17 + put_unix_path(a, 17, sk, NULL));
		} else {
			aux__put_u64(a, 1, (__u64)peer);
			aux__put_u64(a, 9, (__u64)sk);
			aux__end_param(a, 17 + put_unix_path(a, 17, peer, peer ? NULL : uaddr));
		}
		break;
	}
	default:
		aux__empty(a);
	}
}

/* accept and accept4: the new connection's tuple and the listening socket's queue. */
static __always_inline void store_accept(struct scap_aux *a, struct pt_regs *regs, long ret)
{
	__u32 queuelen = 0, queuemax = 0;
	__u8 queuepct = 0;
	aux__s64(a, ret);
	if (ret >= 0) {
		store_sock_tuple(a, fd_sock(ret), true, NULL);
		struct sock *listener = fd_sock((int)syscall_arg(regs, 0));
		if (listener) {
			queuelen = BPF_CORE_READ(listener, sk_ack_backlog);
			queuemax = BPF_CORE_READ(listener, sk_max_ack_backlog);
			if (queuelen && queuemax)
				queuepct = (__u8)((__u64)queuelen * 100 / queuemax);
		}
	} else {
		aux__empty(a);
	}
	aux__u8(a, queuepct);
	aux__u32(a, queuelen);
	aux__u32(a, queuemax);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(accept_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SOCKET_ACCEPT_5_X, PPME_SOCKET_ACCEPT_5_X_NPARAMS);
	store_accept(a, regs, ret);
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(accept4_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	__u32 flags = syscall_arg(regs, 3);
	aux__begin(a, PPME_SOCKET_ACCEPT4_6_X, PPME_SOCKET_ACCEPT4_6_X_NPARAMS);
	store_accept(a, regs, ret);
	aux__u32(a, fd_flags_to_scap(flags));
	aux__submit(a, current_tid());
	return 0;
}

/* shutdown: `how` (SHUT_RD 0, SHUT_WR 1, SHUT_RDWR 2) has the same values in shutdown_how. */
SEC("tp_btf/sys_exit")
int BPF_PROG(shutdown_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SOCKET_SHUTDOWN_X, PPME_SOCKET_SHUTDOWN_X_NPARAMS);
	aux__s64(a, ret);
	aux__s64(a, (int)syscall_arg(regs, 0));
	aux__u8(a, (__u8)syscall_arg(regs, 1));
	aux__submit(a, current_tid());
	return 0;
}

/*
 * sendto and recvfrom: data up to snaplen (sendto: of what was sent, or of
 * the buffer when the call failed; recvfrom: of what was received), and the
 * socket's tuple when the call succeeded.
 */
SEC("tp_btf/sys_exit")
int BPF_PROG(sendto_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	long fd = (int)syscall_arg(regs, 0);
	__u32 size = syscall_arg(regs, 2);
	__u32 n = ret > 0 ? (__u32)ret : size;
	if (n > snaplen)
		n = snaplen;
	aux__begin(a, PPME_SOCKET_SENDTO_X, PPME_SOCKET_SENDTO_X_NPARAMS);
	aux__s64(a, ret);
	aux__io_bytes(a, (void *)syscall_arg(regs, 1), n);
	aux__s64(a, fd);
	aux__u32(a, size);
	if (ret >= 0)
		store_sock_tuple(a, fd_sock(fd), false, (void *)syscall_arg(regs, 4));
	else
		aux__empty(a);
	aux__submit(a, current_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(recvfrom_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	long fd = (int)syscall_arg(regs, 0);
	aux__begin(a, PPME_SOCKET_RECVFROM_X, PPME_SOCKET_RECVFROM_X_NPARAMS);
	aux__s64(a, ret);
	if (ret >= 0) {
		__u32 n = (__u32)ret;
		if (n > snaplen)
			n = snaplen;
		aux__io_bytes(a, (void *)syscall_arg(regs, 1), n);
		store_sock_tuple(a, fd_sock(fd), true, (void *)syscall_arg(regs, 4));
	} else {
		aux__empty(a);
		aux__empty(a);
	}
	aux__s64(a, fd);
	aux__u32(a, (__u32)syscall_arg(regs, 2));
	aux__submit(a, current_tid());
	return 0;
}

/* This family's entries of the exit_handlers table (scap.bpf.c). */
#define NET_EXIT_HANDLERS \
	[SCAP_NR_CONNECT] = (void *)&connect_x, \
	[SCAP_NR_SOCKET] = (void *)&socket_x, \
	[SCAP_NR_BIND] = (void *)&bind_x, \
	[SCAP_NR_LISTEN] = (void *)&listen_x, \
	[SCAP_NR_ACCEPT] = (void *)&accept_x, \
	[SCAP_NR_ACCEPT4] = (void *)&accept4_x, \
	[SCAP_NR_SHUTDOWN] = (void *)&shutdown_x, \
	[SCAP_NR_SENDTO] = (void *)&sendto_x, \
	[SCAP_NR_RECVFROM] = (void *)&recvfrom_x,

#endif
