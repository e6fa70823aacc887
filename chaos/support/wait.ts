/** The one pause of the chaos scenarios and their support. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
