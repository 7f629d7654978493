import { readFileSync } from 'node:fs';
import { TestkitArgumentError } from './testkit-error.js';

/** Kinds of API error a scenario can inject. */
export type ScenarioErrorKind = 'overloaded' | 'rate_limit' | 'context_window_exceeded' | 'server';

/** An injected API error. */
export interface ScenarioErrorSpec {
  kind?: ScenarioErrorKind;
  message?: string;
  status?: number;
}

/** A scripted tool call. */
export interface ScenarioTool {
  kind: 'shell' | 'read';
  /** For `shell`: the command line the model "runs". */
  command?: string;
  /** For `read`: the file path the model "reads". */
  path?: string;
  /** Tool output; generated when absent. */
  output?: string;
  isError?: boolean;
}

/** Knobs that apply to one turn (globally as defaults, or per entry of `turns`). */
export interface ScenarioTurn {
  /** Ask permission: `true` = on the first tool call, a number = on that tool call (0-based). */
  askPermission?: boolean | number;
  /** End the turn with an API error record instead of an answer. */
  error?: boolean | string | ScenarioErrorSpec;
  /** Token-burning loop: tool call after tool call with large usage until interrupted (Esc). */
  loop?: boolean;
  /** Show the working line forever and write nothing until interrupted. */
  hang?: boolean;
  /** Include a `Task` subagent call (Claude writes a subagent transcript). */
  subagent?: boolean;
  /** Approximate output tokens of the turn. */
  tokensPerTurn?: number;
  /** Wall time of the turn in ms (default 1500). */
  turnDurationMs?: number;
  /** Number of generated tool calls (0–5, default 1–2). Ignored when `tools` is given. */
  toolCalls?: number;
  /** Scripted tool calls. */
  tools?: ScenarioTool[];
  /** Scripted final answer text. */
  answer?: string;
}

/** The scenario file (`AGENTMUX_FAKE_SCENARIO`). Top-level turn knobs are defaults for every turn. */
export interface Scenario extends ScenarioTurn {
  /** Model id written to transcripts (a `--model` flag wins). */
  model?: string;
  /** Exit abruptly with code 1 after this many completed turns. */
  crashAfterTurns?: number;
  /** `turn-end` (default): right after turn N ends; `mid-turn`: during turn N+1, after its first tool call. */
  crashMode?: 'turn-end' | 'mid-turn';
  /** Idle time before the Claude `Notification` `idle_prompt` hook fires (default 60000). */
  idleNotifyMs?: number;
  /** Per-turn overrides, by order of the prompts this process receives. */
  turns?: ScenarioTurn[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const TURN_KEYS = ['askPermission', 'error', 'loop', 'hang', 'subagent', 'tokensPerTurn', 'turnDurationMs', 'toolCalls', 'tools', 'answer'];
const TOP_KEYS = [...TURN_KEYS, 'model', 'crashAfterTurns', 'crashMode', 'idleNotifyMs', 'turns', '$schema', 'description'];
const ERROR_KINDS: readonly ScenarioErrorKind[] = ['overloaded', 'rate_limit', 'context_window_exceeded', 'server'];

function fail(field: string, problem: string, fix: string): never {
  throw new TestkitArgumentError(field, problem, fix);
}

function checkKeys(obj: Obj, allowed: readonly string[], at: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) fail(`${at}${key}`, 'unknown key', `use one of ${allowed.filter((k) => !k.startsWith('$')).join(', ')}`);
  }
}

function checkBool(obj: Obj, key: string, at: string): void {
  if (obj[key] !== undefined && typeof obj[key] !== 'boolean') fail(`${at}${key}`, `expected a boolean, got ${JSON.stringify(obj[key])}`, 'use true or false');
}

function checkInt(obj: Obj, key: string, at: string, min: number, max = Number.MAX_SAFE_INTEGER): void {
  const v = obj[key];
  if (v === undefined) return;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    fail(`${at}${key}`, `expected an integer in [${min}, ${max}], got ${JSON.stringify(v)}`, `use a whole number between ${min} and ${max}`);
  }
}

