// fds copied from another: dup and pidfd_getfd take the source's name, so
// fd.name_changed is false for the copy even when the source's own name
// changed at its last event (sinsp's fd lookup, threadinfo.h get_fd, makes
// a found fd's name its old name before it is copied). Our pidfd_getfd
// copied a stale old name and said true. A synthetic capture on nginx's
// thread of single_ipv6_conn, against what sinsp-example printed for it
// (EXPECTED, libs 48dfd53); when the reference is built, it is run again.
import { EventType as T } from '../../scapfile/schema/events.js';
import { i64, sockaddr4, tuple4, u32 } from '../helpers/event-builder.js';
import { itPrintsAsReference, syntheticCaptureFile } from '../helpers/sinsp-raw.js';

const FORMAT = '*%evt.num %evt.type %fd.num %fd.name %fd.name_changed';

const EVENTS = [
  { type: T.SOCKET_SOCKET_X, params: [i64(9n), u32(2), u32(1), u32(0), u32(0)] },
  // connect names fd 9 after its tuple: changed.
  { type: T.SOCKET_CONNECT_X, params: [i64(0n), tuple4('10.0.0.1', 40000, '10.0.0.2', 80), i64(9n), sockaddr4('10.0.0.2', 80)] },
  { type: T.SYSCALL_PIDFD_OPEN_X, params: [i64(10n), i64(1310n), u32(0)] },
  { type: T.SYSCALL_PIDFD_GETFD_X, params: [i64(11n), i64(10n), i64(9n), u32(0)] },
  { type: T.SYSCALL_DUP_1_X, params: [i64(12n), i64(11n)] },
].map((e) => ({ ...e, tid: 1310 }));

const EXPECTED = [
  '1 socket 9  false',
  '2 connect 9 10.0.0.1:40000->10.0.0.2:80 true',
  '3 pidfd_open 10 /proc/1310 true',
  '4 pidfd_getfd 11 10.0.0.1:40000->10.0.0.2:80 false',
  '5 dup 12 10.0.0.1:40000->10.0.0.2:80 false',
];

const file = syntheticCaptureFile('fd-copies', EVENTS);

itPrintsAsReference('gives a copied fd its source\'s name, unchanged', file, FORMAT, EXPECTED);
