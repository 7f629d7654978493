import { mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CodexTranscriptReader } from './parser.js';
import { fileFor, fixture, mergeDeltas, readOnce } from './test-helpers.test-util.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'codex-hostile-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const line = (obj: unknown): string => `${JSON.stringify(obj)}\n`;
const tokenLine = (ts: string, input: number, output: number) =>
  line({ timestamp: ts, type: 'event_msg', payload: { type: 'token_count', info: { last_token_usage: { input_tokens: input, cached_input_tokens: 0, output_tokens: output } } } });

describe('CodexTranscriptReader: hostile input', () => {
  it('counts every bad line by reason and keeps every valid one', async () => {
    const r = await readOnce(fixture('hostile.jsonl'));
    expect(r.skipped).toEqual({
      'invalid-json': 1,
      'invalid-record': 5,
      'missing-timestamp': 1,
      'missing-id': 2,
      'token-count-no-info': 1,
    });
    // CRLF line ends, null counts and cached > input are handled.
    expect(r.usage.map((u) => [u.usage.input, u.usage.cacheRead, u.usage.output])).toEqual([
      [10, 0, 5],
      [0, 7, 1],
    ]);
    expect(r.session.id).toBe('0199e000-0000-7000-8000-0000000000ee');
  });

  it('skips invalid UTF-8 without losing the next line', async () => {
    const path = join(dir, 'bad-utf8.jsonl');
    const bad = Buffer.concat([Buffer.from('{"timestamp":"2026-11-20T14:00:00Z","type":"event_msg","payload":{"type":"agent_message","message":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}}\n')]);
    writeFileSync(path, Buffer.concat([bad, Buffer.from(tokenLine('2026-11-20T14:00:01Z', 3, 4))]));
    const r = await readOnce(path);
    expect(r.skipped['invalid-utf8']).toBe(1);
    expect(r.usage).toHaveLength(1);
    expect(r.usage[0]?.usage).toMatchObject({ input: 3, output: 4 });
  });

  it('parses a 10 MB line and skips one over the cap without losing neighbours', async () => {
    const path = join(dir, 'big.jsonl');
    const huge = 'x'.repeat(10 * 1024 * 1024);
    writeFileSync(path, tokenLine('2026-11-20T14:00:00Z', 1, 1));
    appendFileSync(path, line({ timestamp: '2026-11-20T14:00:01Z', type: 'event_msg', payload: { type: 'user_message', message: huge } }));
    appendFileSync(path, tokenLine('2026-11-20T14:00:02Z', 2, 2));
    const ok = await readOnce(path);
    expect(ok.skipped['too-long']).toBeUndefined();
    expect(ok.turns.map((t) => t.userText.length)).toEqual([0, 4096]); // usage before any prompt opens an implicit turn
    expect(ok.usage).toHaveLength(2);

    const capped = await readOnce(path, { maxLineBytes: 1024 * 1024 });
    expect(capped.skipped['too-long']).toBe(1);
    expect(capped.usage.map((u) => u.usage.input)).toEqual([1, 2]);
    expect(capped.nextOffset).toBe(readFileSync(path).length);
  });

  it('leaves a torn oversize last line for later without consuming it', async () => {
    const path = join(dir, 'torn-big.jsonl');
    writeFileSync(path, tokenLine('2026-11-20T14:00:00Z', 1, 1));
    const start = readFileSync(path).length;
    appendFileSync(path, `{"timestamp":"2026-11-20T14:00:01Z","x":"${'y'.repeat(3 * 1024 * 1024)}`);
    const reader = new CodexTranscriptReader(fileFor(path), 0, { maxLineBytes: 1024 * 1024 });
    const first = await reader.read();
    expect(first.nextOffset).toBe(start);
    expect(first.skipped['too-long']).toBeUndefined();
    appendFileSync(path, '"}\n');
    appendFileSync(path, tokenLine('2026-11-20T14:00:02Z', 5, 5));
    const second = await reader.read();
    expect(second.fromOffset).toBe(start);
    expect(second.skipped['too-long']).toBe(1);
    expect(second.usage.map((u) => u.usage.input)).toEqual([5]);
  });

  it('reports a lone .jsonl.zst as skipped (compressed-unsupported) once, when there is no zstd', async () => {
    const path = join(dir, 'rollout-2026-11-20T10-00-00-0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b.jsonl.zst');
    writeFileSync(path, Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0]));
    const reader = new CodexTranscriptReader(fileFor(path), 0, { decompressZstd: null });
    const first = await reader.read();
    expect(first.skipped).toEqual({ 'compressed-unsupported': 1 });
    expect(first.nextOffset).toBe(0);
    expect((await reader.read()).skipped).toEqual({});
  });

  it('parses a .jsonl.zst through a decompressor when one is available', async () => {
    const path = join(dir, 'rollout-x.jsonl.zst');
    writeFileSync(path, readFileSync(fixture('basic-session.jsonl')).reverse());
    const reader = new CodexTranscriptReader(fileFor(path), 0, { decompressZstd: (b) => Buffer.from(b).reverse() });
    const r = mergeDeltas([await reader.read()]);
    expect(r.usage).toHaveLength(5);
    expect(r.turns).toHaveLength(3);
  });

  it('never throws on a missing file', async () => {
    const reader = new CodexTranscriptReader(fileFor(join(dir, 'gone.jsonl')));
    const delta = await reader.read();
    expect(delta.skipped).toEqual({ 'file-unreadable': 1 });
    expect(delta.nextOffset).toBe(0);
  });
});

