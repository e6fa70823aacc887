/** Word lists and feature definitions for the generated fixture snapshots; invented names, real club names. */

export const ORGANIZATIONS = [
  { id: 110, name: 'Baltimore Orioles', abbreviation: 'BAL' },
  { id: 136, name: 'Seattle Mariners', abbreviation: 'SEA' },
  { id: 134, name: 'Pittsburgh Pirates', abbreviation: 'PIT' },
  { id: 119, name: 'Los Angeles Dodgers', abbreviation: 'LAD' },
  { id: 139, name: 'Tampa Bay Rays', abbreviation: 'TB' },
  { id: 117, name: 'Houston Astros', abbreviation: 'HOU' },
  { id: 138, name: 'St. Louis Cardinals', abbreviation: 'STL' },
  { id: 141, name: 'Toronto Blue Jays', abbreviation: 'TOR' },
  { id: 108, name: 'Los Angeles Angels', abbreviation: 'LAA' },
  { id: 109, name: 'Arizona Diamondbacks', abbreviation: 'AZ' },
  { id: 111, name: 'Boston Red Sox', abbreviation: 'BOS' },
  { id: 112, name: 'Chicago Cubs', abbreviation: 'CHC' },
  { id: 113, name: 'Cincinnati Reds', abbreviation: 'CIN' },
  { id: 114, name: 'Cleveland Guardians', abbreviation: 'CLE' },
  { id: 115, name: 'Colorado Rockies', abbreviation: 'COL' },
  { id: 116, name: 'Detroit Tigers', abbreviation: 'DET' },
  { id: 118, name: 'Kansas City Royals', abbreviation: 'KC' },
  { id: 120, name: 'Washington Nationals', abbreviation: 'WSH' },
  { id: 121, name: 'New York Mets', abbreviation: 'NYM' },
  { id: 133, name: 'Athletics', abbreviation: 'ATH' },
  { id: 135, name: 'San Diego Padres', abbreviation: 'SD' },
  { id: 137, name: 'San Francisco Giants', abbreviation: 'SF' },
  { id: 140, name: 'Texas Rangers', abbreviation: 'TEX' },
  { id: 142, name: 'Minnesota Twins', abbreviation: 'MIN' },
  { id: 143, name: 'Philadelphia Phillies', abbreviation: 'PHI' },
  { id: 144, name: 'Atlanta Braves', abbreviation: 'ATL' },
  { id: 145, name: 'Chicago White Sox', abbreviation: 'CWS' },
  { id: 146, name: 'Miami Marlins', abbreviation: 'MIA' },
  { id: 147, name: 'New York Yankees', abbreviation: 'NYY' },
  { id: 158, name: 'Milwaukee Brewers', abbreviation: 'MIL' },
] as const;

export const FIRST_NAMES = [
  'Aaron', 'Adrian', 'Alec', 'Andres', 'Beau', 'Blake', 'Brady', 'Caleb', 'Carlos', 'Cole', 'Colton', 'Dalton',
  'Dante', 'Derek', 'Diego', 'Dominic', 'Eli', 'Emilio', 'Ethan', 'Felix', 'Gabriel', 'Gavin', 'Grant', 'Hector',
  'Hudson', 'Isaac', 'Ivan', 'Jace', 'Jared', 'Javier', 'Jonah', 'Julian', 'Kai', 'Kyle', 'Landon', 'Leo',
  'Luis', 'Malik', 'Mateo', 'Miles', 'Nolan', 'Omar', 'Owen', 'Pablo', 'Quinn', 'Rafael', 'Reid', 'Roman',
  'Ruben', 'Ryder', 'Santiago', 'Sawyer', 'Sebastian', 'Tanner', 'Theo', 'Tristan', 'Tyler', 'Victor', 'Wade',
  'Wyatt', 'Xavier', 'Yordan', 'Zane', 'Brennan',
] as const;

export const LAST_NAMES = [
  'Abernathy', 'Acosta', 'Aldridge', 'Barrow', 'Beckett', 'Blackwood', 'Brannigan', 'Calloway', 'Castellano',
  'Corbin', 'Crandall', 'Delgado', 'Dunmore', 'Easley', 'Ellsworth', 'Escobar', 'Fairbanks', 'Fenwick', 'Galloway',
  'Garrison', 'Grimsby', 'Halvorsen', 'Hargrove', 'Holloway', 'Iglesias', 'Jemison', 'Kessler', 'Kingsley',
  'Lachance', 'Landry', 'Lockhart', 'Maddox', 'Marchetti', 'Merriweather', 'Montague', 'Navarro', 'Northcutt',
  'Oakes', 'Ortega', 'Pemberton', 'Prescott', 'Quarles', 'Radcliffe', 'Renteria', 'Rutledge', 'Salcedo',
  'Sheffield', 'Stallings', 'Sutherland', 'Tolliver', 'Trujillo', 'Underwood', 'Valdez', 'Vance', 'Wainwright',
  'Whitlock', 'Winslow', 'Yarbrough', 'Zamora', 'Zimmerman', 'Ashcroft', 'Bramwell', 'Cordero', 'Dempsey',
  'Everly', 'Fontaine', 'Gutierrez', 'Hatcher', 'Irving', 'Juarez', 'Kimbrough', 'Lindqvist', 'Mercado',
  'Norwood', 'Oyelaran', 'Pacheco', 'Ramsey', 'Stroud', 'Thibodeaux', 'Ueda', 'Villanueva', 'Whitaker', 'Yoder',
  'Zuniga',
] as const;

