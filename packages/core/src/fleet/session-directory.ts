import type { ProviderV1, SessionCandidate } from '../spec/provider-v1.js';
import type { TranscriptFile } from '../spec/transcript.js';
import type { ProviderFailedEvent } from './fleet-types.js';
import { SessionTracker } from './session-tracker.js';

const key = (providerId: string, sessionId: string) => `${providerId}\0${sessionId}`;

/** At most this many unattached trackers are kept (least recently listed go first). */
const MAX_UNATTACHED = 500;

/**
 * Every session the fleet knows of, per provider: lists transcripts (with a `since` bound so a large history
 * is not opened), opens a tracker per session, and offers unattached sessions as matching candidates.
 */
export class SessionDirectory {
  private readonly trackers = new Map<string, SessionTracker>();
  private readonly seenSize = new Map<string, string>();
  private readonly touched = new Map<string, number>();
  private tick = 0;

  constructor(
    private readonly env: Readonly<Record<string, string | undefined>> | undefined,
    private readonly report: (event: ProviderFailedEvent) => void,
  ) {}

  /** The tracker of a session, if known. */
  get(providerId: string, sessionId: string): SessionTracker | undefined {
    return this.trackers.get(key(providerId, sessionId));
  }

  /** The tracker of a session, created empty when unknown (an argv session id whose file is not written yet). */
  ensure(provider: ProviderV1, sessionId: string): SessionTracker {
    const k = key(provider.id, sessionId);
    let t = this.trackers.get(k);
    if (!t) {
      t = new SessionTracker(sessionId, provider);
      this.trackers.set(k, t);
    }
    this.touched.set(k, this.tick);
    return t;
  }

  /**
   * Lists the provider's transcripts changed since `since`, follows new files, and reads unattached sessions
   * whose files changed (to learn cwd and start time for matching). Failures are reported, not thrown.
   */
  async refresh(provider: ProviderV1, since: Date | undefined): Promise<void> {
    this.tick += 1;
    let files: TranscriptFile[];
    try {
      files = await provider.listTranscripts({ ...(this.env ? { env: this.env } : {}), ...(since ? { since } : {}) });
    } catch (error) {
      this.report({ providerId: provider.id, operation: 'listTranscripts', error });
      return;
    }
    const changed = new Set<SessionTracker>();
    for (const file of files) {
      if (file.archived) continue;
      if (since && file.mtime && Date.parse(file.mtime) < since.getTime()) continue;
      const sessionId = file.kind === 'subagent' ? file.parentSessionId : file.sessionId;
      if (!sessionId) continue;
      const tracker = this.ensure(provider, sessionId);
      tracker.addFile(file);
      const sig = `${file.size ?? ''}:${file.mtime ?? ''}`;
      if (this.seenSize.get(file.path) !== sig) {
        this.seenSize.set(file.path, sig);
        if (tracker.owner === undefined) changed.add(tracker);
      }
    }
    for (const t of changed) {
      for (const f of await t.read()) this.report({ providerId: provider.id, operation: `read ${f.path}`, error: f.error });
    }
    this.evict();
  }

  /** Sessions of a provider not held by a live agent and with a main file, as matching candidates. */
  candidates(providerId: string): SessionCandidate[] {
    const out: SessionCandidate[] = [];
    for (const t of this.trackers.values()) {
      if (t.provider.id !== providerId || t.owner !== undefined) continue;
      const c = t.candidate();
      if (c) out.push(c);
    }
    return out;
  }

  private forget(providerId: string, sessionId: string): void {
    const k = key(providerId, sessionId);
    const t = this.trackers.get(k);
    if (!t) return;
    for (const p of t.paths) this.seenSize.delete(p);
    this.trackers.delete(k);
    this.touched.delete(k);
  }

  private evict(): void {
    // Attached trackers stay: their usage is in the ledger and a later process may resume the session.
    const unattached = [...this.trackers.entries()].filter(([, t]) => !t.attached && t.owner === undefined);
    if (unattached.length <= MAX_UNATTACHED) return;
    unattached.sort((a, b) => (this.touched.get(a[0]) ?? 0) - (this.touched.get(b[0]) ?? 0));
    for (const [k, t] of unattached.slice(0, unattached.length - MAX_UNATTACHED)) this.forget(t.provider.id, k.split('\0')[1] ?? '');
  }
}
