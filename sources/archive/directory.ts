/**
 * A directory of recorded Stats API responses (the layout of ../shared/realdata): `stats/{season}-{group}.json.gz`,
 * `people.json.gz`, `teams/{season}.json.gz`, `sports.json`. Files are read lazily, each at most once, and kept
 * parsed (people indexed by id), so a server answers many paged requests from one decompression per file.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

export type ArchiveGroup = 'hitting' | 'pitching';

/** A recorded file that is missing a part it must have; the message names the file and the part. */
export class ArchiveFormatError extends Error {
  override name = 'ArchiveFormatError';
}

export interface ArchiveDirectory {
  /** Absolute path of the directory. */
  root: string;
  /**
   * Short content hash of every recorded file (names and bytes): the archive's identity in URLs, so the landing
   * zone reuses responses of the same archive and never mixes two different ones.
   */
  id: string;
  /** Every split of the season and group in a stable order (player, sport, team; aggregate row first); null when the file is absent. */
  splits(season: number, group: ArchiveGroup): ArchiveSplit[] | null;
  /** The recorded person, or undefined. */
  person(id: number): unknown;
  /** The recorded teams of a season (empty when the file is absent). */
  teams(season: number): ArchiveTeam[];
  /** The recorded sports list (empty when the file is absent). */
  sports(): unknown[];
  /** Files decompressed and parsed so far (each at most once). */
  filesRead(): number;
}

export interface ArchiveSplit {
  sportId: number | null;
  raw: unknown;
}

export interface ArchiveTeam {
  sportId: number | null;
  raw: unknown;
}

const RECORDED = /^(people\.json\.gz|sports\.json|stats\/\d{4}-(hitting|pitching)\.json\.gz|teams\/\d{4}\.json\.gz)$/;

function listRecorded(root: string): string[] {
  const out: string[] = [];
  for (const top of ['people.json.gz', 'sports.json']) if (existsSync(path.join(root, top))) out.push(top);
  for (const sub of ['stats', 'teams']) {
    const dir = path.join(root, sub);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) if (RECORDED.test(`${sub}/${name}`)) out.push(`${sub}/${name}`);
  }
  return out.sort();
}

const idOf = (v: unknown): number | null => {
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) ? n : null;
};

/** Sort key of a split: player, sport, aggregate (no team) before team rows, team; ties keep file order (stable sort). */
function splitKey(raw: unknown): [number, number, number] {
  if (!isObj(raw)) return [0, 0, 0];
  const who = isObj(raw.player) ? raw.player : isObj(raw.person) ? raw.person : {};
  const team = isObj(raw.team) ? idOf(raw.team.id) : null;
  return [idOf(who.id) ?? 0, isObj(raw.sport) ? (idOf(raw.sport.id) ?? 0) : 0, team ?? -1];
}

/**
 * @throws Error when `dir` is not a directory or holds no recorded file, with the path and the expected layout.
 */
export function openArchiveDirectory(dir: string): ArchiveDirectory {
  const root = path.resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory())
    throw new Error(`archive source: ${root} is not a directory (expected the layout of ../shared/realdata)`);
  const files = listRecorded(root);
  if (files.length === 0) {
    throw new Error(
      `archive source: ${root} holds no recorded response (expected stats/{season}-{group}.json.gz, people.json.gz, teams/{season}.json.gz, sports.json)`,
    );
  }
  // Hashing the bytes (about 2 MB for realdata) is cheap and, unlike mtimes, survives a copy of the directory.
  const hash = createHash('sha256');
  for (const f of files)
    hash
      .update(`${f}\0`)
      .update(readFileSync(path.join(root, f)))
      .update('\0');
  const id = hash.digest('hex').slice(0, 12);

  let filesRead = 0;
  const cache = new Map<string, unknown>();
  /** The parsed JSON of a recorded file, read once; undefined when the file is absent. */
  const load = (file: string): unknown => {
    if (cache.has(file)) return cache.get(file);
    const full = path.join(root, file);
    let value: unknown;
    if (existsSync(full)) {
      const bytes = readFileSync(full);
      try {
        value = JSON.parse((file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8')) as unknown;
      } catch (error) {
        throw new ArchiveFormatError(
          `archive source: ${full} is not ${file.endsWith('.gz') ? 'gzip-compressed ' : ''}JSON: ${(error as Error).message}`,
        );
      }
      filesRead += 1;
    }
    cache.set(file, value);
    return value;
  };
  const derived = new Map<string, unknown>();
  const memo = <T>(key: string, build: () => T): T => {
    if (!derived.has(key)) derived.set(key, build());
    return derived.get(key) as T;
  };

  return {
    root,
    id,
    splits(season, group) {
      return memo(`splits:${season}:${group}`, () => {
        const file = `stats/${season}-${group}.json.gz`;
        const body = load(file);
        if (body === undefined) return null;
        const containers = isObj(body) && Array.isArray(body.stats) ? (body.stats as unknown[]) : null;
        if (!containers) throw new ArchiveFormatError(`archive source: ${file} has no stats list`);
        // Every container of the file is served (a recording may split a season over several).
        const splits = containers.flatMap((c) => (isObj(c) && Array.isArray(c.splits) ? (c.splits as unknown[]) : []));
        const keyed = splits.map((raw, i) => ({ raw, i, k: splitKey(raw) }));
        keyed.sort((a, b) => a.k[0] - b.k[0] || a.k[1] - b.k[1] || a.k[2] - b.k[2] || a.i - b.i);
        return keyed.map(({ raw }) => ({ raw, sportId: isObj(raw) && isObj(raw.sport) ? idOf(raw.sport.id) : null }));
      });
    },
    person(id) {
      const byId = memo('people', () => {
        const body = load('people.json.gz');
        const list = isObj(body) && Array.isArray(body.people) ? (body.people as unknown[]) : [];
        const map = new Map<number, unknown>();
        for (const p of list) {
          const pid = isObj(p) ? idOf(p.id) : null;
          if (pid !== null) map.set(pid, p);
        }
        // Only the index is kept (memory: 10,659 people in realdata); the file is never read again.
        cache.set('people.json.gz', null);
        return map;
      });
      return byId.get(id);
    },
    teams(season) {
      return memo(`teams:${season}`, () => {
        const body = load(`teams/${season}.json.gz`);
        const list = isObj(body) && Array.isArray(body.teams) ? (body.teams as unknown[]) : [];
        return list.map((raw) => ({ raw, sportId: isObj(raw) && isObj(raw.sport) ? idOf(raw.sport.id) : null }));
      });
    },
    sports() {
      const body = load('sports.json');
      return isObj(body) && Array.isArray(body.sports) ? (body.sports as unknown[]) : [];
    },
    filesRead: () => filesRead,
  };
}
