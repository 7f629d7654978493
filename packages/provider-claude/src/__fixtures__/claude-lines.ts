import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TranscriptFile } from '@agentmux/core';
import { describeClaudeTranscriptPath } from '../paths.js';

// Claude transcript lines for the usage-scan tests (TypeScript and native): ordinary assistant lines and lines
// meant to trip a byte-level scanner, each annotated with what the reader does with it.

export const SESSION = '33333333-3333-4333-8333-333333333333';
let uuidN = 0;
export const base = (extra: Record<string, unknown> = {}) => ({
  parentUuid: null,
  isSidechain: false,
  userType: 'external',
  cwd: '/w/app',
  sessionId: SESSION,
  version: '2.0.31',
  gitBranch: 'main',
  ...extra,
});
export const usage = (output: number, extra: Record<string, unknown> = {}) => ({
  input_tokens: 5,
  cache_creation_input_tokens: 100,
  cache_read_input_tokens: 2000,
  cache_creation: { ephemeral_5m_input_tokens: 60, ephemeral_1h_input_tokens: 40 },
  output_tokens: output,
  service_tier: 'standard',
  ...extra,
});
export function asst(id: string, out: number, o: { content?: unknown; msg?: Record<string, unknown>; top?: Record<string, unknown> } = {}): string {
  uuidN += 1;
  return JSON.stringify({
    ...base(),
    message: { model: 'claude-sonnet-4-5-20250929', id, type: 'message', role: 'assistant', content: o.content ?? [{ type: 'text', text: 'hi' }], stop_reason: null, stop_sequence: null, usage: usage(out), ...o.msg },
    requestId: `req_${id}`,
    type: 'assistant',
    uuid: `u-${uuidN}`,
    timestamp: `2026-11-20T10:00:${String(uuidN % 60).padStart(2, '0')}.000Z`,
    ...o.top,
  });
}

