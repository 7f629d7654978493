import type { ProviderV1 } from '../spec/index.js';
import type { AgentRecord } from './agent-record.js';
import type { TranscriptTracker } from './transcript-tracker.js';

/** In-memory state the manager keeps per agent (never persisted: `env` may hold secrets). */
export interface AgentRuntime {
  record: AgentRecord;
  provider: ProviderV1;
  /** Extra environment values given at spawn; lost when another process loads the agent. */
  env: Record<string, string>;
  tracker: TranscriptTracker;
  /** The UI was seen ready since the last start. */
  ready: boolean;
  /** ms time of the last start. */
  startedAtMs: number;
  /** A kill/restart by us is under way: the exit is expected. */
  expectingExit: boolean;
  /** ms time a watchdog restart is due, if scheduled. */
  restartAt: number | null;
  /** Watchdog bookkeeping. */
  watch: {
    screenHash: string;
    lastChangeAt: number;
    stuckReported: boolean;
    toolSignature: string;
    toolStreak: number;
    toolLoopReported: boolean;
    tokenRateReported: boolean;
    compactionSuggested: boolean;
  };
}

/** Fresh watchdog bookkeeping. */
export function freshWatch(now = Date.now()): AgentRuntime['watch'] {
  return {
    screenHash: '', lastChangeAt: now, stuckReported: false, toolSignature: '', toolStreak: 0,
    toolLoopReported: false, tokenRateReported: false, compactionSuggested: false,
  };
}
