import { isAbsolute, join } from 'node:path';
import type { PlannedError, ToolStep, TurnPlan } from '../../plan.js';
import type { GeminiChat, GeminiMessage, GeminiTokens, GeminiToolCall } from '../../records/gemini-chat.js';
import type { Rng } from '../../rng.js';
import type { TurnAdapter } from '../common/turn-runner.js';

/** Gemini's tool name, args and display name for a tool step. */
export function geminiTool(tool: ToolStep, cwd: string): { name: string; args: Record<string, unknown>; displayName: string; label: string } {
  if (tool.kind === 'read') {
    const p = tool.path ?? 'README.md';
    return { name: 'read_file', args: { absolute_path: isAbsolute(p) ? p : join(cwd, p) }, displayName: 'ReadFile', label: p };
  }
  const command = tool.kind === 'task' ? `grep -rn "${tool.description.split(' ')[0] ?? 'TODO'}" .` : (tool.command ?? 'ls');
  return { name: 'run_shell_command', args: { command, description: tool.description }, displayName: 'Shell', label: command };
}

/** Gemini's error message text. */
export function geminiErrorText(err: PlannedError): string {
  return `[API Error: ${err.message} (Status: ${err.status})]`;
}

export interface GeminiAdapterOptions {
  chat: GeminiChat;
  rng: Rng;
  cwd: string;
  clock: () => Date;
  /** `-p --output-format stream-json` events. */
  onEvent?: (event: Record<string, unknown>) => void;
  /** Final tokens of each API response (for `-p` stats). */
  onTokens?: (tokens: GeminiTokens) => void;
}

/** The Gemini turn adapter: chat messages re-appended as they update. */
export function createGeminiAdapter(o: GeminiAdapterOptions): TurnAdapter & { lastAnswer: string; lastError?: string; toolCalls: number } {
  const c = o.chat;
  const pending = new Map<string, { msg: GeminiMessage; call: GeminiToolCall; tokens: GeminiTokens }>();
  const emit = (e: Record<string, unknown>): void => o.onEvent?.({ ...e, timestamp: o.clock().toISOString() });
  const setStatus = (id: string, status: GeminiToolCall['status']): void => {
    const p = pending.get(id);
    if (!p) return;
    p.call.status = status;
    c.put(p.msg);
  };
  const state: TurnAdapter & { lastAnswer: string; lastError?: string; toolCalls: number } = {
    lastAnswer: '',
    toolCalls: 0,
    async begin(plan: TurnPlan) {
      c.user(plan.prompt);
      emit({ type: 'message', role: 'user', content: plan.prompt });
    },
    async response(step) {
      const thoughtsTokens = step.thinking !== undefined ? Math.ceil(step.thinking.length / 4) + 40 : 0;
      const tokens = c.tokens(step.outputTokens, thoughtsTokens, { big: step.big });
      const msg = c.newGemini(step.tool ? (step.text ?? '') : '', step.thinking);
      if (step.tool) {
        const t = geminiTool(step.tool, o.cwd);
        const id = `${t.name}-${Date.parse(msg.timestamp)}-${o.rng.hex(13)}`;
        const call: GeminiToolCall = { id, name: t.name, args: t.args, status: 'executing', timestamp: msg.timestamp, displayName: t.displayName, description: step.tool.description, renderOutputAsMarkdown: t.name !== 'run_shell_command' };
        msg.toolCalls = [call];
        c.put(msg);
        pending.set(id, { msg, call, tokens });
        state.toolCalls++;
        emit({ type: 'tool_use', tool_name: t.name, tool_id: id, parameters: t.args });
        return id;
      }
      const text = step.text ?? '';
      msg.content = text.slice(0, Math.ceil(text.length / 3));
      c.put(msg);
      msg.content = text;
      msg.tokens = tokens;
      c.put(msg);
      o.onTokens?.(tokens);
      emit({ type: 'message', role: 'assistant', content: text, delta: true });
      return undefined;
    },
    async permissionAsked(_tool, id) {
      setStatus(id, 'awaiting_approval');
    },
    async toolStart(_tool, id) {
      if (pending.get(id)?.call.status !== 'executing') setStatus(id, 'executing');
    },
    async toolDone(tool, id) {
      const p = pending.get(id);
      if (!p) return;
      p.call.status = tool.isError ? 'error' : 'success';
      p.call.result = [{ functionResponse: { id, name: p.call.name, response: tool.isError ? { error: tool.output } : { output: tool.output } } }];
      p.call.resultDisplay = tool.output;
      p.msg.tokens = p.tokens;
      c.put(p.msg);
      c.toolResultTokens(tool.output);
      o.onTokens?.(p.tokens);
      pending.delete(id);
      emit({ type: 'tool_result', tool_id: id, status: tool.isError ? 'error' : 'success', output: tool.output });
    },
    async end(plan) {
      state.lastAnswer = plan.answer;
    },
    async interrupted(toolId) {
      if (toolId !== undefined) {
        const p = pending.get(toolId);
        if (p) {
          p.call.status = 'cancelled';
          p.msg.tokens = p.tokens;
          c.put(p.msg);
          pending.delete(toolId);
        }
      }
      c.info('Request cancelled.');
    },
    async error(err) {
      state.lastError = geminiErrorText(err);
      c.error(state.lastError);
      emit({ type: 'error', severity: 'error', message: state.lastError });
    },
  };
  return state;
}
