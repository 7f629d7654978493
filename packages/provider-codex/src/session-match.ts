import type { ProcessMatch, SessionCandidate } from '@agentmux/core';

/** Default bound between a process start and its session's first record: 120 s. */
export const DEFAULT_SESSION_MATCH_WINDOW_MS = 120_000;
/** Default tolerance for a first record stamped slightly before the process start (clock granularity): 2 s. */
export const DEFAULT_SESSION_MATCH_SKEW_MS = 2_000;

/** Bounds used by `matchCodexSession`. */
export interface SessionMatchOptions {
  /** Largest gap between process start and the session's first record. Default 120 000 ms. */
  windowMs?: number;
  /** How far before the process start a first record may be stamped. Default 2 000 ms. */
  skewMs?: number;
}

const normalizePath = (p: string): string => (p.length > 1 ? p.replace(/[\\/]+$/, '') : p);
const time = (iso: string | undefined): number => (iso === undefined ? Number.NaN : Date.parse(iso));

/**
 * Picks the session a Codex process writes:
 * 1. exact: a session id named in argv (`codex resume <id>`) must be among the candidates, else `null`;
 * 2. `resume --last`: the same-cwd session whose latest activity is nearest the process start (within
 *    the window after it, or the most recent before it);
 * 3. otherwise (new session, `exec`, `fork`): the same-cwd candidate whose first record is closest after
 *    the process start, at most `windowMs` later (and at most `skewMs` earlier); `null` beyond that, or
 *    when the process has no cwd or start time.
 */
export function matchCodexSession(match: ProcessMatch, candidates: readonly SessionCandidate[], options: SessionMatchOptions = {}): SessionCandidate | null {
  const windowMs = options.windowMs ?? DEFAULT_SESSION_MATCH_WINDOW_MS;
  const skewMs = options.skewMs ?? DEFAULT_SESSION_MATCH_SKEW_MS;
  if (match.sessionId !== undefined) {
    const wanted = match.sessionId.toLowerCase();
    return candidates.find((c) => c.sessionId.toLowerCase() === wanted) ?? null;
  }
  const cwd = match.process.cwd;
  const start = time(match.process.startedAt);
  if (cwd === undefined || Number.isNaN(start)) return null;
  const sameCwd = candidates.filter((c) => c.cwd !== undefined && normalizePath(c.cwd) === normalizePath(cwd));

  if (match.continuesLatest) {
    let best: { c: SessionCandidate; score: number } | null = null;
    for (const c of sameCwd) {
      const last = time(c.lastActivityAt ?? c.startedAt);
      if (Number.isNaN(last) || last > start + windowMs) continue;
      // Activity after the start (the resumed session being written) beats anything before it.
      const score = last >= start - skewMs ? last - start : windowMs + (start - last);
      if (!best || score < best.score) best = { c, score };
    }
    return best?.c ?? null;
  }

  let best: { c: SessionCandidate; gap: number } | null = null;
  for (const c of sameCwd) {
    const first = time(c.startedAt);
    if (Number.isNaN(first)) continue;
    const gap = first - start;
    if (gap < -skewMs || gap > windowMs) continue;
    if (!best || Math.abs(gap) < Math.abs(best.gap)) best = { c, gap };
  }
  return best?.c ?? null;
}
