/**
 * Short, secret-free summaries of Codex tool calls and detection of failed tool results.
 */

/** Maximum length of a tool input summary (ToolSpan contract). */
export const INPUT_SUMMARY_MAX = 200;
/** Maximum length of a tool error message. */
export const ERROR_MESSAGE_MAX = 300;

const SECRET_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  // Environment assignments: never keep the value (`API_KEY=abc` → `API_KEY=***`).
  [/\b([A-Z_][A-Z0-9_]*)=("[^"]*"|'[^']*'|\S+)/g, '$1=***'],
  [/\b([A-Za-z0-9_.-]*(?:key|token|secret|passw(?:or)?d)[A-Za-z0-9_.-]*)[=:]\s*("[^"]*"|'[^']*'|\S+)/gi, '$1=***'],
  [/\b(Bearer|Basic|token)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 ***'],
  [/\b(sk|pk|rk)-[A-Za-z0-9_-]{10,}/g, '$1-***'],
  [/\b(gh[pousr]_)[A-Za-z0-9]{10,}/g, '$1***'],
  [/\b(xox[abprs]-)[A-Za-z0-9-]{10,}/g, '$1***'],
  [/\bAKIA[0-9A-Z]{12,}/g, 'AKIA***'],
  [/(--?(?:password|passwd|token|secret|api-key|apikey|key)[ =])\S+/gi, '$1***'],
];

/** Removes likely secrets (env values, bearer tokens, API keys) from a text. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** Collapses whitespace, redacts and cuts to `max` characters (with `…`). */
export function shorten(text: string, max: number): string {
  const flat = redactSecrets(text.replace(/\s+/g, ' ').trim());
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

function parseJsonObject(text: string | null | undefined): Record<string, unknown> | null {
  if (!text) return null;
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const SHELLS = new Set(['bash', 'sh', 'zsh', 'dash', 'fish', 'pwsh', 'powershell', 'cmd']);

/** Turns a Codex shell `command` (argv array or string) into a command line. */
export function commandLine(command: unknown): string | null {
  if (typeof command === 'string') return command;
  if (!Array.isArray(command) || !command.every((c) => typeof c === 'string')) return null;
  const argv = command as string[];
  const shell = argv[0]?.split('/').pop() ?? '';
  const flag = argv[1];
  if (SHELLS.has(shell) && (flag === '-lc' || flag === '-c' || flag === '/c' || flag === '-Command') && argv[2] !== undefined) {
    return argv[2];
  }
  return argv.join(' ');
}

/** Files named in an apply_patch body (`*** Update File: a.ts` …). */
function patchSummary(body: string): string | null {
  const files = [...body.matchAll(/^\*\*\* (Add|Update|Delete) File: (.+)$/gm)].map((m) => `${m[1]} ${m[2]?.trim()}`);
  return files.length > 0 ? files.join(', ') : null;
}

const SUMMARY_KEYS = ['command', 'cmd', 'path', 'file_path', 'filePath', 'query', 'url', 'pattern', 'prompt', 'message'];

/**
 * Summary of a `function_call` (JSON `arguments`), `custom_tool_call` (free `input`) or
 * `local_shell_call` (`action.command`). Never longer than 200 characters, secrets redacted.
 */
export function summarizeToolInput(name: string, args: string | null | undefined, input?: string | null, action?: Record<string, unknown> | null): string {
  if (action) {
    const cmd = commandLine(action.command);
    if (cmd) return shorten(cmd, INPUT_SUMMARY_MAX);
    if (typeof action.query === 'string') return shorten(action.query, INPUT_SUMMARY_MAX);
  }
  if (typeof input === 'string' && input.length > 0) {
    return shorten(patchSummary(input) ?? input, INPUT_SUMMARY_MAX);
  }
  const obj = parseJsonObject(args);
  if (!obj) return args ? shorten(patchSummary(args) ?? args, INPUT_SUMMARY_MAX) : '';
  if (name === 'update_plan' && Array.isArray(obj.plan)) return `plan (${obj.plan.length} steps)`;
  if (typeof obj.input === 'string' && name.includes('patch')) return shorten(patchSummary(obj.input) ?? obj.input, INPUT_SUMMARY_MAX);
  for (const key of SUMMARY_KEYS) {
    const value = obj[key];
    const line = key === 'command' || key === 'cmd' ? commandLine(value) : typeof value === 'string' ? value : null;
    if (line) return shorten(line, INPUT_SUMMARY_MAX);
  }
  // Never dump env maps: drop `env` before falling back to compact JSON.
  const { env: _env, ...rest } = obj;
  return shorten(JSON.stringify(rest), INPUT_SUMMARY_MAX);
}

/** Text of a `function_call_output.output` in any of its shapes (string, content items, `{content}`). */
export function outputText(output: unknown): { text: string; success?: boolean } {
  if (typeof output === 'string') return { text: output };
  if (Array.isArray(output)) {
    const parts = output
      .map((item) => (item && typeof item === 'object' && typeof (item as { text?: unknown }).text === 'string' ? (item as { text: string }).text : ''))
      .filter((t) => t.length > 0);
    return { text: parts.join('\n') };
  }
  if (output && typeof output === 'object') {
    const o = output as Record<string, unknown>;
    const text = typeof o.content === 'string' ? o.content : '';
    return typeof o.success === 'boolean' ? { text, success: o.success } : { text };
  }
  return { text: '' };
}

const ERROR_PREFIXES = [
  /^execution error\b/i,
  /^exec command rejected\b/i,
  /^failed to parse function arguments\b/i,
  /^aborted\b/i,
  /^error:/i,
  /^unsupported call\b/i,
  /^sandbox (?:error|denied)\b/i,
];

/** Decides whether a tool result is an error; returns the (short, redacted) message when it is. */
export function toolOutputError(output: unknown): string | null {
  const { text, success } = outputText(output);
  const firstLine = (t: string) => shorten(t.split('\n').find((l) => l.trim().length > 0) ?? t, ERROR_MESSAGE_MAX);
  if (success === false) return firstLine(text) || 'tool failed';
  const json = parseJsonObject(text);
  if (json) {
    const meta = json.metadata;
    const exit = meta && typeof meta === 'object' ? (meta as Record<string, unknown>).exit_code : json.exit_code;
    if (typeof exit === 'number' && exit !== 0) {
      const body = typeof json.output === 'string' ? json.output : '';
      return `exit code ${exit}${body ? `: ${firstLine(body)}` : ''}`;
    }
    if (json.success === false) return firstLine(typeof json.output === 'string' ? json.output : text) || 'tool failed';
    return null;
  }
  const exitMatch = /^(?:Exit code:|Process exited with code)\s*(-?\d+)/m.exec(text);
  if (exitMatch) {
    const code = Number(exitMatch[1]);
    if (code === 0) return null;
    const after = text.split(/^Output:\s*$/m)[1] ?? '';
    return `exit code ${code}${after.trim() ? `: ${firstLine(after)}` : ''}`;
  }
  const trimmed = text.trimStart();
  if (ERROR_PREFIXES.some((p) => p.test(trimmed))) return firstLine(trimmed);
  return null;
}
