import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../errors/not-found-error.js';
import type { ProviderV1, UsageScanResult } from '../spec/provider-v1.js';
import type { TranscriptFile } from '../spec/transcript.js';
import { createScanPool, isWorkerImportable } from './scan-pool.js';

const moduleUrl = new URL('./__fixtures__/scan-module.mjs', import.meta.url).href;
const file = (name: string): TranscriptFile => ({ path: `/data/${name}.jsonl`, providerId: 'fake', sessionId: name, kind: 'main' });
const inProcess = async (f: TranscriptFile): Promise<UsageScanResult> => ({ records: [], retractedKeys: [], skipped: { 'in-process': 1 }, bytes: 0, nextOffset: 0, ...{ path: f.path } });

function provider(url: string | undefined, withScan = true): ProviderV1 {
  return {
    specificationVersion: 'v1', id: 'fake', displayName: 'Fake', binaryName: 'fake',
    findBinary: async () => null, matchProcess: () => null, matchSession: () => null, statusFromPane: () => null,
    buildSpawnCommand: () => ({ command: 'fake', args: [], env: {}, cwd: '/' }),
    transcriptRoots: () => [], listTranscripts: async () => [],
    openTranscript: (f) => ({ file: f, offset: 0, read: async () => ({ fromOffset: 0, nextOffset: 3, session: { models: [] }, turns: [], usage: [], retractedKeys: [], signals: [], skipped: { reader: 1 }, unknownTypes: {} }) }),
    prices: { asOf: 'x', source: 'x', models: {} },
    ...(withScan ? { scanUsage: inProcess } : {}),
    ...(url ? { usageScanModule: { url, exportName: 'scan' } } : {}),
  };
}

describe('createScanPool', () => {
  it('runs importable scan modules on worker threads, spread over the workers', async () => {
    await using pool = createScanPool({ workers: 2 });
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => pool.scan(provider(moduleUrl), file(`s${i}`), { fromOffset: 5 })));
    expect(results.map((r) => r.records[0]?.sessionId)).toEqual(['s0', 's1', 's2', 's3', 's4', 's5', 's6', 's7']);
    expect(results.every((r) => r.nextOffset === 15)).toBe(true);
    const threads = new Set(results.map((r) => r.records[0]?.sourceSessionId));
    expect(threads.size).toBe(2);
    expect(threads.has('thread-0')).toBe(false);
  });

  it('maps a missing file to NotFoundError and other failures to a scan error', async () => {
    await using pool = createScanPool({ workers: 1 });
    const missing = await pool.scan(provider(moduleUrl), file('missing')).catch((e: unknown) => e);
    expect(NotFoundError.isInstance(missing)).toBe(true);
    await expect(pool.scan(provider(moduleUrl), file('boom'))).rejects.toThrow(/boom/);
    expect((await pool.scan(provider(moduleUrl), file('ok'))).records).toHaveLength(1);
  });

  it('scans in-process for TypeScript modules, unloadable modules, or no workers; uses the reader without scanUsage', async () => {
    await using pool = createScanPool({ workers: 1 });
    expect(isWorkerImportable({ url: 'file:///x/usage-scan.ts', exportName: 'f' })).toBe(false);
    expect((await pool.scan(provider('file:///x/usage-scan.ts'), file('a'))).skipped).toEqual({ 'in-process': 1 });
    expect((await pool.scan(provider('file:///nonexistent/scan.mjs'), file('b'))).skipped).toEqual({ 'in-process': 1 });
    expect((await pool.scan(provider(undefined, false), file('c'))).skipped).toEqual({ reader: 1 });
    await using none = createScanPool({ workers: 0 });
    expect((await none.scan(provider(moduleUrl), file('d'))).skipped).toEqual({ 'in-process': 1 });
  });

  it('rejects scans after close', async () => {
    const pool = createScanPool({ workers: 1 });
    await pool.close();
    await expect(pool.scan(provider(moduleUrl), file('x'))).rejects.toThrow(/closed/);
  });
});
