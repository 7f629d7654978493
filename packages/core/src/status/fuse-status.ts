import type { AgentStatus, StatusEvidence, StatusSource } from '../spec/agent-status.js';

/** How the fused state was decided. */
export type FusionRule =
  /** The process is gone: `exited`, whatever else was seen. */
  | 'process-exited'
  /** The freshest strong evidence; no weak evidence is newer than it by more than the override window. */
  | 'freshest-strong'
  /** Weak evidence newer than the freshest strong one by more than the override window: things moved on. */
  | 'newer-weak-overrides-strong'
  /** No strong evidence: the freshest weak evidence. */
  | 'freshest-weak'
  /** No evidence at all. */
  | 'no-evidence';

/** Options of `fuseStatus`. */
export interface FuseOptions {
  /** False when the process is gone (default true). */
  alive?: boolean;
  /** Time the process was seen gone (default now). */
  now?: Date;
  /**
   * How much newer (ms) weak evidence must be than the freshest strong evidence to override it (default 5000).
   * Hooks are exact but some transitions fire no hook (an interrupt by Escape); a transcript line or pane
   * capture clearly newer than the last hook means the agent moved on.
   */
  weakOverrideMs?: number;
}

/** The fused status plus the rule that decided it. */
export interface FusedStatus {
  /** The status, with `decidedBy` and all evidence freshest first. */
  status: AgentStatus;
  /** Which rule decided. */
  rule: FusionRule;
}

function time(e: StatusEvidence): number {
  const t = Date.parse(e.at);
  return Number.isNaN(t) ? 0 : t;
}

/** Source priority for identical timestamps: the more exact source first. */
const SOURCE_RANK: Record<StatusSource, number> = { process: 0, hook: 1, pane: 2, telemetry: 3, transcript: 4 };

/** Sorts evidence freshest first; ties go to the more exact source. */
export function sortEvidence(evidence: readonly StatusEvidence[]): StatusEvidence[] {
  return [...evidence].sort((a, b) => time(b) - time(a) || SOURCE_RANK[a.source] - SOURCE_RANK[b.source]);
}

/**
 * Fuses status evidence from hooks, transcript, pane (and telemetry) into one state. The exact rule:
 * 1. process gone → `exited` (`process-exited`);
 * 2. else let S be the freshest strong evidence and W the freshest weak one;
 *    S wins (`freshest-strong`) unless W is newer than S by more than `weakOverrideMs`, then W wins
 *    (`newer-weak-overrides-strong`);
 * 3. with no strong evidence, W wins (`freshest-weak`); with none at all the state is `unknown`.
 * Equal times prefer hook over pane over telemetry over transcript. Pass at most the latest evidence per source.
 */
export function fuseStatus(evidence: readonly StatusEvidence[], options: FuseOptions = {}): FusedStatus {
  const sorted = sortEvidence(evidence);
  if (options.alive === false) {
    const gone: StatusEvidence = {
      source: 'process',
      state: 'exited',
      rule: 'process.gone',
      at: (options.now ?? new Date()).toISOString(),
      strength: 'strong',
      detail: 'the process is no longer in the process table',
    };
    return { status: { state: 'exited', decidedBy: gone, evidence: [gone, ...sorted] }, rule: 'process-exited' };
  }
  const strong = sorted.find((e) => e.strength === 'strong');
  const weak = sorted.find((e) => e.strength === 'weak');
  const window = options.weakOverrideMs ?? 5000;
  if (strong && (!weak || time(weak) <= time(strong) + window)) {
    return { status: { state: strong.state, decidedBy: strong, evidence: sorted }, rule: 'freshest-strong' };
  }
  if (weak) {
    return {
      status: { state: weak.state, decidedBy: weak, evidence: sorted },
      rule: strong ? 'newer-weak-overrides-strong' : 'freshest-weak',
    };
  }
  return { status: { state: 'unknown', evidence: sorted }, rule: 'no-evidence' };
}

const RULE_TEXT: Record<FusionRule, string> = {
  'process-exited': 'the process is gone, which overrides everything else',
  'freshest-strong': 'it is the freshest strong evidence and no weak evidence is clearly newer',
  'newer-weak-overrides-strong': 'it is weak but clearly newer than the last strong evidence, so the agent moved on',
  'freshest-weak': 'there is no strong evidence and it is the freshest weak evidence',
  'no-evidence': 'no source said anything',
};

function describe(e: StatusEvidence): string {
  return `${e.state} (${e.rule}, ${e.strength}, at ${e.at}${e.detail ? `: ${e.detail}` : ''})`;
}

/**
 * Explains a fused status in plain words: which source and rule decided, and what every other source said.
 * Example: `waiting-permission, decided by hook: waiting-permission (claude.hook.Notification.permission_prompt,
 * strong, at …), because it is the freshest strong evidence …; transcript said: working (…); pane said nothing`.
 */
export function explainStatus(fused: FusedStatus, sources: readonly StatusSource[] = ['hook', 'transcript', 'pane']): string {
  const { status, rule } = fused;
  const head = status.decidedBy
    ? `${status.state}, decided by ${status.decidedBy.source}: ${describe(status.decidedBy)}, because ${RULE_TEXT[rule]}`
    : `${status.state}, because ${RULE_TEXT[rule]}`;
  const others: string[] = [];
  const listed = new Set<StatusSource>();
  for (const e of status.evidence) {
    if (e === status.decidedBy) {
      listed.add(e.source);
      continue;
    }
    if (listed.has(e.source) && e.source === status.decidedBy?.source) continue;
    listed.add(e.source);
    others.push(`${e.source} said: ${describe(e)}`);
  }
  for (const s of sources) if (!listed.has(s)) others.push(`${s} said nothing`);
  return [head, ...others].join('; ');
}
