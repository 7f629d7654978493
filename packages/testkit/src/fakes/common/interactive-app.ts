import type { TextPool } from '../../content.js';
import { planTurn, type PlannedError, type ToolStep, type TurnPlan } from '../../plan.js';
import type { Rng } from '../../rng.js';
import { turnKnobs, type Scenario } from '../../scenario.js';
import { KeyParser, type KeyEvent } from './key-parser.js';
import { Screen } from './screen.js';
import { runTurn, type PermissionAnswer, type TurnAdapter, type TurnOutcome } from './turn-runner.js';

/** How a fake draws itself. */
export interface ProviderUi {
  banner(): string[];
  userEcho(prompt: string): string[];
  toolLines(tool: ToolStep): string[];
  answerLines(text: string): string[];
  interruptedLines(): string[];
  rejectedLines(): string[];
  errorLines(error: PlannedError): string[];
  workingLine(elapsedMs: number, tokens: number, frame: number): string;
  inputArea(buffer: string, width: number, state: 'idle' | 'working'): string[];
  permissionArea(tool: ToolStep, selected: number, width: number): string[];
  /** Number of permission choices; the last one means "no". */
  permissionChoices: number;
  /** Extra keys answering the permission prompt (e.g. codex `y`/`a`/`n`), mapped to a 1-based choice. */
  permissionKeys?: Record<string, number>;
  exitLines(): string[];
}

/** Provider-specific session behaviour around the turns. */
export interface SessionDriver {
  adapter: TurnAdapter;
  skipsPermission(tool: ToolStep): boolean;
  start(): Promise<void>;
  queued(text: string): void;
  dequeued(text: string): void;
  /** Called once after `idleNotifyMs` of idling (Claude's `idle_prompt` notification). */
  idle(): Promise<void>;
  exit(reason: string): Promise<void>;
}

export interface InteractiveOptions {
  ui: ProviderUi;
  driver: SessionDriver;
  scenario: Scenario;
  rng: Rng;
  pool: TextPool;
  initialPrompt?: string;
}

type Mode = 'idle' | 'working' | 'permission';

/** The raw-mode interactive loop shared by the three fakes. */
export class InteractiveApp {
  private readonly screen = new Screen(process.stdout);
  private readonly keys = new KeyParser();
  private mode: Mode = 'idle';
  private buffer = '';
  private readonly queue: string[] = [];
  private history: string[] = [];
  private turnStarted = 0;
  private tokens = 0;
  private frame = 0;
  private abort: AbortController | undefined;
  private permission: { tool: ToolStep; selected: number; resolve: (a: PermissionAnswer) => void } | undefined;
  private ctrlCArmed = false;
  private ctrlCTimer: NodeJS.Timeout | undefined;
  private spinner: NodeJS.Timeout | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private turnIndex = 0;
  private completedTurns = 0;
  private exiting = false;
  /** Input that arrived while the start hooks ran: handled once they are done (hooks fire in order). */
  private earlyInput: string[] | null = [];

  constructor(private readonly o: InteractiveOptions) {}

  async start(): Promise<void> {
    const stdin = process.stdin;
    if (stdin.isTTY) stdin.setRawMode(true);
    stdin.setEncoding('utf8');
    stdin.on('data', (chunk: string) => (this.earlyInput ? this.earlyInput.push(chunk) : this.onInput(chunk)));
    process.stdout.write('\x1b[?2004h');
    process.stdout.on('resize', () => this.draw());
    process.on('SIGTERM', () => void this.exit('other', 0));
    // The terminal is gone: restoring it would fail (Node aborts on EIO), so run the exit hooks and die.
    process.on('SIGHUP', () => void this.o.driver.exit('other').finally(() => process.kill(process.pid, 'SIGKILL')));
    this.history.push(...this.o.ui.banner());
    this.draw();
    await this.o.driver.start();
    const { crashAfterTurns, crashMode } = this.o.scenario;
    if (crashAfterTurns === 0 && crashMode !== 'mid-turn') process.exit(1);
    if (this.o.initialPrompt !== undefined && this.o.initialPrompt !== '') this.submit(this.o.initialPrompt);
    else this.armIdle();
    const early = this.earlyInput ?? [];
    this.earlyInput = null;
    for (const chunk of early) this.onInput(chunk);
  }

  private draw(): void {
    const ui = this.o.ui;
    const width = this.screen.width;
    let live: string[];
    if (this.mode === 'permission' && this.permission) {
      live = ['', ...ui.permissionArea(this.permission.tool, this.permission.selected, width)];
    } else if (this.mode === 'working') {
      live = ['', ui.workingLine(performance.now() - this.turnStarted, this.tokens, this.frame), '', ...ui.inputArea(this.buffer, width, 'working')];
    } else {
      live = ['', ...ui.inputArea(this.buffer, width, 'idle')];
    }
    if (this.queue.length > 0) live.splice(live.length - 1, 0, ...this.queue.map((q) => `  ⎿ queued: ${q.split('\n')[0] ?? ''}`));
    if (this.ctrlCArmed) live.push('  Press Ctrl-C again to exit');
    const history = this.history;
    this.history = [];
    this.screen.render(live, history);
  }

  private onInput(chunk: string): void {
    for (const ev of this.keys.feed(chunk)) this.onKey(ev);
    this.draw();
  }

