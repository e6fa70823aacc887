/** The dataset joins point-in-time features of several as-of seasons with their labels, in one matrix. */
import { describe, expect, it } from 'vitest';
import type { DraftPick, PlayerBio, SeasonLine } from '../lib/domain.ts';
import { buildDataset } from './dataset.ts';
import { FEATURE_INDEX, FEATURE_NAMES } from './feature-catalog.ts';
import { computeFeatures } from './features.ts';
import { emptyHitting, emptyPitching } from './level-norms.ts';

function bio(playerId: number, birthDate: string): PlayerBio {
  return {
    playerId,
    fullName: `P${playerId}`,
    birthDate,
    primaryPosition: null,
    batSide: 'R',
    pitchHand: 'R',
    mlbDebutDate: null,
  };
}

function hit(playerId: number, season: number, sportId: number, pa: number): SeasonLine {
  const stats = {
    ...emptyHitting(),
    plateAppearances: pa,
    atBats: pa - 10,
    hits: pa / 4,
    strikeOuts: pa / 5,
    baseOnBalls: 10,
  };
  return { playerId, season, sportId, teamId: null, group: 'hitting', stats };
}

function pit(playerId: number, season: number, sportId: number, outs: number): SeasonLine {
  const stats = { ...emptyPitching(), games: 10, outs, battersFaced: outs + 40, strikeOuts: outs / 3, baseOnBalls: 10 };
  return { playerId, season, sportId, teamId: null, group: 'pitching', stats };
}

const players = [bio(1, '1999-05-05'), bio(2, '1997-05-05'), bio(3, '1998-05-05')];
const lines: SeasonLine[] = [
  hit(1, 2015, 14, 300),
  hit(1, 2016, 12, 400),
  hit(1, 2017, 1, 600),
  hit(2, 2015, 13, 400),
  hit(2, 2016, 12, 400),
  pit(3, 2016, 13, 200),
  pit(3, 2018, 1, 330),
];
const drafts: DraftPick[] = [{ playerId: 1, year: 2014, round: '1', pickNumber: 5, orgId: null, school: null }];

describe('buildDataset', () => {
  const ds = buildDataset({ asOfSeasons: [2015, 2016], players, lines, drafts, lastCompleteSeason: 2020 });

  it('lists rows by as-of season then player, with labels from later seasons', () => {
    expect(ds.rows).toEqual([
      { playerId: 1, asOfSeason: 2015, group: 'hitting', label: 1 },
      { playerId: 2, asOfSeason: 2015, group: 'hitting', label: 0 },
      { playerId: 1, asOfSeason: 2016, group: 'hitting', label: 1 },
      { playerId: 2, asOfSeason: 2016, group: 'hitting', label: 0 },
      { playerId: 3, asOfSeason: 2016, group: 'pitching', label: 1 },
    ]);
  });

  it('marks a window that is still open as unknown, early successes included', () => {
    const open = buildDataset({ asOfSeasons: [2016], players, lines, drafts, lastCompleteSeason: 2019 });
    expect(open.rows.map((r) => r.label)).toEqual([null, null, null]);
  });

  it('uses the bio known at the end of each as-of season: a later position change leaves earlier rows alone', () => {
    const seen = (seenOn: string, primaryPosition: string, batSide: string) => ({
      playerId: 1,
      seenOn,
      birthDate: '1999-05-05',
      primaryPosition,
      batSide,
      pitchHand: 'R',
    });
    // A shortstop who switch-hits through 2015, a left-handed-hitting catcher from the 2016 season on.
    const bioVersions = [seen('2015-04-01', 'SS', 'S'), seen('2016-03-15', 'C', 'L')];
    const versioned = buildDataset({
      asOfSeasons: [2015, 2016],
      players,
      bioVersions,
      lines,
      drafts,
      lastCompleteSeason: 2020,
    });
    const before = buildDataset({
      asOfSeasons: [2015, 2016],
      players,
      bioVersions: bioVersions.slice(0, 1),
      lines,
      drafts,
      lastCompleteSeason: 2020,
    });
    const ncol = FEATURE_NAMES.length;
    const row = (d: typeof ds, i: number) => Array.from(d.matrix.subarray(i * ncol, (i + 1) * ncol));
    expect(versioned.rows[0]).toMatchObject({ playerId: 1, asOfSeason: 2015 });
    expect(row(versioned, 0)).toEqual(row(before, 0));
    expect(versioned.matrix[0 * ncol + FEATURE_INDEX.pos_if]).toBe(1);
    expect(versioned.matrix[0 * ncol + FEATURE_INDEX.bats_switch]).toBe(1);
    expect(versioned.rows[2]).toMatchObject({ playerId: 1, asOfSeason: 2016 });
    expect(versioned.matrix[2 * ncol + FEATURE_INDEX.pos_c]).toBe(1);
    expect(versioned.matrix[2 * ncol + FEATURE_INDEX.bats_left]).toBe(1);
    expect(before.matrix[2 * ncol + FEATURE_INDEX.pos_if]).toBe(1);
  });

  it('stores each row of features at its place in the row-major matrix', () => {
    expect(ds.featureNames).toEqual(FEATURE_NAMES);
    expect(ds.matrix.length).toBe(ds.rows.length * FEATURE_NAMES.length);
    const features2016 = computeFeatures({ asOfSeason: 2016, players, lines, drafts });
    features2016.forEach((r, i) => {
      const start = (2 + i) * FEATURE_NAMES.length;
      expect(Array.from(ds.matrix.subarray(start, start + FEATURE_NAMES.length))).toEqual(Array.from(r.values));
    });
    const ncol = FEATURE_NAMES.length;
    expect(ds.matrix[0 * ncol + FEATURE_INDEX.draft_pick]).toBe(5);
    expect(ds.matrix[1 * ncol + FEATURE_INDEX.draft_pick]).toBeNaN();
    expect(ds.matrix[4 * ncol + FEATURE_INDEX.is_pitcher]).toBe(1);
  });
});
