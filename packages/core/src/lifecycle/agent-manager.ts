import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { EventEmitter } from 'eventemitter3';
import { assertAbsolutePath, assertSessionName, assertShellSafePath } from '../backends/input-validation.js';
import { assertDirectory, resolveExecutable } from '../backends/backend-helpers.js';
import { isHeadlessBackend } from '../backends/headless-backend.js';
import { InvalidArgumentError, NotFoundError, UnsupportedCapabilityError } from '../errors/index.js';
import type { AgentStatus, CommandSpec, HeadlessEvent, KillOptions, ProviderV1, SessionBackendV1 } from '../spec/index.js';
import type { AgentRecord, QueuedMessage } from './agent-record.js';
import { freshWatch, type AgentRuntime } from './agent-runtime.js';
import { AgentStore } from './agent-store.js';
import { KeyedMutex } from './keyed-mutex.js';
import type { AgentManagerEvents } from './lifecycle-events.js';
import { searchLogs, type LogMatch } from './log-search.js';
import { MessageQueue, type SendResult } from './message-queue.js';
import { decideStatus } from './agent-status-probe.js';
import { TranscriptTracker } from './transcript-tracker.js';
import { checkSendArgs, checkSpawnOptions, DEFAULT_PASS_ENV, type AgentManagerOptions, type SendOptions, type SpawnOptions } from './manager-options.js';
import { Watchdog } from './watchdog.js';
import { addWorktree } from './worktree.js';

export { DEFAULT_PASS_ENV, type AgentManagerOptions, type SendOptions, type SpawnOptions } from './manager-options.js';

/**
 * Spawns, supervises and talks to agent CLIs in a session backend. Persisted state lets another process
 * (the CLI) pick agents up again. Dispose with `await using`.
 */
export class AgentManager extends EventEmitter<AgentManagerEvents> implements AsyncDisposable {
  readonly backend: SessionBackendV1;
  readonly store: AgentStore;
  readonly options: AgentManagerOptions;
  /** @internal */ readonly runtimes = new Map<string, AgentRuntime>();
  /** @internal */ readonly mutex = new KeyedMutex();
  /** @internal */ readonly queue: MessageQueue;
  private readonly watchdog: Watchdog | null;
  private readonly extraProviders = new Map<string, ProviderV1>();

  constructor(options: AgentManagerOptions) {
    super();
    assertAbsolutePath(options.stateDir, 'createAgentManager.stateDir');
    if (options.backend.id === 'tmux') assertShellSafePath(join(options.stateDir, 'agents'), 'createAgentManager.stateDir');
    this.options = options;
    this.backend = options.backend;
    this.store = new AgentStore(options.stateDir);
    this.queue = new MessageQueue(this);
    this.watchdog = options.watchdog === false ? null : new Watchdog(this, options.watchdog ?? {});
    this.watchdog?.start();
  }

  /** @internal Resolves a provider object or id. */
  provider(p: ProviderV1 | string): ProviderV1 {
    if (typeof p !== 'string') return p;
    const found = this.options.providers.find((x) => x.id === p) ?? this.extraProviders.get(p);
    if (!found) throw new InvalidArgumentError('provider', `unknown provider "${p}"`, `pass one of: ${this.options.providers.map((x) => x.id).join(', ') || '(none configured)'}`);
    return found;
  }

  /** @internal The runtime of an agent, loading its record from disk when needed. */
  async runtime(name: string): Promise<AgentRuntime> {
    assertSessionName(name, 'agent name');
    const known = this.runtimes.get(name);
    if (known) return known;
    const record = await this.store.load(name);
    if (!record) throw new NotFoundError('agent', name, `Spawn it first (state dir ${this.options.stateDir}).`);
    return this.adopt(record, {});
  }

