import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeAgent, type FakeAgent } from '../fake-agent.js';
import { geminiChatsDir } from '../paths.js';
import { waitFor } from '../wait-for.js';
import { readJsonl } from './__fixtures__/read-jsonl.js';

type Msg = { id?: string; type?: string; content?: string; tokens?: Record<string, number> | null; toolCalls?: { id: string; status: string; name: string; result?: unknown }[]; $set?: { lastUpdated: string } };

let agent: FakeAgent | undefined;
afterEach(async () => {
  await agent?.dispose();
  agent = undefined;
});

function chatPath(home: string, cwd: string): string | undefined {
  const projects = JSON.parse(readFileSync(join(home, '.gemini', 'projects.json'), 'utf8')) as { projects: Record<string, string> };
  const slug = projects.projects[cwd];
  if (slug === undefined) return undefined;
  const dir = geminiChatsDir(join(home, '.gemini'), slug);
  const name = readdirSync(dir).find((n) => n.endsWith('.jsonl'));
  return name === undefined ? undefined : join(dir, name);
}

const ended = (path: string) => () => {
  const recs = readJsonl(path) as Msg[];
  const last = recs.filter((r) => r.type === 'gemini').pop();
  return last !== undefined && !last.toolCalls && last.tokens != null;
};

describe('fake gemini (interactive, in tmux)', () => {
  it('writes a JSONL chat under the project slug, re-appending updated messages, and shows working then idle', async () => {
    agent = await startFakeAgent({ provider: 'gemini', scenario: { turnDurationMs: 1500, toolCalls: 2 } });
    const path = await waitFor(() => chatPath(agent?.home ?? '', agent?.cwd ?? ''));
    expect(path).toMatch(/\/\.gemini\/tmp\/project\/chats\/session-\d{4}-\d\d-\d\dT\d\d-\d\d-[0-9a-f]{8}\.jsonl$/);
    await agent.submit('look at src/reader.ts');
    expect(await agent.waitForScreen('esc to cancel')).toMatch(/Thinking\.\.\. \(esc to cancel, \d+s\)/);
    await waitFor(ended(path));
    await agent.waitForScreen(/^(?![\s\S]*esc to cancel)[\s\S]*Type your message or @path\/to\/file/);
    const recs = readJsonl(path) as (Msg & Record<string, unknown>)[];
    expect(recs[0]).toMatchObject({ sessionId: expect.stringMatching(/^[0-9a-f-]{36}$/), projectHash: expect.stringMatching(/^[0-9a-f]{64}$/), startTime: expect.any(String), lastUpdated: expect.any(String) });
    expect(path.endsWith(`-${String(recs[0]?.sessionId).slice(0, 8)}.jsonl`)).toBe(true);
    expect(recs.find((r) => r.type === 'user')?.content).toBe('look at src/reader.ts');
    expect(recs.some((r) => r.$set?.lastUpdated !== undefined)).toBe(true);
    const withTools = recs.filter((r) => r.type === 'gemini' && r.toolCalls);
    const ids = [...new Set(withTools.map((r) => r.id))];
    expect(ids).toHaveLength(2);
    for (const id of ids) {
      const copies = withTools.filter((r) => r.id === id);
      expect(copies.length).toBeGreaterThanOrEqual(2);
      expect(copies[0]?.toolCalls?.[0]?.status).toBe('executing');
      expect(copies[0]?.tokens).toBeNull();
      const last = copies[copies.length - 1];
      expect(last?.toolCalls?.[0]).toMatchObject({ status: 'success', result: expect.any(Array) });
      expect(last?.tokens).toMatchObject({ input: expect.any(Number), output: expect.any(Number), cached: expect.any(Number), thoughts: expect.any(Number), tool: 0 });
      const t = last?.tokens ?? {};
      expect(t.total).toBe((t.input ?? 0) + (t.output ?? 0) + (t.thoughts ?? 0) + (t.tool ?? 0));
      expect(t.cached).toBeLessThanOrEqual(t.input ?? 0);
    }
    const answerCopies = recs.filter((r) => r.type === 'gemini' && !r.toolCalls);
    expect(new Set(answerCopies.map((r) => r.id)).size).toBe(1);
    expect(answerCopies[0]?.tokens).toBeNull();
    expect(answerCopies[answerCopies.length - 1]?.content?.length).toBeGreaterThan(answerCopies[0]?.content?.length ?? 0);
  });

  it('asks "Allow execution?" and continues after 1 + Enter', async () => {
    agent = await startFakeAgent({ provider: 'gemini', scenario: { turnDurationMs: 200, toolCalls: 1, askPermission: true } });
    await agent.submit('run the tests');
    const screen = await agent.waitForScreen('Allow execution?');
    expect(screen).toContain('● 1. Yes, allow once');
    const path = chatPath(agent.home, agent.cwd) ?? '';
    const waiting = (readJsonl(path) as Msg[]).filter((r) => r.toolCalls).pop();
    expect(waiting?.toolCalls?.[0]?.status).toBe('awaiting_approval');
    await agent.tmux.sendKeys(agent.name, '1', 'Enter');
    await waitFor(ended(path));
  });

  it('records a cancelled request on Esc', async () => {
    agent = await startFakeAgent({ provider: 'gemini', scenario: { hang: true } });
    await agent.submit('slow one');
    await agent.waitForScreen('esc to cancel');
    await agent.tmux.sendKeys(agent.name, 'Escape');
    const path = chatPath(agent.home, agent.cwd) ?? '';
    await waitFor(() => (readJsonl(path) as Msg[]).some((r) => r.type === 'info' && r.content === 'Request cancelled.'));
  });
});
