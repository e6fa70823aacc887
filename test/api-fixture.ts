/**
 * A coherent published world for API tests, seeded with plain SQL: two models (the older retired, the newer the
 * champion), a feature snapshot and a prediction run for each, two ranking snapshots published on different days
 * (for `as_of`), one generated but never published, and ~60 prospects (hitters and pitchers of six organizations,
 * five levels, three confidences, accented names) with full cards (lib/snapshot.ts) in published_prospects.
 * Deterministic: every number is a function of the prospect's index, and the returned description holds what tests
 * compare against.
 */
import type { Queryable } from '../lib/db.ts';
import type { Prospect } from '../lib/snapshot.ts';
import { FEATURE_CATALOG } from '../training/feature-catalog.ts';
import { searchName } from '../publishing/search-name.ts';

export interface FixtureOrganization {
  id: number;
  name: string;
  abbreviation: string;
}

export interface FixturePlayer {
  id: number;
  name: string;
  isPitcher: boolean;
  position: string;
  organization: FixtureOrganization;
  level: string;
  age: number;
  eta: number;
  confidence: 'High' | 'Medium' | 'Low';
}

/** What one snapshot served for one prospect. */
export interface FixturePrediction {
  rank: number;
  probability: number;
  dynastyValue: number;
  baseValue: number;
  /** SHAP values in the model's feature order. */
  shap: number[];
  /** The player's feature values by feature name (null = missing, stored as NaN). */
  values: Record<string, number | null>;
}

export interface FixtureSnapshot {
  id: string;
  publishedAt: Date;
  /** The publication day, as `as_of` takes it. */
  day: string;
  predictionRunId: string;
  featureSnapshotId: string;
  modelVersion: string;
  asOfSeason: number;
  /** The model's features, in its SHAP order. */
  featureNames: string[];
  predictions: Map<number, FixturePrediction>;
}

export interface PublishedWorld {
  organizations: FixtureOrganization[];
  players: FixturePlayer[];
  /** The older snapshot (2025-03-01; the 56 first players) and the one served now (2025-06-01; all 60). */
  older: FixtureSnapshot;
  current: FixtureSnapshot;
  /** A snapshot generated after `current` but never published: the API must not serve it. */
  unpublishedSnapshotId: string;
  ids: {
    joseRamirez: number;
    yoanMoncada: number;
    /** Ranked in `current` only (not in `older`). */
    newcomer: number;
    /** In the unpublished snapshot only. */
    unpublishedOnly: number;
  };
}

const ORGANIZATIONS: FixtureOrganization[] = [
  { id: 114, name: 'Cleveland Guardians', abbreviation: 'CLE' },
  { id: 145, name: 'Chicago White Sox', abbreviation: 'CWS' },
  { id: 147, name: 'New York Yankees', abbreviation: 'NYY' },
  { id: 119, name: 'Los Angeles Dodgers', abbreviation: 'LAD' },
  { id: 137, name: 'San Francisco Giants', abbreviation: 'SF' },
  { id: 111, name: 'Boston Red Sox', abbreviation: 'BOS' },
];
const LEVELS = ['AAA', 'AA', 'A+', 'A', 'ROK'];
const HITTER_POSITIONS = ['SS', '2B', '3B', 'CF', 'RF', 'C', '1B', 'LF'];
const CONFIDENCES = ['High', 'Medium', 'Low'] as const;
const FIRST = [
  'Marco',
  'Luis',
  'Jackson',
  'Ethan',
  'Carlos',
  'Roman',
  'Owen',
  'Diego',
  'Mason',
  'Andrés',
  'Kevin',
  'Tyler',
];
const LAST = [
  'Holliday',
  'Salas',
  'Bonemer',
  'Quero',
  'Peña',
  'Ortiz',
  'Walcott',
  'Caminero',
  'Wetherholt',
  'Montgomery',
  'Núñez',
  'Clark',
  'Basallo',
  'Jenkins',
  'Emerson',
];
/** Special names first: accents (search must forgive their absence), and a second Ramírez and José for ordering. */
const NAMES = ['José Ramírez', 'Yoán Moncada', 'Harold Ramírez', 'Jose Siri'];
const PLAYER_COUNT = 60;
const OLDER_COUNT = 56;
const FIRST_ID = 900_001;

