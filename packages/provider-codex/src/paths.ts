import { readdirSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { TranscriptFile } from '@agentmux/core';
import type { CodexSessionMetaPayload } from './schema.js';

/** Provider id used on every record. */
export const CODEX_PROVIDER_ID = 'codex';

type Env = Readonly<Record<string, string | undefined>>;

const UUID_IN_NAME = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl(?:\.zst)?$/i;
const ROLLOUT_NAME = /\.jsonl(?:\.zst)?$/i;
/** session_meta lines carry the base instructions in newer versions: allow a generous first line. */
const PEEK_LIMIT_BYTES = 1024 * 1024;
const PEEK_CHUNK_BYTES = 64 * 1024;
const META_CACHE_MAX = 100_000;

/** Splits a comma list (as `CODEX_HOME` may be), trimming blanks. */
export function splitPathList(value: string | undefined): string[] {
  if (!value) return [];
  return value.split(',').map((p) => p.trim()).filter((p) => p.length > 0);
}

function expandHome(p: string, env: Env): string {
  if (p === '~' || p.startsWith('~/')) return join(env.HOME ?? homedir(), p.slice(1));
  return p;
}

/**
 * Codex home directories: `configDirs` when given, else `$CODEX_HOME` (comma list), else `$HOME/.codex`.
 * Each is resolved to an absolute path; duplicates are removed, order kept.
 */
export function codexHomes(env: Env, configDirs?: readonly string[]): string[] {
  const fromEnv = splitPathList(env.CODEX_HOME);
  const chosen = configDirs && configDirs.length > 0 ? [...configDirs] : fromEnv;
  const dirs = chosen.length > 0 ? chosen : [join(env.HOME ?? homedir(), '.codex')];
  return [...new Set(dirs.map((d) => resolve(expandHome(d, env))))];
}

/** The thread id written in a rollout file name (`rollout-…-<uuid>.jsonl[.zst]`), if any. */
export function threadIdFromFileName(path: string): string | undefined {
  return UUID_IN_NAME.exec(basename(path))?.[1]?.toLowerCase();
}

/** What the first line of a rollout says about the session. */
export interface SessionMetaFacts {
  /** Thread id (`payload.id`). */
  id?: string;
  /** True for subagent threads. */
  subagent: boolean;
  /** Parent thread of a subagent (thread_spawn parent, `parent_thread_id`, else `forked_from_id`). */
  parentSessionId?: string;
  /** Thread this one was forked from (a subagent or a user fork); its history is replayed at the start. */
  forkedFromId?: string;
}

/** Reads the subagent/fork facts from a `session_meta` payload. */
export function sessionMetaFacts(payload: CodexSessionMetaPayload): SessionMetaFacts {
  const source = payload.source;
  let subagent = payload.thread_source === 'subagent';
  let spawnParent: string | undefined;
  if (typeof source === 'string') {
    if (source === 'subagent' || source.startsWith('subagent')) subagent = true;
  } else if (source && typeof source === 'object' && 'subagent' in source) {
    subagent = true;
    const sub = source.subagent;
    if (sub && typeof sub === 'object' && 'thread_spawn' in sub) {
      const spawn = (sub as Record<string, unknown>).thread_spawn;
      if (spawn && typeof spawn === 'object') {
        const parent = (spawn as Record<string, unknown>).parent_thread_id;
        if (typeof parent === 'string' && parent) spawnParent = parent;
      }
    }
  }
  const forkedFromId = payload.forked_from_id ?? undefined;
  const parent = subagent ? (spawnParent ?? payload.parent_thread_id ?? forkedFromId ?? undefined) : undefined;
  return {
    ...(payload.id ? { id: payload.id } : {}),
    subagent,
    ...(parent ? { parentSessionId: parent } : {}),
    ...(forkedFromId ? { forkedFromId } : {}),
  };
}

/** Reads the first line of a plain rollout (at most 1 MiB) and returns its session_meta facts, if any. */
export async function peekSessionMeta(path: string): Promise<SessionMetaFacts | null> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch {
    return null;
  }
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    while (total < PEEK_LIMIT_BYTES) {
      const buf = Buffer.alloc(PEEK_CHUNK_BYTES);
      const { bytesRead } = await handle.read(buf, 0, buf.length, total);
      if (bytesRead === 0) return null;
      const part = buf.subarray(0, bytesRead);
      const nl = part.indexOf(0x0a);
      if (nl >= 0) {
        chunks.push(part.subarray(0, nl));
        const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        if (!parsed || typeof parsed !== 'object') return null;
        const rec = parsed as Record<string, unknown>;
        if (rec.type !== 'session_meta') return null;
        // The schema (zod) loads on the first session file, so that listing an empty home stays lean.
        const { CodexSessionMetaPayloadSchema } = await import('./schema.js');
        const payload = CodexSessionMetaPayloadSchema.safeParse(rec.payload);
        return payload.success ? sessionMetaFacts(payload.data) : null;
      }
      chunks.push(part);
      total += bytesRead;
    }
    return null;
  } catch {
    return null;
  } finally {
    await handle.close();
  }
}

