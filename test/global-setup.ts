import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = fileURLToPath(new URL('../packages/testkit', import.meta.url));
const dist = join(pkg, 'dist', 'cli');
const stamp = join(dist, '.build-stamp');
const lock = join(pkg, '.build-lock');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== '__fixtures__') newest = Math.max(newest, newestSource(full));
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
      newest = Math.max(newest, statSync(full).mtimeMs);
    }
  }
  return newest;
}

/** True when dist was built after the last source change (`pnpm build` leaves no stamp: use a built file). */
function fresh(): boolean {
  const marker = existsSync(stamp) ? stamp : join(dist, 'fakes', 'claude.js');
  if (!existsSync(marker)) return false;
  const src = Math.max(newestSource(join(pkg, 'src')), statSync(join(pkg, 'tsup.config.ts')).mtimeMs);
  return statSync(marker).mtimeMs >= src;
}

const pause = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

/** Takes the build lock (a directory); a lock older than two minutes is stale. */
function acquire(): boolean {
  for (;;) {
    try {
      mkdirSync(lock);
      return true;
    } catch {
      if (fresh()) return false;
      try {
        if (Date.now() - statSync(lock).mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        // the other build just finished
      }
      pause(200);
    }
  }
}

/**
 * Vitest global setup: builds the CLIs of packages/testkit (the fake agent CLIs and the corpus CLI, into
 * `dist/cli`) when they are missing or older than the sources, so tests always run fresh fakes. Builds into a temp dir and swaps it in under a lock, so parallel
 * test runs never see a half-written dist.
 */
export default function setup(): void {
  if (fresh() || !acquire()) return;
  try {
    if (fresh()) return;
    const tmp = join(pkg, 'dist', `.cli-build-${process.pid}`);
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(join(pkg, 'dist'), { recursive: true });
    execFileSync(join(pkg, '..', '..', 'node_modules', '.bin', 'tsup'), [], {
      cwd: pkg, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, AGENTMUX_TESTKIT_OUT_DIR: tmp, AGENTMUX_TESTKIT_CLI_ONLY: '1' },
    });
    writeFileSync(join(tmp, '.build-stamp'), new Date().toISOString());
    const old = join(pkg, 'dist', `.cli-old-${process.pid}`);
    if (existsSync(dist)) renameSync(dist, old);
    renameSync(tmp, dist);
    rmSync(old, { recursive: true, force: true });
  } finally {
    for (const leftover of readdirSync(join(pkg, 'dist')).filter((n) => n.endsWith(`-${process.pid}`))) {
      rmSync(join(pkg, 'dist', leftover), { recursive: true, force: true });
    }
    rmSync(lock, { recursive: true, force: true });
  }
}
