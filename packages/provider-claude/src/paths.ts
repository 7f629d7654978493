import { existsSync, readdirSync, statSync, type Dirent } from 'node:fs';
import { homedir } from 'node:os';
import { basename, isAbsolute, join, resolve } from 'node:path';
import type { TranscriptFile } from '@agentmux/core';

/** Environment as accepted by the provider methods. */
export type ClaudeEnv = Readonly<Record<string, string | undefined>>;

const PROVIDER_ID = 'claude';
const MAX_ENCODED_LENGTH = 200;

/** Home directory from `env.HOME`, else the OS user's home. */
export function homeDir(env: ClaudeEnv): string {
  const home = env.HOME?.trim();
  return home ? home : homedir();
}

function expandHome(path: string, env: ClaudeEnv): string {
  if (path === '~') return homeDir(env);
  if (path.startsWith('~/')) return join(homeDir(env), path.slice(2));
  return path;
}

/**
 * Claude's config directories: the `CLAUDE_CONFIG_DIR` comma list (blank entries dropped, `~` expanded, relative
 * paths resolved against the current directory), else those of `~/.claude` and `~/.config/claude` that exist.
 * When neither default exists, `~/.claude` is returned so that callers watch where the CLI will create it.
 */
export function claudeConfigDirs(env: ClaudeEnv): string[] {
  const fromEnv = (env.CLAUDE_CONFIG_DIR ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map((part) => resolve(expandHome(part, env)));
  if (fromEnv.length > 0) return [...new Set(fromEnv)];
  const home = homeDir(env);
  const defaults = [join(home, '.claude'), join(home, '.config', 'claude')];
  const existing = defaults.filter((dir) => existsSync(dir));
  return existing.length > 0 ? existing : [defaults[0] ?? join(home, '.claude')];
}

/** The `projects/` directories under the given config dirs: the transcript roots. */
export function claudeProjectRoots(configDirs: readonly string[]): string[] {
  return configDirs.map((dir) => join(dir, 'projects'));
}

/** 31-multiplier string hash over UTF-16 code units, `|0`, absolute value, base 36 (as the CLI does). */
function hash36(text: string): string {
  let h = 0;
  for (let i = 0; i < text.length; i += 1) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return Math.abs(h).toString(36);
}

/**
 * The folder name Claude Code uses under `projects/` for a working directory: every character outside
 * `[a-zA-Z0-9]` becomes `-`; names longer than 200 characters are cut to 200 and get `-<hash36>` appended.
 * Lossy: take the real cwd from the records.
 */
export function claudeProjectDirName(cwd: string): string {
  const encoded = cwd.replace(/[^a-zA-Z0-9]/g, '-');
  if (encoded.length <= MAX_ENCODED_LENGTH) return encoded;
  return `${encoded.slice(0, MAX_ENCODED_LENGTH)}-${hash36(cwd)}`;
}

const SUBAGENT_FILE = /^agent-(.+)\.jsonl$/;

async function listDir(dir: string): Promise<Dirent[]> {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

async function describe(
  path: string,
  base: Omit<TranscriptFile, 'path' | 'providerId' | 'size' | 'mtime'>,
  since: Date | undefined,
  stat = true,
): Promise<TranscriptFile | null> {
  if (!stat && !since) return { path, providerId: PROVIDER_ID, ...base }; // the directory entry said it is a file
  try {
    // Sync on purpose: listing stats thousands of files per rescan, and a sync stat costs ~3 µs of CPU where the
    // promise version costs ~40 µs (thread-pool hop + promise); the loop blocks for a few ms at most.
    const info = statSync(path);
    if (!info.isFile()) return null;
    if (since && info.mtime.getTime() < since.getTime()) return null;
    return { path, providerId: PROVIDER_ID, ...base, size: info.size, mtime: info.mtime.toISOString() };
  } catch {
    return null;
  }
}

async function listProject(projectDir: string, projectKey: string, since: Date | undefined, stat: boolean): Promise<TranscriptFile[]> {
  const entries = await listDir(projectDir);
  const jobs: Promise<TranscriptFile | null>[] = [];
  for (const entry of entries) {
    const flatAgent = entry.isFile() ? SUBAGENT_FILE.exec(entry.name) : null;
    if (flatAgent?.[1]) {
      // Older 2.0.x layout: `projects/<enc>/agent-<agentId>.jsonl`; the parent comes from the records' sessionId.
      jobs.push(describe(join(projectDir, entry.name), { sessionId: flatAgent[1], kind: 'subagent', projectKey }, since, stat));
    } else if (entry.isFile() && entry.name.endsWith('.jsonl')) {
      const sessionId = entry.name.slice(0, -'.jsonl'.length);
      jobs.push(describe(join(projectDir, entry.name), { sessionId, kind: 'main', projectKey }, since, stat));
    } else if (entry.isDirectory()) {
      const parentSessionId = entry.name;
      const subDir = join(projectDir, parentSessionId, 'subagents');
      for (const sub of await listDir(subDir)) {
        const m = SUBAGENT_FILE.exec(sub.name);
        if (!sub.isFile() || !m?.[1]) continue;
        jobs.push(
          describe(join(subDir, sub.name), { sessionId: m[1], parentSessionId, kind: 'subagent', projectKey }, since, stat),
        );
      }
    }
  }
  return (await Promise.all(jobs)).filter((f): f is TranscriptFile => f !== null);
}

/**
 * Lists main transcripts (`projects/<enc>/<sessionId>.jsonl`) and subagent transcripts
 * (`projects/<enc>/<sessionId>/subagents/agent-<agentId>.jsonl`, kind `subagent`, `sessionId` = agentId,
 * `parentSessionId` = `<sessionId>`; also the older flat `projects/<enc>/agent-<agentId>.jsonl`, whose parent is
 * only known from its records) under the given `projects/` roots. Missing roots are skipped. With `since`,
 * only files modified at or after it. Sorted by path; a path reached through two roots is listed once. With
 * `stat: false` (and no `since`) files are not stat'ed and `size`/`mtime` are left out, for callers that read every
 * file anyway (a stat is ~10 µs here, 20 ms for 2,000 files).
 */
export async function listClaudeTranscripts(roots: readonly string[], since?: Date, options: { stat?: boolean } = {}): Promise<TranscriptFile[]> {
  const stat = options.stat ?? true;
  const files: TranscriptFile[] = [];
  for (const root of roots) {
    const projects = (await listDir(root)).filter((e) => e.isDirectory());
    const lists = await Promise.all(projects.map((p) => listProject(join(root, p.name), p.name, since, stat)));
    for (const list of lists) files.push(...list);
  }
  const unique = new Map<string, TranscriptFile>();
  for (const file of files) unique.set(file.path, file);
  return [...unique.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Describes one transcript path (main or subagent) from its location, without touching the disk. */
export function describeClaudeTranscriptPath(path: string): TranscriptFile {
  const abs = isAbsolute(path) ? path : resolve(path);
  const name = basename(abs);
  const parts = abs.split(/[\\/]/);
  const sub = SUBAGENT_FILE.exec(name);
  if (sub?.[1] && parts.at(-2) === 'subagents') {
    const parentSessionId = parts.at(-3) ?? '';
    return {
      path: abs,
      providerId: PROVIDER_ID,
      sessionId: sub[1],
      parentSessionId,
      kind: 'subagent',
      projectKey: parts.at(-4),
    };
  }
  if (sub?.[1]) return { path: abs, providerId: PROVIDER_ID, sessionId: sub[1], kind: 'subagent', projectKey: parts.at(-2) };
  return {
    path: abs,
    providerId: PROVIDER_ID,
    sessionId: name.endsWith('.jsonl') ? name.slice(0, -'.jsonl'.length) : name,
    kind: 'main',
    projectKey: parts.at(-2),
  };
}
