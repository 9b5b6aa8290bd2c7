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
#include "../helpers/iovec.bpf.h"

#define N_AF_UNIX 1
#define N_AF_INET 2
#define N_AF_INET6 10
#define PPM_AF_UNIX 1
#define PPM_AF_INET 2
#define PPM_AF_INET6 10
/* Bytes of sun_path; a name may fill all of them, with no NUL after it. */
#define UNIX_PATH_LEN 108
#define SCAP_EINPROGRESS 115

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
	/* Only the ulen bytes the caller passed are read; fields beyond them are stored as zeros. */
	__u16 port = 0;
	if (ulen >= 4)
		bpf_probe_read_user(&port, sizeof(port), uaddr + 2);
	switch (family) {
	case N_AF_INET: {
		aux__put_u8(a, 0, PPM_AF_INET);
		aux__put_u32(a, 1, 0);
		if (ulen >= 8)
			aux__put_user(a, 1, uaddr + 4, 4);
		aux__put_u16(a, 5, bpf_ntohs(port));
		aux__end_param(a, 7);
		break;
	}
	case N_AF_INET6: {
		aux__put_u8(a, 0, PPM_AF_INET6);
		aux__put_u64(a, 1, 0);
		aux__put_u64(a, 9, 0);
		if (ulen >= 24)
			aux__put_user(a, 1, uaddr + 8, 16);
		aux__put_u16(a, 17, bpf_ntohs(port));
		aux__end_param(a, 19);
		break;
	}
	case N_AF_UNIX: {
		/*
		 * At most the ulen - 2 bytes of sun_path the caller passed (libs
		 * copies ulen bytes into zeroed memory); an abstract name
		 * (sun_path[0] == 0) without its leading NUL, as libs stores it.
		 */
		__u32 max = ulen - 2 + 1;
		if (max > UNIX_PATH_LEN + 1)
			max = UNIX_PATH_LEN + 1;
		barrier_var(max);
		max &= 127;
		aux__put_u8(a, 0, PPM_AF_UNIX);
		long n = bpf_probe_read_user_str(&a->data[AUX_OFF(a->payload_pos + 1)], max, uaddr + 2);
		if (n == 1 && max > 1)
			n = bpf_probe_read_user_str(&a->data[AUX_OFF(a->payload_pos + 1)], max - 1, uaddr + 3);
		if (n <= 0) {
			aux__put_u8(a, 1, 0);
			n = 1;
		}
		aux__end_param(a, 1 + n);
		break;
	}
	default:
		/* Netlink, packet, ...: no layout in the format; libs stores nothing either. */
		aux__empty(a);
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
		n = bpf_probe_read_user_str(dst, UNIX_PATH_LEN + 1, uaddr + 2);
		if (n == 1) /* empty: abstract, or no name */
			n = bpf_probe_read_user_str(dst, UNIX_PATH_LEN, uaddr + 3);
	} else if (owner) {
		struct unix_address *addr = BPF_CORE_READ((struct unix_sock *)owner, addr);
		if (addr) {
			/*
			 * addr->len counts sun_family and the name (a path's NUL
			 * included): an abstract name has no NUL, so the read stops
			 * there instead of running into the bytes after it (libs
			 * does run on).
			 */
			int raw = BPF_CORE_READ(addr, len);
			__u32 len = raw > 2 ? raw - 2 : 0;
			if (len > UNIX_PATH_LEN)
				len = UNIX_PATH_LEN;
			barrier_var(len);
			len &= 127;
			if (len > 0) {
				/* The string helpers keep size - 1 bytes: len + 1 keeps all len of a name without NUL. */
				const char *path = addr->name[0].sun_path;
				n = bpf_probe_read_kernel_str(dst, len + 1, path);
				if (n == 1)
					n = bpf_probe_read_kernel_str(dst, len, path + 1);
			}
		}
	}
	if (n <= 0) {
		*dst = 0;
		n = 1;
	}
	return n;
}

/*
 * Stores the tuple of a connected socket, as libs does: the family and
 * both ends from the socket, the remote end from the caller's address only
 * when the socket has no remote port (libs' fallback for datagrams).
 * After an AF_UNSPEC connect (a disconnect) both ends read as zeros.
 */
