// evt.* fields about events that do not come from syscalls, with libsinsp's
// rules (falcosecurity/libs 48dfd53):
// - evt.pluginname / evt.plugininfo (sinsp_filtercheck_gen_event.cpp): the
//   plugin that produced a plugin event and its rendering of the event. Both
//   need the plugin loaded; scapkit loads no plugins, so, like libsinsp
//   without the plugin, they have no value (a filter on them is valid and
//   matches accordingly: `evt.pluginname exists` matches nothing).
// - evt.infra.docker.* (sinsp_filtercheck_event.cpp): read from the
//   description of an `infra` event (sysdig's Docker events): `;`-separated
//   `Key: value` items, each trimmed; the value is the text between the first
//   and second colon, trimmed; container ids are cut to 12 characters;
//   images drop a `@digest`, or when they hold `sha256` keep everything after
//   the first colon. An item without its value (no colon) gives no value
//   here, where libsinsp reads past its list.

import type { EventCursor } from '../../scapfile/event-cursor.js';
import { EventType } from '../../scapfile/schema/events.js';
import { paramString } from '../state/event-params.js';
import { field } from './field.js';
import type { FieldDef } from './field.js';

/** The description parameter of `infra` events (source, name, description, scope). */
const DESCRIPTION = 2;

/** C's isspace in the C locale. */
const isSpace = (c: number): boolean => c === 0x20 || (c >= 0x09 && c <= 0x0d);

/** libsinsp's trim: C-locale white space off both ends. */
function trim(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isSpace(s.charCodeAt(a))) a++;
  while (b > a && isSpace(s.charCodeAt(b - 1))) b--;
  return s.slice(a, b);
}

/** The trimmed description items of an infra event, or undefined for any other event. */
function infraItems(ev: EventCursor): string[] | undefined {
  if (ev.type !== EventType.INFRASTRUCTURE_EVENT_E || ev.nparams <= DESCRIPTION) return undefined;
  const d = paramString(ev, DESCRIPTION);
  return d === '' ? [] : d.split(';').map(trim);
}

/** The value of the first item starting with `key`, made by `value` from the item and its colon-split parts. */
function infraField(name: string, description: string, key: string,
  value: (item: string, parts: string[]) => string): FieldDef {
  return field(name, description, (ev) => {
    const items = infraItems(ev);
    if (items === undefined) return undefined;
    for (const item of items) {
      if (!item.startsWith(key)) continue;
      const parts = item.split(':');
      return parts.length < 2 ? undefined : value(item, parts);
    }
    return undefined;
  });
}

export const OUTSIDE_EVENTS_FIELDS: readonly FieldDef[] = [
  field('evt.pluginname', 'the plugin that produced a plugin event (needs the plugin loaded: scapkit loads none, so no value)',
    () => undefined),
  field('evt.plugininfo', "a plugin's summary of its event (needs the plugin loaded: scapkit loads none, so no value)",
    () => undefined),
  infraField('evt.infra.docker.name', 'for Docker infrastructure events (infra), the name of the event', 'Event',
    (_item, parts) => trim(parts[1]!)),
  infraField('evt.infra.docker.container.id', 'for Docker infrastructure events, the id of the container (12 characters)', 'ID',
    (_item, parts) => trim(parts[1]!).slice(0, 12)),
  infraField('evt.infra.docker.container.name', 'for Docker infrastructure events, the name of the container', 'name',
    (_item, parts) => trim(parts[1]!)),
  infraField('evt.infra.docker.container.image', 'for Docker infrastructure events, the image of the container', 'Image',
    (item, parts) => {
      let image = parts[1]!;
      const at = image.indexOf('@');
      if (at >= 0) image = image.slice(0, at);
      else if (image.includes('sha256')) image = item.slice(item.indexOf(':') + 1);
      return trim(image);
    }),
];
