import { describe, it, expect } from 'vitest';
import {
  EVENTS,
  EVENT_NAMES_BY_TYPE,
  EventCategory,
  EventFlag,
  EventType,
  ERRNO_NAMES,
  FLAG_TABLES,
  FLAG_TABLE_COUNT,
  NATIVE_TO_PPM_SC_X86_64,
  PARAM_TYPE_COUNT,
  PPM_EVENT_MAX,
  PPM_SC_MAX,
  PPM_SC_NAMES,
  ParamType,
  PrintFormat,
  SIGNAL_NAMES,
  SYSCALL_TABLE_SIZE,
  errnoName,
  errnoResultName,
  eventInfo,
  genericSyscallName,
  nativeToPpmSc,
  paramIndex,
  paramTypeDisplayName,
  paramTypeName,
  ppmScFromName,
  ppmScName,
  printFormatDisplayName,
  signalName,
  type EventInfo,
} from '../../scapfile/schema/index.js';

const names = (e: EventInfo | undefined): string[] => (e?.params ?? []).map((p) => p.name);

/** Event code without its version: SYSCALL_EXECVE_19_X -> SYSCALL_EXECVE_X. */
const unversioned = (code: string): string => code.replace(/_\d+_([EX])$/, '_$1');

describe('schema counts', () => {
  it('has every event id and type', () => {
    expect(PPM_EVENT_MAX).toBe(454);
    expect(EVENTS).toHaveLength(454);
    expect(Object.keys(EventType)).toHaveLength(454);
    expect(EVENT_NAMES_BY_TYPE).toHaveLength(454);
    expect(PARAM_TYPE_COUNT).toBe(49);
    expect(Object.keys(ParamType)).toHaveLength(49);
  });

  it('has every flag table of flags_table.c, in its order', () => {
    expect(FLAG_TABLE_COUNT).toBe(55);
    const tableNames = Object.keys(FLAG_TABLES);
    expect(tableNames).toHaveLength(55);
    expect(tableNames.slice(0, 5)).toEqual([
      'socket_families', 'file_flags', 'creat_flags', 'flock_flags', 'clone_flags',
    ]);
    expect(tableNames.at(-1)).toBe('anon_inode_fd_types');
  });

  it('has every syscall code and the x86_64 native table', () => {
    expect(PPM_SC_MAX).toBe(454);
    expect(PPM_SC_NAMES).toHaveLength(454);
    expect(NATIVE_TO_PPM_SC_X86_64).toHaveLength(SYSCALL_TABLE_SIZE);
    expect(NATIVE_TO_PPM_SC_X86_64.filter((c) => c !== 0)).toHaveLength(373);
  });
});

