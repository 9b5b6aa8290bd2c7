// Suggestions for a mistyped name (a field, an event type): the filter and
// format parsers both say "did you mean ...".

/** ` (did you mean 'a' or 'b'?)`, or '' without suggestions: what error messages append. */
export const didYouMean = (suggestions: readonly string[]): string =>
  (suggestions.length ? ` (did you mean ${suggestions.map((s) => `'${s}'`).join(' or ')}?)` : '');

/** The names closest to `name` by edit distance (at most 3 edits, or a shared prefix), best first. */
export function nearestNames(name: string, names: Iterable<string>, max = 3): string[] {
  const scored: { n: string; d: number }[] = [];
  for (const n of names) {
    const d = editDistance(name, n);
    if (d <= Math.max(2, Math.floor(name.length / 4))) scored.push({ n, d });
  }
  scored.sort((a, b) => a.d - b.d || (a.n < b.n ? -1 : 1));
  return scored.slice(0, max).map((s) => s.n);
}

function editDistance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}
