import { describe, expect, it } from 'vitest';
import { createSampleApi } from '../sample/api.ts';
import { generateUniverse } from '../sample/universe.ts';
import { asksForMinors, isStatsUrl, parseBatchResponses } from './batch-responses.ts';

const SEASON = 2016;
const BASE = 'http://sample.test/api/v1';
const api = createSampleApi(generateUniverse({ seed: 7, fromSeason: 2015, toSeason: SEASON, scale: 0.02 }));
const response = (pathAndQuery: string) => {
  const r = api('GET', new URL(`${BASE}${pathAndQuery}`));
  if (r.status !== 200) throw new Error(`sample answered ${r.status} to ${pathAndQuery}`);
  return { url: `${BASE}${pathAndQuery}`, body: r.body };
};
const statsPath = (group: string, sportIds: string) =>
  `/stats?stats=season&group=${group}&sportIds=${sportIds}&season=${SEASON}&playerPool=All&limit=2000&offset=0`;

describe('parseBatchResponses', () => {
  it('parses stats of both groups, and accounts for every split as a line, a reject or a merged duplicate', () => {
    const batch = parseBatchResponses(
      [response(statsPath('hitting', '1,11')), response(statsPath('pitching', '1,11'))],
      SEASON,
    );
    expect(batch.minorsAsked).toBe(true);
    expect(batch.hitting.lines.length).toBeGreaterThan(0);
    expect(batch.pitching.lines.length).toBeGreaterThan(0);
    expect(batch.hitting.lines.every((l) => l.group === 'hitting' && l.season === SEASON)).toBe(true);
    for (const parsed of [batch.hitting, batch.pitching]) {
      const { splits, duplicates, superseded } = parsed.summary;
      expect(parsed.lines.length + parsed.rejects.length + duplicates + superseded).toBe(splits);
    }
  });

  it('rejects a split of the wrong shape before parsing, with its cell and cause, and counts it apart', () => {
    const good = response(statsPath('hitting', '1'));
    const page = good.body as { stats: { splits: Record<string, unknown>[] }[] };
    const [first] = page.stats[0]!.splits;
    const broken = { ...first, stat: 'not an object' };
    const batch = parseBatchResponses(
      [{ url: good.url, body: { ...page, stats: [{ ...page.stats[0], splits: [broken] }] } }],
      SEASON,
    );
    expect(batch.minorsAsked).toBe(false);
    expect(batch.shapeRejected).toBe(1);
    expect(batch.hitting.summary.splits).toBe(0);
    expect(batch.rejects).toHaveLength(1);
    expect(batch.rejects[0]).toMatchObject({
      entity: 'season_line',
      cell: { season: SEASON, sportId: 1, group: 'hitting' },
    });
    expect(batch.rejects[0]?.reason).toMatch(/^shape: /);
  });

  it('reads bios from people responses, and leaves other URLs alone', () => {
    const hitters = parseBatchResponses([response(statsPath('hitting', '1'))], SEASON)
      .hitting.lines.slice(0, 2)
      .map((l) => l.playerId);
    const batch = parseBatchResponses(
      [response(`/people?personIds=${hitters.join(',')}`), { url: `${BASE}/sports`, body: { sports: [] } }],
      SEASON,
    );
    expect(batch.bios.map((b) => b.playerId).sort()).toEqual([...hitters].sort());
    expect(batch.hitting.lines).toEqual([]);
    expect(batch.minorsAsked).toBe(false);
  });
});

describe('isStatsUrl and asksForMinors', () => {
  it('tell a season-stats request and whether it asked for a level below MLB', () => {
    expect(isStatsUrl(`${BASE}${statsPath('hitting', '1')}`)).toBe(true);
    expect(isStatsUrl(`${BASE}/people?personIds=1`)).toBe(false);
    expect(asksForMinors(`${BASE}${statsPath('hitting', '1')}`)).toBe(false);
    expect(asksForMinors(`${BASE}${statsPath('hitting', '1, 11')}`)).toBe(true);
    expect(asksForMinors(`${BASE}/stats?group=hitting&sportId=12`)).toBe(true);
  });
});
