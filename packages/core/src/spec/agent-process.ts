import { z } from 'zod';

/** One row of a process-table snapshot, as read from ps-list and `/proc`. */
export const ProcessInfoSchema = z.object({
  /** Process id. */
  pid: z.number().int().positive(),
  /** Parent process id. */
  ppid: z.number().int().nonnegative(),
  /** Executable name (`comm`), e.g. `node` or `claude`. */
  name: z.string(),
  /** Full argument vector; empty when unreadable. */
  argv: z.array(z.string()),
  /** Working directory, when readable. */
  cwd: z.string().optional(),
  /** ISO-8601 start time, when readable. */
  startedAt: z.string().optional(),
});
export type ProcessInfo = z.infer<typeof ProcessInfoSchema>;

/** A running agent CLI process recognised by a provider. */
export const AgentProcessSchema = z.object({
  /** Process id of the agent CLI. */
  pid: z.number().int().positive(),
  /** Parent process id. */
  ppid: z.number().int().nonnegative(),
  /** Provider id that recognised it, e.g. `claude`. */
  providerId: z.string(),
  /** Full argv as seen in the process table. */
  argv: z.array(z.string()),
  /** Working directory of the process. */
  cwd: z.string().optional(),
  /** ISO-8601 process start time. */
  startedAt: z.string().optional(),
  /** Pids of child processes (tools, subagents) at snapshot time. */
  childPids: z.array(z.number().int().positive()),
});
export type AgentProcess = z.infer<typeof AgentProcessSchema>;
