import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCorpus } from '@agentmux/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { listDefaultCodexTranscripts } from './listing.js';
import { codex } from './index.js';

const home = mkdtempSync(join(tmpdir(), 'agentmux-codex-listing-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('listDefaultCodexTranscripts (the lean listing entry)', () => {
  it('lists exactly what the default provider lists, with and without since', async () => {
    const corpus = await generateCorpus({ provider: 'codex', root: home, sessions: 4, turnsPerSession: 3, seed: 7 });
    const env = { HOME: home };
    const lean = await listDefaultCodexTranscripts({ env });
    expect(lean.length).toBeGreaterThanOrEqual(corpus.sessionIds.length);
    expect(lean).toEqual(await codex.listTranscripts({ env }));
    const since = new Date(Date.now() + 86_400_000);
    expect(await listDefaultCodexTranscripts({ env, since })).toEqual(await codex.listTranscripts({ env, since }));
    expect(await listDefaultCodexTranscripts({ env: { HOME: join(home, 'nothing-here') } })).toEqual([]);
  });
});
