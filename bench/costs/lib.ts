// What the cost benchmark imports besides the CLI: bundled by build.mjs next to the CLI (same chunks).
export { createCostIndex, UsageLedger } from '@agentmux/core';
export { claude, claudeUsageScanModule, describeClaudeTranscriptPath, scanClaudeUsage } from '@agentmux/provider-claude';
export { generateCorpus } from '../../packages/testkit/src/corpus/generate-corpus.js';
export { OneShotUsageDedup } from '@agentmux/core';
export { scanClaudeUsageCompact, scanClaudeUsageSync } from '@agentmux/provider-claude';
export { LineSkimmer, LineSpans } from '../../packages/provider-claude/src/usage-scan-line.js';
