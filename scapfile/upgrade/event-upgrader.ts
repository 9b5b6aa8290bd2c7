// Upgrades one event to its current layout the way libscap's savefile
// engine does before handing it out: the eligibility rules, then the
// conversion loop over conversion-table.ts (falcosecurity/libs 48dfd53,
// userspace/libscap/engine/savefile/scap_savefile.c `next`, and
// converter/converter.cpp: test_event_convertibility, scap_convert_event,
// convert_event and the push_* helpers). `LayoutConverter` runs it over batches.

import { u16, u32, i32, w16, w32 } from '../bytes.js';
import { copyBytes, copyView, viewOf } from '../bytes.js';
import { EVENT_HEADER_LEN } from '../event-batch.js';
import { ScapFormatError, scapMessage } from '../errors.js';
import { EVENTS } from '../schema/events.js';
import { ParamType } from '../schema/types.js';
import {
  ConversionAction, InstructionKind, MAX_CONVERSION_STEPS, conversionFor,
  type ConversionInstruction, type OldParamReader,
} from './conversion-table.js';
import type { EnterEventStore } from './enter-event-store.js';
import { PlanKind, SourceKind, planFor, type ConversionPlan } from './conversion-plan.js';
import { EXPECTED_NPARAMS, FIXED_LEN, LEN_SIZE, VARIABLE, VERDICT, Verdict, paramType } from './verdicts.js';

/** libscap's conversion buffers hold this many bytes (MAX_EVENT_SIZE, scap_savefile.c). */
export const MAX_CONVERTED_EVENT_BYTES = 64 * 1024;

export { EXPECTED_NPARAMS, VERDICT, Verdict } from './verdicts.js';
const { PASS, DROP, CONVERT, CHECK_COUNT, TABLE_BUG, UNKNOWN } = Verdict;

/** What became of an event handed to `EventUpgrader.upgrade`. */
export const Outcome = {
  /** Returned with its original bytes. */
  SAME: 0,
  /** Returned as the event now at offset 0 of `EventUpgrader.result`. */
  NEW: 1,
  /** Not returned: libscap answers SCAP_FILTERED_EVENT. */
  DROP: 2,
} as const;
const OUT_SAME = Outcome.SAME;
const OUT_NEW = Outcome.NEW;
const OUT_DROP = Outcome.DROP;
const STEP_CONTINUE = 3;
/** `runPlan` / `tryPlan`: the plan does not describe this event; run the steps. */
export const NO_PLAN = 4;

/**
 * Runs libscap's conversion on single events, keeping enter events in the
 * given store. Throws `ScapFormatError` where libscap's `next` fails.
 * Allocates nothing per event: a compiled plan (conversion-plan.ts) writes
 * the result straight into the caller's buffer; the step-by-step loop, for
 * what plans do not describe, builds it in two reused 64 KiB buffers.
 */
export class EventUpgrader {
  private readonly scratchA: Buffer = Buffer.alloc(MAX_CONVERTED_EVENT_BYTES);
  private readonly scratchB: Buffer = Buffer.alloc(MAX_CONVERTED_EVENT_BYTES);
  private resultBuf: Buffer = this.scratchA;
  // Two cached views: of the input buffer and of the output buffer.
  private viewBuf0: Buffer | undefined = undefined;
  private view0: DataView = viewOf(this.scratchA);
  private viewBuf1: Buffer | undefined = undefined;
  private view1: DataView = viewOf(this.scratchA);
  /** Parameter start offsets of the event being converted and of the stored enter event. */
  private oldStarts: Int32Array = new Int32Array(64);
  private enterStarts: Int32Array = new Int32Array(64);
  private readonly oldReader = new EventParamReader();
  // Position of the event being converted, for error messages.
  private errNum = 0;
  private errBlockOffset = 0;

  /**
   * `shapesChecked`: the input's events were checked as `checkEventShape`
   * does (the block reader checks every event it hands out), so the check is
   * not repeated per event.
   */
  /**
   * Store enter events by reference to the input (`EnterEventStore.putRef`):
   * set by a caller that keeps the input unchanged and calls
   * `EnterEventStore.settle` before it may change.
   */
  storeByReference = false;

