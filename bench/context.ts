/**
 * What every benchmark gets: a PostgreSQL server to create its own databases on, and a Temporal server.
 */
export interface BenchContext {
  adminDatabaseUrl: string;
  temporalAddress: string;
}
