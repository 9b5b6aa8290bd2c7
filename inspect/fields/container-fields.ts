// `container.id`, from the cgroups a thread belongs to. In libs 48dfd53 the
// container engines moved out of libsinsp into the container plugin; these
// are that plugin's rules for telling a container by its cgroup path: the
// 64-hex id of docker (`/docker/<id>`, `docker-<id>.scope`), containerd and
// CRI (`cri-containerd-<id>.scope`, `/kubepods/…/<id>`), CRI-O
// (`crio-<id>.scope`) and podman (`libpod-<id>.scope`), shortened to 12
// characters; a thread in no container is on the `host`.

import type { FieldContext, FieldDef } from './field.js';
import type { EventCursor } from '../../scapfile/event-cursor.js';

const CONTAINER_IN_CGROUP = /(?:^|[/-])([0-9a-f]{64})(?:\.scope)?$/;

/** The short container id of a cgroup list (`subsystem=/path` entries), or 'host'. */
export function containerIdOf(cgroups: readonly string[]): string {
  for (const entry of cgroups) {
    const path = entry.slice(entry.indexOf('=') + 1);
    const m = CONTAINER_IN_CGROUP.exec(path);
    if (m !== null) return m[1]!.slice(0, 12);
  }
  return 'host';
}

/**
 * `containerIdOf` per cgroup list: threads replace their list on clone and
 * execve rather than editing it, so a list object always has one answer, and
 * per-event callers (the export's `container_id` column) skip the regex.
 */
const idOfList = new WeakMap<readonly string[], string>();

/** The container id of a thread: its own cgroups, else its main thread's. */
export function threadContainerId(t: ThreadCgroups): string {
  const cgroups = t.cgroups.length > 0 ? t.cgroups : t.mainThread()?.cgroups ?? [];
  let id = idOfList.get(cgroups);
  if (id === undefined) idOfList.set(cgroups, (id = containerIdOf(cgroups)));
  return id;
}

/** What threadContainerId reads of a thread. */
interface ThreadCgroups {
  readonly cgroups: readonly string[];
  mainThread(): { readonly cgroups: readonly string[] } | undefined;
}

function containerId(ev: EventCursor, ctx: FieldContext): string | undefined {
  const t = ctx.state.threadDetail?.(ev.tid);
  return t === undefined ? undefined : threadContainerId(t);
}

export const CONTAINER_FIELDS: readonly FieldDef[] = [
  { name: 'container.id', description: "the thread's container id (12 hex digits), or 'host'", json: 'string', compile: () => containerId },
];