describe('schema spot values', () => {
  it('id 3 is the open exit', () => {
    expect(EventType.SYSCALL_OPEN_X).toBe(3);
    const open = EVENTS[3];
    expect(open).toMatchObject({ id: 3, code: 'SYSCALL_OPEN_X', name: 'open', dir: 'exit' });
    expect(open?.category).toBe(EventCategory.FILE | EventCategory.SYSCALL);
    expect(open?.flags).toBe(
      EventFlag.CREATES_FD | EventFlag.MODIFIES_STATE | EventFlag.CONVERTER_MANAGED,
    );
    expect(names(open)).toEqual(['fd', 'name', 'flags', 'mode', 'dev', 'ino']);
    expect(open?.params[0]).toEqual({ name: 'fd', type: ParamType.FD, format: PrintFormat.DEC });
    expect(open?.params[2]).toEqual({
      name: 'flags', type: ParamType.FLAGS32, format: PrintFormat.HEX, flagsTable: 'file_flags',
    });
    expect(open?.params[3]?.format).toBe(PrintFormat.OCT);
    expect(EVENTS[2]).toMatchObject({ code: 'SYSCALL_OPEN_E', dir: 'enter' });
  });

  it('generic events carry the ppm_sc code and the native id', () => {
    expect(EVENTS[0]).toMatchObject({ code: 'GENERIC_E', name: 'syscall' });
    expect(EVENTS[1]?.params.map((p) => p.type)).toEqual([ParamType.SYSCALLID, ParamType.UINT16]);
  });

  it('execve 19 is the latest execve, with 31 parameters', () => {
    const versions = EVENTS.filter((e) => e.name === 'execve' && e.dir === 'exit');
    expect(versions.map((e) => e.code)).toEqual([
      'SYSCALL_EXECVE_8_X', 'SYSCALL_EXECVE_13_X', 'SYSCALL_EXECVE_14_X', 'SYSCALL_EXECVE_15_X',
      'SYSCALL_EXECVE_16_X', 'SYSCALL_EXECVE_17_X', 'SYSCALL_EXECVE_18_X', 'SYSCALL_EXECVE_19_X',
    ]);
    const x = EVENTS[EventType.SYSCALL_EXECVE_19_X]!;
    expect(x.flags & EventFlag.OLD_VERSION).toBe(0);
    expect(names(x)).toEqual([
      'res', 'exe', 'args', 'tid', 'pid', 'ptid', 'cwd', 'fdlimit', 'pgft_maj', 'pgft_min',
      'vm_size', 'vm_rss', 'vm_swap', 'comm', 'cgroups', 'env', 'tty', 'vpgid', 'loginuid',
      'flags', 'cap_inheritable', 'cap_permitted', 'cap_effective', 'exe_ino', 'exe_ino_ctime',
      'exe_ino_mtime', 'uid', 'trusted_exepath', 'pgid', 'gid', 'filename',
    ]);
    expect(x.params[19]?.flagsTable).toBe('execve_flags');
    expect(EVENTS[EventType.SYSCALL_EXECVE_18_X]!.flags & EventFlag.OLD_VERSION).toBeTruthy();
  });

  it('marks the large-payload events', () => {
    const large = EVENTS.filter((e) => e.flags & EventFlag.LARGE_PAYLOAD).map((e) => e.code);
    expect(large).toEqual(['PLUGINEVENT_E', 'CONTAINER_JSON_2_E', 'ASYNCEVENT_E']);
    expect(EventType.PLUGINEVENT_E).toBe(322);
  });

  it('describes DYN parameters with their layouts', () => {
    const i = paramIndex('SOCKET_SETSOCKOPT_X', 'val');
    const val = EVENTS[EventType.SOCKET_SETSOCKOPT_X]?.params[i];
    expect(val?.type).toBe(ParamType.DYN);
    expect(val?.dynVariants?.map((v) => v.type)).toEqual([
      ParamType.BYTEBUF, ParamType.ERRNO, ParamType.UINT32, ParamType.UINT64, ParamType.RELTIME,
    ]);
    const ptrace = EVENTS[EventType.SYSCALL_PTRACE_X]!;
    expect(ptrace.params[paramIndex('SYSCALL_PTRACE_X', 'data')]?.dynVariants?.[1]?.type).toBe(
      ParamType.SIGTYPE,
    );
  });

  it('gives FSRELPATH parameters their dirfd index, including index 0', () => {
    const renameat = EVENTS[EventType.SYSCALL_RENAMEAT_X]!;
    expect(renameat.params[2]).toMatchObject({
      name: 'oldpath', type: ParamType.FSRELPATH, dirfdParam: 1,
    });
    expect(renameat.params[4]).toMatchObject({ name: 'newpath', dirfdParam: 3 });
    const openatE = EVENTS[EventType.SYSCALL_OPENAT_2_E]!;
    expect(openatE.params[1]).toMatchObject({
      name: 'name', type: ParamType.FSRELPATH, dirfdParam: 0,
    });
  });

  it('keeps the placeholder events', () => {
    expect(EVENTS[EventType.SYSCALL_KEYCTL_E]).toMatchObject({
      name: 'NA', category: EventCategory.UNKNOWN, flags: EventFlag.UNUSED, params: [],
    });
    expect(EVENTS[EventType.TRACER_X]?.name).toBe('NA');
    expect(EVENTS.at(-1)?.code).toBe('SYSCALL_KEYCTL_X');
  });

  it('has flag table values in libs order', () => {
    expect(FLAG_TABLES.file_flags?.[0]).toEqual({ name: 'O_LARGEFILE', value: 0x800 });
    expect(FLAG_TABLES.socket_families?.find((f) => f.name === 'AF_INET')?.value).toBe(2);
    expect(FLAG_TABLES.fcntl_commands?.map((f) => f.name)).toContain('F_SETLKW64');
    expect(FLAG_TABLES.mount_flags?.some((f) => f.value === 0x80000000)).toBe(true);
  });

  it('names syscalls the way libsinsp prints them', () => {
    expect(ppmScName(5)).toBe('open');
    expect(ppmScName(0)).toBe('unknown');
    expect(ppmScName(382)).toBe('');
    expect(ppmScName(PPM_SC_MAX)).toBeUndefined();
    expect(ppmScFromName('execve')).toBe(PPM_SC_NAMES.indexOf('execve'));
    expect(nativeToPpmSc(0)).toBe(ppmScFromName('read'));
    expect(nativeToPpmSc(2)).toBe(5);
    expect(nativeToPpmSc(59)).toBe(ppmScFromName('execve'));
    expect(nativeToPpmSc(-1)).toBe(0);
    expect(nativeToPpmSc(4000)).toBe(0);
    expect(genericSyscallName(5, 99)).toBe('open');
    expect(genericSyscallName(0, 2)).toBe('open');
    expect(genericSyscallName(0)).toBe('unknown');
  });

  it('names errnos and signals the way libsinsp prints them', () => {
    expect(ERRNO_NAMES[2]).toBe('ENOENT');
    expect(errnoName(11)).toBe('EAGAIN');
    expect(errnoName(512)).toBe('ERESTARTSYS');
    expect(errnoName(41)).toBeUndefined();
    expect(errnoResultName(-13)).toBe('EACCES');
    expect(errnoResultName(-13n)).toBe('EACCES');
    expect(errnoResultName(13)).toBeUndefined();
    expect(Object.keys(ERRNO_NAMES)).toHaveLength(138);
    expect(SIGNAL_NAMES[9]).toBe('SIGKILL');
    expect(signalName(29)).toBe('SIGIO');
    expect(signalName(0)).toBeUndefined();
    expect(signalName(32)).toBeUndefined();
  });

  it('has lookup helpers', () => {
    expect(eventInfo(3)?.code).toBe('SYSCALL_OPEN_X');
    expect(eventInfo(454)).toBeUndefined();
    expect(eventInfo(1.5)).toBeUndefined();
    expect(paramIndex('SYSCALL_CLOSE_X', 'fd')).toBe(1);
    expect(() => paramIndex('SYSCALL_CLOSE_X', 'nope')).toThrow();
    expect(() => paramIndex('NOPE_X', 'fd')).toThrow();
    expect(paramTypeName(ParamType.FD)).toBe('FD');
    expect(paramTypeName(99)).toBeUndefined();
    expect(paramTypeDisplayName(ParamType.DYN)).toBe('DYNAMIC');
    expect(paramTypeDisplayName(ParamType.FD32)).toBe('<NA>');
    expect(printFormatDisplayName(PrintFormat.PADDED_DEC)).toBe('10_PADDED_DEC');
    expect(EVENT_NAMES_BY_TYPE[EventType.SYSCALL_OPEN_X]).toBe('open');
  });
});

