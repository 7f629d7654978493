import { createHash } from 'node:crypto';
import type { AgentManager } from './agent-manager.js';
import type { AgentRuntime } from './agent-runtime.js';
import { decideStatus, type ScreenProbe } from './agent-status-probe.js';
import type { TrackerUpdate } from './transcript-tracker.js';

/** Watchdog settings. */
export interface WatchdogOptions {
  /** Supervisor pass interval (default 1000 ms). */
  intervalMs?: number;
  /** Restart agents that exit unexpectedly, resuming their session (default true). */
  restart?: boolean;
  /** Give up after this many failed restarts in a row (default 5). */
  maxRestarts?: number;
  /** First backoff delay; doubles per failure (default 500 ms). */
  backoffBaseMs?: number;
  /** Backoff cap (default 30000 ms). */
  backoffMaxMs?: number;
  /** A run that lasts this long resets the failure count (default 60000 ms). */
  stableMs?: number;
  /** `agent-stuck` after working with nothing new on screen or in the transcript for this long (default 300000 ms). */
  stuckMs?: number;
  /** `agent-looping` when the same tool call (name + input) repeats this many times in a row (default 5). */
  repeatedToolCalls?: number;
  /** `agent-looping` when more tokens than this were billed in one minute (default 2000000). */
  tokensPerMinute?: number;
  /** Suggest compaction when the prompt side of the latest request exceeds this (default 160000 tokens). */
  compactionThresholdTokens?: number;
  /** Load every stored agent of this backend at the first pass, to supervise agents of earlier processes (default true). */
  adoptStored?: boolean;
}

/**
 * Supervises agents: restarts crashed ones with their session resumed (exponential backoff, gives up after
 * `maxRestarts` with an `agent-failed` event saying why), drains message queues at turn boundaries, and raises
 * `agent-stuck`, `agent-looping` and `compaction-suggested`.
 */
export class Watchdog {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private adopted = false;
  private readonly o: Required<WatchdogOptions>;

  constructor(private readonly m: AgentManager, options: WatchdogOptions) {
    this.o = {
      intervalMs: options.intervalMs ?? 1000, restart: options.restart ?? true, maxRestarts: options.maxRestarts ?? 5,
      backoffBaseMs: options.backoffBaseMs ?? 500, backoffMaxMs: options.backoffMaxMs ?? 30_000, stableMs: options.stableMs ?? 60_000,
      stuckMs: options.stuckMs ?? 300_000, repeatedToolCalls: options.repeatedToolCalls ?? 5, tokensPerMinute: options.tokensPerMinute ?? 2_000_000,
      compactionThresholdTokens: options.compactionThresholdTokens ?? 160_000, adoptStored: options.adoptStored ?? true,
    };
  }

