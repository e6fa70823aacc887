/**
 * Matching Fantrax players to our MLBAM player ids. Fantrax ids carry no MLBAM id, so a match rests on the
 * normalized name (accents, Jr./II suffixes, "Last, First" order, punctuation, common nicknames), then the
 * organization, position and age when known. Each match carries a confidence 0-1 and a label; below
 * `MATCH_THRESHOLDS.uncertain` there is no match at all. A user's correction (db/fantrax-matches.ts) wins over this.
 */

export type MatchLabel = 'certain' | 'likely' | 'uncertain' | 'none';

export const MATCH_THRESHOLDS = { certain: 0.9, likely: 0.75, uncertain: 0.5 } as const;

export interface MatchCandidate {
  playerId: number;
  /** Full name as we store it ("José Ramírez"). */
  name: string;
  /** MLB abbreviation of his organization; null when unknown. */
  organization: string | null;
  /** Primary position (MLB style: P, C, 1B, SS, LF, CF, ...); null when unknown. */
  position: string | null;
  /** Age in years, when known. */
  age?: number | null;
}

export interface FantraxPlayer {
  fantraxId: string;
  /** "Last, First" (or "First Last"). */
  name: string;
  team?: string | null;
  /** Comma-separated eligible positions ("SS,2B", "SP"). */
  position?: string | null;
  age?: number | null;
}

export interface MatchResult {
  fantraxId: string;
  playerId: number | null;
  confidence: number;
  label: MatchLabel;
}

const SUFFIXES = new Set(['jr', 'sr', 'ii', 'iii', 'iv', 'v']);

