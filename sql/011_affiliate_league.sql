-- The league each team played in that season (the teams data's `league.name`, e.g. "CAL" or "CAR" at A+): features
-- compare a player's age and rates with his league as well as his level (training/league-norms.ts). Null when the
-- source names none (teams loaded before this column, the sample universe).
ALTER TABLE affiliates ADD COLUMN league text;
