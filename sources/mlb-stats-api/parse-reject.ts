/**
 * What a parser returns for a record it cannot use: the reason, precise enough to act on, and the raw record,
 * so the caller can quarantine it instead of losing it.
 */
export interface ParseReject {
  reason: string;
  raw: unknown;
}

/** Callback the list parsers (people, teams, draft) report rejects through; they ignore rejects when it is absent. */
export type OnReject = (reject: ParseReject) => void;
