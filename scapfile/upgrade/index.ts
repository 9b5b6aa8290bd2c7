// Upgrading old event layouts as libscap does on read: the conversion table
// (data) and the stage that applies it to event batches.

export { LayoutConverter, MAX_CONVERTED_EVENT_BYTES } from './layout-converter.js';
export type { LayoutConverterOptions } from './layout-converter.js';
export {
  CONVERSIONS, ConversionAction, InstructionKind, MAX_CONVERSION_STEPS, conversionFor,
} from './conversion-table.js';
export type {
  Conversion, ConversionActionValue, ConversionInstruction, InstructionKindValue, OldParamReader, ParamCallback,
} from './conversion-table.js';
