import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve, sep } from 'node:path';
import type { TranscriptFile } from '@agentmux/core';

/** Provider id used on every record. */
export const GEMINI_PROVIDER_ID = 'gemini';

type Env = Readonly<Record<string, string | undefined>>;

function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * The `.gemini` directories to look in. Each configured home is the folder that *contains* `.gemini/`
 * (Gemini CLI's `GEMINI_CLI_HOME`); a path that already ends in `.gemini` is used as is.
 * Order: `configDirs` when given, else `GEMINI_CLI_HOME` (a comma list), else `HOME`, else `os.homedir()`.
 */
export function geminiDirs(env: Env = process.env, configDirs?: readonly string[]): string[] {
  let homes = configDirs && configDirs.length > 0 ? [...configDirs] : splitList(env['GEMINI_CLI_HOME']);
  if (homes.length === 0) homes = [env['HOME'] || homedir()];
  const out: string[] = [];
  for (const home of homes) {
    const abs = resolve(home);
    const dir = basename(abs) === '.gemini' ? abs : join(abs, '.gemini');
    if (!out.includes(dir)) out.push(dir);
  }
  return out;
}

/** Transcript roots: `<gemini dir>/tmp` for each `.gemini` directory. */
export function geminiTranscriptRoots(env: Env = process.env, configDirs?: readonly string[]): string[] {
  return geminiDirs(env, configDirs).map((d) => join(d, 'tmp'));
}

/** sha256 hex of a project root: the legacy `<projectId>` and the records' `projectHash`. */
export function projectHash(projectRoot: string): string {
  return createHash('sha256').update(projectRoot).digest('hex');
}

/** Where a transcript path sits: its `.gemini` dir, project id and chats dir; `null` when not under `tmp/<id>/chats`. */
export function locateTranscript(path: string): { geminiDir: string; projectId: string; projectDir: string } | null {
  const parts = resolve(path).split(sep);
  const chats = parts.lastIndexOf('chats');
  if (chats < 3 || parts[chats - 2] !== 'tmp') return null;
  const projectId = parts[chats - 1] ?? '';
  const projectDir = parts.slice(0, chats).join(sep) || sep;
  return { geminiDir: dirname(dirname(projectDir)), projectId, projectDir };
}

/**
 * Resolves the real project root of a `<projectId>` folder: the `.project_root` marker the CLI writes in
 * slug folders, else `projects.json` (slug → path, or a path whose sha256 equals the id or `hash`).
 * Returns `undefined` when nothing says. Never throws.
 */
export async function resolveProjectRoot(
  geminiDir: string,
  projectId: string,
  hash?: string,
): Promise<string | undefined> {
  try {
    const marker = (await readFile(join(geminiDir, 'tmp', projectId, '.project_root'), 'utf8')).trim();
    if (marker.length > 0) return marker;
  } catch {
    // no marker: fall through
  }
  try {
    const raw: unknown = JSON.parse(await readFile(join(geminiDir, 'projects.json'), 'utf8'));
    const { GeminiProjectsFileSchema } = await import('./schema.js'); // zod loads only when a projects file exists
    const parsed = GeminiProjectsFileSchema.safeParse(raw);
    if (!parsed.success) return undefined;
    const entries = Object.entries(parsed.data.projects);
    const bySlug = entries.find(([, slug]) => slug === projectId);
    if (bySlug) return bySlug[0];
    const byHash = entries.find(([path]) => {
      const h = projectHash(path);
      return h === projectId || (hash !== undefined && h === hash);
    });
    return byHash?.[0];
  } catch {
    return undefined;
  }
}

const MAIN_FILE_RE = /^session-.+\.(jsonl|json)$/;
const SUBAGENT_FILE_RE = /^.+\.jsonl$/;
const SESSION_ID_RE = /"sessionId"\s*:\s*"([^"\\]{1,200})"/;

