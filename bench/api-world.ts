/**
 * A published world at production scale for the API benchmark: the ~5,000 generated prospect cards of the site
 * benchmark (site/test-fixtures/generate-snapshot.ts, lib/snapshot.ts's ProspectSchema) stored the way the pipeline
 * stores them: organizations and players, a champion model with its feature names, a feature snapshot with one row
 * of features per player, a prediction run with one prediction (SHAP values in the model's order) per player, and a
 * published ranking snapshot whose published_prospects rows carry the card and publishing/search-name.ts's form of
 * the name. A share of the names get their Spanish accents, so searches without accents have something to forgive.
 * Rows go in as JSON record sets, a few statements per table, so seeding takes seconds.
 */
import type { PoolClient } from '../lib/db.ts';
import { ProspectSchema, type Prospect } from '../lib/snapshot.ts';
import { searchName } from '../publishing/search-name.ts';
import { FEATURES, ORGANIZATIONS } from '../site/test-fixtures/fixture-data.ts';
import { generateSnapshot } from '../site/test-fixtures/generate-snapshot.ts';

/** Name parts as they are spelled with accents; names using them are stored accented. */
const ACCENTED: Record<string, string> = {
  Andres: 'Andrés',
  Hector: 'Héctor',
  Ivan: 'Iván',
  Ruben: 'Rubén',
  Julian: 'Julián',
  Adrian: 'Adrián',
  Felix: 'Félix',
  Sebastian: 'Sebastián',
  Gutierrez: 'Gutiérrez',
  Juarez: 'Juárez',
  Zuniga: 'Zúñiga',
  Renteria: 'Rentería',
};

export interface ApiWorld {
  snapshotId: string;
  predictionRunId: string;
  modelVersion: string;
  /** Published prospects, best rank first. */
  prospects: { playerId: number; name: string }[];
}

const chunk = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/** Inserts plain objects (keys = column names) through json_populate_recordset, 1,000 rows a statement. */
async function insertRecords(
  client: PoolClient,
  table: string,
  records: readonly Record<string, unknown>[],
): Promise<void> {
  for (const part of chunk(records, 1000)) {
    const columns = Object.keys(part[0]!);
    await client.query(
      `INSERT INTO ${table} (${columns.join(', ')}) SELECT ${columns.join(', ')} FROM json_populate_recordset(NULL::${table}, $1::json)`,
      [JSON.stringify(part)],
    );
  }
}

function accented(name: string): string {
  return name
    .split(' ')
    .map((part) => ACCENTED[part] ?? part)
    .join(' ');
}

/** Seeds the world into a migrated, empty database, in the caller's transaction. */
export async function seedApiWorld(client: PoolClient, options: { count: number; seed?: number }): Promise<ApiWorld> {
  const snapshot = generateSnapshot({ count: options.count, seed: options.seed ?? 11 });
  const season = snapshot.asOfSeason;
  const cards: Prospect[] = snapshot.prospects.map((p) => ProspectSchema.parse({ ...p, name: accented(p.name) }));
  const modelFeatures = FEATURES.map((f) => f.name);
  const modelVersion = snapshot.model.version;
  const featureSnapshotId = `fs-bench-${season}`;
  const predictionRunId = `run-bench-${season}`;
  const snapshotId = `rs-bench-${season}`;
  const generatedAt = snapshot.generatedAt;

  await insertRecords(
    client,
    'organizations',
    ORGANIZATIONS.map((o) => ({ org_id: o.id, name: o.name, abbreviation: o.abbreviation })),
  );
  await insertRecords(
    client,
    'players',
    cards.map((c) => ({ player_id: c.playerId, full_name: c.name, primary_position: c.position })),
  );
  await insertRecords(client, 'feature_snapshots', [
    {
      snapshot_id: featureSnapshotId,
      as_of_seasons: [season],
      feature_names: modelFeatures,
      row_count: cards.length,
      arrow_path: `/data/features/${featureSnapshotId}.arrow`,
      created_at: generatedAt,
    },
  ]);
  await insertRecords(client, 'models', [
    {
      model_version: modelVersion,
      algorithm: 'xgboost',
      params: { eta: 0.01 },
      feature_names: modelFeatures,
      snapshot_id: featureSnapshotId,
      metrics: snapshot.model.metrics,
      artifact_path: `/data/models/${modelVersion}.json`,
      status: 'champion',
      created_at: snapshot.model.trainedAt,
      promoted_at: snapshot.model.trainedAt,
      holdout_season: season - 1,
    },
  ]);
  await insertRecords(client, 'prediction_runs', [
    {
      prediction_run_id: predictionRunId,
      model_version: modelVersion,
      snapshot_id: featureSnapshotId,
      as_of_season: season,
      created_at: generatedAt,
    },
  ]);

  // The card lists the eight largest contributions; the model's other features contribute little.
  const factorsOf = (c: Prospect) => new Map(c.factors.map((f) => [f.feature, f]));
  await insertRecords(
    client,
    'player_features',
    cards.map((c) => {
      const factors = factorsOf(c);
      return {
        snapshot_id: featureSnapshotId,
        player_id: c.playerId,
        as_of_season: season,
        stat_group: c.isPitcher ? 'pitching' : 'hitting',
        label: null,
        // NaN marks a missing value (JSON has no NaN: the string is read by real's input function).
        features: modelFeatures.map((name) => factors.get(name)?.value ?? (name === 'age' ? c.age : null) ?? 'NaN'),
      };
    }),
  );
  await insertRecords(
    client,
    'predictions',
    cards.map((c, i) => {
      const factors = factorsOf(c);
      return {
        prediction_run_id: predictionRunId,
        player_id: c.playerId,
        model_version: modelVersion,
        as_of_season: season,
        probability: c.probability,
        confidence: c.confidence,
        base_value: c.baseValue,
        shap: modelFeatures.map(
          (name, j) => factors.get(name)?.contribution ?? Math.round(((((i + 1) * (j + 3)) % 17) - 8) / 2) / 1000,
        ),
        rank: c.rank,
        raw_probability: c.probability,
        position_rank: c.positionRank,
        organization_rank: c.organizationRank,
        spread: c.evidence.spread,
        eta: c.eta,
        dynasty: c.dynasty,
        evidence: c.evidence,
        narrative: c.narrative,
        comparables: c.comparables,
      };
    }),
  );
  await insertRecords(client, 'ranking_snapshots', [
    {
      snapshot_id: snapshotId,
      prediction_run_id: predictionRunId,
      generated_at: generatedAt,
      path: `/data/snapshots/${snapshotId}.json`,
      prospect_count: cards.length,
      published_at: generatedAt,
    },
  ]);
  await insertRecords(
    client,
    'published_prospects',
    cards.map((c) => ({
      ranking_snapshot_id: snapshotId,
      player_id: c.playerId,
      rank: c.rank,
      name: c.name,
      search_name: searchName(c.name),
      position: c.position,
      is_pitcher: c.isPitcher,
      org_id: c.organization?.id ?? null,
      org_abbreviation: c.organization?.abbreviation ?? null,
      level: c.level,
      age: c.age,
      eta: c.eta,
      confidence: c.confidence,
      probability: c.probability,
      dynasty_value: c.dynasty.value,
      card: c,
    })),
  );
  await client.query('ANALYZE');
  return {
    snapshotId,
    predictionRunId,
    modelVersion,
    prospects: cards.map((c) => ({ playerId: c.playerId, name: c.name })),
  };
}
