// A cut piece carries the fds its fd lists cannot: libsinsp loads no fd
// list entry of unknown type (a packet socket) and keeps an entry under a
// failed memfd_create's negative result. Both came back missing in a piece
// (a later event's fd lost its `<o>`, proc.fdopencount counted fewer, and
// close_range crashed `scap cut` on a negative fd); the piece now replays
// them with state-only events. A synthetic capture on nginx's thread of
// single_ipv6_conn: the piece's lines after the cut must be the whole
// capture's, in scapkit and, when it is built, in sinsp-example.
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { cutCapture } from '../../inspect/cut.js';
import { EventType as T } from '../../scapfile/schema/events.js';
import { i64, str, u32, u64 } from '../helpers/event-builder.js';
import { HAVE_SINSP, sinspEventLines } from '../helpers/sinsp.js';
import { formattedLines, syntheticCaptureFile } from '../helpers/sinsp-raw.js';

const FORMAT = '*%evt.type %fd.num %fd.name %fd.typechar %proc.fdopencount %evt.args';
const O_CLOEXEC = 1 << 19; // PPM_O_CLOEXEC
const read = (fd: bigint) => ({ type: T.SYSCALL_READ_X, params: [i64(1n), Buffer.from('a'), i64(fd), u32(1)] });

const EVENTS = [
  // socket(AF_PACKET) with SOCK_CLOEXEC: fd 9 of unknown type, close-on-exec.
  { type: T.SOCKET_SOCKET_X, params: [i64(9n), u32(17), u32(3), u32(0), u32(O_CLOEXEC)] },
  // A failed memfd_create: sinsp keeps an entry under -22.
  { type: T.SYSCALL_MEMFD_CREATE_X, params: [i64(-22n), str('x'), u32(0)] },
  // A pipe2 whose second fd is negative (a damaged capture): close_range
  // cannot name it, and cut threw on it ("value is out of range").
  { type: T.SYSCALL_PIPE2_X, params: [i64(0n), i64(5n), i64(-9n), u64(7n), u32(O_CLOEXEC)] },
  // The piece starts here.
  read(9n),
  { type: T.SYSCALL_CLOSE_X, params: [i64(0n), i64(9n)] },
  read(9n),
].map((e) => ({ ...e, tid: 1310 }));

const file = syntheticCaptureFile('cut-untyped-fds', EVENTS);

it('gives a piece the fds of unknown type and the failed memfd_create\'s entry', async () => {
  const piece = join(file, '..', 'piece.scap');
  await cutCapture(file, piece, { skip: 3 });
  const whole = await formattedLines(file, FORMAT);
  expect(whole.slice(0, 3)).toEqual([
    'socket 9  o 13 fd=9(<o>) domain=17(AF_PACKET) type=3 proto=0 flags=524288',
    'memfd_create -22  ? 14 fd=-22(EINVAL) name=x flags=0',
    'pipe2 -9  p 15 res=0 fd1=5(<p>) fd2=-9(EBADF) ino=7 flags=524288',
  ]);
  expect(await formattedLines(piece, FORMAT)).toEqual(whole.slice(3));
  if (HAVE_SINSP) expect(sinspEventLines(piece, FORMAT)).toEqual(sinspEventLines(file, FORMAT).slice(3));
});
