import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { takeProcessSnapshot } from './process-snapshot.js';
import { capturePanes, findPaneForPid, listTmuxPanes, parseListPanes, sendEscape } from './tmux-panes.js';

describe('parseListPanes', () => {
  it('parses tab-separated rows and skips junk', () => {
    const out = parseListPanes('123\t%4\twork:1.0\t/tmp/s\twork\nbad line\n0\t%1\tx:0.0\t/tmp/s\tx\n');
    expect(out).toEqual([{ panePid: 123, paneId: '%4', target: 'work:1.0', socketPath: '/tmp/s', sessionName: 'work' }]);
  });
});

const hasTmux = (() => {
  try {
    execFileSync('tmux', ['-V']);
    return true;
  } catch {
    return false;
  }
})();

describe.runIf(hasTmux)('tmux panes on a private server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'amx-tmux-'));
  const socket = join(dir, 'sock');
  const tmux = (...args: string[]) => execFileSync('tmux', ['-S', socket, ...args], { encoding: 'utf8' });
  let shellPid = 0;

  beforeAll(() => {
    // pane 1: a shell that runs a child (the "agent") so that the match goes through an ancestor
    shellPid = Number(tmux('new-session', '-d', '-P', '-F', '#{pane_pid}', '-s', 'alpha', '-x', '80', '-y', '10', 'sh', '-c', 'echo hello-alpha; sleep 60; true').trim());
    tmux('new-session', '-d', '-s', 'beta', '-x', '80', '-y', '10', 'sh', '-c', 'echo hello-beta; exec sleep 60');
  });
  afterAll(() => {
    try {
      tmux('kill-server');
    } catch {
      // already gone
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists panes of the configured socket with one call, and a missing server gives no error', async () => {
    const { panes, errors } = await listTmuxPanes({ includeDefault: false, sockets: [socket, join(dir, 'nope')] });
    expect(errors).toEqual([]);
    expect(panes.map((p) => p.target).sort()).toEqual(['alpha:0.0', 'beta:0.0']);
    expect(panes.every((p) => p.socketPath === socket && /^%\d+$/.test(p.paneId))).toBe(true);
  });

  it('finds the pane of a process through its ancestors', async () => {
    const { panes } = await listTmuxPanes({ includeDefault: false, sockets: [socket] });
    const snap = await takeProcessSnapshot();
    const child = snap.childrenOf(shellPid).find((pid) => snap.processes.get(pid)?.name === 'sleep');
    expect(child).toBeDefined();
    const pane = findPaneForPid(child as number, snap, new Map(panes.map((p) => [p.panePid, p])));
    expect(pane?.target).toBe('alpha:0.0');
    expect(findPaneForPid(process.pid, snap, new Map(panes.map((p) => [p.panePid, p])))).toBeUndefined();
  });

  it('captures several panes in one call, and survives a vanished pane', async () => {
    const { panes } = await listTmuxPanes({ includeDefault: false, sockets: [socket] });
    const ids = panes.map((p) => p.paneId);
    const texts = await capturePanes(socket, ids);
    const byTarget = new Map(panes.map((p) => [p.target, texts.get(p.paneId) ?? '']));
    expect(byTarget.get('alpha:0.0')).toContain('hello-alpha');
    expect(byTarget.get('beta:0.0')).toContain('hello-beta');
    expect(byTarget.get('alpha:0.0')).not.toContain('hello-beta');
    const partial = await capturePanes(socket, [...ids, '%999']);
    expect(partial.size).toBe(2);
  });

  it('sends Escape to a pane without error', async () => {
    const { panes } = await listTmuxPanes({ includeDefault: false, sockets: [socket] });
    await expect(sendEscape(panes[0] as (typeof panes)[number])).resolves.toBeUndefined();
  });
});