  /** @internal Creates the in-memory runtime for a record. */
  adopt(record: AgentRecord, env: Record<string, string>, provider = this.provider(record.providerId)): AgentRuntime {
    // Env values are never persisted: for an agent of another process, take the recorded keys from our env.
    const base = this.options.env ?? process.env;
    for (const key of record.envKeys) {
      const value = base[key];
      if (env[key] === undefined && value !== undefined) env[key] = value;
    }
    const rt: AgentRuntime = {
      record, provider, env, ready: false, startedAtMs: Date.parse(record.startedAt) || Date.now(), expectingExit: false, restartAt: null,
      watch: freshWatch(),
      tracker: undefined as unknown as TranscriptTracker,
    };
    rt.tracker = this.makeTracker(rt);
    this.runtimes.set(record.name, rt);
    return rt;
  }

  private makeTracker(rt: AgentRuntime): TranscriptTracker {
    return new TranscriptTracker(
      {
        provider: rt.provider,
        cwd: rt.record.cwd,
        env: { ...(this.options.env ?? process.env), ...rt.env },
        sessionId: rt.record.sessionId,
        transcriptPath: rt.record.transcriptPath,
        since: new Date(rt.startedAtMs),
        claimed: () => new Set([...this.runtimes.values()].filter((o) => o !== rt && o.record.transcriptPath).map((o) => o.record.transcriptPath as string)),
      },
      (update) => {
        const name = rt.record.name;
        if (update.located && !rt.record.transcriptPath) {
          rt.record.transcriptPath = update.located.path;
          if (!rt.record.sessionId && update.located.sessionId) {
            rt.record.sessionId = update.located.sessionId;
            rt.record.sessionIdSource = 'transcript';
          }
          void this.save(rt).catch((error: unknown) => this.emit('agent-errored', { name, error }));
          this.emit('session-learned', { name, sessionId: rt.record.sessionId ?? update.located.sessionId, transcriptPath: update.located.path });
        }
        for (const turn of update.startedTurns) this.emit('turn-started', { name, turn });
        for (const tool of update.newTools) this.emit('tool-started', { name, tool });
        for (const turn of update.endedTurns) this.emit('turn-ended', { name, turn });
        this.watchdog?.observe(rt, update);
      },
    );
  }

  /** @internal Persists a record (atomically). */
  async save(rt: AgentRuntime): Promise<void> {
    rt.record.updatedAt = new Date().toISOString();
    await this.store.save(rt.record);
  }

  /** @internal Starts the record's process with `cmd`. */
  async startProcess(rt: AgentRuntime, cmd: CommandSpec): Promise<void> {
    rt.ready = false;
    rt.expectingExit = false;
    rt.restartAt = null;
    rt.startedAtMs = Date.now();
    rt.watch = freshWatch();
    rt.record.command = { command: cmd.command, args: cmd.args };
    rt.record.state = 'starting';
    const base = this.options.env ?? process.env;
    const passed: Record<string, string> = {};
    for (const key of this.options.passEnv ?? DEFAULT_PASS_ENV) {
      const value = base[key];
      if (value !== undefined) passed[key] = value;
    }
    const env = { ...passed, ...cmd.env, ...rt.env };
    const command = resolveExecutable(cmd.command, env['PATH']);
    const start = {
      name: rt.record.name, command, args: cmd.args, cwd: cmd.cwd, env,
      logFile: rt.record.logFile, cols: this.options.cols ?? 120, rows: this.options.rows ?? 40,
    };
    const backend = this.backend;
    const info = isHeadlessBackend(backend)
      ? await backend.start({ ...start, ...(rt.provider.createHeadlessParser ? { parser: rt.provider.createHeadlessParser(cmd.outputFormat) } : {}) })
      : await backend.start(start);
    if (isHeadlessBackend(backend)) backend.subscribe(rt.record.name, (event) => this.onHeadlessEvent(rt, event));
    rt.record.pid = info.pid;
    rt.record.state = 'running';
    rt.record.startedAt = new Date(rt.startedAtMs).toISOString();
    await this.save(rt);
  }

