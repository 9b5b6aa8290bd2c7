import type { FieldDef, FieldExtractor } from './field.js';

function field(name: string, description: string, extract: FieldExtractor, json: 'number' | 'string' = 'string'): FieldDef {
  return { name, description, json, compile: () => extract };
}

/** Thread and process fields read from the replayed state. */
export const THREAD_FIELDS: readonly FieldDef[] = [
  field('thread.tid', 'thread id', (ev) => String(ev.tid), 'number'),
  field('proc.pid', 'process id (thread group id)', (ev, ctx) => {
    const t = ctx.state.thread(ev.tid);
    return t ? String(t.pid) : undefined;
  }, 'number'),
  field('proc.ppid', 'parent process id', (ev, ctx) => {
    const t = ctx.state.thread(ev.tid);
    return t && t.ptid >= 0 ? String(t.ptid) : undefined;
  }, 'number'),
  field('proc.name', 'process name (comm)', (ev, ctx) => ctx.state.thread(ev.tid)?.comm),
  field('proc.exepath', 'full executable path', (ev, ctx) => ctx.state.thread(ev.tid)?.exepath),
];
