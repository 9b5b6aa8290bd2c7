/** The values of the rotation options (-C, -G, -W) that `scap live -w` and `scap convert` share. */
export interface RotationArgs {
  readonly 'rotate-mb'?: number | undefined;
  readonly 'rotate-seconds'?: number | undefined;
  readonly 'rotate-files'?: number | undefined;
}

/**
 * Refuses rotation values that cannot mean anything: -C 0 or -G -1 wrote a
 * file per event (5,082 files from a 72 KB capture), -W alone did nothing.
 */
export function checkRotationValues(a: RotationArgs): void {
  for (const [flag, v] of [['-C', a['rotate-mb']], ['-G', a['rotate-seconds']]] as const) {
    if (v !== undefined && !(v > 0 && Number.isFinite(v))) throw new Error(`${flag} takes a positive number`);
  }
  const files = a['rotate-files'];
  if (files !== undefined && !(Number.isInteger(files) && files >= 1)) throw new Error('-W takes a whole number of files, 1 or more');
  if (files !== undefined && a['rotate-mb'] === undefined && a['rotate-seconds'] === undefined) {
    throw new Error('-W limits the files of -C or -G rotation; give one of them');
  }
}