  private onHeadlessEvent(rt: AgentRuntime, event: HeadlessEvent): void {
    const name = rt.record.name;
    if (event.type === 'session-started' && !rt.record.sessionId) {
      rt.record.sessionId = event.sessionId;
      rt.record.sessionIdSource = 'transcript';
      void this.save(rt).catch((error: unknown) => this.emit('agent-errored', { name, error }));
      this.emit('session-learned', { name, sessionId: event.sessionId, transcriptPath: '' });
    } else if (event.type === 'turn-started') this.emit('turn-started', { name, turn: event.turn });
    else if (event.type === 'tool-started') this.emit('tool-started', { name, tool: event.tool });
    else if (event.type === 'turn-ended') this.emit('turn-ended', { name, turn: event.turn });
    else if (event.type === 'error') this.emit('agent-errored', { name, error: new Error(event.message) });
  }

  /** Starts a new agent and, with `prompt`, delivers the first prompt (verified). */
  async spawn(providerArg: ProviderV1 | string, options: SpawnOptions): Promise<AgentRecord> {
    const provider = this.provider(providerArg);
    checkSpawnOptions(options);
    const name = options.name;
    if (this.runtimes.has(name) || (await this.store.load(name))) {
      throw new InvalidArgumentError('spawn.name', `an agent named "${name}" already exists`, 'pick another name, or resume()/remove() the existing agent');
    }
    await assertDirectory(options.cwd, 'spawn.cwd');
    const env = options.env ?? {};
    let cwd = options.cwd;
    let worktree: AgentRecord['worktree'] = null;
    if (options.worktree) {
      const path = options.worktree.path ?? join(this.options.stateDir, 'worktrees', name);
      assertAbsolutePath(path, 'spawn.worktree.path');
      worktree = await addWorktree(options.cwd, name, options.worktree.baseBranch, path);
      cwd = worktree.path;
    }
    const headless = this.backend.id === 'headless';
    const cmd = provider.buildSpawnCommand({
      // Only a caller's id: Claude presets a fresh one itself, Codex/Gemini refuse any (learned from the transcript).
      cwd, env, ...(options.sessionId !== undefined ? { sessionId: options.sessionId } : {}),
      ...(options.model ? { model: options.model } : {}),
      ...(options.permissionMode ? { permissionMode: options.permissionMode } : {}),
      ...(headless ? { nonInteractive: true, ...(options.prompt !== undefined ? { prompt: options.prompt } : {}) } : {}),
    });
    const now = new Date().toISOString();
    const record: AgentRecord = {
      version: 1, name, providerId: provider.id, backend: this.backend.id, cwd,
      ...(options.model ? { model: options.model } : {}),
      ...(options.permissionMode ? { permissionMode: options.permissionMode } : {}),
      sessionId: cmd.sessionId ?? null, sessionIdSource: cmd.sessionId ? 'preset' : null, transcriptPath: null,
      envKeys: Object.keys(env).sort(), worktree, command: { command: cmd.command, args: cmd.args },
      logFile: this.store.logPath(name), state: 'starting', pid: null, restarts: 0, totalRestarts: 0,
      createdAt: now, startedAt: now, updatedAt: now,
    };
    this.extraProviders.set(provider.id, provider);
    const rt = this.adopt(record, { ...env }, provider);
    await this.startProcess(rt, cmd);
    this.emit('agent-spawned', { name, record: structuredClone(record) });
    if (options.prompt !== undefined && !headless) await this.send(name, options.prompt, { idempotencyKey: `spawn-prompt:${now}` });
    return structuredClone(rt.record);
  }

  /** Starts a stopped agent again with its session resumed (provider.buildResumeCommand). */
  async resume(name: string, options: { env?: Record<string, string> } = {}): Promise<AgentRecord> {
    const rt = await this.runtime(name);
    if (await this.backend.isAlive(name)) {
      throw new InvalidArgumentError('resume', `agent "${name}" is running`, 'kill() it first, or use restart()');
    }
    if (options.env) Object.assign(rt.env, options.env);
    await this.restartProcess(rt);
    this.emit('agent-resumed', { name, sessionId: rt.record.sessionId });
    return structuredClone(rt.record);
  }

