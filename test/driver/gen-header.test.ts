// driver/gen/events.h is generated from the schema; this regenerates it in
// memory from the TypeScript sources and fails when the committed copy differs.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as schema from '../../scapfile/schema/index.js';
import { ROOT } from '../helpers/fixtures.js';
// @ts-expect-error: a plain .mjs script without type declarations
import { renderEventsHeader } from '../../scripts/gen-driver-header.mjs';

const render = renderEventsHeader as (s: typeof schema) => string;

describe('driver/gen/events.h', () => {
  it('is what scripts/gen-driver-header.mjs generates from the schema', () => {
    const committed = readFileSync(join(ROOT, 'driver', 'gen', 'events.h'), 'utf8');
    expect(committed === render(schema), 'run: npm run build && node scripts/gen-driver-header.mjs').toBe(true);
  });

  it('starts with the generated-file line and defines the events the driver writes', () => {
    const text = render(schema);
    expect(text.split('\n')[0]).toBe('// Generated from scapfile/schema by scripts/gen-driver-header.mjs. Do not edit.');
    expect(text).toContain(`PPME_SYSCALL_CLOSE_X = ${schema.EventType.SYSCALL_CLOSE_X},`);
    expect(text).toContain(`#define PPME_SYSCALL_EXECVE_19_X_NPARAMS ${schema.EVENTS[schema.EventType.SYSCALL_EXECVE_19_X]!.params.length}`);
    // close exit: header, two u16 lengths, res (8) and fd (8).
    expect(text).toContain('#define PPME_SYSCALL_CLOSE_X_SIZE 46');
  });
});
