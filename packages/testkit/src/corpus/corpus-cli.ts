import { parseArgs } from 'node:util';
import { generateCorpus, type CorpusProvider, type CorpusShape } from './generate-corpus.js';

const USAGE = 'Usage: agentmux-corpus --provider claude|codex|gemini --root <dir> [--sessions 200] [--turns 20] [--seed 1] [--target-mb 600] [--subagent-every 7] [--sidechain-replays] [--shape default|realistic]';

function fail(message: string): never {
  process.stderr.write(`agentmux-corpus: ${message}\n${USAGE}\n`);
  process.exit(2);
}

let values: Record<string, string | boolean | undefined>;
try {
  ({ values } = parseArgs({
    options: {
      provider: { type: 'string' }, root: { type: 'string' }, sessions: { type: 'string' }, turns: { type: 'string' },
      seed: { type: 'string' }, 'target-mb': { type: 'string' }, 'subagent-every': { type: 'string' },
      'sidechain-replays': { type: 'boolean' }, shape: { type: 'string' }, help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  }));
} catch (error) {
  fail((error as Error).message);
}
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const num = (name: string, fallback: number): number => {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) fail(`--${name} must be a non-negative number, got ${String(raw)}`);
  return n;
};
if (typeof values.provider !== 'string') fail('--provider is required');
if (typeof values.root !== 'string') fail('--root is required');
const targetMb = num('target-mb', 0);
const started = performance.now();
try {
  const result = await generateCorpus({
    provider: values.provider as CorpusProvider,
    root: values.root,
    sessions: num('sessions', 200),
    turnsPerSession: num('turns', 20),
    seed: num('seed', 1),
    subagentEvery: num('subagent-every', 7),
    sidechainReplays: values['sidechain-replays'] === true,
    ...(typeof values.shape === 'string' ? { shape: values.shape as CorpusShape } : {}),
    ...(targetMb > 0 ? { targetBytes: Math.round(targetMb * 1024 * 1024) } : {}),
  });
  const secs = (performance.now() - started) / 1000;
  process.stdout.write(`${JSON.stringify({ root: result.root, files: result.files.length, bytes: result.bytes, mb: Math.round(result.bytes / 1048576), lines: result.lines, sessions: result.sessionIds.length, seconds: Math.round(secs * 10) / 10, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
} catch (error) {
  fail((error as Error).message);
}
