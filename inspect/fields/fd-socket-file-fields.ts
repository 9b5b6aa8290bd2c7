// fd.* fields about the event's fd beyond addresses and ports: protocol
// names of socket ends, connection state, device/inode of files, the raw
// path, overlayfs layer, the fd's unique id, and the de-duplicated types of
// every open fd. Rules from falcosecurity/libs 48dfd53
// (userspace/libsinsp/sinsp_filtercheck_fd.cpp extract_single and
// extract_nocache; fdinfo.h device encoding). The protocol fields print the
// port number, or its service name with port resolution on (sysdig -R).

import { field, bool } from './field.js';
import type { EventCursor } from '../../scapfile/event-cursor.js';
import { FdType } from '../../scapfile/state-blocks/index.js';
import { FdFlag, fdTypeName } from '../state/fd-table.js';
import type { FdDetail } from '../state/lookup.js';
import {
  V4_DPORT, V4_SIP, V4_SPORT, V6_DPORT, V6_SIP, V6_SPORT, portText, u16,
} from '../state/sock-info.js';
import type { FieldContext, FieldDef, FieldExtractor, JsonKind } from './field.js';
import { FD_EXTRA_FIELDS } from './fd-fields.js';

const ZERO = new Uint8Array(40);
const fdOf = (ev: EventCursor, ctx: FieldContext): FdDetail | undefined => ctx.state.eventFdDetail?.(ev);
/** A field read from the event's fd entry: no value for an event without one. */
function fdEntryField(name: string, description: string, value: (f: FdDetail, ctx: FieldContext) => string | undefined,
  json?: JsonKind): FieldDef {
  return field(name, description, (ev, ctx) => {
    const f = fdOf(ev, ctx);
    return f === undefined ? undefined : value(f, ctx);
  }, json);
}

/** 'true' when the fd entry has `flag`. */
const fdFlagField = (name: string, description: string, flag: number): FieldDef =>
  fdEntryField(name, description, (f) => bool((f.flags & flag) !== 0), 'bool');

const isIpSocket = (f: FdDetail): boolean => f.type === FdType.IPV4_SOCK || f.type === FdType.IPV6_SOCK;

/** Port `at` of the fd's socket as port_to_string prints it, named for the fd's protocol under -R. */
const fdPort = (f: FdDetail, at: number, ctx: FieldContext): string =>
  portText(u16(f.sock ?? ZERO, at), f.l4proto, ctx.state.portNames === true);

/** fd.cproto: the client (source) port of a connected socket with a role; empty for other fds. */
function clientProto(ev: EventCursor, ctx: FieldContext): string | undefined {
  const f = fdOf(ev, ctx);
  if (f === undefined || f.isRoleNone()) return undefined;
  if (!isIpSocket(f)) return '';
  return fdPort(f, f.type === FdType.IPV4_SOCK ? V4_SPORT : V6_SPORT, ctx);
}

/** fd.sproto: the server port of a connected socket with a role; empty for listening sockets. */
function serverProto(ev: EventCursor, ctx: FieldContext): string | undefined {
  const f = fdOf(ev, ctx);
  if (f === undefined) return undefined;
  if (isIpSocket(f)) {
    if (f.isRoleNone()) return undefined;
    return fdPort(f, f.type === FdType.IPV4_SOCK ? V4_DPORT : V6_DPORT, ctx);
  }
  return f.type === FdType.IPV4_SERVSOCK || f.type === FdType.IPV6_SERVSOCK ? '' : undefined;
}

/** fd.lproto / fd.rproto: the local or remote port, by whether the source address is this machine's. */
function localRemoteProto(ev: EventCursor, ctx: FieldContext, local: boolean): string | undefined {
  const f = fdOf(ev, ctx);
  if (f === undefined || !isIpSocket(f) || f.isRoleNone()) return undefined;
  const s = f.sock ?? ZERO;
  const v4 = f.type === FdType.IPV4_SOCK;
  const srcLocal = ctx.state.isLocalAddress?.(s, v4 ? V4_SIP : V6_SIP, !v4) ?? false;
  const source = srcLocal === local;
  // sinsp carries the port through an int16 on its way to the string; the value comes back unsigned.
  return fdPort(f, v4 ? (source ? V4_SPORT : V4_DPORT) : (source ? V6_SPORT : V6_DPORT), ctx);
}

