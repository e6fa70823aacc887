/**
 * `npm run schedules`: creates or updates the pipeline's Temporal Schedules (daily update in season).
 */
import { loadConfig } from '../lib/config.ts';
import { createLogger } from '../lib/log.ts';
import { startLocalStack } from '../infra/local-stack.ts';
import { ensureSchedules } from '../infra/schedules.ts';
import { runMain } from './main.ts';

await runMain(async (stack) => {
  const config = loadConfig();
  const log = createLogger({ level: process.env.LOG_LEVEL ?? 'warn', name: 'schedules' });
  const { client } = await startLocalStack(config, log, stack, { worker: false });
  for (const { scheduleId, action } of await ensureSchedules(client, config)) {
    const description = await client.schedule.getHandle(scheduleId).describe();
    const next = description.info.nextActionTimes[0]?.toISOString() ?? 'none';
    console.log(`${scheduleId}: ${action}; next run ${next}`);
  }
});