/** Reads the session id from the head of a chat file (JSONL line 1, or the legacy object's field). */
async function readSessionId(path: string): Promise<string | undefined> {
  let handle;
  try {
    handle = await open(path, 'r');
    // JSONL line 1 is short; a legacy pretty-printed file may put `sessionId` further down.
    for (const size of [4 * 1024, 64 * 1024]) {
      const buf = Buffer.alloc(size);
      const { bytesRead } = await handle.read(buf, 0, size, 0);
      const m = SESSION_ID_RE.exec(buf.toString('utf8', 0, bytesRead));
      if (m?.[1]) return m[1];
      if (bytesRead < size) return undefined;
    }
    return undefined;
  } catch {
    return undefined;
  } finally {
    await handle?.close();
  }
}

const SESSION_ID_CACHE_MAX = 20_000;
const sessionIdCache = new Map<string, { ino: number; id: string }>();

/**
 * A chat file's first record never changes while the file exists (the CLI appends): its session id is read once
 * per path and inode, so re-listing thousands of files opens none of them again.
 */
async function cachedSessionId(path: string, ino: number): Promise<string | undefined> {
  const hit = sessionIdCache.get(path);
  if (hit && hit.ino === ino) return hit.id;
  const id = await readSessionId(path);
  if (id === undefined) return undefined; // not written yet (or not a chat): look again next time
  if (sessionIdCache.size >= SESSION_ID_CACHE_MAX) sessionIdCache.clear();
  sessionIdCache.set(path, { ino, id });
  return id;
}

async function safeReaddir(dir: string) {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

async function describe(
  path: string,
  fallbackId: string,
  extra: Pick<TranscriptFile, 'kind' | 'parentSessionId' | 'projectKey'>,
  since: Date | undefined,
): Promise<TranscriptFile | null> {
  let st;
  try {
    // Sync on purpose: listing stats thousands of files per rescan, and a sync stat costs ~3 µs of CPU where the
    // promise version costs ~40 µs (thread-pool hop + promise); the loop blocks for a few ms at most.
    st = statSync(path);
  } catch {
    return null;
  }
  if (!st.isFile() || (since && st.mtime < since)) return null;
  const sessionId = (await cachedSessionId(path, st.ino)) ?? fallbackId;
  return {
    path,
    providerId: GEMINI_PROVIDER_ID,
    sessionId,
    kind: extra.kind,
    ...(extra.parentSessionId ? { parentSessionId: extra.parentSessionId } : {}),
    ...(extra.projectKey ? { projectKey: extra.projectKey } : {}),
    size: st.size,
    mtime: st.mtime.toISOString(),
  };
}

/**
 * Lists chat files under the roots (`<root>/<projectId>/chats/`): main `session-*.jsonl`, legacy
 * `session-*.json` (skipped when a `.jsonl` with the same name exists: the CLI migrates a resumed legacy file
 * to `<name>.jsonl` and leaves the old one), and subagent files `chats/<parentSessionId>/<sessionId>.jsonl`.
 * The session id comes from the file's first record, else the file name. `since` keeps files modified at or
 * after it. Missing or unreadable folders are skipped.
 */
export async function listGeminiTranscripts(roots: readonly string[], since?: Date): Promise<TranscriptFile[]> {
  const out: TranscriptFile[] = [];
  for (const root of roots) {
    for (const project of await safeReaddir(root)) {
      if (!project.isDirectory()) continue;
      const chatsDir = join(root, project.name, 'chats');
      const entries = await safeReaddir(chatsDir);
      const names = new Set(entries.map((e) => e.name));
      for (const entry of entries) {
        const full = join(chatsDir, entry.name);
        if (entry.isFile() && MAIN_FILE_RE.test(entry.name)) {
          if (entry.name.endsWith('.json') && names.has(`${entry.name}l`)) continue;
          const fallback = entry.name.replace(/\.jsonl?$/, '').replace(/^session-/, '');
          const file = await describe(full, fallback, { kind: 'main', projectKey: project.name }, since);
          if (file) out.push(file);
        } else if (entry.isDirectory()) {
          for (const sub of await safeReaddir(full)) {
            if (!sub.isFile() || !SUBAGENT_FILE_RE.test(sub.name)) continue;
            const file = await describe(
              join(full, sub.name),
              sub.name.replace(/\.jsonl$/, ''),
              { kind: 'subagent', parentSessionId: entry.name, projectKey: project.name },
              since,
            );
            if (file) out.push(file);
          }
        }
      }
    }
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}
