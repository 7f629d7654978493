export {
  assertDeliverableText,
  assertSessionName,
  findUnsafeControl,
} from './input-validation.js';
export { OutputRingBuffer } from './ring-buffer.js';
export { createPtyBackend, type PtyBackend, type PtyBackendOptions } from './pty-backend.js';
export { createTmuxBackend, type TmuxBackend, type TmuxBackendOptions } from './tmux-backend.js';
export { terminateProcessTree, type TerminateOptions } from './process-group.js';
export {
  createHeadlessBackend,
  isHeadlessBackend,
  type HeadlessBackend,
  type HeadlessListener,
  type HeadlessStartOptions,
} from './headless-backend.js';
