/** Arrow feature-matrix files read back exactly as written: values, missing values, labels and order. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import type { SeasonLine } from '../lib/domain.ts';
import { readFeatureMatrix, writeFeatureMatrix } from './arrow.ts';
import { buildDataset, type Dataset } from './dataset.ts';
import { FEATURE_NAMES } from './feature-catalog.ts';
import { emptyHitting } from './level-norms.ts';

const dir = await mkdtemp(join(tmpdir(), 'features-arrow-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Byte-level view so NaN compares equal to NaN and -0 differs from 0. */
const bytes = (m: Float32Array) => Array.from(new Uint8Array(m.buffer, m.byteOffset, m.byteLength));

const handBuilt: Dataset = {
  featureNames: ['age', 'draft_pick', 'hit_k_rate'],
  rows: [
    { playerId: 660271, asOfSeason: 2016, group: 'hitting', label: 1 },
    { playerId: 5, asOfSeason: 2015, group: 'pitching', label: 0 },
    { playerId: 2147483647, asOfSeason: 2023, group: 'hitting', label: null },
  ],
  matrix: Float32Array.from([19.25, 12, 0.2134, 22.5, NaN, NaN, NaN, 1, -0.5]),
};

describe('feature matrix files', () => {
  it('round-trips a hand-built dataset exactly', async () => {
    const path = join(dir, 'hand.arrow');
    await writeFeatureMatrix(path, handBuilt);
    const back = await readFeatureMatrix(path);
    expect(back.featureNames).toEqual(handBuilt.featureNames);
    expect(back.rows).toEqual(handBuilt.rows);
    expect(bytes(back.matrix)).toEqual(bytes(handBuilt.matrix));
  });

  it('writes missing values as Arrow nulls, typed columns and the catalog in the schema metadata', async () => {
    const path = join(dir, 'hand.arrow');
    await writeFeatureMatrix(path, handBuilt);
    const table = tableFromIPC(await readFile(path));
    expect(table.schema.fields.map((f) => f.name)).toEqual([
      'player_id',
      'as_of_season',
      'group',
      'label',
      'age',
      'draft_pick',
      'hit_k_rate',
    ]);
    expect(table.schema.fields.map((f) => String(f.type))).toEqual([
      'Int32',
      'Int16',
      'Utf8',
      'Float32',
      'Float32',
      'Float32',
      'Float32',
    ]);
    expect(table.getChild('draft_pick')!.nullCount).toBe(1);
    expect(table.getChild('age')!.get(2)).toBeNull();
    expect(table.getChild('label')!.get(2)).toBeNull();
    expect(JSON.parse(table.schema.metadata.get('feature_names')!)).toEqual(handBuilt.featureNames);
    const catalog = JSON.parse(table.schema.metadata.get('feature_catalog')!) as { name: string; unit: string }[];
    expect(catalog.map((c) => c.name)).toEqual(['age', 'draft_pick', 'hit_k_rate']);
    expect(table.schema.fields[4]!.metadata.get('unit')).toBe('years');
  });

  it('round-trips a built dataset with every catalog column', async () => {
    const line = (playerId: number, season: number, pa: number): SeasonLine => ({
      playerId,
      season,
      sportId: 14,
      teamId: null,
      group: 'hitting',
      stats: {
        ...emptyHitting(),
        plateAppearances: pa,
        atBats: pa - 8,
        hits: 30,
        doubles: 6,
        strikeOuts: 25,
        baseOnBalls: 8,
      },
    });
    const dataset = buildDataset({
      asOfSeasons: [2020, 2021],
      players: [
        {
          playerId: 1,
          fullName: 'A',
          birthDate: '2001-02-03',
          primaryPosition: 'SS',
          batSide: 'L',
          pitchHand: 'R',
          mlbDebutDate: null,
        },
      ],
      lines: [line(1, 2020, 150), line(1, 2021, 200), line(2, 2021, 120)],
      drafts: [],
      lastCompleteSeason: 2022,
    });
    const path = join(dir, 'built.arrow');
    await writeFeatureMatrix(path, dataset);
    const back = await readFeatureMatrix(path);
    expect(back.featureNames).toEqual(FEATURE_NAMES);
    expect(back.rows).toEqual(dataset.rows);
    expect(back.rows.length).toBe(3);
    expect(bytes(back.matrix)).toEqual(bytes(dataset.matrix));
  });

  it('refuses a matrix whose size does not match its rows and columns', async () => {
    await expect(
      writeFeatureMatrix(join(dir, 'bad.arrow'), { ...handBuilt, matrix: new Float32Array(4) }),
    ).rejects.toThrow(/expected 3 x 3/);
  });
});