  constructor(private readonly stored: EnterEventStore, private readonly shapesChecked = false,
    /** Run compiled plans (conversion-plan.ts) where they apply; false runs every event step by step. */
    private readonly usePlans = true) {}

  /** Where the last `Outcome.NEW` event was built (at offset 0); overwritten by the next call. */
  get result(): Buffer { return this.resultBuf; }

  /**
   * What libscap's `next` does with the event at `buf[at]` once read: checks
   * its shape, its verdict, then runs the conversion loop. Callers may skip
   * events whose `VERDICT` is PASS, or CHECK_COUNT with `EXPECTED_NPARAMS`
   * parameters: they come back SAME. Types >= PPM_EVENT_MAX come back DROP
   * (libscap never returns them). `num` and `blockOffset` serve error messages.
   */
  upgrade(buf: Buffer, at: number, num: number, blockOffset: number): number {
    return this.upgradeInto(buf, at, num, blockOffset, undefined, 0);
  }

  /**
   * `upgrade`, with an `Outcome.NEW` event written at `out[outAt]` instead of
   * `result`, so that a batch is built without a copy per event.
   * `out` must have MAX_CONVERTED_EVENT_BYTES bytes from `outAt`.
   */
  upgradeInto(buf: Buffer, at: number, num: number, blockOffset: number, out: Buffer | undefined, outAt: number): number {
    this.errNum = num;
    this.errBlockOffset = blockOffset;
    if (at < 0 || at + EVENT_HEADER_LEN > buf.length) this.fail(`event header runs past the batch buffer`);
    const type = u16(buf, at + 20);
    if (VERDICT[type] === UNKNOWN) return OUT_DROP;
    if (!this.shapesChecked) this.checkEventShape(buf, at);
    const nparams = u32(buf, at + 22);
    switch (VERDICT[type]) {
      case PASS: return OUT_SAME;
      case DROP: return OUT_DROP;
      case TABLE_BUG: return this.fail(notManaged(type));
      case CHECK_COUNT: {
        const expected = EXPECTED_NPARAMS[type]!;
        if (nparams > expected) this.fail(tooManyParams(type, nparams, expected));
        if (nparams === expected) return OUT_SAME;
        break;
      }
      default: break;
    }
    if (this.usePlans) {
      const plan = planFor(type, nparams);
      if (plan !== undefined) {
        const r = this.runPlan(plan, this.viewOf(buf, 0), at, this.viewOf(out ?? this.scratchA, 1), out === undefined ? 0 : outAt);
        if (r !== NO_PLAN) {
          if (out === undefined) this.resultBuf = this.scratchA;
          return r;
        }
      }
    }
    let src = buf;
    let srcAt = at;
    let dst = this.scratchA;
    for (let step = 1; ; step++) {
      const r = this.step(src, srcAt, dst, step === 1);
      // libscap reports the 50th conversion as an error whatever its result.
      if (step === MAX_CONVERSION_STEPS) this.fail(`event needs more than ${MAX_CONVERSION_STEPS - 1} conversions`);
      if (r !== STEP_CONTINUE) {
        this.resultBuf = dst;
        if (r === OUT_NEW && out !== undefined) copyBytes(dst, 0, u32(dst, 16), out, outAt);
        return r;
      }
      src = dst;
      srcAt = 0;
      dst = dst === this.scratchA ? this.scratchB : this.scratchA;
    }
  }

  /**
   * The compiled plan alone, for a caller that knows the event at `at` of
   * `sv` has a checked shape and a verdict that sends it to the conversion
   * loop (CONVERT, or CHECK_COUNT with fewer parameters than the schema): the
   * checks `upgradeInto` makes first are then already answered. Writes a new
   * event at `to` of `dv` like `upgradeInto`; NO_PLAN (nothing changed) means
   * the event needs `upgradeInto`. Never throws.
   */
  tryPlan(type: number, nparams: number, sv: DataView, at: number, dv: DataView, to: number): number {
    if (!this.usePlans) return NO_PLAN;
    const plan = planFor(type, nparams);
    return plan === undefined ? NO_PLAN : this.runPlan(plan, sv, at, dv, to);
  }

