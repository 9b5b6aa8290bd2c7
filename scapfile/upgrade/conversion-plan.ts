// The conversion table compiled into one plan per key. For a given (event
// type, parameter count) the chain of conversion steps libscap walks is fixed
// by the table (converter.cpp runs test_event_convertibility and
// scap_convert_event until the event is current); only the presence of a
// stored enter event, callbacks and failures depend on the event. A plan
// folds that chain into the final layout: for each output parameter, which
// input or enter parameter it copies (and the shortest cap on the way), or
// which constant bytes it holds. `EventUpgrader` runs a plan in one pass
// straight into the output batch, and falls back to the step-by-step loop for
// every event a plan does not describe exactly (see `compilePlan` for what
// stays out, and `EventUpgrader.runPlan` for the checks made per event).

import { PPM_EVENT_MAX } from '../schema/events.js';
import { ParamType } from '../schema/types.js';
import {
  ConversionAction, InstructionKind, MAX_CONVERSION_STEPS, conversionFor, type Conversion,
} from './conversion-table.js';
import { EVENT_HEADER_LEN } from '../event-batch.js';
import { EXPECTED_NPARAMS, FIXED_LEN, LEN_SIZE, VARIABLE, VERDICT, Verdict, paramType } from './verdicts.js';

/** What a plan does with a matching event. */
export const PlanKind = {
  /** Store it as the thread's enter event; it is dropped (first entry STORE). */
  STORE: 1,
  /** Store it and let it through unchanged (first entry STORE_AND_PASS). */
  STORE_AND_PASS: 2,
  /** Let it through unchanged (first entry PASS). */
  PASS: 3,
  /** Build the final event from the sources below. */
  BUILD: 4,
} as const;

/** Where an output parameter of a BUILD plan comes from. */
export const SourceKind = {
  /** Parameter `index` of the input event, at most `cap` bytes. */
  OLD: 0,
  /** Parameter `index` of the stored enter event, at most `cap` bytes; `constant` without one. */
  ENTER: 1,
  /** The bytes of `constant` (a default value, or empty). */
  CONST: 2,
} as const;

/** One key's plan; per-parameter facts are parallel arrays indexed by output parameter. */
export interface ConversionPlan {
  readonly kind: number;
  readonly outType: number;
  readonly outNparams: number;
  /** Length-field size of `outType`. */
  readonly outLenSize: number;
  readonly source: Uint8Array;
  readonly index: Uint16Array;
  /** Most bytes copied (the smallest maxLen of the steps the value went through). */
  readonly cap: Float64Array;
  readonly constant: readonly DataView[];
  /** Length-field size of the input type and of the stored enter event's type. */
  readonly inLenSize: number;
  readonly enterLenSize: number;
  /**
   * Output parameters 0..prefix-1 copy input parameters 0..prefix-1 whole,
   * with the same length-field size: their lengths and bytes are copied as
   * two runs.
   */
  readonly prefix: number;
  /**
   * 0, or what a last STORE / STORE_AND_PASS entry does with the built event:
   * it is stored as the thread's enter event, then dropped or returned.
   */
  readonly storeResult: number;
  /** Type the stored enter event must have (exit type - 1); -1 when no parameter reads it. */
  readonly enterType: number;
  /** 1 + the highest enter parameter read. */
  readonly enterParams: number;
  /**
   * Bound on the size of every intermediate event, as
   * fixedBytes + oldFactor * input length + enterFactor * enter length:
   * when it is within libscap's conversion buffer, no step can fail its
   * space checks, so the plan's result is the loop's.
   */
  readonly fixedBytes: number;
  readonly oldFactor: number;
  readonly enterFactor: number;
}

/** A value on its way through the steps. */
interface Value { kind: number; index: number; cap: number; constant: Buffer }

const EMPTY_BYTES: Buffer = Buffer.alloc(0);
/** A variable-length parameter's cap depends on the length-field size (maxLen in event-upgrader.ts). */
const NO_CAP = Infinity;

/** Default value of a parameter type (get_default_value_from_type): (uint32)-1 for UID and GID, else zeros. */
function defaultBytes(pt: number): Buffer {
  const len = FIXED_LEN[pt]!;
  return pt === ParamType.UID || pt === ParamType.GID ? Buffer.alloc(len, 0xff) : Buffer.alloc(len);
}

