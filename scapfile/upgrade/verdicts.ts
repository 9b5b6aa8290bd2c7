// Per-type facts the conversion consults for every event, as flat tables:
// test_event_convertibility's answer by type (converter/converter.cpp), each
// type's parameter count and length-field size, and the parameter length
// limits of ppm_param_min_len_from_type / ppm_param_max_len_from_type
// (driver/ppm_param_helpers.h; falcosecurity/libs 48dfd53). Shared by the
// step-by-step upgrader (event-upgrader.ts) and the plans compiled from the
// table (conversion-plan.ts).

import { EVENTS, PPM_EVENT_MAX } from '../schema/events.js';
import { EventFlag, PARAM_TYPE_COUNT, ParamType } from '../schema/types.js';

/**
 * What test_event_convertibility (converter.cpp) answers for a type, before
 * looking at the parameter count: `VERDICT[type]`.
 */
export const Verdict = {
  PASS: 0,
  DROP: 1,
  CONVERT: 2,
  /** A current managed exit event: converted only when its parameter count differs from the schema's. */
  CHECK_COUNT: 3,
  /** An old exit event the converter does not manage: an error of the event table. */
  TABLE_BUG: 4,
  /** Types >= PPM_EVENT_MAX: libscap skips them while reading (next_event_from_file), silently. */
  UNKNOWN: 5,
} as const;

/** The verdict of every type id (u16). */
export const VERDICT = new Uint8Array(65536).fill(Verdict.UNKNOWN);
/** Parameter count of each type's current layout. */
export const EXPECTED_NPARAMS = new Uint16Array(PPM_EVENT_MAX);
/** Size of each type's parameter length fields: 4 for LARGE_PAYLOAD types, else 2. */
export const LEN_SIZE = new Uint8Array(PPM_EVENT_MAX);
for (const e of EVENTS) {
  const f = e.flags;
  EXPECTED_NPARAMS[e.id] = e.params.length;
  LEN_SIZE[e.id] = f & EventFlag.LARGE_PAYLOAD ? 4 : 2;
  if (f & EventFlag.UNUSED) VERDICT[e.id] = Verdict.DROP;
  else if (!(f & EventFlag.CONVERTER_MANAGED)) {
    VERDICT[e.id] = !(f & EventFlag.OLD_VERSION) ? Verdict.PASS : e.dir === 'enter' ? Verdict.DROP : Verdict.TABLE_BUG;
  } else if (e.dir === 'enter' || f & EventFlag.OLD_VERSION) VERDICT[e.id] = Verdict.CONVERT;
  else VERDICT[e.id] = Verdict.CHECK_COUNT;
}

/**
 * Fixed length of each parameter type; 0 for variable-length types; -1 for a
 * type those helpers reject, which makes libscap's conversion fail.
 */
export const FIXED_LEN = new Int8Array(PARAM_TYPE_COUNT).fill(-1);
/** 1 for variable-length parameter types. */
export const VARIABLE = new Uint8Array(PARAM_TYPE_COUNT);
{
  const P = ParamType;
  const fixed = (len: number, types: number[]) => { for (const t of types) FIXED_LEN[t] = len; };
  fixed(1, [P.INT8, P.UINT8, P.FLAGS8, P.ENUMFLAGS8, P.SIGTYPE]);
  fixed(2, [P.INT16, P.UINT16, P.FLAGS16, P.ENUMFLAGS16, P.SYSCALLID, P.PORT]);
  fixed(4, [P.INT32, P.UINT32, P.FLAGS32, P.ENUMFLAGS32, P.UID, P.GID, P.MODE, P.SIGSET, P.FD32, P.PID32, P.IPV4ADDR]);
  fixed(8, [P.INT64, P.UINT64, P.RELTIME, P.ABSTIME, P.ERRNO, P.FD, P.PID]);
  fixed(16, [P.IPV6ADDR]);
  for (const t of [P.BYTEBUF, P.CHARBUF, P.SOCKTUPLE, P.FDLIST, P.FSPATH, P.CHARBUFARRAY, P.CHARBUF_PAIR_ARRAY,
    P.FSRELPATH, P.DYN, P.SOCKADDR]) { FIXED_LEN[t] = 0; VARIABLE[t] = 1; }
}

/** Schema type of parameter `param` of `type`; -1 past the schema (libscap reads PT_NONE there). */
export function paramType(type: number, param: number): number {
  return EVENTS[type]?.params[param]?.type ?? -1;
}
