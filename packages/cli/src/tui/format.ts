import type { AgentState, Cost } from '@agentmux/core';

/** ANSI styling, or plain text when colour is off. */
export interface Paint {
  (text: string, style: Style): string;
  readonly enabled: boolean;
}

/** Styles used by the tables. */
export type Style = 'green' | 'yellow' | 'red' | 'magenta' | 'cyan' | 'dim' | 'bold' | 'inverse' | 'blue';

const CODES: Record<Style, [number, number]> = {
  green: [32, 39],
  yellow: [33, 39],
  red: [31, 39],
  magenta: [35, 39],
  cyan: [36, 39],
  blue: [34, 39],
  dim: [2, 22],
  bold: [1, 22],
  inverse: [7, 27],
};

/** A painter; `enabled` false returns text unchanged. */
export function createPaint(enabled: boolean): Paint {
  const fn = ((text: string, style: Style) => {
    if (!enabled || text === '') return text;
    const [on, off] = CODES[style];
    return `\u001b[${on}m${text}\u001b[${off}m`;
  }) as Paint;
  Object.defineProperty(fn, 'enabled', { value: enabled });
  return fn;
}

/** Age as `42s`, `7m`, `3h12`, `2d4h`. */
export function formatAge(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '-';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h${String(m % 60).padStart(2, '0')}`;
  return `${Math.floor(h / 24)}d${h % 24}h`;
}

/** Tokens as `950`, `12.3k`, `4.56M`. */
export function formatTokens(n: number): string {
  if (n < 1000) return String(n);
  if (n < 100_000) return `${(n / 1000).toFixed(1)}k`;
  if (n < 1_000_000) return `${Math.round(n / 1000)}k`;
  if (n < 100_000_000) return `${(n / 1_000_000).toFixed(2)}M`;
  return `${Math.round(n / 1_000_000)}M`;
}

/** Cost as `$1.23`; an unknown cost shows its priced part as a floor with `?` (`≥$0.40?`), or `?`. */
export function formatCost(cost: Cost): string {
  if (cost.usd !== null) return `$${cost.usd.toFixed(2)}`;
  return cost.pricedUsd > 0 ? `>$${cost.pricedUsd.toFixed(2)}?` : '?';
}

/** Cost colour band: green under $1, yellow under $5, red from $5, magenta when unknown. */
export function costStyle(cost: Cost, bands: readonly [number, number] = [1, 5]): Style {
  if (cost.usd === null) return 'magenta';
  if (cost.usd < bands[0]) return 'green';
  if (cost.usd < bands[1]) return 'yellow';
  return 'red';
}

const STATE_LABEL: Record<AgentState, string> = {
  working: 'working',
  idle: 'idle',
  'waiting-permission': 'PERMIT?',
  error: 'ERROR',
  exited: 'exited',
  unknown: '?',
};

/** Short state label (fits 7 columns). */
export function stateLabel(state: AgentState): string {
  return STATE_LABEL[state];
}

/** State colour. */
export function stateStyle(state: AgentState): Style {
  switch (state) {
    case 'working':
      return 'green';
    case 'waiting-permission':
      return 'yellow';
    case 'error':
      return 'red';
    case 'idle':
      return 'cyan';
    default:
      return 'dim';
  }
}

/** Cuts `text` to `width` characters (with `…`) and pads it. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const chars = [...text];
  const cut = chars.length > width ? `${chars.slice(0, Math.max(0, width - 1)).join('')}…` : text;
  const pad = ' '.repeat(Math.max(0, width - [...cut].length));
  return align === 'left' ? cut + pad : pad + cut;
}

/** Strips ANSI escapes (for width checks). */
export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
}

/** Shortens a model name for narrow columns: drops a provider prefix and a trailing date. */
export function shortModel(model: string | undefined): string {
  if (!model) return '-';
  return model.replace(/^[a-z]+\//, '').replace(/-\d{8}$/, '').replace(/^claude-/, '');
}
