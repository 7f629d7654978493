import { resolve } from 'node:path';
import type { ProcessMatch, SessionCandidate } from '@agentmux/core';
import { claudeProjectDirName } from './paths.js';

/** Default bound between a process start and its session's first record: 120 s. */
export const DEFAULT_SESSION_MATCH_WINDOW_MS = 120_000;
/** Tolerance for a first record that appears slightly *before* the process start (clock/`ps` granularity). */
export const SESSION_MATCH_EARLY_TOLERANCE_MS = 2_000;

/** Options of `matchClaudeSession`. */
export interface SessionMatchOptions {
  /** Largest gap between process start and the session's first record (default 120 000 ms). */
  windowMs?: number;
}

function time(iso: string | undefined): number | undefined {
  if (iso === undefined) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
}

function norm(path: string): string {
  const r = resolve(path);
  return r.length > 1 && r.endsWith('/') ? r.slice(0, -1) : r;
}

function projectDirOf(path: string): string | undefined {
  return path.split(/[\\/]/).at(-2);
}

function sameCwd(candidate: SessionCandidate, cwd: string): boolean {
  if (candidate.cwd !== undefined) return norm(candidate.cwd) === norm(cwd);
  return projectDirOf(candidate.path) === claudeProjectDirName(norm(cwd));
}

/**
 * Picks the session a Claude process writes.
 * 1. argv names the session (`--session-id`, `--resume <uuid>`): exactly that candidate, or `null` while its file
 *    does not exist yet — never a guess.
 * 2. Otherwise the process's cwd must equal the candidate's (its records' cwd, else the encoded folder name) and the
 *    process start time must be known. A new session: the candidate whose first record is closest after the
 *    process start, within `windowMs` (default 120 s; 2 s early tolerance). With `--continue` / `--resume` without
 *    id, the CLI appends to an older session: the candidate in that cwd with the latest activity at or after the
 *    process start (within the same tolerance) — or, failing that, a new session as above.
 * Returns `null` when nothing is within the bound.
 */
export function matchClaudeSession(
  match: ProcessMatch,
  candidates: readonly SessionCandidate[],
  options: SessionMatchOptions = {},
): SessionCandidate | null {
  if (match.sessionId !== undefined) {
    const id = match.sessionId.toLowerCase();
    return candidates.find((c) => c.sessionId.toLowerCase() === id) ?? null;
  }
  const cwd = match.process.cwd;
  const start = time(match.process.startedAt);
  if (cwd === undefined || start === undefined) return null;
  const windowMs = options.windowMs ?? DEFAULT_SESSION_MATCH_WINDOW_MS;
  const local = candidates.filter((c) => sameCwd(c, cwd));

  if (match.continuesLatest) {
    let best: SessionCandidate | null = null;
    let bestAt = -Infinity;
    for (const c of local) {
      const last = time(c.lastActivityAt);
      if (last === undefined || last < start - SESSION_MATCH_EARLY_TOLERANCE_MS) continue;
      if (last > bestAt) {
        best = c;
        bestAt = last;
      }
    }
    if (best) return best;
  }

  let best: SessionCandidate | null = null;
  let bestGap = Infinity;
  for (const c of local) {
    const first = time(c.startedAt);
    if (first === undefined) continue;
    const gap = first - start;
    if (gap < -SESSION_MATCH_EARLY_TOLERANCE_MS || gap > windowMs) continue;
    const distance = Math.abs(gap);
    if (distance < bestGap) {
      best = c;
      bestGap = distance;
    }
  }
  return best;
}