  /**
   * Runs a compiled plan on the event at `src[at]` (`sv` a view of `src`),
   * writing a new event at `to` of `dv`. Answers NO_PLAN, having changed
   * nothing, when this event is one the plan does not describe exactly:
   * parameter bytes that do not end at the event length (ADD_PARAMS would
   * carry the slack along), a stored enter event of the wrong type or with
   * too few parameters, or sizes near libscap's conversion buffer. The
   * step-by-step loop then decides, errors included. Bytes move through
   * DataViews (see `copyView`).
   */
  private runPlan(plan: ConversionPlan, sv: DataView, at: number, dv: DataView, to: number): number {
    const len = sv.getUint32(at + 16, true);
    if (len > MAX_CONVERTED_EVENT_BYTES) return NO_PLAN;
    const kind = plan.kind;
    const tid = sv.getInt32(at + 12, true) * 4294967296 + sv.getUint32(at + 8, true);
    if (kind !== PlanKind.BUILD) {
      if (kind === PlanKind.PASS) return OUT_SAME;
      if (this.storeByReference) this.stored.putRef(tid, sv, at, len);
      else this.stored.put(tid, sv, at, len);
      return kind === PlanKind.STORE ? OUT_DROP : OUT_SAME;
    }
    const nparams = sv.getUint32(at + 22, true);
    const inLenSize = plan.inLenSize;
    let oldStarts = this.oldStarts;
    if (oldStarts.length <= nparams) oldStarts = this.oldStarts = new Int32Array(nparams + 64);
    {
      let lenAt = at + EVENT_HEADER_LEN;
      let p = lenAt + nparams * inLenSize;
      for (let k = 0; k < nparams; k++, lenAt += inLenSize) {
        oldStarts[k] = p;
        p += inLenSize === 2 ? sv.getUint16(lenAt, true) : sv.getUint32(lenAt, true);
      }
      if (p !== at + len) return NO_PLAN;
      oldStarts[nparams] = p;
    }

    const store = this.stored;
    let enterSlot = -1;
    let ev: DataView | undefined;
    let base = 0;
    let enterLen = 0;
    const enterStarts = this.enterStarts;
    if (plan.enterType >= 0) {
      enterSlot = store.find(tid);
      if (enterSlot >= 0) {
        ev = store.viewOf(enterSlot);
        base = store.baseOf(enterSlot);
        const enterNparams = ev.getUint32(base + 22, true);
        if (ev.getUint16(base + 20, true) !== plan.enterType || enterNparams < plan.enterParams
          || enterStarts.length <= enterNparams) return NO_PLAN;
        enterLen = ev.getUint32(base + 16, true);
        const enterLenSize = plan.enterLenSize;
        let lenAt = base + EVENT_HEADER_LEN;
        let p = lenAt + enterNparams * enterLenSize;
        for (let k = 0; k < enterNparams; k++, lenAt += enterLenSize) {
          enterStarts[k] = p;
          p += enterLenSize === 2 ? ev.getUint16(lenAt, true) : ev.getUint32(lenAt, true);
        }
        enterStarts[enterNparams] = p;
      } else {
        store.missing(tid);
      }
    }
    if (plan.fixedBytes + plan.oldFactor * len + plan.enterFactor * enterLen > MAX_CONVERTED_EVENT_BYTES) return NO_PLAN;

    const n = plan.outNparams;
    const lenSize = plan.outLenSize;
    // ts and tid as they are; length, type and nparams follow.
    dv.setInt32(to, sv.getInt32(at, true), true);
    dv.setInt32(to + 4, sv.getInt32(at + 4, true), true);
    dv.setInt32(to + 8, sv.getInt32(at + 8, true), true);
    dv.setInt32(to + 12, sv.getInt32(at + 12, true), true);
    dv.setUint16(to + 20, plan.outType, true);
    dv.setUint32(to + 22, n, true);
    let lenAt = to + EVENT_HEADER_LEN;
    let pos = lenAt + n * lenSize;
    const prefix = plan.prefix;
    if (prefix > 0) {
      copyView(sv, at + EVENT_HEADER_LEN, at + EVENT_HEADER_LEN + prefix * lenSize, dv, lenAt);
      lenAt += prefix * lenSize;
      const start = oldStarts[0]!;
      const end = oldStarts[prefix]!;
      copyView(sv, start, end, dv, pos);
      pos += end - start;
    }
    const source = plan.source;
    const index = plan.index;
    const cap = plan.cap;
    for (let p = prefix; p < n; p++, lenAt += lenSize) {
      const kind = source[p]!;
      let plen: number;
      if (kind === SourceKind.OLD) {
        const start = oldStarts[index[p]!]!;
        plen = Math.min(oldStarts[index[p]! + 1]! - start, cap[p]!);
        copyView(sv, start, start + plen, dv, pos);
      } else if (kind === SourceKind.ENTER && ev !== undefined) {
        const start = enterStarts[index[p]!]!;
        plen = Math.min(enterStarts[index[p]! + 1]! - start, cap[p]!);
        copyView(ev, start, start + plen, dv, pos);
      } else {
        const c = plan.constant[p]!;
        plen = c.byteLength;
        copyView(c, 0, plen, dv, pos);
      }
      pos += plen;
      if (lenSize === 2) dv.setUint16(lenAt, plen, true);
      else dv.setUint32(lenAt, plen, true);
    }
    dv.setUint32(to + 16, pos - to, true);
    if (enterSlot >= 0) store.consume(enterSlot);
    const storeResult = plan.storeResult;
    if (storeResult !== 0) {
      store.put(tid, dv, to, pos - to);
      if (storeResult === PlanKind.STORE) return OUT_DROP;
    }
    return OUT_NEW;
  }

