import type { ProviderV1 } from '@agentmux/core';
import { createGeminiProvider } from './provider.js';

/** The Gemini CLI provider with default settings (paths from the env passed to each call). */
export const gemini: ProviderV1 = createGeminiProvider();
