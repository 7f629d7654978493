import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCorpus } from '@agentmux/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { listDefaultClaudeTranscripts } from './listing.js';
import { claude } from './index.js';

const home = mkdtempSync(join(tmpdir(), 'agentmux-claude-listing-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('listDefaultClaudeTranscripts (the lean listing entry)', () => {
  it('lists exactly what the default provider lists, with and without since', async () => {
    const corpus = await generateCorpus({ provider: 'claude', root: home, sessions: 4, turnsPerSession: 3, seed: 7 });
    const env = { HOME: home };
    const lean = await listDefaultClaudeTranscripts({ env });
    expect(lean.length).toBeGreaterThanOrEqual(corpus.sessionIds.length);
    expect(lean).toEqual(await claude.listTranscripts({ env }));
    const since = new Date(Date.now() + 86_400_000);
    expect(await listDefaultClaudeTranscripts({ env, since })).toEqual(await claude.listTranscripts({ env, since }));
    expect(await listDefaultClaudeTranscripts({ env: { HOME: join(home, 'nothing-here') } })).toEqual([]);
    // Without stat: the same files, without size and mtime.
    expect(await listDefaultClaudeTranscripts({ env, stat: false })).toEqual(lean.map(({ size: _s, mtime: _m, ...rest }) => rest));
  });
});