const OLDER_MODEL = [
  'age',
  'draft_pick',
  'level_ordinal',
  'hit_k_rate',
  'pit_k_rate',
  'age_rel_level',
  'hit_iso',
  'pit_bb_rate',
];
const CURRENT_MODEL = [
  'age_rel_level',
  'age',
  'level_ordinal',
  'draft_round',
  'draft_pick',
  'hit_k_rate',
  'hit_bb_rate',
  'hit_iso',
  'pit_k_rate',
  'pit_bb_rate',
  'seasons_pro',
  'undrafted',
];
const LABELS = new Map<string, string>(FEATURE_CATALOG.map((f) => [f.name, f.label]));

/** A feature snapshot holds more columns than a model uses, in catalog order (not the model's): reads must align. */
const SNAPSHOT_FEATURES = FEATURE_CATALOG.map((f) => f.name as string).filter(
  (name) => CURRENT_MODEL.includes(name) || OLDER_MODEL.includes(name) || name === 'levels_played',
);

function round(x: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function buildPlayers(): FixturePlayer[] {
  return Array.from({ length: PLAYER_COUNT }, (_, i) => {
    const isPitcher = i % 3 === 2;
    return {
      id: FIRST_ID + i,
      // 12 first names x 15 last names with steps 1 and 7: distinct for all 60.
      name: NAMES[i] ?? `${FIRST[i % FIRST.length]!} ${LAST[(i * 7) % LAST.length]!}`,
      isPitcher,
      position: isPitcher ? 'P' : HITTER_POSITIONS[i % HITTER_POSITIONS.length]!,
      organization: ORGANIZATIONS[i % ORGANIZATIONS.length]!,
      level: LEVELS[i % LEVELS.length]!,
      age: round(18 + ((i * 7) % 80) / 10, 1),
      eta: 2026 + (i % 4),
      confidence: CONFIDENCES[Math.floor(i / 3) % 3]!,
    };
  });
}

function featureValue(feature: string, player: FixturePlayer, i: number, season: number): number {
  if (feature.startsWith('hit_') && player.isPitcher) return Number.NaN;
  if (feature.startsWith('pit_') && !player.isPitcher) return Number.NaN;
  if (feature === 'age') return player.age - (2025 - season);
  if (feature === 'draft_round' || feature === 'draft_pick')
    return i % 5 === 4 ? Number.NaN : feature === 'draft_round' ? 1 + (i % 10) : 1 + ((i * 13) % 300);
  if (feature === 'undrafted') return i % 5 === 4 ? 1 : 0;
  if (feature === 'level_ordinal') return 7 - (i % 5);
  return round(((i * 31 + feature.length * 17 + season) % 100) / 400, 3);
}

interface Served {
  player: FixturePlayer;
  index: number;
  probability: number;
  rank: number;
  shap: number[];
  values: number[];
}

/** Probabilities per snapshot: distinct, and ordered differently in the two, so ranks move between them. */
function servedIn(
  players: FixturePlayer[],
  count: number,
  multiplier: number,
  model: string[],
  season: number,
): Served[] {
  const scored = players.slice(0, count).map((player, index) => ({
    player,
    index,
    probability: round(0.04 + (0.9 * ((index * multiplier) % PLAYER_COUNT)) / PLAYER_COUNT, 4),
    shap: model.map((_, j) => round(((((index + 1) * (j + 3) + multiplier) % 17) - 8) / 20, 3)),
    values: SNAPSHOT_FEATURES.map((f) => featureValue(f, player, index, season)),
  }));
  const ranked = [...scored].sort((a, b) => b.probability - a.probability || a.player.id - b.player.id);
  return ranked.map((s, k) => ({ ...s, rank: k + 1 }));
}

function dynastyOf(player: FixturePlayer, probability: number, season: number) {
  const roleWeight = player.isPitcher ? 0.8 : 1;
  const yearsToEta = Math.max(0, player.eta - season);
  return { roleWeight, yearsToEta, value: round(100 * probability * roleWeight * 0.9 ** yearsToEta, 3) };
}

function statLines(player: FixturePlayer, index: number, throughSeason: number): Prospect['stats'] {
  return [throughSeason - 1, throughSeason].map((season, k) => ({
    season,
    level: k === 0 ? LEVELS[Math.min(LEVELS.length - 1, (index % LEVELS.length) + 1)]! : player.level,
    group: player.isPitcher ? ('pitching' as const) : ('hitting' as const),
    games: 40 + ((index + k * 11) % 60),
    battersOrPa: 150 + ((index * 13 + k * 50) % 350),
    innings: player.isPitcher ? round(40 + ((index * 3 + k * 20) % 100), 2) : null,
    strikeoutRate: round(0.15 + ((index + k) % 15) / 100, 3),
    walkRate: round(0.06 + ((index * 2 + k) % 8) / 100, 3),
    powerRate: player.isPitcher ? round(0.02 + (index % 5) / 200, 3) : round(0.1 + (index % 12) / 100, 3),
    average: player.isPitcher ? null : round(0.22 + (index % 9) / 100, 3),
  }));
}

function card(
  served: Served,
  all: Served[],
  season: number,
  model: string[],
  history: Prospect['history'],
  trend: number | null,
): Prospect {
  const { player, index, probability, rank, shap, values } = served;
  const sameGroup = all.filter((s) => s.player.isPitcher === player.isPitcher && s.rank <= rank).length;
  const sameOrg = all.filter((s) => s.player.organization.id === player.organization.id && s.rank <= rank).length;
  const valueOf = (feature: string) => {
    const v = values[SNAPSHOT_FEATURES.indexOf(feature)];
    return v !== undefined && Number.isFinite(v) ? v : null;
  };
  const factors = model
    .map((feature, j) => ({
      feature,
      label: LABELS.get(feature) ?? feature,
      value: valueOf(feature),
      contribution: shap[j]!,
    }))
    .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))
    .slice(0, 8);
  return {
    playerId: player.id,
    rank,
    positionRank: Math.max(1, sameGroup),
    organizationRank: Math.max(1, sameOrg),
    slug: `${searchName(player.name).replace(/[^a-z0-9]+/g, '-')}-${player.id}`,
    name: player.name,
    organization: {
      id: player.organization.id,
      name: player.organization.name,
      abbreviation: player.organization.abbreviation,
    },
    position: player.position,
    isPitcher: player.isPitcher,
    level: player.level,
    age: player.age - (2025 - season),
    probability,
    confidence: player.confidence,
    evidence: {
      seasonWorkload: 150 + index * 5,
      careerWorkload: 600 + index * 20,
      seasons: 2 + (index % 4),
      levels: 1 + (index % 3),
      spread: round(0.01 + (index % 7) / 100, 3),
    },
    eta: player.eta,
    dynasty: dynastyOf(player, probability, season),
    trend,
    baseValue: -2.5,
    factors,
    narrative: narrativeOf(player, probability),
    comparables: [
      {
        playerId: 600_000 + index,
        name: `Comparable ${index}`,
        asOfSeason: 2015,
        level: player.level,
        age: player.age,
        similarity: 0.8,
        outcome: index % 2 === 0 ? 'success' : 'no',
        mlbPlateAppearances: player.isPitcher ? 0 : 800,
        mlbInnings: player.isPitcher ? 210.3 : 0,
      },
    ],
    history,
    stats: statLines(player, index, season),
  };
}

