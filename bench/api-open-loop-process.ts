/**
 * The open-loop generator (bench/api-open-loop.ts) alone in a process of its own, for the API benchmark: the bench
 * process holds the seeded world and autocannon's leftovers, and its young-generation collections (tens of ms, up to
 * ~90 ms under --trace-gc) stalled the generator, which counted them as the API's latency. Here the heap holds little
 * more than the request buffers. Takes its options from the parent over IPC, answers the result (advanced
 * serialization: typed arrays and maps as they are) and exits.
 */
import { openLoop, type OpenLoopOptions } from './api-open-loop.ts';

process.once('message', (options: OpenLoopOptions) => {
  void openLoop(options).then(
    (result) => process.send!(result, () => process.exit(0)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