  private onKey(ev: KeyEvent): void {
    if (this.exiting) return;
    if (ev.kind === 'ctrl-c') {
      if (this.ctrlCArmed) {
        void this.exit('prompt_input_exit', 0);
        return;
      }
      this.buffer = '';
      this.ctrlCArmed = true;
      clearTimeout(this.ctrlCTimer);
      this.ctrlCTimer = setTimeout(() => {
        this.ctrlCArmed = false;
        this.draw();
      }, 2000);
      return;
    }
    if (this.mode === 'permission' && this.permission) {
      const p = this.permission;
      const n = this.o.ui.permissionChoices;
      if (ev.kind === 'text') {
        for (const ch of ev.text) {
          const digit = Number.parseInt(ch, 10);
          if (digit >= 1 && digit <= n) p.selected = digit;
          const mapped = this.o.ui.permissionKeys?.[ch];
          if (mapped !== undefined) p.selected = mapped;
        }
      } else if (ev.kind === 'enter') {
        this.answerPermission(p.selected === 1 ? 'yes' : p.selected === n ? 'no' : 'always');
      } else if (ev.kind === 'escape') {
        this.answerPermission('no');
      }
      return;
    }
    switch (ev.kind) {
      case 'text':
      case 'paste':
        this.buffer += ev.text;
        break;
      case 'backspace':
        this.buffer = Array.from(this.buffer).slice(0, -1).join('');
        break;
      case 'escape':
        if (this.mode === 'working') this.abort?.abort();
        break;
      case 'enter': {
        const text = this.buffer;
        if (text.trim() === '') break;
        this.buffer = '';
        if (this.mode === 'idle') this.submit(text);
        else {
          this.queue.push(text);
          this.o.driver.queued(text);
        }
        break;
      }
      case 'ctrl-d':
        if (this.buffer === '' && this.mode === 'idle') void this.exit('prompt_input_exit', 0);
        break;
    }
  }

  private answerPermission(answer: PermissionAnswer): void {
    const p = this.permission;
    this.permission = undefined;
    this.mode = 'working';
    p?.resolve(answer);
  }

  private armIdle(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => void this.o.driver.idle(), this.o.scenario.idleNotifyMs ?? 60_000);
  }

  private submit(prompt: string): void {
    clearTimeout(this.idleTimer);
    const index = this.turnIndex++;
    const plan: TurnPlan = planTurn(prompt, turnKnobs(this.o.scenario, index), this.o.rng, this.o.pool);
    this.mode = 'working';
    this.turnStarted = performance.now();
    this.tokens = 0;
    this.history.push(...this.o.ui.userEcho(prompt));
    this.abort = new AbortController();
    this.spinner = setInterval(() => {
      this.frame++;
      this.draw();
    }, 120);
    this.draw();
    const { crashAfterTurns, crashMode } = this.o.scenario;
    const crashMid = crashMode === 'mid-turn' && crashAfterTurns !== undefined && this.completedTurns >= crashAfterTurns;
    void runTurn(plan, this.o.driver.adapter, {
      phase: () => this.draw(),
      toolCalled: (tool) => {
        this.history.push(...this.o.ui.toolLines(tool));
        this.draw();
      },
      answered: (text) => this.history.push(...this.o.ui.answerLines(text)),
      outputTokens: (n) => {
        this.tokens = n;
      },
      skipsPermission: (tool) => this.o.driver.skipsPermission(tool),
      askPermission: (tool) => new Promise<PermissionAnswer>((resolve) => {
        this.permission = { tool, selected: 1, resolve };
        this.mode = 'permission';
        this.draw();
      }),
    }, { signal: this.abort.signal, ...(crashMid ? { onFirstResponse: () => process.exit(1) } : {}) })
      .then((outcome) => this.turnEnded(outcome, plan), (error: unknown) => {
        this.history.push(`  ⎿  Error: ${(error as Error).message}`);
        this.turnEnded('error', plan);
      });
  }

  private turnEnded(outcome: TurnOutcome, plan: TurnPlan): void {
    clearInterval(this.spinner);
    this.mode = 'idle';
    this.permission = undefined;
    if (outcome === 'interrupted') this.history.push(...this.o.ui.interruptedLines());
    if (outcome === 'rejected') this.history.push(...this.o.ui.rejectedLines());
    if (outcome === 'error' && plan.error) this.history.push(...this.o.ui.errorLines(plan.error));
    if (outcome === 'completed') this.completedTurns++;
    this.draw();
    const { crashAfterTurns, crashMode } = this.o.scenario;
    if (crashMode !== 'mid-turn' && crashAfterTurns !== undefined && outcome === 'completed' && this.completedTurns >= crashAfterTurns) process.exit(1);
    const next = this.queue.shift();
    if (next !== undefined) {
      this.o.driver.dequeued(next);
      this.submit(next);
    } else this.armIdle();
  }

  private async exit(reason: string, code: number): Promise<void> {
    if (this.exiting) return;
    this.exiting = true;
    clearInterval(this.spinner);
    clearTimeout(this.idleTimer);
    clearTimeout(this.ctrlCTimer);
    this.abort?.abort();
    try {
      await this.o.driver.exit(reason);
    } catch {
      // A failing exit hook never blocks exiting.
    }
    this.ctrlCArmed = false;
    this.history.push(...this.o.ui.exitLines());
    this.mode = 'idle';
    this.screen.render([], this.history);
    process.stdout.write('\x1b[?2004l');
    if (process.stdin.isTTY) process.stdin.setRawMode(false);
    process.exit(code);
  }
}
