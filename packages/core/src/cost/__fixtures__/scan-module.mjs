// A usage scanner module for scan-pool tests: reports the thread it ran on.
import { threadId } from 'node:worker_threads';

export async function scan(file, options) {
  if (file.path.includes('missing')) {
    const error = new Error(`No transcript "${file.path}".`);
    error.code = 'AGENTMUX_NOT_FOUND';
    throw error;
  }
  if (file.path.includes('boom')) throw new Error('boom');
  const from = options?.fromOffset ?? 0;
  return {
    records: [{ timestamp: '2026-01-01T00:00:00.000Z', sessionId: file.sessionId, sourceSessionId: `thread-${threadId}`, providerId: 'fake', usage: { input: 1, output: 2, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, reasoning: 0, webSearchRequests: 0 } }],
    retractedKeys: [],
    skipped: {},
    bytes: 10,
    nextOffset: from + 10,
  };
}
