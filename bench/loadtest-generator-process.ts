/**
 * The load generator of bench/api-under-pipeline.ts, alone in a process of its own so its event loop and garbage
 * collections are neither the API's nor the orchestrator's (which polls Temporal and samples memory meanwhile). One
 * open loop per route class (bench/api-open-loop.ts), all started together: each opens its connections first and
 * holds them for the whole window (keep-alive, taken in turn so none idles into the server's keep-alive timeout), then
 * sends its requests at a fixed rate, evenly spaced, whatever the server does, counting each latency from when the
 * request was due (a stall shows in every request it delayed). Percentiles are exact, per class and overall, and per
 * 30 s of the window. Takes its plan over IPC, answers the result (advanced serialization) and exits.
 *
 * Why open loop: a closed loop of 1,000 connections measures capacity, not latency (each connection sends its next
 * request the moment an answer comes, so the server is saturated by construction and, by Little's law, the mean wait
 * is connections / throughput); users arrive at a rate, which is what an open loop sends.
 */
import { writeFileSync } from 'node:fs';
import { openLoop, type OpenLoopResult } from './api-open-loop.ts';
import { rotation } from './loadtest-rotation.ts';
import { summarize, type LatencySummary } from './loadtest-stats.ts';

/** One request of a class's rotation. */
export interface PlannedRequest {
  method: 'GET' | 'POST';
  path: string;
}

export interface ClassPlan {
  name: string;
  connections: number;
  /** Requests a second this class sends, all its connections together. */
  rate: number;
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
  offeredRate: number;
  /** Answers (any status). */
  requests: number;
  seconds: number;
  /** Requests with no answer: timed out, or their connection closed under them. */
  errors: number;
  timeouts: number;
  /** Connections closed during the window (none is reopened: a held connection lost is a failure). */
  connectionsLost: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  latency: LatencySummary;
  /** Requests still waiting for a free connection when the window ended (the API fell behind the rate). */
  backlog: number;
  /** The generator's own lateness and stalls (ms), to tell them from the API's. */
  lateness: OpenLoopResult['lateness'];
  maxTickGapMs: number;
}

export interface GeneratorResult {
  startEpochMs: number;
  classes: ClassResult[];
  overall: LatencySummary;
  /** Per 30 s of the window: answers and their p99 (ms), all classes together. */
  windows: { fromS: number; answers: number; p99: number }[];
}

const WINDOW_S = 30;

async function run(plan: GeneratorPlan): Promise<GeneratorResult> {
  const results = await Promise.all(
    plan.classes.map((cls) =>
      openLoop({
        url: plan.url,
        connections: cls.connections,
        rate: cls.rate,
        seconds: plan.seconds,
        requests: rotation(cls, plan.clientAddresses),
        headers: {},
        timeoutMs: plan.timeoutSeconds * 1000,
      }),
    ),
  );
  const startEpochMs = Math.min(...results.map((r) => r.startEpochMs));
  // Every answer on one clock: ms into the window it was due (the classes started within a few ms of each other).
  const due = results.map((r) => r.samples.dueMs.map((t) => t + (r.startEpochMs - startEpochMs)));
  const windows: GeneratorResult['windows'] = [];
  for (let from = 0; from < plan.seconds; from += WINDOW_S) {
    const inWindow: number[] = [];
    results.forEach((r, k) =>
      due[k]!.forEach((t, i) => {
        if (t >= from * 1000 && t < (from + WINDOW_S) * 1000) inWindow.push(r.samples.latencyMs[i]!);
      }),
    );
    windows.push({ fromS: from, answers: inWindow.length, p99: summarize(Float64Array.from(inWindow)).p99 });
  }
  // LOADTEST_SAMPLES_FILE: every answer as `class,ms into the window it was due,latency ms`, to find when slow ones came.
  if (process.env.LOADTEST_SAMPLES_FILE)
    writeFileSync(
      process.env.LOADTEST_SAMPLES_FILE,
      results
        .flatMap((r, k) =>
          Array.from(
            due[k]!,
            (t, i) => `${plan.classes[k]!.name},${t.toFixed(1)},${r.samples.latencyMs[i]!.toFixed(2)}`,
          ),
        )
        .join('\n'),
    );
  const all = new Float64Array(results.reduce((s, r) => s + r.answered, 0));
  let offset = 0;
  for (const r of results) {
    all.set(r.samples.latencyMs, offset);
    offset += r.answered;
  }
  return {
    startEpochMs,
    classes: results.map((r, k) => ({
      name: plan.classes[k]!.name,
      connections: plan.classes[k]!.connections,
      offeredRate: r.offeredRate,
      requests: r.answered,
      seconds: r.seconds,
      errors: r.errors,
      timeouts: r.timeouts,
      connectionsLost: r.connectionsLost,
      non2xx: r.non2xx,
      statusCodes: Object.fromEntries([...r.statusCodes].map(([code, n]) => [String(code), n])),
      latency: summarize(r.samples.latencyMs.slice()),
      backlog: r.backlog,
      lateness: r.lateness,
      maxTickGapMs: r.ticks.maxGapMs,
    })),
    overall: summarize(all),
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
