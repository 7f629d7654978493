import { z } from 'zod';

/** An agent conversation as stored by its CLI. */
export const SessionSchema = z.object({
  /** Session id as the CLI names it (Claude `sessionId`, Codex thread id, Gemini `sessionId`). */
  id: z.string(),
  /** Provider id, e.g. `codex`. */
  providerId: z.string(),
  /** Real working directory, from the records (not the lossy folder name). */
  cwd: z.string().optional(),
  /** Project name: the basename of `cwd`, or the provider's project key. */
  project: z.string().optional(),
  /** Transcript files of this session (main first, then subagents). */
  transcriptPaths: z.array(z.string()),
  /** Models seen, in first-use order. */
  models: z.array(z.string()),
  /** ISO-8601 time of the first record. */
  startedAt: z.string().optional(),
  /** ISO-8601 time of the latest record. */
  lastActivityAt: z.string().optional(),
  /** For a subagent session: the parent session id. */
  parentSessionId: z.string().optional(),
});
export type Session = z.infer<typeof SessionSchema>;