/** Lines meant to trip a byte-level scanner; each is annotated with what the reader does with it. */
export function hostileLines(): Array<string | Buffer> {
  const deep = (n: number): unknown => (n === 0 ? { usage: { input_tokens: 1, output_tokens: 1 } } : [deep(n - 1)]);
  const lines: Array<string | Buffer> = [
    JSON.stringify({ ...base(), type: 'user', message: { role: 'user', content: 'go' }, uuid: 'u-user-1', timestamp: '2026-11-20T09:59:00.000Z' }),
    asst('m1', 1), asst('m1', 2), asst('m1', 300), // one response over three lines
    asst('m2', 9, { content: [{ type: 'tool_use', id: 'toolu_1', name: 'Write', input: { usage: { input_tokens: 999999, output_tokens: 5 } } }], msg: { usage: undefined } }), // usage only inside a tool input
    asst('m3', 7, { content: [{ type: 'text', text: '"usage":{"input_tokens":5}, \\ "quoted" \u00e9\u4e2d' }] }),
    JSON.stringify({ ...base(), type: 'user', message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'ok' }] }, toolUseResult: { usage: { input_tokens: 50, output_tokens: 50 } }, uuid: 'u-user-2', timestamp: '2026-11-20T10:01:00.000Z' }),
    asst('m4', 4, { msg: { usage: undefined }, top: { x: { usage: { input_tokens: 7, output_tokens: 7 } } } }), // usage in a later top-level key only
    asst('m5', 8).replace('"usage":{', '"usage":{"input_tokens":1,"output_tokens":1},"usage":{'), // duplicate usage key: last wins
    asst('m6', 8).replace('"message":{', '"message":{"x":1},"message":{').replace(/"usage":\{[^}]*\{[^}]*\}[^}]*\}/, '"nousage":1'), // duplicate message
    asst('m7', 11).replace('"type":"assistant"', '"type":"assist\\u0061nt"'), // escaped type value
    asst('m8', 12).replace('"message":{', '"mess\\u0061ge":{'), // escaped key
    asst('m9', 13, { msg: { usage: usage(13, { output_tokens: '13' }) } }), // invalid-usage
    asst('m10', 14, { msg: { usage: usage(14, { input_tokens: -1 }) } }),
    asst('m11', 15, { msg: { usage: usage(15, { input_tokens: 1.5 }) } }),
    asst('m12', 16).replace('"output_tokens":16', '"output_tokens":1.6e1'),
    asst('m13', 17, { top: { costUSD: 0.0123 } }),
    asst('m14', 18, { top: { costUSD: -1 } }), // invalid-assistant
    asst('m15', 19, { content: [{ type: 'text', text: 'tab' }] }).replace('"tab"', '"t\tab"'), // raw tab: invalid JSON
    `${asst('m16', 20)}\r`,
    `\ufeff${asst('m17', 21)}`,
    Buffer.concat([Buffer.from(asst('m18', 22).slice(0, 200)), Buffer.from([0xff, 0xfe]), Buffer.from(asst('m18', 22).slice(200))]), // invalid UTF-8
    asst('m19', 23).slice(0, 300), // torn line in the middle
    asst('m20', 24).replace(/,"/g, ', "').replace(/":/g, '" : '), // whitespace
    asst('m21', 25, { content: [{ type: 'text', text: 'x' }] }).replace('"x"', '"\\x"'), // invalid escape
    asst('m22', 26, { content: [{ type: 'text', text: 'big '.repeat(2_600_000) }] }), // ~10 MB line
    asst('m23', 27).replace(/"timestamp":"[^"]*"/, '"timestamp":"2026-13-01T00:00:00.000Z"'),
    asst('m24', 28, { top: { isSidechain: 'yes' } }),
    asst('m25', 29, { content: ['text'] }),
    asst('m26', 30, { content: [{}] }),
    asst('m27', 31, { content: 'plain string content' }),
    asst('m28', 32, { msg: { id: null }, top: { requestId: undefined } }),
    asst('m29', 33, { top: { cwd: '' } }),
    asst('m30', 0, { msg: { model: '<synthetic>', usage: { input_tokens: 0, output_tokens: 0 } } }),
    asst('m31', 35, { msg: { usage: usage(35, { speed: 'fast' }) } }),
    asst('m32', 0, { msg: { usage: { input_tokens: 0, output_tokens: 0, server_tool_use: { web_search_requests: 2 } } } }),
    asst('m33', 37, { msg: { model: 'claude-\u00fc-\ud83d\ude00' } }),
    asst('m34', 38, { content: [{ type: 'text', text: 'x' }] }).replace('"x"', '"\\ud800"'), // lone surrogate escape: valid
    asst('m35', 39, { content: [{ type: 'tool_use', id: 't', name: 'n', input: { n: 1 } }] }).replace('"n":1', '"n":01'), // bad number
    asst('m36', 40, { msg: { usage: null } }),
    '["usage", 1]',
    asst('m37', 41, { content: [{ type: 'tool_use', id: 't', name: 'n', input: { v: true } }] }).replace('"v":true', '"v":tru'),
    asst('m38', 42, { content: [{ type: 'tool_use', id: 't2', name: 'deep', input: { d: deep(250) } }] }),
    JSON.stringify({ type: 'system', subtype: 'informational', usage: { input_tokens: 1 }, timestamp: '2026-11-20T10:02:00.000Z', uuid: 'u-sys' }),
    asst('m39', 43, { msg: { usage: usage(43, { cache_creation: { ephemeral_5m_input_tokens: 10, ephemeral_1h_input_tokens: null } }) } }),
    asst('m40', 44, { msg: { usage: usage(44, { cache_creation: [] }) } }),
    asst('m41', 45, { top: { isSidechain: true, agentId: 'a1' } }),
    asst('m42', 46, { top: { version: 3 } }), // invalid-assistant (version must be a string)
    asst('m43', 47, { content: [{ type: 'text', text: 'x' }, { type: 5 }] }),
    '',
    '   ',
    asst('m44', 48, { content: [{ type: 'text', text: 'esc \\"usage\\" \\\\' }] }),
    asst('m45', 49, { content: [{ type: 'text', text: 'ends with backslash \\' }] }),
    asst('m46', 50, { content: [{ type: 'thinking', thinking: 'hmm', signature: 's' }, { type: 'text', text: 'a\\"b' }] }),
  ];
  const dup = asst('m47', 51);
  lines.push(dup, dup); // exact duplicate line: the second is skipped (duplicate uuid)
  lines.push(asst('m48', 52).slice(0, 120)); // torn last line without newline
  return lines;
}

/** Writes `lines` as `<tmp>/projects/-w-app/<name>` (newline-separated; a final newline only when asked). */
export function writeLines(tmp: string, name: string, lines: Array<string | Buffer>, finalNewline = false): TranscriptFile {
  const path = join(tmp, 'projects', '-w-app', name);
  const parts: Buffer[] = [];
  lines.forEach((l, i) => {
    parts.push(typeof l === 'string' ? Buffer.from(l) : l);
    if (i < lines.length - 1 || finalNewline) parts.push(Buffer.from('\n'));
  });
  mkdirSync(join(tmp, 'projects', '-w-app'), { recursive: true });
  writeFileSync(path, Buffer.concat(parts));
  return describeClaudeTranscriptPath(path);
}
