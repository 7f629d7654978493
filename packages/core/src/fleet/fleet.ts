import { homedir } from 'node:os';
import { join } from 'node:path';
import { EventEmitter } from 'eventemitter3';
import { createDayKey } from '../cost/cost-aggregate.js';
import { UsageLedger } from '../cost/usage-ledger.js';
import { discoverProcesses } from '../discovery/discover-processes.js';
import { ProcessTable, takeProcessSnapshot } from '../discovery/process-snapshot.js';
import { assignSessions, type SessionClaim } from '../discovery/session-matcher.js';
import { capturePanes, findPaneForPid, listTmuxPanes, sendEscape, type TmuxPane } from '../discovery/tmux-panes.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { NotFoundError } from '../errors/not-found-error.js';
import type { StatusEvidence } from '../spec/agent-status.js';
import type { ProcessMatch, ProviderV1 } from '../spec/provider-v1.js';
import { totalTokens } from '../spec/usage.js';
import { explainStatus, fuseStatus } from '../status/fuse-status.js';
import { createHookReceiver, type HookReceiver } from '../status/hook-receiver.js';
import { killAgentProcess } from './budget-actions.js';
import { BudgetEnforcer } from './budget-enforcer.js';
import { parseBudgets } from './budgets.js';
import type { FleetAgent, FleetEvents, FleetOptions, ProviderFailedEvent } from './fleet-types.js';
import { SessionDirectory } from './session-directory.js';
import type { SessionTracker } from './session-tracker.js';
import { buildAgentRow, rowSignature, type LiveAgent } from './live-agent.js';

/**
 * Watches every agent process on the machine: discovery, session matching, fused status, live cost, budgets.
 * Typed EventEmitter3; dispose with `await using` (or `dispose()`).
 */
export class Fleet extends EventEmitter<FleetEvents> implements AsyncDisposable {
  /** The usage ledger the fleet feeds (per-session, per-project, per-day and total costs). */
  readonly ledger: UsageLedger;
  /** The Claude hook receiver, when enabled. */
  readonly hooks: HookReceiver | undefined;
  /** Directory of the action log and hook events. */
  readonly stateDir: string;
  private readonly providers: readonly ProviderV1[];
  private readonly options: FleetOptions;
  private readonly pollMs: number;
  private readonly rescanMs: number;
  private readonly live = new Map<string, LiveAgent>();
  private readonly directory: SessionDirectory;
  private readonly budgets: BudgetEnforcer;
  private readonly lastFailure = new Map<string, string>();
  private lastListAt = 0;
  private readonly table = new ProcessTable();
  private polls = 0;
  private panes: TmuxPane[] = [];
  private lastPaneListAt = 0;
  private lastFound = new Set<string>();
  private readonly matchMemo = new WeakMap<object, { providerId: string; match: ProcessMatch } | null>();
  private ownPgid: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private disposed = false;

  constructor(options: FleetOptions) {
    super();
    if (!Array.isArray(options.providers) || options.providers.length === 0) {
      throw new InvalidArgumentError('providers', 'no providers given', 'pass the providers to recognise, e.g. [claude(), codex(), gemini()]');
    }
    const pollMs = options.pollMs ?? 2000;
    if (!Number.isFinite(pollMs) || pollMs < 50) throw new InvalidArgumentError('pollMs', `${pollMs} is too small`, 'use at least 50 ms (default 2000)');
    this.options = options;
    this.providers = options.providers;
    this.pollMs = pollMs;
    this.rescanMs = options.rescanMs ?? 10_000;
    const env = options.env ?? process.env;
    this.stateDir = options.stateDir ?? env['AGENTMUX_STATE_DIR'] ?? join(env['HOME'] ?? homedir(), '.agentmux');
    this.ledger = options.costIndex ?? new UsageLedger({ ...(options.priceTable ? { priceTable: options.priceTable } : {}), ...(options.timeZone ? { timeZone: options.timeZone } : {}) });
    this.hooks = options.hooks === false ? undefined : options.hooks === undefined || options.hooks === true ? createHookReceiver({ dir: join(this.stateDir, 'hooks'), writeScript: false }) : options.hooks;
    this.directory = new SessionDirectory(options.env, (e) => this.report(e));
    this.budgets = new BudgetEnforcer(
      parseBudgets(options.budgets),
      this.ledger,
      createDayKey(options.timeZone),
      { pause: (a, r) => this.pauseAgent(a.id, r), kill: (a) => this.killAgent(a.id) },
      join(this.stateDir, 'budget-actions.jsonl'),
      (record) => this.emit(record.kind === 'exceeded' ? 'budget-exceeded' : 'budget-warning', record),
    );
    if (options.autoStart !== false) this.start();
  }

