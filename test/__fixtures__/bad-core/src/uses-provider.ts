// A core file that breaks the boundary: used by test/boundaries.test.ts to show the check fails.
import { createClaudeProvider } from '@agentmux/provider-claude';

export const provider = createClaudeProvider({});
