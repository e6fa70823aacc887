/**
 * The load generator of bench/api-under-pipeline.ts, alone in a process of its own so its event loop and garbage
 * collections are neither the API's nor the orchestrator's (which polls Temporal and samples memory meanwhile). One
 * autocannon closed loop per route class, all started together, their connections adding up to the total; every
 * answer's latency is kept (all statuses, not only 2xx as autocannon's own histogram does) with when it came, so
 * percentiles are exact, overall and per class, and per 30 s of the window. Takes its plan over IPC, answers the
 * result (advanced serialization) and exits.
 */
import autocannon from 'autocannon';
import { summarize, type LatencySummary } from './loadtest-stats.ts';

/** One request of a class's rotation. */
export interface PlannedRequest {
  method: 'GET' | 'POST';
  path: string;
}

export interface ClassPlan {
  name: string;
  connections: number;
  requests: PlannedRequest[];
  /** Bearer tokens taken in turn, one per request (premium users); none: anonymous. */
  tokens: string[];
}

export interface GeneratorPlan {
  url: string;
  seconds: number;
  /** Distinct client addresses sent in X-Forwarded-For, taken in turn (the API runs with API_TRUST_PROXY=1). */
  clientAddresses: number;
  timeoutSeconds: number;
  classes: ClassPlan[];
}

export interface ClassResult {
  name: string;
  connections: number;
  requests: number;
  /** Requests written to sockets (answered, timed out or in flight at the end). */
  sent: number;
  seconds: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  latency: LatencySummary;
}

export interface GeneratorResult {
  startEpochMs: number;
  classes: ClassResult[];
  overall: LatencySummary;
  /** Per 30 s of the window: answers and their p99 (ms), all classes together. */
  windows: { fromS: number; answers: number; p99: number }[];
}

const WINDOW_S = 30;

/** A growable list of (time, latency) pairs in chunks of typed arrays: no per-answer objects for the GC. */
class Recorder {
  private chunks: { t: Float64Array; ms: Float64Array }[] = [];
  private used = 0;
  private static readonly SIZE = 1 << 18;
  count = 0;

  add(t: number, ms: number): void {
    let chunk = this.chunks.at(-1);
    if (!chunk || this.used === Recorder.SIZE) {
      chunk = { t: new Float64Array(Recorder.SIZE), ms: new Float64Array(Recorder.SIZE) };
      this.chunks.push(chunk);
      this.used = 0;
    }
    chunk.t[this.used] = t;
    chunk.ms[this.used++] = ms;
    this.count += 1;
  }

  latencies(filter?: (t: number) => boolean): Float64Array {
    const out: number[] = [];
    if (!filter) {
      const all = new Float64Array(this.count);
      let i = 0;
      for (const [k, c] of this.chunks.entries()) {
        const n = k === this.chunks.length - 1 ? this.used : Recorder.SIZE;
        all.set(c.ms.subarray(0, n), i);
        i += n;
      }
      return all;
    }
    for (const [k, c] of this.chunks.entries()) {
      const n = k === this.chunks.length - 1 ? this.used : Recorder.SIZE;
      for (let i = 0; i < n; i++) if (filter(c.t[i]!)) out.push(c.ms[i]!);
    }
    return Float64Array.from(out);
  }
}

function address(i: number): string {
  // 10.x.y.z, a private range, far more addresses than any anonymous limit could notice.
  return `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
}

async function run(plan: GeneratorPlan): Promise<GeneratorResult> {
  const all = new Recorder();
  const perClass = plan.classes.map(() => new Recorder());
  let nextAddress = 0;
  const start = performance.now();
  const startEpochMs = performance.timeOrigin + start;
  const results = await Promise.all(
    plan.classes.map((cls, k) => {
      let nextRequest = 0;
      let nextToken = 0;
      return new Promise<autocannon.Result>((resolve, reject) => {
        const instance = autocannon(
          {
            url: plan.url,
            connections: cls.connections,
            duration: plan.seconds,
            timeout: plan.timeoutSeconds,
            requests: [
              {
                setupRequest: (request) => {
                  const planned = cls.requests[nextRequest++ % cls.requests.length]!;
                  const headers: Record<string, string> = {
                    ...(request.headers as Record<string, string>),
                    'x-forwarded-for': address(nextAddress++ % plan.clientAddresses),
                  };
                  if (cls.tokens.length)
                    headers.authorization = `Bearer ${cls.tokens[nextToken++ % cls.tokens.length]!}`;
                  return { ...request, method: planned.method, path: planned.path, headers };
                },
              },
            ],
          },
          (error: Error | null, result: autocannon.Result) => (error ? reject(error) : resolve(result)),
        );
        instance.on('response', (_client, _status, _bytes, responseTime) => {
          const t = (performance.now() - start) / 1000;
          all.add(t, responseTime);
          perClass[k]!.add(t, responseTime);
        });
      });
    }),
  );
  const windows: GeneratorResult['windows'] = [];
  for (let from = 0; from < plan.seconds; from += WINDOW_S) {
    const latencies = all.latencies((t) => t >= from && t < from + WINDOW_S);
    windows.push({ fromS: from, answers: latencies.length, p99: summarize(latencies).p99 });
  }
  return {
    startEpochMs,
    classes: results.map((r, k) => ({
      name: plan.classes[k]!.name,
      connections: plan.classes[k]!.connections,
      requests: perClass[k]!.count,
      sent: r.requests.sent,
      seconds: r.duration,
      errors: r.errors,
      timeouts: r.timeouts,
      non2xx: r.non2xx,
      statusCodes: Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([code, s]) => [code, s.count ?? 0])),
      latency: summarize(perClass[k]!.latencies()),
    })),
    overall: summarize(all.latencies()),
    windows,
  };
}

process.once('message', (plan: GeneratorPlan) => {
  void run(plan).then(
    (result) => process.send!(result, () => process.exit(0)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