/** The cap of a copy into parameter `param` of `type`, or -1 when libscap cannot size it. */
function capOf(type: number, param: number): number {
  const pt = paramType(type, param);
  const fixed = pt < 0 ? -1 : FIXED_LEN[pt]!;
  if (fixed < 0) return -1;
  if (VARIABLE[pt]) return LEN_SIZE[type] === 2 ? 0xffff : 0xffffffff;
  return fixed;
}

/** `value` copied through one more cap. */
function capped(v: Value, cap: number): Value {
  if (v.kind === SourceKind.CONST) {
    return v.constant.length <= cap ? v : { ...v, constant: v.constant.subarray(0, cap) };
  }
  const constant = v.constant.length <= cap ? v.constant : v.constant.subarray(0, cap);
  return { kind: v.kind, index: v.index, cap: Math.min(v.cap, cap), constant };
}

/**
 * The plan of an event of `type` with exactly `nparams` parameters, or
 * undefined when the chain holds anything a plan does not express: a missing
 * entry, a callback, a parameter type without limits, a too-high parameter number,
 * a drop or error verdict after a step, or too many steps. Those events take
 * the step-by-step loop, which gives libscap's exact result or error.
 */
export function compilePlan(type: number, nparams: number): ConversionPlan | undefined {
  if (nparams > 0xff) return undefined;
  const first = conversionFor(type, nparams);
  if (first === undefined) return undefined;
  const simple = (kind: number): ConversionPlan => ({
    kind, outType: type, outNparams: nparams, outLenSize: LEN_SIZE[type]!, source: new Uint8Array(0),
    index: new Uint16Array(0), cap: new Float64Array(0), constant: [], inLenSize: LEN_SIZE[type]!, enterLenSize: 2,
    storeResult: 0, prefix: 0, enterType: -1, enterParams: 0,
    fixedBytes: 0, oldFactor: 1, enterFactor: 0,
  });
  if (first.action === ConversionAction.STORE) return simple(PlanKind.STORE);
  if (first.action === ConversionAction.STORE_AND_PASS) return simple(PlanKind.STORE_AND_PASS);
  if (first.action === ConversionAction.PASS) return simple(PlanKind.PASS);

  let values: Value[] = [];
  for (let k = 0; k < nparams; k++) values.push({ kind: SourceKind.OLD, index: k, cap: NO_CAP, constant: EMPTY_BYTES });
  let cur = type;
  let curN = nparams;
  let enterType = -1;
  let enterParams = 0;
  let enterStep = -1;
  let storeResult = 0;
  let fixedBytes = 0;
  let oldFactor = 1;
  let enterFactor = 0;
  for (let step = 1; ; step++) {
    if (step >= MAX_CONVERSION_STEPS) return undefined;
    const conv: Conversion | undefined = conversionFor(cur, curN);
    if (conv === undefined || curN > 0xff) return undefined;
    if (step > 1 && conv.action === ConversionAction.PASS) break;
    if (step > 1 && (conv.action === ConversionAction.STORE || conv.action === ConversionAction.STORE_AND_PASS)) {
      storeResult = conv.action === ConversionAction.STORE ? PlanKind.STORE : PlanKind.STORE_AND_PASS;
      break;
    }
    if (conv.action !== ConversionAction.ADD_PARAMS && conv.action !== ConversionAction.CHANGE_TYPE) return undefined;
    const newType = conv.action === ConversionAction.ADD_PARAMS ? cur : conv.targetType;
    const next: Value[] = conv.action === ConversionAction.ADD_PARAMS ? values.slice() : [];
    for (const instr of conv.instrs) {
      const param = next.length;
      switch (instr.kind) {
        case InstructionKind.FROM_EMPTY:
          next.push({ kind: SourceKind.CONST, index: 0, cap: NO_CAP, constant: EMPTY_BYTES });
          break;
        case InstructionKind.FROM_DEFAULT: {
          const pt = paramType(newType, param);
          if (pt < 0 || FIXED_LEN[pt]! < 0) return undefined;
          next.push({ kind: SourceKind.CONST, index: 0, cap: NO_CAP, constant: defaultBytes(pt) });
          break;
        }
        case InstructionKind.FROM_OLD: {
          const cap = capOf(newType, param);
          if (instr.param >= curN || cap < 0) return undefined;
          next.push(capped(values[instr.param]!, cap));
          break;
        }
        case InstructionKind.FROM_ENTER: {
          const cap = capOf(newType, param);
          if (cap < 0) return undefined;
          let fallback: Buffer = EMPTY_BYTES;
          if (!instr.fallbackToEmpty) {
            const pt = paramType(newType, param);
            if (pt < 0 || FIXED_LEN[pt]! < 0) return undefined;
            fallback = defaultBytes(pt);
          }
          if (enterStep !== -1 && enterStep !== step) {
            // An earlier step read the enter event and consumed it, or
            // found none: this one finds none and takes the fallback.
            next.push({ kind: SourceKind.CONST, index: 0, cap: NO_CAP, constant: fallback });
            break;
          }
          enterStep = step;
          enterType = cur - 1;
          enterParams = Math.max(enterParams, instr.param + 1);
          next.push({ kind: SourceKind.ENTER, index: instr.param, cap, constant: fallback });
          break;
        }
        default:
          return undefined;
      }
    }
    values = next;
    cur = newType;
    curN = next.length;
    // Size bound of this step's event (see ConversionPlan.fixedBytes).
    let constBytes = 0;
    const oldRefs = new Map<number, number>();
    const enterRefs = new Map<number, number>();
    for (const v of values) {
      constBytes += v.constant.length;
      const refs = v.kind === SourceKind.OLD ? oldRefs : v.kind === SourceKind.ENTER ? enterRefs : undefined;
      refs?.set(v.index, (refs.get(v.index) ?? 0) + 1);
    }
    fixedBytes = Math.max(fixedBytes, EVENT_HEADER_LEN + curN * LEN_SIZE[cur]! + constBytes);
    oldFactor = Math.max(oldFactor, ...oldRefs.values());
    enterFactor = Math.max(enterFactor, ...enterRefs.values());
    // test_event_convertibility on the result.
    const verdict = VERDICT[cur];
    if (verdict === Verdict.PASS) break;
    if (verdict === Verdict.CHECK_COUNT) {
      if (curN > EXPECTED_NPARAMS[cur]!) return undefined;
      if (curN === EXPECTED_NPARAMS[cur]) break;
      continue;
    }
    if (verdict !== Verdict.CONVERT) return undefined;
  }

  const n = values.length;
  const outLenSize = LEN_SIZE[cur]!;
  let prefix = 0;
  if (outLenSize === LEN_SIZE[type]) {
    while (prefix < n && values[prefix]!.kind === SourceKind.OLD && values[prefix]!.index === prefix
      && values[prefix]!.cap === NO_CAP) prefix++;
  }
  return {
    kind: PlanKind.BUILD, outType: cur, outNparams: n, outLenSize,
    source: Uint8Array.from(values, (v) => v.kind),
    index: Uint16Array.from(values, (v) => v.index),
    cap: Float64Array.from(values, (v) => v.cap),
    constant: values.map((v) => new DataView(v.constant.buffer, v.constant.byteOffset, v.constant.byteLength)),
    inLenSize: LEN_SIZE[type]!, enterLenSize: enterType >= 0 ? LEN_SIZE[enterType]! : 2,
    storeResult, prefix, enterType, enterParams, fixedBytes, oldFactor, enterFactor,
  };
}

/**
 * Plans by `type * 256 + nparams`, compiled on first use: compiling all of
 * them at load took a noticeable part of the command's start-up, and a
 * capture meets a few dozen keys.
 */
const PLANS: Array<ConversionPlan | null | undefined> = new Array<ConversionPlan | null | undefined>(PPM_EVENT_MAX * 256);

/** The compiled plan of an event of `type` with `nparams` parameters, if the table's chain for it compiles. */
export function planFor(type: number, nparams: number): ConversionPlan | undefined {
  if (nparams > 0xff) return undefined;
  const key = type * 256 + nparams;
  let plan = PLANS[key];
  if (plan === undefined) plan = PLANS[key] = compilePlan(type, nparams) ?? null;
  return plan ?? undefined;
}