static __always_inline void store_connect_tuple(struct scap_aux *a, struct sock *sk, void *uaddr)
{
	if (!sk) {
		aux__empty(a);
		return;
	}
	__u16 family = BPF_CORE_READ(sk, __sk_common.skc_family);
	__u16 lport = BPF_CORE_READ(sk, __sk_common.skc_num);
	__u16 rport = BPF_CORE_READ(sk, __sk_common.skc_dport);
	switch (family) {
	case N_AF_INET: {
		aux__put_u8(a, 0, PPM_AF_INET);
		aux__put_u32(a, 1, BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr));
		aux__put_u16(a, 5, lport);
		if (rport == 0 && uaddr) {
			bpf_probe_read_user(&rport, sizeof(rport), uaddr + 2);
			aux__put_user(a, 7, uaddr + 4, 4);
		} else {
			aux__put_u32(a, 7, BPF_CORE_READ(sk, __sk_common.skc_daddr));
		}
		aux__put_u16(a, 11, bpf_ntohs(rport));
		aux__end_param(a, 13);
		break;
	}
	case N_AF_INET6: {
		struct in6_addr local = BPF_CORE_READ(sk, __sk_common.skc_v6_rcv_saddr);
		aux__put_u8(a, 0, PPM_AF_INET6);
		bpf_probe_read_kernel(&a->data[AUX_OFF(a->payload_pos + 1)], 16, &local);
		aux__put_u16(a, 17, lport);
		if (rport == 0 && uaddr) {
			bpf_probe_read_user(&rport, sizeof(rport), uaddr + 2);
			aux__put_user(a, 19, uaddr + 8, 16);
		} else {
			struct in6_addr remote = BPF_CORE_READ(sk, __sk_common.skc_v6_daddr);
			bpf_probe_read_kernel(&a->data[AUX_OFF(a->payload_pos + 19)], 16, &remote);
		}
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
	aux__begin(a, PPME_SOCKET_CONNECT_X, PPME_SOCKET_CONNECT_X_NPARAMS);
	aux__s64(a, ret);
	/* A failed connect leaves no connection to describe (libs: only 0 or EINPROGRESS). */
	if (ret == 0 || ret == -SCAP_EINPROGRESS)
		store_connect_tuple(a, fd_sock(fd), uaddr);
	else
		aux__empty(a);
	aux__s64(a, fd);
	store_user_sockaddr(a, uaddr, ulen);
	aux__submit(a, current_tid());
	return 0;
}

/*
 * PPM_AF_* of a socket domain, as libs' modern_bpf converts it: the
 * socket_families table numbers families 0..39 as Linux does, and libs
 * keeps every one of them but AF_DECnet (12: the name it tests is not
 * defined there) and 27/28 (AF_IB, AF_MPLS: not in the table); those and
 * every later family (AF_VSOCK, AF_XDP, ...) become AF_UNSPEC. Only the
 * low byte of the argument counts.
 */
_Static_assert(PPM_SOCKET_FAMILIES_AF_LLC == 26 && PPM_SOCKET_FAMILIES_AF_CAN == 29 &&
		       PPM_SOCKET_FAMILIES_AF_PACKET == 17 && PPM_SOCKET_FAMILIES_AF_NFC == 39,
	       "socket_families numbers families as Linux does");
static __always_inline __u32 socket_family_to_scap(__u8 family)
{
	if (family > 39 || family == 12 || family == 27 || family == 28)
		return PPM_SOCKET_FAMILIES_AF_UNSPEC;
	return family;
}

/*
 * socket: the domain as libs converts it (socket_family_to_scap);
 * SOCK_NONBLOCK and SOCK_CLOEXEC ride in `type` with the values of
 * O_NONBLOCK/O_CLOEXEC.
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
	aux__u32(a, socket_family_to_scap((__u8)syscall_arg(regs, 0)));
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

/* socketpair: both new fds, the first one's socket and its peer (kernel addresses). */
SEC("tp_btf/sys_exit")
int BPF_PROG(socketpair_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	__s32 fds[2] = {-1, -1};
	__u64 source = 0, peer = 0;
	if (ret == 0) {
		bpf_probe_read_user(fds, sizeof(fds), (void *)syscall_arg(regs, 3));
		struct sock *sk = fd_sock(fds[0]);
		if (sk) {
			source = (__u64)sk;
			peer = (__u64)BPF_CORE_READ((struct unix_sock *)sk, peer);
		}
	}
	aux__begin(a, PPME_SOCKET_SOCKETPAIR_X, PPME_SOCKET_SOCKETPAIR_X_NPARAMS);
	aux__s64(a, ret);
	aux__s64(a, fds[0]);
	aux__s64(a, fds[1]);
	aux__u64(a, source);
	aux__u64(a, peer);
	aux__u32(a, socket_family_to_scap((__u8)syscall_arg(regs, 0)));
	aux__u32(a, (__u32)syscall_arg(regs, 1));
	aux__u32(a, (__u32)syscall_arg(regs, 2));
	aux__submit(a, current_tid());
	return 0;
}

/* Native socket option levels and the SO_* options with special encodings (asm-generic/socket.h). */
#define N_SOL_SOCKET 1
#define N_SOL_TCP 6
#define N_SO_ERROR 4
#define N_SO_RCVTIMEO_OLD 20
#define N_SO_SNDTIMEO_OLD 21
#define N_SO_MEMINFO 55
#define N_SO_COOKIE 57
#define N_SO_PEERGROUPS 59
#define N_SO_RCVTIMEO_NEW 66
#define N_SO_SNDTIMEO_NEW 67

/*
 * The first byte of a sockopt value (PT_DYN): how the rest is encoded.
 * These are libs' PPM_SOCKOPT_IDX_* (ppm_events_public.h), not a flags
 * table, so gen/events.h does not have them.
 */
#define SOCKOPT_IDX_UNKNOWN 0 /* the raw bytes, optlen of them */
#define SOCKOPT_IDX_ERRNO 1   /* s64, the negated error */
#define SOCKOPT_IDX_UINT32 2
#define SOCKOPT_IDX_UINT64 3
#define SOCKOPT_IDX_TIMEVAL 4 /* u64 ns */

static __always_inline __u8 sockopt_level_to_scap(int level)
{
	if (level == N_SOL_SOCKET)
		return PPM_SOCKOPT_LEVELS_SOL_SOCKET;
	if (level == N_SOL_TCP)
		return PPM_SOCKOPT_LEVELS_SOL_TCP;
	return PPM_SOCKOPT_LEVELS_UNKNOWN;
}

/*
 * sockopt_options code of a SOL_SOCKET option (UNKNOWN at any other
 * level). On x86_64 Linux numbers options 1..50 exactly as the table
 * does (SO_RCVTIMEO/SO_SNDTIMEO are the _OLD numbers, 20 and 21; SO_TIMESTAMP,
 * SO_TIMESTAMPNS and SO_TIMESTAMPING their _OLD ones, 29, 35, 37), so only
 * the later ones need a case.
 */
_Static_assert(PPM_SOCKOPT_OPTIONS_SO_DEBUG == 1 && PPM_SOCKOPT_OPTIONS_SO_RCVTIMEO == N_SO_RCVTIMEO_OLD &&
		       PPM_SOCKOPT_OPTIONS_SO_TIMESTAMP == 29 && PPM_SOCKOPT_OPTIONS_SO_SNDBUFFORCE == 32 &&
		       PPM_SOCKOPT_OPTIONS_SO_INCOMING_CPU == 49 && PPM_SOCKOPT_OPTIONS_SO_ATTACH_BPF == 50,
	       "sockopt_options numbers options 1..50 as Linux does");
static __always_inline __u8 sockopt_optname_to_scap(int level, int optname)
{
	if (level != N_SOL_SOCKET)
		return PPM_SOCKOPT_OPTIONS_UNKNOWN;
	if (optname >= 1 && optname <= 50)
		return optname;
	switch (optname) {
	case N_SO_MEMINFO: return PPM_SOCKOPT_OPTIONS_SO_MEMINFO;
	case N_SO_COOKIE: return PPM_SOCKOPT_OPTIONS_SO_COOKIE;
	case N_SO_PEERGROUPS: return PPM_SOCKOPT_OPTIONS_SO_PEERGROUPS;
	case N_SO_RCVTIMEO_NEW: return PPM_SOCKOPT_OPTIONS_SO_RCVTIMEO;
	case N_SO_SNDTIMEO_NEW: return PPM_SOCKOPT_OPTIONS_SO_SNDTIMEO;
	default: return PPM_SOCKOPT_OPTIONS_UNKNOWN;
	}
}

/*
 * How libs encodes the value of a SOL_SOCKET option: SO_ERROR as an errno,
 * the timeouts as a timeval, SO_COOKIE as a u64, the int-valued options
 * as a u32 (libs counts SO_BINDTODEVICE, a name, among them), the rest
 * (SO_LINGER, SO_PEERCRED, filters, ...) as raw bytes.
 */
static __always_inline __u8 sockopt_value_kind(int level, int optname)
{
	if (level != N_SOL_SOCKET)
		return SOCKOPT_IDX_UNKNOWN;
	switch (optname) {
	case N_SO_ERROR:
		return SOCKOPT_IDX_ERRNO;
	case N_SO_RCVTIMEO_OLD:
	case N_SO_SNDTIMEO_OLD:
	case N_SO_RCVTIMEO_NEW:
	case N_SO_SNDTIMEO_NEW:
		return SOCKOPT_IDX_TIMEVAL;
	case N_SO_COOKIE:
		return SOCKOPT_IDX_UINT64;
	case 13: /* SO_LINGER */
	case 17: /* SO_PEERCRED */
	case 26: /* SO_ATTACH_FILTER */
	case 28: /* SO_PEERNAME */
	case 50: /* SO_ATTACH_BPF */
		return SOCKOPT_IDX_UNKNOWN;
	default:
		return optname >= 1 && optname <= 49 ? SOCKOPT_IDX_UINT32 : SOCKOPT_IDX_UNKNOWN;
	}
}

/* The val parameter of getsockopt/setsockopt (PT_DYN): the kind byte, then the value read from optval. */
static __always_inline void store_sockopt_val(struct scap_aux *a, int level, int optname, __u16 optlen, void *optval)
{
	__u8 kind = sockopt_value_kind(level, optname);
	aux__put_u8(a, 0, kind);
	switch (kind) {
	case SOCKOPT_IDX_ERRNO: {
		__s32 v = 0;
		bpf_probe_read_user(&v, sizeof(v), optval);
		aux__put_u64(a, 1, (__u64)-(__s64)v);
		aux__end_param(a, 9);
		break;
	}
	case SOCKOPT_IDX_UINT32: {
		__u32 v = 0;
		bpf_probe_read_user(&v, sizeof(v), optval);
		aux__put_u32(a, 1, v);
		aux__end_param(a, 5);
		break;
	}
	case SOCKOPT_IDX_UINT64: {
		__u64 v = 0;
		bpf_probe_read_user(&v, sizeof(v), optval);
		aux__put_u64(a, 1, v);
		aux__end_param(a, 9);
		break;
	}
	case SOCKOPT_IDX_TIMEVAL: {
		/* struct timeval and __kernel_sock_timeval: two 64-bit fields on x86_64. */
		__s64 tv[2] = {0, 0};
		bpf_probe_read_user(tv, sizeof(tv), optval);
		aux__put_u64(a, 1, (__u64)(tv[0] * 1000000000LL + tv[1] * 1000LL));
		aux__end_param(a, 9);
		break;
	}
	default: {
		/* libs copies all of optlen (up to 64 KiB); here at most SCAP_MAX_SNAPLEN. */
		__u32 n = optlen;
		if (n > SCAP_MAX_SNAPLEN)
			n = SCAP_MAX_SNAPLEN;
		barrier_var(n);
		n &= (2 * SCAP_MAX_SNAPLEN - 1);
		if (!optval || n == 0 ||
		    bpf_probe_read_user(&a->data[AUX_OFF(a->payload_pos + 1)], n, optval) != 0)
			n = 0;
		aux__end_param(a, 1 + n);
	}
	}
}

/*
 * getsockopt and setsockopt: fd, level, optname, the value and its length.
 * setsockopt's is the caller's; getsockopt's is what the kernel wrote back
 * (the caller's on failure), its length read from *optlen.
 */
static __always_inline void store_sockopt(struct scap_aux *a, struct pt_regs *regs, long ret, __u32 optlen)
{
	int level = syscall_arg(regs, 1);
	int optname = syscall_arg(regs, 2);
	aux__s64(a, ret);
	aux__s64(a, (int)syscall_arg(regs, 0));
	aux__u8(a, sockopt_level_to_scap(level));
	aux__u8(a, sockopt_optname_to_scap(level, optname));
	store_sockopt_val(a, level, optname, (__u16)optlen, (void *)syscall_arg(regs, 3));
	aux__u32(a, optlen);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(getsockopt_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	__s32 optlen = 0;
	bpf_probe_read_user(&optlen, sizeof(optlen), (void *)syscall_arg(regs, 4));
	aux__begin(a, PPME_SOCKET_GETSOCKOPT_X, PPME_SOCKET_GETSOCKOPT_X_NPARAMS);
	store_sockopt(a, regs, ret, (__u32)optlen);
	aux__submit(a, current_tid());
	return 0;
}

/* setsockopt: libs keeps the low 16 bits of optlen, in the value and in the optlen parameter. */
SEC("tp_btf/sys_exit")
int BPF_PROG(setsockopt_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, PPME_SOCKET_SETSOCKOPT_X, PPME_SOCKET_SETSOCKOPT_X_NPARAMS);
	store_sockopt(a, regs, ret, (__u16)syscall_arg(regs, 4));
	aux__submit(a, current_tid());
	return 0;
}

/* recvmsg's msgcontrol: the ancillary data the kernel wrote (libs: empty above 64 KiB; here also cut to SCAP_MAX_SNAPLEN). */
static __always_inline void aux__msg_control(struct scap_aux *a, void *control, __u64 controllen)
{
	if (control && controllen > 0 && controllen <= 0xffff)
		aux__user_bytes(a, control, controllen);
	else
		aux__empty(a);
}

/*
 * The msghdr of an ia32 call is a struct compat_msghdr (u32 pointers and
 * sizes, include/net/compat.h), its mmsghdr a struct compat_mmsghdr: both
 * are read in that layout and widened into the native one, so the handlers
 * below read one layout (libs' modern_bpf reads the compat layout in its
 * sendmmsg/recvmmsg; its sendmsg/recvmsg read the native one even for ia32).
 */
static __always_inline void msghdr__widen_compat(struct user_msghdr *mh, const struct compat_msghdr *c)
{
	mh->msg_name = (void *)(unsigned long)c->msg_name;
	mh->msg_namelen = c->msg_namelen;
	mh->msg_iov = (struct iovec *)(unsigned long)c->msg_iov;
	mh->msg_iovlen = c->msg_iovlen;
	mh->msg_control = (void *)(unsigned long)c->msg_control;
	mh->msg_controllen = c->msg_controllen;
	mh->msg_flags = c->msg_flags;
}

/*
 * The widened struct reaches the caller's through a copy by the helper, as
 * the native one does through its read: either way the verifier then knows
 * nothing of its fields. Written field by field, the ia32 path's 32-bit
 * values differed in range from the native path's, so the verifier could
 * not merge the two paths and followed every later branch twice (sendmsg
 * took 0.65 s to load instead of 0.04, the whole driver 3.7 s instead of 0.9).
 */

/* The msghdr at `umh` in the native layout: 0, or the helper's error with *mh zeroed. */
static __always_inline long msghdr__read(struct user_msghdr *mh, const void *umh)
{
	if (!in_ia32_syscall())
		return bpf_probe_read_user(mh, sizeof(*mh), umh);
	struct compat_msghdr c;
	struct user_msghdr wide;
	long err = bpf_probe_read_user(&c, sizeof(c), umh);
	msghdr__widen_compat(&wide, &c);
	bpf_probe_read_kernel(mh, sizeof(*mh), &wide);
	return err;
}

/* Message `i` of the mmsghdr array at `umm` in the native layout, zeroed when unreadable. */
static __always_inline void mmsghdr__read(struct mmsghdr *m, __u64 umm, __u32 i)
{
	if (!in_ia32_syscall()) {
		bpf_probe_read_user(m, sizeof(*m), (struct mmsghdr *)umm + i);
		return;
	}
	struct compat_mmsghdr c;
	struct mmsghdr wide;
	bpf_probe_read_user(&c, sizeof(c), (struct compat_mmsghdr *)umm + i);
	msghdr__widen_compat(&wide.msg_hdr, &c.msg_hdr);
	wide.msg_len = c.msg_len;
	bpf_probe_read_kernel(m, sizeof(*m), &wide);
}

/*
 * sendmsg: the data of the iovecs (up to snaplen, and to what was sent when
 * something was), the size asked for, and the tuple when the call
 * succeeded (an unconnected socket's remote end from msg_name). With an
 * unreadable msghdr only res and fd.
 */
SEC("tp_btf/sys_exit")
int BPF_PROG(sendmsg_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	long fd = (int)syscall_arg(regs, 0);
	struct user_msghdr mh;
	aux__begin(a, PPME_SOCKET_SENDMSG_X, PPME_SOCKET_SENDMSG_X_NPARAMS);
	aux__s64(a, ret);
	if (msghdr__read(&mh, (void *)syscall_arg(regs, 1)) != 0) {
		aux__empty(a);
		aux__s64(a, fd);
		aux__empty(a);
		aux__empty(a);
	} else {
		__u32 n = snaplen;
		if (ret > 0 && n > ret)
			n = ret;
		__u32 cnt = iovecs__load(a, mh.msg_iov, mh.msg_iovlen);
		aux__iovec_data(a, cnt, n);
		aux__s64(a, fd);
		aux__u32(a, iovecs__size(a, cnt));
		if (ret >= 0)
			store_sock_tuple(a, fd_sock(fd), false, mh.msg_name);
		else
			aux__empty(a);
	}
	aux__submit(a, current_tid());
	return 0;
}

/*
 * recvmsg: the bytes received, their first snaplen bytes, the tuple (an
 * unconnected socket's remote end from the msg_name the kernel filled) and
 * the ancillary data; on failure size 0 and the rest empty.
 */
SEC("tp_btf/sys_exit")
int BPF_PROG(recvmsg_x, struct pt_regs *regs, long ret)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	long fd = (int)syscall_arg(regs, 0);
	aux__begin(a, PPME_SOCKET_RECVMSG_X, PPME_SOCKET_RECVMSG_X_NPARAMS);
	aux__s64(a, ret);
	if (ret >= 0) {
		struct user_msghdr mh;
		__u32 n = snaplen;
		if (n > ret)
			n = ret;
		aux__u32(a, (__u32)ret);
		if (msghdr__read(&mh, (void *)syscall_arg(regs, 1)) != 0) {
			/* The helper zeroed mh: no name, no control data. */
			aux__empty(a);
		} else {
			aux__iovec_data(a, iovecs__load(a, mh.msg_iov, mh.msg_iovlen), n);
		}
		store_sock_tuple(a, fd_sock(fd), true, mh.msg_name);
		aux__msg_control(a, mh.msg_control, mh.msg_controllen);
	} else {
		aux__u32(a, 0);
		aux__empty(a);
		aux__empty(a);
		aux__empty(a);
	}
	aux__s64(a, fd);
	aux__submit(a, current_tid());
	return 0;
}

