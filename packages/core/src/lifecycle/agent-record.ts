import { z } from 'zod';

/** Lifecycle state of a managed agent. */
export const AgentLifecycleStateSchema = z.enum(['starting', 'running', 'restarting', 'exited', 'killed', 'failed']);
export type AgentLifecycleState = z.infer<typeof AgentLifecycleStateSchema>;

/**
 * What agentmux persists about one agent, as `<stateDir>/agents/<name>.json`. Environment values are never
 * written (they may hold secrets): only their keys.
 */
export const AgentRecordSchema = z.object({
  /** Format version. */
  version: z.literal(1),
  /** Agent name, unique per state dir. */
  name: z.string(),
  /** Provider id, e.g. `claude`. */
  providerId: z.string(),
  /** Backend id the agent runs in (`tmux`, `pty`, `headless`). */
  backend: z.string(),
  /** Working directory (the worktree when one was made). */
  cwd: z.string(),
  /** Model asked for, if any. */
  model: z.string().optional(),
  /** Permission mode asked for, if any. */
  permissionMode: z.enum(['default', 'plan', 'accept-edits', 'bypass']).optional(),
  /** The CLI session the agent writes, once known. */
  sessionId: z.string().nullable(),
  /** How the session id became known. */
  sessionIdSource: z.enum(['preset', 'transcript', 'fork', 'resume']).nullable(),
  /** Main transcript file, once found. */
  transcriptPath: z.string().nullable(),
  /** Keys of the extra environment given at spawn (values are not stored). */
  envKeys: z.array(z.string()),
  /** Git worktree made for the agent. */
  worktree: z.object({ path: z.string(), branch: z.string(), baseBranch: z.string() }).nullable(),
  /** The command last started (argv, never a shell string). */
  command: z.object({ command: z.string(), args: z.array(z.string()) }),
  /** Per-agent output log. */
  logFile: z.string(),
  /** Lifecycle state. */
  state: AgentLifecycleStateSchema,
  /** Pid of the agent process (pane pid for tmux). */
  pid: z.number().int().nullable(),
  /** Restarts done by the watchdog since the last stable run. */
  restarts: z.number().int().nonnegative(),
  /** Restarts done in total. */
  totalRestarts: z.number().int().nonnegative(),
  /** Agent this one was forked from. */
  forkedFrom: z.string().optional(),
  /** ISO times. */
  createdAt: z.string(),
  startedAt: z.string(),
  updatedAt: z.string(),
  /** The last exit seen. */
  lastExit: z.object({ at: z.string(), exitCode: z.number().int().nullable(), expected: z.boolean() }).optional(),
  /** Why the agent is `failed`. */
  failure: z.string().optional(),
});
export type AgentRecord = z.infer<typeof AgentRecordSchema>;

/** A message waiting to be delivered (or being delivered) to an agent. */
export const QueuedMessageSchema = z.object({
  /** Message id. */
  id: z.string(),
  /** The text, exactly as given. */
  text: z.string(),
  /** Press Enter after typing. */
  submit: z.boolean(),
  /** Caller's idempotency key. */
  idempotencyKey: z.string().optional(),
  /** ISO time it was queued. */
  enqueuedAt: z.string(),
  /** `queued`, or `in-flight` once typing started (replayed after a crash unless the transcript has it). */
  state: z.enum(['queued', 'in-flight']),
  /** Turns before this index existed when typing started: a replay looks for the text from here on. */
  afterTurn: z.number().int().optional(),
  /** Delivery attempts so far. */
  attempts: z.number().int().nonnegative(),
});
export type QueuedMessage = z.infer<typeof QueuedMessageSchema>;
