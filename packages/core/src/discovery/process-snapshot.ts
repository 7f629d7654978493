import { closeSync, openSync, readdirSync, readFileSync, readlinkSync, readSync } from 'node:fs';
import { join } from 'node:path';
import psList from 'ps-list';
import type { ProcessInfo } from '../spec/agent-process.js';

/** One process of a snapshot: the spec's `ProcessInfo` plus the process group, where readable. */
export interface SnapshotProcess extends ProcessInfo {
  /** Process group id (`/proc/<pid>/stat` field 5); absent on the ps-list fallback. */
  pgid?: number;
}

/** A process table taken at one moment. `cwd` of each row is read lazily (on first access) and cached. */
export interface ProcessSnapshot {
  /** When the table was read. */
  readonly takenAt: Date;
  /** Where it came from: `/proc` on Linux, `ps-list` elsewhere. */
  readonly source: 'proc' | 'ps-list';
  /** Every process, by pid. */
  readonly processes: ReadonlyMap<number, SnapshotProcess>;
  /** Direct children of `pid`. */
  childrenOf(pid: number): readonly number[];
  /** Parent chain of `pid`, nearest first, excluding `pid` itself and pid 0. */
  ancestorsOf(pid: number): number[];
}

/** Options of `takeProcessSnapshot`. */
export interface ProcessSnapshotOptions {
  /** `auto` (default): `/proc` on Linux, ps-list elsewhere. */
  source?: 'auto' | 'proc' | 'ps-list';
  /** Root of the proc filesystem (tests point it at a fixture tree). Default `/proc`. */
  procRoot?: string;
  /** A table kept across polls (only new and watched pids are read); default a fresh one (everything read). */
  table?: ProcessTable;
  /** Passed to `ProcessTable.read` when `table` is given. */
  read?: ProcessTableReadOptions;
}

/**
 * Clock ticks per second of `/proc/<pid>/stat` start times. The kernel's USER_HZ is 100 on every mainstream
 * Linux architecture; Node cannot call `sysconf(_SC_CLK_TCK)`, so it is fixed here.
 */
const CLOCK_TICKS_PER_SECOND = 100;

const bootTimes = new Map<string, number>();

function bootTimeSeconds(procRoot: string): number | undefined {
  const cached = bootTimes.get(procRoot);
  if (cached !== undefined) return cached;
  try {
    const m = /^btime (\d+)$/m.exec(readFileSync(join(procRoot, 'stat'), 'latin1'));
    if (!m?.[1]) return undefined;
    const value = Number(m[1]);
    bootTimes.set(procRoot, value);
    return value;
  } catch {
    return undefined;
  }
}

/** Parses `/proc/<pid>/stat`: the comm sits in parentheses and may itself contain spaces and parentheses. */
export function parseProcStat(text: string): { name: string; ppid: number; pgid: number; startTicks: number } | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const rest = text.slice(close + 2).split(' ');
  // rest[0] is field 3 (state); ppid is field 4, pgrp field 5, starttime field 22.
  const ppid = Number(rest[1]);
  const pgid = Number(rest[2]);
  const startTicks = Number(rest[19]);
  if (!Number.isFinite(ppid) || !Number.isFinite(pgid) || !Number.isFinite(startTicks)) return null;
  return { name: text.slice(open + 1, close), ppid, pgid, startTicks };
}

function withLazyCwd(row: Omit<SnapshotProcess, 'cwd'>, read: () => string | undefined): SnapshotProcess {
  let done = false;
  let value: string | undefined;
  return Object.defineProperty(row, 'cwd', {
    enumerable: true,
    configurable: true,
    get() {
      if (!done) {
        done = true;
        value = read();
      }
      return value;
    },
    set(v: string | undefined) {
      done = true;
      value = v;
    },
  }) as SnapshotProcess;
}

/** One shared read buffer: /proc files are small, and reusing it keeps a poll free of allocations. */
const BUF = Buffer.allocUnsafe(64 * 1024);

function readSmall(path: string, encoding: 'latin1' | 'utf8'): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const n = readSync(fd, BUF, 0, BUF.length, 0);
    if (n < BUF.length) return BUF.toString(encoding, 0, n);
    // longer than the buffer (a huge argv): read it whole
    return readFileSync(path, encoding);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

interface CachedRow {
  row: SnapshotProcess;
  startTicks: number;
}

/** Options of one `ProcessTable.read`. */
export interface ProcessTableReadOptions {
  /** Re-read every process (argv, parent, group); otherwise only new pids and `watch` are read. */
  full?: boolean;
  /** Pids to re-read even when known (the agents: to notice a reused pid at once). */
  watch?: Iterable<number>;
}

/**
 * A `/proc` reader that remembers rows between polls: a pid seen before keeps its row (argv, parent, start time)
 * and costs nothing but its directory entry, unless it is watched or the read is `full`. A process that `exec`s
 * into an agent under the same pid is therefore seen at the next full read (the fleet does one every few polls).
 */
