/**
 * Runs the sample Stats API server standalone: `node sources/sample/main.ts --port 8787 --scale 0.1`.
 * Flags: --port (default 8787), --host (127.0.0.1), --seed (1), --from (2010), --to (2026), --scale (1).
 */
import { parseArgs } from 'node:util';
import { startSampleServer } from './server.ts';
import { generateUniverse } from './universe.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8787' },
    host: { type: 'string', default: '127.0.0.1' },
    seed: { type: 'string', default: '1' },
    from: { type: 'string', default: '2010' },
    to: { type: 'string', default: '2026' },
    scale: { type: 'string', default: '1' },
  },
});

function num(name: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, got "${raw}"`);
  return n;
}

const started = performance.now();
const universe = generateUniverse({
  seed: num('seed', values.seed),
  fromSeason: num('from', values.from),
  toSeason: num('to', values.to),
  scale: num('scale', values.scale),
});
const generatedMs = Math.round(performance.now() - started);
const server = await startSampleServer({ universe, port: num('port', values.port), host: values.host });
console.log(
  `sample Stats API on ${server.url}/api/v1 (seasons ${universe.options.fromSeason}-${universe.options.toSeason}, scale ${universe.options.scale}, ${universe.lines.length} lines, generated in ${generatedMs} ms)`,
);
console.log(
  `try ${server.url}/api/v1/stats?stats=season&group=hitting&sportIds=12&season=${universe.options.fromSeason}&playerPool=All&limit=5`,
);
const stop = (): void => {
  void server.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
