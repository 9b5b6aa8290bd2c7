// The `connections` table: one row per network connection a process had,
// so "who talked to whom, how much" is one query (sysdig's topconns and
// netstat chisels answer it from a live capture). A connection is a socket
// fd (ipv4, ipv6 or unix) while its fd.name is one tuple (`cip:cport->sip:sport`,
// or a unix pair), followed as fd-spans.ts says; convert/README.md has the columns.

import { Int64, Utf8 } from 'apache-arrow';
import { FdType } from '../scapfile/state-blocks/index.js';
import { compileField } from './events-table.js';
import { spanTable } from './fd-spans.js';
import type { FdSpan, FdSpanKind } from './fd-spans.js';

/** A connection: the span plus its protocol and addresses at the first event. */
export interface ConnectionRow extends FdSpan {
  readonly l4proto: string | undefined;
  readonly cip: string | undefined;
  readonly cport: string | undefined;
  readonly sip: string | undefined;
  readonly sport: string | undefined;
}

const port = (v: string | undefined): bigint | null => (v === undefined ? null : BigInt(v));
const field = {
  l4proto: compileField('fd.l4proto'),
  cip: compileField('fd.cip'), cport: compileField('fd.cport'), sip: compileField('fd.sip'), sport: compileField('fd.sport'),
};

const CONNECTIONS: FdSpanKind<ConnectionRow> = {
  fdTypes: new Set<number>([FdType.IPV4_SOCK, FdType.IPV6_SOCK, FdType.UNIX_SOCK]),
  // A bound or listening socket, or a connect that got no tuple, is no connection.
  follows: (name) => name.includes('->'),
  row: (span, ev, ctx) => ({
    ...span,
    l4proto: field.l4proto(ev, ctx),
    cip: field.cip(ev, ctx), cport: field.cport(ev, ctx), sip: field.sip(ev, ctx), sport: field.sport(ev, ctx),
  }),
  columns: [
    ['l4proto', new Utf8(), true, (r) => r.l4proto ?? null],
    ['cip', new Utf8(), true, (r) => r.cip ?? null],
    ['cport', new Int64(), true, (r) => port(r.cport)],
    ['sip', new Utf8(), true, (r) => r.sip ?? null],
    ['sport', new Int64(), true, (r) => port(r.sport)],
  ],
};

/** The connections table. */
export const CONNECTIONS_TABLE = spanTable('connections', CONNECTIONS);
