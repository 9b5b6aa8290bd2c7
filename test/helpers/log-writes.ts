// A synthetic capture of writes to log files, for scap spy-logs against
// sysdig's spy_logs: old enter/exit layouts, which libs 0.15.1 (sysdig
// 0.36) follows (it takes a call's fd from its enter event) and libs 0.26
// converts. On single_ipv6_conn's process list: nginx's worker 1310 opens
// and writes log files and others, rsyslogd's thread 899 writes to the
// /var/log/syslog it has open as fd 7.

import { NGINX, open, write } from './legacy-events.js';
import type { SyntheticEvent } from './sinsp-raw.js';

const RS_MAIN = 899;

export const LOG_WRITES_EVENTS: readonly SyntheticEvent[] = [
  ...open(NGINX, 20, '/var/log/nginx/app.log'),
  ...write(NGINX, 20, 'GET / 200\nwarn: slow upstream\n\nerror: upstream timed out\nERROR: in capitals\nWARNING: in capitals\nan Error that is no err\n'),
  ...open(NGINX, 21, '/tmp/app_log'),
  ...write(NGINX, 21, 'one line without its end'),
  ...open(NGINX, 22, '/var/log/old.log.gz'),
  ...write(NGINX, 22, 'compressed\n'),
  ...open(NGINX, 23, '/srv/notes.txt'),
  ...write(NGINX, 23, 'not a log\n'),
  // Bytes past ASCII, controls, a tab, CR LF and a lone CR.
  ...write(NGINX, 20, Buffer.from('caf\xc3\xa9 \x01\x02 tab\there\r\nCRLF line\r\nlone\rCR\n\xff\xfe\n', 'latin1')),
  // A failed write (EIO): the chisel's evt.failed=false leaves it out.
  ...write(NGINX, 20, 'lost\n', -5),
  // Only line ends: no line.
  ...write(NGINX, 20, '\n\n\n'),
  // A long write of many lines.
  ...write(NGINX, 20, Array.from({ length: 60 }, (_, i) => `line ${i} ${'x'.repeat(i % 17)}${i % 7 === 0 ? ' warn' : ''}`).join('\n') + '\n'),
  // Longer than the 1,023 bytes libsinsp renders a field's buffer into for -p.
  ...write(NGINX, 20, `${'A'.repeat(1200)}\n${'b'.repeat(900)} warn\n`),
  ...write(RS_MAIN, 7, 'Nov 29 10:00:00 host kernel: err in lower case\nNov 29 10:00:01 host cron: ok\n'),
];
