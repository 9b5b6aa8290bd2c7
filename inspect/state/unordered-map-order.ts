// The order in which libsinsp walks an fd table. sinsp keeps each table in a
// std::unordered_map<int64_t, …> and answers fd.types (and copies a table on
// fork) by walking it, so the order of that walk shows in output. With
// libstdc++ (GCC 12, as the reference is built) the order follows from how
// its hash table links nodes, which these facts pin down:
//
// - keys hash to themselves; a key's bucket is key mod the bucket count;
// - all nodes live on one singly linked list, the nodes of a bucket next to
//   each other; a key going into an empty bucket goes to the front of the
//   list, a key going into a used bucket goes in front of that bucket's
//   nodes; erasing unlinks a node and moves nothing else;
// - before an insert makes the table hold more keys than its bucket count
//   (max_load_factor 1), the buckets grow (_Prime_rehash_policy: 13 on the
//   first insert, then the first listed prime at least twice the old count)
//   and every node is inserted again, by the rule above, in list order;
// - clear() unlinks every node and keeps the bucket count.
//
// So the list is a sequence of bucket runs, the most recently started run
// first, and each run lists its keys newest first. `UnorderedMapOrder` keeps
// that as two stamps instead of a list: when each bucket's run started and
// when each key went in; sorting by them gives the walk.

/** libstdc++'s __prime_list (hashtable-aux.cc), as far as fd tables can grow. */
const PRIMES: readonly number[] = [
  2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 103, 109, 113,
  127, 137, 139, 149, 157, 167, 179, 193, 199, 211, 227, 241, 257, 277, 293, 313, 337, 359, 383, 409, 439, 467,
  503, 541, 577, 619, 661, 709, 761, 823, 887, 953, 1031, 1109, 1193, 1289, 1381, 1493, 1613, 1741, 1879, 2029,
  2179, 2357, 2549, 2753, 2971, 3209, 3469, 3739, 4027, 4349, 4703, 5087, 5503, 5953, 6427, 6949, 7517, 8123,
  8783, 9497, 10273, 11113, 12011, 12983, 14033, 15173, 16411, 17749, 19183, 20753, 22447, 24281, 26267, 28411,
  30727, 33223, 35933, 38873, 42043, 45481, 49201, 53201, 57557, 62233, 67307, 72817, 78779, 85229, 92203, 99733,
  107897, 116731, 126271, 136607, 147793, 159871, 172933, 187091, 202409, 218971, 236897, 256279, 277261, 299951,
  324503, 351061, 379787, 410857, 444487, 480881, 520241, 562841, 608903, 658753, 712697, 771049, 834181, 902483,
  976369, 1056323, 1142821, 1236397, 1337629, 1447153, 1565659, 1693859, 1832561, 1982627, 2144977, 2320627,
  2510653, 2716249, 2938679, 3179303, 3439651, 3721303, 4026031, 4355707, 4712381, 5098259, 5515729, 5967347,
  6456007, 6984629, 7556579, 8175383, 8844859, 9569143, 10352717, 11200489, 12117689, 13109983, 14183539,
  15345007, 16601593, 17961079, 19431899, 21023161,
];
/** _Prime_rehash_policy::_M_next_bkt's shortcut for counts below 14. */
const SMALL: readonly number[] = [1, 2, 2, 3, 5, 5, 7, 7, 11, 11, 11, 11, 13, 13];

/** A key the walk orders: the table's entry, carrying its stamp. */
export interface OrderedKey {
  /** The key (an fd number). */
  readonly fd: number;
  /** When it went in (set by UnorderedMapOrder). */
  orderStamp: number;
}

/** The bucket of `key` among `buckets`, as size_t(key) % buckets. */
function bucketOf(key: number, buckets: number): number {
  return key >= 0 ? key % buckets : Number(BigInt.asUintN(64, BigInt(key)) % BigInt(buckets));
}

/** The bucket count and load limit after growing to hold at least `n` (_M_next_bkt). */
function nextBuckets(n: number): { buckets: number; limit: number } {
  if (n < SMALL.length) return { buckets: SMALL[n]!, limit: n === 0 ? 0 : SMALL[n]! };
  let lo = 6;
  let hi = PRIMES.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (PRIMES[mid]! < n) lo = mid + 1; else hi = mid;
  }
  // Past the list (a table of 21 million fds): never grow again, as libstdc++ at its last prime.
  return PRIMES[lo]! >= n ? { buckets: PRIMES[lo]!, limit: PRIMES[lo]! } : { buckets: PRIMES[lo]!, limit: Infinity };
}

/**
 * The walk order of one std::unordered_map, kept beside a JavaScript Map of
 * the same keys: the owner calls `insert` for each new key (not for a value
 * replaced under an existing key, which keeps its place), `erase`, `clear`,
 * and `sort` to get its entries in the order libsinsp visits them.
 */
export class UnorderedMapOrder {
  private buckets = 1;
  /** _M_next_resize: the key count above which the next insert grows the buckets (0: none yet). */
  private limit = 0;
  /** Keys per bucket, and when each bucket's run started (allocated on the first insert). */
  private runKeys: Int32Array | undefined;
  private runStart: Float64Array | undefined;
  private clock = 0;

  /**
   * Stamps `key`, about to be inserted into a map holding `current`
   * (their entries, which are re-stamped when the buckets grow).
   */
  insert(key: OrderedKey, current: () => OrderedKey[], size: number): void {
    if (size + 1 > this.limit) {
      const atLeast = Math.max(size + 1, this.limit !== 0 ? 0 : 11);
      if (atLeast >= this.buckets) this.grow(nextBuckets(Math.max(atLeast + 1, this.buckets * 2)), current());
      else this.limit = this.buckets;
    }
    this.stamp(key);
  }

  erase(key: OrderedKey): void {
    if (this.runKeys !== undefined) this.runKeys[bucketOf(key.fd, this.buckets)]!--;
  }

  clear(): void {
    this.runKeys?.fill(0);
  }

  /** `entries` in libsinsp's walk order (sorted in place). */
  sort<T extends OrderedKey>(entries: T[]): T[] {
    const start = this.runStart;
    if (start === undefined) return entries;
    const buckets = this.buckets;
    return entries.sort((a, b) =>
      (start[bucketOf(b.fd, buckets)]! - start[bucketOf(a.fd, buckets)]!) || (b.orderStamp - a.orderStamp));
  }

  private stamp(key: OrderedKey): void {
    const b = bucketOf(key.fd, this.buckets);
    if (this.runKeys![b]!++ === 0) this.runStart![b] = ++this.clock;
    key.orderStamp = ++this.clock;
  }

  /** Rehash: new buckets, every key inserted again in the old walk order. */
  private grow(next: { buckets: number; limit: number }, entries: OrderedKey[]): void {
    const walk = this.sort(entries);
    this.buckets = next.buckets;
    this.limit = next.limit;
    this.runKeys = new Int32Array(next.buckets);
    this.runStart = new Float64Array(next.buckets);
    for (const e of walk) this.stamp(e);
  }
}
