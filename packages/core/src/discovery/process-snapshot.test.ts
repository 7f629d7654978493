import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseProcStat, takeProcessSnapshot } from './process-snapshot.js';

const statLine = (pid: number, comm: string, ppid: number, pgid: number, start: number) =>
  `${pid} (${comm}) S ${ppid} ${pgid} ${pgid} 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 ${start} 1000 100 18446744073709551615\n`;

describe('parseProcStat', () => {
  it('reads ppid, pgid and start ticks past a comm with spaces and parentheses', () => {
    expect(parseProcStat(statLine(42, 'my (weird) name', 7, 40, 12345))).toEqual({ name: 'my (weird) name', ppid: 7, pgid: 40, startTicks: 12345 });
  });
  it('rejects garbage', () => {
    expect(parseProcStat('nonsense')).toBeNull();
  });
});

describe('takeProcessSnapshot from a /proc tree', () => {
  const root = mkdtempSync(join(tmpdir(), 'amx-proc-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  writeFileSync(join(root, 'stat'), 'cpu  1 2 3\nbtime 1700000000\nprocesses 5\n');
  const mk = (pid: number, comm: string, ppid: number, argv: string[], cwd?: string) => {
    const dir = join(root, String(pid));
    mkdirSync(dir);
    writeFileSync(join(dir, 'stat'), statLine(pid, comm, ppid, pid, 250));
    writeFileSync(join(dir, 'cmdline'), argv.length ? `${argv.join('\0')}\0` : '');
    if (cwd) symlinkSync(cwd, join(dir, 'cwd'));
  };
  mk(1, 'init', 0, ['/sbin/init']);
  mk(10, 'bash', 1, ['bash']);
  mk(11, 'node', 10, ['node', '/opt/claude/cli.js', '--session-id', 'a b'], '/work/proj');
  mk(12, 'node', 11, ['node', '/opt/claude/cli.js', '-p', 'x']);
  mk(13, 'kworker/0:1', 2, []);
  mkdirSync(join(root, 'self'));

  it('reads argv exactly (spaces kept), start time from btime + ticks, and cwd lazily', async () => {
    const snap = await takeProcessSnapshot({ source: 'proc', procRoot: root });
    expect(snap.source).toBe('proc');
    const p = snap.processes.get(11);
    expect(p?.argv).toEqual(['node', '/opt/claude/cli.js', '--session-id', 'a b']);
    expect(p?.startedAt).toBe(new Date((1700000000 + 2.5) * 1000).toISOString());
    expect(p?.pgid).toBe(11);
    expect(p?.cwd).toBe('/work/proj');
    expect(snap.processes.get(12)?.cwd).toBeUndefined();
    expect(snap.processes.get(13)?.argv).toEqual([]);
  });

  it('answers children and ancestor chains', async () => {
    const snap = await takeProcessSnapshot({ source: 'proc', procRoot: root });
    expect(snap.childrenOf(10)).toEqual([11]);
    expect(snap.ancestorsOf(12)).toEqual([11, 10, 1]);
  });
});

describe.runIf(process.platform === 'linux')('takeProcessSnapshot of this machine', () => {
  it('finds this test process with its real argv, cwd and a start time in the past', async () => {
    const snap = await takeProcessSnapshot();
    const me = snap.processes.get(process.pid);
    expect(me?.argv).toContain(process.argv[1]);
    expect(me?.ppid).toBe(process.ppid);
    expect(me?.cwd).toBe(process.cwd());
    const started = Date.parse(me?.startedAt ?? '');
    expect(started).toBeLessThanOrEqual(Date.now());
    expect(Date.now() - started).toBeLessThan(10 * 60_000);
  });
});
