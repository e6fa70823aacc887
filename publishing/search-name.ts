/**
 * The form of a name that search matches: accents stripped and lower case, so "Julio Rodríguez" is found by
 * "rodriguez". The publish step stores it (published_prospects.search_name) and the API normalises queries with it.
 */

/** `name` decomposed (NFKD), without combining marks, lower-cased. */
export function searchName(name: string): string {
  return name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}
