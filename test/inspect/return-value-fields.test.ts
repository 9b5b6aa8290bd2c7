// Fields read from a syscall's return value and fd, on values a number cannot hold
// (above 2^53: an lseek to a far offset) and on fds that are no C int:
// a synthetic capture against what sinsp-example printed for it (EXPECTED,
// `sinsp-example -s FILE -a -o FORMAT`, TZ=UTC, libs 48dfd53); when the
// reference is built, it is run again on the same bytes.
import { EventType as T } from '../../scapfile/schema/events.js';
import { i64, u32, u8 } from '../helpers/event-builder.js';
import { itPrintsAsReference, syntheticCaptureFile } from '../helpers/sinsp-raw.js';

const FORMAT = '*%evt.num %evt.type %evt.rawres %evt.buflen %evt.abspath %fd.num';

// A thread of the preamble's process list, and a file it opens as fd 7.
const TID = 25886;
const EVENTS = [
  { type: T.SYSCALL_OPEN_X, params: [i64(7n), Buffer.from('/f\0'), u32(0), u32(0), u32(0), i64(1n)] },
  // lseek to 2^60 + 1: evt.rawres printed as a number was 1152921504606847000.
  { type: T.SYSCALL_LSEEK_X, params: [i64(2n ** 60n + 1n), i64(3n), i64(2n ** 60n + 1n), u8(0)] },
  // A read of 2^53 + 1 bytes (a fuzzed capture's): evt.buflen lost its last digit the same way.
  { type: T.SYSCALL_READ_X, params: [i64(2n ** 53n + 1n), Buffer.from('ab'), i64(7n), u32(4)] },
  // open_by_handle_at's path is the file's only for an fd above 0 as a C int:
  // 2^32 + 5 is fd 5 there, 2^32 + 2^31 a negative one.
  { type: T.SYSCALL_OPEN_BY_HANDLE_AT_X, params: [i64(2n ** 32n + 5n), i64(4n), u32(0), Buffer.from('/x\0'), u32(0), i64(1n)] },
  { type: T.SYSCALL_OPEN_BY_HANDLE_AT_X, params: [i64(2n ** 32n + 2n ** 31n), i64(4n), u32(0), Buffer.from('/y\0'), u32(0), i64(1n)] },
  // A damaged fd: fd.num printed every digit of the parameter only in evt.args.
  { type: T.SYSCALL_CLOSE_X, params: [i64(0n), i64(2n ** 60n + 3n)] },
].map((e) => ({ ...e, tid: TID }));

const EXPECTED = [
  '1 open 7 <NA> <NA> 7',
  '2 lseek 1152921504606846977 <NA> <NA> 3',
  '3 read 9007199254740993 9007199254740993 <NA> 7',
  '4 open_by_handle_at 4294967301 <NA> /x 4294967301',
  '5 open_by_handle_at 6442450944 <NA> <NA> 6442450944',
  '6 close 0 <NA> <NA> 1152921504606846979',
];

const file = syntheticCaptureFile('return-values', EVENTS);

itPrintsAsReference('prints return values past 2^53 exactly, and reads an fd from one as a C int', file, FORMAT, EXPECTED);
