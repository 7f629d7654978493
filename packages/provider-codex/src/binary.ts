import { findCliBinary, type BinaryInfo, type CliEnv } from '@agentmux/core';

/**
 * Finds the Codex executable: `binaryPath` when given (must be executable), else `codex` on `env.PATH`;
 * reads its version (`codex-cli 0.x.y`, on stdout or stderr) with a timeout. `null` when absent.
 */
export function findCodexBinary(env: CliEnv, binaryPath?: string, timeoutMs?: number): Promise<BinaryInfo | null> {
  return findCliBinary({
    name: 'codex',
    env,
    ...(binaryPath !== undefined ? { binaryPath } : {}),
    ...(timeoutMs !== undefined ? { versionTimeoutMs: timeoutMs } : {}),
  });
}
