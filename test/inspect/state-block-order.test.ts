// State blocks reach sinsp entry by entry, in file order (scap_read_proclist
// and scap_read_fdlist call the proc entry callback per entry): an fd list
// read before its thread's process list entry is dropped (sinsp.cpp
// on_new_entry_from_proc skips "an fd but no associated tinfo"), and a
// second entry for a tid replaces the thread with an empty fd table. We
// gathered every fd and gave it to the last thread of its tid. A synthetic
// capture against what sinsp-example printed for it (EXPECTED, libs
// 48dfd53); when the reference is built, it is run again.
import { afterAll } from 'vitest';
import { BlockType } from '../../scapfile/block-types.js';
import { FdType } from '../../scapfile/state-blocks/types.js';
import { CaptureBuilder, tempDir } from '../helpers/capture-builder.js';
import { eventOf, i64, u32 } from '../helpers/event-builder.js';
import { itPrintsAsReference } from '../helpers/sinsp-raw.js';
import { Bytes, fdEntry, fdListBody, machineInfoBody, sampleThread, threadEntry } from '../helpers/state-block-builders.js';

const TID = 20;
const thread = (comm: string): Buffer =>
  threadEntry(9, { ...sampleThread(TID), pid: TID, ptid: 1, vtid: TID, vpid: TID, comm, exe: comm });
const fdList = (fd: number, name: string): Buffer =>
  fdListBody(TID, [fdEntry(2, fd, BigInt(fd), FdType.FILE, new Bytes().str16(name).build())]);

const cap = new CaptureBuilder().sectionHeader();
cap.block(BlockType.MACHINE_INFO, machineInfoBody({
  numCpus: 2, memorySizeBytes: 1 << 30, maxPid: 32768, hostname: 'box', bootTsEpochNs: 1_534_000_000_000_000_000n,
  flags: 0n, reserved3: 0n, reserved4: 0n,
}));
cap.block(BlockType.FD_LIST_V2, fdList(3, '/tmp/before-any-thread'));
cap.block(BlockType.PROCESS_LIST_V9, thread('first'));
cap.block(BlockType.FD_LIST_V2, fdList(4, '/tmp/of-the-replaced-thread'));
cap.block(BlockType.PROCESS_LIST_V9, thread('second'));
cap.block(BlockType.FD_LIST_V2, fdList(5, '/tmp/kept'));
[3, 4, 5].forEach((fd, i) => {
  cap.event(BlockType.EVENT_V2, {
    ...eventOf('SYSCALL_READ_X', { res: i64(0), fd: i64(fd), size: u32(10) }, TID),
    ts: 1_534_527_343_000_000_000n + BigInt(i) * 1000n,
  });
});

const tmp = tempDir('scapkit-state-block-order-');
afterAll(() => tmp.cleanup());
const file = tmp.file('state-block-order.scap', cap.build());

const FORMAT = '*%evt.num %proc.name %fd.num %fd.name %proc.fdopencount';

const EXPECTED = [
  '1 second 3  1',
  '2 second 4  1',
  '3 second 5 /tmp/kept 1',
];

itPrintsAsReference('loads an fd only into a thread entry read before it', file, FORMAT, EXPECTED);
