import type { PlannedError, ToolStep, TurnPlan } from '../../plan.js';
import { codexCallId, type CodexRollout, type CodexTokenUsage } from '../../records/codex-rollout.js';
import type { Rng } from '../../rng.js';
import type { TurnAdapter } from '../common/turn-runner.js';

/** The shell command Codex would run for a tool step (Codex has only a shell tool here). */
export function codexCommand(tool: ToolStep): string {
  if (tool.kind === 'read') return `sed -n '1,200p' ${tool.path ?? 'README.md'}`;
  if (tool.kind === 'task') return `rg -n "${tool.description.split(' ')[0] ?? 'TODO'}" .`;
  return tool.command ?? 'ls';
}

/** The user-visible message of an API error, as Codex prints it. */
export function codexErrorMessage(err: PlannedError): string {
  return `unexpected status ${err.status}: ${err.message}`;
}

export interface CodexAdapterOptions {
  rollout: CodexRollout;
  rng: Rng;
  cwd: string;
  /** `exec --json` events. */
  onEvent?: (event: Record<string, unknown>) => void;
}

/** The Codex turn adapter: rollout records, and `exec --json` events when asked. */
export function createCodexAdapter(o: CodexAdapterOptions): TurnAdapter & { lastAnswer: string; lastError?: string; turnUsage: CodexTokenUsage } {
  const r = o.rollout;
  let item = 0;
  const commands = new Map<string, { itemId: string; command: string }>();
  const emit = (e: Record<string, unknown>): void => o.onEvent?.(e);
  const state: TurnAdapter & { lastAnswer: string; lastError?: string; turnUsage: CodexTokenUsage } = {
    lastAnswer: '',
    turnUsage: { input_tokens: 0, cached_input_tokens: 0, output_tokens: 0, reasoning_output_tokens: 0, total_tokens: 0 },
    async begin(plan: TurnPlan) {
      state.turnUsage = { input_tokens: 0, cached_input_tokens: 0, output_tokens: 0, reasoning_output_tokens: 0, total_tokens: 0 };
      r.userTurn(plan.prompt);
      emit({ type: 'turn.started' });
    },
    async response(step) {
      if (step.thinking !== undefined) {
        const text = `**Planning the change**\n\n${step.thinking}`;
        r.reasoning(text);
        emit({ type: 'item.completed', item: { id: `item_${item++}`, type: 'reasoning', text } });
      }
      let id: string | undefined;
      if (step.tool) {
        id = codexCallId(o.rng);
        const command = codexCommand(step.tool);
        r.functionCall('shell', { command: ['bash', '-lc', command], workdir: o.cwd, timeout_ms: 120_000 }, id);
        const itemId = `item_${item++}`;
        commands.set(id, { itemId, command });
        emit({ type: 'item.started', item: { id: itemId, type: 'command_execution', command: `bash -lc ${JSON.stringify(command)}`, aggregated_output: '', exit_code: null, status: 'in_progress' } });
      } else if (step.text !== undefined) {
        r.agentMessage(step.text);
        emit({ type: 'item.completed', item: { id: `item_${item++}`, type: 'agent_message', text: step.text } });
      }
      const u = r.tokenCount(step.outputTokens, { big: step.big });
      for (const k of Object.keys(u) as (keyof CodexTokenUsage)[]) state.turnUsage[k] += u[k];
      return id;
    },
    async permissionAsked() {},
    async toolStart() {},
    async toolDone(tool, id, durationMs) {
      r.functionCallOutput(id, tool.output, tool.isError ? 1 : 0, durationMs / 1000);
      const c = commands.get(id);
      if (c) emit({ type: 'item.completed', item: { id: c.itemId, type: 'command_execution', command: `bash -lc ${JSON.stringify(c.command)}`, aggregated_output: tool.output, exit_code: tool.isError ? 1 : 0, status: tool.isError ? 'failed' : 'completed' } });
    },
    async end(plan) {
      state.lastAnswer = plan.answer;
      const u = state.turnUsage;
      emit({ type: 'turn.completed', usage: { input_tokens: u.input_tokens, cached_input_tokens: u.cached_input_tokens, output_tokens: u.output_tokens } });
    },
    async interrupted() {
      r.aborted('interrupted');
    },
    async error(err) {
      state.lastError = codexErrorMessage(err);
      r.error(state.lastError);
      emit({ type: 'error', message: state.lastError });
      emit({ type: 'turn.failed', error: { message: state.lastError } });
    },
  };
  return state;
}