/** Lower case, accents and punctuation gone, suffixes dropped, "Last, First" turned around, spaces collapsed. */
export function normalizeName(name: string): string {
  let text = name.normalize('NFKD').replace(/\p{M}/gu, '');
  const comma = text.indexOf(',');
  if (comma >= 0) {
    const last = text.slice(0, comma);
    const rest = text
      .slice(comma + 1)
      .split(',')
      .map((s) => s.trim());
    // "Witt, Bobby, Jr." and "Witt Jr., Bobby" both end up "bobby witt".
    text = `${rest.join(' ')} ${last}`;
  }
  const words = text
    .toLowerCase()
    .replace(/[.'’`]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
  return words.filter((w, i) => !(i > 0 && SUFFIXES.has(w))).join(' ');
}

const NICKNAMES: Record<string, string> = {
  mike: 'michael',
  matt: 'matthew',
  nick: 'nicholas',
  chris: 'christopher',
  alex: 'alexander',
  jake: 'jacob',
  josh: 'joshua',
  will: 'william',
  bill: 'william',
  zach: 'zachary',
  zack: 'zachary',
  tony: 'anthony',
  dan: 'daniel',
  danny: 'daniel',
  jon: 'jonathan',
  bobby: 'robert',
  rob: 'robert',
  bob: 'robert',
  ben: 'benjamin',
  sam: 'samuel',
  joe: 'joseph',
  joey: 'joseph',
  nate: 'nathaniel',
  nathan: 'nathaniel',
  andy: 'andrew',
  drew: 'andrew',
  tom: 'thomas',
  tommy: 'thomas',
  jim: 'james',
  jimmy: 'james',
  cam: 'cameron',
  max: 'maxwell',
  ed: 'edward',
  eddie: 'edward',
  pete: 'peter',
  greg: 'gregory',
  jeff: 'jeffrey',
  steve: 'steven',
  ken: 'kenneth',
  vinnie: 'vincent',
  gabe: 'gabriel',
  ty: 'tyler',
  jt: 'jt',
  mick: 'michael',
};

const canonicalFirst = (first: string) => NICKNAMES[first] ?? first;

/** Fantrax and MLB spell a few organizations differently. */
const ORG_ALIASES: Record<string, string> = {
  CHW: 'CWS',
  KCR: 'KC',
  SDP: 'SD',
  SFG: 'SF',
  TBR: 'TB',
  WSN: 'WSH',
  WAS: 'WSH',
  ARI: 'AZ',
  ANA: 'LAA',
  OAK: 'ATH',
};
export function canonicalOrg(abbreviation: string | null | undefined): string | null {
  const upper = abbreviation?.trim().toUpperCase();
  if (!upper || upper === 'FA' || upper === '(N/A)' || upper === 'N/A') return null;
  return ORG_ALIASES[upper] ?? upper;
}

type PositionGroup = 'P' | 'C' | 'IF' | 'OF' | 'DH';
function positionGroup(position: string): PositionGroup | null {
  const p = position.trim().toUpperCase();
  if (['P', 'SP', 'RP', 'LHP', 'RHP', 'TWP'].includes(p)) return 'P';
  if (p === 'C') return 'C';
  if (['1B', '2B', '3B', 'SS', 'IF', 'MI', 'CI'].includes(p)) return 'IF';
  if (['LF', 'CF', 'RF', 'OF'].includes(p)) return 'OF';
  if (['DH', 'UT', 'UTIL'].includes(p)) return 'DH';
  return null;
}
/** 1: same group, 0: unknown, -1: a hitter against a pitcher (or the like). */
function positionAgreement(fantrax: string | null | undefined, ours: string | null): number {
  if (!fantrax || !ours) return 0;
  const mine = positionGroup(ours);
  const theirs = fantrax
    .split(/[,/]/)
    .map(positionGroup)
    .filter((g): g is PositionGroup => g !== null);
  if (!mine || theirs.length === 0 || mine === 'DH' || theirs.includes('DH')) return 0;
  if (theirs.includes(mine)) return 1;
  // Two-way players and catchers who play first: infield vs outfield is a soft disagreement, a pitcher a hard one.
  return mine === 'P' || theirs.includes('P') ? -1 : -0.3;
}

/** Similarity of two strings, 0-1, from the edit distance. */
function similarity(a: string, b: string): number {
  if (a === b) return 1;
  const m = a.length;
  const n = b.length;
  if (!m || !n) return 0;
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const row = [i];
    for (let j = 1; j <= n; j++)
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return 1 - prev[n]! / Math.max(m, n);
}

/** How alike two normalized full names are, 0-1: exact, nickname, first-name prefix, or spelling distance. */
export function nameScore(a: string, b: string): number {
  if (a === b) return 1;
  const wa = a.split(' ');
  const wb = b.split(' ');
  const lastA = wa.at(-1)!;
  const lastB = wb.at(-1)!;
  const firstA = wa[0]!;
  const firstB = wb[0]!;
  if (lastA === lastB || a.endsWith(` ${wb.slice(1).join(' ')}`) || b.endsWith(` ${wa.slice(1).join(' ')}`)) {
    if (canonicalFirst(firstA) === canonicalFirst(firstB)) return 0.8;
    if (firstA.length >= 3 && firstB.length >= 3 && (firstA.startsWith(firstB) || firstB.startsWith(firstA)))
      return 0.72;
    if (firstA[0] === firstB[0]) return 0.55;
    return 0.45;
  }
  return 0.85 * similarity(a, b);
}

function lastNameKey(normalized: string): string {
  return normalized.split(' ').at(-1) ?? normalized;
}

function labelOf(confidence: number): MatchLabel {
  if (confidence >= MATCH_THRESHOLDS.certain) return 'certain';
  if (confidence >= MATCH_THRESHOLDS.likely) return 'likely';
  if (confidence >= MATCH_THRESHOLDS.uncertain) return 'uncertain';
  return 'none';
}

interface Indexed {
  candidate: MatchCandidate;
  normalized: string;
}

/**
 * Builds a matcher over our players once (indexed by last name and by first letters), then matches Fantrax players
 * one by one.
 * @example createMatcher(candidates)({ fantraxId: '04abc', name: 'Ramirez, Jose', team: 'CLE', position: '3B' })
 */
export function createMatcher(candidates: readonly MatchCandidate[]): (player: FantraxPlayer) => MatchResult {
  const byLast = new Map<string, Indexed[]>();
  const byInitials = new Map<string, Indexed[]>();
  for (const candidate of candidates) {
    const normalized = normalizeName(candidate.name);
    const entry = { candidate, normalized };
    const last = lastNameKey(normalized);
    byLast.set(last, [...(byLast.get(last) ?? []), entry]);
    const initials = `${normalized[0] ?? ''}${last.slice(0, 2)}`;
    byInitials.set(initials, [...(byInitials.get(initials) ?? []), entry]);
  }

  const score = (player: FantraxPlayer, normalized: string, entry: Indexed): number => {
    let s = nameScore(normalized, entry.normalized);
    const org = canonicalOrg(player.team);
    const ours = canonicalOrg(entry.candidate.organization);
    if (org && ours) s += org === ours ? 0.1 : -0.2;
    s += 0.05 * positionAgreement(player.position, entry.candidate.position);
    if (player.age != null && entry.candidate.age != null)
      s += Math.abs(player.age - entry.candidate.age) <= 1 ? 0.05 : -0.15;
    return Math.max(0, Math.min(1, s));
  };

  return (player) => {
    const normalized = normalizeName(player.name);
    const last = lastNameKey(normalized);
    // Same last name first; a misspelt last name still shares its first letters with ours.
    const pool = new Map<number, Indexed>();
    for (const e of [
      ...(byLast.get(last) ?? []),
      ...(byInitials.get(`${normalized[0] ?? ''}${last.slice(0, 2)}`) ?? []),
    ])
      pool.set(e.candidate.playerId, e);
    const ranked = [...pool.values()]
      .map((e) => ({ e, s: score(player, normalized, e) }))
      .sort((a, b) => b.s - a.s || a.e.candidate.playerId - b.e.candidate.playerId);
    const best = ranked[0];
    if (!best) return { fantraxId: player.fantraxId, playerId: null, confidence: 0, label: 'none' };
    // Two players we cannot tell apart: neither is certain.
    const runnerUp = ranked[1]?.s ?? 0;
    const confidence = Math.round(Math.max(0, best.s - Math.max(0, runnerUp - (best.s - 0.1)) * 4) * 1000) / 1000;
    const label = labelOf(confidence);
    return {
      fantraxId: player.fantraxId,
      playerId: label === 'none' ? null : best.e.candidate.playerId,
      confidence,
      label,
    };
  };
}
