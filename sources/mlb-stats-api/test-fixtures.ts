/**
 * Test helper: the real recorded Stats API responses in /work/shared/fixtures/statsapi (outside the repo, next to it).
 * Tests that need them use describe.skipIf(!fixturesAvailable) so a checkout without the folder still passes.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
export const FIXTURES_DIR = path.resolve(repoRoot, '..', 'shared', 'fixtures', 'statsapi');
export const fixturesAvailable = existsSync(FIXTURES_DIR);
if (!fixturesAvailable)
  console.warn(`recorded Stats API fixtures not found at ${FIXTURES_DIR}; fixture tests are skipped`);

/** Parsed JSON of a recorded response; the files start with a byte-order mark, which JSON.parse refuses. */
export function readFixture(name: string): unknown {
  return JSON.parse(readFileSync(path.join(FIXTURES_DIR, name), 'utf8').replace(/^\uFEFF/, ''));
}

export const HYDRATED_PEOPLE = 'GET_api_v1_people_personIds_hydrate_stats_yearByYear_sportId1__Hanneseh.json';
export const SOTO_SEASON_CAREER = 'GET_api_v1_people_665742_stats_season_career_hitting__zero-sum-seattle.json';
export const OHTANI_SEASON_CAREER = 'GET_api_v1_people_660271_stats_season_career_pitching__zero-sum-seattle.json';
export const SPORT_1_PLAYERS = 'GET_api_v1_sports_1_players__zero-sum-seattle.json';
export const ONE_PERSON = 'GET_api_v1_people_676265__zero-sum-seattle.json';
