import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PrerequisiteError } from '../lib/prerequisite-error.ts';
import { locateXgboostLibrary, SYSTEM_XGBOOST_PATHS } from './xgboost-library.ts';

const thisFile = fileURLToPath(import.meta.url);

describe('locateXgboostLibrary', () => {
  it('returns XGBOOST_LIBRARY_PATH when it names an existing file', () => {
    expect(locateXgboostLibrary({ XGBOOST_LIBRARY_PATH: thisFile })).toBe(thisFile);
  });

  it('throws naming XGBOOST_LIBRARY_PATH when it points at a missing file', () => {
    const call = () => locateXgboostLibrary({ XGBOOST_LIBRARY_PATH: '/nowhere/libxgboost.so' });
    expect(call).toThrow(PrerequisiteError);
    expect(call).toThrow(/XGBOOST_LIBRARY_PATH is set to \/nowhere\/libxgboost\.so/);
  });

  it('falls back to the first system path that exists', () => {
    expect(locateXgboostLibrary({}, ['/nowhere/libxgboost.so', thisFile])).toBe(thisFile);
  });

  it('finds the installed library without configuration', () => {
    const installed = SYSTEM_XGBOOST_PATHS.find((path) => existsSync(path));
    if (installed === undefined) return; // Machines without libxgboost0 are covered by the next test.
    expect(locateXgboostLibrary({})).toBe(installed);
  });

  it('tells the operator how to install the library when none is found', () => {
    const call = () => locateXgboostLibrary({}, ['/nowhere/libxgboost.so']);
    expect(call).toThrow(PrerequisiteError);
    expect(call).toThrow(/apt-get install libxgboost0.*XGBOOST_LIBRARY_PATH/);
  });
});
