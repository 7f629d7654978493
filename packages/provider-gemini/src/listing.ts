import type { TranscriptFile } from '@agentmux/core';
import { geminiTranscriptRoots, listGeminiTranscripts } from './paths.js';

// Entry `@agentmux/provider-gemini/listing`: finds Gemini CLI chats without loading the provider (zod loads only
// when a projects file is read), for commands that only read transcripts, such as `agentmux costs`.

export { geminiTranscriptRoots, listGeminiTranscripts } from './paths.js';

/** `gemini.listTranscripts(options)` of the default provider (no `configDirs` setting), without loading it. */
export function listDefaultGeminiTranscripts(options: { env?: Readonly<Record<string, string | undefined>>; since?: Date } = {}): Promise<TranscriptFile[]> {
  return listGeminiTranscripts(geminiTranscriptRoots(options.env ?? process.env), options.since);
}