  /** Starts polling every `pollMs` (the first poll at once). */
  start(): void {
    if (this.timer || this.disposed) return;
    const loop = async () => {
      await this.poll();
      if (!this.disposed) this.timer = setTimeout(() => void loop(), this.pollMs);
    };
    this.timer = setTimeout(() => void loop(), 0);
  }

  /** Stops polling (an ongoing poll finishes). */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Polls once now (concurrent calls share one poll). Never throws: failures are `provider-failed` events. */
  poll(): Promise<void> {
    this.running ??= this.pollOnce()
      .catch((error: unknown) => this.report({ providerId: 'fleet', operation: 'poll', error }))
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  /** Live agents, ordered by start time. */
  snapshot(): FleetAgent[] {
    return [...this.live.values()].flatMap((a) => (a.row ? [a.row] : [])).sort((a, b) => (a.startedAt ?? '').localeCompare(b.startedAt ?? '') || a.pid - b.pid);
  }

  /** One live agent by id or name; throws `NotFoundError`. */
  get(idOrName: string): FleetAgent {
    return this.find(idOrName).row as FleetAgent;
  }

  /** Which source and rule decided the agent's status, and what the other sources said. */
  explain(idOrName: string): string {
    const a = this.find(idOrName);
    return explainStatus(a.fused);
  }

  /** True when the agent is paused: components that deliver queued work must hold it. */
  isPaused(idOrName: string): boolean {
    const a = this.live.get(idOrName) ?? [...this.live.values()].find((x) => x.row?.name === idOrName);
    return a?.paused ?? false;
  }

  /** Pauses an agent: Escape in its tmux pane (interrupts the current turn) and the `paused` flag. */
  async pause(idOrName: string, reason = 'paused by request'): Promise<string> {
    return this.pauseAgent(this.find(idOrName).id, reason);
  }

  /** Clears the `paused` flag. */
  resume(idOrName: string): void {
    const a = this.find(idOrName);
    a.paused = false;
    if (a.row) a.row = { ...a.row, paused: false };
  }

  /** Stops an agent: SIGTERM to its process group, SIGKILL after the grace period. */
  async kill(idOrName: string): Promise<string> {
    return this.killAgent(this.find(idOrName).id);
  }

  /** Stops polling and waits for an ongoing poll. */
  async dispose(): Promise<void> {
    this.disposed = true;
    this.stop();
    await this.running;
    this.removeAllListeners();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }

  private find(idOrName: string): LiveAgent {
    const a = this.live.get(idOrName) ?? [...this.live.values()].find((x) => x.row?.name === idOrName);
    if (!a?.row) throw new NotFoundError('agent', idOrName, 'List agents with fleet.snapshot() or `agentmux ps`.');
    return a;
  }

  private report(e: ProviderFailedEvent): void {
    const key = `${e.providerId}\0${e.operation}`;
    const text = e.error instanceof Error ? e.error.message : String(e.error);
    if (this.lastFailure.get(key) === text) return; // the same failure again: reported once
    this.lastFailure.set(key, text);
    this.emit('provider-failed', e);
  }

  private async pauseAgent(id: string, reason: string): Promise<string> {
    const a = this.live.get(id);
    if (!a) return 'already gone';
    a.paused = true;
    if (a.row) a.row = { ...a.row, paused: true };
    if (!a.pane) return `paused (no tmux pane, so the current turn was not interrupted): ${reason}`;
    await sendEscape(a.pane);
    return 'escape sent, paused';
  }

  private async killAgent(id: string): Promise<string> {
    const a = this.live.get(id);
    if (!a) return 'already gone';
    const p = a.found;
    return killAgentProcess(p.match.process.pid, p.pgid, { graceMs: this.options.killGraceMs ?? 3000, ...(this.ownPgid !== undefined ? { ownPgid: this.ownPgid } : {}) });
  }

  private async pollOnce(): Promise<void> {
    const t0 = performance.now();
    // Every few polls (one rescan period) the whole table is read again; in between only new and agent pids.
    const fullEvery = Math.max(1, Math.round(this.rescanMs / this.pollMs));
    const snapshot = await takeProcessSnapshot({
      source: this.options.processSource ?? 'auto',
      table: this.table,
      read: { full: this.polls % fullEvery === 0, watch: [...this.live.values()].map((a) => a.found.match.process.pid) },
    });
    this.polls += 1;
    this.ownPgid = snapshot.processes.get(process.pid)?.pgid;
    const { agents: found, failures } = discoverProcesses(snapshot, this.providers, this.matchMemo);
    for (const f of failures) this.report(f);
    // A process keeps its pane for life: tmux is listed only when new agents appear, and once per rescan period.
    const foundIds = new Set(found.map((d) => `${d.providerId}-${d.match.process.pid}`));
    const fresh = [...foundIds].some((id) => !this.lastFound.has(id));
    this.lastFound = foundIds;
    if (fresh || snapshot.takenAt.getTime() - this.lastPaneListAt >= this.rescanMs) {
      const tmux = await listTmuxPanes({ includeDefault: this.options.tmuxDefaultServer ?? true, sockets: this.options.tmuxSockets ?? [] });
      for (const e of tmux.errors) this.report({ providerId: 'tmux', operation: `list-panes ${e.server}`, error: new Error(e.message) });
      this.panes = tmux.panes;
      this.lastPaneListAt = snapshot.takenAt.getTime();
    }
    const panesByPid = new Map(this.panes.map((p) => [p.panePid, p]));
    const now = snapshot.takenAt;
    const added: LiveAgent[] = [];
    const seen = new Set<string>();
    for (const d of found) {
      const pid = d.match.process.pid;
      const pane = findPaneForPid(pid, snapshot, panesByPid);
      if (this.options.onlyTmuxPanes && !pane) continue;
      const id = `${d.providerId}-${pid}`;
      const provider = this.providers.find((p) => p.id === d.providerId) as ProviderV1;
      let a = this.live.get(id);
      if (a && a.found.match.process.startedAt !== d.match.process.startedAt) {
        await this.remove(a, now); // the pid was reused by another process
        a = undefined;
      }
      if (!a) {
        a = { id, provider, found: d, firstSeen: now.getTime(), pane: undefined, tracker: undefined, how: undefined, paneEvidence: undefined, fused: fuseStatus([]), paused: false, row: undefined };
        this.live.set(id, a);
        added.push(a);
      }
      seen.add(id);
      a.found = d;
      a.pane = pane;
    }
    for (const a of [...this.live.values()]) if (!seen.has(a.id)) await this.remove(a, now);
    await this.matchSessions(now, added.length > 0);
    for (const a of this.live.values()) {
      if (!a.tracker) continue;
      for (const f of await a.tracker.read()) this.report({ providerId: a.provider.id, operation: `read ${f.path}`, error: f.error });
    }
    if (this.hooks) await this.hooks.poll();
    await this.capture(now);
    let changed = added.length > 0;
    const addedIds = new Set(added.map((a) => a.id));
    for (const a of this.live.values()) {
      const evidence = [a.tracker ? this.hooks?.latest(a.tracker.sessionId) : undefined, a.tracker?.evidence(), a.paneEvidence].filter((e): e is StatusEvidence => e !== undefined);
      a.fused = fuseStatus(evidence, { now, ...(this.options.weakOverrideMs !== undefined ? { weakOverrideMs: this.options.weakOverrideMs } : {}) });
      const prev = a.row;
      const row = buildAgentRow(a, true, this.live, this.ledger);
      a.row = row;
      if (addedIds.has(a.id) || !prev) continue;
      if (rowSignature(prev) !== rowSignature(row)) changed = true;
      if (prev.status.state !== row.status.state) this.emit('status-changed', row, prev.status.state);
      for (const t of a.tracker?.takeEndedTurns() ?? []) {
        if (t.endedAt && Date.parse(t.endedAt) >= a.firstSeen - this.pollMs) this.emit('turn-ended', row, t);
      }
      if (prev.cost.usd !== row.cost.usd || prev.cost.pricedUsd !== row.cost.pricedUsd || totalTokens(prev.usage) !== totalTokens(row.usage)) {
        this.emit('cost-updated', row, row.cost);
      }
    }
    for (const a of added) {
      if (!a.row) continue;
      // Turns that ended before the agent was first seen are history, not events.
      for (const t of a.tracker?.takeEndedTurns() ?? []) if (t.endedAt && Date.parse(t.endedAt) >= a.firstSeen - this.pollMs) this.emit('turn-ended', a.row, t);
      this.emit('agent-added', a.row);
    }
    await this.budgets.evaluate(this.snapshot(), now);
    this.emit('poll-ended', { changed, agents: this.live.size, durationMs: performance.now() - t0 });
  }

  private async remove(a: LiveAgent, now: Date): Promise<void> {
    this.live.delete(a.id);
    if (a.tracker) {
      await a.tracker.read(); // the last lines
      a.tracker.owner = undefined;
    }
    const prevState = a.row?.status.state;
    a.fused = fuseStatus([], { alive: false, now });
    const row = buildAgentRow(a, false, this.live, this.ledger);
    if (!a.row) return; // never announced
    if (prevState && prevState !== 'exited') this.emit('status-changed', row, prevState);
    this.emit('agent-removed', row);
  }

  private async matchSessions(now: Date, newAgents: boolean): Promise<void> {
    const needing = [...this.live.values()].filter((a) => !a.tracker || !a.tracker.main);
    const sinceList = now.getTime() - this.lastListAt;
    const unmatchedEvery = Math.min(this.rescanMs, Math.max(2 * this.pollMs, 1000));
    if (!newAgents && !(needing.length > 0 && sinceList >= unmatchedEvery) && sinceList < this.rescanMs) return;
    const starts = needing.map((a) => Date.parse(a.found.match.process.startedAt ?? '')).filter((t) => !Number.isNaN(t));
    const floor = this.lastListAt === 0 ? now.getTime() - this.rescanMs : this.lastListAt;
    const sinceMs = Math.min(floor, ...(starts.length === needing.length ? starts : [0])) - 5000;
    this.lastListAt = now.getTime();
    for (const provider of this.providers) {
      await this.directory.refresh(provider, sinceMs > 0 ? new Date(sinceMs) : undefined);
      const mine = needing.filter((a) => a.provider === provider && !a.tracker);
      if (mine.length === 0) continue;
      const claims: SessionClaim[] = mine.map((a) => ({
        key: a.id,
        match: a.found.match,
        pick: (m, c) => {
          try {
            return provider.matchSession(m, c);
          } catch (error) {
            this.report({ providerId: provider.id, operation: 'matchSession', error });
            return null;
          }
        },
      }));
      const held = new Set([...this.live.values()].filter((a) => a.provider === provider && a.tracker).map((a) => (a.tracker as SessionTracker).sessionId));
      const assigned = assignSessions(claims, this.directory.candidates(provider.id), held);
      for (const a of mine) {
        const got = assigned.get(a.id);
        if (!got) continue;
        const tracker = this.directory.ensure(provider, got.sessionId);
        tracker.owner = a.id;
        if (!tracker.attached) tracker.attach((records, source, retracted) => this.ledger.add(records, source, retracted));
        a.tracker = tracker;
        a.how = got.how;
      }
    }
  }

  private async capture(now: Date): Promise<void> {
    const mode = this.options.capturePanes ?? 'auto';
    const bySocket = new Map<string, LiveAgent[]>();
    for (const a of this.live.values()) {
      a.paneEvidence = undefined;
      if (!a.pane || mode === 'never') continue;
      if (mode === 'auto') {
        // The pane is read only when hooks and transcript cannot tell: no hook evidence, and the transcript says
        // nothing or something other than idle (a pending tool may be a permission prompt).
        if (a.tracker && this.hooks?.latest(a.tracker.sessionId)) continue;
        if (a.tracker?.evidence()?.state === 'idle') continue;
      }
      bySocket.set(a.pane.socketPath, [...(bySocket.get(a.pane.socketPath) ?? []), a]);
    }
    await Promise.all(
      [...bySocket].map(async ([socket, agents]) => {
        let texts: Map<string, string>;
        try {
          texts = await capturePanes(socket, agents.map((a) => (a.pane as TmuxPane).paneId));
        } catch (error) {
          this.report({ providerId: 'tmux', operation: `capture-pane ${socket}`, error });
          return;
        }
        for (const a of agents) {
          const text = texts.get((a.pane as TmuxPane).paneId);
          if (text === undefined) continue;
          try {
            a.paneEvidence = a.provider.statusFromPane(text, now) ?? undefined;
          } catch (error) {
            this.report({ providerId: a.provider.id, operation: 'statusFromPane', error });
          }
        }
      }),
    );
  }
}

/** Creates a fleet watcher (polling at once unless `autoStart: false`). */
export function createFleet(options: FleetOptions): Fleet {
  return new Fleet(options);
}
