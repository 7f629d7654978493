import type { BudgetActionRecord, Fleet, FleetAgent } from '@agentmux/core';
import { SORT_KEYS, orderRows, renderTable, topColumns, totals, type SortKey } from './agent-table.js';
import { costStyle, fit, formatCost, formatTokens, type Paint } from './format.js';

/** What `top` needs from a fleet (a `Fleet`, or a fake extending `EventEmitter<FleetEvents>` in tests). */
export type TopFleet = Pick<Fleet, 'snapshot' | 'kill' | 'explain' | 'on' | 'off'>;

/** Terminal side of `top`; injectable for tests. */
export interface TopTerminal {
  write(text: string): void;
  columns(): number;
  rows(): number;
}

type Mode = 'normal' | 'filter' | 'confirm-kill';

const ESC = '\u001b[';
const HELP = '↑↓ select  s sort  / filter  k kill  q quit';

/**
 * The `agentmux top` screen: a table of agents (sort by cost, age or name; filter), a totals row, kill with
 * confirmation. Redraws only when the frame changed, and then only the changed lines.
 */
export class TopApp {
  sort: SortKey = 'cost';
  filter = '';
  mode: Mode = 'normal';
  message = '';
  private draft = '';
  private selectedId: string | undefined;
  private previous: string[] = [];
  private closed = false;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    private readonly fleet: TopFleet,
    private readonly term: TopTerminal,
    private readonly paint: Paint,
    private readonly onQuit: () => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Enters the alternate screen, subscribes to the fleet and draws. */
  open(): void {
    this.term.write(`${ESC}?1049h${ESC}?25l${ESC}2J`);
    const redraw = () => this.draw();
    const onBudget = (r: BudgetActionRecord) => {
      this.message = `budget ${r.kind}: ${r.reason}${r.action !== 'warn' ? ` → ${r.action}` : ''}`;
      this.draw();
    };
    this.fleet.on('poll-ended', redraw);
    this.fleet.on('budget-exceeded', onBudget);
    this.fleet.on('budget-warning', onBudget);
    this.unsubscribe.push(
      () => this.fleet.off('poll-ended', redraw),
      () => this.fleet.off('budget-exceeded', onBudget),
      () => this.fleet.off('budget-warning', onBudget),
    );
    this.draw();
  }

  /** Leaves the alternate screen and unsubscribes. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const off of this.unsubscribe.splice(0)) off();
    this.term.write(`${ESC}?25h${ESC}?1049l`);
  }

  /** The rows in display order (after sort and filter). */
  rows(): FleetAgent[] {
    return orderRows(this.fleet.snapshot(), this.sort, this.filter, this.now()).map((r) => r.agent);
  }

  /** Handles a chunk of terminal input: several keys may arrive in one chunk. */
  handleInput(chunk: string): void {
    for (const key of splitKeys(chunk)) this.handleKey(key);
  }

  /** Handles one key (a character or an escape sequence). */
  handleKey(key: string): void {
    if (this.mode === 'filter') return this.filterKey(key);
    if (this.mode === 'confirm-kill') return void this.confirmKey(key);
    const rows = this.rows();
    const at = Math.max(0, rows.findIndex((a) => a.id === this.selectedId));
    switch (key) {
      case 'q':
      case '\u0003':
        this.onQuit();
        return;
      case `${ESC}A`:
        this.selectedId = rows[Math.max(0, at - 1)]?.id;
        break;
      case `${ESC}B`:
        this.selectedId = rows[Math.min(rows.length - 1, at + 1)]?.id;
        break;
      case 's':
        this.sort = SORT_KEYS[(SORT_KEYS.indexOf(this.sort) + 1) % SORT_KEYS.length] as SortKey;
        break;
      case '/':
        this.mode = 'filter';
        this.draft = this.filter;
        break;
      case '\u001b':
        this.filter = '';
        this.message = '';
        break;
      case 'k': {
        const target = rows.find((a) => a.id === this.selectedId) ?? rows[0];
        if (!target) {
          this.message = 'nothing to kill';
          break;
        }
        this.selectedId = target.id;
        this.mode = 'confirm-kill';
        break;
      }
      default:
        return;
    }
    this.draw();
  }

