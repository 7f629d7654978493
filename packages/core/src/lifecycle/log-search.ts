import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';

/** One matching line of an agent's output log. */
export interface LogMatch {
  /** Agent name. */
  name: string;
  /** 1-based line number in the log (ANSI stripped). */
  line: number;
  /** The line, ANSI stripped, at most 500 characters. */
  text: string;
}

// CSI, OSC and two-byte escape sequences.
// eslint-disable-next-line no-control-regex -- matching terminal escape bytes is the point
const ANSI_RE = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

/** Removes ANSI escape sequences and carriage returns. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI_RE, '').replace(/\r/g, '');
}

/** Searches agents' log files for `pattern` (a RegExp, or a plain substring). */
export async function searchLogs(logs: readonly { name: string; logFile: string }[], pattern: RegExp | string, limit = 1000): Promise<LogMatch[]> {
  const test = typeof pattern === 'string' ? (s: string) => s.includes(pattern) : (s: string) => { pattern.lastIndex = 0; return pattern.test(s); };
  const out: LogMatch[] = [];
  for (const { name, logFile } of logs) {
    if (!existsSync(logFile)) continue;
    const lines = createInterface({ input: createReadStream(logFile, { encoding: 'utf8' }), crlfDelay: Infinity });
    let n = 0;
    for await (const raw of lines) {
      n += 1;
      const text = stripAnsi(raw);
      if (test(text)) out.push({ name, line: n, text: text.slice(0, 500) });
      if (out.length >= limit) {
        lines.close();
        return out;
      }
    }
  }
  return out;
}
