/**
 * Raw koffi declarations of the part of XGBoost's C API (c_api.h, 1.7) we use, plus return-code checking.
 * Loaded lazily so importing training code never needs the library; everything typed loosely stays in here.
 */

import koffi, { type LibraryHandle } from 'koffi';
import { locateXgboostLibrary } from './xgboost-library.ts';
import { PrerequisiteError } from '../lib/prerequisite-error.ts';

/** A failed XGBoost C call; the message is XGBoost's own `XGBGetLastError()` text. */
export class XGBoostError extends Error {
  override name = 'XGBoostError';
  /** The C function that returned non-zero. */
  readonly call: string;
  constructor(call: string, message: string) {
    super(`${call}: ${message}`);
    this.call = call;
  }
}

/** Opaque handle: koffi 3 hands pointers to JS as bigint. */
export type Handle = bigint;

// Each function takes koffi's loosely typed arguments; the wrappers in xgboost.ts give them shape.
type Fn = (...args: any[]) => any; // eslint-disable-line @typescript-eslint/no-explicit-any

const SIGNATURES = {
  version: 'void XGBoostVersion(_Out_ int *major, _Out_ int *minor, _Out_ int *patch)',
  lastError: 'const char *XGBGetLastError()',
  dmatrixFromMat:
    'int XGDMatrixCreateFromMat(const float *data, uint64 nrow, uint64 ncol, float missing, _Out_ DMatrixHandle *out)',
  dmatrixSetFloatInfo:
    'int XGDMatrixSetFloatInfo(DMatrixHandle handle, const char *field, const float *array, uint64 len)',
  dmatrixNumRow: 'int XGDMatrixNumRow(DMatrixHandle handle, _Out_ uint64 *out)',
  dmatrixNumCol: 'int XGDMatrixNumCol(DMatrixHandle handle, _Out_ uint64 *out)',
  dmatrixFree: 'int XGDMatrixFree(DMatrixHandle handle)',
  boosterCreate: 'int XGBoosterCreate(const DMatrixHandle *dmats, uint64 len, _Out_ BoosterHandle *out)',
  boosterFree: 'int XGBoosterFree(BoosterHandle handle)',
  boosterSetParam: 'int XGBoosterSetParam(BoosterHandle handle, const char *name, const char *value)',
  boosterUpdateOneIter: 'int XGBoosterUpdateOneIter(BoosterHandle handle, int iter, DMatrixHandle dtrain)',
  boosterEvalOneIter:
    'int XGBoosterEvalOneIter(BoosterHandle handle, int iter, const DMatrixHandle *dmats, const char **evnames, uint64 len, _Out_ const char **out_result)',
  boosterPredictFromDMatrix:
    'int XGBoosterPredictFromDMatrix(BoosterHandle handle, DMatrixHandle dmat, const char *config, _Out_ void **out_shape, _Out_ uint64 *out_dim, _Out_ void **out_result)',
  boosterSaveModel: 'int XGBoosterSaveModel(BoosterHandle handle, const char *fname)',
  boosterLoadModel: 'int XGBoosterLoadModel(BoosterHandle handle, const char *fname)',
  boosterSaveModelToBuffer:
    'int XGBoosterSaveModelToBuffer(BoosterHandle handle, const char *config, _Out_ uint64 *out_len, _Out_ void **out_dptr)',
  boosterLoadModelFromBuffer: 'int XGBoosterLoadModelFromBuffer(BoosterHandle handle, const void *buf, uint64 len)',
  boosterGetNumFeature: 'int XGBoosterGetNumFeature(BoosterHandle handle, _Out_ uint64 *out)',
  boosterBoostedRounds: 'int XGBoosterBoostedRounds(BoosterHandle handle, _Out_ int *out)',
  boosterSetAttr: 'int XGBoosterSetAttr(BoosterHandle handle, const char *key, const char *value)',
  boosterGetAttr:
    'int XGBoosterGetAttr(BoosterHandle handle, const char *key, _Out_ const char **out, _Out_ int *success)',
} as const;

export type XGBoostApi = { readonly [K in keyof typeof SIGNATURES]: Fn };

/** Oldest release whose C API matches the declarations above. */
const MIN_VERSION: readonly [number, number] = [1, 7];

