// validateSeasonLines as a whole: the partition invariant over random input, duplicate keys, and what it does to
// clean generated data and to the real recorded lines.
import { describe, expect, it } from 'vitest';
import type { PlayerBio, SeasonLine } from '../../lib/domain.ts';
import { parsePeople } from '../mlb-stats-api/parse-people.ts';
import { parseStatSplits } from '../mlb-stats-api/parse-stats.ts';
import { fixturesAvailable, HYDRATED_PEOPLE, readFixture } from '../mlb-stats-api/test-fixtures.ts';
import { createRng, type Rng } from '../sample/prng.ts';
import { createSampleApi } from '../sample/api.ts';
import { generateUniverse } from '../sample/universe.ts';
import { checkShape } from './schemas.ts';
import { validateSeasonLines } from './season-lines.ts';
import { bio, biosFor, hitter, normalLevel, pitcher, SEASON } from './test-lines.ts';

/** A random line, sound or not: random level, season, counts (sometimes negative or fractional), rates, sizes. */
function randomLine(rng: Rng, ids: number): SeasonLine {
  const sportId = rng.pick([1, 11, 12, 13, 14, 15, 16, 5442, 17]);
  const season = rng.chance(0.9) ? SEASON : 2021;
  const base = rng.chance(0.5)
    ? hitter(
        rng.int(1, ids),
        { pa: rng.int(0, 700), k: rng.next() * 0.6, bb: rng.next() * 0.3, iso: rng.next() * 0.4 },
        {},
        sportId,
      )
    : pitcher(
        rng.int(1, ids),
        { bf: rng.int(1, 900), k: rng.next() * 0.5, bb: rng.next() * 0.3, hr: rng.next() * 0.08 },
        {},
        sportId,
      );
  const stats: Record<string, number> = { ...base.stats };
  const keys = Object.keys(stats);
  for (let i = rng.int(0, 2); i > 0; i--) {
    const k = rng.pick(keys);
    stats[k] = rng.pick([-1, 0, 0.5, rng.int(0, 1000), (stats[k] ?? 0) * 2]);
  }
  return { ...base, season, stats } as unknown as SeasonLine;
}

function randomBios(rng: Rng, ids: number): Map<number, PlayerBio> {
  const bios = new Map<number, PlayerBio>();
  for (let id = 1; id <= ids; id++) {
    if (rng.chance(0.1)) continue;
    const birth = rng.chance(0.1)
      ? null
      : `${rng.int(1955, 2003)}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`;
    bios.set(id, bio(id, birth));
  }
  return bios;
}

describe('validateSeasonLines', () => {
  it('puts every input line in exactly one of accepted or rejects, over random input', () => {
    const rng = createRng(42);
    for (let trial = 0; trial < 300; trial++) {
      const ids = rng.int(1, 60);
      const lines = Array.from({ length: rng.int(0, 80) }, () => randomLine(rng, ids));
      // Same-object repeats and normal levels, so duplicates and outlier checks take part too.
      if (lines.length > 0 && rng.chance(0.3)) lines.push(rng.pick(lines));
      if (rng.chance(0.3))
        for (const l of normalLevel(rng.chance(0.5) ? 'hitting' : 'pitching', 12, 100, 12, trial)) lines.push(l);
      const r = validateSeasonLines({ season: SEASON, lines, bios: randomBios(rng, ids) });
      expect(r.accepted.length + r.rejects.length).toBe(lines.length);
      const count = (list: readonly SeasonLine[]) => {
        const m = new Map<SeasonLine, number>();
        for (const l of list) m.set(l, (m.get(l) ?? 0) + 1);
        return m;
      };
      const inputCounts = count(lines);
      expect(count([...r.accepted, ...r.rejects.map((x) => x.raw)])).toEqual(inputCounts);
      // A line object can be both accepted and rejected only if it was given more than once (the later copy rejected).
      const rejected = new Set(r.rejects.map((x) => x.raw));
      for (const l of r.accepted) if (rejected.has(l)) expect(inputCounts.get(l)).toBeGreaterThan(1);
      // And no line key is ever accepted twice: the load upserts on it.
      const acceptedKeys = new Set(r.accepted.map((l) => `${l.playerId}:${l.sportId}:${l.group}`));
      expect(acceptedKeys.size).toBe(r.accepted.length);
      for (const f of r.flags) expect(acceptedKeys.has(`${f.playerId}:${f.sportId}:${f.group}`)).toBe(true);
      for (const x of r.rejects) expect(x.reason).toMatch(/^player \d+/);
    }
  });

  it('keeps the first of identical copies of a line and rejects the rest as duplicate_line', () => {
    const line = hitter(1);
    const r = validateSeasonLines({ season: SEASON, lines: [line, { ...line }, line], bios: biosFor([line]) });
    expect(r.accepted).toEqual([line]);
    expect(r.rejects.map((x) => x.rule)).toEqual(['duplicate_line', 'duplicate_line']);
    expect(r.rejects[0]?.reason).toContain('identical copy 2 of 3');
  });

  it('rejects every copy of differing lines for one key as conflicting_lines', () => {
    const a = hitter(1);
    const b = hitter(1, { pa: 300 });
    const other = pitcher(1);
    const r = validateSeasonLines({ season: SEASON, lines: [a, b, other], bios: biosFor([a]) });
    expect(r.accepted).toEqual([other]);
    expect(r.rejects.map((x) => [x.raw, x.rule])).toEqual([
      [a, 'conflicting_lines'],
      [b, 'conflicting_lines'],
    ]);
  });
});

