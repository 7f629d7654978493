import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackendError, InvalidArgumentError, NotFoundError } from '../errors/index.js';
import { isSameProcessAlive, processStartTicks } from '@agentmux/testkit';
import { createTmuxBackend, type TmuxBackend } from './tmux-backend.js';
import { nastyTexts, userTexts, waitFor } from './__fixtures__/wait-for.js';

const fixture = (name: string) => fileURLToPath(new URL(`./__fixtures__/${name}`, import.meta.url));
const ARGV_DUMP = fixture('argv-dump.mjs');
const FAKE_AGENT = fixture('fake-agent.mjs');

let dir: string;
let backend: TmuxBackend;
let n = 0;
const nextName = () => `t${process.pid}-${n++}`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'amx-tmux-'));
  backend = createTmuxBackend({ stateDir: dir, killServerOnDispose: true });
});

afterAll(async () => {
  await backend[Symbol.asyncDispose]();
  rmSync(dir, { recursive: true, force: true });
});

describe('tmux backend: start', () => {
  it('starts the command directly: argv, cwd and env arrive byte-exact and nothing executes', async () => {
    const canary = join(dir, 'canary-start');
    const cwd = join(dir, 'odd dir #{pane_pid};x');
    mkdirSync(cwd);
    const out = join(dir, 'argv1.json');
    const args = ['; rm -rf ~', `$(touch ${canary})`, `\`touch ${canary}\``, 'a;', ';', 'a\\;', 'a\\\\;', '{', '}', '~', '$HOME', '#{pane_pid}', '#(id)', '-x', '', 'two\nlines', 'héllo 🚀', `'"`];
    const env = { ARGV_OUT: out, ARGV_DUMP_A: 'v;', ARGV_DUMP_B: `$(touch ${canary})`, ARGV_DUMP_C: 'x\ny' };
    const name = nextName();
    const info = await backend.start({ name, command: 'node', args: [ARGV_DUMP, ...args], cwd, env });
    expect(info).toMatchObject({ name, backend: 'tmux', alive: true });
    expect(info.pid).toBeGreaterThan(0);
    await waitFor(() => existsSync(out), 'argv dump');
    const dumped = JSON.parse(readFileSync(out, 'utf8')) as { argv: string[]; cwd: string; env: Record<string, string> };
    expect(dumped.argv).toEqual(args);
    expect(dumped.cwd).toBe(cwd);
    expect(dumped.env).toEqual({ ARGV_DUMP_A: 'v;', ARGV_DUMP_B: `$(touch ${canary})`, ARGV_DUMP_C: 'x\ny' });
    expect(existsSync(canary)).toBe(false);
    await backend.kill(name, { graceMs: 500 });
  });

  it('runs a command given without arguments as an executable, not a shell string', async () => {
    const out = join(dir, 'argv2.json');
    const name = nextName();
    await backend.start({ name, command: ARGV_DUMP, args: [], cwd: dir, env: { ARGV_OUT: out, ARGV_EXIT: '0' } });
    await waitFor(() => existsSync(out), 'argv dump');
    expect(JSON.parse(readFileSync(out, 'utf8')).argv).toEqual([]);
    await backend.kill(name);
  });

  it('keeps a dead pane so its exit code can be read', async () => {
    const name = nextName();
    await backend.start({ name, command: 'node', args: [ARGV_DUMP], cwd: dir, env: { ARGV_EXIT: '7' } });
    const info = await waitFor(async () => {
      const i = await backend.info(name);
      return i && !i.alive ? i : null;
    }, 'pane death');
    // tmux records the status unless another pane starts at the same moment (a tmux 3.3a race): then null.
    expect([7, null]).toContain(info.exitCode);
    expect(await backend.isAlive(name)).toBe(false);
    await backend.kill(name);
    expect(await backend.info(name)).toBeNull();
  });

  it('refuses bad names, NUL bytes, relative or missing cwd, unsafe log paths and duplicate sessions', async () => {
    const base = { command: 'node', args: [ARGV_DUMP], cwd: dir };
    await expect(backend.start({ ...base, name: 'bad name' })).rejects.toSatisfy(InvalidArgumentError.isInstance);
    await expect(backend.start({ ...base, name: nextName(), args: ['a\0b'] })).rejects.toThrow(/start\.args\[0\].*NUL/);
    await expect(backend.start({ ...base, name: nextName(), cwd: 'rel' })).rejects.toThrow(/start\.cwd.*not absolute/);
    await expect(backend.start({ ...base, name: nextName(), cwd: join(dir, 'missing') })).rejects.toThrow(/not an existing directory/);
    await expect(backend.start({ ...base, name: nextName(), logFile: join(dir, "x'; touch y; '.log") })).rejects.toThrow(/start\.logFile/);
    await expect(backend.start({ ...base, name: nextName(), env: { 'BAD-KEY': 'x' } })).rejects.toThrow(/start\.env\.BAD-KEY/);
    const name = nextName();
    await backend.start({ ...base, name });
    await expect(backend.start({ ...base, name })).rejects.toSatisfy(BackendError.isInstance);
    await backend.kill(name, { graceMs: 500 });
  });
});