  /** @internal Replaces a dead process with one that resumes the session (or a fresh one when unknown). */
  async restartProcess(rt: AgentRuntime): Promise<boolean> {
    await rt.tracker.poll().catch(() => undefined);
    const sessionId = rt.record.sessionId ?? rt.tracker.sessionId;
    const base = {
      cwd: rt.record.cwd, env: rt.env,
      ...(rt.record.model ? { model: rt.record.model } : {}),
      ...(rt.record.permissionMode ? { permissionMode: rt.record.permissionMode } : {}),
    };
    const missing = rt.record.envKeys.filter((k) => rt.env[k] === undefined);
    if (missing.length > 0) {
      this.emit('agent-errored', {
        name: rt.record.name,
        error: new Error(`restarting without ${missing.join(', ')}: env values are not stored on disk; pass them with resume({ env }) or in the manager's env`),
      });
    }
    const resumed = Boolean(sessionId && rt.provider.buildResumeCommand);
    const cmd = resumed && rt.provider.buildResumeCommand
      ? rt.provider.buildResumeCommand({ ...base, sessionId: sessionId as string })
      : rt.provider.buildSpawnCommand(base);
    if (!resumed) {
      rt.record.sessionId = cmd.sessionId ?? null;
      rt.record.sessionIdSource = cmd.sessionId ? 'preset' : null;
      rt.record.transcriptPath = null;
      rt.tracker.retarget({ sessionId: rt.record.sessionId, transcriptPath: null, since: new Date() });
    } else if (sessionId && !rt.record.sessionId) {
      rt.record.sessionId = sessionId;
      rt.record.sessionIdSource = 'resume';
    }
    rt.expectingExit = true;
    await this.backend.kill(rt.record.name, { graceMs: 1000 }).catch(() => undefined);
    await this.startProcess(rt, cmd);
    return resumed;
  }

  /** Starts a new agent `newName` whose session is forked from `name`'s (provider.buildForkCommand). */
  async fork(name: string, newName: string, options: { env?: Record<string, string>; cwd?: string } = {}): Promise<AgentRecord> {
    const src = await this.runtime(name);
    assertSessionName(newName, 'fork.newName');
    if (this.runtimes.has(newName) || (await this.store.load(newName))) {
      throw new InvalidArgumentError('fork.newName', `an agent named "${newName}" already exists`, 'pick another name');
    }
    if (!src.provider.buildForkCommand) {
      throw new UnsupportedCapabilityError(`provider:${src.provider.id}`, 'fork', 'spawn a new agent and send it the context instead');
    }
    await src.tracker.poll().catch(() => undefined);
    const fromSessionId = src.record.sessionId ?? src.tracker.sessionId;
    if (!fromSessionId) {
      throw new InvalidArgumentError('fork', `the session of "${name}" is not known yet`, 'send it a first prompt so its transcript appears, then fork');
    }
    const env = { ...src.env, ...(options.env ?? {}) };
    const cwd = options.cwd ?? src.record.cwd;
    const cmd = src.provider.buildForkCommand({
      cwd, env, fromSessionId, newSessionId: randomUUID(),
      ...(src.record.model ? { model: src.record.model } : {}),
      ...(src.record.permissionMode ? { permissionMode: src.record.permissionMode } : {}),
    });
    const now = new Date().toISOString();
    const record: AgentRecord = {
      ...structuredClone(src.record), name: newName, cwd, sessionId: cmd.sessionId ?? null, sessionIdSource: cmd.sessionId ? 'fork' : null,
      transcriptPath: null, envKeys: Object.keys(env).sort(), worktree: null, logFile: this.store.logPath(newName), state: 'starting',
      pid: null, restarts: 0, totalRestarts: 0, forkedFrom: name, createdAt: now, startedAt: now, updatedAt: now,
    };
    delete record.lastExit;
    delete record.failure;
    const rt = this.adopt(record, env, src.provider);
    await this.startProcess(rt, cmd);
    this.emit('agent-spawned', { name: newName, record: structuredClone(record) });
    return structuredClone(rt.record);
  }

