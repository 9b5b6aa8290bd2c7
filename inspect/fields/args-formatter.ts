import { ArgsFormatter } from '../format/args.js';
import type { StateLookup } from '../state/lookup.js';
import type { FieldContext } from './field.js';

/**
 * The ArgsFormatter of a field context's state, made once: formatters keep
 * no per-event data between calls, and making one per event was an
 * allocation on the path of every printed `%evt.args`.
 */
const formatters = new WeakMap<StateLookup, ArgsFormatter>();
export function argsFormatter(ctx: FieldContext): ArgsFormatter {
  let f = formatters.get(ctx.state);
  if (f === undefined) { f = new ArgsFormatter(ctx.state); formatters.set(ctx.state, f); }
  return f;
}