  /** Starts the periodic pass (unref'd: it never keeps the process alive). */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.o.intervalMs);
    this.timer.unref();
  }

  /** Stops the periodic pass and waits for a running one. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One pass over every known agent; passes never overlap. */
  tick(): Promise<void> {
    if (this.running) return this.running;
    this.running = this.pass().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Backoff before restart number `attempt` (1-based). */
  backoffMs(attempt: number): number {
    return Math.min(this.o.backoffMaxMs, this.o.backoffBaseMs * 2 ** Math.max(0, attempt - 1));
  }

  private async pass(): Promise<void> {
    if (!this.adopted && this.o.adoptStored) {
      this.adopted = true;
      for (const name of this.m.store.names()) {
        if (this.m.runtimes.has(name)) continue;
        const record = await this.m.store.load(name).catch(() => null);
        if (record && record.backend === this.m.backend.id && ['running', 'starting', 'restarting'].includes(record.state)) {
          try {
            this.m.adopt(record, {});
          } catch (error) {
            this.m.emit('agent-errored', { name, error });
          }
        }
      }
    }
    for (const rt of [...this.m.runtimes.values()]) {
      try {
        await this.check(rt);
      } catch (error) {
        this.m.emit('agent-errored', { name: rt.record.name, error });
      }
    }
  }

  private async check(rt: AgentRuntime): Promise<void> {
    const name = rt.record.name;
    const now = Date.now();
    if (rt.record.state === 'restarting') {
      if (rt.restartAt !== null && now >= rt.restartAt) await this.restart(rt);
      return;
    }
    if (rt.record.state !== 'running') return;
    // One backend call for liveness and screen where the backend can (tmux, pty): fleets are polled every second.
    const probe = (this.m.backend as Partial<ScreenProbe>).probe;
    const probed = typeof probe === 'function' ? await probe.call(this.m.backend, name) : undefined;
    const alive = probed !== undefined ? (probed?.alive ?? false) : await this.m.backend.isAlive(name);
    if (!alive) {
      if (rt.expectingExit) return;
      const info = (await this.m.backend.list()).find((s) => s.name === name);
      const exitCode = info?.exitCode ?? null;
      rt.record.pid = null;
      if (this.m.backend.id === 'headless') {
        // A non-interactive run ends by itself: exit 0 is its normal end, never restarted.
        rt.record.lastExit = { at: new Date().toISOString(), exitCode, expected: exitCode === 0 };
        rt.record.state = 'exited';
        await this.m.save(rt);
        this.m.emit('agent-exited', { name, exitCode, expected: exitCode === 0 });
        return;
      }
      rt.record.lastExit = { at: new Date().toISOString(), exitCode, expected: false };
      if (this.o.restart) {
        rt.record.state = 'restarting';
        rt.restartAt = now + this.backoffMs(rt.record.restarts + 1);
      } else {
        rt.record.state = 'exited';
      }
      await this.m.save(rt);
      this.m.emit('agent-exited', { name, exitCode, expected: false });
      return;
    }
    if (rt.record.restarts > 0 && now - rt.startedAtMs >= this.o.stableMs) {
      rt.record.restarts = 0;
      await this.m.save(rt);
    }
    await rt.tracker.poll().catch(() => undefined);
    // Delivery may wait for a turn to end: never hold up the other agents' checks.
    void this.m.queue.pump(rt).catch((error: unknown) => this.m.emit('agent-errored', { name, error }));
    await this.checkStuck(rt, now, probed?.screen);
    this.checkTokenRate(rt);
  }

  private async restart(rt: AgentRuntime): Promise<void> {
    const name = rt.record.name;
    const attempt = rt.record.restarts + 1;
    if (attempt > this.o.maxRestarts) {
      const code = rt.record.lastExit?.exitCode;
      const reason = `exited unexpectedly ${rt.record.restarts + 1} times in a row (last exit code ${code ?? 'unknown'}); gave up after ${this.o.maxRestarts} restarts`;
      rt.record.state = 'failed';
      rt.record.failure = reason;
      rt.restartAt = null;
      await this.m.save(rt);
      this.m.emit('agent-failed', { name, attempts: rt.record.restarts, reason });
      return;
    }
    rt.record.restarts = attempt;
    rt.record.totalRestarts += 1;
    try {
      const resumed = await this.m.restartProcess(rt);
      this.m.emit('agent-restarted', { name, attempt, sessionId: rt.record.sessionId, resumed });
    } catch (error) {
      rt.record.state = 'restarting';
      rt.restartAt = Date.now() + this.backoffMs(attempt + 1);
      await this.m.save(rt);
      this.m.emit('agent-errored', { name, error });
    }
  }

  private async checkStuck(rt: AgentRuntime, now: number, probedScreen?: string): Promise<void> {
    const screen = probedScreen ?? (await this.m.backend.capture(rt.record.name).catch(() => ''));
    const h = createHash('sha1').update(screen).digest('hex');
    const w = rt.watch;
    if (h !== w.screenHash || rt.tracker.lastGrowthAt > w.lastChangeAt) {
      w.screenHash = h;
      w.lastChangeAt = Math.max(now, rt.tracker.lastGrowthAt);
      w.stuckReported = false;
      return;
    }
    if (w.stuckReported || now - w.lastChangeAt < this.o.stuckMs) return;
    const status = await decideStatus(this.m.backend, rt, screen);
    if (status.state !== 'working') return;
    w.stuckReported = true;
    this.m.emit('agent-stuck', { name: rt.record.name, idleMs: now - w.lastChangeAt });
  }

  private checkTokenRate(rt: AgentRuntime): void {
    const perMinute = rt.tracker.tokensInWindow(60_000);
    if (perMinute > this.o.tokensPerMinute) {
      if (!rt.watch.tokenRateReported) {
        rt.watch.tokenRateReported = true;
        this.m.emit('agent-looping', { name: rt.record.name, reason: 'token-rate', detail: `${perMinute} tokens in the last minute (limit ${this.o.tokensPerMinute})` });
      }
    } else {
      rt.watch.tokenRateReported = false;
    }
  }

  /** Called for every transcript update: repeated tool calls and context size. */
  observe(rt: AgentRuntime, update: TrackerUpdate): void {
    const w = rt.watch;
    for (const tool of update.newTools) {
      const signature = `${tool.name}\u0000${tool.inputSummary}`;
      if (signature === w.toolSignature) w.toolStreak += 1;
      else {
        w.toolSignature = signature;
        w.toolStreak = 1;
        w.toolLoopReported = false;
      }
      if (w.toolStreak >= this.o.repeatedToolCalls && !w.toolLoopReported) {
        w.toolLoopReported = true;
        this.m.emit('agent-looping', { name: rt.record.name, reason: 'repeated-tool-call', detail: `${tool.name}(${tool.inputSummary.slice(0, 80)}) called ${w.toolStreak} times in a row` });
      }
    }
    const context = rt.tracker.contextTokens;
    if (context > this.o.compactionThresholdTokens && !w.compactionSuggested) {
      w.compactionSuggested = true;
      const event = { name: rt.record.name, contextTokens: context };
      this.m.emit('compaction-suggested', event);
      void Promise.resolve()
        .then(() => this.m.options.onCompactionSuggested?.(event))
        .catch((error: unknown) => this.m.emit('agent-errored', { name: rt.record.name, error }));
    } else if (context <= this.o.compactionThresholdTokens) {
      w.compactionSuggested = false;
    }
  }
}
