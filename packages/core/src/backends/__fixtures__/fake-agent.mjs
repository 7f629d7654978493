#!/usr/bin/env node
// A tiny interactive "agent" for backend and lifecycle tests. It enables bracketed paste, reads keys in raw
// mode, and on Enter records the exact submitted text in a JSONL transcript:
//   $FAKE_HOME/sessions/<sessionId>.jsonl  lines: {type:'meta'|'user'|'assistant', ...}
// Flags: --session-id <id> | --resume <id> | --fork-from <id> [--session-id <new>], --model <m>.
// Env: FAKE_HOME (required), FAKE_WORK_MS (default 200), FAKE_NO_BRACKETED=1, FAKE_DROP_FIRST_ENTER=1,
//      FAKE_TOOL (tool name to record per turn), FAKE_EXIT_AFTER_TURNS=n, FAKE_CONTEXT (prompt tokens per reply).
import { randomUUID } from 'node:crypto';
import { appendFileSync, copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const home = process.env.FAKE_HOME;
if (!home) {
  process.stderr.write('FAKE_HOME is not set\n');
  process.exit(64);
}
const dir = join(home, 'sessions');
mkdirSync(dir, { recursive: true });
const resumeId = flag('--resume');
const forkFrom = flag('--fork-from');
const sessionId = resumeId ?? flag('--session-id') ?? randomUUID();
const file = join(dir, `${sessionId}.jsonl`);
if (forkFrom && existsSync(join(dir, `${forkFrom}.jsonl`))) copyFileSync(join(dir, `${forkFrom}.jsonl`), file);
const write = (rec) => appendFileSync(file, `${JSON.stringify({ ...rec, sessionId, ts: new Date().toISOString() })}\n`);
let metaWritten = existsSync(file);
const ensureMeta = () => {
  if (!metaWritten) write({ type: 'meta', cwd: process.cwd(), model: flag('--model') ?? 'fake-1' });
  metaWritten = true;
};
if (resumeId || forkFrom) ensureMeta();

const workMs = Number(process.env.FAKE_WORK_MS ?? 200);
let dropEnter = process.env.FAKE_DROP_FIRST_ENTER === '1';
const exitAfter = Number(process.env.FAKE_EXIT_AFTER_TURNS ?? 0);
let turns = 0;
let input = '';
let pending = '';
let inPaste = false;
let working = false;
const queue = [];

const out = (s) => process.stdout.write(s);
const render = () => {
  const lines = input.split('\n');
  const last = lines[lines.length - 1] ?? '';
  const prefix = lines.length > 1 ? `[${lines.length} lines] ` : '';
  out(`\r\x1b[2K${working ? '* Working... ' : ''}> ${prefix}${last}`);
};

const finishTurn = (text) => {
  if (process.env.FAKE_TOOL) write({ type: 'tool', name: process.env.FAKE_TOOL, input: 'same' });
  write({ type: 'assistant', text: `ok ${Buffer.byteLength(text)} bytes`, tokens: 10, context: Number(process.env.FAKE_CONTEXT ?? 0) });
  out(`\r\x1b[2Kassistant: ok ${Buffer.byteLength(text)} bytes\r\n`);
  turns += 1;
  if (exitAfter > 0 && turns >= exitAfter) process.exit(0);
  const next = queue.shift();
  if (next !== undefined) startTurn(next);
  else {
    working = false;
    render();
  }
};

const startTurn = (text) => {
  working = true;
  ensureMeta();
  write({ type: 'user', text });
  out(`\r\x1b[2Kuser: ${text.split('\n')[0].slice(0, 60)}\r\n`);
  render();
  setTimeout(() => finishTurn(text), workMs);
};

const submit = () => {
  if (dropEnter) {
    dropEnter = false;
    return;
  }
  const text = input;
  input = '';
  if (text.trim() === '') return render();
  if (working) queue.push(text);
  else startTurn(text);
  render();
};

const START = '\x1b[200~';
const END = '\x1b[201~';
const handle = (chunk) => {
  pending += chunk;
  while (pending.length > 0) {
    if (inPaste) {
      const end = pending.indexOf(END);
      if (end < 0) {
        const keep = Math.min(pending.length, END.length - 1);
        const safe = pending.length - keep;
        input += pending.slice(0, safe).replace(/\r/g, '\n');
        pending = pending.slice(safe);
        if (safe === 0) break;
        continue;
      }
      input += pending.slice(0, end).replace(/\r/g, '\n');
      pending = pending.slice(end + END.length);
      inPaste = false;
      continue;
    }
    const c = pending[0];
    if (c === '\x1b') {
      if (pending.startsWith(START)) {
        inPaste = true;
        pending = pending.slice(START.length);
        continue;
      }
      if (START.startsWith(pending)) break; // wait for more bytes
      const m = /^\x1b\[[0-9;]*[A-Za-z~]/.exec(pending);
      if (m) pending = pending.slice(m[0].length);
      else if (pending.length < 3) break;
      else pending = pending.slice(1);
      continue;
    }
    pending = pending.slice(1);
    if (c === '\r') submit();
    else if (c === '\x03') process.exit(130);
    else if (c === '\x7f') input = input.slice(0, -1);
    else if (c === '\x15') input = '';
    else input += c;
  }
  render();
};

if (process.stdin.isTTY) process.stdin.setRawMode(true);
process.stdin.setEncoding('utf8');
process.stdin.on('data', handle);
process.on('SIGTERM', () => process.exit(143));
if (process.env.FAKE_NO_BRACKETED !== '1') out('\x1b[?2004h');
out(`fake agent ${sessionId}\r\n`);
render();