function checkTurn(obj: Obj, at: string): void {
  checkBool(obj, 'loop', at);
  checkBool(obj, 'hang', at);
  checkBool(obj, 'subagent', at);
  checkInt(obj, 'tokensPerTurn', at, 1, 10_000_000);
  checkInt(obj, 'turnDurationMs', at, 0, 3_600_000);
  checkInt(obj, 'toolCalls', at, 0, 5);
  const ask = obj.askPermission;
  if (ask !== undefined && typeof ask !== 'boolean' && !(typeof ask === 'number' && Number.isInteger(ask) && ask >= 0)) {
    fail(`${at}askPermission`, `expected a boolean or a tool-call index, got ${JSON.stringify(ask)}`, 'use true (first tool call) or a 0-based index');
  }
  const err = obj.error;
  if (err !== undefined && typeof err !== 'boolean' && typeof err !== 'string') {
    if (!isObj(err)) fail(`${at}error`, 'expected a boolean, a message string or an object', 'use e.g. {"kind": "overloaded"}');
    checkKeys(err, ['kind', 'message', 'status'], `${at}error.`);
    if (err.kind !== undefined && !ERROR_KINDS.includes(err.kind as ScenarioErrorKind)) {
      fail(`${at}error.kind`, `unknown kind ${JSON.stringify(err.kind)}`, `use one of ${ERROR_KINDS.join(', ')}`);
    }
    if (err.message !== undefined && typeof err.message !== 'string') fail(`${at}error.message`, 'expected a string', 'use a short message');
    checkInt(err, 'status', `${at}error.`, 100, 599);
  }
  if (obj.answer !== undefined && typeof obj.answer !== 'string') fail(`${at}answer`, 'expected a string', 'use the answer text');
  if (obj.tools !== undefined) {
    if (!Array.isArray(obj.tools)) fail(`${at}tools`, 'expected an array', 'use [{"kind": "shell", "command": "ls"}]');
    obj.tools.forEach((tool: unknown, i: number) => {
      const tat = `${at}tools[${i}].`;
      if (!isObj(tool)) fail(`${at}tools[${i}]`, 'expected an object', 'use {"kind": "shell", "command": "ls"}');
      checkKeys(tool, ['kind', 'command', 'path', 'output', 'isError'], tat);
      if (tool.kind !== 'shell' && tool.kind !== 'read') fail(`${tat}kind`, `expected "shell" or "read", got ${JSON.stringify(tool.kind)}`, 'use "shell" or "read"');
      if (tool.kind === 'shell' && typeof tool.command !== 'string') fail(`${tat}command`, 'a shell tool needs a command string', 'add "command": "ls -la"');
      if (tool.kind === 'read' && typeof tool.path !== 'string') fail(`${tat}path`, 'a read tool needs a path string', 'add "path": "README.md"');
      if (tool.output !== undefined && typeof tool.output !== 'string') fail(`${tat}output`, 'expected a string', 'use the tool output text');
      checkBool(tool, 'isError', tat);
    });
  }
}

/** Validates a parsed scenario object; throws `TestkitArgumentError` naming the field. */
export function validateScenario(value: unknown): Scenario {
  if (!isObj(value)) fail('scenario', 'expected a JSON object at the top level', 'write {"turnDurationMs": 200}');
  checkKeys(value, TOP_KEYS, '');
  checkTurn(value, '');
  if (value.model !== undefined && (typeof value.model !== 'string' || value.model === '')) fail('model', 'expected a non-empty string', 'use e.g. "claude-sonnet-4-5-20250929"');
  checkInt(value, 'crashAfterTurns', '', 0, 100_000);
  checkInt(value, 'idleNotifyMs', '', 0, 86_400_000);
  if (value.crashMode !== undefined && value.crashMode !== 'turn-end' && value.crashMode !== 'mid-turn') {
    fail('crashMode', `expected "turn-end" or "mid-turn", got ${JSON.stringify(value.crashMode)}`, 'use "turn-end" or "mid-turn"');
  }
  if (value.turns !== undefined) {
    if (!Array.isArray(value.turns)) fail('turns', 'expected an array of turn objects', 'use [{"askPermission": true}]');
    value.turns.forEach((turn: unknown, i: number) => {
      if (!isObj(turn)) fail(`turns[${i}]`, 'expected an object', 'use {} for a default turn');
      checkKeys(turn, TURN_KEYS, `turns[${i}].`);
      checkTurn(turn, `turns[${i}].`);
    });
  }
  return value as Scenario;
}

/** Reads and validates a scenario file. */
export function loadScenarioFile(path: string): Scenario {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new TestkitArgumentError('AGENTMUX_FAKE_SCENARIO', `cannot read ${path}`, 'point it at an existing JSON file', { cause });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new TestkitArgumentError('AGENTMUX_FAKE_SCENARIO', `${path} is not valid JSON (${(cause as Error).message})`, 'fix the JSON syntax', { cause });
  }
  return validateScenario(parsed);
}

/** The knobs of turn `index` (0-based): the entry of `turns`, over the top-level defaults. */
export function turnKnobs(scenario: Scenario, index: number): ScenarioTurn {
  const { turns, ...defaults } = scenario;
  return { ...defaults, ...(turns?.[index] ?? {}) };
}
