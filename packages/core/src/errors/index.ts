export { AgentmuxError, type AgentmuxErrorOptions } from './agentmux-error.js';
export { BackendError } from './backend-error.js';
export { BinaryNotFoundError } from './binary-not-found-error.js';
export { InvalidArgumentError } from './invalid-argument-error.js';
export { NotFoundError } from './not-found-error.js';
export { TimeoutError } from './timeout-error.js';
export { UnsupportedCapabilityError } from './unsupported-capability-error.js';