  /** A view of `buf`, kept while the same buffer comes back (one per batch, not per event). */
  private viewOf(buf: Buffer, which: 0 | 1): DataView {
    if (which === 0) {
      if (buf !== this.viewBuf0) { this.viewBuf0 = buf; this.view0 = viewOf(buf); }
      return this.view0;
    }
    if (buf !== this.viewBuf1) { this.viewBuf1 = buf; this.view1 = viewOf(buf); }
    return this.view1;
  }

  /** One conversion (scap_convert_event): builds the next version of the event at `src[at]` into `dst`. */
  private step(src: Buffer, at: number, dst: Buffer, first: boolean): number {
    const len = u32(src, at + 16);
    if (len > MAX_CONVERTED_EVENT_BYTES) this.fail(`event length ${len} exceeds libscap's ${MAX_CONVERTED_EVENT_BYTES}-byte conversion buffer`);
    const type = u16(src, at + 20);
    const nparams = u32(src, at + 22);
    const conv = conversionFor(type, nparams);
    if (conv === undefined) this.fail(`${eventName(type)} with ${nparams} parameters needs a conversion libscap does not have`);
    const tid = i32(src, at + 12) * 4294967296 + u32(src, at + 8);
    switch (conv.action) {
      case ConversionAction.STORE:
        this.stored.put(tid, this.viewOf(src, 0), at, len);
        return OUT_DROP;
      case ConversionAction.STORE_AND_PASS:
        this.stored.put(tid, this.viewOf(src, 0), at, len);
        return this.passAsIs(src, at, len, dst, first);
      case ConversionAction.PASS:
        return this.passAsIs(src, at, len, dst, first);
      default:
        break;
    }

    const oldLenSize = LEN_SIZE[type]!;
    const oldDataStart = EVENT_HEADER_LEN + nparams * oldLenSize;
    let newType = type;
    let newNparams: number;
    let param: number;
    let pos: number;
    copyBytes(src, at, at + EVENT_HEADER_LEN, dst, 0);
    if (conv.action === ConversionAction.ADD_PARAMS) {
      // Keep the present lengths and parameter bytes (all of them, up to the
      // event length) and make room for the new lengths (copy_old_params).
      if (oldDataStart > len) this.fail(`event length ${len} is smaller than its ${nparams} parameter lengths`);
      newNparams = nparams + conv.instrs.length;
      pos = EVENT_HEADER_LEN + newNparams * oldLenSize;
      this.checkSpace(pos, len - oldDataStart);
      copyBytes(src, at + EVENT_HEADER_LEN, at + oldDataStart, dst, EVENT_HEADER_LEN);
      copyBytes(src, at + oldDataStart, at + len, dst, pos);
      pos += len - oldDataStart;
      param = nparams;
    } else {
      newType = conv.targetType;
      newNparams = conv.instrs.length;
      pos = EVENT_HEADER_LEN + newNparams * LEN_SIZE[newType]!;
      this.checkSpace(pos, 0);
      param = 0;
    }
    w16(dst, 20, newType);
    w32(dst, 22, newNparams);
    const lenSize = LEN_SIZE[newType]!;

    const oldStarts = (this.oldStarts = paramStarts(src, at, oldLenSize, nparams, this.oldStarts));
    let usedEnter = false;
    /** The stored enter event: null until an instruction needs it, undefined when there is none. */
    let enter: Buffer | undefined | null = null;
    let enterNparams = 0;
    const instrs = conv.instrs;
    for (let n = 0; n < instrs.length; n++) {
      const instr = instrs[n]!;
      switch (instr.kind) {
        case InstructionKind.FROM_EMPTY:
          this.setLen(dst, param, 0, lenSize);
          break;
        case InstructionKind.FROM_DEFAULT:
          pos = this.pushDefault(dst, newType, param, pos, lenSize);
          break;
        case InstructionKind.FROM_OLD:
          if (instr.param >= nparams) this.fail(`${eventName(type)} has no parameter ${instr.param} to convert (${nparams} parameters)`);
          pos = this.pushCopy(dst, newType, param, pos, lenSize, src, oldStarts, instr.param);
          break;
        case InstructionKind.FROM_ENTER: {
          // Looked up and located once per step, for the first instruction
          // that reads it: a step that copies several enter parameters reads
          // the same stored event each time.
          if (enter === null) {
            enter = this.stored.get(tid);
            if (enter === undefined) {
              this.stored.missing(tid);
            } else {
              const enterType = u16(enter, 20);
              if (enterType !== type - 1) this.fail(`the stored enter event of ${eventName(type)} is a ${eventName(enterType)}`);
              enterNparams = u32(enter, 22);
              this.enterStarts = paramStarts(enter, 0, LEN_SIZE[enterType]!, enterNparams, this.enterStarts);
            }
          }
          if (enter === undefined) {
            pos = this.pushFallback(dst, newType, param, pos, lenSize, instr);
            break;
          }
          if (instr.param >= enterNparams) this.fail(`the stored enter event ${eventName(u16(enter, 20))} has no parameter ${instr.param} (${enterNparams} parameters)`);
          pos = this.pushCopy(dst, newType, param, pos, lenSize, enter, this.enterStarts, instr.param);
          usedEnter = true;
          break;
        }
        case InstructionKind.FROM_CALLBACK:
          pos = this.pushComputed(dst, newType, param, pos, lenSize, instr, src, oldStarts, nparams);
          break;
      }
      param++;
    }
    if (usedEnter) this.stored.clear(tid);
    w32(dst, 16, pos);
    return this.verdictAfterStep(newType, newNparams);
  }

