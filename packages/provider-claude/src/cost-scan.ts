// Entry `@agentmux/provider-claude/cost-scan`: the native one-shot cost scan of Claude transcripts (see
// cost-scan-native.ts) without loading the provider (no zod, no execa).
export { scanClaudeCostsNative, type ClaudeCostScan, type ClaudeCostScanFile, type ClaudeCostScanOptions } from './cost-scan-native.js';
export { nativeClaudeScanStatus, type NativeClaudeScanStatus } from './usage-scan-native.js';
