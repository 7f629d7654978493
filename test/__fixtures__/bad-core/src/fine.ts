import { z } from 'zod';
import type { Usage } from '../../../../packages/core/src/spec/usage.js';

export const schema = z.string();
export type U = Usage;
