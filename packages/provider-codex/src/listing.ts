import type { TranscriptFile } from '@agentmux/core';
import { codexHomes, listCodexTranscripts } from './paths.js';

// Entry `@agentmux/provider-codex/listing`: finds Codex CLI rollouts without loading the provider (zod loads only
// when a rollout's session meta is read), for commands that only read transcripts, such as `agentmux costs`.

export { codexHomes, listCodexTranscripts } from './paths.js';

/** `codex.listTranscripts(options)` of the default provider (no `configDirs` setting), without loading it. */
export function listDefaultCodexTranscripts(options: { env?: Readonly<Record<string, string | undefined>>; since?: Date } = {}): Promise<TranscriptFile[]> {
  return listCodexTranscripts(codexHomes(options.env ?? process.env), options.since);
}
