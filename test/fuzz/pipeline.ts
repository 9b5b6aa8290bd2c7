// One fuzz input through everything a user runs on a capture: the reader,
// the layout converter, state replay, a filter, the text and JSON formats,
// the process tree, the connections and files tables, and (for some inputs)
// the Arrow export. Damage must come
// out as ScapFormatError or NotACaptureError; anything else thrown is a bug.

import { Readable, Writable } from 'node:stream';
import { NotACaptureError } from '../../scapfile/byte-source.js';
import { ScapFormatError } from '../../scapfile/errors.js';
import { Inspector } from '../../inspect/inspector.js';
import { compileFilter } from '../../inspect/filter/index.js';
import { compileFormat } from '../../inspect/format/format-string.js';
import { eventJson } from '../../inspect/format/json.js';
import { FIELDS } from '../../inspect/fields/index.js';
import { ProcessForest, forestJson, forestText, selectForest } from '../../inspect/ptree/index.js';
import { TOP_VIEWS, TopTable, topTableLines } from '../../inspect/stats/index.js';
import { CONNECTIONS_TABLE, FILES_TABLE, exportEvents } from '../../convert/index.js';

const FILTER = compileFilter(
  "evt.type in (open, openat, connect, execve, clone) or proc.name contains c or fd.name startswith / " +
  "or (evt.rawres < 0 and fd.type = ipv4) or evt.arg.fd exists or proc.aname[2] != init " +
  "or tolower(proc.name) contains anyof (c, d) or fd.num = val(proc.pid) or len(basename(fd.name)) > 10 " +
  "or concat(proc.name, \"-\", fd.name) contains x or getopt((proc.name, fd.name), \"c:\") intersects (c) " +
  "or fs.path.name startswith /tmp or evt.rawarg.fd = ' 3' or fd.sip = ::1 or evt.rawtime > 1534527348515336663 " +
  "or proc.apid exists or evt.type.is.open = 1 or evt.around[1534527348515336663] = 10", FIELDS);
const TEXT = compileFormat('*%evt.num %evt.time %evt.cpu %proc.name (%thread.tid) %evt.dir %evt.type %evt.args', FIELDS);
const JSON_LINE = eventJson('*%evt.num %evt.type %evt.res %evt.buffer %proc.cmdline %proc.pname %fd.name %fd.cip %fd.sport %user.name %proc.exepath %evt.latency %evt.rawarg.data %toupper(basename(fd.name)) %len(proc.cmdline) ' +
  '%join(",", (proc.name, fd.name)) %fs.path.source %fs.path.target %fdlist.names %evt.time.iso8601 %syscall.type %evt.buflen.net %proc.ppid.duration %fd.types %fd.types[3] %proc.fdopencount', FIELDS);

export interface PipelineResult {
  /** 'ok', or the class of the expected error the input ended with. */
  readonly outcome: 'ok' | 'ScapFormatError' | 'NotACaptureError';
  readonly events: number;
}

export interface PipelineOptions {
  readonly recover: boolean;
  /** Also export the events to an Arrow IPC stream (slower). */
  readonly convert: boolean;
}

const discard = (): Writable => new Writable({ write(_c, _e, cb) { cb(); } });

export async function runPipeline(bytes: Buffer, options: PipelineOptions): Promise<PipelineResult> {
  let events = 0;
  try {
    const insp = await Inspector.open(Readable.from([bytes]), { recover: options.recover });
    if (options.convert) {
      const { rows } = await exportEvents(insp, { format: 'arrow-stream', out: discard() });
      return { outcome: 'ok', events: rows };
    }
    const ctx = insp.fieldContext;
    const forest = new ProcessForest(insp.state);
    const connections = CONNECTIONS_TABLE.tracker();
    const files = FILES_TABLE.tracker();
    // scap stats: every chisel table, and one keyed by an ancestor (keys that may have no value).
    const tops = [...TOP_VIEWS.map((v) => ({ units: v.units, table: new TopTable({ keys: v.keys.map((k) => k.field), value: v.value.field, filters: v.filter === undefined ? [] : [v.filter] }, FIELDS) })),
      { units: 'time' as const, table: new TopTable({ keys: ['proc.aname[2]', 'fd.typechar'], value: 'evt.latency' }, FIELDS) }];
    await insp.run((ev) => {
      events++;
      forest.observe(ev, insp.state);
      connections.observe(ev, ctx);
      files.observe(ev, ctx);
      for (const t of tops) t.table.observe(ev, ctx);
      if (FILTER(ev, ctx)) TEXT(ev, ctx);
      JSON_LINE(ev, ctx);
    });
    const shown = selectForest(forest.roots(), {});
    forestText(shown);
    JSON.stringify(forestJson(shown));
    CONNECTIONS_TABLE.batch(connections.endAll());
    FILES_TABLE.batch(files.endAll());
    for (const t of tops) topTableLines({ value: 'v', keys: t.table.keyFields.map((f) => f.name) }, t.table.rows(), t.units);
    void insp.warnings;
    return { outcome: 'ok', events };
  } catch (err) {
    if (err instanceof ScapFormatError) return { outcome: 'ScapFormatError', events };
    if (err instanceof NotACaptureError) return { outcome: 'NotACaptureError', events };
    throw err;
  }
}