async function walk(dir: string, out: string[], depth: number): Promise<void> {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (depth < 4) await walk(full, out, depth + 1);
    } else if (entry.isFile() && ROLLOUT_NAME.test(entry.name)) {
      out.push(full);
    }
  }
}

interface Found {
  file: TranscriptFile;
  compressed: boolean;
  mtimeMs: number;
}

/** Preference: `sessions/` over `archived_sessions/`, plain over `.zst`, then the newest. */
function better(a: Found, b: Found): boolean {
  if (Boolean(a.file.archived) !== Boolean(b.file.archived)) return !a.file.archived;
  if (a.compressed !== b.compressed) return !a.compressed;
  return a.mtimeMs > b.mtimeMs;
}

/**
 * Lists rollout files under `<home>/sessions/**` and `<home>/archived_sessions/**` of every Codex home.
 * One file per thread id: a `sessions/` copy beats an archived one and a plain `.jsonl` beats a
 * `.jsonl.zst`. Plain files are peeked for their `session_meta` (subagent kind and parent); pass a
 * `metaCache` to peek each file only once across calls.
 */
export async function listCodexTranscripts(homes: readonly string[], since?: Date, metaCache?: Map<string, SessionMetaFacts>): Promise<TranscriptFile[]> {
  const byId = new Map<string, Found>();
  for (const home of homes) {
    for (const [sub, archived] of [['sessions', false], ['archived_sessions', true]] as const) {
      const paths: string[] = [];
      await walk(join(home, sub), paths, 0);
      for (const path of paths) {
        let info;
        try {
          // Sync on purpose: listing stats thousands of files per rescan, and a sync stat costs ~3 µs of CPU where the
          // promise version costs ~40 µs (thread-pool hop + promise); the loop blocks for a few ms at most.
          info = statSync(path);
        } catch {
          continue;
        }
        if (since && info.mtime < since) continue;
        const compressed = path.toLowerCase().endsWith('.zst');
        // A rollout's first line never changes once written: remember what it said.
        let meta = compressed ? null : (metaCache?.get(path) ?? null);
        if (!compressed && !meta) {
          meta = await peekSessionMeta(path);
          if (meta && metaCache) {
            if (metaCache.size >= META_CACHE_MAX) metaCache.clear();
            metaCache.set(path, meta);
          }
        }
        const sessionId = meta?.id ?? threadIdFromFileName(path);
        if (!sessionId) continue;
        const file: TranscriptFile = {
          path,
          providerId: CODEX_PROVIDER_ID,
          sessionId,
          kind: meta?.subagent ? 'subagent' : 'main',
          ...(meta?.parentSessionId ? { parentSessionId: meta.parentSessionId } : {}),
          ...(archived ? { archived: true } : {}),
          size: info.size,
          mtime: info.mtime.toISOString(),
        };
        const found: Found = { file, compressed, mtimeMs: info.mtimeMs };
        const prev = byId.get(sessionId);
        if (!prev || better(found, prev)) byId.set(sessionId, found);
      }
    }
  }
  return [...byId.values()].map((f) => f.file).sort((a, b) => a.path.localeCompare(b.path));
}
