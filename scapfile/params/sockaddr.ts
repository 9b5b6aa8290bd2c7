// Decoders of the two socket parameter layouts, PT_SOCKADDR and PT_SOCKTUPLE.
// The byte layouts are facts of the scap format (driver/ppm_events_public.h,
// the PT_SOCKADDR/PT_SOCKTUPLE comments; offsets as in
// userspace/libsinsp/packed_data.h): a one-byte family (PPM_AF_*) followed by
// family-specific data. Addresses stay in network order, ports are host order
// (little-endian in every capture), unix endpoints are kernel pointers.
//
// Minimum lengths follow libsinsp's validity checks
// (userspace/libsinsp/utils.cpp, sinsp_utils::is_sockaddr_valid /
// is_socktuple_valid): a shorter parameter decodes to `undefined`, and the
// caller reports it as invalid. Nothing here reads past the parameter.

/** Socket families stored in the first byte (`PPM_AF_*`). */
export const SockFamily = { UNSPEC: 0, UNIX: 1, INET: 2, INET6: 10 } as const;

/** A decoded PT_SOCKADDR. Buffers are views into the event, not copies. */
export type SockAddr =
  | { readonly family: 'inet'; readonly ip: Buffer; readonly port: number }
  | { readonly family: 'inet6'; readonly ip: Buffer; readonly port: number }
  /** `path` ends before the first NUL (abstract sockets give an empty path). */
  | { readonly family: 'unix'; readonly path: Buffer }
  | { readonly family: 'other'; readonly code: number };

/** A decoded PT_SOCKTUPLE. */
export type SockTuple =
  | { readonly family: 'inet'; readonly sip: Buffer; readonly sport: number; readonly dip: Buffer; readonly dport: number }
  | { readonly family: 'inet6'; readonly sip: Buffer; readonly sport: number; readonly dip: Buffer; readonly dport: number }
  /** `source`/`dest` are the kernel socket pointers libsinsp prints in hex. */
  | { readonly family: 'unix'; readonly source: bigint; readonly dest: bigint; readonly path: Buffer }
  | { readonly family: 'other'; readonly code: number };

/** Bytes up to (not including) the first NUL in [start, end). */
function cString(buf: Buffer, start: number, end: number): Buffer {
  let i = start;
  while (i < end && buf[i] !== 0) i++;
  return buf.subarray(start, i);
}

/**
 * Decodes a PT_SOCKADDR of `len` (> 0) bytes at `start`; undefined when the
 * parameter is too short for its family (or a unix path lacks its NUL).
 */
export function decodeSockAddr(buf: Buffer, start: number, len: number): SockAddr | undefined {
  const family = buf[start]!;
  switch (family) {
    case SockFamily.INET:
      if (len < 7) return undefined;
      return { family: 'inet', ip: buf.subarray(start + 1, start + 5), port: buf.readUInt16LE(start + 5) };
    case SockFamily.INET6:
      if (len < 19) return undefined;
      return { family: 'inet6', ip: buf.subarray(start + 1, start + 17), port: buf.readUInt16LE(start + 17) };
    case SockFamily.UNIX:
      if (len < 2 || buf[start + len - 1] !== 0) return undefined;
      return { family: 'unix', path: cString(buf, start + 1, start + len) };
    default:
      return { family: 'other', code: family };
  }
}

/** Decodes a PT_SOCKTUPLE of `len` (> 0) bytes at `start`; undefined when too short. */
export function decodeSockTuple(buf: Buffer, start: number, len: number): SockTuple | undefined {
  const family = buf[start]!;
  switch (family) {
    case SockFamily.INET:
      if (len < 13) return undefined;
      return {
        family: 'inet',
        sip: buf.subarray(start + 1, start + 5), sport: buf.readUInt16LE(start + 5),
        dip: buf.subarray(start + 7, start + 11), dport: buf.readUInt16LE(start + 11),
      };
    case SockFamily.INET6:
      if (len < 37) return undefined;
      return {
        family: 'inet6',
        sip: buf.subarray(start + 1, start + 17), sport: buf.readUInt16LE(start + 17),
        dip: buf.subarray(start + 19, start + 35), dport: buf.readUInt16LE(start + 35),
      };
    case SockFamily.UNIX:
      if (len < 18 || buf[start + len - 1] !== 0) return undefined;
      return {
        family: 'unix',
        source: buf.readBigUInt64LE(start + 1),
        dest: buf.readBigUInt64LE(start + 9),
        path: cString(buf, start + 17, start + len),
      };
    default:
      return { family: 'other', code: family };
  }
}

/** Minimum length of a valid PT_SOCKADDR of this family (for error messages). */
export function sockAddrMinLen(family: number): number {
  return family === SockFamily.INET ? 7 : family === SockFamily.INET6 ? 19 : family === SockFamily.UNIX ? 2 : 1;
}

/** Minimum length of a valid PT_SOCKTUPLE of this family (for error messages). */
export function sockTupleMinLen(family: number): number {
  return family === SockFamily.INET ? 13 : family === SockFamily.INET6 ? 37 : family === SockFamily.UNIX ? 18 : 1;
}
