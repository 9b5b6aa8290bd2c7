import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { checkExistingOutput } from '../scapfile/writer/index.js';

/**
 * Checks before any work (a capture read, a driver loaded) that a file can
 * be written at `output`: not a directory, its directory exists, and an
 * existing file is neither one of `inputs` nor replaced without `force`.
 * Found only when the file was opened, these failed after the work had
 * started, with a bare ENOENT or EISDIR.
 */
export async function checkOutputFile(output: string, inputs: readonly string[], force: boolean, what = 'a file'): Promise<void> {
  const st = await stat(output).catch(() => undefined);
  if (st?.isDirectory() === true) throw new Error(`${output} is a directory; give ${what}`);
  if (st !== undefined) {
    await checkExistingOutput(output, inputs, force);
    return;
  }
  const dir = dirname(output);
  const parent = await stat(dir).catch(() => undefined);
  if (parent?.isDirectory() !== true) throw new Error(`cannot create ${output}: ${dir} is not ${parent === undefined ? 'an existing directory' : 'a directory'}`);
}