  private passAsIs(src: Buffer, at: number, len: number, dst: Buffer, first: boolean): number {
    if (first) return OUT_SAME;
    copyBytes(src, at, at + len, dst, 0);
    return OUT_NEW;
  }

  /** test_event_convertibility on a freshly converted event. */
  private verdictAfterStep(type: number, nparams: number): number {
    switch (VERDICT[type]) {
      case PASS: return OUT_NEW;
      case DROP: return OUT_DROP;
      case CONVERT: return STEP_CONTINUE;
      case CHECK_COUNT: {
        const expected = EXPECTED_NPARAMS[type]!;
        if (nparams > expected) this.fail(tooManyParams(type, nparams, expected));
        return nparams === expected ? OUT_NEW : STEP_CONTINUE;
      }
      default:
        return this.fail(notManaged(type));
    }
  }

  private pushDefault(dst: Buffer, type: number, param: number, pos: number, lenSize: number): number {
    const pt = paramType(type, param);
    const len = FIXED_LEN[pt] ?? -1;
    if (len < 0) this.fail(noLimits(type, param));
    this.checkLenSlot(param, lenSize);
    this.checkSpace(pos, len);
    // UID and GID default to (uint32)-1, every other type to zeros (get_default_value_from_type).
    if (pt === ParamType.UID || pt === ParamType.GID) w32(dst, pos, 0xffffffff);
    else dst.fill(0, pos, pos + len);
    this.setLen(dst, param, len, lenSize);
    return pos + len;
  }

