/**
 * The shape of a Fantrax world the local Fantrax-shaped server (infra/fantrax-server.ts) answers from: users by
 * Secret ID and their teams, leagues with their teams and rosters, and the player universe of getPlayerIds.
 */
import type { RosterStatus } from './client.ts';

export interface WorldRosterItem {
  /** Fantrax player id. */
  id: string;
  position: string;
  status: RosterStatus;
}

export interface WorldTeam {
  id: string;
  name: string;
  division?: string;
  roster: WorldRosterItem[];
}

export interface WorldLeague {
  id: string;
  name: string;
  teams: WorldTeam[];
}

export interface WorldPlayer {
  fantraxId: string;
  /** "Last, First", as Fantrax spells it. */
  name: string;
  /** Organization abbreviation, Fantrax style (e.g. CHW, not CWS). */
  team: string;
  /** Eligible positions, comma-separated ("SS,2B"). */
  position: string;
}

export interface FantraxWorld {
  /** Secret ID → the user's (leagueId, teamId) memberships. */
  users: Record<string, { leagueId: string; teamId: string }[]>;
  leagues: WorldLeague[];
  players: WorldPlayer[];
}