  /** Stops an agent: SIGTERM to its process group, SIGKILL after the grace period. */
  async kill(name: string, options: KillOptions = {}): Promise<AgentRecord> {
    const rt = await this.runtime(name);
    rt.expectingExit = true;
    rt.restartAt = null;
    await this.backend.kill(name, options).catch((error: unknown) => {
      if (!NotFoundError.isInstance(error)) throw error;
    });
    rt.record.state = 'killed';
    rt.record.pid = null;
    rt.record.lastExit = { at: new Date().toISOString(), exitCode: null, expected: true };
    await this.save(rt);
    this.emit('agent-killed', { name });
    return structuredClone(rt.record);
  }

  /** Kills (when running) and starts the agent again with its session resumed. */
  async restart(name: string): Promise<AgentRecord> {
    await this.kill(name, { graceMs: 2000 });
    return this.resume(name);
  }

  /** Kills the agent if needed and deletes its record, queue and log. */
  async remove(name: string): Promise<void> {
    const rt = await this.runtime(name);
    if (await this.backend.isAlive(name)) await this.kill(name);
    else await this.backend.kill(name, { graceMs: 0 }).catch(() => undefined);
    this.runtimes.delete(rt.record.name);
    await this.store.remove(name);
  }

  /** One agent's record. */
  async get(name: string): Promise<AgentRecord> {
    return structuredClone((await this.runtime(name)).record);
  }

  /** Every stored agent's record, by name. */
  async list(): Promise<AgentRecord[]> {
    const out: AgentRecord[] = [];
    for (const name of this.store.names()) {
      const rt = this.runtimes.get(name);
      const record = rt?.record ?? (await this.store.load(name).catch(() => null));
      if (record) out.push(structuredClone(record));
    }
    return out;
  }

  /**
   * Sends `text` to an agent with verified delivery. Queued (persisted) while the agent works or is down,
   * delivered at the next turn boundary. Refuses control bytes with `InvalidArgumentError`.
   */
  async send(name: string, text: string, options: SendOptions = {}): Promise<SendResult> {
    checkSendArgs(text, options);
    const rt = await this.runtime(name);
    if (this.backend.id === 'headless') {
      throw new UnsupportedCapabilityError('backend:headless', 'send', 'a headless run takes its whole job as the spawn prompt; spawn a new agent, or use the tmux/pty backend to talk to it');
    }
    return this.queue.send(rt, text, options);
  }

  /** Messages not yet delivered, oldest first. */
  async pending(name: string): Promise<QueuedMessage[]> {
    await this.runtime(name);
    return this.store.queue(name);
  }

  /** The last `lines` lines of the agent's screen (scrollback included). */
  async peek(name: string, lines = 40): Promise<string> {
    await this.runtime(name);
    if (!Number.isInteger(lines) || lines < 1 || lines > 100_000) throw new InvalidArgumentError('peek.lines', `${lines} is out of range`, 'pass 1-100000');
    const text = await this.backend.capture(name, { scrollback: lines });
    const rows = text.replace(/\n+$/, '').split('\n');
    return `${rows.slice(Math.max(0, rows.length - lines)).join('\n')}\n`;
  }

  /** Searches every stored agent's output log. */
  async search(pattern: RegExp | string, limit?: number): Promise<LogMatch[]> {
    const records = await this.list();
    return searchLogs(records.map((r) => ({ name: r.name, logFile: r.logFile })), pattern, limit);
  }

  /** The agent's status from the pane and the transcript tail. */
  async status(name: string): Promise<AgentStatus> {
    return decideStatus(this.backend, await this.runtime(name));
  }

  /** Runs one supervisor pass now (liveness, restarts, queue, stuck/loop checks). */
  async tick(): Promise<void> {
    await this.watchdog?.tick();
    if (!this.watchdog) for (const rt of this.runtimes.values()) await this.queue.pump(rt);
  }

  /** Stops supervising; with `killOnDispose`, kills every agent it knows. Does not dispose the backend. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.watchdog?.stop();
    if (this.options.killOnDispose) {
      for (const name of this.runtimes.keys()) await this.kill(name, { graceMs: 1000 }).catch(() => undefined);
    }
    this.removeAllListeners();
  }
}

/** Creates an agent manager. */
export function createAgentManager(options: AgentManagerOptions): AgentManager {
  return new AgentManager(options);
}
