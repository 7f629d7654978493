import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCorpus } from '@agentmux/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { listDefaultGeminiTranscripts } from './listing.js';
import { gemini } from './index.js';

const home = mkdtempSync(join(tmpdir(), 'agentmux-gemini-listing-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('listDefaultGeminiTranscripts (the lean listing entry)', () => {
  it('lists exactly what the default provider lists, with and without since', async () => {
    const corpus = await generateCorpus({ provider: 'gemini', root: home, sessions: 4, turnsPerSession: 3, seed: 7 });
    const env = { HOME: home };
    const lean = await listDefaultGeminiTranscripts({ env });
    expect(lean.length).toBeGreaterThanOrEqual(corpus.sessionIds.length);
    expect(lean).toEqual(await gemini.listTranscripts({ env }));
    const since = new Date(Date.now() + 86_400_000);
    expect(await listDefaultGeminiTranscripts({ env, since })).toEqual(await gemini.listTranscripts({ env, since }));
    expect(await listDefaultGeminiTranscripts({ env: { HOME: join(home, 'nothing-here') } })).toEqual([]);
  });
});
