#!/usr/bin/env node
// Writes driver/gen/events.h, the C view of the event schema the eBPF driver
// and the capture command compile against: event type ids, parameter counts,
// parameter type ids, the fixed sizes of events whose parameters all have a
// fixed size (what libs keeps by hand in modern_bpf's events_dimensions.h),
// the flag values the driver converts to, ppm_sc codes, the x86_64 native
// syscall numbers with their ppm_sc mapping, and the ia32 -> x86_64 numbers.
//
// Reads the compiled schema (dist/scapfile/schema, `npm run build` first).
//   node scripts/gen-driver-header.mjs           write driver/gen/events.h
//   node scripts/gen-driver-header.mjs --check   exit 1 if the committed copy differs
// test/driver/gen-header.test.ts calls renderEventsHeader() and compares.

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const HEADER_PATH = join(ROOT, 'driver', 'gen', 'events.h');
const HEADER_LINE = '// Generated from scapfile/schema by scripts/gen-driver-header.mjs. Do not edit.';

/** Bytes of each fixed-size parameter type, by ParamType name (libs ppm_events_public.h). */
const FIXED_TYPE_BYTES = {
  INT8: 1, INT16: 2, INT32: 4, INT64: 8, UINT8: 1, UINT16: 2, UINT32: 4, UINT64: 8,
  ERRNO: 8, FD: 8, PID: 8, SYSCALLID: 2, SIGTYPE: 1, RELTIME: 8, ABSTIME: 8, PORT: 2,
  L4PROTO: 1, SOCKFAMILY: 1, BOOL: 4, IPV4ADDR: 4, FLAGS8: 1, FLAGS16: 2, FLAGS32: 4,
  UID: 4, GID: 4, DOUBLE: 8, SIGSET: 4, IPV6ADDR: 16, MODE: 4, ENUMFLAGS8: 1,
  ENUMFLAGS16: 2, ENUMFLAGS32: 4, FD32: 4, PID32: 4,
};

/** Flag tables the driver converts native values into, and the C name of each entry. */
const FLAG_TABLES_FOR_DRIVER = [
  ['file_flags', (name) => `PPM_${name}`],
  ['clone_flags', (name) => `PPM_CL_${name.replace(/^CLONE_/, '')}`],
  ['openat2_flags', (name) => `PPM_${name}`],
  ['execve_flags', (name) => `PPM_${name}`],
];

const cIdent = (s) => s.toUpperCase().replace(/[^A-Z0-9_]/g, '_');

