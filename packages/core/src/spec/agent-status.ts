import { z } from 'zod';

/** The states an agent can be in. */
export const AgentStateSchema = z.enum(['working', 'idle', 'waiting-permission', 'error', 'exited', 'unknown']);
export type AgentState = z.infer<typeof AgentStateSchema>;

/** Where a piece of status evidence came from. */
export const StatusSourceSchema = z.enum(['hook', 'transcript', 'pane', 'process', 'telemetry']);
export type StatusSource = z.infer<typeof StatusSourceSchema>;

/** One observation that points to a state. */
export const StatusEvidenceSchema = z.object({
  /** Which source observed it. */
  source: StatusSourceSchema,
  /** The state it points to. */
  state: AgentStateSchema,
  /** The rule that fired, e.g. `claude.transcript.stop_reason=tool_use` or `pane.permission-prompt`. */
  rule: z.string(),
  /** ISO-8601 time of the observation (event time, file mtime or capture time). */
  at: z.string(),
  /** `strong` evidence (hooks, explicit prompts) beats `weak` evidence (inference). */
  strength: z.enum(['strong', 'weak']),
  /** Short human detail, e.g. the matched line; never secrets. */
  detail: z.string().optional(),
});
export type StatusEvidence = z.infer<typeof StatusEvidenceSchema>;

/** An agent's fused status and every piece of evidence considered. */
export const AgentStatusSchema = z.object({
  /** The decided state. */
  state: AgentStateSchema,
  /** The evidence that decided it. */
  decidedBy: StatusEvidenceSchema.optional(),
  /** All evidence considered, freshest first. */
  evidence: z.array(StatusEvidenceSchema),
});
export type AgentStatus = z.infer<typeof AgentStatusSchema>;