  private filterKey(key: string): void {
    if (key === '\r' || key === '\n') {
      this.filter = this.draft;
      this.mode = 'normal';
    } else if (key === '\u001b') {
      this.mode = 'normal';
    } else if (key === '\u007f' || key === '\b') {
      this.draft = this.draft.slice(0, -1);
    } else if (/^[\x20-\x7e]+$/.test(key)) {
      this.draft += key;
    }
    this.draw();
  }

  private async confirmKey(key: string): Promise<void> {
    this.mode = 'normal';
    const id = this.selectedId;
    if ((key === 'y' || key === 'Y') && id) {
      this.message = `killing ${id}…`;
      this.draw();
      try {
        this.message = `${id}: ${await this.fleet.kill(id)}`;
      } catch (error) {
        this.message = `kill ${id} failed: ${error instanceof Error ? error.message : String(error)}`;
      }
    } else {
      this.message = 'kill cancelled';
    }
    this.draw();
  }

  /** The whole frame as lines, each at most `columns()` wide (before colour codes). */
  frame(): string[] {
    const width = Math.max(80, this.term.columns());
    const height = Math.max(10, this.term.rows());
    const now = this.now();
    const agents = this.fleet.snapshot();
    const rows = orderRows(agents, this.sort, this.filter, now);
    if (!rows.some((r) => r.agent.id === this.selectedId)) this.selectedId = rows[0]?.agent.id;
    const selected = rows.findIndex((r) => r.agent.id === this.selectedId);
    const table = renderTable(rows, topColumns(width), this.paint, now, selected);
    const t = totals(rows.map((r) => r.agent));
    const clock = new Date(now).toISOString().slice(11, 19);
    const title = `agentmux top · ${agents.length} agents · sort ${this.sort}${this.filter ? ` · filter "${this.filter}"` : ''}`;
    const head = this.paint(fit(`${title}${' '.repeat(Math.max(1, width - title.length - clock.length))}${clock}`, width), 'bold');
    const costText = formatCost(t.cost);
    const totalPlain = `TOTAL ${t.agents} agents${t.withoutSession ? ` (${t.withoutSession} without session)` : ''} · in ${formatTokens(t.tokensIn)} · out ${formatTokens(t.tokensOut)} · cost `;
    const total = `${fit(totalPlain, Math.min(width - costText.length, totalPlain.length))}${this.paint(costText, costStyle(t.cost))}`;
    const body = table.slice(1);
    const room = height - 6;
    const shown = body.length > room ? [...body.slice(0, room - 1), `… ${body.length - room + 1} more (filter with /)`] : body;
    const sel = rows[selected]?.agent;
    const detail = sel ? fit(`${sel.name}: ${safeExplain(this.fleet, sel.id)}`, width) : '';
    const prompt =
      this.mode === 'filter'
        ? `filter: ${this.draft}▏ (Enter apply, Esc cancel)`
        : this.mode === 'confirm-kill'
          ? `Kill ${sel?.name ?? '?'} (pid ${sel?.pid ?? '?'})? SIGTERM to its process group, then SIGKILL. [y/N]`
          : this.message || HELP;
    const lines = [head, table[0] ?? '', ...shown, this.paint('─'.repeat(width), 'dim'), total, this.paint(detail, 'dim'), fit(prompt, width)];
    return lines.slice(0, height);
  }

  /** Draws the frame, writing only lines that changed since the last draw. */
  draw(): void {
    if (this.closed) return;
    const lines = this.frame();
    let out = '';
    const n = Math.max(lines.length, this.previous.length);
    for (let i = 0; i < n; i++) {
      const line = lines[i] ?? '';
      if (line === this.previous[i]) continue;
      out += `${ESC}${i + 1};1H${line}${ESC}K`;
    }
    this.previous = lines;
    if (out) this.term.write(out);
  }
}

/** Splits terminal input into keys: CSI/SS3 escape sequences, a lone Escape, or single characters. */
export function splitKeys(chunk: string): string[] {
  const keys: string[] = [];
  // eslint-disable-next-line no-control-regex
  const re = /\u001b\[[0-9;]*[A-Za-z~]|\u001bO[A-Za-z]|\u001b|[\s\S]/gu;
  for (const m of chunk.matchAll(re)) keys.push(m[0]);
  return keys;
}

function safeExplain(fleet: TopFleet, id: string): string {
  try {
    return fleet.explain(id);
  } catch {
    return '';
  }
}
