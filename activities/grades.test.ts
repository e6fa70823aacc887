import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../lib/config.ts';
import { createPool, migrate, type Pool } from '../lib/db.ts';
import { createLogger } from '../lib/log.ts';
import { baseballAmericaTop100Csv, fangraphsGradesCsv, fangraphsId } from '../sources/sample/scouting.ts';
import { generateUniverse } from '../sources/sample/universe.ts';
import { importGradesCsv, importGradesFile, type GradeImportInput } from '../sources/csv/import-grades.ts';
import { createGradeImportActivities } from './grades.ts';
import { insertRows } from '../db/bulk.ts';

const log = createLogger({ level: 'silent' });
const SEASON = 2033; // a season no other suite writes grades for
const FG_HEADER = 'Name,Org,Pos,Age,FV,ETA,Hit,Game,Raw,Spd,Fld,Arm,FB,SL,CB,CH,CMD,PlayerId';

async function seed(
  pool: Pool,
  data: {
    orgs: [number, string, string][];
    affiliates: [number, number, number, string, number][];
    players: [number, string, string | null, string | null][];
    lines: [number, number, number, string, number | null][];
  },
): Promise<void> {
  const c = await pool.connect();
  try {
    await insertRows(c, 'organizations', ['org_id', 'name', 'abbreviation'], data.orgs, 'ON CONFLICT DO NOTHING');
    await insertRows(
      c,
      'affiliates',
      ['team_id', 'season', 'sport_id', 'name', 'org_id'],
      data.affiliates,
      'ON CONFLICT DO NOTHING',
    );
    await insertRows(
      c,
      'players',
      ['player_id', 'full_name', 'birth_date', 'primary_position'],
      data.players,
      'ON CONFLICT DO NOTHING',
    );
    await insertRows(
      c,
      'player_season_stats',
      [
        'season',
        'player_id',
        'sport_id',
        'stat_group',
        'team_id',
        'games',
        'hits',
        'home_runs',
        'base_on_balls',
        'hit_by_pitch',
        'strike_outs',
        'source',
      ],
      data.lines.map((l) => [...l, 10, 5, 1, 2, 0, 3, 'test']),
      'ON CONFLICT DO NOTHING',
    );
  } finally {
    c.release();
  }
}

