import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';

type Env = Readonly<Record<string, string | undefined>>;

// ---------- Claude Code ----------

/** `$CLAUDE_CONFIG_DIR` (first entry of a comma list) or `~/.claude`. */
export function claudeConfigDir(env: Env = process.env): string {
  const first = (env.CLAUDE_CONFIG_DIR ?? '').split(',').map((s) => s.trim()).find((s) => s !== '');
  return first ?? join(env.HOME ?? homedir(), '.claude');
}

/** Java-style 31-multiplier string hash, `|0`, absolute value, base 36 (Claude's long-path suffix). */
function hash36(text: string): string {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return Math.abs(h).toString(36);
}

/** Claude's project directory name for `cwd`: non-alphanumerics become `-`; over 200 chars → cut + `-<hash36>`. */
export function encodeClaudeCwd(cwd: string): string {
  const encoded = cwd.replace(/[^a-zA-Z0-9]/g, '-');
  return encoded.length <= 200 ? encoded : `${encoded.slice(0, 200)}-${hash36(cwd)}`;
}

/** `<configDir>/projects/<encoded-cwd>`. */
export function claudeProjectDir(configDir: string, cwd: string): string {
  return join(configDir, 'projects', encodeClaudeCwd(cwd));
}

/** `<configDir>/projects/<encoded-cwd>/<sessionId>.jsonl`. */
export function claudeTranscriptPath(configDir: string, cwd: string, sessionId: string): string {
  return join(claudeProjectDir(configDir, cwd), `${sessionId}.jsonl`);
}

/** `<configDir>/projects/<encoded-cwd>/<sessionId>/subagents/agent-<agentId>.jsonl`. */
export function claudeSubagentPath(configDir: string, cwd: string, sessionId: string, agentId: string): string {
  return join(claudeProjectDir(configDir, cwd), sessionId, 'subagents', `agent-${agentId}.jsonl`);
}

// ---------- Codex CLI ----------

/** `$CODEX_HOME` (first entry of a comma list) or `~/.codex`. */
export function codexHome(env: Env = process.env): string {
  const first = (env.CODEX_HOME ?? '').split(',').map((s) => s.trim()).find((s) => s !== '');
  return first ?? join(env.HOME ?? homedir(), '.codex');
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/**
 * `<codexHome>/sessions/YYYY/MM/DD/rollout-YYYY-MM-DDThh-mm-ss-<uuid>.jsonl`, in local time (as Codex does).
 */
export function codexSessionPath(home: string, sessionId: string, startedAt: Date): string {
  const y = String(startedAt.getFullYear());
  const mo = pad(startedAt.getMonth() + 1);
  const d = pad(startedAt.getDate());
  const stamp = `${y}-${mo}-${d}T${pad(startedAt.getHours())}-${pad(startedAt.getMinutes())}-${pad(startedAt.getSeconds())}`;
  return join(home, 'sessions', y, mo, d, `rollout-${stamp}-${sessionId}.jsonl`);
}

// ---------- Gemini CLI ----------

/** The `.gemini` directory: `$GEMINI_CLI_HOME/.gemini`, else `~/.gemini`. */
export function geminiDir(env: Env = process.env): string {
  return join(env.GEMINI_CLI_HOME || env.HOME || homedir(), '.gemini');
}

/** Gemini's project slug of a path's basename: lowercase, `[^a-z0-9]` → `-`, dashes collapsed and trimmed. */
export function geminiSlug(projectRoot: string): string {
  const slug = basename(projectRoot).toLowerCase().replace(/[^a-z0-9]/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '');
  return slug === '' ? 'project' : slug;
}

interface ProjectsFile {
  projects: Record<string, string>;
}

function readProjects(file: string): ProjectsFile {
  if (!existsSync(file)) return { projects: {} };
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<ProjectsFile>;
    return { projects: typeof parsed.projects === 'object' && parsed.projects !== null ? { ...parsed.projects } : {} };
  } catch {
    return { projects: {} };
  }
}

/**
 * The project id of `projectRoot` under the slug scheme, registering it in `<geminiDir>/projects.json`
 * (written atomically) when new: the slug, or `<slug>-1`, `<slug>-2`… when another path already owns it.
 */
export function geminiProjectId(gemDir: string, projectRoot: string): string {
  const file = join(gemDir, 'projects.json');
  const data = readProjects(file);
  const known = data.projects[projectRoot];
  if (known !== undefined) return known;
  const taken = new Set(Object.values(data.projects));
  const base = geminiSlug(projectRoot);
  let slug = base;
  for (let i = 1; taken.has(slug); i++) slug = `${base}-${i}`;
  data.projects[projectRoot] = slug;
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(data, null, 2)}\n`);
  renameSync(tmp, file);
  return slug;
}

/** `<geminiDir>/tmp/<projectId>/chats`. */
export function geminiChatsDir(gemDir: string, projectId: string): string {
  return join(gemDir, 'tmp', projectId, 'chats');
}

/** `session-<YYYY-MM-DDTHH-MM>-<first 8 of sessionId>.jsonl` (UTC, as Gemini's ISO stamp). */
export function geminiSessionFileName(sessionId: string, startedAt: Date): string {
  const stamp = startedAt.toISOString().slice(0, 16).replace(/:/g, '-');
  return `session-${stamp}-${sessionId.slice(0, 8)}.jsonl`;
}
