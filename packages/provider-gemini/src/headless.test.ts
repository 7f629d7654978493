import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addUsage, emptyUsage, type HeadlessEvent } from '@agentmux/core';
import { fakeBinDir } from '@agentmux/testkit';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { createGeminiHeadlessParser } from './headless.js';
import { createGeminiProvider } from './provider.js';

const home = mkdtempSync(join(tmpdir(), 'agentmux-gemini-headless-'));
const work = join(home, 'work');
afterAll(() => rmSync(home, { recursive: true, force: true }));

async function fakeRun(format: 'json' | 'stream-json', prompt: string): Promise<string> {
  const { mkdirSync } = await import('node:fs');
  mkdirSync(work, { recursive: true });
  // stdin closed: like the real CLI, the fake reads piped stdin into the prompt.
  const { stdout } = await execa(process.execPath, [join(fakeBinDir(), 'gemini'), '-p', prompt, '--output-format', format], {
    cwd: work,
    stdin: 'ignore',
    env: { HOME: home, GEMINI_CLI_HOME: home, AGENTMUX_FAKE_SCENARIO: '' },
  });
  return stdout;
}

function parse(format: 'json' | 'stream-json', stdout: string) {
  const parser = createGeminiHeadlessParser(format);
  const events: HeadlessEvent[] = [];
  for (const line of stdout.split('\n')) events.push(...parser.push(line));
  events.push(...parser.end());
  return { events, skipped: parser.skipped };
}

async function transcriptUsage(sessionId: string) {
  const provider = createGeminiProvider();
  const files = (await provider.listTranscripts({ env: { HOME: home } })).filter((f) => f.sessionId === sessionId);
  const total = emptyUsage();
  for (const f of files) for (const r of (await provider.openTranscript(f).read()).usage) addUsage(total, r.usage);
  return { total, files: files.length };
}

describe('gemini -p headless output', () => {
  it('json: one turn with the stats usage, equal to what the run wrote to its chat', async () => {
    const { events, skipped } = parse('json', await fakeRun('json', 'list the files'));
    expect(skipped).toEqual({});
    expect(events.map((e) => e.type)).toEqual(['session-started', 'turn-started', 'usage', 'turn-ended']);
    const started = events[0] as Extract<HeadlessEvent, { type: 'session-started' }>;
    const ended = events[3] as Extract<HeadlessEvent, { type: 'turn-ended' }>;
    expect(ended.turn.assistantText.length).toBeGreaterThan(0);
    expect(ended.turn.model).toBe('gemini-2.5-pro');
    expect(ended.turn.usage.input + ended.turn.usage.output).toBeGreaterThan(0);
    const written = await transcriptUsage(started.sessionId);
    expect(written.files).toBe(1);
    expect(ended.turn.usage).toEqual(written.total);
  });

  it('stream-json: session, prompt, tool calls with outcomes, answer and usage', async () => {
    const { events, skipped } = parse('stream-json', await fakeRun('stream-json', 'run the tests'));
    expect(skipped).toEqual({});
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('session-started');
    expect(types[1]).toBe('turn-started');
    expect(types.at(-1)).toBe('turn-ended');
    const ended = events.at(-1) as Extract<HeadlessEvent, { type: 'turn-ended' }>;
    expect(ended.turn.userText).toBe('run the tests');
    expect(ended.turn.tools.length).toBe(types.filter((t) => t === 'tool-started').length);
    expect(ended.turn.tools.every((t) => t.outcome === 'ok' && t.name.length > 0)).toBe(true);
    expect(ended.turn.usage.input + ended.turn.usage.output).toBeGreaterThan(0);
  });

  it('counts bad lines and reports an error document as a failed turn', () => {
    const stream = createGeminiHeadlessParser('stream-json');
    expect(stream.push('not json')).toEqual([]);
    expect(stream.push('[1]')).toEqual([]);
    expect(stream.push('{"type":"mystery"}')).toEqual([]);
    expect(stream.skipped).toEqual({ 'invalid-json': 1, 'not-an-object': 1, 'unknown-type': 1 });
    const doc = createGeminiHeadlessParser('json');
    doc.push(JSON.stringify({ response: '', error: { type: 'ApiError', message: 'quota exceeded', code: 429 }, stats: { models: {} } }));
    const events = doc.end();
    expect(events.map((e) => e.type)).toEqual(['turn-started', 'error', 'usage', 'turn-ended']);
    expect((events[3] as Extract<HeadlessEvent, { type: 'turn-ended' }>).turn.failed).toBe(true);
    expect((events[1] as Extract<HeadlessEvent, { type: 'error' }>).message).toBe('quota exceeded');
  });
});
