import psList from 'ps-list';

/** Options for {@link terminateProcessTree}. */
export interface TerminateOptions {
  /** First signal (default `SIGTERM`). */
  signal?: NodeJS.Signals;
  /** Wait this long for the process to go before `SIGKILL` (default 3000 ms). */
  graceMs?: number;
  /** Returns true once the process is gone; defaults to probing the pid with signal 0. */
  isGone?: () => Promise<boolean>;
  /** Poll interval while waiting (default 25 ms). */
  pollMs?: number;
}

/** True when a process with this pid exists (zombies included). */
export function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function signalQuietly(target: number, signal: NodeJS.Signals): void {
  try {
    process.kill(target, signal);
  } catch {
    // already gone, or not ours: nothing to do
  }
}

/** Pids of every descendant of `root` (children, grandchildren …) in one process-table snapshot. */
export async function descendantPids(root: number): Promise<number[]> {
  let table: { pid: number; ppid: number }[];
  try {
    table = await psList({ all: true });
  } catch {
    return [];
  }
  const children = new Map<number, number[]>();
  for (const p of table) {
    const list = children.get(p.ppid) ?? [];
    list.push(p.pid);
    children.set(p.ppid, list);
  }
  const out: number[] = [];
  const stack = [...(children.get(root) ?? [])];
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    if (out.includes(pid)) continue;
    out.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Stops a process that leads its own process group (a tmux pane or a pty child): `signal` to the group and
 * to every descendant that left it, then `SIGKILL` to all of them after `graceMs` if the leader is still
 * there. Resolves to `exited` when the first signal was enough, `killed` when SIGKILL was needed.
 */
export async function terminateProcessTree(pid: number, options: TerminateOptions = {}): Promise<'exited' | 'killed'> {
  const signal = options.signal ?? 'SIGTERM';
  const graceMs = options.graceMs ?? 3000;
  const pollMs = options.pollMs ?? 25;
  // A backend may report the session over (pty closed) a moment before the process is reaped: wait for both.
  const custom = options.isGone;
  // The pid probe is a cheap syscall; the backend's own check (a tmux call) runs only once the pid is gone.
  const isGone = async () => !pidExists(pid) && (custom ? await custom() : true);
  const descendants = await descendantPids(pid);
  signalQuietly(-pid, signal);
  signalQuietly(pid, signal);
  for (const d of descendants) signalQuietly(d, signal);
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (await isGone()) {
      for (const d of descendants) if (pidExists(d)) signalQuietly(d, 'SIGKILL');
      return 'exited';
    }
    await sleep(pollMs);
  }
  const late = [...new Set([...descendants, ...(await descendantPids(pid))])];
  signalQuietly(-pid, 'SIGKILL');
  signalQuietly(pid, 'SIGKILL');
  for (const d of late) signalQuietly(d, 'SIGKILL');
  // SIGKILL cannot be ignored; what remains is the parent reaping the process, slow only on a loaded machine.
  const hardDeadline = Date.now() + 5000;
  while (Date.now() < hardDeadline && !(await isGone())) await sleep(pollMs);
  return 'killed';
}
