import type { ProviderV1, TranscriptFile, UsageScanOptions, UsageScanResult } from '@agentmux/core';
import { claudeUsageScanCompactModule, claudeUsageScanModule, compactScanResult, scanClaudeUsageCompact } from '@agentmux/provider-claude';

// The TypeScript path of `agentmux costs` for Claude transcripts (worker threads), used when the native scan is not
// built or `--workers 0` asks for it. Its own module: it loads the Claude provider, which the native path does not.

/**
 * Gives the Claude provider the usage scan for one-shot reports: only the records that can still win the dedup, in
 * columns (`scanClaudeUsageCompact` on worker threads; in-process, the provider's own scan reduced the same way).
 * A Claude provider without a scan gets `scanClaudeUsageCompact`; one with its own scan module keeps it.
 */
export function withUsageScan(provider: ProviderV1): ProviderV1 {
  if (provider.id !== 'claude') return provider;
  const own = provider.scanUsage?.bind(provider);
  if (!own) return Object.assign(Object.create(provider) as ProviderV1, { scanUsage: scanClaudeUsageCompact, usageScanModule: claudeUsageScanCompactModule });
  if (hasDefaultClaudeScan(provider)) {
    const scanUsage = async (file: TranscriptFile, options?: UsageScanOptions): Promise<UsageScanResult> => compactScanResult(await own(file, options));
    return Object.assign(Object.create(provider) as ProviderV1, { scanUsage, usageScanModule: claudeUsageScanCompactModule });
  }
  return provider;
}

/** True when `provider` is a Claude provider whose usage scan is the bundled one (so the native scan may replace it). */
export function hasDefaultClaudeScan(provider: ProviderV1): boolean {
  const m = provider.usageScanModule;
  return provider.id === 'claude' && (!provider.scanUsage || (m !== undefined && m.url === claudeUsageScanModule.url && m.exportName === claudeUsageScanModule.exportName));
}
