import type { TextPool } from './content.js';
import type { Rng } from './rng.js';
import type { ScenarioErrorKind, ScenarioErrorSpec, ScenarioTurn } from './scenario.js';

/** One tool call of a planned turn, provider-neutral (each provider maps it to its own tool names). */
export interface ToolStep {
  kind: 'shell' | 'read' | 'task';
  /** `shell`: the command line. */
  command?: string;
  /** `read`: the file path. */
  path?: string;
  /** Short human description (Claude's Bash `description`, Task `description`). */
  description: string;
  output: string;
  isError: boolean;
  askPermission: boolean;
  /** `task`: what the subagent does. */
  subagent?: SubagentPlan;
}

/** A subagent run started by a `task` tool call. */
export interface SubagentPlan {
  agentId: string;
  prompt: string;
  tools: ToolStep[];
  answer: string;
}

/** A normalised API error. */
export interface PlannedError {
  kind: ScenarioErrorKind;
  status: number;
  message: string;
}

/** Everything one turn will do. */
export interface TurnPlan {
  prompt: string;
  thinking: string;
  /** Text said before the first tool call. */
  preamble: string;
  tools: ToolStep[];
  answer: string;
  /** Output tokens of the whole turn, spread over its API responses. */
  outputTokens: number;
  durationMs: number;
  error?: PlannedError;
  loop: boolean;
  hang: boolean;
}

/** Size knobs (the corpus generator uses large ones). */
export interface PlanSizes {
  toolOutputChars: number;
  answerChars: number;
}

const ERRORS: Record<ScenarioErrorKind, { status: number; type: string; message: string }> = {
  overloaded: { status: 529, type: 'overloaded_error', message: 'Overloaded' },
  rate_limit: { status: 429, type: 'rate_limit_error', message: 'This request would exceed the rate limit for your organization' },
  context_window_exceeded: { status: 400, type: 'invalid_request_error', message: 'context_window_exceeded: prompt is too long: 212345 tokens > 200000 maximum' },
  server: { status: 500, type: 'api_error', message: 'Internal server error' },
};

/** Normalises a scenario `error` value. */
export function planError(spec: boolean | string | ScenarioErrorSpec | undefined): PlannedError | undefined {
  if (spec === undefined || spec === false) return undefined;
  const obj: ScenarioErrorSpec = spec === true ? {} : typeof spec === 'string' ? { message: spec } : spec;
  const kind = obj.kind ?? 'overloaded';
  const base = ERRORS[kind];
  return { kind, status: obj.status ?? base.status, message: obj.message ?? base.message };
}

/** The JSON body of an API error as Claude prints it after `API Error: <status>`. */
export function apiErrorBody(error: PlannedError): string {
  return JSON.stringify({ type: 'error', error: { type: ERRORS[error.kind].type, message: error.message } });
}

function pathIn(prompt: string): string | undefined {
  return /(?:^|\s)([\w./-]+\.[a-zA-Z]{1,5})(?=$|[\s,;:!?)])/.exec(prompt)?.[1];
}

function wordIn(prompt: string): string | undefined {
  const words = prompt.match(/[a-zA-Z_][a-zA-Z0-9_]{3,30}/g) ?? [];
  return words.sort((a, b) => b.length - a.length)[0];
}

/** Generates tool calls that look derived from the prompt (never executed). */
export function generateTools(prompt: string, count: number, rng: Rng, pool: TextPool, sizes: PlanSizes): ToolStep[] {
  const tools: ToolStep[] = [];
  const file = pathIn(prompt);
  const word = wordIn(prompt);
  const outChars = (): number => Math.max(40, Math.round(sizes.toolOutputChars * (0.5 + rng.next())));
  for (let i = 0; i < count; i++) {
    if (i === 0 && file !== undefined) {
      tools.push({ kind: 'read', path: file, description: `Read ${file}`, output: pool.code(outChars()), isError: false, askPermission: false });
      continue;
    }
    const command = i === 0 && word !== undefined ? `grep -rn "${word}" src` : rng.pick(['ls -la', 'git status --short', 'npm test -- --run', `cat src/${pool.word()}.ts`]);
    tools.push({ kind: 'shell', command, description: `Run ${command.split(' ')[0] ?? 'command'}`, output: pool.shellOutput(command, outChars()), isError: false, askPermission: false });
  }
  return tools;
}

/** Plans one turn from the prompt and the scenario knobs. */
export function planTurn(prompt: string, knobs: ScenarioTurn, rng: Rng, pool: TextPool, sizes: PlanSizes = { toolOutputChars: 600, answerChars: 400 }): TurnPlan {
  let tools: ToolStep[];
  if (knobs.tools !== undefined) {
    tools = knobs.tools.map((t) => {
      const command = t.command ?? '';
      const output = t.output ?? (t.kind === 'read' ? pool.code(sizes.toolOutputChars) : pool.shellOutput(command, sizes.toolOutputChars));
      return t.kind === 'read'
        ? { kind: 'read', path: t.path ?? 'README.md', description: `Read ${t.path ?? 'README.md'}`, output, isError: t.isError ?? false, askPermission: false }
        : { kind: 'shell', command, description: `Run ${command.split(' ')[0] ?? 'command'}`, output, isError: t.isError ?? false, askPermission: false };
    });
  } else {
    tools = generateTools(prompt, knobs.toolCalls ?? rng.int(1, 2), rng, pool, sizes);
  }
  if (knobs.subagent === true) {
    const subPrompt = `Investigate: ${prompt.slice(0, 200)}`;
    tools.push({
      kind: 'task', description: 'Investigate the codebase', output: '', isError: false, askPermission: false,
      subagent: { agentId: rng.hex(8), prompt: subPrompt, tools: generateTools(subPrompt, 2, rng, pool, sizes), answer: pool.prose(Math.round(sizes.answerChars / 2)) },
    });
    const sub = tools[tools.length - 1];
    if (sub?.subagent) sub.output = sub.subagent.answer;
  }
  const ask = knobs.askPermission;
  if (ask !== undefined && ask !== false && tools.length > 0) {
    const idx = Math.min(ask === true ? 0 : ask, tools.length - 1);
    const step = tools[idx];
    if (step) step.askPermission = true;
  }
  const answer = knobs.answer ?? `${pool.prose(Math.round(sizes.answerChars * (0.6 + rng.next() * 0.8)))}`;
  const thinking = `The user asks: ${prompt.slice(0, 80).replace(/\s+/g, ' ')}. ${pool.prose(120)}`;
  const preamble = tools.length > 0 ? `I'll start by looking at the relevant files.` : '';
  const textTokens = Math.ceil((answer.length + thinking.length + preamble.length) / 4);
  return {
    prompt, thinking, preamble, tools, answer,
    outputTokens: knobs.tokensPerTurn ?? textTokens + 60 * tools.length,
    durationMs: knobs.turnDurationMs ?? rng.int(1000, 2000),
    ...(knobs.error !== undefined && knobs.error !== false ? { error: planError(knobs.error) } : {}),
    loop: knobs.loop ?? false,
    hang: knobs.hang ?? false,
  };
}
