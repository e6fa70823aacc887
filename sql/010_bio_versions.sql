-- Point-in-time bios. `players` holds each player's bio as last seen; this table keeps every version of the fields
-- features read (birth date, position, bats, throws) with the date it was first seen, a new row only when one of
-- them changed, so a feature row of an as-of season uses the bio known then (training/bios.ts).
CREATE TABLE player_bio_versions (
  player_id         integer NOT NULL REFERENCES players (player_id) ON DELETE CASCADE,
  seen_on           date NOT NULL,                -- fetch date of the people response that carried this version
  birth_date        date,
  primary_position  text,
  bat_side          text,
  pitch_hand        text,
  PRIMARY KEY (player_id, seen_on)
);

-- Bios loaded before versions were kept: what is known is the current bio, seen when it was last written.
INSERT INTO player_bio_versions (player_id, seen_on, birth_date, primary_position, bat_side, pitch_hand)
SELECT player_id, updated_at::date, birth_date, primary_position, bat_side, pitch_hand FROM players;