/** Keeps only the first of each run of '/' (utils.h remove_duplicate_path_separators). */
function squeezeSlashes(s: string): string {
  return s.includes('//') ? s.replace(/\/{2,}/g, '/') : s;
}

/**
 * fd.types without an argument: the distinct types of the thread's open fds,
 * each where sinsp's walk of the table first meets it.
 */
function makeAllTypes(): FieldExtractor {
  const seen: string[] = [];
  let n = 0;
  const collect = (f: FdDetail): void => {
    const name = fdTypeName(f.type);
    for (let i = 0; i < n; i++) if (seen[i] === name) return;
    seen[n++] = name;
  };
  return (ev, ctx) => {
    if (ctx.state.eventFd(ev).num === undefined) return undefined;
    n = 0;
    if (!ctx.state.forEachFd?.(ev.tid, collect)) return undefined;
    let out = '';
    for (let i = 0; i < n; i++) out += i === 0 ? seen[i] : ',' + seen[i];
    return '(' + out + ')';
  };
}

/** fd.types, or fd.types[N]: the type of fd N of the event's thread ([-1] is fd.types, as in libsinsp). */
function typesExtractor(arg: string | undefined): FieldExtractor {
  if (arg === undefined) return makeAllTypes();
  const n = Number(arg);
  if (!Number.isInteger(n)) throw new Error(`fd.types: argument must be an fd number, not '${arg}'`);
  return n === -1 ? makeAllTypes() : typeOfFd(n);
}

/** fd.types[N]: the type of fd N of the event's thread. */
function typeOfFd(n: number): FieldExtractor {
  return (ev, ctx) => {
    if (ctx.state.eventFd(ev).num === undefined) return undefined;
    const f = ctx.state.fd(ev.tid, n) as FdDetail | undefined;
    return f === undefined ? undefined : '(' + fdTypeName(f.type) + ')';
  };
}

/** fd.cnet and co.: CIDR checks in filters; `<IPNET>` in output wherever the address field has a value. */
function ipnet(name: string, addressField: string, side: string): FieldDef {
  const address = FD_EXTRA_FIELDS.find((f) => f.name === addressField)!.compile(undefined);
  return field(name, `in filters: the ${side} IP network (CIDR); prints <IPNET> in output`, (ev, ctx) =>
    (address(ev, ctx) === undefined ? undefined : '<IPNET>'));
}