describe('importGrades against the shared database', () => {
  let pool: Pool;
  let dir: string;
  const ZQA = 9_100_001;
  const ZQB = 9_100_002;
  const id = (n: number) => 9_100_000 + n;

  beforeAll(async () => {
    pool = createPool(inject('databaseUrl'));
    dir = await mkdtemp(path.join(os.tmpdir(), 'afwd-grades-'));
    const hitter = (n: number, name: string, born: string, team: number, pos = 'SS') => ({ n, name, born, team, pos });
    const people = [
      hitter(1, 'Quillon Zarkovsky', '2011-05-01', 9_100_101),
      hitter(2, 'Brannoch Velt', '2012-02-01', 9_100_101),
      hitter(3, 'Brannoch Velt', '2010-09-01', 9_100_201),
      hitter(4, 'Émile Duvärnay Jr.', '2011-08-01', 9_100_101, 'CF'), // accents in the surname: the SQL prefilter normalizes too
      hitter(5, 'Tarquin Olofsson', '2011-03-01', 9_100_101),
      hitter(6, 'Tarquin Olofsson', '2011-06-01', 9_100_101, '2B'),
      hitter(7, 'Corvin Maelstrand', '2010-01-15', 9_100_101, 'P'),
    ];
    await seed(pool, {
      orgs: [
        [ZQA, 'Zephyr Quails', 'ZQA'],
        [ZQB, 'Zenith Quokkas', 'ZQB'],
      ],
      affiliates: [
        [9_100_101, SEASON - 1, 12, 'Quail Hollow Hatchlings', ZQA],
        [9_100_201, SEASON - 1, 13, 'Quokka Flats', ZQB],
      ],
      players: people.map((p) => [id(p.n), p.name, p.born, p.pos]),
      lines: people.map((p) => [SEASON - 1, id(p.n), 12, p.pos === 'P' ? 'pitching' : 'hitting', p.team]),
    });
  });

  afterAll(async () => {
    await pool?.end();
    await rm(dir, { recursive: true, force: true });
  });

  const fgCsv = [
    FG_HEADER,
    'Quillon Zarkovsky,ZQA,SS,22.2,55,2035,45/55,40/50,50/60,55/55,45/50,50/55,,,,,,zq1',
    'Brannoch Velt,ZQB,SS,22.8,50,2034,40/50,,,,,,,,,,,zq3',
    '"Duvarnay, Emile",Quails,CF,21.9,45+,2036,,,,,,,,,,,,zq4',
    'Tarquin Olofsson,ZQA,SS,22.3,45,2036,,,,,,,,,,,,zq5',
    'Nobody Zyxwvut,ZQA,SS,20.0,40,2037,,,,,,,,,,,,zq0',
    'Corvin Maelstrand,ZQB,RHP,23.5,45,2034,,,,,,,50/60,,,,45/50,zq7',
    'Broken Grades,ZQA,SS,21,45,2036,45/95,,,,,,,,,,,zq8',
    'QUILLON ZARKOVSKY,zqa,SS,22.2,55,2035,,,,,,,,,,,,zq1',
  ].join('\r\n');

  it('loads matched rows with ids and confidences, quarantines the rest with reasons, and the accounting adds up', async () => {
    const file = path.join(dir, 'fangraphs.csv');
    await writeFile(file, `\uFEFF${fgCsv}\r\n`);
    let queries = 0;
    const counting = {
      query: (...args: Parameters<Pool['query']>) => {
        queries++;
        return pool.query(...args);
      },
      connect: () => pool.connect(),
    } as unknown as Pool;
    const result = await importGradesFile(
      { pool: counting },
      { source: 'fangraphs', season: SEASON, csvPath: file },
      log,
    );
    expect(queries).toBe(2); // the batch row and the candidates: one query per import, not one per row
    expect(result).toMatchObject({ rows: 8, loaded: 4, quarantined: 4, inconsistent: 1 });
    expect(result.loaded + result.quarantined).toBe(result.rows);

    const { rows: grades } = await pool.query<{
      name: string;
      player_id: number;
      match_confidence: number;
      future_value: number;
      tools: Record<string, unknown>;
    }>(
      "SELECT name, player_id, match_confidence, future_value, tools FROM scouting_grades WHERE source = 'fangraphs' AND season = $1 ORDER BY name",
      [SEASON],
    );
    expect(grades.map((g) => [g.name, g.player_id, g.match_confidence])).toEqual([
      ['Brannoch Velt', id(3), 1],
      ['Corvin Maelstrand', id(7), 0.7],
      ['Duvarnay, Emile', id(4), 1],
      ['Quillon Zarkovsky', id(1), 1],
    ]);
    expect(grades[2]).toMatchObject({ future_value: 45, tools: { fvPlus: true } });
    expect(grades[3]?.tools).toMatchObject({ hit: { present: 45, future: 55 }, speed: { present: 55, future: 55 } });

    const { rows: q } = await pool.query<{
      entity: string;
      reason: string;
      payload: { line: number; row: Record<string, string>; candidates: unknown[] };
    }>("SELECT entity, reason, payload FROM quarantine WHERE batch_id = $1 ORDER BY (payload->>'line')::int, entity", [
      result.batchId,
    ]);
    expect(q.map((r) => [r.payload.line, r.entity, r.reason.split(':')[0]])).toEqual([
      [5, 'grade', 'ambiguous'],
      [6, 'grade', 'unmatched'],
      [7, 'grade_inconsistency', 'organization disagrees (CSV ZQB, MLB data ZQA 2032)'],
      [8, 'grade', 'Hit future "95" is not a grade on the 20-80 scale'],
      [9, 'grade', 'duplicate of the row on line 2 (same name and organization)'],
    ]);
    expect(q[0]?.payload.candidates).toHaveLength(2);
    expect(q[0]?.payload.row).toMatchObject({ Name: 'Tarquin Olofsson', Org: 'ZQA' });

    const { rows: batch } = await pool.query(
      'SELECT source, season, rows_loaded, rows_quarantined, finished_at FROM ingest_batches WHERE batch_id = $1',
      [result.batchId],
    );
    expect(batch[0]).toMatchObject({ source: 'fangraphs-csv', season: SEASON, rows_loaded: 4, rows_quarantined: 4 });
    expect(batch[0].finished_at).not.toBeNull();
  });

  it('re-importing the same file changes nothing and does not repeat open quarantine entries', async () => {
    const snapshot = async () => {
      const g = await pool.query(
        "SELECT grade_id, player_id, match_confidence, tools, imported_at FROM scouting_grades WHERE source = 'fangraphs' AND season = $1 ORDER BY grade_id",
        [SEASON],
      );
      const q = await pool.query(
        "SELECT count(*)::int AS n FROM quarantine WHERE source = 'fangraphs-csv' AND (payload->>'season')::int = $1",
        [SEASON],
      );
      return { grades: g.rows, quarantine: q.rows[0].n as number };
    };
    const before = await snapshot();
    const again = await importGradesCsv(
      { pool },
      { source: 'fangraphs', season: SEASON, csv: fgCsv, origin: 'again' },
      log,
    );
    expect(again).toMatchObject({ rows: 8, loaded: 4, quarantined: 4, inconsistent: 1 });
    expect(await snapshot()).toEqual(before);
    const { rows } = await pool.query('SELECT count(*)::int AS n FROM quarantine WHERE batch_id = $1', [again.batchId]);
    expect(rows[0].n).toBe(0);
  });

  it('imports a Baseball America Top 100 through the Temporal activity, and fails a bad mapping without retries', async () => {
    const file = path.join(dir, 'ba.csv');
    await writeFile(file, 'Rank,Player,Org,Pos,Year\n1,Quillon Zarkovsky,ZQA,SS,2033\n2,Brannoch Velt,ZQA,SS,2033\n');
    const config = loadConfig({ DATABASE_URL: inject('databaseUrl'), LOG_LEVEL: 'silent' });
    const activities = createGradeImportActivities({ pool, config, log, mlbBaseUrl: 'http://127.0.0.1:1' });
    const importGrades = (input: GradeImportInput) => activities.importGrades(input);
    const quiet = () => undefined;
    const env = new MockActivityEnvironment(undefined, {
      logger: { log: quiet, trace: quiet, debug: quiet, info: quiet, warn: quiet, error: quiet },
    });
    const input: GradeImportInput = { source: 'baseball_america', season: SEASON, csvPath: file };
    const result = await env.run(importGrades, input);
    expect(result).toMatchObject({ rows: 2, loaded: 2, quarantined: 0 });
    const { rows } = await pool.query(
      "SELECT overall_rank, player_id FROM scouting_grades WHERE source = 'baseball_america' AND season = $1 ORDER BY overall_rank",
      [SEASON],
    );
    expect(rows).toEqual([
      { overall_rank: 1, player_id: id(1) },
      { overall_rank: 2, player_id: id(2) },
    ]);
    await expect(env.run(importGrades, { ...input, mapping: { name: 'Prospect' } })).rejects.toMatchObject({
      nonRetryable: true,
      message: expect.stringContaining('missing required columns: "Prospect" (name)'),
    });
  });
});

