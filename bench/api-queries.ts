/**
 * What people type into a prospect search box, made from the published names: the start of a last name, a first
 * name and the start of the last, a full name without its accents, and a last name with two letters swapped or one
 * dropped. Deterministic, so runs of the benchmark search for the same things.
 */
import { searchName } from '../publishing/search-name.ts';

/** `word` with the letters at `at` and `at + 1` swapped. */
function swapped(word: string, at: number): string {
  if (word.length < 2) return word;
  const i = Math.min(Math.max(0, at), word.length - 2);
  return word.slice(0, i) + word[i + 1]! + word[i]! + word.slice(i + 2);
}

/**
 * Up to `perName` queries for each of `names` (in order, kinds taking turns), lower case and without accents as a
 * user would type them, distinct, each at least two letters long.
 */
export function searchQueries(names: readonly string[], perName = 3): string[] {
  const queries = new Set<string>();
  let turn = 0;
  for (const name of names) {
    const parts = searchName(name).split(/\s+/).filter(Boolean);
    const first = parts[0] ?? '';
    const last = parts.at(-1) ?? '';
    const kinds = [
      () => last.slice(0, 5),
      () => `${first} ${last.slice(0, 3)}`,
      () => parts.join(' '),
      () => `${first} ${swapped(last, 2 + (turn % 3))}`,
      () => last.slice(0, 2) + last.slice(3),
    ];
    for (let k = 0; k < perName; k++) {
      const query = kinds[(turn + k) % kinds.length]!().trim();
      if (query.replace(/[^a-z0-9]/g, '').length >= 2) queries.add(query);
    }
    turn += 1;
  }
  return [...queries];
}
