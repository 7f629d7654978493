/** Maximum length of a tool input summary (core `ToolSpan.inputSummary`). */
export const MAX_SUMMARY = 200;

const SECRET_KEY_RE = /(token|secret|passw(or)?d|api[_-]?key|auth|credential|cookie|private[_-]?key|^env$|environment)/i;

const SECRET_PATTERNS: Array<[RegExp, string]> = [
  // KEY=value / KEY: value where the key names a secret
  [/\b([A-Za-z_][A-Za-z0-9_-]*(?:TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|APIKEY|AUTH)[A-Za-z0-9_]*)(\s*[=:]\s*)("[^"]*"|'[^']*'|\S+)/gi, '$1$2***'],
  // Authorization headers
  [/\b(authorization\s*:\s*)(bearer|basic|token)?\s*[^\s"']+/gi, '$1$2 ***'],
  [/\bbearer\s+[A-Za-z0-9._~+/=-]{8,}/gi, 'Bearer ***'],
  // well-known key shapes
  [/\b(sk|pk|rk)-[A-Za-z0-9_-]{16,}/g, '$1-***'],
  [/\bgh[pousr]_[A-Za-z0-9]{20,}/g, 'gh*_***'],
  [/\bAIza[0-9A-Za-z_-]{20,}/g, 'AIza***'],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}/g, 'xox*-***'],
  // credentials in URLs
  [/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+:[^/\s@]+@/gi, '$1***:***@'],
];

/** Cheap pre-test: text without any of these cannot match a secret pattern. */
const MAYBE_SECRET = /token|secret|passw|api_?key|apikey|auth|bearer|sk-|pk-|rk-|gh[pousr]_|AIza|xox[abprs]-|:\/\/[^\s/]*@/i;

/** Masks things that look like secrets (key=value with a secret-ish key, bearer tokens, API key shapes, URL credentials). */
export function redactSecrets(text: string): string {
  if (!MAYBE_SECRET.test(text)) return text;
  let out = text;
  for (const [re, replacement] of SECRET_PATTERNS) out = out.replace(re, replacement);
  return out;
}

/** Collapses whitespace and cuts to `max` characters with an ellipsis. */
export function truncate(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/** Cuts text to `max` characters keeping line breaks (for turn texts). */
export function cap(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

const PRIMARY_ARG_KEYS = [
  'command',
  'file_path',
  'absolute_path',
  'path',
  'dir_path',
  'pattern',
  'query',
  'url',
  'prompt',
  'paths',
  'urls',
];

function argValueText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(argValueText).join(' ');
  return '';
}

/**
 * A short, secret-free summary of tool arguments: the primary argument (command, file path, pattern, url, …)
 * when there is one, else `key=value` pairs of scalar arguments. Values of keys that name secrets or an
 * environment are replaced by `***`; at most 200 characters.
 */
export function summarizeToolArgs(args: Readonly<Record<string, unknown>> | null | undefined): string {
  if (!args) return '';
  for (const key of PRIMARY_ARG_KEYS) {
    const text = argValueText(args[key]);
    if (text) return truncate(redactSecrets(text), MAX_SUMMARY);
  }
  const parts: string[] = [];
  for (const [key, value] of Object.entries(args)) {
    if (SECRET_KEY_RE.test(key)) {
      parts.push(`${key}=***`);
      continue;
    }
    const text = argValueText(value);
    parts.push(text ? `${key}=${text}` : key);
    if (parts.join(' ').length > MAX_SUMMARY) break;
  }
  return truncate(redactSecrets(parts.join(' ')), MAX_SUMMARY);
}
