import type { ToolSpan, Turn } from '../spec/index.js';
import type { AgentRecord } from './agent-record.js';
import type { ConfirmedBy } from './verified-send.js';

/** Why the watchdog thinks an agent loops. */
export type LoopReason = 'repeated-tool-call' | 'token-rate';

/** Events of an agent manager (eventemitter3), named noun-verb. */
export interface AgentManagerEvents {
  'agent-spawned': (e: { name: string; record: AgentRecord }) => void;
  'agent-resumed': (e: { name: string; sessionId: string | null }) => void;
  /** The process ended; `expected` is false for crashes (the watchdog then restarts it). */
  'agent-exited': (e: { name: string; exitCode: number | null; expected: boolean }) => void;
  'agent-restarted': (e: { name: string; attempt: number; sessionId: string | null; resumed: boolean }) => void;
  /** The watchdog gave up; `reason` says why. */
  'agent-failed': (e: { name: string; attempts: number; reason: string }) => void;
  'agent-killed': (e: { name: string }) => void;
  /** Working, but nothing new on screen or in the transcript for `idleMs`. */
  'agent-stuck': (e: { name: string; idleMs: number }) => void;
  'agent-looping': (e: { name: string; reason: LoopReason; detail: string }) => void;
  /** The context grew past the threshold; `onCompactionSuggested` was called too. */
  'compaction-suggested': (e: { name: string; contextTokens: number }) => void;
  /** The agent's CLI session id became known. */
  'session-learned': (e: { name: string; sessionId: string; transcriptPath: string }) => void;
  'message-queued': (e: { name: string; messageId: string; reason: string }) => void;
  'message-delivered': (e: { name: string; messageId: string; confirmedBy: ConfirmedBy; enterPresses: number; ms: number }) => void;
  /** A message was dropped from the queue on replay because the transcript already holds it. */
  'message-skipped': (e: { name: string; messageId: string; reason: string }) => void;
  'turn-started': (e: { name: string; turn: Turn }) => void;
  'turn-ended': (e: { name: string; turn: Turn }) => void;
  'tool-started': (e: { name: string; tool: ToolSpan }) => void;
  /** Something went wrong inside the supervisor loop (never thrown to the caller). */
  'agent-errored': (e: { name: string; error: unknown }) => void;
}
