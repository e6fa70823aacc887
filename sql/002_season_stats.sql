-- Season lines by player, level and group: a TimescaleDB hypertable when the extension can be loaded,
-- otherwise native declarative partitioning by season. One row per (season, player, level, group):
-- a traded player's per-team rows are folded into his aggregate line before loading.

DO $$
DECLARE
  columns constant text := $cols$
    season              smallint NOT NULL,
    player_id           integer NOT NULL,
    sport_id            integer NOT NULL,
    stat_group          text NOT NULL CHECK (stat_group IN ('hitting', 'pitching')),
    team_id             integer,
    games               integer NOT NULL CHECK (games >= 0),
    hits                integer NOT NULL CHECK (hits >= 0),
    home_runs           integer NOT NULL CHECK (home_runs >= 0),
    base_on_balls       integer NOT NULL CHECK (base_on_balls >= 0),
    hit_by_pitch        integer NOT NULL CHECK (hit_by_pitch >= 0),
    strike_outs         integer NOT NULL CHECK (strike_outs >= 0),
    plate_appearances   integer CHECK (plate_appearances >= 0),
    at_bats             integer CHECK (at_bats >= 0),
    doubles             integer CHECK (doubles >= 0),
    triples             integer CHECK (triples >= 0),
    intentional_walks   integer CHECK (intentional_walks >= 0),
    stolen_bases        integer CHECK (stolen_bases >= 0),
    caught_stealing     integer CHECK (caught_stealing >= 0),
    sac_flies           integer CHECK (sac_flies >= 0),
    games_started       integer CHECK (games_started >= 0),
    outs                integer CHECK (outs >= 0),
    batters_faced       integer CHECK (batters_faced >= 0),
    earned_runs         integer CHECK (earned_runs >= 0),
    source              text NOT NULL,
    batch_id            bigint,
    loaded_at           timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (season, player_id, sport_id, stat_group)
  $cols$;
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb')
     AND current_setting('shared_preload_libraries') LIKE '%timescaledb%' THEN
    CREATE EXTENSION IF NOT EXISTS timescaledb;
    EXECUTE format('CREATE TABLE player_season_stats (%s)', columns);
    -- Integer time column: one chunk per season.
    PERFORM create_hypertable('player_season_stats', 'season', chunk_time_interval => 1);
  ELSE
    EXECUTE format('CREATE TABLE player_season_stats (%s) PARTITION BY RANGE (season)', columns);
    FOR y IN 2000..2040 LOOP
      EXECUTE format('CREATE TABLE player_season_stats_%s PARTITION OF player_season_stats FOR VALUES FROM (%s) TO (%s)',
                     y, y, y + 1);
    END LOOP;
    CREATE TABLE player_season_stats_other PARTITION OF player_season_stats DEFAULT;
  END IF;
END $$;

CREATE INDEX player_season_stats_player ON player_season_stats (player_id, season);
