// fd.sip and fd.sport of listening sockets: libsinsp gives a listening
// socket's port whatever its role, its address only when it has a role,
// which bind gives and the file's fd list does not (a listening socket from
// /proc has none). A synthetic capture on nginx's listening socket of
// single_ipv6_conn's fd list (fd 8, 0.0.0.0:80) and one it binds, against
// what sinsp-example printed for it (EXPECTED, `sinsp-example -s FILE -a -o
// FORMAT`, libs 48dfd53); when the reference is built, it is run again.
import { expect, it } from 'vitest';
import { FIELDS } from '../../inspect/fields/index.js';
import { compileFilter } from '../../inspect/filter/index.js';
import { Inspector } from '../../inspect/inspector.js';
import { HAVE_SINSP, sinspEventLines } from '../helpers/sinsp.js';
import { EventType as T } from '../../scapfile/schema/events.js';
import { i64, sockaddr4, u32 } from '../helpers/event-builder.js';
import { itPrintsAsReference, syntheticCaptureFile } from '../helpers/sinsp-raw.js';

const FORMAT = '*%evt.num %evt.type %fd.num %fd.name %fd.typechar %fd.is_server %fd.sip %fd.snet %fd.sport %fd.sproto %fd.cip';
const read = (fd: bigint) => ({ type: T.SYSCALL_READ_X, params: [i64(1n), Buffer.from('a'), i64(fd), u32(1)] });

const EVENTS = [
  read(8n),
  { type: T.SYSCALL_DUP_1_X, params: [i64(5n), i64(8n)] },
  read(5n),
  { type: T.SOCKET_SOCKET_X, params: [i64(9n), u32(2), u32(1), u32(0), u32(0)] },
  { type: T.SOCKET_BIND_X, params: [i64(0n), sockaddr4('0.0.0.0', 8080), i64(9n)] },
  read(9n),
].map((e) => ({ ...e, tid: 1310 }));

const EXPECTED = [
  '1 read 8 0.0.0.0:80 4 true <NA> <NA> 80  <NA>',
  '2 dup 5 0.0.0.0:80 4 true <NA> <NA> 80  <NA>',
  '3 read 5 0.0.0.0:80 4 true <NA> <NA> 80  <NA>',
  '4 socket 9  4 false <NA> <NA> <NA> <NA> <NA>',
  '5 bind 9 0.0.0.0:8080 4 true 0.0.0.0 <IPNET> 8080  <NA>',
  '6 read 9 0.0.0.0:8080 4 true 0.0.0.0 <IPNET> 8080  <NA>',
];

const file = syntheticCaptureFile('server-sockets', EVENTS);

itPrintsAsReference('gives a listening socket\'s address only once bind gave it a role, its port always', file, FORMAT, EXPECTED);

/** Filters on the same sides, and the events sinsp-example -f selected (fd.snet took fd.sip's rule only in fields). */
const FILTERS: ReadonlyArray<readonly [string, string[]]> = [
  ['fd.snet exists', ['5', '6']],
  ['fd.snet = 0.0.0.0/0', ['5', '6']],
  ['fd.snet != 10.0.0.0/8', ['5', '6']],
  ['fd.net = 0.0.0.0/0', ['1', '2', '3', '4', '5', '6']],
  ['fd.sip exists', ['5', '6']],
  ['fd.sport exists', ['1', '2', '3', '5', '6']],
];

it('filters on the server side by the same rule', async () => {
  for (const [filter, nums] of FILTERS) {
    const test = compileFilter(filter, FIELDS);
    const insp = await Inspector.open(file);
    const got: string[] = [];
    await insp.run((ev) => { if (test(ev, insp.fieldContext)) got.push(String(ev.num)); });
    expect(got, filter).toEqual(nums);
  }
});

it.skipIf(!HAVE_SINSP)('the reference selects the same events', () => {
  for (const [filter, nums] of FILTERS) expect(sinspEventLines(file, '%evt.num', ['-f', filter]), filter).toEqual(nums);
});