  private pushFallback(dst: Buffer, type: number, param: number, pos: number, lenSize: number,
    instr: ConversionInstruction): number {
    if (instr.fallbackToEmpty) {
      this.checkLenSlot(param, lenSize);
      this.setLen(dst, param, 0, lenSize);
      return pos;
    }
    return this.pushDefault(dst, type, param, pos, lenSize);
  }

  /** Copies parameter `k` of another event, cut to what the new parameter's type can hold (cap_param_len). */
  private pushCopy(dst: Buffer, type: number, param: number, pos: number, lenSize: number,
    from: Buffer, starts: Int32Array, k: number): number {
    const start = starts[k]!;
    const len = Math.min(starts[k + 1]! - start, this.maxLen(type, param, lenSize));
    this.checkLenSlot(param, lenSize);
    this.checkSpace(pos, len);
    copyBytes(from, start, start + len, dst, pos);
    this.setLen(dst, param, len, lenSize);
    return pos + len;
  }

  private pushComputed(dst: Buffer, type: number, param: number, pos: number, lenSize: number,
    instr: ConversionInstruction, src: Buffer, starts: Int32Array, nparams: number): number {
    const minLen = FIXED_LEN[paramType(type, param)] ?? -1;
    if (minLen < 0) this.fail(noLimits(type, param));
    const maxLen = this.maxLen(type, param, lenSize);
    let value: Buffer;
    try {
      value = instr.callback!(this.oldReader.bind(src, starts, nparams), minLen, maxLen);
    } catch {
      return this.pushFallback(dst, type, param, pos, lenSize, instr);
    }
    if (value.length < minLen || value.length > maxLen) {
      this.fail(`computed parameter ${param} of ${eventName(type)} has ${value.length} bytes, outside ${minLen}..${maxLen}`);
    }
    this.checkLenSlot(param, lenSize);
    this.checkSpace(pos, value.length);
    value.copy(dst, pos);
    this.setLen(dst, param, value.length, lenSize);
    return pos + value.length;
  }

  private maxLen(type: number, param: number, lenSize: number): number {
    const pt = paramType(type, param);
    const fixed = FIXED_LEN[pt] ?? -1;
    if (fixed < 0) this.fail(noLimits(type, param));
    if (VARIABLE[pt]) return lenSize === 2 ? 0xffff : 0xffffffff;
    return fixed;
  }

  private setLen(dst: Buffer, param: number, len: number, lenSize: number): void {
    this.checkLenSlot(param, lenSize);
    const at = EVENT_HEADER_LEN + param * lenSize;
    if (lenSize === 2) w16(dst, at, len);
    else w32(dst, at, len);
  }

  private checkLenSlot(param: number, lenSize: number): void {
    this.checkSpace(EVENT_HEADER_LEN + param * lenSize, lenSize);
  }