describe('tmux backend: typing', () => {
  it('delivers literal keys and bracketed pastes byte-exact to the app; nothing executes', async () => {
    const home = join(dir, 'fake-home-1');
    const canary = join(dir, 'canary-type');
    const name = nextName();
    await backend.start({ name, command: 'node', args: [FAKE_AGENT, '--session-id', 's1'], cwd: dir, env: { FAKE_HOME: home, FAKE_WORK_MS: '0' } });
    await waitFor(async () => (await backend.capture(name)).includes('fake agent s1'), 'fake agent start');
    const texts = nastyTexts(canary);
    for (const text of texts) {
      if (text.includes('\n') || text.length > 200) await backend.paste!(name, text);
      else await backend.sendText(name, text);
      await backend.sendKeys(name, ['Enter']);
      await waitFor(() => existsSync(join(home, 'sessions/s1.jsonl')) && userTexts(readFileSync(join(home, 'sessions/s1.jsonl'), 'utf8')).length > texts.indexOf(text), 'turn');
    }
    expect(userTexts(readFileSync(join(home, 'sessions/s1.jsonl'), 'utf8'))).toEqual(texts);
    expect(existsSync(canary)).toBe(false);
    await backend.kill(name, { graceMs: 1000 });
  });

  it('sends long literal text in chunks below the tmux message limit', async () => {
    const home = join(dir, 'fake-home-2');
    const name = nextName();
    await backend.start({ name, command: 'node', args: [FAKE_AGENT, '--session-id', 's2'], cwd: dir, env: { FAKE_HOME: home, FAKE_WORK_MS: '0' } });
    await waitFor(async () => (await backend.capture(name)).includes('fake agent s2'), 'fake agent start');
    const text = 'é'.repeat(9000) + 'end';
    await backend.sendText(name, text);
    await backend.sendKeys(name, ['Enter']);
    const file = join(home, 'sessions/s2.jsonl');
    await waitFor(() => existsSync(file) && userTexts(readFileSync(file, 'utf8')).length === 1, 'turn');
    expect(userTexts(readFileSync(file, 'utf8'))).toEqual([text]);
    await backend.kill(name, { graceMs: 1000 });
  });
});

