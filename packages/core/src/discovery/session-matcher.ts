import type { ProcessMatch, SessionCandidate } from '../spec/provider-v1.js';

/** One agent process waiting for a session. */
export interface SessionClaim {
  /** Caller's key for the agent (e.g. `claude:1234`). */
  key: string;
  /** What the provider learned from the process. */
  match: ProcessMatch;
  /** The provider's picker; receives only candidates nobody else holds. */
  pick(match: ProcessMatch, candidates: readonly SessionCandidate[]): SessionCandidate | null;
}

/** How an agent got its session. */
export interface SessionAssignment {
  /** The session id. */
  sessionId: string;
  /** The candidate, when its transcript is known (an argv session id may not have a file yet). */
  candidate?: SessionCandidate;
  /** `exact`: named in argv; `inferred`: picked by the provider from cwd and start time. */
  how: 'exact' | 'inferred';
}

function ms(iso: string | undefined): number | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
}

/**
 * Distance between a process and a candidate session, for breaking ties when two processes want the same
 * session: how far the session's first record is from the process start (a resumed session whose file is older
 * than the process measures from its latest record instead). Unknown times sort last.
 */
export function matchDistance(match: ProcessMatch, candidate: SessionCandidate): number {
  const start = ms(match.process.startedAt);
  const first = ms(candidate.startedAt);
  if (start === undefined || first === undefined) return Number.MAX_SAFE_INTEGER;
  if (first >= start) return first - start;
  const last = ms(candidate.lastActivityAt);
  return last !== undefined && last >= start ? start - first + 0.5 * (last - start) : (start - first) * 2;
}

/**
 * Assigns sessions to processes so that no session gets two processes:
 * 1. exact: a session id named in argv wins the session outright (first claim in order when two name the same);
 * 2. inferred: every other process asks its provider to pick among the candidates still free; when several pick
 *    the same session the closest (`matchDistance`) keeps it and the others pick again without it, until stable.
 * `taken` holds sessions already held by agents from earlier polls; they are never offered.
 */
export function assignSessions(
  claims: readonly SessionClaim[],
  candidates: readonly SessionCandidate[],
  taken: ReadonlySet<string> = new Set(),
): Map<string, SessionAssignment> {
  const out = new Map<string, SessionAssignment>();
  const held = new Set(taken);
  const byId = new Map(candidates.map((c) => [c.sessionId, c]));
  const pending: SessionClaim[] = [];
  for (const claim of claims) {
    const id = claim.match.sessionId;
    if (id && !held.has(id)) {
      held.add(id);
      const candidate = byId.get(id);
      out.set(claim.key, { sessionId: id, how: 'exact', ...(candidate ? { candidate } : {}) });
    } else if (!id) {
      pending.push(claim);
    }
  }
  // Each claim remembers what it lost, so the loop ends after at most claims × candidates rounds.
  const excluded = new Map<string, Set<string>>(pending.map((c) => [c.key, new Set<string>()]));
  let open = pending;
  while (open.length > 0) {
    const wants = new Map<string, { claim: SessionClaim; candidate: SessionCandidate; distance: number }[]>();
    for (const claim of open) {
      const ex = excluded.get(claim.key) ?? new Set<string>();
      const free = candidates.filter((c) => !held.has(c.sessionId) && !ex.has(c.sessionId));
      if (free.length === 0) continue;
      const picked = claim.pick(claim.match, free);
      if (!picked || held.has(picked.sessionId) || ex.has(picked.sessionId)) continue;
      const list = wants.get(picked.sessionId) ?? [];
      list.push({ claim, candidate: picked, distance: matchDistance(claim.match, picked) });
      wants.set(picked.sessionId, list);
    }
    const next: SessionClaim[] = [];
    for (const [sessionId, list] of wants) {
      list.sort((a, b) => a.distance - b.distance);
      const [winner, ...losers] = list;
      if (!winner) continue;
      held.add(sessionId);
      out.set(winner.claim.key, { sessionId, candidate: winner.candidate, how: 'inferred' });
      for (const l of losers) {
        excluded.get(l.claim.key)?.add(sessionId);
        next.push(l.claim);
      }
    }
    open = next;
  }
  return out;
}
