/**
 * Finds XGBoost's C shared library (Debian's `libxgboost0`) so training can bind it through koffi.
 */

import { existsSync } from 'node:fs';
import { PrerequisiteError } from '../lib/prerequisite-error.ts';

/** Where distributions and `make install` put the library, most specific first. */
export const SYSTEM_XGBOOST_PATHS: readonly string[] = [
  '/usr/lib/x86_64-linux-gnu/libxgboost.so.0',
  '/usr/lib/aarch64-linux-gnu/libxgboost.so.0',
  '/usr/lib/x86_64-linux-gnu/libxgboost.so',
  '/usr/lib/aarch64-linux-gnu/libxgboost.so',
  '/usr/lib64/libxgboost.so',
  '/usr/lib/libxgboost.so',
  '/usr/local/lib/libxgboost.so',
  '/opt/homebrew/lib/libxgboost.dylib',
  '/usr/local/lib/libxgboost.dylib',
];

/**
 * Path of the XGBoost library: `XGBOOST_LIBRARY_PATH` when set, else the first system path that exists.
 * @throws Error when `XGBOOST_LIBRARY_PATH` names a missing file; PrerequisiteError when nothing is found.
 */
export function locateXgboostLibrary(
  env: NodeJS.ProcessEnv = process.env,
  candidates: readonly string[] = SYSTEM_XGBOOST_PATHS,
): string {
  const explicit = env['XGBOOST_LIBRARY_PATH'];
  if (explicit !== undefined && explicit !== '') {
    if (!existsSync(explicit)) {
      throw new PrerequisiteError(
        `XGBOOST_LIBRARY_PATH is set to ${explicit}, which does not exist: point it at libxgboost.so or unset it.`,
      );
    }
    return explicit;
  }
  const found = candidates.find((path) => existsSync(path));
  if (found === undefined) {
    throw new PrerequisiteError(
      "XGBoost's C library was not found: run `apt-get install libxgboost0` (Debian/Ubuntu) or set XGBOOST_LIBRARY_PATH to libxgboost.so.",
    );
  }
  return found;
}
