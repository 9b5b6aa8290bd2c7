// Upgrading old event layouts as libscap does on read: the conversion table
// (data), the plans compiled from it (one pass per event), the single-event
// upgrader that runs plans and falls back to the table's step-by-step loop,
// the bounded store of enter events, and the batch stage that puts them
// together.

export { LayoutConverter, readingConverter, skippedEventWarning } from './layout-converter.js';
export type { BatchArrays, LayoutConverterOptions } from './layout-converter.js';
export { EventUpgrader, MAX_CONVERTED_EVENT_BYTES, Outcome, Verdict } from './event-upgrader.js';
export { EnterEventStore, MAX_FOLLOWED, forgottenEnterWarning } from './enter-event-store.js';
export { PlanKind, SourceKind, compilePlan, planFor } from './conversion-plan.js';
export type { ConversionPlan } from './conversion-plan.js';
export type { EnterEventLosses, EnterEventStoreStats } from './enter-event-store.js';
export {
  CONVERSIONS, ConversionAction, InstructionKind, MAX_CONVERSION_STEPS, conversionFor,
} from './conversion-table.js';
export type {
  Conversion, ConversionActionValue, ConversionInstruction, InstructionKindValue, OldParamReader, ParamCallback,
} from './conversion-table.js';