/** The text of driver/gen/events.h for the given schema module. */
export function renderEventsHeader(schema) {
  const { EVENTS, PPM_EVENT_MAX, ParamType, EventFlag, FLAG_TABLES, PPM_SC_NAMES, PPM_SC_MAX,
    NATIVE_TO_PPM_SC_X86_64, SYSCALL_TABLE_SIZE, IA32_NR_SOCKETCALL, IA32_TO_X86_64,
    SOCKETCALL_TO_X86_64, SCHEMA_ORIGIN } = schema;
  const typeName = Object.fromEntries(Object.entries(ParamType).map(([k, v]) => [v, k]));
  const lines = [];
  const out = (s = '') => lines.push(s);

  out(HEADER_LINE);
  out(`// Source of truth: scapfile/schema (facts of falcosecurity/libs ${SCHEMA_ORIGIN}). Rebuild with`);
  out('// `npm run build && node scripts/gen-driver-header.mjs`.');
  out('#ifndef SCAPKIT_DRIVER_GEN_EVENTS_H');
  out('#define SCAPKIT_DRIVER_GEN_EVENTS_H');
  out();
  out('/* The libs version whose event table these layouts are (scap-capture --version). */');
  out(`#define SCAP_SCHEMA_ORIGIN "${SCHEMA_ORIGIN}"`);
  out();
  out('/* Event header: u64 ts, u64 tid, u32 len, u16 type, u32 nparams (packed). */');
  out('#define SCAP_EVENT_HEADER_LEN 26');
  out('/* Bytes of one parameter length (u16; u32 for EF_LARGE_PAYLOAD events). */');
  out('#define SCAP_PARAM_LEN 2');
  out('#define SCAP_PARAM_LEN_LARGE 4');
  out();
  out('/* Parameter types (PT_*). */');
  out('enum scap_param_type {');
  for (const [name, id] of Object.entries(ParamType)) out(`\tPT_${name} = ${id},`);
  out('};');
  out();
  out('/* Event flags (EF_*). */');
  for (const [name, v] of Object.entries(EventFlag)) out(`#define EF_${name} 0x${v.toString(16)}`);
  out();
  out('/* Event type ids (ppm_event_code). */');
  out('enum scap_event_type {');
  for (const e of EVENTS) out(`\tPPME_${e.code} = ${e.id},`);
  out(`\tPPM_EVENT_MAX = ${PPM_EVENT_MAX},`);
  out('};');
  out();
  out('/* Number of parameters of each event type. */');
  for (const e of EVENTS) out(`#define PPME_${e.code}_NPARAMS ${e.params.length}`);
  out();
  out('/*');
  out(' * Total size of each event type whose parameters all have a fixed size:');
  out(' * header + one length per parameter + the parameters.');
  out(' */');
  for (const e of EVENTS) {
    const sizes = e.params.map((p) => FIXED_TYPE_BYTES[typeName[p.type]]);
    if (sizes.some((s) => s === undefined)) continue;
    const lenBytes = e.flags & EventFlag.LARGE_PAYLOAD ? 4 : 2;
    const total = 26 + lenBytes * sizes.length + sizes.reduce((a, b) => a + b, 0);
    out(`#define PPME_${e.code}_SIZE ${total}`);
  }
  out();
  for (const [table, cName] of FLAG_TABLES_FOR_DRIVER) {
    out(`/* Flag values of the ${table} table (what events store, not native values). */`);
    for (const { name, value } of FLAG_TABLES[table]) out(`#define ${cIdent(cName(name))} 0x${value.toString(16)}`);
    out();
  }
  // Every other table under one mechanical name, PPM_<TABLE>_<ENTRY>
  // (e.g. PPM_PROT_FLAGS_PROT_READ), so that handlers never write a value
  // libs defines by hand.
  const named = new Set(FLAG_TABLES_FOR_DRIVER.map(([table]) => table));
  for (const [table, entries] of Object.entries(FLAG_TABLES)) {
    if (named.has(table)) continue;
    out(`/* Values of the ${table} table (what events store, not native values). */`);
    const seenNames = new Set();
    for (const { name, value } of entries) {
      const id = cIdent(`PPM_${table}_${name}`);
      if (seenNames.has(id)) continue;
      seenNames.add(id);
      out(`#define ${id} 0x${value.toString(16)}`);
    }
    out();
  }
  out('/* ppm_sc codes: the syscall id the generic event stores. */');
  PPM_SC_NAMES.forEach((name, code) => { if (name) out(`#define PPM_SC_${cIdent(name)} ${code}`); });
  out(`#define PPM_SC_MAX ${PPM_SC_MAX}`);
  out();
  out('/* x86_64 native syscall numbers of every syscall that has a ppm_sc code. */');
  const seen = new Set();
  NATIVE_TO_PPM_SC_X86_64.forEach((code, nr) => {
    const name = PPM_SC_NAMES[code];
    if (code === 0 || !name || seen.has(name)) return;
    seen.add(name);
    out(`#define SCAP_NR_${cIdent(name)} ${nr}`);
  });
  out(`#define SCAP_SYSCALL_TABLE_SIZE ${SYSCALL_TABLE_SIZE}`);
  out();
  out('/* Initializer of a { const char *name; u16 nr; }[]: the SCAP_NR_* numbers by syscall name. */');
  out('#define SCAP_NR_BY_NAME_INIT { \\');
  seen.clear();
  NATIVE_TO_PPM_SC_X86_64.forEach((code, nr) => {
    const name = PPM_SC_NAMES[code];
    if (code === 0 || !name || seen.has(name)) return;
    seen.add(name);
    out(`\t{ "${name}", ${nr} }, \\`);
  });
  out('}');
  out();
  out('/* Initializer of a u16[SCAP_SYSCALL_TABLE_SIZE]: x86_64 native number -> ppm_sc code. */');
  out('#define SCAP_NATIVE_TO_PPM_SC_X86_64_INIT { \\');
  for (let i = 0; i < SYSCALL_TABLE_SIZE; i += 16) {
    const row = [];
    for (let j = i; j < i + 16 && j < SYSCALL_TABLE_SIZE; j++) row.push(NATIVE_TO_PPM_SC_X86_64[j] ?? 0);
    out(`\t${row.join(', ')}, \\`);
  }
  out('}');
  out();
  out('/* ia32 syscalls (scapfile/schema/syscalls-ia32.ts): the socketcall multiplexer and its calls. */');
  out(`#define SCAP_IA32_NR_SOCKETCALL ${IA32_NR_SOCKETCALL}`);
  out(`#define SCAP_SOCKETCALL_CALLS ${SOCKETCALL_TO_X86_64.length}`);
  out();
  out('/* Initializer of a s16[SCAP_SYSCALL_TABLE_SIZE]: ia32 number -> x86_64 number, -1 = not recorded. */');
  out('#define SCAP_IA32_TO_NATIVE_INIT { \\');
  for (let i = 0; i < SYSCALL_TABLE_SIZE; i += 16) out(`\t${IA32_TO_X86_64.slice(i, i + 16).join(', ')}, \\`);
  out('}');
  out();
  out('/* Initializer of a s16[SCAP_SOCKETCALL_CALLS]: socketcall call -> x86_64 number, -1 = not recorded. */');
  out(`#define SCAP_SOCKETCALL_TO_NATIVE_INIT { ${SOCKETCALL_TO_X86_64.join(', ')} }`);
  out();
  out('#endif /* SCAPKIT_DRIVER_GEN_EVENTS_H */');
  return lines.join('\n') + '\n';
}

async function main() {
  const schemaUrl = pathToFileURL(join(ROOT, 'dist', 'scapfile', 'schema', 'index.js')).href;
  const schema = await import(schemaUrl);
  const text = renderEventsHeader(schema);
  if (process.argv.includes('--check')) {
    let current = '';
    try { current = readFileSync(HEADER_PATH, 'utf8'); } catch { /* missing counts as different */ }
    if (current !== text) {
      console.error('driver/gen/events.h is out of date: run node scripts/gen-driver-header.mjs');
      process.exit(1);
    }
    return;
  }
  writeFileSync(HEADER_PATH, text);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
