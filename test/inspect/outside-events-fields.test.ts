// evt.infra.docker.* read the description of `infra` events (sysdig's Docker
// events) and evt.pluginname/plugininfo need a loaded plugin: a synthetic
// capture with infra events of every shape the parsing cares about, against
// what sinsp-example printed for it (EXPECTED, made with
// `sinsp-example -s FILE -a -o FORMAT`, TZ=UTC, libs 48dfd53); when the
// reference is built, it is run again on the same bytes.
import { afterAll, describe, expect, it } from 'vitest';
import { BlockType } from '../../scapfile/block-types.js';
import { EventType } from '../../scapfile/schema/events.js';
import { FIELDS } from '../../inspect/fields/index.js';
import { compileFilter } from '../../inspect/filter/index.js';
import { compileFormat } from '../../inspect/format/format-string.js';
import { Inspector } from '../../inspect/inspector.js';
import { CaptureBuilder, tempDir } from '../helpers/capture-builder.js';
import { i64, str } from '../helpers/event-builder.js';
import { machineInfoBody } from '../helpers/state-block-builders.js';
import { HAVE_SINSP, sinspEventLines } from '../helpers/sinsp.js';

const FORMAT = '*%evt.num|%evt.type|%evt.infra.docker.name|%evt.infra.docker.container.id|' +
  '%evt.infra.docker.container.name|%evt.infra.docker.container.image|%evt.pluginname|%evt.plugininfo';

const DESCRIPTIONS = [
  'Event: start; ID: 0123456789abcdef0123456789abcdef; name: web-1; Image: nginx@sha256:abcd',
  '  Event:die  ;ID:  short ;name :x;Image: registry.local:5000/app:1.2 ',
  'Image: sha256:0123456789abcdef; Event: pull',
  'IDENT: first; ID: second',
  '',
];

function capture(descriptions: readonly string[]): Buffer {
  const c = new CaptureBuilder().sectionHeader();
  c.block(BlockType.MACHINE_INFO, machineInfoBody({
    numCpus: 1, memorySizeBytes: 1 << 30, maxPid: 32768, hostname: 'h', bootTsEpochNs: 1n, flags: 0n, reserved3: 0n, reserved4: 0n,
  }));
  let ts = 1_700_000_000_000_000_000n;
  for (const d of descriptions) {
    c.event(BlockType.EVENT_V2, { type: EventType.INFRASTRUCTURE_EVENT_E, ts: ts++, tid: -1,
      params: [str('docker'), str('container'), str(d), str('host=h')] });
  }
  c.event(BlockType.EVENT_V2, { type: EventType.SYSCALL_CLOSE_X, ts: ts++, tid: 7, params: [i64(0), i64(3)] });
  return c.build();
}

/** What sinsp-example printed for capture() with FORMAT. */
const EXPECTED = [
  '1|infra|start|0123456789ab|web-1|nginx|<NA>|<NA>',
  '2|infra|die|short|x|registry.local|<NA>|<NA>',
  '3|infra|pull|<NA>|<NA>|sha256:0123456789abcdef|<NA>|<NA>',
  '4|infra|<NA>|first|<NA>|<NA>|<NA>|<NA>',
  '5|infra|<NA>|<NA>|<NA>|<NA>|<NA>|<NA>',
  '6|close|<NA>|<NA>|<NA>|<NA>|<NA>|<NA>',
];

const tmp = tempDir('scapkit-infra-');
afterAll(() => tmp.cleanup());

async function ours(file: string, format: string, filter?: string): Promise<string[]> {
  const render = compileFormat(format, FIELDS);
  const test = filter === undefined ? undefined : compileFilter(filter, FIELDS);
  const insp = await Inspector.open(file);
  const out: string[] = [];
  await insp.run((ev) => { if (test === undefined || test(ev, insp.fieldContext)) out.push(render(ev, insp.fieldContext)!); });
  return out;
}

describe('fields of events from outside the syscall stream', () => {
  const file = tmp.file('infra.scap', capture(DESCRIPTIONS));

  it('evt.infra.docker.* parse infra descriptions as libsinsp; evt.plugin* have no value without the plugin', async () => {
    expect(await ours(file, FORMAT)).toEqual(EXPECTED);
  });

  it('filters on them', async () => {
    expect(await ours(file, '*%evt.num', 'evt.infra.docker.container.id = 0123456789ab')).toEqual(['1']);
    expect(await ours(file, '*%evt.num', 'evt.infra.docker.name exists')).toEqual(['1', '2', '3']);
    expect(await ours(file, '*%evt.num', 'evt.pluginname exists or evt.plugininfo exists')).toEqual([]);
  });

  // An item without a colon: libsinsp reads past the end of its split list
  // there (sinsp-example dies on this event); we give no value.
  it('an item without its value gives no value', async () => {
    const broken = tmp.file('infra-broken.scap', capture(['Event; ID; name; Image', 'Event: ok']));
    expect(await ours(broken, FORMAT)).toEqual([
      '1|infra|<NA>|<NA>|<NA>|<NA>|<NA>|<NA>', '2|infra|ok|<NA>|<NA>|<NA>|<NA>|<NA>', '3|close|<NA>|<NA>|<NA>|<NA>|<NA>|<NA>',
    ]);
  });

  it.skipIf(!HAVE_SINSP)('the reference prints the same for the same bytes', () => {
    expect(sinspEventLines(file, FORMAT)).toEqual(EXPECTED);
  });
});
