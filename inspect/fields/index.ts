import { EVENT_FIELDS } from './event-fields.js';
import type { FieldDef } from './field.js';
import { FD_FIELDS, THREAD_FIELDS } from './thread-fields.js';

export type { FieldContext, FieldDef, FieldExtractor } from './field.js';
export { formatTime, formatDateTime } from './event-time.js';

/** Every field users can name, by name. */
export const FIELDS: ReadonlyMap<string, FieldDef> = new Map(
  [...EVENT_FIELDS, ...THREAD_FIELDS, ...FD_FIELDS].map((f) => [f.name, f]),
);