/** Names of the historical comparables: earlier prospects, none of them in the current rankings. */
export const PAST_NAMES = [
  'Earl Whitcombe', 'Dusty Marchbanks', 'Luther Ambrose', 'Rocco Delacroix', 'Vernon Pruitt', 'Clint Baskerville',
  'Otis Mulroney', 'Chet Langford', 'Mickey Tremblay', 'Homer Castleton', 'Virgil Oyama', 'Ignacio Belmonte',
  'Rufus Kincaid', 'Wendell Haverford', 'Alonzo Pritchett', 'Barney Sokolov',
] as const;

interface FixtureFeature {
  name: string;
  label: string;
  definition: string;
  unit: string;
  source: string;
  /** Typical value and spread, for the generated feature values. */
  center: number;
  scale: number;
  /** Decimals of the generated values. */
  digits: number;
  group: 'both' | 'hitting' | 'pitching';
}

const WHOLE = new Set(['level_ordinal', 'level_climb', 'seasons_pro', 'draft_round', 'draft_pick', 'hit_career_pa', 'pit_ip']);

const f = (
  name: string, label: string, definition: string, unit: string, source: string,
  center: number, scale: number, group: FixtureFeature['group'] = 'both',
): FixtureFeature => ({
  name, label, definition, unit, source, center, scale, group,
  digits: WHOLE.has(name) ? 0 : scale >= 0.5 ? 1 : 3,
});

export const FEATURES: readonly FixtureFeature[] = [
  f('age', 'Age', 'Age on July 1 of the as-of season', 'years', 'bio', 21, 1.5),
  f('age_rel_level', 'Age vs level', 'Age minus the mean age at his current level; negative = young for the level', 'years', 'season lines + level norms', 0, 1.3),
  f('level_ordinal', 'Level', 'Ordinal of the highest level played in the as-of season (ROK 1 ... AAA 7)', 'ordinal', 'season lines', 5, 1.5),
  f('level_climb', 'Levels climbed', 'Current level minus the highest level of the previous season', 'levels', 'season lines', 1, 0.7),
  f('seasons_pro', 'Pro seasons', 'Seasons since the first professional line, inclusive', 'seasons', 'season lines', 3, 1.2),
  f('draft_round', 'Draft round', 'Round of the latest draft selection; missing if undrafted', 'round', 'draft', 4, 3),
  f('draft_pick', 'Overall pick', 'Overall pick number of that selection', 'pick', 'draft', 90, 60),
  f('hit_k_rate_rel', 'K% vs level', 'Strikeout rate minus the level mean', 'difference of shares (-1 to 1)', 'season lines + level norms', 0, 0.04, 'hitting'),
  f('hit_bb_rate_rel', 'BB% vs level', 'Walk rate minus the level mean', 'difference of shares (-1 to 1)', 'season lines + level norms', 0, 0.025, 'hitting'),
  f('hit_iso_rel', 'ISO vs level', 'Isolated power minus the level mean', 'extra bases per at-bat', 'season lines + level norms', 0, 0.04, 'hitting'),
  f('hit_woba', 'wOBA', 'Weighted on-base average in the as-of season', 'weighted on-base average', 'season lines', 0.33, 0.03, 'hitting'),
  f('hit_sb_rate', 'SB rate', 'Stolen bases per time on first', 'steals per opportunity', 'season lines', 0.12, 0.06, 'hitting'),
  f('hit_career_pa', 'Career PA', 'Minor-league plate appearances through the as-of season', 'plate appearances', 'season lines', 900, 500, 'hitting'),
  f('pit_k_rate_rel', 'K% vs level', 'Strikeout rate minus the level mean', 'difference of shares (-1 to 1)', 'season lines + level norms', 0, 0.045, 'pitching'),
  f('pit_bb_rate_rel', 'BB% vs level', 'Walk rate minus the level mean', 'difference of shares (-1 to 1)', 'season lines + level norms', 0, 0.02, 'pitching'),
  f('pit_k_bb_rate', 'K-BB%', '(Strikeouts - walks) / batters faced', 'share of batters faced (0-1)', 'season lines', 0.15, 0.05, 'pitching'),
  f('pit_gs_share', 'Starter share', 'Games started / games', 'share of games (0-1)', 'season lines', 0.7, 0.3, 'pitching'),
  f('pit_ip', 'IP', 'Innings pitched in the as-of season', 'innings', 'season lines', 90, 30, 'pitching'),
];

export function featuresFor(isPitcher: boolean): FixtureFeature[] {
  return FEATURES.filter((x) => x.group === 'both' || x.group === (isPitcher ? 'pitching' : 'hitting'));
}