describe('tmux backend: screen, log, list, kill', () => {
  it('captures the screen with scrollback, pipes output to the log file, streams and resizes', async () => {
    const name = nextName();
    const logFile = join(dir, 'logs', `${name}.log`);
    await backend.start({ name, command: 'node', args: ['-e', 'for (let i = 0; i < 100; i++) console.log("row " + i); setInterval(() => {}, 1e9)'], cwd: dir, logFile, rows: 20 });
    await waitFor(async () => (await backend.capture(name)).includes('row 99'), 'output');
    const visible = await backend.capture(name);
    expect(visible).not.toContain('row 10\n');
    expect(await backend.capture(name, { scrollback: 200 })).toContain('row 10\n');
    await waitFor(() => existsSync(logFile) && readFileSync(logFile, 'utf8').includes('row 99'), 'log file');
    expect((await backend.info(name))?.logFile).toBe(logFile);
    await backend.resize!(name, 60, 10);
    const size = await backend.run(['display-message', '-p', '-t', `=${name}:`, '#{pane_width}x#{pane_height}']);
    expect(size.trim()).toBe('60x10');
    await backend.kill(name, { graceMs: 500 });
  });

  it('lists only its own sessions', async () => {
    const name = nextName();
    await backend.start({ name, command: 'node', args: [ARGV_DUMP], cwd: dir });
    await backend.run(['new-session', '-d', '-s', 'not-ours', '--', 'node', ARGV_DUMP]);
    const names = (await backend.list()).map((s) => s.name);
    expect(names).toContain(name);
    expect(names).not.toContain('not-ours');
    await backend.run(['kill-session', '-t', '=not-ours']);
    await backend.kill(name, { graceMs: 500 });
  });

  it('kills the whole process group, forcing SIGKILL when SIGTERM is ignored', async () => {
    const name = nextName();
    const childPidFile = join(dir, `${name}.child`);
    const script = `const { spawn } = require('child_process'); const c = spawn('node', ['-e', 'process.on("SIGTERM", () => {}); setInterval(() => {}, 1e9)'], { stdio: 'ignore' }); require('fs').writeFileSync(${JSON.stringify(childPidFile)}, String(c.pid)); process.on('SIGTERM', () => {}); setInterval(() => {}, 1e9);`;
    const info = await backend.start({ name, command: 'node', args: ['-e', script], cwd: dir });
    const childPid = Number(await waitFor(() => existsSync(childPidFile) && readFileSync(childPidFile, 'utf8'), 'child pid'));
    const paneTicks = processStartTicks(info.pid!);
    const childTicks = processStartTicks(childPid);
    await new Promise((r) => setTimeout(r, 200));
    await backend.kill(name, { graceMs: 300 });
    expect(isSameProcessAlive(info.pid!, paneTicks)).toBe(false);
    await waitFor(() => !isSameProcessAlive(childPid, childTicks), 'child gone', 3000);
    expect(await backend.info(name)).toBeNull();
    await expect(backend.kill(name)).rejects.toSatisfy(NotFoundError.isInstance);
  });

  it('never touches the default server: every call carries the private socket', async () => {
    expect(backend.socketArgs).toEqual(['-S', join(dir, 'tmux.sock')]);
    const name = nextName();
    await backend.start({ name, command: 'node', args: [ARGV_DUMP], cwd: dir });
    const socket = await backend.run(['display-message', '-p', '-t', `=${name}:`, '#{socket_path}']);
    expect(socket.trim()).toBe(join(dir, 'tmux.sock'));
    await backend.kill(name, { graceMs: 500 });
  });

  it('streams output appended to the log from now on, until the session ends', async () => {
    const name = nextName();
    const logFile = join(dir, 'logs', `${name}.log`);
    await backend.start({ name, command: 'node', args: [FAKE_AGENT, '--session-id', 'st'], cwd: dir, logFile, env: { FAKE_HOME: join(dir, 'fh-stream'), FAKE_WORK_MS: '0' } });
    await waitFor(async () => (await backend.capture(name)).includes('fake agent st'), 'start');
    const controller = new AbortController();
    let seen = '';
    const reading = (async () => {
      for await (const chunk of backend.stream!(name, controller.signal)) {
        seen += chunk;
        if (seen.includes('streamed-marker')) controller.abort();
      }
    })();
    await new Promise((r) => setTimeout(r, 100));
    await backend.sendText(name, 'streamed-marker');
    await reading;
    expect(seen).toContain('streamed-marker');
    expect(seen).not.toContain('fake agent st');
    await backend.kill(name, { graceMs: 500 });
  });
});
