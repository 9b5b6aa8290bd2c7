import { EVENT_EXTRA_FIELDS } from './event-extra-fields.js';
import { EVENT_FIELDS } from './event-fields.js';
import { EVENT_STATS_FIELDS } from './event-stats-fields.js';
import { FD_EXTRA_FIELDS } from './fd-fields.js';
import { FD_SOCKET_FILE_FIELDS } from './fd-socket-file-fields.js';
import type { FieldDef } from './field.js';
import { PROC_FIELDS, USER_FIELDS } from './proc-fields.js';
import { PROC_RESOURCE_FIELDS } from './proc-resource-fields.js';
import { CONTAINER_FIELDS } from './container-fields.js';
import { CATEGORY_FIELDS } from './event-category.js';
import { FD_FIELDS, THREAD_FIELDS } from './thread-fields.js';
import { FSPATH_FIELDS } from './fspath-fields.js';
import { FDLIST_FIELDS } from './fdlist-fields.js';
import { OUTSIDE_EVENTS_FIELDS } from './outside-events-fields.js';

export type { FieldContext, FieldDef, FieldExtractor } from './field.js';
export { formatTime, formatDateTime } from './event-time.js';
export { ancestorProcess, cmdline, forEachAncestor } from './proc-fields.js';
export { eventCategory } from './event-category.js';

/** Every field users can name, by name. */
export const FIELDS: ReadonlyMap<string, FieldDef> = new Map(
  [...EVENT_FIELDS, ...EVENT_EXTRA_FIELDS, ...EVENT_STATS_FIELDS, ...OUTSIDE_EVENTS_FIELDS, ...CATEGORY_FIELDS, ...THREAD_FIELDS, ...PROC_FIELDS, ...PROC_RESOURCE_FIELDS, ...USER_FIELDS, ...FD_FIELDS, ...FD_EXTRA_FIELDS, ...FD_SOCKET_FILE_FIELDS, ...FSPATH_FIELDS, ...FDLIST_FIELDS, ...CONTAINER_FIELDS]
    .map((f) => [f.name, f]),
);
