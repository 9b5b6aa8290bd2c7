// Service names of ports, as the C library's getservbyname and getservbyport
// answer them from /etc/services (glibc's "files" source: the first line that
// matches wins). Filters take a service name for a port (`fd.port = http`);
// with port resolution on (sysdig -R) ports print as their names. The file
// is read once, on first use; a machine without it knows no names.

import { readFileSync } from 'node:fs';

interface Services {
  /** Name or alias -> port of its first line, whatever the protocol. */
  readonly portOf: Map<string, number>;
  /** `port/proto` -> name of the first line with both, and `port` -> name of the first with the port. */
  readonly nameOf: Map<string, string>;
}

let services: Services | undefined;

function load(): Services {
  const portOf = new Map<string, number>();
  const nameOf = new Map<string, string>();
  let text = '';
  try {
    text = readFileSync('/etc/services', 'latin1');
  } catch {
    // no names
  }
  for (const raw of text.split('\n')) {
    const words = raw.replace(/#.*/, '').trim().split(/\s+/);
    const m = /^([0-9]+)\/(\S+)$/.exec(words[1] ?? '');
    if (m === null) continue;
    const port = Number(m[1]);
    const name = words[0]!;
    for (const w of [name, ...words.slice(2)]) if (!portOf.has(w)) portOf.set(w, port);
    for (const key of [`${port}/${m[2]}`, String(port)]) if (!nameOf.has(key)) nameOf.set(key, name);
  }
  return { portOf, nameOf };
}

/** getservbyname(name, NULL): the port of a service name or alias. */
export function servicePort(name: string): number | undefined {
  services ??= load();
  return services.portOf.get(name);
}

/**
 * getservbyport(port, proto): the name of the first line with the port and
 * the protocol, or with the port alone when no protocol is given.
 */
export function serviceName(port: number, proto: 'tcp' | 'udp' | undefined): string | undefined {
  services ??= load();
  return services.nameOf.get(proto === undefined ? String(port) : `${port}/${proto}`);
}