/*
 * sendmmsg and recvmmsg: like libs' modern_bpf, one event per message
 * transferred (at most SCAP_MAX_MMSG of them), each with that message's
 * msg_len as res; a call that transferred none is one event with its
 * return value, size 0 and the rest empty.
 */
#define SCAP_MAX_MMSG 16

/*
 * The event of message `i` of a sendmmsg (outbound) or recvmmsg (inbound).
 * A global function, so the verifier checks it once on its own: inlined in
 * the loop over messages, every way the iovec copy can end multiplied the
 * states of the next message (over the 1M-instruction limit).
 */
__noinline int net_mmsg_event(__u64 umm, __u32 i, __s64 fd, __u64 sk, __u32 inbound)
{
	struct scap_aux *a = aux__get();
	if (!a || i >= SCAP_MAX_MMSG)
		return 0;
	struct mmsghdr m;
	/* Zeroed by the helper when unreadable, as libs' field reads leave them. */
	mmsghdr__read(&m, umm, i);
	__u32 n = snaplen;
	__u32 cnt = iovecs__load(a, m.msg_hdr.msg_iov, m.msg_hdr.msg_iovlen);
	if (inbound) {
		if (n > m.msg_len)
			n = m.msg_len;
		aux__begin(a, PPME_SOCKET_RECVMMSG_X, PPME_SOCKET_RECVMMSG_X_NPARAMS);
		aux__s64(a, m.msg_len);
		aux__s64(a, fd);
		aux__u32(a, m.msg_len);
		aux__iovec_data(a, cnt, n);
		store_sock_tuple(a, (struct sock *)sk, true, m.msg_hdr.msg_name);
		/* libs keeps the low 16 bits of msg_controllen here. */
		aux__msg_control(a, m.msg_hdr.msg_control, m.msg_hdr.msg_controllen & 0xffff);
	} else {
		if (m.msg_len > 0 && n > m.msg_len)
			n = m.msg_len;
		aux__begin(a, PPME_SOCKET_SENDMMSG_X, PPME_SOCKET_SENDMMSG_X_NPARAMS);
		aux__s64(a, m.msg_len);
		aux__s64(a, fd);
		aux__u32(a, iovecs__size(a, cnt));
		aux__iovec_data(a, cnt, n);
		store_sock_tuple(a, (struct sock *)sk, false, m.msg_hdr.msg_name);
	}
	aux__submit(a, current_tid());
	return 0;
}

