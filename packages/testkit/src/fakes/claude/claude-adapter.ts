import { isAbsolute, join } from 'node:path';
import type { PlannedError, ToolStep, TurnPlan } from '../../plan.js';
import { apiErrorBody } from '../../plan.js';
import { claudeSignature, claudeToolUseId, type ClaudeBlock, type ClaudeRecord, type ClaudeTranscript, type ClaudeUsage } from '../../records/claude-transcript.js';
import type { Rng } from '../../rng.js';
import type { ResponseStep, TurnAdapter } from '../common/turn-runner.js';
import type { ClaudeHooks } from './claude-hooks.js';

/** Claude's tool name and input for a provider-neutral tool step. */
export function claudeTool(tool: ToolStep, cwd: string): { name: string; input: Record<string, unknown> } {
  switch (tool.kind) {
    case 'shell':
      return { name: 'Bash', input: { command: tool.command ?? '', description: tool.description } };
    case 'read': {
      const p = tool.path ?? 'README.md';
      return { name: 'Read', input: { file_path: isAbsolute(p) ? p : join(cwd, p) } };
    }
    case 'task':
      return { name: 'Task', input: { description: tool.description, prompt: tool.subagent?.prompt ?? '', subagent_type: 'general-purpose' } };
  }
}

/** The `toolUseResult` Claude stores beside a tool result. */
export function claudeToolUseResult(tool: ToolStep, input: Record<string, unknown>, durationMs: number, extra: Record<string, unknown> = {}): unknown {
  if (tool.isError) return `Error: ${tool.output}`;
  if (tool.kind === 'shell') return { stdout: tool.output, stderr: '', interrupted: false, isImage: false };
  if (tool.kind === 'read') {
    const lines = tool.output.split('\n').length;
    return { type: 'text', file: { filePath: input.file_path, content: tool.output, numLines: lines, startLine: 1, totalLines: lines } };
  }
  return { status: 'completed', prompt: input.prompt, content: [{ type: 'text', text: tool.output }], totalDurationMs: Math.round(durationMs), ...extra };
}

/** Writes the turn's assistant blocks for one response step. */
export function claudeBlocks(step: ResponseStep, rng: Rng, toolUse?: { id: string; name: string; input: Record<string, unknown> }): ClaudeBlock[] {
  const blocks: ClaudeBlock[] = [];
  if (step.thinking !== undefined) blocks.push({ type: 'thinking', thinking: step.thinking, signature: claudeSignature(rng) });
  if (step.text !== undefined && step.text !== '') blocks.push({ type: 'text', text: step.text });
  if (toolUse) blocks.push({ type: 'tool_use', id: toolUse.id, name: toolUse.name, input: toolUse.input });
  return blocks;
}

/** Writes a subagent run (its own transcript file) and returns its token total. */
export function writeClaudeSubagent(parent: ClaudeTranscript, tool: ToolStep, rng: Rng, cwd: string, replay?: ClaudeRecord): { agentId: string; path: string; totalTokens: number; toolUses: number } {
  const plan = tool.subagent;
  const agentId = plan?.agentId ?? rng.hex(8);
  const sub = parent.subagent(agentId);
  let totalTokens = 0;
  sub.userPrompt(plan?.prompt ?? tool.description);
  for (const t of plan?.tools ?? []) {
    const { name, input } = claudeTool(t, cwd);
    const id = claudeToolUseId(rng);
    const out = 40 + rng.int(0, 80);
    const recs = sub.assistantResponse([{ type: 'tool_use', id, name, input }], out);
    totalTokens += usageTotal(recs);
    sub.toolResult(id, t.output, t.isError, claudeToolUseResult(t, input, 100));
  }
  const recs = sub.assistantResponse([{ type: 'text', text: plan?.answer ?? 'Done.' }], Math.ceil((plan?.answer.length ?? 8) / 4));
  totalTokens += usageTotal(recs);
  // A sidechain replay: the subagent file repeats a main-chain line (same message.id); the main chain wins.
  if (replay !== undefined) sub.raw({ ...replay, parentUuid: sub.lastUuid, isSidechain: true, agentId, uuid: rng.uuid() });
  sub.close();
  return { agentId, path: sub.path, totalTokens, toolUses: plan?.tools.length ?? 0 };
}

