#!/usr/bin/env node
// agentmux pipeline example: `pnpm --filter @agentmux/example-pipeline start` (after `pnpm build`).
// A planner fills the board, three worker agents claim/work/complete tasks, a barrier waits for all of
// them, a reviewer runs last. State lives in a temp dir (pass a directory as the first argument to keep it).
import { runPipeline } from './pipeline.mjs';

const dir = process.argv[2];
const summary = await runPipeline(dir ? { dir } : {});
process.exitCode = summary.stats.done === summary.stats.total - summary.stats.skipped ? 0 : 1;