/* Both: the event of a call that transferred no message, or one event per message. */
static __always_inline void mmsg_exit(struct pt_regs *regs, long ret, bool inbound)
{
	long fd = (int)syscall_arg(regs, 0);
	if (ret <= 0) {
		struct scap_aux *a = aux__get();
		if (!a)
			return;
		if (inbound)
			aux__begin(a, PPME_SOCKET_RECVMMSG_X, PPME_SOCKET_RECVMMSG_X_NPARAMS);
		else
			aux__begin(a, PPME_SOCKET_SENDMMSG_X, PPME_SOCKET_SENDMMSG_X_NPARAMS);
		aux__s64(a, ret);
		aux__s64(a, fd);
		aux__u32(a, 0);
		aux__empty(a);
		aux__empty(a);
		if (inbound)
			aux__empty(a);
		aux__submit(a, current_tid());
		return;
	}
	__u64 umm = syscall_arg(regs, 1);
	__u64 sk = (__u64)fd_sock(fd);
#pragma clang loop unroll(disable)
	for (__u32 i = 0; i < SCAP_MAX_MMSG; i++) {
		if (i >= ret)
			break;
		net_mmsg_event(umm, i, fd, sk, inbound);
	}
}

SEC("tp_btf/sys_exit")
int BPF_PROG(sendmmsg_x, struct pt_regs *regs, long ret)
{
	mmsg_exit(regs, ret, false);
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(recvmmsg_x, struct pt_regs *regs, long ret)
{
	mmsg_exit(regs, ret, true);
	return 0;
}

/*
 * getsockname and getpeername: their events have no parameters (libs'
 * event table); the event says the call happened.
 */
static __always_inline int emit_no_params(__u16 type)
{
	struct scap_aux *a = aux__get();
	if (!a)
		return 0;
	aux__begin(a, type, 0);
	aux__submit(a, current_tid());
	return 0;
}

_Static_assert(PPME_SOCKET_GETSOCKNAME_X_NPARAMS == 0 && PPME_SOCKET_GETPEERNAME_X_NPARAMS == 0,
	       "getsockname_x and getpeername_x store nothing");

SEC("tp_btf/sys_exit")
int BPF_PROG(getsockname_x, struct pt_regs *regs, long ret)
{
	return emit_no_params(PPME_SOCKET_GETSOCKNAME_X);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(getpeername_x, struct pt_regs *regs, long ret)
{
	return emit_no_params(PPME_SOCKET_GETPEERNAME_X);
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
	[SCAP_NR_RECVFROM] = (void *)&recvfrom_x, \
	[SCAP_NR_SOCKETPAIR] = (void *)&socketpair_x, \
	[SCAP_NR_GETSOCKOPT] = (void *)&getsockopt_x, \
	[SCAP_NR_SETSOCKOPT] = (void *)&setsockopt_x, \
	[SCAP_NR_SENDMSG] = (void *)&sendmsg_x, \
	[SCAP_NR_RECVMSG] = (void *)&recvmsg_x, \
	[SCAP_NR_SENDMMSG] = (void *)&sendmmsg_x, \
	[SCAP_NR_RECVMMSG] = (void *)&recvmmsg_x, \
	[SCAP_NR_GETSOCKNAME] = (void *)&getsockname_x, \
	[SCAP_NR_GETPEERNAME] = (void *)&getpeername_x,

#endif
