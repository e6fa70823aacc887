/**
 * The training set: point-in-time feature rows of several as-of seasons with their success labels, as one
 * row-major Float32 matrix whose columns follow FEATURE_CATALOG.
 */
import type { DraftPick, PlayerBio, ScoutingGrade, SeasonLine, StatGroup } from '../lib/domain.ts';
import { biosAsOf, indexBioVersions, type BioVersion } from './bios.ts';
import { FEATURE_COUNT, FEATURE_NAMES } from './feature-catalog.ts';
import { computeFeatures } from './features.ts';
import type { TeamLeague } from './league-norms.ts';
import { labelFor, type Label } from './labels.ts';

export interface DatasetRow {
  playerId: number;
  asOfSeason: number;
  group: StatGroup;
  /** null = outcome window not complete yet (keep for scoring, drop for training). */
  label: Label;
}

export interface Dataset {
  featureNames: string[];
  rows: DatasetRow[];
  /** rows.length x featureNames.length, row-major; NaN = missing. */
  matrix: Float32Array;
}

export interface DatasetInput {
  asOfSeasons: readonly number[];
  /** Bios as last seen; with `bioVersions`, only name and debut date are read from these. */
  players: readonly PlayerBio[];
  /**
   * Bio versions by the date they were seen: each as-of season's features use the bio known at its end
   * (`biosAsOf`). Without them every season sees `players` as they are today.
   */
  bioVersions?: readonly BioVersion[];
  /** All known lines, later seasons included: features read only up to each as-of season, labels only after it. */
  lines: readonly SeasonLine[];
  drafts: readonly DraftPick[];
  /** Scouting grades; each as-of season sees only lists dated in or before it. */
  grades?: readonly ScoutingGrade[];
  /** League of each team and season, for the "vs league" columns; without it they read against the level. */
  leagues?: readonly TeamLeague[];
  /** Last season whose regular season has ended (lib/season-calendar.ts): labels read nothing after it. */
  lastCompleteSeason: number;
}

/** Rows come as-of season by as-of season, in the order given, then by player id. */
export function buildDataset({
  asOfSeasons,
  players,
  bioVersions,
  lines,
  drafts,
  grades,
  leagues,
  lastCompleteSeason,
}: DatasetInput): Dataset {
  const byPlayer = new Map<number, SeasonLine[]>();
  for (const l of lines) {
    let own = byPlayer.get(l.playerId);
    if (!own) byPlayer.set(l.playerId, (own = []));
    own.push(l);
  }
  const versions = bioVersions ? indexBioVersions(bioVersions) : null;
  const featureRows = asOfSeasons.flatMap((asOfSeason) =>
    computeFeatures({
      asOfSeason,
      players: versions ? biosAsOf(players, versions, asOfSeason) : players,
      lines,
      drafts,
      grades,
      leagues,
    }),
  );
  const matrix = new Float32Array(featureRows.length * FEATURE_COUNT);
  const rows = featureRows.map((r, i): DatasetRow => {
    matrix.set(r.values, i * FEATURE_COUNT);
    const own = byPlayer.get(r.playerId) ?? [];
    const label = labelFor({ playerId: r.playerId, asOfSeason: r.asOfSeason, lines: own, lastCompleteSeason });
    return { playerId: r.playerId, asOfSeason: r.asOfSeason, group: r.group, label };
  });
  return { featureNames: [...FEATURE_NAMES], rows, matrix };
}
