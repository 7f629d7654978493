import type { NamedKey } from '../spec/index.js';

/**
 * Escapes one argument for tmux's own argv parser. tmux (3.x) splits a command list at any argument that
 * ends in `;`, keeping `\;` as a literal `;`: an argument `X;` is therefore passed as `X\;`, which tmux
 * turns back into `X;`. Nothing else in argv is interpreted (no shell, no quoting).
 */
export function tmuxArg(value: string): string {
  return value.endsWith(';') ? `${value.slice(0, -1)}\\;` : value;
}

/** Escapes `#` for tmux options that expand formats (`-c` start directory). */
export function tmuxFormatLiteral(value: string): string {
  return tmuxArg(value.replaceAll('#', '##'));
}

/** Exact-match target for a session's active pane: `=name:`. */
export function paneTarget(name: string): string {
  return `=${name}:`;
}

/** tmux key names for the backend-neutral `NamedKey`s. */
export const TMUX_KEY_NAMES: Readonly<Record<NamedKey, string>> = {
  Enter: 'Enter', Escape: 'Escape', Tab: 'Tab', BTab: 'BTab', Backspace: 'BSpace', Up: 'Up', Down: 'Down',
  Left: 'Left', Right: 'Right', 'C-c': 'C-c', 'C-d': 'C-d', 'C-u': 'C-u', 'C-l': 'C-l', Home: 'Home', End: 'End',
  PageUp: 'PPage', PageDown: 'NPage', Space: 'Space',
};

/** Escape sequences a terminal sends for each `NamedKey` (normal cursor mode). */
export const KEY_SEQUENCES: Readonly<Record<NamedKey, string>> = {
  Enter: '\r', Escape: '\x1b', Tab: '\t', BTab: '\x1b[Z', Backspace: '\x7f', Up: '\x1b[A', Down: '\x1b[B',
  Left: '\x1b[D', Right: '\x1b[C', 'C-c': '\x03', 'C-d': '\x04', 'C-u': '\x15', 'C-l': '\x0c', Home: '\x1b[H',
  End: '\x1b[F', PageUp: '\x1b[5~', PageDown: '\x1b[6~', Space: ' ',
};
