import { InvalidArgumentError } from '@agentmux/core';

/** Every hook event Claude Code fires (settings.json `hooks.<Event>`), per the shared formats reference. */
export const CLAUDE_HOOK_EVENTS = [
  'SessionStart',
  'UserPromptSubmit',
  'PreToolUse',
  'PostToolUse',
  'Notification',
  'Stop',
  'StopFailure',
  'SubagentStop',
  'PreCompact',
  'SessionEnd',
] as const;
export type ClaudeHookEvent = (typeof CLAUDE_HOOK_EVENTS)[number];

/** Events whose entries take a tool `matcher`. */
const TOOL_EVENTS = new Set<ClaudeHookEvent>(['PreToolUse', 'PostToolUse']);

/** One `hooks.<Event>[]` entry. */
export interface ClaudeHookEntry {
  matcher?: string;
  hooks: { type: 'command'; command: string; timeout?: number }[];
}

/** The `hooks` block of a Claude settings.json. */
export interface ClaudeHookSettings {
  hooks: Partial<Record<ClaudeHookEvent, ClaudeHookEntry[]>>;
}

/** Options of `hookSettings`. */
export interface HookSettingsOptions {
  /** Seconds Claude waits for the command (default 10). */
  timeoutSec?: number;
  /** Events to register (default: all of `CLAUDE_HOOK_EVENTS`). */
  events?: readonly ClaudeHookEvent[];
}

/** Quotes one argument for a POSIX shell (`'…'`, with `'` written as `'\''`). */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * A settings.json `hooks` block that runs one command for every hook event (tool events with matcher `*`). Claude
 * runs hook commands through a shell, so pass the command as an argv array: each element is quoted. A string is
 * used as-is and must be a trusted, fixed command (never user text). The hook receives the event as JSON on stdin.
 */
export function hookSettings(command: string | readonly string[], options: HookSettingsOptions = {}): ClaudeHookSettings {
  const line = typeof command === 'string' ? command.trim() : command.map(shellQuote).join(' ');
  if (line.length === 0 || (typeof command !== 'string' && command.length === 0)) {
    throw new InvalidArgumentError('hookSettings.command', 'is empty', 'pass the receiver as an argv array, e.g. ["/usr/bin/node", "/path/hook.js"]');
  }
  const timeout = options.timeoutSec ?? 10;
  if (!Number.isFinite(timeout) || timeout <= 0) {
    throw new InvalidArgumentError('hookSettings.timeoutSec', `${timeout} is not a positive number`, 'pass seconds, e.g. 10');
  }
  const hooks: Partial<Record<ClaudeHookEvent, ClaudeHookEntry[]>> = {};
  for (const event of options.events ?? CLAUDE_HOOK_EVENTS) {
    const entry: ClaudeHookEntry = { hooks: [{ type: 'command', command: line, timeout }] };
    if (TOOL_EVENTS.has(event)) entry.matcher = '*';
    hooks[event] = [entry];
  }
  return { hooks };
}
