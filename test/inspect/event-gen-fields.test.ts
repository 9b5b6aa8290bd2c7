// evt.hostname, which the reference cannot show for a capture file (its
// machine info is all zeros there: inspect/README.md). The other fields of
// the `gen` group are checked against sinsp-example by fields-golden.test.ts.

import { describe, expect, it } from 'vitest';
import { FIELDS } from '../../inspect/fields/index.js';
import { compileFormat } from '../../inspect/format/format-string.js';
import { Inspector } from '../../inspect/inspector.js';
import { openCapture } from '../../scapfile/open-capture.js';
import { capturePath } from '../helpers/fixtures.js';

describe('evt.hostname', () => {
  it('is the hostname of the capture\'s machine info block', async () => {
    const cap = await openCapture(capturePath('curl_google'));
    await cap.close();
    expect(cap.info.machine?.hostname).toBe('ip-10-0-0-79');
    const render = compileFormat('%evt.num %evt.hostname', FIELDS);
    const insp = await Inspector.open(capturePath('curl_google'));
    const lines: string[] = [];
    await insp.run((ev) => { lines.push(render(ev, insp.fieldContext)!); return lines.length < 3; });
    expect(lines).toEqual(['1 ip-10-0-0-79', '2 ip-10-0-0-79', '3 ip-10-0-0-79']);
  });
});
