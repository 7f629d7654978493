export { explainStatus, fuseStatus, sortEvidence, type FuseOptions, type FusedStatus, type FusionRule } from './fuse-status.js';
export { evidenceFromHookEvent, parseHookEventLine, type ClaudeHookEvent } from './hook-events.js';
export {
  createHookReceiver,
  installHookSettings,
  uninstallHookSettings,
  writeFileAtomic,
  type HookReceiver,
  type HookReceiverOptions,
} from './hook-receiver.js';
export { KEPT_HOOK_FIELDS, hookScriptSource } from './hook-script.js';
