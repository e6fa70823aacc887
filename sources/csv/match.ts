/**
 * Matching scouting rows (which carry no MLBAM id) to players: candidates share the normalized name, then organization,
 * age and position decide which one it is and how sure we are. Pure functions; the caller loads the candidates.
 */

/** Scoring weights: a check that agrees earns its weight, an unknown one half of it, a disagreeing one nothing. */
export const MATCH_WEIGHTS = { name: 0.4, organization: 0.3, age: 0.15, position: 0.15 } as const;
/** Lowest confidence accepted as a match (the name plus at least 0.2 of corroboration). */
export const ACCEPT_CONFIDENCE = 0.6;
/** A runner-up within this margin of the best candidate makes the row ambiguous. */
export const AMBIGUITY_MARGIN = 0.1;
/** CSV age and age on July 1 of the season (from the birth date) may differ by this many years. */
export const AGE_TOLERANCE_YEARS = 1;
/** Seasons before the list's season whose organizations count (pre-season lists reflect last year's rosters; 2020 had no minors). */
export const ORGANIZATION_LOOKBACK = 2;

export interface CandidateOrg {
  season: number;
  orgId: number;
  abbreviation: string;
  name: string;
}

export interface Candidate {
  playerId: number;
  fullName: string;
  /** YYYY-MM-DD */
  birthDate: string | null;
  primaryPosition: string | null;
  /** Organizations he played for (any level) from season - ORGANIZATION_LOOKBACK to season. */
  orgs: CandidateOrg[];
}

export interface MatchQuery {
  name: string;
  organization: string;
  position: string | null;
  age: number | null;
}

export type CheckResult = 'agree' | 'disagree' | 'unknown';
export interface Check {
  result: CheckResult;
  detail: string;
}
export interface Checks {
  organization: Check;
  age: Check;
  position: Check;
}

export interface ScoredCandidate {
  playerId: number;
  fullName: string;
  birthDate: string | null;
  primaryPosition: string | null;
  organizations: string[];
  confidence: number;
  checks: Checks;
}

export type MatchResult =
  | {
      status: 'matched';
      playerId: number;
      confidence: number;
      method: string;
      checks: Checks;
      considered: ScoredCandidate[];
    }
  | { status: 'unmatched' | 'ambiguous'; reason: string; considered: ScoredCandidate[] };

const SUFFIXES = new Set(['jr', 'sr', 'ii', 'iii', 'iv']);

/**
 * Lower-case, accents stripped, "Last, First" turned round, apostrophes and periods dropped ("O'Neil", "J.P."), other
 * punctuation a space, runs of initials joined ("j p" → "jp"), generational suffixes removed.
 * @example normalizeName('Peña Jr., José') === 'jose pena'
 */
