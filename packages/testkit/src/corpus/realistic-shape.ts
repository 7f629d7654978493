import type { TextPool } from '../content.js';
import type { ToolStep } from '../plan.js';
import type { ClaudeRecord, ClaudeTranscript } from '../records/claude-transcript.js';
import type { Rng } from '../rng.js';

/**
 * Pieces of the `realistic` corpus shape (see `CorpusShape`): the extra content blocks of a tool-calling response
 * and the small bookkeeping lines real Claude Code histories are full of.
 */

const LEADS = ['Let me check', 'Now let me look at', 'I need to verify', 'Next, let me run', 'Let me search for', 'Good. Now I will inspect'];

/** Blocks said before a later tool call of a turn: short thinking (30%) and/or a short text (45%). */
export function realisticExtraBlocks(rng: Rng, pool: TextPool, tool: ToolStep): { thinking?: string; text?: string } {
  const out: { thinking?: string; text?: string } = {};
  if (rng.chance(0.3)) out.thinking = pool.prose(rng.int(80, 700));
  if (rng.chance(0.45)) out.text = `${rng.pick(LEADS)} ${tool.command ?? tool.path ?? tool.description}.`;
  return out;
}

/** The `file-history-snapshot` line Claude Code writes after each prompt. */
export function writeFileHistorySnapshot(tr: ClaudeTranscript, prompt: ClaudeRecord, at: Date): void {
  const messageId = prompt.uuid ?? '';
  tr.raw({ type: 'file-history-snapshot', messageId, snapshot: { messageId, trackedFileBackups: {}, timestamp: at.toISOString() }, isSnapshotUpdate: false });
}

/** 0–3 `progress` lines of a running shell tool (`bash_progress`), outside the uuid chain. */
export function writeProgressLines(tr: ClaudeTranscript, rng: Rng, toolUseId: string, stepMs: number, startMs: number): void {
  const n = rng.int(0, 3);
  for (let k = 1; k <= n; k++) {
    const elapsed = Math.round((stepMs * k) / (n + 1));
    tr.raw({
      parentUuid: tr.lastUuid,
      isSidechain: false,
      userType: 'external',
      sessionId: tr.sessionId,
      type: 'progress',
      data: { type: 'bash_progress', output: '', fullOutput: '', elapsedTimeSeconds: Math.round(elapsed / 1000), totalLines: k * rng.int(1, 40) },
      toolUseID: `bash-progress-${k - 1}`,
      parentToolUseID: toolUseId,
      uuid: rng.uuid(),
      timestamp: new Date(startMs + elapsed).toISOString(),
    });
  }
}