export class ProcessTable {
  private readonly cache = new Map<number, CachedRow>();

  constructor(private readonly procRoot = '/proc') {}

  /** Reads the table (see the class comment for what is re-read). */
  read(options: ProcessTableReadOptions = {}): Map<number, SnapshotProcess> {
    const procRoot = this.procRoot;
    const btime = bootTimeSeconds(procRoot);
    const watch = new Set(options.watch ?? []);
    const out = new Map<number, SnapshotProcess>();
    for (const entry of readdirSync(procRoot)) {
      const c = entry.charCodeAt(0);
      if (c < 48 || c > 57) continue;
      const pid = Number(entry);
      if (!Number.isInteger(pid) || pid <= 0) continue;
      const known = this.cache.get(pid);
      if (known && !options.full && !watch.has(pid)) {
        out.set(pid, known.row);
        continue;
      }
      const dir = join(procRoot, entry);
      const statText = readSmall(join(dir, 'stat'), 'latin1');
      const stat = statText === undefined ? null : parseProcStat(statText);
      if (!stat) continue; // exited between readdir and read
      if (known && known.startTicks === stat.startTicks && !options.full) {
        // the same process, re-read because it is watched: keep its row (argv, lazily read cwd), update the rest
        known.row.ppid = stat.ppid;
        known.row.pgid = stat.pgid;
        known.row.name = stat.name;
        out.set(pid, known.row);
        continue;
      }
      let argv: string[];
      {
        const raw = readSmall(join(dir, 'cmdline'), 'utf8') ?? '';
        argv = raw.length === 0 ? [] : raw.split('\0');
        if (argv.length > 0 && argv[argv.length - 1] === '') argv.pop();
      }
      const startedAt =
        btime === undefined ? undefined : new Date((btime + stat.startTicks / CLOCK_TICKS_PER_SECOND) * 1000).toISOString();
      const row = withLazyCwd(
        { pid, ppid: stat.ppid, name: stat.name, argv, pgid: stat.pgid, ...(startedAt ? { startedAt } : {}) },
        () => {
          try {
            return readlinkSync(join(dir, 'cwd'));
          } catch {
            return undefined;
          }
        },
      );
      // Kernel threads and zombies have no cmdline yet/any more: read them again next time.
      if (argv.length > 0) this.cache.set(pid, { row, startTicks: stat.startTicks });
      else this.cache.delete(pid);
      out.set(pid, row);
    }
    for (const pid of this.cache.keys()) if (!out.has(pid)) this.cache.delete(pid);
    return out;
  }
}

async function readPsList(): Promise<Map<number, SnapshotProcess>> {
  const out = new Map<number, SnapshotProcess>();
  for (const p of await psList()) {
    out.set(p.pid, {
      pid: p.pid,
      ppid: p.ppid,
      name: p.name,
      // ps joins argv with spaces: this split is lossy for arguments that contain spaces.
      argv: p.cmd ? p.cmd.split(' ').filter((s) => s.length > 0) : [p.name],
      ...(p.startTime ? { startedAt: p.startTime.toISOString() } : {}),
    });
  }
  return out;
}

/** Builds a snapshot over an already-read table (used by the readers and by tests). */
export function snapshotFromProcesses(
  processes: Map<number, SnapshotProcess>,
  source: ProcessSnapshot['source'],
  takenAt = new Date(),
): ProcessSnapshot {
  const children = new Map<number, number[]>();
  for (const p of processes.values()) {
    const list = children.get(p.ppid);
    if (list) list.push(p.pid);
    else children.set(p.ppid, [p.pid]);
  }
  return {
    takenAt,
    source,
    processes,
    childrenOf: (pid) => children.get(pid) ?? [],
    ancestorsOf(pid) {
      const chain: number[] = [];
      const guard = new Set<number>([pid]);
      let cur = processes.get(pid)?.ppid;
      while (cur !== undefined && cur > 0 && !guard.has(cur)) {
        chain.push(cur);
        guard.add(cur);
        cur = processes.get(cur)?.ppid;
      }
      return chain;
    },
  };
}

/**
 * Reads the process table once. On Linux it reads `/proc` directly, without any subprocess: `stat` and `cmdline`
 * of each process (with a kept `table`, only of new and watched pids) and a lazy `cwd` readlink; elsewhere it makes
 * one ps-list call.
 */
export async function takeProcessSnapshot(options: ProcessSnapshotOptions = {}): Promise<ProcessSnapshot> {
  const source = options.source ?? 'auto';
  const useProc = source === 'proc' || (source === 'auto' && process.platform === 'linux');
  const takenAt = new Date();
  if (useProc) {
    const table = options.table ?? new ProcessTable(options.procRoot ?? '/proc');
    return snapshotFromProcesses(table.read(options.read), 'proc', takenAt);
  }
  return snapshotFromProcesses(await readPsList(), 'ps-list', takenAt);
}
