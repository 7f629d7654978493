import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackendError, InvalidArgumentError, NotFoundError, UnsupportedCapabilityError } from '../errors/index.js';
import { isSameProcessAlive, processStartTicks } from '@agentmux/testkit';
import { createPtyBackend, type PtyBackend } from './pty-backend.js';
import { nastyTexts, userTexts, waitFor } from './__fixtures__/wait-for.js';

const fixture = (name: string) => fileURLToPath(new URL(`./__fixtures__/${name}`, import.meta.url));
const ARGV_DUMP = fixture('argv-dump.mjs');
const FAKE_AGENT = fixture('fake-agent.mjs');

let dir: string;
let backend: PtyBackend;
let n = 0;
const nextName = () => `p${n++}`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'amx-pty-'));
  backend = createPtyBackend({ ringBytes: 64 * 1024 });
});

afterAll(async () => {
  await backend[Symbol.asyncDispose]();
  rmSync(dir, { recursive: true, force: true });
});

describe('pty backend', () => {
  it('starts the command with argv, cwd and env byte-exact; nothing executes', async () => {
    const canary = join(dir, 'canary-start');
    const cwd = join(dir, 'odd dir ;$x');
    mkdirSync(cwd);
    const out = join(dir, 'argv.json');
    const args = ['; rm -rf ~', `$(touch ${canary})`, 'a;', '', 'two\nlines', 'héllo 🚀', `'"`];
    const name = nextName();
    await backend.start({ name, command: 'node', args: [ARGV_DUMP, ...args], cwd, env: { ARGV_OUT: out, ARGV_DUMP_X: `$(touch ${canary})` } });
    await waitFor(() => existsSync(out), 'argv dump');
    const dumped = JSON.parse(readFileSync(out, 'utf8')) as { argv: string[]; cwd: string; env: Record<string, string> };
    expect(dumped).toEqual({ argv: args, cwd, env: { ARGV_DUMP_X: `$(touch ${canary})` } });
    expect(existsSync(canary)).toBe(false);
    await backend.kill(name, { graceMs: 500 });
  });

  it('types literal text and bracketed pastes byte-exact into the app', async () => {
    const home = join(dir, 'fh1');
    const canary = join(dir, 'canary-type');
    const name = nextName();
    await backend.start({ name, command: 'node', args: [FAKE_AGENT, '--session-id', 's1'], cwd: dir, env: { FAKE_HOME: home, FAKE_WORK_MS: '0' } });
    await waitFor(async () => (await backend.capture(name)).includes('fake agent s1'), 'fake agent');
    expect(await backend.bracketedPaste(name)).toBe(true);
    const texts = nastyTexts(canary);
    const file = join(home, 'sessions/s1.jsonl');
    for (const [i, text] of texts.entries()) {
      if (text.includes('\n') || text.length > 200) await backend.paste!(name, text);
      else await backend.sendText(name, text);
      await backend.sendKeys(name, ['Enter']);
      await waitFor(() => existsSync(file) && userTexts(readFileSync(file, 'utf8')).length > i, `turn ${i}`);
    }
    expect(userTexts(readFileSync(file, 'utf8'))).toEqual(texts);
    expect(existsSync(canary)).toBe(false);
    await backend.kill(name, { graceMs: 1000 });
  });

  it('models the screen (cursor moves, line clears) and keeps scrollback, raw output and a log', async () => {
    const name = nextName();
    const logFile = join(dir, 'logs', 'p.log');
    const script = 'for (let i = 0; i < 50; i++) console.log("row " + i); process.stdout.write("abc\\x1b[2K\\rxyz"); setInterval(() => {}, 1e9)';
    await backend.start({ name, command: 'node', args: ['-e', script], cwd: dir, rows: 10, cols: 40, logFile });
    await waitFor(async () => (await backend.capture(name)).includes('xyz'), 'output');
    const screen = await backend.capture(name);
    expect(screen).toContain('row 49\nxyz');
    expect(screen).not.toContain('abc');
    expect(screen).not.toContain('row 10\n');
    expect(await backend.capture(name, { scrollback: 100 })).toContain('row 10\n');
    expect(backend.recentOutput(name)).toContain('abc\x1b[2K\rxyz');
    await waitFor(() => existsSync(logFile) && readFileSync(logFile, 'utf8').includes('xyz'), 'log');
    await expect(backend.capture(name, { ansi: true })).rejects.toSatisfy(UnsupportedCapabilityError.isInstance);
    await backend.resize!(name, 30, 8);
    await backend.kill(name, { graceMs: 500 });
  });

  it('reports exit codes and refuses to type into an exited session', async () => {
    const name = nextName();
    await backend.start({ name, command: 'node', args: [ARGV_DUMP], cwd: dir, env: { ARGV_EXIT: '9' } });
    await waitFor(async () => !(await backend.isAlive(name)), 'exit');
    expect((await backend.list()).find((s) => s.name === name)).toMatchObject({ alive: false, exitCode: 9 });
    await expect(backend.sendText(name, 'x')).rejects.toSatisfy(BackendError.isInstance);
    await backend.kill(name);
    await expect(backend.sendText(name, 'x')).rejects.toSatisfy(NotFoundError.isInstance);
  });

  it('kills the process group, escalating to SIGKILL', async () => {
    const name = nextName();
    const info = await backend.start({ name, command: 'node', args: [ARGV_DUMP], cwd: dir, env: { ARGV_IGNORE_TERM: '1' } });
    await waitFor(async () => (await backend.capture(name)).includes('ready'), 'ready');
    const ticks = processStartTicks(info.pid!);
    await backend.kill(name, { graceMs: 200 });
    expect(isSameProcessAlive(info.pid!, ticks)).toBe(false);
    expect(await backend.list()).not.toContainEqual(expect.objectContaining({ name }));
  });

  it('streams output until aborted', async () => {
    const name = nextName();
    await backend.start({ name, command: 'node', args: [FAKE_AGENT, '--session-id', 'st'], cwd: dir, env: { FAKE_HOME: join(dir, 'fh2') } });
    await waitFor(async () => (await backend.capture(name)).includes('fake agent st'), 'start');
    const controller = new AbortController();
    let seen = '';
    const reading = (async () => {
      for await (const chunk of backend.stream!(name, controller.signal)) {
        seen += chunk;
        if (seen.includes('marker-xyz')) controller.abort();
      }
    })();
    await backend.sendText(name, 'marker-xyz');
    await reading;
    expect(seen).toContain('marker-xyz');
    await backend.kill(name, { graceMs: 500 });
  });

  it('validates input', async () => {
    await expect(backend.start({ name: '../x', command: 'node', args: [], cwd: dir })).rejects.toSatisfy(InvalidArgumentError.isInstance);
    await expect(backend.start({ name: nextName(), command: 'node', args: ['\0'], cwd: dir })).rejects.toThrow(/NUL/);
    await expect(backend.sendText('missing', 'x')).rejects.toSatisfy(NotFoundError.isInstance);
  });
});