function narrativeOf(player: FixturePlayer, probability: number): string[] {
  return [
    `Young for ${player.level}: +${Math.round(probability * 10)} points`,
    `${player.organization.name} system depth: -1 point`,
  ];
}

async function insertSnapshot(
  db: Queryable,
  meta: {
    id: string;
    runId: string;
    featureSnapshotId: string;
    modelVersion: string;
    season: number;
    generatedAt: Date;
    publishedAt: Date | null;
  },
  served: Served[],
  cardOf: (s: Served) => Prospect,
): Promise<void> {
  await db.query(
    `INSERT INTO ranking_snapshots (snapshot_id, prediction_run_id, generated_at, path, prospect_count, published_at)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [meta.id, meta.runId, meta.generatedAt, `/data/snapshots/${meta.id}.json`, served.length, meta.publishedAt],
  );
  for (const s of served) {
    const c = cardOf(s);
    await db.query(
      `INSERT INTO published_prospects (ranking_snapshot_id, player_id, rank, name, search_name, position, is_pitcher, org_id,
         org_abbreviation, level, age, eta, confidence, probability, dynasty_value, card)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
      [
        meta.id,
        c.playerId,
        c.rank,
        c.name,
        searchName(c.name),
        c.position,
        c.isPitcher,
        c.organization?.id ?? null,
        c.organization?.abbreviation ?? null,
        c.level,
        c.age,
        c.eta,
        c.confidence,
        c.probability,
        c.dynasty.value,
        JSON.stringify(c),
      ],
    );
  }
}