describe('validateSeasonLines on clean generated data', () => {
  const universe = generateUniverse({ seed: 3, scale: 0.05 });
  const bios = new Map<number, PlayerBio>(
    [...universe.people.values()].map((p) => [
      p.id,
      {
        playerId: p.id,
        fullName: p.fullName,
        birthDate: p.birthDate,
        primaryPosition: p.position,
        batSide: p.bats,
        pitchHand: p.throws,
        mlbDebutDate: p.mlbDebutDate,
      },
    ]),
  );

  it('rejects under 0.5% of the clean lines of a sample universe and flags under 1%', () => {
    const bySeason = Map.groupBy(universe.lines, (l) => l.season);
    let total = 0;
    let rejected = 0;
    let flagged = 0;
    for (const [season, lines] of bySeason) {
      const r = validateSeasonLines({ season, lines, bios });
      total += lines.length;
      rejected += r.rejects.length;
      flagged += new Set(r.flags.map((f) => `${f.playerId}:${f.sportId}:${f.group}`)).size;
    }
    expect(total).toBeGreaterThan(5000);
    expect(rejected / total).toBeLessThan(0.005);
    expect(flagged / total).toBeLessThan(0.01);
  });
});

describe('checkShape → parse → validateSeasonLines over sample server responses', () => {
  const universe = generateUniverse({ seed: 3, scale: 0.05 });
  const api = createSampleApi(universe);
  const get = (path: string) => api('GET', new URL(`http://sample${path}`)).body;

  it.each([2014, 2015])(
    'season %i (2015 is the shape-drift season): injected faults stop at the parser, nothing sound is rejected',
    (season) => {
      const lines: SeasonLine[] = [];
      for (const group of ['hitting', 'pitching'] as const) {
        const body = get(
          `/api/v1/stats?stats=season&group=${group}&season=${season}&sportIds=1,11,12,13,14,15,16,5442&playerPool=All&limit=100000`,
        );
        expect(checkShape('stats', body)).toBeNull();
        const parsed = parseStatSplits(body, group);
        expect(parsed.rejects.length).toBeGreaterThan(0); // the sample's impossible rows and its row without a player id
        for (const l of parsed.lines) lines.push(l);
      }
      const ids = [...new Set(lines.map((l) => l.playerId))];
      const bios = new Map(parsePeople(get(`/api/v1/people?personIds=${ids.join(',')}`)).map((b) => [b.playerId, b]));
      const r = validateSeasonLines({ season, lines, bios });
      expect(lines.length).toBeGreaterThan(400);
      expect(r.rejects).toEqual([]);
      expect(r.flags.filter((f) => f.rule === 'no_bio')).toEqual([]);
    },
  );
});

describe.skipIf(!fixturesAvailable)('validateSeasonLines on the real recorded lines', () => {
  it('accepts every MLB line of the hydrated people fixture, flagging a bunting pitcher', () => {
    const body = readFixture(HYDRATED_PEOPLE);
    const bios = new Map(parsePeople(body).map((b) => [b.playerId, b]));
    const lines = [...parseStatSplits(body, 'hitting').lines, ...parseStatSplits(body, 'pitching').lines];
    expect(lines.length).toBeGreaterThan(90);
    const flags = [];
    for (const [season, list] of Map.groupBy(lines, (l) => l.season)) {
      const r = validateSeasonLines({ season, lines: list, bios });
      expect(r.rejects).toEqual([]);
      for (const f of r.flags) flags.push(f);
    }
    expect(flags.map((f) => f.rule)).toContain('pa_residual');
    expect(flags.find((f) => f.playerId === 457453 && f.season === 2011)?.detail).toContain('Jair Jurrjens');
  });
});
