/** Tears a scenario's services down in reverse order, each step on its own. */

/** One failing step does not leave the others running; the failures are printed together at the end. */
export class Teardown {
  private readonly steps: { name: string; run: () => unknown }[] = [];
  push(name: string, run: () => unknown): void {
    this.steps.push({ name, run });
  }
  async run(): Promise<void> {
    const errors: string[] = [];
    for (const step of this.steps.reverse()) {
      try {
        await step.run();
      } catch (error) {
        errors.push(`${step.name}: ${(error as Error).message}`);
      }
    }
    if (errors.length) console.error(`  teardown: ${errors.join('; ')}`);
  }
}
