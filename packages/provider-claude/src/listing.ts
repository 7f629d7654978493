import type { TranscriptFile } from '@agentmux/core';
import { claudeConfigDirs, claudeProjectRoots, listClaudeTranscripts, type ClaudeEnv } from './paths.js';

// Entry `@agentmux/provider-claude/listing`: finds Claude Code transcripts without loading the provider (no zod, no
// execa), for commands that only read transcripts, such as `agentmux costs`.

export { claudeConfigDirs, claudeProjectRoots, listClaudeTranscripts, type ClaudeEnv } from './paths.js';

/**
 * `claude.listTranscripts(options)` of the default provider (no `configDirs` setting), without loading it. With
 * `stat: false`, files are not stat'ed (no `size`/`mtime`; see `listClaudeTranscripts`).
 */
export function listDefaultClaudeTranscripts(options: { env?: ClaudeEnv; since?: Date; stat?: boolean } = {}): Promise<TranscriptFile[]> {
  return listClaudeTranscripts(claudeProjectRoots(claudeConfigDirs(options.env ?? process.env)), options.since, { stat: options.stat ?? true });
}