describe('importGrades on the sample universe', () => {
  const universe = generateUniverse({ seed: 7, scale: 0.05, fromSeason: 2015, toSeason: 2020 });
  let admin: pg.Client;
  let pool: Pool;
  const database = `afwd_grades_${process.pid}_${Date.now()}`;

  beforeAll(async () => {
    // A database of its own: the universe's ids (430000+) are the pipeline suite's ids too.
    admin = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    const url = new URL(inject('adminDatabaseUrl'));
    url.pathname = `/${database}`;
    pool = createPool(url.toString());
    await migrate(pool);
    const teams = universe.organizations.flatMap((o) => [...o.bySport.values()]);
    await seed(pool, {
      orgs: universe.organizations.map((o) => [o.id, o.team.name, o.team.abbreviation]),
      affiliates: [2015, 2016, 2017, 2018, 2019, 2020].flatMap((season) =>
        teams.map((t): [number, number, number, string, number] => [t.id, season, t.sportId, t.name, t.orgId]),
      ),
      players: [...universe.people.values()].map((p) => [p.id, p.fullName, p.birthDate, p.position]),
      lines: universe.lines.map((l) => [l.season, l.playerId, l.sportId, l.group, l.teamId]),
    });
  }, 120_000);

  afterAll(async () => {
    await pool?.end();
    await admin?.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin?.end();
  });

  it('matches at least 90% of each FanGraphs board to the right player, and almost never a wrong one', async () => {
    const truth = new Map([...universe.people.values()].map((p) => [fangraphsId(p.id), p.id]));
    for (const season of [2016, 2017, 2018, 2019, 2020]) {
      const csv = fangraphsGradesCsv(universe, season);
      const result = await importGradesCsv({ pool }, { source: 'fangraphs', season, csv, origin: 'sample' }, log);
      expect(result.loaded + result.quarantined).toBe(result.rows);
      const { rows } = await pool.query<{ name: string; organization: string; player_id: number }>(
        "SELECT name, organization, player_id FROM scouting_grades WHERE source = 'fangraphs' AND season = $1",
        [season],
      );
      const loaded = new Map(rows.map((r) => [`${r.name}|${r.organization}`, r.player_id]));
      let right = 0;
      let wrong = 0;
      for (const line of csv.trim().split('\n').slice(1)) {
        const cells = line.split(',');
        const got = loaded.get(`${cells[0]}|${cells[1]}`);
        if (got === truth.get(cells[17] ?? '')) right++;
        else if (got !== undefined) wrong++;
      }
      console.log(
        `sample FanGraphs ${season}: ${result.rows} rows, ${right} matched right (${((100 * right) / result.rows).toFixed(1)}%), ${wrong} wrong, ` +
          `${result.quarantined} quarantined, ${result.inconsistent} inconsistent`,
      );
      expect(right / result.rows).toBeGreaterThanOrEqual(0.9);
      expect(wrong / result.rows).toBeLessThanOrEqual(0.02);
    }
    const ba = await importGradesCsv(
      { pool },
      { source: 'baseball_america', season: 2019, csv: baseballAmericaTop100Csv(universe, 2019), origin: 'sample' },
      log,
    );
    console.log(`sample Baseball America 2019: ${ba.rows} rows, ${ba.loaded} loaded, ${ba.quarantined} quarantined`);
    expect(ba.loaded / ba.rows).toBeGreaterThanOrEqual(0.8);
  });
});