let api: XGBoostApi | undefined;

/** The bound library, loaded on first use. */
export function xgb(): XGBoostApi {
  if (api !== undefined) return api;
  const path = locateXgboostLibrary();
  let lib: LibraryHandle;
  try {
    // OpenMP's default busy-waiting makes XGBoost's threads spin against each other on a loaded 2-core machine
    // (measured: 58 s instead of 2.6 s); libgomp reads this once, when the library loads.
    process.env.OMP_WAIT_POLICY ??= 'PASSIVE';
    lib = koffi.load(path);
  } catch (error) {
    throw new PrerequisiteError(
      `${path} could not be loaded as XGBoost's C library (${String(error)}): install libxgboost0 1.7 or newer.`,
    );
  }
  // koffi resolves named types globally, so declaring them twice (e.g. after a reload in tests) would throw.
  for (const name of ['DMatrixHandle', 'BoosterHandle']) {
    try {
      koffi.type(name);
    } catch {
      koffi.pointer(name, koffi.opaque());
    }
  }
  const bound = Object.fromEntries(
    Object.entries(SIGNATURES).map(([key, signature]) => [key, lib.func(signature) as Fn]),
  ) as unknown as XGBoostApi;
  const [major, minor, patch] = readVersion(bound);
  if (major < MIN_VERSION[0] || (major === MIN_VERSION[0] && minor < MIN_VERSION[1])) {
    throw new PrerequisiteError(
      `${path} is XGBoost ${major}.${minor}.${patch} but ${MIN_VERSION.join('.')} or newer is needed: upgrade libxgboost0 or set XGBOOST_LIBRARY_PATH.`,
    );
  }
  api = bound;
  return api;
}

/** Version of the loaded library, e.g. "1.7.4". */
export function xgboostVersion(): string {
  return readVersion(xgb()).join('.');
}

function readVersion(bound: XGBoostApi): [number, number, number] {
  const major: [number] = [0];
  const minor: [number] = [0];
  const patch: [number] = [0];
  bound.version(major, minor, patch);
  return [major[0], minor[0], patch[0]];
}

/** Throws XGBoostError with XGBoost's message when a C call returned non-zero. */
export function check(call: string, rc: number): void {
  if (rc !== 0) throw new XGBoostError(call, String(xgb().lastError() ?? 'unknown error'));
}

/** Copies `length` floats out of XGBoost-owned memory, which the next call on the same booster may overwrite. */
export function copyFloats(pointer: bigint, length: number): Float32Array {
  if (length === 0) return new Float32Array(0);
  return new Float32Array(koffi.view(pointer, length * 4).slice(0));
}

/** Copies `length` bytes out of XGBoost-owned memory. */
export function copyBytes(pointer: bigint, length: number): Buffer {
  return Buffer.from(koffi.view(pointer, length).slice(0));
}

/** Reads an XGBoost-owned array of `bst_ulong` (uint64). */
export function readUlongs(pointer: bigint, length: number): number[] {
  return Array.from(new BigUint64Array(koffi.view(pointer, length * 8).slice(0)), Number);
}

// Last resort for handles whose owner forgot free(): GC timing is arbitrary, so free() stays the contract.
const leaked = new FinalizationRegistry<() => void>((release) => release());

/** Owner of one native handle: explicit, idempotent `free()`, `using` support, and a GC safety net. */
export abstract class NativeHandle implements Disposable {
  readonly #kind: string;
  readonly #release: (handle: Handle) => number;
  #handle: Handle | undefined;

  protected constructor(kind: string, handle: Handle, release: (handle: Handle) => number) {
    this.#kind = kind;
    this.#release = release;
    this.#handle = handle;
    leaked.register(this, () => release(handle), this);
  }

  /** The raw C handle, for calls this binding does not wrap; throws once freed. */
  get handle(): Handle {
    if (this.#handle === undefined) throw new Error(`${this.#kind} was already freed.`);
    return this.#handle;
  }

  /** Releases the native object; idempotent. */
  free(): void {
    if (this.#handle === undefined) return;
    leaked.unregister(this);
    const handle = this.#handle;
    this.#handle = undefined;
    check(`${this.#kind} free`, this.#release(handle));
  }

  [Symbol.dispose](): void {
    this.free();
  }
}