function usageTotal(recs: ClaudeRecord[]): number {
  const u = (recs[recs.length - 1]?.message as { usage?: ClaudeUsage } | undefined)?.usage;
  return u ? u.input_tokens + u.output_tokens + u.cache_creation_input_tokens + u.cache_read_input_tokens : 0;
}

export interface ClaudeAdapterOptions {
  transcript: ClaudeTranscript;
  hooks: ClaudeHooks;
  rng: Rng;
  cwd: string;
  /** Receives every record written (for `-p --output-format stream-json`). */
  onRecord?: (record: ClaudeRecord) => void;
  /** Receives the final usage of each API response (for the `-p` result). */
  onUsage?: (usage: ClaudeUsage) => void;
}

/** The Claude Code turn adapter: transcript records plus hooks. */
export function createClaudeAdapter(o: ClaudeAdapterOptions): TurnAdapter & { lastAnswer: string; lastError?: string } {
  const t = o.transcript;
  const tools = new Map<string, { name: string; input: Record<string, unknown> }>();
  const emit = (recs: ClaudeRecord | ClaudeRecord[]): void => {
    for (const r of Array.isArray(recs) ? recs : [recs]) o.onRecord?.(r);
  };
  const state: TurnAdapter & { lastAnswer: string; lastError?: string } = {
    lastAnswer: '',
    async begin(plan: TurnPlan) {
      emit(t.userPrompt(plan.prompt));
      await o.hooks.fire('UserPromptSubmit', { prompt: plan.prompt });
    },
    async response(step) {
      let toolUse: { id: string; name: string; input: Record<string, unknown> } | undefined;
      if (step.tool) {
        toolUse = { id: claudeToolUseId(o.rng), ...claudeTool(step.tool, o.cwd) };
        tools.set(toolUse.id, toolUse);
      }
      const recs = t.assistantResponse(claudeBlocks(step, o.rng, toolUse), step.outputTokens, { big: step.big });
      emit(recs);
      const usage = (recs[recs.length - 1]?.message as { usage?: ClaudeUsage } | undefined)?.usage;
      if (usage) o.onUsage?.(usage);
      return toolUse?.id;
    },
    async permissionAsked(_tool, id) {
      const name = tools.get(id)?.name ?? 'a tool';
      await o.hooks.fire('Notification', { message: `Claude needs your permission to use ${name}`, notification_type: 'permission_prompt' }, 'permission_prompt');
    },
    async toolStart(_tool, id) {
      const use = tools.get(id);
      await o.hooks.fire('PreToolUse', { tool_name: use?.name, tool_input: use?.input, tool_use_id: id }, use?.name);
    },
    async toolDone(tool, id, durationMs) {
      const use = tools.get(id) ?? { name: 'Bash', input: {} };
      let extra: Record<string, unknown> = {};
      if (tool.kind === 'task') {
        const sub = writeClaudeSubagent(t, tool, o.rng, o.cwd);
        extra = { agentId: sub.agentId, totalTokens: sub.totalTokens, totalToolUseCount: sub.toolUses };
        await o.hooks.fire('SubagentStop', { stop_hook_active: false, agent_id: sub.agentId, agent_type: 'general-purpose', agent_transcript_path: sub.path });
      }
      const toolUseResult = claudeToolUseResult(tool, use.input, durationMs, extra);
      emit(t.toolResult(id, tool.output, tool.isError, toolUseResult));
      await o.hooks.fire('PostToolUse', { tool_name: use.name, tool_input: use.input, tool_response: toolUseResult, tool_use_id: id }, use.name);
    },
    async end(plan, durationMs) {
      emit(t.turnDuration(durationMs));
      state.lastAnswer = plan.answer;
      await o.hooks.fire('Stop', { stop_hook_active: false, last_assistant_message: plan.answer });
    },
    async interrupted(toolId, rejected) {
      emit(t.interrupted(toolId, rejected));
    },
    async error(err: PlannedError) {
      const recs = t.apiError(err.status, apiErrorBody(err));
      emit(recs);
      state.lastError = `API Error: ${err.status} ${apiErrorBody(err)}`;
      await o.hooks.fire('StopFailure', { error_type: err.kind, error: state.lastError });
    },
  };
  return state;
}
