// scap spy-logs against sysdig's spy_logs chisel (sysdig 0.36.0,
// fixtures/golden/regen-sysdig.sh) on fixtures/captures/log_writes.scap,
// built by test/helpers/log-writes.ts; SCAPKIT_REGEN_SYNTHETIC=1 writes
// it again. sysdig colours only on a terminal: its coloured golden was
// printed under script(1), whose line ends (CR LF) are made LF.
import { describe, expect, it } from 'vitest';
import { scapLines } from '../helpers/cli.js';
import { capturePath, goldenLines } from '../helpers/fixtures.js';
import { itMatchesItsGenerator, syntheticCaptureFile } from '../helpers/sinsp-raw.js';
import { LOG_WRITES_EVENTS } from '../helpers/log-writes.js';
import { NGINX, open, write } from '../helpers/legacy-events.js';

const file = capturePath('log_writes');

const lines = scapLines;

describe('scap spy-logs', () => {
  itMatchesItsGenerator('log_writes', LOG_WRITES_EVENTS);

  it('prints sysdig\'s lines, not on a terminal', () => {
    expect(lines(['spy-logs', file])).toEqual(goldenLines('log_writes', 'sysdig-spy_logs.txt'));
    expect(lines(['spy-logs', file, '-X'])).toEqual(goldenLines('log_writes', 'sysdig-spy_logs-X.txt'));
  });

  it('prints sysdig\'s coloured lines, as on a terminal', () => {
    expect(lines(['spy-logs', file, '--color', 'always'])).toEqual(goldenLines('log_writes', 'sysdig-spy_logs-tty.txt'));
  });

  it('prints NULL for a write of nothing, without the stale bytes sysdig shows after it', () => {
    // libsinsp hands the chisel NULL with the previous buffer's length: sysdig
    // prints `NULL`, a NUL and the rest of the last write's text.
    const empty = syntheticCaptureFile('empty-log-write', [...open(NGINX, 20, '/var/log/a.log'), ...write(NGINX, 20, 'before\n'), ...write(NGINX, 20, '')]);
    expect(lines(['spy-logs', empty])).toEqual(['nginx /var/log/a.log before', 'nginx /var/log/a.log NULL']);
  });

  it('keeps only the writes a filter keeps as well', () => {
    expect(lines(['spy-logs', file, '-f', 'proc.name=rsyslogd'])).toEqual(goldenLines('log_writes', 'sysdig-spy_logs.txt').filter((l) => l.startsWith('rsyslogd ')));
  });
});

describe('echo-fds and spy-file on writes longer than -p renders a field', () => {
  // A chisel gets a field's value whole; sinsp's -p formatter cuts a buffer at 1,023 bytes.
  it('print sysdig\'s lines', () => {
    expect(lines(['echo-fds', file, '--color', 'always'])).toEqual(goldenLines('log_writes', 'sysdig-echo_fds.txt'));
    expect(lines(['spy-file', file])).toEqual(goldenLines('log_writes', 'sysdig-spy_file.txt'));
    expect(goldenLines('log_writes', 'sysdig-spy_file.txt').some((l) => l.length > 1100)).toBe(true);
  });
});
