/**
 * Pure parsers of Stats API responses into the domain types of lib/domain.ts; one module per entity.
 */
export { parseStatSplits, type ParsedStatSplits } from './parse-stats.ts';
export { parsePeople } from './parse-people.ts';
export { parseTeams, type ParsedTeams } from './parse-teams.ts';
export { parseDraft } from './parse-draft.ts';
export { outsFromInnings, readCounts } from './parse-counts.ts';
export type { OnReject, ParseReject } from './parse-reject.ts';
