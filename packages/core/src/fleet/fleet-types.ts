import type { UsageLedger } from '../cost/usage-ledger.js';
import type { TmuxPane } from '../discovery/tmux-panes.js';
import type { AgentState, AgentStatus } from '../spec/agent-status.js';
import type { Cost } from '../spec/cost.js';
import type { PriceTable } from '../spec/model-price.js';
import type { ProviderV1 } from '../spec/provider-v1.js';
import type { Turn } from '../spec/turn.js';
import type { Usage } from '../spec/usage.js';
import type { FusionRule } from '../status/fuse-status.js';
import type { HookReceiver } from '../status/hook-receiver.js';
import type { BudgetActionRecord } from './budget-actions.js';
import type { BudgetRule } from './budgets.js';

/** One agent as the fleet sees it. Plain data: safe to serialise (`agentmux ps --json`). */
export interface FleetAgent {
  /** Stable id for the process's life: `<provider>-<pid>`. */
  id: string;
  /** Display name: the tmux target (`session` for pane 0.0, else `session:w.p`), else the id. */
  name: string;
  /** Provider id. */
  providerId: string;
  /** Process id. */
  pid: number;
  /** Parent process id. */
  ppid: number;
  /** Process group id, when known. */
  pgid?: number;
  /** argv as in the process table. */
  argv: string[];
  /** Working directory (from the session records, else the process). */
  cwd?: string;
  /** Project: basename of `cwd`. */
  project?: string;
  /** ISO-8601 process start. */
  startedAt?: string;
  /** Model: the latest seen in the transcript, else the one named in argv. */
  model?: string;
  /** Session id, once matched. */
  sessionId?: string;
  /** How the session was matched. */
  sessionMatch?: 'exact' | 'inferred';
  /** Main transcript path, once known. */
  transcriptPath?: string;
  /** The tmux pane the agent runs in, when found. */
  pane?: TmuxPane;
  /** Id of the agent this one runs under (a subagent process). */
  parentAgentId?: string;
  /** Ids of agent processes running under this one. */
  subagentIds: string[];
  /** Fused status with evidence. */
  status: AgentStatus;
  /** The fusion rule that decided `status`. */
  statusRule: FusionRule;
  /** Deduplicated usage of the session (subagent files included). */
  usage: Usage;
  /** Cost of the session; `usd` null when some usage could not be priced. */
  cost: Cost;
  /** Turns seen in the main transcript. */
  turns: number;
  /** The latest turn, when any. */
  lastTurn?: Turn;
  /** ISO-8601 time of the latest transcript record. */
  lastActivityAt?: string;
  /** True after a budget `pause` (or `fleet.pause`): other components must not deliver queued work. */
  paused: boolean;
  /** False once the process is gone (only in the `agent-removed` event and final snapshot). */
  alive: boolean;
}

/** Something a provider (or a tmux server) failed to do; the fleet went on without it. */
export interface ProviderFailedEvent {
  /** Provider id, or `tmux` for a tmux server. */
  providerId: string;
  /** What failed, e.g. `matchProcess`, `listTranscripts`, `read`, `statusFromPane`, `list-panes`. */
  operation: string;
  /** The error. */
  error: unknown;
}

/** Events of a `Fleet` (EventEmitter3, noun-verb names). */
export interface FleetEvents {
  /** A new agent process was found. */
  'agent-added': (agent: FleetAgent) => void;
  /** An agent process is gone (its last state is `exited`). */
  'agent-removed': (agent: FleetAgent) => void;
  /** The fused state changed. */
  'status-changed': (agent: FleetAgent, previous: AgentState) => void;
  /** A turn of an agent's main transcript ended. */
  'turn-ended': (agent: FleetAgent, turn: Turn) => void;
  /** An agent's cost or tokens changed. */
  'cost-updated': (agent: FleetAgent, cost: Cost) => void;
  /** A budget passed its warning fraction, or its spend is unknown and cannot be checked. */
  'budget-warning': (record: BudgetActionRecord) => void;
  /** A budget was exceeded; the record says which action was taken on which agents and why. */
  'budget-exceeded': (record: BudgetActionRecord) => void;
  /** A provider or tmux server failed; the others went on. */
  'provider-failed': (event: ProviderFailedEvent) => void;
  /** A poll finished; `changed` is true when any agent's row changed. */
  'poll-ended': (info: { changed: boolean; agents: number; durationMs: number }) => void;
}

/** Options of `createFleet`. */
export interface FleetOptions {
  /** Providers to recognise agents with; core never imports them. */
  providers: readonly ProviderV1[];
  /** Poll interval in ms (default 2000, at least 50). */
  pollMs?: number;
  /** Extra tmux server sockets to look for panes on (`tmux -S`). */
  tmuxSockets?: readonly string[];
  /** Also look at the default tmux server (default true). */
  tmuxDefaultServer?: boolean;
  /** Only agents running in a pane of the listed tmux servers (default false: every agent process). */
  onlyTmuxPanes?: boolean;
  /** Environment for the providers' paths (`HOME`, `CLAUDE_CONFIG_DIR`, …); default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Budget rules (see `BudgetRule`). */
  budgets?: readonly BudgetRule[];
  /** A usage ledger to feed (shared with other components); default a new one with `priceTable`. */
  costIndex?: UsageLedger;
  /** Prices for the default ledger. */
  priceTable?: PriceTable;
  /** IANA time zone of the `day` budget (default the local zone); use the same as `costIndex`. */
  timeZone?: string;
  /** Directory for the budget action log and hook events (default `$AGENTMUX_STATE_DIR` or `~/.agentmux`). */
  stateDir?: string;
  /** Claude hook receiver: `true` (default) reads `<stateDir>/hooks`, `false` none, or a receiver. */
  hooks?: boolean | HookReceiver;
  /** Pane captures: `auto` (default) for agents without hook evidence, `always`, or `never`. */
  capturePanes?: 'auto' | 'always' | 'never';
  /** How often (ms) transcripts are listed again to find new subagent files and late sessions (default 10000). */
  rescanMs?: number;
  /** See `FuseOptions.weakOverrideMs` (default 5000). */
  weakOverrideMs?: number;
  /** Grace before SIGKILL when killing (default 3000). */
  killGraceMs?: number;
  /** Process table source (default `auto`). */
  processSource?: 'auto' | 'proc' | 'ps-list';
  /** Start polling at once (default true); otherwise call `poll()` or `start()`. */
  autoStart?: boolean;
}
