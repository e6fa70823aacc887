/**
 * Runs the recorded-archive server standalone: `node sources/archive/main.ts --dir ../shared/realdata [--port 8788]`.
 * Prints the base URL to put in MLB_STATS_API_URL (any run, not only a backfill, then reads the archive).
 * Flags: --dir (required), --port (default 8788), --host (127.0.0.1), --max-limit (cap /stats pages, for testing).
 */
import { parseArgs } from 'node:util';
import { createArchiveApi } from './api.ts';
import { openArchiveDirectory } from './directory.ts';
import { startArchiveServer } from './server.ts';

const { values } = parseArgs({
  options: {
    dir: { type: 'string' },
    port: { type: 'string', default: '8788' },
    host: { type: 'string', default: '127.0.0.1' },
    'max-limit': { type: 'string' },
  },
});
if (!values.dir) {
  console.error(
    'usage: node sources/archive/main.ts --dir <recorded archive> [--port 8788] [--host 127.0.0.1] [--max-limit N]',
  );
  process.exit(2);
}
const port = Number(values.port);
const maxLimit = values['max-limit'] === undefined ? undefined : Number(values['max-limit']);
if (!Number.isInteger(port) || (maxLimit !== undefined && !(Number.isInteger(maxLimit) && maxLimit > 0))) {
  console.error(`--port and --max-limit must be integers, got ${values.port} and ${values['max-limit']}`);
  process.exit(2);
}
const archive = openArchiveDirectory(values.dir);
const server = await startArchiveServer({
  handler: createArchiveApi(archive, maxLimit === undefined ? {} : { maxLimit }),
  basePath: `/archive/${archive.id}`,
  port,
  host: values.host,
});
console.log(`recorded archive ${archive.root} on ${server.url}/api/v1`);
console.log(`MLB_STATS_API_URL=${server.url}`);
console.log(`try ${server.url}/api/v1/stats?stats=season&group=hitting&sportIds=12&season=2006&playerPool=All&limit=5`);
const stop = (): void => {
  void server.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
