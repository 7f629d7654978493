// What the cost benchmark imports besides the CLI: bundled by build.mjs next to the CLI (same chunks).
export { createCostIndex, UsageLedger } from '@agentmux/core';
export { claude, claudeUsageScanModule, describeClaudeTranscriptPath, scanClaudeUsage } from '@agentmux/provider-claude';
export { generateCorpus } from '../../packages/testkit/src/corpus/generate-corpus.js';
