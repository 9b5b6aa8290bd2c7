import { didYouMean } from '../fields/nearest-names.js';

/** A filter string that does not parse or names something unknown; `column` is 1-based. */
export class FilterError extends Error {
  constructor(message: string, readonly column: number,
    /** The word found where a field was expected, when it is a name (`fdl4proto`): the compiler, which knows the fields, suggests the nearest. */
    readonly word?: string) {
    super(message);
    this.name = 'FilterError';
  }
}

/** `filter: expected X at column N, found 'Y'` */
export const expectedAt = (what: string, column: number, found: string): string =>
  `filter: expected ${what} at column ${column}, found ${found === '' ? 'end of input' : `'${found}'`}`;

/** `filter: unknown field 'x' at column N (did you mean 'y'?)` */
export const unknownField = (name: string, column: number, suggestions: readonly string[]): string =>
  `filter: unknown field '${name}' at column ${column}${didYouMean(suggestions)}`;

export { didYouMean, nearestNames } from '../fields/nearest-names.js';
