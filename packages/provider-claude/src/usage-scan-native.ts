import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

// Loads the native Claude usage scan (native/: C++ with simdjson, built by `pnpm build` when libsimdjson-dev and a
// C++ compiler are present; see cost-scan-native.ts for what it does). Without it the TypeScript scan is used.

/** Rows in core's compact columns plus `sessions`, each row's billing session (a string index). */
export interface NativeColumns {
  count: number;
  numbers: Float64Array;
  refs: Int32Array;
  sessions: Int32Array;
  text: string;
  ends: Int32Array;
}

/** The addon's one-shot cost scan (see native/src/addon.cc and cost-scan-native.ts). */
export interface NativeCostScan {
  run(threads: number): Promise<void>;
  progress(): [number, number];
  fileInfo(i: number): { bail?: string; skipped: Record<string, number>; bytes: number; nextOffset: number };
  addRows(i: number, numbers: Float64Array, flags: Int32Array, strings: string[]): void;
  /** Deduplicates; [rows without a key, winners]. */
  finish(): [number, number];
  /** The next rows that count (unkeyed first, then winners), at most `max`; null when all were handed out. `keys` false: without dedup keys. */
  next(max: number, keys?: boolean): NativeColumns | null;
}

/** One file's records as core's compact columns, or why the TypeScript scan must read it. */
export type NativeFileScan =
  | { bail: string }
  | { bail?: undefined; skipped: Record<string, number>; bytes: number; nextOffset: number; count: number; numbers: Float64Array; refs: Int32Array; text: string; ends: Int32Array };

/** The addon's exports. */
export interface NativeScanAddon {
  /** Every usage record of one file from an offset, in file order (`scanClaudeUsageSync`'s result). */
  scanFileSync(path: string, fromOffset: number, maxLineBytes: number, chunkBytes: number, session: string, source: string): NativeFileScan;
  CostScan: new (paths: string[], fromOffsets: number[], sessions: string[], sources: string[], maxLineBytes: number, chunkBytes: number) => NativeCostScan;
  simdjsonVersion: string;
}

/** Whether the native scan is in use, and why not when it is not. */
export interface NativeClaudeScanStatus {
  available: boolean;
  /** The simdjson version the addon was built with. */
  simdjsonVersion?: string;
  /** Why the TypeScript scan is used instead (not built, disabled by `AGENTMUX_NATIVE=0`, failed to load). */
  reason?: string;
}

const ADDON = 'claude_usage_scan.node';
let addon: NativeScanAddon | null | undefined;
let status: NativeClaudeScanStatus = { available: false, reason: 'not loaded yet' };

/** The addon, loaded once; `null` when it is not built, fails to load, or `AGENTMUX_NATIVE=0`. */
export function loadNativeClaudeScan(): NativeScanAddon | null {
  if (addon !== undefined) return addon;
  addon = null;
  if (process.env['AGENTMUX_NATIVE'] === '0') {
    status = { available: false, reason: 'disabled by AGENTMUX_NATIVE=0' };
    return null;
  }
  const require = createRequire(import.meta.url);
  // From src/ or dist/ of this package; `./claude_usage_scan.node` is where a bundle copies it next to itself.
  const candidates = [new URL(`../native/build/Release/${ADDON}`, import.meta.url), new URL(`./${ADDON}`, import.meta.url)];
  const errors: string[] = [];
  for (const url of candidates) {
    try {
      addon = require(fileURLToPath(url)) as NativeScanAddon;
      status = { available: true, simdjsonVersion: addon.simdjsonVersion };
      return addon;
    } catch (error) {
      const e = error as { code?: string; message?: string };
      errors.push(e.code === 'MODULE_NOT_FOUND' ? `${fileURLToPath(url)}: not built` : `${fileURLToPath(url)}: ${e.message ?? String(error)}`);
    }
  }
  status = { available: false, reason: `${errors.join('; ')} (build it with \`pnpm build\` after \`apt-get install libsimdjson-dev g++\`)` };
  return null;
}

/** Loads the native scan if it is built (once) and says whether it is used. */
export function nativeClaudeScanStatus(): NativeClaudeScanStatus {
  loadNativeClaudeScan();
  return status;
}
