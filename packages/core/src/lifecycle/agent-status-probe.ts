import type { AgentState, AgentStatus, SessionBackendV1, StatusEvidence } from '../spec/index.js';
import type { AgentRuntime } from './agent-runtime.js';

/** Backends that read liveness and screen in one step (tmux, pty). */
export interface ScreenProbe {
  probe(name: string): Promise<{ alive: boolean; screen: string } | null>;
}

/** States in which typed text would land in the wrong place (mid-turn, or in a permission dialog). */
export const BUSY_STATES: ReadonlySet<AgentState> = new Set(['working', 'waiting-permission']);

/**
 * Fuses status evidence: a dead process is `exited`; otherwise strong pane evidence, then weak pane
 * evidence (the screen is always fresh), then the transcript's last signal (it can lag and goes stale
 * after a crash), else `unknown`. Pass `screen` to reuse a capture.
 */
export async function decideStatus(backend: SessionBackendV1, rt: AgentRuntime, screen?: string): Promise<AgentStatus> {
  const now = new Date();
  const probe = (backend as Partial<ScreenProbe>).probe;
  const probed = screen === undefined && typeof probe === 'function' ? await probe.call(backend, rt.record.name) : undefined;
  const alive = probed !== undefined ? (probed?.alive ?? false) : await backend.isAlive(rt.record.name);
  if (!alive) {
    const evidence: StatusEvidence = { source: 'process', state: 'exited', rule: 'backend.not-alive', at: now.toISOString(), strength: 'strong' };
    return { state: 'exited', decidedBy: evidence, evidence: [evidence] };
  }
  await rt.tracker.poll().catch(() => undefined);
  const evidence: StatusEvidence[] = [];
  const text = screen ?? probed?.screen ?? (await backend.capture(rt.record.name).catch(() => null));
  const pane = text === null ? null : rt.provider.statusFromPane(text, now);
  if (pane) evidence.push(pane);
  const signal = rt.tracker.lastSignal;
  if (signal) {
    evidence.push({ source: 'transcript', state: signal.state, rule: signal.rule, at: signal.at, strength: 'weak', ...(signal.detail ? { detail: signal.detail } : {}) });
  }
  const decidedBy = evidence.find((e) => e.strength === 'strong') ?? evidence[0];
  return decidedBy ? { state: decidedBy.state, decidedBy, evidence } : { state: 'unknown', evidence };
}
