/**
 * The API's Prometheus metrics (prom-client, its own registry): requests, latency histograms, cache hits and
 * misses, rate-limit refusals. STUB: to be built.
 */
export interface ApiMetrics {
  observeRequest(method: string, route: string, status: number, seconds: number): void;
  cacheResult(kind: string, result: 'hit' | 'miss' | 'error'): void;
  rateLimited(bucket: string): void;
  /** The text exposition served at /metrics. */
  render(): Promise<{ contentType: string; body: string }>;
}