async function insertRun(
  db: Queryable,
  run: { runId: string; featureSnapshotId: string; modelVersion: string; season: number; createdAt: Date },
  served: Served[],
): Promise<void> {
  await db.query(
    `INSERT INTO feature_snapshots (snapshot_id, as_of_seasons, feature_names, row_count, arrow_path, created_at)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [
      run.featureSnapshotId,
      [run.season],
      SNAPSHOT_FEATURES,
      served.length,
      `/data/features/${run.featureSnapshotId}.arrow`,
      run.createdAt,
    ],
  );
  await db.query(
    `INSERT INTO prediction_runs (prediction_run_id, model_version, snapshot_id, as_of_season, created_at) VALUES ($1, $2, $3, $4, $5)`,
    [run.runId, run.modelVersion, run.featureSnapshotId, run.season, run.createdAt],
  );
  for (const s of served) {
    await db.query(
      `INSERT INTO player_features (snapshot_id, player_id, as_of_season, stat_group, label, features) VALUES ($1, $2, $3, $4, NULL, $5::real[])`,
      [
        run.featureSnapshotId,
        s.player.id,
        run.season,
        s.player.isPitcher ? 'pitching' : 'hitting',
        s.values.map((v) => (Number.isFinite(v) ? v : 'NaN')),
      ],
    );
    const dynasty = dynastyOf(s.player, s.probability, run.season);
    await db.query(
      `INSERT INTO predictions (prediction_run_id, player_id, model_version, as_of_season, probability, confidence, base_value, shap, rank,
         raw_probability, position_rank, organization_rank, spread, eta, dynasty, evidence, narrative, comparables)
       VALUES ($1, $2, $3, $4, $5, $6, -2.5, $7, $8, $5, NULL, NULL, 0.02, $9, $10, NULL, $11, NULL)`,
      [
        run.runId,
        s.player.id,
        run.modelVersion,
        run.season,
        s.probability,
        s.player.confidence,
        s.shap,
        s.rank,
        s.player.eta,
        JSON.stringify(dynasty),
        narrativeOf(s.player, s.probability),
      ],
    );
  }
}

function describe(
  meta: {
    id: string;
    publishedAt: Date;
    runId: string;
    featureSnapshotId: string;
    modelVersion: string;
    season: number;
  },
  model: string[],
  served: Served[],
): FixtureSnapshot {
  return {
    id: meta.id,
    publishedAt: meta.publishedAt,
    day: meta.publishedAt.toISOString().slice(0, 10),
    predictionRunId: meta.runId,
    featureSnapshotId: meta.featureSnapshotId,
    modelVersion: meta.modelVersion,
    asOfSeason: meta.season,
    featureNames: model,
    predictions: new Map(
      served.map((s) => [
        s.player.id,
        {
          rank: s.rank,
          probability: s.probability,
          dynastyValue: dynastyOf(s.player, s.probability, meta.season).value,
          baseValue: -2.5,
          shap: s.shap,
          values: Object.fromEntries(
            SNAPSHOT_FEATURES.map((f, k) => [f, Number.isFinite(s.values[k]) ? s.values[k]! : null]),
          ),
        },
      ]),
    ),
  };
}

/** Seeds the world into a migrated, empty database and describes it. */
export async function seedPublishedWorld(db: Queryable): Promise<PublishedWorld> {
  const players = buildPlayers();
  for (const o of ORGANIZATIONS) {
    await db.query(`INSERT INTO organizations (org_id, name, abbreviation) VALUES ($1, $2, $3)`, [
      o.id,
      o.name,
      o.abbreviation,
    ]);
  }
  const phantom = { id: FIRST_ID + 500, name: 'Phantom Unpublished' };
  for (const p of [...players, phantom]) {
    await db.query(`INSERT INTO players (player_id, full_name, primary_position) VALUES ($1, $2, $3)`, [
      p.id,
      p.name,
      'position' in p ? p.position : 'SS',
    ]);
  }

  const olderMeta = {
    id: 'rs-2025-03-01',
    runId: 'run-2025-03-01',
    featureSnapshotId: 'fs-2025-03-01',
    modelVersion: 'gbm-2025-02-15',
    season: 2024,
    generatedAt: new Date('2025-03-01T06:00:00Z'),
    publishedAt: new Date('2025-03-01T12:00:00Z'),
  };
  const currentMeta = {
    id: 'rs-2025-06-01',
    runId: 'run-2025-06-01',
    featureSnapshotId: 'fs-2025-06-01',
    modelVersion: 'gbm-2025-05-20',
    season: 2025,
    generatedAt: new Date('2025-06-01T06:00:00Z'),
    publishedAt: new Date('2025-06-01T12:00:00Z'),
  };
  for (const [meta, model, status] of [
    [olderMeta, OLDER_MODEL, 'retired'],
    [currentMeta, CURRENT_MODEL, 'champion'],
  ] as const) {
    await db.query(
      `INSERT INTO models (model_version, algorithm, params, feature_names, metrics, artifact_path, status, created_at, promoted_at, holdout_season)
       VALUES ($1, 'gbm', '{}', $2, '{"rocAuc": 0.9}', $3, $4, $5, $5, $6)`,
      [meta.modelVersion, model, `/data/models/${meta.modelVersion}.json`, status, meta.generatedAt, meta.season - 1],
    );
  }

  const older = servedIn(players, OLDER_COUNT, 23, OLDER_MODEL, olderMeta.season);
  const current = servedIn(players, PLAYER_COUNT, 37, CURRENT_MODEL, currentMeta.season);
  await insertRun(db, { ...olderMeta, createdAt: olderMeta.generatedAt }, older);
  await insertRun(db, { ...currentMeta, createdAt: currentMeta.generatedAt }, current);

  const olderById = new Map(older.map((s) => [s.player.id, s]));
  const olderDate = olderMeta.generatedAt.toISOString();
  const currentDate = currentMeta.generatedAt.toISOString();
  await insertSnapshot(db, olderMeta, older, (s) =>
    card(
      s,
      older,
      olderMeta.season,
      OLDER_MODEL,
      [{ date: olderDate, rank: s.rank, probability: s.probability }],
      null,
    ),
  );
  await insertSnapshot(db, currentMeta, current, (s) => {
    const before = olderById.get(s.player.id);
    const history = [
      ...(before ? [{ date: olderDate, rank: before.rank, probability: before.probability }] : []),
      { date: currentDate, rank: s.rank, probability: s.probability },
    ];
    return card(s, current, currentMeta.season, CURRENT_MODEL, history, before ? before.rank - s.rank : null);
  });

  // Generated after the current one, never published: a reader that forgets `published_at` would serve it.
  const unpublishedId = 'rs-2025-06-02-unpublished';
  const phantomPlayer: FixturePlayer = { ...players[0]!, id: phantom.id, name: phantom.name };
  const phantomServed: Served = { ...current[0]!, player: phantomPlayer, probability: 0.99 };
  await insertSnapshot(
    db,
    { ...currentMeta, id: unpublishedId, generatedAt: new Date('2025-06-02T06:00:00Z'), publishedAt: null },
    [phantomServed, ...current.slice(1)].map((s) => ({ ...s, probability: 0.99 - s.rank / 1000 })),
    (s) => card(s, current, currentMeta.season, CURRENT_MODEL, [], null),
  );

  return {
    organizations: ORGANIZATIONS,
    players,
    older: describe(olderMeta, OLDER_MODEL, older),
    current: describe(currentMeta, CURRENT_MODEL, current),
    unpublishedSnapshotId: unpublishedId,
    ids: {
      joseRamirez: FIRST_ID,
      yoanMoncada: FIRST_ID + 1,
      newcomer: FIRST_ID + PLAYER_COUNT - 1,
      unpublishedOnly: phantom.id,
    },
  };
}