describe('schema invariants over every id', () => {
  it('ids, codes and directions agree', () => {
    EVENTS.forEach((e, id) => {
      expect(e.id).toBe(id);
      expect(EventType[e.code as keyof typeof EventType]).toBe(id);
      expect(e.dir).toBe(id % 2 === 0 ? 'enter' : 'exit');
      expect(e.code.endsWith(id % 2 === 0 ? '_E' : '_X')).toBe(true);
    });
    for (const [code, id] of Object.entries(EventType)) expect(EVENTS[id]?.code).toBe(code);
  });

  it('layouts are well formed', () => {
    const tableTypes = new Set<number>([
      ParamType.FLAGS8, ParamType.FLAGS16, ParamType.FLAGS32, ParamType.ENUMFLAGS8,
      ParamType.ENUMFLAGS16, ParamType.ENUMFLAGS32, ParamType.MODE,
    ]);
    const formats = new Set<number>(Object.values(PrintFormat));
    for (const e of EVENTS) {
      expect(e.params.length).toBeLessThanOrEqual(32);
      expect(new Set(names(e)).size).toBe(e.params.length);
      for (const p of e.params) {
        expect(p.type).toBeGreaterThanOrEqual(0);
        expect(p.type).toBeLessThan(PARAM_TYPE_COUNT);
        expect(formats.has(p.format)).toBe(true);
        expect(p.flagsTable !== undefined).toBe(tableTypes.has(p.type));
        if (p.flagsTable !== undefined) expect(FLAG_TABLES[p.flagsTable]).toBeDefined();
        expect(p.dirfdParam !== undefined).toBe(p.type === ParamType.FSRELPATH);
        if (p.dirfdParam !== undefined) expect(e.params[p.dirfdParam]?.type).toBe(ParamType.FD);
        expect(p.dynVariants !== undefined).toBe(p.type === ParamType.DYN);
        for (const v of p.dynVariants ?? []) expect(v.type).not.toBe(ParamType.DYN);
      }
    }
  });

  it('categories combine one syscall category with source bits', () => {
    const low = new Set<number>([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 32, 33, 34]);
    const highMask = EventCategory.WAIT | EventCategory.SCHEDULER | EventCategory.INTERNAL |
      EventCategory.SYSCALL | EventCategory.TRACEPOINT | EventCategory.PLUGIN |
      EventCategory.METAEVENT | EventCategory.ITER;
    const allFlags = Object.values(EventFlag).reduce((a, b) => a | b, 0);
    for (const e of EVENTS) {
      expect(low.has(e.category & 63)).toBe(true);
      expect(e.category & ~63 & ~highMask).toBe(0);
      expect(e.flags & ~allFlags).toBe(0);
      if (e.category === EventCategory.UNKNOWN) expect(e.name).toBe('NA');
    }
  });

  it('all versions of an event have the same name (libs accept4 excepted)', () => {
    const byBase = new Map<string, Set<string>>();
    for (const e of EVENTS) {
      if (e.name === 'NA') continue;
      const base = unversioned(e.code);
      byBase.set(base, (byBase.get(base) ?? new Set()).add(e.name));
    }
    const mixed = [...byBase].filter(([, n]) => n.size > 1).map(([base]) => base);
    // libs names SOCKET_ACCEPT4_E/X and SOCKET_ACCEPT4_5_E/X 'accept', SOCKET_ACCEPT4_6 'accept4'.
    expect(mixed).toEqual(['SOCKET_ACCEPT4_E', 'SOCKET_ACCEPT4_X']);
  });

  it('every syscall code maps back through the native table', () => {
    for (const code of NATIVE_TO_PPM_SC_X86_64) {
      expect(code).toBeLessThan(PPM_SC_MAX);
      expect(PPM_SC_NAMES[code]).not.toBe('');
    }
    const nonEmpty = PPM_SC_NAMES.filter((n) => n !== '');
    expect(new Set(nonEmpty).size).toBe(nonEmpty.length);
  });

  it('flag tables hold u32 values', () => {
    for (const entries of Object.values(FLAG_TABLES)) {
      expect(entries.length).toBeGreaterThan(0);
      for (const { name, value } of entries) {
        expect(name).not.toBe('');
        expect(Number.isInteger(value) && value >= 0 && value <= 0xffffffff).toBe(true);
      }
    }
  });
});