export const FD_SOCKET_FILE_FIELDS: readonly FieldDef[] = [
  // Filter-only in libsinsp (EPF_FILTER_ONLY): no value in output.
  field('fd.proto', 'in filters: the client or server protocol of the fd (no value in output)', () => undefined),
  field('fd.net', 'in filters: IP network (CIDR) of either end of the socket (no value in output)', () => undefined),
  // In output sinsp extracts the matching address but prints its PT_IPNET type as a placeholder.
  ipnet('fd.cnet', 'fd.cip', 'client'),
  ipnet('fd.snet', 'fd.sip', 'server'),
  ipnet('fd.lnet', 'fd.lip', 'local'),
  ipnet('fd.rnet', 'fd.rip', 'remote'),
  field('fd.cproto', 'client protocol (port) of a TCP/UDP fd', clientProto),
  field('fd.sproto', 'server protocol (port) of a TCP/UDP fd', serverProto),
  field('fd.lproto', 'local protocol (port) of a TCP/UDP fd', (ev, ctx) => localRemoteProto(ev, ctx, true)),
  field('fd.rproto', 'remote protocol (port) of a TCP/UDP fd', (ev, ctx) => localRemoteProto(ev, ctx, false)),
  fdFlagField('fd.connected', "'true' if the socket is connected", FdFlag.SOCKET_CONNECTED),
  fdEntryField('fd.name_changed', 'true when parsing this event changed the name of its fd (e.g. a UDP tuple)',
    (_f, ctx) => bool(ctx.state.eventFdNameChanged?.() ?? false), 'bool'),
  {
    ...fdEntryField('fd.dev', 'device number (major/minor) of the file, in hex', (f) => (f.dev >>> 0).toString(16).toUpperCase()),
    // A PT_INT32 printed in hex: filters compare the number (`fd.dev = 65024`).
    filterNumber: true,
    compileFilterText: () => (ev, ctx) => { const f = fdOf(ev, ctx); return f === undefined ? undefined : String(f.dev | 0); },
  },
  fdEntryField('fd.dev.major', 'major device number of the file', (f) => String((f.dev & 0xfff00) >>> 8), 'number'),
  fdEntryField('fd.dev.minor', 'minor device number of the file',
    (f) => String(((f.dev & 0xff) | ((f.dev >>> 12) & 0xfff00)) >>> 0), 'number'),
  fdEntryField('fd.ino', 'inode number of the file', (f) => String(BigInt.asIntN(64, f.ino)), 'number'),
  field('fd.nameraw', 'the file path as the syscall gave it', (ev, ctx) => {
    const f = fdOf(ev, ctx);
    const raw = f !== undefined ? f.nameRaw : ctx.state.eventFdRawName?.(ev);
    return raw === undefined ? undefined : squeezeSlashes(raw);
  }),
  field('fd.uid', 'unique id of the fd: the thread id followed by the fd number', (ev, ctx) => {
    const num = ctx.state.eventFd(ev).num;
    return num === undefined ? undefined : `${ev.tid}${num}`;
  }),
  fdFlagField('fd.is_upper_layer', "'true' if the file is in the upper layer of an overlayfs", FdFlag.OVERLAY_UPPER),
  fdFlagField('fd.is_lower_layer', "'true' if the file is in a lower layer of an overlayfs", FdFlag.OVERLAY_LOWER),
  // The container id comes from the container plugin's table in libsinsp; without the plugin it is empty.
  field('fd.containername', 'container id and fd name, joined by a colon', (ev, ctx) => {
    const name = ctx.state.eventFd(ev).name;
    return name === undefined ? undefined : ':' + name;
  }),
  field('fd.containerdirectory', 'container id and fd directory, joined by a colon', (() => {
    const directory = FD_EXTRA_FIELDS.find((f) => f.name === 'fd.directory')!.compile(undefined);
    return (ev: EventCursor, ctx: FieldContext) => {
      const dir = directory(ev, ctx);
      return dir === undefined ? undefined : ':' + dir;
    };
  })()),
  {
    name: 'fd.types', description: 'the distinct types of the open fds of the process (fd.types[N]: of fd N)', json: 'string',
    takesArg: true, argOptional: true,
    compile: typesExtractor,
    // A list field: -j writes the names as an array.
    compileJson: (arg) => {
      const text = typesExtractor(arg);
      return (ev, ctx) => {
        // An empty list is null there.
        const t = text(ev, ctx);
        return t === undefined || t === '()' ? undefined : JSON.stringify(t.slice(1, -1).split(','));
      };
    },
  },
  // libsinsp names an IP from its DNS manager, which caches what it resolves
  // while running live; a capture carries no DNS answers, so reading a file
  // these have no value there either (sinsp-example prints <NA> on every
  // event). In filters libsinsp would resolve the name given at read time:
  // refused here (compile.ts), as it depends on the network of the reader.
  ...(['cip', 'sip', 'lip', 'rip'] as const).map((end) =>
    field(`fd.${end}.name`, `the domain name of fd.${end} (live DNS only: no value in a capture)`, () => undefined)),
];
