// What the event parsers (proc-parsers.ts, fd-parsers.ts, net-parsers.ts)
// see of the replay: the tables and the two per-event pointers sinsp keeps on
// its sinsp_evt (the event's thread and fd), plus the removals sinsp defers
// to the next event (sinsp_parser_verdict, userspace/libsinsp/parsers.h at
// falcosecurity/libs 48dfd53).

import type { EventCursor } from '../../scapfile/event-cursor.js';
import type { FdEntry } from './fd-table.js';
import type { NetworkInterfaces } from './interfaces.js';
import type { ThreadEntry, ThreadTable } from './thread-table.js';

export interface ReplayContext {
  readonly threads: ThreadTable;
  readonly interfaces: NetworkInterfaces;
  /** Ports in fd names as service names (sinsp's hostname and port resolution, sysdig -R). */
  readonly portNames: boolean;
  /** The event's thread (sinsp_evt::get_tinfo); parsers may switch it (clone). */
  evThread: ThreadEntry | undefined;
  /** The event's fd (sinsp_evt::get_fd_info); parsers set it when they create one. */
  evFd: FdEntry | undefined;
  /** Erase `fd` of `tid`'s table before the next event (close is formatted with its fd still there). */
  removeFdLater(tid: number, fd: number): void;
  /** Remove thread `tid` before the next event (procexit is formatted with its thread still there). */
  removeThreadLater(tid: number): void;
  /** Runs sinsp_parser::reset again for this event (after a clone replaced an entry of the same tid). */
  resetAgain(ev: EventCursor): void;
}