describe('CodexTranscriptReader: shape variants', () => {
  it('accepts object arguments and string message content', async () => {
    const path = join(dir, 'variants.jsonl');
    writeFileSync(
      path,
      line({ timestamp: '2026-11-20T14:00:00Z', type: 'event_msg', payload: { type: 'user_message', message: 'go' } }) +
        line({ timestamp: '2026-11-20T14:00:01Z', type: 'response_item', payload: { type: 'function_call', name: 'shell', arguments: { command: ['ls'] }, call_id: 'c1' } }) +
        line({ timestamp: '2026-11-20T14:00:02Z', type: 'response_item', payload: { type: 'function_call_output', call_id: 'c1', output: { content: 'denied', success: false } } }) +
        line({ timestamp: '2026-11-20T14:00:03Z', type: 'response_item', payload: { type: 'message', role: 'assistant', content: 'plain text answer' } }),
    );
    const r = await readOnce(path);
    expect(r.skipped).toEqual({});
    expect(r.turns[0]?.tools[0]).toMatchObject({ inputSummary: 'ls', outcome: 'error', errorMessage: 'denied' });
    expect(r.turns[0]?.assistantText).toBe('plain text answer');
  });
});

describe('CodexTranscriptReader: optional events of newer versions', () => {
  it('maps approval requests, exec_command_end failures and task events to signals and tool outcomes', async () => {
    const path = join(dir, 'newer.jsonl');
    const ev = (ts: string, payload: Record<string, unknown>) => line({ timestamp: `2026-11-20T15:00:${ts}Z`, type: 'event_msg', payload });
    writeFileSync(
      path,
      ev('00', { type: 'task_started', model_context_window: 272000 }) +
        ev('01', { type: 'user_message', message: 'build it' }) +
        line({ timestamp: '2026-11-20T15:00:02Z', type: 'response_item', payload: { type: 'function_call', name: 'shell', arguments: '{"command":["make"]}', call_id: 'm1' } }) +
        ev('03', { type: 'exec_approval_request', call_id: 'm1', command: ['make'] }) +
        line({ timestamp: '2026-11-20T15:00:04Z', type: 'response_item', payload: { type: 'function_call_output', call_id: 'm1', output: 'done' } }) +
        ev('05', { type: 'exec_command_end', call_id: 'm1', exit_code: 2, stderr: 'make: *** [all] Error 2' }) +
        ev('06', { type: 'error', message: 'stream disconnected before completion' }) +
        ev('07', { type: 'task_complete', last_agent_message: 'Build failed.' }),
    );
    const r = await readOnce(path);
    expect(r.signals.map((s) => `${s.state}:${s.rule}`)).toEqual([
      'working:codex.transcript.task_started',
      'working:codex.transcript.user_message',
      'working:codex.transcript.tool_call',
      'waiting-permission:codex.transcript.exec_approval_request',
      'working:codex.transcript.tool_output',
      'error:codex.transcript.error',
      'idle:codex.transcript.task_complete',
    ]);
    expect(r.turns[0]).toMatchObject({ failed: true, assistantText: 'Build failed.', endedAt: '2026-11-20T15:00:07Z' });
    expect(r.turns[0]?.tools[0]).toMatchObject({ outcome: 'error', errorMessage: 'exit code 2: make: *** [all] Error 2' });
    expect(r.unknownTypes).toEqual({});
  });
});
