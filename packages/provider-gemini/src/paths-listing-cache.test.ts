import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listGeminiTranscripts } from './paths.js';

let home = '';
afterEach(async () => {
  if (home) await rm(home, { recursive: true, force: true });
});

describe('listing cache of session ids', () => {
  it('does not remember a file that had no record yet, and re-reads a file replaced under the same name', async () => {
    home = await mkdtemp(join(tmpdir(), 'agentmux-gemini-cache-'));
    const chats = join(home, 'tmp', 'proj', 'chats');
    await mkdir(chats, { recursive: true });
    const file = join(chats, 'session-2026-11-21T10-00-aaaaaaaa.jsonl');
    await writeFile(file, '');
    const ids = async () => (await listGeminiTranscripts([join(home, 'tmp')])).map((f) => f.sessionId);
    expect(await ids()).toEqual(['2026-11-21T10-00-aaaaaaaa']); // nothing written yet: the name's fallback
    const first = 'aaaaaaaa-1111-4111-8111-111111111111';
    await writeFile(file, `${JSON.stringify({ sessionId: first, projectHash: 'p', startTime: '2026-11-21T10:00:00.000Z', kind: 'main' })}\n`);
    expect(await ids()).toEqual([first]);
    expect(await ids()).toEqual([first]); // served from the cache
    const second = 'aaaaaaaa-2222-4222-8222-222222222222';
    const tmp = join(home, 'replacement.jsonl');
    await writeFile(tmp, `${JSON.stringify({ sessionId: second, projectHash: 'p', startTime: '2026-11-21T10:00:00.000Z', kind: 'main' })}\n`);
    await rename(tmp, file); // a new inode under the same path
    expect(await ids()).toEqual([second]);
  });
});
