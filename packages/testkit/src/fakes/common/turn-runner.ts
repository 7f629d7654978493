import type { PlannedError, ToolStep, TurnPlan } from '../../plan.js';
import { isAbort, sleep } from './util.js';

/** One API response of a turn. */
export interface ResponseStep {
  /** 0-based index of the response in the turn. */
  index: number;
  thinking?: string;
  text?: string;
  tool?: ToolStep;
  outputTokens: number;
  /** A token-burning loop response (large usage). */
  big: boolean;
}

/** Provider-specific record writing (and hooks) for each moment of a turn. */
export interface TurnAdapter {
  begin(plan: TurnPlan): Promise<void>;
  /** Writes the response; returns the tool call id when it has a tool. */
  response(step: ResponseStep): Promise<string | undefined>;
  permissionAsked(tool: ToolStep, id: string): Promise<void>;
  toolStart(tool: ToolStep, id: string): Promise<void>;
  /** Writes the tool result (and for `task` the subagent transcript). */
  toolDone(tool: ToolStep, id: string, durationMs: number): Promise<void>;
  end(plan: TurnPlan, durationMs: number): Promise<void>;
  interrupted(toolId: string | undefined, rejected: boolean): Promise<void>;
  error(error: PlannedError): Promise<void>;
}

export type PermissionAnswer = 'yes' | 'always' | 'no';

/** What the runner tells the UI and asks of it. */
export interface TurnHost {
  phase(phase: 'thinking' | 'tool' | 'permission', tool?: ToolStep): void;
  toolCalled(tool: ToolStep): void;
  answered(text: string): void;
  outputTokens(total: number): void;
  askPermission(tool: ToolStep, signal: AbortSignal): Promise<PermissionAnswer>;
  /** Permission prompts are skipped (bypass/yolo modes) for this tool. */
  skipsPermission(tool: ToolStep): boolean;
}

export type TurnOutcome = 'completed' | 'interrupted' | 'rejected' | 'error';

export interface RunOptions {
  signal: AbortSignal;
  /** Called right after the first response is written (scenario `crashMode: "mid-turn"`). */
  onFirstResponse?: () => void;
}

/** Runs a planned turn against an adapter, honouring interrupts (the signal), permission prompts and timing. */
export async function runTurn(plan: TurnPlan, adapter: TurnAdapter, host: TurnHost, options: RunOptions): Promise<TurnOutcome> {
  const started = performance.now();
  const { signal } = options;
  const responses = plan.tools.length + 1;
  const stepMs = plan.durationMs / (responses + plan.tools.length);
  const perTool = plan.tools.length > 0 ? Math.max(1, Math.floor((plan.outputTokens * 0.4) / plan.tools.length)) : 0;
  const finalTokens = Math.max(1, plan.outputTokens - perTool * plan.tools.length);
  let spent = 0;
  let toolId: string | undefined;
  let index = 0;
  const respond = async (step: Omit<ResponseStep, 'index'>): Promise<string | undefined> => {
    const id = await adapter.response({ ...step, index });
    if (index++ === 0) options.onFirstResponse?.();
    spent += step.outputTokens;
    host.outputTokens(spent);
    return id;
  };
  const useTool = async (tool: ToolStep, step: Omit<ResponseStep, 'index'>): Promise<'ok' | 'rejected'> => {
    host.phase('thinking');
    await sleep(stepMs, signal);
    toolId = await respond(step);
    const id = toolId ?? '';
    host.toolCalled(tool);
    if (tool.askPermission && !host.skipsPermission(tool)) {
      host.phase('permission', tool);
      await adapter.permissionAsked(tool, id);
      const answer = await host.askPermission(tool, signal);
      if (answer === 'no') return 'rejected';
    }
    host.phase('tool', tool);
    await adapter.toolStart(tool, id);
    await sleep(stepMs, signal);
    await adapter.toolDone(tool, id, stepMs);
    toolId = undefined;
    return 'ok';
  };

  try {
    await adapter.begin(plan);
    host.phase('thinking');
    if (plan.hang) await sleep(2 ** 31 - 1, signal).then(() => sleep(2 ** 31 - 1, signal));
    if (plan.error) {
      await sleep(stepMs, signal);
      await adapter.error(plan.error);
      return 'error';
    }
    for (const [i, tool] of plan.tools.entries()) {
      const outcome = await useTool(tool, {
        ...(i === 0 ? { thinking: plan.thinking, text: plan.preamble || undefined } : {}),
        tool, outputTokens: perTool, big: false,
      });
      if (outcome === 'rejected') {
        await adapter.interrupted(toolId, true);
        return 'rejected';
      }
    }
    for (let n = 0; plan.loop; n++) {
      const command = `npm test -- --run --shard=${(n % 8) + 1}/8`;
      const tool: ToolStep = { kind: 'shell', command, description: 'Run the tests again', output: `FAIL src/reader.test.ts > keeps the offset (run ${n + 1})`, isError: true, askPermission: false };
      await useTool(tool, { text: `The test still fails, trying again (${n + 1}).`, tool, outputTokens: 2_000 + (n % 5) * 300, big: true });
    }
    host.phase('thinking');
    await sleep(stepMs, signal);
    await respond({ ...(plan.tools.length === 0 ? { thinking: plan.thinking } : {}), text: plan.answer, outputTokens: finalTokens, big: false });
    host.answered(plan.answer);
    await adapter.end(plan, performance.now() - started);
    return 'completed';
  } catch (error) {
    if (!isAbort(error)) throw error;
    await adapter.interrupted(toolId, false);
    return 'interrupted';
  }
}
