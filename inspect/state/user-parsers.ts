// The user and group events (falcosecurity/libs 48dfd53: parsers.cpp
// parse_user_evt, parse_group_evt; user.cpp add_user, rm_user, add_group,
// rm_group): host entries (no container id) are added, updated and removed.
// A container's users live in tables sinsp fills from the container's
// /etc/passwd, which a capture file does not have: there the events change
// nothing.

import type { EventCursor } from '../../scapfile/event-cursor.js';
import { EventType } from '../../scapfile/schema/events.js';
import { paramEmpty, paramString, paramUint, pidx } from './event-params.js';
import type { UserTable } from './users.js';

// userdeleted and groupdeleted have the parameters of useradded and groupadded.
const U = (name: string): number => pidx('USER_ADDED_E', name);
const USER = { uid: U('uid'), gid: U('gid'), name: U('name'), home: U('home'), shell: U('shell'), container: U('container_id') };
const G = (name: string): number => pidx('GROUP_ADDED_E', name);
const GROUP = { gid: G('gid'), name: G('name'), container: G('container_id') };

/** Applies a useradded, userdeleted, groupadded or groupdeleted event to `users`. */
export function parseUserEvent(users: UserTable, ev: EventCursor): void {
  const text = (k: number): string => (paramEmpty(ev, k) ? '' : paramString(ev, k));
  switch (ev.type) {
    case EventType.USER_ADDED_E:
      if (text(USER.container) === '') {
        users.addUser(paramUint(ev, USER.uid), paramUint(ev, USER.gid), text(USER.name), text(USER.home), text(USER.shell));
      }
      break;
    case EventType.USER_DELETED_E:
      if (text(USER.container) === '') users.removeUser(paramUint(ev, USER.uid));
      break;
    case EventType.GROUP_ADDED_E:
      if (text(GROUP.container) === '') users.addGroup(paramUint(ev, GROUP.gid), text(GROUP.name));
      break;
    case EventType.GROUP_DELETED_E:
      if (text(GROUP.container) === '') users.removeGroup(paramUint(ev, GROUP.gid));
      break;
  }
}
