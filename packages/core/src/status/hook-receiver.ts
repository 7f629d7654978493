import { chmodSync, mkdirSync, readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { writeFileAtomicSync } from '../fs/atomic-write.js';
import type { StatusEvidence } from '../spec/agent-status.js';
import { evidenceFromHookEvent, parseHookEventLine, type ClaudeHookEvent } from './hook-events.js';
import { hookScriptSource } from './hook-script.js';

/** Characters allowed in the hook command: Claude Code runs it through a shell, so no quoting is ever needed. */
const SHELL_SAFE = /^[A-Za-z0-9_./+@%:,=-]+$/;

/** Options of `createHookReceiver`. */
export interface HookReceiverOptions {
  /** Directory for the hook script and its event log, e.g. `<stateDir>/hooks`. Must be a shell-safe path. */
  dir: string;
  /** Node executable the script runs with (default: this process's). */
  nodePath?: string;
  /**
   * Write (or refresh) the hook script (default true). A pure reader such as `Fleet` or `agentmux ps` passes
   * false: it only reads the event log and never writes to disk.
   */
  writeScript?: boolean;
}

/**
 * Receives Claude Code hook events through an append-only JSONL file written by a tiny fixed script. Install the
 * script with `install` (or pass `command` to provider-claude's `hookSettings`), then `poll()` each tick.
 */
export interface HookReceiver {
  /** The hook command to put in Claude settings: the absolute script path, with no user text. */
  readonly command: string;
  /** The JSONL file the script appends to. */
  readonly eventsPath: string;
  /** Reads events appended since the last poll; returns them in file order. */
  poll(): Promise<ClaudeHookEvent[]>;
  /** The latest status evidence seen for a session, if any. */
  latest(sessionId: string): StatusEvidence | undefined;
  /** The latest event seen for a session, if any. */
  lastEvent(sessionId: string): ClaudeHookEvent | undefined;
  /** Sessions seen so far. */
  sessions(): string[];
}

/** Writes a file atomically (temp + rename) with `mode` for a new file. */
export function writeFileAtomic(path: string, data: string, mode = 0o600): void {
  writeFileAtomicSync(path, data, { mode });
}

function writeHookScript(dir: string, script: string, eventsPath: string, nodePath: string): void {
  if (!SHELL_SAFE.test(script)) {
    throw new InvalidArgumentError(
      'hookReceiver.dir',
      `"${dir}" holds characters a shell would interpret (Claude Code runs hook commands through the shell)`,
      'choose a state directory whose path has only letters, digits and . _ - / + @ % : , =',
    );
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const source = hookScriptSource(eventsPath, SHELL_SAFE.test(nodePath) ? nodePath : '/usr/bin/env node');
  let current: string | undefined;
  try {
    current = readFileSync(script, 'utf8');
  } catch {
    current = undefined;
  }
  if (current !== source) writeFileAtomic(script, source, 0o700);
  chmodSync(script, 0o700);
}

/** Creates the script (when missing or outdated, unless `writeScript` is false) and a reader of its event log. */
export function createHookReceiver(options: HookReceiverOptions): HookReceiver {
  const dir = resolve(options.dir);
  const script = join(dir, 'agentmux-claude-hook.mjs');
  const eventsPath = join(dir, 'claude-hook-events.jsonl');
  if (options.writeScript !== false) writeHookScript(dir, script, eventsPath, options.nodePath ?? process.execPath);


  let offset = 0;
  let tail = '';
  const latest = new Map<string, StatusEvidence>();
  const last = new Map<string, ClaudeHookEvent>();

  return {
    command: script,
    eventsPath,
    async poll() {
      let handle;
      try {
        handle = await open(eventsPath, 'r');
      } catch {
        return []; // nothing recorded yet
      }
      const events: ClaudeHookEvent[] = [];
      try {
        const { size } = await handle.stat();
        if (size < offset) {
          offset = 0; // truncated or replaced: start over
          tail = '';
        }
        if (size === offset) return [];
        const buf = Buffer.alloc(size - offset);
        const { bytesRead } = await handle.read(buf, 0, buf.length, offset);
        offset += bytesRead;
        const text = tail + buf.subarray(0, bytesRead).toString('utf8');
        const cut = text.lastIndexOf('\n');
        tail = cut < 0 ? text : text.slice(cut + 1);
        if (cut < 0) return [];
        for (const line of text.slice(0, cut).split('\n')) {
          const e = line ? parseHookEventLine(line) : null;
          if (!e) continue;
          events.push(e);
          last.set(e.sessionId, e);
          const ev = evidenceFromHookEvent(e);
          if (ev) latest.set(e.sessionId, ev);
        }
      } finally {
        await handle.close();
      }
      return events;
    },
    latest: (sessionId) => latest.get(sessionId),
    lastEvent: (sessionId) => last.get(sessionId),
    sessions: () => [...last.keys()],
  };
}

type Json = Record<string, unknown>;

function readJsonObject(path: string): Json {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return {};
  }
  if (text.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Json;
  } catch {
    // fall through
  }
  throw new InvalidArgumentError(path, 'the settings file is not a JSON object', 'repair the file or remove it, then install again');
}

function commandsOf(group: unknown): string[] {
  const hooks = (group as { hooks?: unknown }).hooks;
  if (!Array.isArray(hooks)) return [];
  return hooks.map((h) => (h as { command?: unknown }).command).filter((c): c is string => typeof c === 'string');
}

/**
 * Merges hook settings (e.g. provider-claude's `hookSettings(receiver.command)`) into a Claude settings file,
 * normally `<cwd>/.claude/settings.local.json`: each hook group is appended unless a group with the same command
 * is already there; other top-level keys are added only when absent. Written atomically. Returns the path.
 */
export function installHookSettings(settingsPath: string, settings: unknown): string {
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) {
    throw new InvalidArgumentError('settings', 'must be a settings object such as { hooks: { Stop: [...] } }', "pass provider-claude's hookSettings(command)");
  }
  const path = resolve(settingsPath);
  const current = readJsonObject(path);
  const next: Json = { ...current };
  for (const [key, value] of Object.entries(settings as Json)) {
    if (key !== 'hooks') {
      if (!(key in next)) next[key] = value;
      continue;
    }
    const have = (typeof next['hooks'] === 'object' && next['hooks'] !== null ? { ...(next['hooks'] as Json) } : {}) as Json;
    for (const [event, groups] of Object.entries((value ?? {}) as Json)) {
      const list = Array.isArray(have[event]) ? [...(have[event] as unknown[])] : [];
      const present = new Set(list.flatMap(commandsOf));
      for (const g of Array.isArray(groups) ? groups : []) {
        if (commandsOf(g).some((c) => present.has(c))) continue;
        list.push(g);
      }
      have[event] = list;
    }
    next['hooks'] = have;
  }
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileAtomic(path, `${JSON.stringify(next, null, 2)}\n`, 0o644);
  return path;
}

/** Removes every hook group that runs `command` from a settings file (no-op when absent). Written atomically. */
export function uninstallHookSettings(settingsPath: string, command: string): void {
  const path = resolve(settingsPath);
  const current = readJsonObject(path);
  const hooks = current['hooks'];
  if (typeof hooks !== 'object' || hooks === null) return;
  const kept: Json = {};
  for (const [event, groups] of Object.entries(hooks as Json)) {
    const list = (Array.isArray(groups) ? groups : []).filter((g) => !commandsOf(g).includes(command));
    if (list.length > 0) kept[event] = list;
  }
  writeFileAtomic(path, `${JSON.stringify({ ...current, hooks: kept }, null, 2)}\n`, 0o644);
}
