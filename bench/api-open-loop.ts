/**
 * An open-loop HTTP/1.1 load generator for the API benchmark: requests are scheduled at a fixed rate, evenly spaced
 * (one every 1/rate seconds), whatever the server does, over a fixed set of keep-alive connections; a request whose
 * time has come waits for a free connection if none is, and its latency is counted from when it was due, not from
 * when it could be sent (no coordinated omission: a stall shows up in the latencies of every request it delayed).
 *
 * Why not autocannon's `overallRate`: autocannon gives each connection a budget of rate/connections requests per
 * second, sent back to back as soon as its second starts, so every connection bursts at once at the top of each
 * second (a closed loop until the budget is spent, then silence), and its coordinated-omission correction takes
 * ceil(1 / rate) = 1 ms as the expected interval, adding synthetic samples that inflate the tail.
 *
 * Plain sockets with a minimal response parser (status line, Content-Length; the API always sends one), so the
 * generator's own cost stays small next to the server's.
 *
 * The generator measures its own lateness, so a reader can tell its stalls from the server's: how late each request
 * was written to its socket after it was due, counted only for requests a free connection was waiting for (a request
 * that waited for a connection was held up by the server, not by the generator), and the gaps between the scheduler's
 * 1 ms ticks (a gap of 10 ms is the generator's event loop stalled for 10 ms: GC, or its core taken by another
 * process). Latencies are counted from when each request was due either way.
 */
import net from 'node:net';

export interface OpenLoopOptions {
  url: string;
  connections: number;
  /** Requests a second, all connections together. */
  rate: number;
  seconds: number;
  /** Taken in turn; each request's own headers are sent after the common ones. */
  requests: readonly OpenLoopRequest[];
  /** Sent with every request. */
  headers: Record<string, string>;
  /** A request unanswered this long after it was sent counts as an error (timeout). @default 10000 */
  timeoutMs?: number;
}

export interface OpenLoopRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
}

export interface OpenLoopResult {
  offeredRate: number;
  seconds: number;
  /** Requests answered per second over the run. */
  answeredRate: number;
  answered: number;
  non2xx: number;
  /** Requests that got no answer: timed out, or their connection closed under them. */
  errors: number;
  /**
   * Of the errors, those unanswered after `timeoutMs` (their connection is then closed), or still unanswered when the
   * wait after the last request ran out.
   */
  timeouts: number;
  /** Connections closed while the run went on (by the server, or after a timeout); none is reopened. */
  connectionsLost: number;
  statusCodes: Map<number, number>;
  /** Latency percentiles in ms, from the time each request was due. */
  latency: { p50: number; p90: number; p99: number; max: number };
  /** Requests still waiting for a connection when the run ended (the server fell behind). */
  backlog: number;
  /**
   * The generator's own lateness in ms: when each request was written vs when it was due, for requests a free
   * connection was waiting for; `waitedForConnection` requests had none free and are not counted in it.
   */
  lateness: { p50: number; p99: number; max: number; waitedForConnection: number };
  /** Gaps between the scheduler's 1 ms ticks: the largest, and those over STALL_MS (ms into the run, length). */
  ticks: { maxGapMs: number; stalls: { atMs: number; gapMs: number }[] };
  /** When the run started, ms since the epoch (to line its times up with another process's logs). */
  startEpochMs: number;
  /** Per answered request: ms into the run it was due, and its latency (for finding when slow answers happen). */
  samples: { dueMs: Float64Array; latencyMs: Float64Array };
}

/** A tick gap this long (ms) is recorded as a stall of the generator. */
export const STALL_MS = 5;

