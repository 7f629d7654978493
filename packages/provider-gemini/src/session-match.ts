import { resolve } from 'node:path';
import type { ProcessMatch, SessionCandidate } from '@agentmux/core';

/** Default bound between a process start and its session's first record: 120 s. */
export const DEFAULT_SESSION_MATCH_WINDOW_MS = 120_000;
/** Tolerated clock skew before the process start (process start times are often whole seconds). */
const SKEW_MS = 2_000;

function samePath(a: string | undefined, b: string | undefined): boolean | undefined {
  if (a === undefined || b === undefined) return undefined;
  return resolve(a) === resolve(b);
}

function time(iso: string | undefined): number | undefined {
  if (iso === undefined) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
}

/**
 * Picks the session a Gemini process writes:
 * 1. argv names a session (`--resume <id>`, `--session-id`): the candidate with that id, else `null`;
 * 2. `--resume latest`: among candidates in the process cwd, the one with the latest activity at or after
 *    the process start (minus `windowMs`), else `null`;
 * 3. otherwise: candidates in the same cwd (a candidate or process without a cwd is not excluded) whose first
 *    record is within [start − 2 s, start + `windowMs`]; the one whose first record is closest after the
 *    process start wins. Without a process start time, a single candidate in the same cwd is returned.
 * Gemini writes the session file (metadata line) as it starts, so the first record follows the process start
 * closely. `windowMs` defaults to 120 s.
 */
export function matchGeminiSession(
  match: ProcessMatch,
  candidates: readonly SessionCandidate[],
  windowMs: number = DEFAULT_SESSION_MATCH_WINDOW_MS,
): SessionCandidate | null {
  if (match.sessionId) return candidates.find((c) => c.sessionId === match.sessionId) ?? null;
  const proc = match.process;
  const start = time(proc.startedAt);
  const inCwd = candidates.filter((c) => samePath(c.cwd, proc.cwd) !== false);
  if (match.continuesLatest) {
    let best: SessionCandidate | null = null;
    let bestAt = -Infinity;
    for (const c of inCwd) {
      const at = time(c.lastActivityAt) ?? time(c.startedAt);
      if (at === undefined || (start !== undefined && at < start - windowMs)) continue;
      if (at > bestAt) {
        best = c;
        bestAt = at;
      }
    }
    return best;
  }
  if (start === undefined) {
    const exact = inCwd.filter((c) => samePath(c.cwd, proc.cwd) === true);
    return exact.length === 1 ? (exact[0] ?? null) : null;
  }
  let best: SessionCandidate | null = null;
  let bestScore = Infinity;
  for (const c of inCwd) {
    const first = time(c.startedAt);
    if (first === undefined) continue;
    const delta = first - start;
    if (delta < -SKEW_MS || delta > windowMs) continue;
    // Prefer a record after the start; a record inside the skew allowance ranks after every later one.
    const score = delta >= 0 ? delta : windowMs + -delta;
    const exactCwd = samePath(c.cwd, proc.cwd) === true ? 0 : 0.5;
    if (score + exactCwd < bestScore) {
      best = c;
      bestScore = score + exactCwd;
    }
  }
  return best;
}
