/**
 * A chaos scenario: it breaks something on this machine (loopback only), then checks what must still hold.
 * `run` returns the checks it made; `npm run chaos` prints each scenario's actions and checks and fails when any
 * check failed or a scenario ran past its time limit.
 */
export interface ChaosCheck {
  /** What was verified, as a sentence a reader can check against the code ("14 tables equal by row checksum"). */
  what: string;
  ok: boolean;
  /** Measured detail: counts, checksums, timings. */
  detail?: string;
}

export interface ChaosContext {
  /** Prints one line of what the scenario is doing ("SIGKILL worker pid 1234 at 12.3 s"). */
  step(message: string): void;
  /** A PostgreSQL server URL (admin database) on which the scenario may create and drop its own databases. */
  adminDatabaseUrl: string;
  /** Folder for this scenario's files (removed afterwards unless CHAOS_KEEP=1). */
  workDir: string;
  /** Seeded randomness for the scenario, so a run can be repeated with CHAOS_SEED. */
  random(): number;
  seed: number;
}

export interface ChaosScenario {
  name: string;
  /** One line: what breaks and what must hold. */
  summary: string;
  /** Upper bound on the scenario's wall time; the runner fails it past this. */
  timeLimitMs: number;
  run(ctx: ChaosContext): Promise<ChaosCheck[]>;
}
