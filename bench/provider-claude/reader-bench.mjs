// Throughput of the Claude transcript reader (packages/provider-claude/src/parser.ts).
// Builds the reader with esbuild into a temp dir, writes a synthetic transcript by repeating the recorded fake-CLI
// session (fresh uuids and message ids per copy), then measures: one full read (MB/s, lines/s, turns), and live
// tailing (append one turn, read the delta) as the median of many rounds. Prints figures; asserts nothing.
// Usage: node bench/provider-claude/reader-bench.mjs [sizeMB=50]
import { appendFileSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const sizeMb = Number(process.argv[2] ?? 50);
const esbuild = createRequire(realpathSync(join(repo, 'node_modules/tsup/package.json')))('esbuild');
const tmp = mkdtempSync(join(tmpdir(), 'agentmux-claude-bench-'));

try {
  await esbuild.build({
    entryPoints: { parser: join(repo, 'packages/provider-claude/src/parser.ts') },
    outdir: tmp,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
    // The reader needs only core's spec and errors: bundle those (and zod) instead of core's whole index, whose
    // backends load native node-pty.
    plugins: [{
      name: 'core-spec-only',
      setup(build) {
        build.onResolve({ filter: /^@agentmux\/core$/ }, () => ({ path: 'core', namespace: 'core-shim' }));
        build.onLoad({ filter: /.*/, namespace: 'core-shim' }, () => ({
          contents: "export * from './errors/index.ts'; export * from './spec/index.ts';",
          resolveDir: join(repo, 'packages/core/src'),
          loader: 'ts',
        }));
      },
    }],
  });
  const { openClaudeTranscript } = await import(pathToFileURL(join(tmp, 'parser.js')).href);

  const recorded = join(repo, 'packages/provider-claude/src/__fixtures__/recorded/projects/-tmp-claude-rec-work-app/aaaaaaaa-0000-4000-8000-000000000003.jsonl');
  const template = readFileSync(recorded, 'utf8').split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l));
  let copy = 0;
  const turnText = () => {
    copy += 1;
    const hex = copy.toString(16).padStart(8, '0');
    return template.map((rec) => {
      const r = structuredClone(rec);
      if (typeof r.uuid === 'string') r.uuid = `${r.uuid.slice(0, -8)}${hex}`;
      if (r.type === 'assistant' && r.message?.id) r.message.id = `${r.message.id}_${hex}`;
      return `${JSON.stringify(r)}\n`;
    }).join('');
  };
  const path = join(tmp, 'aaaaaaaa-0000-4000-8000-00000000bench.jsonl');
  const target = sizeMb * 1024 * 1024;
  const parts = [];
  let bytes = 0;
  while (bytes < target) {
    const t = turnText();
    parts.push(t);
    bytes += Buffer.byteLength(t);
  }
  writeFileSync(path, parts.join(''));
  const file = { path, providerId: 'claude', sessionId: 'aaaaaaaa-0000-4000-8000-00000000bench', kind: 'main' };
  const size = statSync(path).size;
  const lines = parts.join('').split('\n').length - 1;

  const runs = [];
  let delta;
  for (let i = 0; i < 3; i += 1) {
    const t0 = performance.now();
    delta = await openClaudeTranscript(file).read();
    runs.push(performance.now() - t0);
  }
  const best = Math.min(...runs);
  console.log(`full read: ${(size / 1e6).toFixed(1)} MB, ${lines} lines in ${best.toFixed(0)} ms (best of 3) = ${(size / 1e6 / (best / 1000)).toFixed(1)} MB/s, ${Math.round(lines / (best / 1000))} lines/s; turns ${delta.turns.length}, usage records ${delta.usage.length}, skipped ${JSON.stringify(delta.skipped)}`);

  const reader = openClaudeTranscript(file);
  await reader.read();
  const tail = [];
  for (let i = 0; i < 200; i += 1) {
    appendFileSync(path, turnText());
    const t0 = performance.now();
    const d = await reader.read();
    tail.push(performance.now() - t0);
    if (d.turns.length !== 3) throw new Error(`expected 3 new turns, got ${d.turns.length}`);
  }
  tail.sort((a, b) => a - b);
  const q = (p) => tail[Math.min(tail.length - 1, Math.floor(p * tail.length))].toFixed(2);
  console.log(`live tail (append one ${template.length}-line session copy, read the delta) over ${tail.length} rounds: median ${q(0.5)} ms, p95 ${q(0.95)} ms, max ${q(1)} ms`);
  console.log(`rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