  /** ensure_evt_space: the converted event must fit libscap's conversion buffer. */
  private checkSpace(at: number, len: number): void {
    if (at > MAX_CONVERTED_EVENT_BYTES || len > MAX_CONVERTED_EVENT_BYTES - at) {
      this.fail(`converted event would exceed libscap's ${MAX_CONVERTED_EVENT_BYTES}-byte conversion buffer`);
    }
  }

  /**
   * Checks that the event at `buf[at]` is whole and that its parameter
   * lengths fit inside it, before its parameters are located and copied.
   */
  private checkEventShape(buf: Buffer, at: number): void {
    const len = u32(buf, at + 16);
    if (len < EVENT_HEADER_LEN) this.fail(`event length ${len} is shorter than the ${EVENT_HEADER_LEN}-byte event header`);
    if (len > buf.length - at) this.fail(`event length ${len} runs past the batch buffer`);
    const type = u16(buf, at + 20);
    const nparams = u32(buf, at + 22);
    const lenSize = LEN_SIZE[type]!;
    const dataStart = EVENT_HEADER_LEN + nparams * lenSize;
    if (dataStart > len) this.fail(`${nparams} parameter lengths do not fit in event length ${len}`);
    let sum = 0;
    for (let k = 0, p = at + EVENT_HEADER_LEN; k < nparams; k++, p += lenSize) {
      sum += lenSize === 2 ? u16(buf, p) : u32(buf, p);
    }
    if (sum > len - dataStart) {
      this.fail(`parameter lengths add up to ${sum} bytes, beyond the ${len - dataStart} bytes after them in event length ${len}`);
    }
  }

  private fail(message: string): never {
    const position = { offset: this.errBlockOffset, blockOffset: this.errBlockOffset };
    throw new ScapFormatError(scapMessage(`event #${this.errNum} fails libscap's upgrade of old layouts (${message})`, { offset: position.offset }), position);
  }
}

/** The parameter readers of conversion callbacks see (scap_evt_param_reader). */
class EventParamReader implements OldParamReader {
  private buf: Buffer = Buffer.alloc(0);
  private starts: Int32Array = new Int32Array(1);
  private nparams = 0;

  bind(buf: Buffer, starts: Int32Array, nparams: number): this {
    this.buf = buf;
    this.starts = starts;
    this.nparams = nparams;
    return this;
  }

  read(k: number, maxLen: number): Buffer {
    if (k >= this.nparams) throw new RangeError(`no parameter ${k}`);
    const start = this.starts[k]!;
    const len = this.starts[k + 1]! - start;
    if (len > maxLen) throw new RangeError(`parameter ${k} is longer than ${maxLen} bytes`);
    return this.buf.subarray(start, start + len);
  }
}


/** Start of each parameter of the event at `buf[at]`, and (at [nparams]) the end of the last one. */
function paramStarts(buf: Buffer, at: number, lenSize: number, nparams: number, into: Int32Array): Int32Array {
  const starts = into.length > nparams ? into : new Int32Array(nparams + 64);
  let lenAt = at + EVENT_HEADER_LEN;
  let p = lenAt + nparams * lenSize;
  for (let k = 0; k < nparams; k++, lenAt += lenSize) {
    starts[k] = p;
    p += lenSize === 2 ? u16(buf, lenAt) : u32(buf, lenAt);
  }
  starts[nparams] = p;
  return starts;
}

function eventName(type: number): string {
  const e = EVENTS[type];
  return e === undefined ? `event type ${type}` : `${e.code} (${e.name})`;
}

const tooManyParams = (type: number, found: number, expected: number): string =>
  `${eventName(type)} has ${found} parameters, more than the ${expected} of its layout`;
const notManaged = (type: number): string =>
  `${eventName(type)} is an old exit event the converter does not manage`;
const noLimits = (type: number, param: number): string =>
  `parameter ${param} of ${eventName(type)} has a type libscap cannot size`;
