import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { AgentmuxError } from '../errors/agentmux-error.js';
import { NotFoundError } from '../errors/not-found-error.js';
import type { ProviderV1, UsageScanModule, UsageScanOptions, UsageScanResult } from '../spec/provider-v1.js';
import type { TranscriptFile } from '../spec/transcript.js';
import { expandScanResult } from './compact-usage.js';

/** Options of `createScanPool`. */
export interface ScanPoolOptions {
  /** Worker threads (default: min(2, available cores)); 0 runs every scan in-process. */
  workers?: number;
  /**
   * Resolve scans with the `compact` rows a worker sent (default false: they are decoded into `records`). For
   * callers that read compact rows themselves (one-shot cost reports).
   */
  keepCompact?: boolean;
}

/** Runs usage scans of transcript files on worker threads, in-process, or through the provider's reader. */
export interface ScanPool extends AsyncDisposable {
  /** Worker threads the pool may use. */
  readonly workers: number;
  /**
   * Usage of one file: the provider's `usageScanModule` on a worker when it is importable by plain Node (a `.js`
   * file), else its `scanUsage` in-process, else `openTranscript(file, fromOffset).read()`.
   */
  scan(provider: ProviderV1, file: TranscriptFile, options?: UsageScanOptions): Promise<UsageScanResult>;
  /** Stops the workers; pending scans reject. */
  close(): Promise<void>;
}

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const fns = new Map();
parentPort.on('message', async (job) => {
  try {
    const k = job.url + '#' + job.exportName;
    let fn = fns.get(k);
    if (!fn) {
      const mod = await import(job.url);
      fn = mod[job.exportName];
      if (typeof fn !== 'function') throw new Error(job.url + ' does not export a function ' + job.exportName);
      fns.set(k, fn);
    }
    const result = await fn(job.file, job.options);
    // Compact rows cross as transferred buffers (no copy, no per-record objects).
    const c = result && result.compact;
    parentPort.postMessage({ id: job.id, result }, c ? [c.numbers.buffer, c.refs.buffer, c.ends.buffer] : []);
  } catch (error) {
    parentPort.postMessage({ id: job.id, error: { message: String((error && error.message) || error), code: error && error.code, load: !fns.has(job.url + '#' + job.exportName) } });
  }
});
`;

interface Job {
  id: number;
  module: UsageScanModule;
  file: TranscriptFile;
  options: UsageScanOptions | undefined;
  /** The same scan in-process, used when the worker cannot load the module. */
  inProcess: () => Promise<UsageScanResult>;
  resolve: (r: UsageScanResult) => void;
  reject: (e: unknown) => void;
}

interface Slot {
  worker: Worker;
  inFlight: Map<number, Job>;
}

const IN_FLIGHT_PER_WORKER = 2;

/** True when `url` can be imported by a plain Node worker (not TypeScript source). */
export function isWorkerImportable(module: UsageScanModule | undefined): module is UsageScanModule {
  return module !== undefined && module.url.startsWith('file:') && !/\.[cm]?tsx?$/.test(module.url);
}

async function readerScan(provider: ProviderV1, file: TranscriptFile, options: UsageScanOptions | undefined): Promise<UsageScanResult> {
  const delta = await provider.openTranscript(file, options?.fromOffset ?? 0).read();
  return {
    records: delta.usage,
    retractedKeys: delta.retractedKeys,
    skipped: delta.skipped,
    bytes: delta.nextOffset - delta.fromOffset,
    nextOffset: delta.nextOffset,
  };
}

/** Creates a scan pool; close it (or `await using`) to stop its workers. */
export function createScanPool(options: ScanPoolOptions = {}): ScanPool {
  const size = Math.max(0, Math.floor(options.workers ?? Math.min(2, availableParallelism())));
  const keepCompact = options.keepCompact ?? false;
  const slots: Slot[] = [];
  const queue: Job[] = [];
  let nextId = 1;
  const unloadable = new Set<string>();
  let closed = false;

  const fail = (slot: Slot, error: unknown): void => {
    for (const job of slot.inFlight.values()) job.reject(error);
    slot.inFlight.clear();
    const i = slots.indexOf(slot);
    if (i >= 0) slots.splice(i, 1);
    void slot.worker.terminate();
    pump();
  };

  const spawn = (): Slot => {
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.unref();
    const slot: Slot = { worker, inFlight: new Map() };
    worker.on('message', (msg: { id: number; result?: UsageScanResult; error?: { message: string; code?: string; load?: boolean } }) => {
      const job = slot.inFlight.get(msg.id);
      if (!job) return;
      slot.inFlight.delete(msg.id);
      if (msg.error?.load) {
        // The module could not be loaded in a worker (e.g. a build without that entry): scan in-process from now on.
        unloadable.add(job.module.url);
        job.inProcess().then(job.resolve, job.reject);
      } else if (msg.error) {
        job.reject(
          msg.error.code === 'AGENTMUX_NOT_FOUND'
            ? new NotFoundError('transcript', job.file.path, 'The file was moved or deleted; list transcripts again.')
            : new AgentmuxError('AGENTMUX_SCAN_FAILED', `Scanning ${job.file.path} failed: ${msg.error.message}`),
        );
      } else if (msg.result) {
        if (keepCompact) job.resolve(msg.result);
        else {
          try {
            job.resolve(expandScanResult(msg.result));
          } catch (error) {
            job.reject(error);
          }
        }
      }
      pump();
    });
    worker.on('error', (error) => fail(slot, error));
    worker.on('exit', (code) => {
      if (slot.inFlight.size > 0) fail(slot, new AgentmuxError('AGENTMUX_SCAN_FAILED', `scan worker exited with code ${code}`));
    });
    slots.push(slot);
    return slot;
  };

  function pump(): void {
    while (queue.length > 0 && !closed) {
      let slot = slots.find((s) => s.inFlight.size === 0) ?? (slots.length < size ? spawn() : slots.find((s) => s.inFlight.size < IN_FLIGHT_PER_WORKER));
      if (!slot && slots.length === 0 && size > 0) slot = spawn();
      if (!slot) return;
      const job = queue.shift() as Job;
      slot.inFlight.set(job.id, job);
      slot.worker.postMessage({ id: job.id, url: job.module.url, exportName: job.module.exportName, file: job.file, options: job.options });
    }
  }

  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    const error = new AgentmuxError('AGENTMUX_SCAN_FAILED', 'the scan pool was closed');
    for (const job of queue.splice(0)) job.reject(error);
    await Promise.all(
      slots.splice(0).map(async (slot) => {
        for (const job of slot.inFlight.values()) job.reject(error);
        await slot.worker.terminate();
      }),
    );
  };

  return {
    workers: size,
    scan(provider, file, scanOptions) {
      if (closed) return Promise.reject(new AgentmuxError('AGENTMUX_SCAN_FAILED', 'the scan pool was closed'));
      const module = provider.usageScanModule;
      const inProcess = async (): Promise<UsageScanResult> => {
        const result = provider.scanUsage ? await provider.scanUsage(file, scanOptions) : await readerScan(provider, file, scanOptions);
        return keepCompact ? result : expandScanResult(result);
      };
      if (size > 0 && isWorkerImportable(module) && !unloadable.has(module.url)) {
        return new Promise<UsageScanResult>((resolve, reject) => {
          queue.push({ id: nextId++, module, file, options: scanOptions, inProcess, resolve, reject });
          pump();
        });
      }
      return inProcess();
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