interface Conn {
  socket: net.Socket;
  busy: boolean;
  due: number;
  sentAt: number;
  buffer: Buffer;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/** The status and total length of the first complete response in `buffer`, or undefined while it is incomplete. */
function completeResponse(buffer: Buffer): { status: number; length: number } | undefined {
  const end = buffer.indexOf(HEADER_END);
  if (end < 0) return undefined;
  const head = buffer.toString('latin1', 0, end);
  const status = Number(head.slice(9, 12));
  const match = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  const bodyLength = match ? Number(match[1]) : 0;
  const length = end + 4 + bodyLength;
  return buffer.length >= length ? { status, length } : undefined;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

export async function openLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const url = new URL(options.url);
  const port = Number(url.port);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const headerLines = (headers: Record<string, string>) =>
    Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('');
  const common = headerLines({ host: url.host, ...options.headers });
  const requests = options.requests.map((r) =>
    Buffer.from(
      `${r.method} ${r.path} HTTP/1.1\r\n${common}${headerLines(r.headers ?? {})}${r.method === 'POST' ? 'content-length: 0\r\n' : ''}\r\n`,
    ),
  );
  const capacity = Math.ceil(options.rate * options.seconds) + 16;
  const latencies = new Float64Array(capacity);
  const dueAts = new Float64Array(capacity);
  const lateness = new Float64Array(capacity);
  let lateCount = 0;
  let waitedForConnection = 0;
  let start = 0;
  let answered = 0;
  let non2xx = 0;
  let errors = 0;
  let timeouts = 0;
  let connectionsLost = 0;
  let next = 0;
  const statusCodes = new Map<number, number>();
  const waiting: number[] = [];
  let waitingHead = 0;
  // First in, first out: every connection takes its turn, so none sits idle long enough for the server's keep-alive
  // timeout to close it under a request.
  const idle: Conn[] = [];
  let idleHead = 0;
  const takeIdle = (): Conn | undefined => {
    if (idleHead >= idle.length) return undefined;
    const conn = idle[idleHead++]!;
    if (idleHead > 4096 && idleHead * 2 > idle.length) {
      idle.splice(0, idleHead);
      idleHead = 0;
    }
    return conn;
  };
  let lastAnswer = 0;
  let running = true;

  const send = (conn: Conn, due: number) => {
    conn.busy = true;
    conn.due = due;
    conn.sentAt = performance.now();
    conn.socket.write(requests[next++ % requests.length]!);
  };
  const release = (conn: Conn) => {
    conn.busy = false;
    if (waitingHead < waiting.length) send(conn, waiting[waitingHead++]!);
    else idle.push(conn);
  };

  // Connected in batches, so the server's accept backlog never drops a SYN (a retry would cost a second).
  const conns: Conn[] = [];
  for (let i = 0; i < options.connections; i += 100) {
    const batch = await Promise.all(
      Array.from(
        { length: Math.min(100, options.connections - i) },
        () =>
          new Promise<Conn>((resolve, reject) => {
            const socket = net.connect({ host: url.hostname, port, noDelay: true }, () => resolve(conn));
            const conn: Conn = { socket, busy: false, due: 0, sentAt: 0, buffer: Buffer.alloc(0) };
            socket.once('error', reject);
          }),
      ),
    );
    conns.push(...batch);
  }
  for (const conn of conns) {
    conn.socket.removeAllListeners('error');
    conn.socket.on('error', () => undefined);
    conn.socket.on('close', () => {
      if (running) connectionsLost += 1;
      if (conn.busy) {
        conn.busy = false;
        if (running) errors += 1;
      }
    });
    conn.socket.on('data', (chunk: Buffer) => {
      conn.buffer = conn.buffer.length ? Buffer.concat([conn.buffer, chunk]) : chunk;
      const response = completeResponse(conn.buffer);
      if (!response) return;
      conn.buffer = conn.buffer.subarray(response.length);
      if (running) {
        lastAnswer = performance.now();
        dueAts[answered] = conn.due - start;
        latencies[answered++] = lastAnswer - conn.due;
        statusCodes.set(response.status, (statusCodes.get(response.status) ?? 0) + 1);
        if (response.status < 200 || response.status > 299) non2xx += 1;
        release(conn);
      } else {
        conn.busy = false;
      }
    });
    idle.push(conn);
  }

  // One sweep a second for requests unanswered too long, rather than a timer per request (garbage, and GC pauses of
  // its own are what this generator must not add; the sweep itself is a loop over the connections, microseconds).
  const sweep = setInterval(() => {
    const now = performance.now();
    for (const conn of conns) {
      if (!conn.busy || now - conn.sentAt < timeoutMs) continue;
      errors += 1;
      timeouts += 1;
      conn.busy = false;
      conn.socket.destroy();
    }
  }, 1000);
  start = performance.now();
  const total = Math.floor(options.rate * options.seconds);
  const intervalMs = 1000 / options.rate;
  let scheduled = 0;
  let lastTick = start;
  let maxGapMs = 0;
  const stalls: { atMs: number; gapMs: number }[] = [];
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const now = performance.now();
      const gap = now - lastTick;
      lastTick = now;
      if (gap > maxGapMs) maxGapMs = gap;
      if (gap > STALL_MS) stalls.push({ atMs: now - start, gapMs: gap });
      const dueNow = Math.min(total, Math.floor((now - start) / intervalMs) + 1);
      for (; scheduled < dueNow; scheduled++) {
        const due = start + scheduled * intervalMs;
        const conn = takeIdle();
        if (conn) {
          send(conn, due);
          lateness[lateCount++] = conn.sentAt - due;
        } else {
          waitedForConnection += 1;
          waiting.push(due);
        }
      }
      if (scheduled >= total) {
        clearInterval(tick);
        resolve();
      }
    }, 1);
  });
  // Let the last requests be answered (up to the timeout), then stop counting.
  const deadline = performance.now() + timeoutMs;
  while ((conns.some((c) => c.busy) || waitingHead < waiting.length) && performance.now() < deadline)
    await new Promise((r) => setTimeout(r, 20));
  const elapsedS = (performance.now() - start) / 1000;
  // Requests still unanswered when the wait ran out have waited at least timeoutMs since the last was due: timeouts.
  for (const conn of conns) {
    if (!conn.busy) continue;
    conn.busy = false;
    errors += 1;
    timeouts += 1;
  }
  running = false;
  const backlog = waiting.length - waitingHead;
  clearInterval(sweep);
  for (const conn of conns) conn.socket.destroy();
  const sorted = latencies.slice(0, answered).sort();
  const late = lateness.slice(0, lateCount).sort();
  return {
    offeredRate: options.rate,
    seconds: elapsedS,
    answeredRate: answered / Math.max(options.seconds, (lastAnswer - start) / 1000),
    answered,
    non2xx,
    errors,
    timeouts,
    connectionsLost,
    statusCodes,
    latency: {
      p50: percentile(sorted, 0.5),
      p90: percentile(sorted, 0.9),
      p99: percentile(sorted, 0.99),
      max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
    },
    backlog,
    lateness: {
      p50: percentile(late, 0.5),
      p99: percentile(late, 0.99),
      max: late.length ? late[late.length - 1]! : Number.NaN,
      waitedForConnection,
    },
    ticks: { maxGapMs, stalls },
    startEpochMs: performance.timeOrigin + start,
    samples: { dueMs: dueAts.slice(0, answered), latencyMs: latencies.slice(0, answered) },
  };
}
