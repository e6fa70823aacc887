/**
 * The error for a missing piece of the machine (a system library, a binary, a service) rather than a bug:
 * its message is one sentence telling the operator what to install or configure.
 */

export class PrerequisiteError extends Error {
  override name = 'PrerequisiteError';
}
