import { execFile } from 'node:child_process';
import type { ProcessSnapshot } from './process-snapshot.js';

/** One tmux pane, as listed by `tmux list-panes -a`. */
export interface TmuxPane {
  /** Pid of the pane's first process. */
  panePid: number;
  /** Stable pane id, e.g. `%3`: the target used to capture or type. */
  paneId: string;
  /** Human target `session:window.pane`. */
  target: string;
  /** tmux session name. */
  sessionName: string;
  /** Socket of the server holding the pane; pass as `tmux -S <socketPath>`. */
  socketPath: string;
}

/** Which tmux servers to look at. */
export interface TmuxServerOptions {
  /** Also query the default server (default true). Tests turn it off: they must not touch it. */
  includeDefault?: boolean;
  /** Extra server sockets (`tmux -S`). */
  sockets?: readonly string[];
  /** tmux executable (default `tmux`). */
  tmuxBin?: string;
}

/** A server that could not be listed, for reporting; "no server running" is not an error. */
export interface TmuxServerError {
  /** Socket path, or `default`. */
  server: string;
  /** What tmux said. */
  message: string;
}

const SEP = '\t';
const FORMAT = ['#{pane_pid}', '#{pane_id}', '#{session_name}:#{window_index}.#{pane_index}', '#{socket_path}', '#{session_name}'].join(SEP);

/** Runs tmux with an argv array (never a shell string). */
export function runTmux(args: readonly string[], tmuxBin = 'tmux'): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(tmuxBin, args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, windowsHide: true }, (error, stdout, stderr) => {
      if (error) reject(Object.assign(error, { stderr }));
      else resolve(stdout);
    });
  });
}

function isNoServer(error: unknown): boolean {
  const text = `${(error as { stderr?: string }).stderr ?? ''} ${(error as Error).message ?? ''}`;
  return /no server running|error connecting to|No such file or directory|failed to connect/i.test(text);
}

/** Parses `list-panes` output in the format used here. */
export function parseListPanes(stdout: string): TmuxPane[] {
  const out: TmuxPane[] = [];
  for (const line of stdout.split('\n')) {
    if (!line) continue;
    const [pid, paneId, target, socketPath, sessionName] = line.split(SEP);
    const panePid = Number(pid);
    if (!Number.isInteger(panePid) || panePid <= 0 || !paneId || !target || !socketPath) continue;
    out.push({ panePid, paneId, target, socketPath, sessionName: sessionName ?? target.split(':')[0] ?? '' });
  }
  return out;
}

/**
 * Lists every pane of the default server (unless turned off) and of each configured socket: one tmux call per
 * server. Servers that are not running give no panes and no error.
 */
export async function listTmuxPanes(options: TmuxServerOptions = {}): Promise<{ panes: TmuxPane[]; errors: TmuxServerError[] }> {
  const servers: (string | null)[] = [...(options.includeDefault === false ? [] : [null]), ...(options.sockets ?? [])];
  const results = await Promise.all(
    servers.map(async (socket) => {
      const args = [...(socket ? ['-S', socket] : []), 'list-panes', '-a', '-F', FORMAT];
      try {
        return { panes: parseListPanes(await runTmux(args, options.tmuxBin)) };
      } catch (error) {
        if (isNoServer(error)) return { panes: [] };
        const message = ((error as { stderr?: string }).stderr || (error as Error).message || String(error)).trim();
        return { panes: [], error: { server: socket ?? 'default', message } };
      }
    }),
  );
  const seen = new Set<string>();
  const panes: TmuxPane[] = [];
  const errors: TmuxServerError[] = [];
  for (const r of results) {
    if (r.error) errors.push(r.error);
    for (const p of r.panes) {
      const key = `${p.socketPath}\0${p.paneId}`;
      if (seen.has(key)) continue; // the default server may also be listed as a configured socket
      seen.add(key);
      panes.push(p);
    }
  }
  return { panes, errors };
}

/** The pane whose first process is `pid` or its nearest ancestor, if any. */
export function findPaneForPid(pid: number, snapshot: ProcessSnapshot, panesByPid: ReadonlyMap<number, TmuxPane>): TmuxPane | undefined {
  const own = panesByPid.get(pid);
  if (own) return own;
  for (const a of snapshot.ancestorsOf(pid)) {
    const pane = panesByPid.get(a);
    if (pane) return pane;
  }
  return undefined;
}

const END_MARK = '\u0001agentmux-pane-end\u0001';

/**
 * Captures the visible text of several panes of one server in a single tmux call (commands chained with `;`,
 * each capture followed by a marker line). Panes that vanished are missing from the result.
 */
export async function capturePanes(socketPath: string, paneIds: readonly string[], tmuxBin = 'tmux'): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (paneIds.length === 0) return out;
  const args = ['-S', socketPath];
  paneIds.forEach((id, i) => {
    if (i > 0) args.push(';');
    args.push('capture-pane', '-p', '-J', '-t', id, ';', 'display-message', '-p', '-t', id, `${END_MARK}#{pane_id}`);
  });
  let stdout: string;
  try {
    stdout = await runTmux(args, tmuxBin);
  } catch (error) {
    // One vanished pane fails the whole chain: fall back to one call per pane.
    if (paneIds.length === 1) return out;
    void error;
    for (const id of paneIds) {
      const one = await capturePanes(socketPath, [id], tmuxBin);
      const text = one.get(id);
      if (text !== undefined) out.set(id, text);
    }
    return out;
  }
  let start = 0;
  for (;;) {
    const at = stdout.indexOf(END_MARK, start);
    if (at < 0) break;
    const lineEnd = stdout.indexOf('\n', at);
    const paneId = stdout.slice(at + END_MARK.length, lineEnd < 0 ? undefined : lineEnd);
    out.set(paneId, stdout.slice(start, at).replace(/\n$/, ''));
    if (lineEnd < 0) break;
    start = lineEnd + 1;
  }
  return out;
}

/** Presses Escape in a pane (used to pause an agent). */
export async function sendEscape(pane: Pick<TmuxPane, 'socketPath' | 'paneId'>, tmuxBin = 'tmux'): Promise<void> {
  await runTmux(['-S', pane.socketPath, 'send-keys', '-t', pane.paneId, 'Escape'], tmuxBin);
}
