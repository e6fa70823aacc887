/**
 * Moved to sources/archive/landing-replay.ts (it was never an activity); kept until infra/recorded-source.ts imports
 * it from there.
 */
export { openLandingReplay, type LandingReplay } from '../sources/archive/landing-replay.ts';
