/** Short, secret-free summaries of tool inputs and tool errors for ToolSpans and signals. */

const MAX_SUMMARY = 200;

const SECRET_PATTERNS: readonly [RegExp, string][] = [
  // ENV=value assignments (commands like `API_KEY=sk-… npm test`, `export TOKEN=…`).
  [/\b([A-Z_][A-Z0-9_]*)=("[^"]*"|'[^']*'|\S+)/g, '$1=***'],
  // Authorization headers and bearer tokens.
  [/\b(authorization:\s*)(?:(?:bearer|basic|token)\s+)?[^\s"',]+/gi, '$1***'],
  [/\b(bearer\s+)(?!\*\*\*)[^\s"',]+/gi, '$1***'],
  // Well-known token prefixes.
  [/\b(sk-ant-|sk-|ghp_|gho_|ghs_|github_pat_|xox[abposr]-|glpat-|AKIA|AIza)[A-Za-z0-9_-]{6,}/g, '$1***'],
  // --password / --token / --api-key style flags.
  [/(--?(?:password|passwd|token|secret|api[-_]?key)(?:=|\s+))\S+/gi, '$1***'],
  // user:password@ in URLs.
  [/(\/\/[^/\s:@]+:)[^@\s/]+@/g, '$1***@'],
];

/** Masks values that look like secrets (env assignments, tokens, passwords in flags and URLs). */
export function redactSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** Collapses whitespace and cuts to `max` characters, marking the cut with `…`. */
export function truncateText(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

function str(input: Record<string, unknown>, key: string): string | undefined {
  const v = input[key];
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/**
 * A one-line summary of a tool call's input, at most 200 characters, secrets masked: the command for `Bash`, the
 * path for file tools, the pattern for searches, the URL or query for web tools, the description for `Task`,
 * otherwise the list of input keys (never their values).
 */
export function summarizeToolInput(name: string, input: unknown): string {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return '';
  const rec = input as Record<string, unknown>;
  let summary: string | undefined;
  switch (name) {
    case 'Bash':
    case 'BashOutput':
      summary = str(rec, 'command') ?? str(rec, 'bash_id');
      break;
    case 'Read':
    case 'Write':
    case 'Edit':
    case 'MultiEdit':
    case 'NotebookEdit':
    case 'NotebookRead':
      summary = str(rec, 'file_path') ?? str(rec, 'notebook_path') ?? str(rec, 'path');
      break;
    case 'Glob':
    case 'Grep': {
      const pattern = str(rec, 'pattern');
      const path = str(rec, 'path');
      summary = pattern && path ? `${pattern} in ${path}` : pattern;
      break;
    }
    case 'LS':
      summary = str(rec, 'path');
      break;
    case 'WebFetch':
      summary = str(rec, 'url');
      break;
    case 'WebSearch':
      summary = str(rec, 'query');
      break;
    case 'Task':
    case 'Agent':
      summary = str(rec, 'description') ?? str(rec, 'subagent_type');
      break;
    case 'TodoWrite': {
      const todos = rec.todos;
      summary = Array.isArray(todos) ? `${todos.length} todos` : undefined;
      break;
    }
    case 'KillShell':
    case 'KillBash':
      summary = str(rec, 'shell_id');
      break;
    default:
      break;
  }
  if (summary === undefined) {
    const keys = Object.keys(rec);
    summary = keys.length > 0 ? `{${keys.join(', ')}}` : '';
  }
  return truncateText(redactSecrets(summary), MAX_SUMMARY);
}

/** Text of a `tool_result.content` (string or blocks), secrets masked, cut to `max` characters. */
export function toolResultText(content: unknown, max = 500): string {
  let text = '';
  if (typeof content === 'string') text = content;
  else if (Array.isArray(content)) {
    text = content
      .map((b) => (typeof b === 'object' && b !== null && typeof (b as { text?: unknown }).text === 'string'
        ? (b as { text: string }).text
        : ''))
      .filter((t) => t.length > 0)
      .join('\n');
  }
  return truncateText(redactSecrets(text), max);
}