export function normalizeName(name: string): string {
  let s = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
  const comma = s.indexOf(',');
  if (comma >= 0) s = `${s.slice(comma + 1)} ${s.slice(0, comma)}`;
  s = s
    .replace(/['’.]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  const tokens = s.split(' ').filter((t) => t !== '');
  const unsuffixed = tokens.filter((t, i) => i === 0 || !SUFFIXES.has(t));
  const joined: string[] = [];
  let initials = false;
  for (const t of unsuffixed.length >= 2 ? unsuffixed : tokens) {
    if (t.length === 1 && initials) joined[joined.length - 1] += t;
    else joined.push(t);
    initials = t.length === 1;
  }
  return joined.join(' ');
}

/** Surname token of a normalized name: what the candidate query filters on. */
export const surnameOf = (normalized: string): string => normalized.slice(normalized.lastIndexOf(' ') + 1);

// Other sites' club abbreviations next to MLBAM's (FanGraphs writes SDP, TBR, KCR, SFG, CHW, WSN...).
const ORG_ALIAS_GROUPS = [
  ['SD', 'SDP', 'SDN'],
  ['TB', 'TBR', 'TBD', 'TBA'],
  ['KC', 'KCR', 'KCA'],
  ['SF', 'SFG', 'SFN'],
  ['CWS', 'CHW', 'CHA'],
  ['WSH', 'WSN', 'WAS'],
  ['LAA', 'ANA'],
  ['AZ', 'ARI'],
  ['ATH', 'OAK'],
  ['CHC', 'CHN'],
  ['NYY', 'NYA'],
  ['NYM', 'NYN'],
  ['LAD', 'LAN'],
  ['STL', 'SLN'],
  ['MIA', 'FLA'],
];
const ORG_ALIAS = new Map(ORG_ALIAS_GROUPS.flatMap((g) => g.map((code) => [code, g[0]!] as const)));
const orgText = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

/** The CSV's organization names this club: its abbreviation (or a known alias), its full name or its nickname. */
export function organizationMatches(csvOrg: string, org: Pick<CandidateOrg, 'abbreviation' | 'name'>): boolean {
  const code = csvOrg.trim().toUpperCase();
  if (
    code !== '' &&
    org.abbreviation !== '' &&
    (ORG_ALIAS.get(code) ?? code) === (ORG_ALIAS.get(org.abbreviation.toUpperCase()) ?? org.abbreviation.toUpperCase())
  )
    return true;
  const text = orgText(csvOrg);
  const name = orgText(org.name);
  return text !== '' && (name === text || name.endsWith(` ${text}`));
}

/** 'pitcher' and/or 'hitter' for a position text ("SS/2B", "RHP", "TWP"); empty when unrecognised. */
export function positionGroups(position: string | null): Set<'pitcher' | 'hitter'> {
  const groups = new Set<'pitcher' | 'hitter'>();
  for (const token of (position ?? '').toUpperCase().split(/[\s/,;-]+/)) {
    if (/^(R|L)?H?(S|R)?P$|^PITCHER$/.test(token)) groups.add('pitcher');
    else if (/^(C|1B|2B|3B|SS|LF|CF|RF|OF|IF|INF|MIF|CIF|DH|UT|UTIL|CATCHER|INFIELDER|OUTFIELDER)$/.test(token))
      groups.add('hitter');
    else if (/^(TWP|Y|TWO|TWOWAY)$/.test(token)) {
      groups.add('pitcher');
      groups.add('hitter');
    }
  }
  return groups;
}

/** Age on July 1 of `season`, in years with a fraction (baseball's reference date). */
export function ageOnJuly1(birthDate: string, season: number): number | null {
  const born = Date.parse(`${birthDate}T00:00:00Z`);
  return Number.isNaN(born) ? null : (Date.UTC(season, 6, 1) - born) / (365.2425 * 86_400_000);
}

function checkOrganization(query: MatchQuery, c: Candidate): Check {
  if (c.orgs.length === 0) return { result: 'unknown', detail: 'no organization on record for the seasons considered' };
  const seen = [...new Set(c.orgs.map((o) => `${o.abbreviation || o.name} ${o.season}`))].join(', ');
  return c.orgs.some((o) => organizationMatches(query.organization, o))
    ? { result: 'agree', detail: `${query.organization} (${seen})` }
    : { result: 'disagree', detail: `CSV ${query.organization}, MLB data ${seen}` };
}

function checkAge(query: MatchQuery, c: Candidate, season: number): Check {
  const age = c.birthDate === null ? null : ageOnJuly1(c.birthDate, season);
  if (query.age === null || age === null)
    return { result: 'unknown', detail: query.age === null ? 'no age in the CSV' : 'no birth date on record' };
  const detail = `CSV ${query.age}, MLB data ${age.toFixed(1)} on July 1, ${season}`;
  return { result: Math.abs(age - query.age) <= AGE_TOLERANCE_YEARS ? 'agree' : 'disagree', detail };
}

function checkPosition(query: MatchQuery, c: Candidate): Check {
  const a = positionGroups(query.position);
  const b = positionGroups(c.primaryPosition);
  if (a.size === 0 || b.size === 0)
    return { result: 'unknown', detail: `CSV ${query.position ?? '-'}, MLB data ${c.primaryPosition ?? '-'}` };
  const result = [...a].some((g) => b.has(g)) ? 'agree' : 'disagree';
  return { result, detail: `CSV ${query.position ?? ''}, MLB data ${c.primaryPosition ?? ''}` };
}

const credit = (r: CheckResult) => (r === 'agree' ? 1 : r === 'unknown' ? 0.5 : 0);

export function scoreCandidate(query: MatchQuery, c: Candidate, season: number): ScoredCandidate {
  const checks: Checks = {
    organization: checkOrganization(query, c),
    age: checkAge(query, c, season),
    position: checkPosition(query, c),
  };
  const w = MATCH_WEIGHTS;
  const confidence =
    w.name +
    w.organization * credit(checks.organization.result) +
    w.age * credit(checks.age.result) +
    w.position * credit(checks.position.result);
  return {
    playerId: c.playerId,
    fullName: c.fullName,
    birthDate: c.birthDate,
    primaryPosition: c.primaryPosition,
    organizations: [...new Set(c.orgs.map((o) => `${o.abbreviation || o.name} ${o.season}`))],
    confidence: Math.round(confidence * 1000) / 1000,
    checks,
  };
}

/** Candidates grouped by normalized name. */
export function indexCandidates(candidates: readonly Candidate[]): Map<string, Candidate[]> {
  const index = new Map<string, Candidate[]>();
  for (const c of candidates) {
    const key = normalizeName(c.fullName);
    index.set(key, [...(index.get(key) ?? []), c]);
  }
  return index;
}

const describe = (s: ScoredCandidate) => `${s.playerId} ${s.fullName} (${s.confidence})`;

export function matchPlayer(
  query: MatchQuery,
  index: ReadonlyMap<string, readonly Candidate[]>,
  season: number,
): MatchResult {
  const key = normalizeName(query.name);
  const considered = (index.get(key) ?? [])
    .map((c) => scoreCandidate(query, c, season))
    .sort((a, b) => b.confidence - a.confidence || a.playerId - b.playerId);
  const [best, second] = considered;
  if (!best)
    return { status: 'unmatched', reason: `no player named "${query.name}" (normalized "${key}")`, considered };
  if (best.confidence < ACCEPT_CONFIDENCE) {
    const against = Object.entries(best.checks)
      .filter(([, c]) => c.result === 'disagree')
      .map(([k, c]) => `${k}: ${c.detail}`);
    return {
      status: 'unmatched',
      reason: `best candidate ${describe(best)} is below ${ACCEPT_CONFIDENCE}; disagrees on ${against.join('; ')}`,
      considered,
    };
  }
  if (second && best.confidence - second.confidence < AMBIGUITY_MARGIN) {
    const close = considered.filter((s) => best.confidence - s.confidence < AMBIGUITY_MARGIN);
    return {
      status: 'ambiguous',
      reason: `${close.length} candidates within ${AMBIGUITY_MARGIN}: ${close.map(describe).join(', ')}`,
      considered,
    };
  }
  const exact = best.fullName.trim().toLowerCase() === query.name.trim().toLowerCase();
  const agreeing = Object.entries(best.checks)
    .filter(([, c]) => c.result === 'agree')
    .map(([k]) => k);
  return {
    status: 'matched',
    playerId: best.playerId,
    confidence: best.confidence,
    method: [exact ? 'exact-name' : 'normalized-name', ...agreeing].join('+'),
    checks: best.checks,
    considered,
  };
}
