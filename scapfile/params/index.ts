// Typed access to event parameters (see decode.ts).
export {
  decodeParam,
  decodeBytes,
  paramInt,
  paramUint,
  paramBytes,
  paramLatin1,
  FIXED_PARAM_SIZE,
  SockFamily,
  decodeSockAddr,
  decodeSockTuple,
} from './decode.js';
export type { ParamValue, ParamKind, FdListEntry, SockAddr, SockTuple } from './decode.js';
