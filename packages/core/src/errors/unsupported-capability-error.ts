import { AgentmuxError, type AgentmuxErrorOptions } from './agentmux-error.js';

const CODE = 'AGENTMUX_UNSUPPORTED_CAPABILITY';

/** Thrown when an optional ability of a provider, backend or infra provider is called but not implemented. */
export class UnsupportedCapabilityError extends AgentmuxError {
  /** Who was asked, e.g. `provider:gemini` or `backend:pty`. */
  readonly component: string;
  /** The capability, e.g. `fork`. */
  readonly capability: string;

  constructor(component: string, capability: string, hint?: string, options: AgentmuxErrorOptions = {}) {
    super(
      CODE,
      `${component} does not support "${capability}".${hint ? ` ${hint}` : ''}`,
      options,
    );
    this.name = 'UnsupportedCapabilityError';
    this.component = component;
    this.capability = capability;
  }

  static override isInstance(error: unknown): error is UnsupportedCapabilityError {
    return AgentmuxError.hasCode(error, CODE);
  }
}
