import { ArgsFormatter } from '../format/args.js';
import type { FieldContext } from './field.js';

/**
 * The ArgsFormatter of a field context (its state and buffer format), made
 * once: formatters keep no per-event data between calls, and making one per
 * event was an allocation on the path of every printed `%evt.args`.
 */
const formatters = new WeakMap<FieldContext, ArgsFormatter>();
export function argsFormatter(ctx: FieldContext): ArgsFormatter {
  let f = formatters.get(ctx);
  if (f === undefined) {
    f = new ArgsFormatter(ctx.state, { bufferFormat: ctx.bufferFormat });
    formatters.set(ctx, f);
  }
  return f;
}
