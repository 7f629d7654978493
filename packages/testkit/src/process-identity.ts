import { readFileSync } from 'node:fs';

/**
 * Start time of a process in clock ticks since boot (`/proc/<pid>/stat` field 22), or `null` when it is gone or
 * unreadable. Pids wrap quickly on a busy machine (`pid_max` is often 32768): a pid plus its start time names one
 * process for good.
 */
export function processStartTicks(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: fields after it start past the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const state = rest[0];
    if (state === 'Z' || state === 'X') return null; // a zombie has exited; only its parent's bookkeeping is left
    const ticks = Number(rest[19]);
    return Number.isFinite(ticks) ? ticks : null;
  } catch {
    return null;
  }
}

/** True while the process that had `startTicks` (from {@link processStartTicks}) is still running. */
export function isSameProcessAlive(pid: number, startTicks: number | null): boolean {
  return startTicks !== null && processStartTicks(pid) === startTicks;
}
