import type { Rng } from './rng.js';

const WORDS = (
  'the a to of and in is it that for on with as this be are by we can will should file function test ' +
  'module config build run error value type return import export const data path user session model ' +
  'token cost agent turn tool call result output input check update fix add remove change handle case ' +
  'parser reader stream buffer line record field option default status process server client request ' +
  'response cache usage price budget limit retry timeout event hook state queue worker task job'
).split(' ');

const CODE_LINES = [
  "import { readFile } from 'node:fs/promises';",
  "export function parse(line: string): Record<string, unknown> | undefined {",
  '  if (line.trim() === "") return undefined;',
  '  const value = JSON.parse(line) as { type?: string };',
  '  for (const item of items) {',
  '    total += item.usage?.output_tokens ?? 0;',
  '  }',
  '  return { ...state, updatedAt: new Date().toISOString() };',
  '}',
  '// TODO: handle the torn last line',
  "const DEFAULT_TIMEOUT_MS = 30_000;",
  'export interface Options { cwd: string; env?: Record<string, string> }',
  "describe('reader', () => {",
  "  it('keeps the offset', async () => {",
  '    expect(result.nextOffset).toBe(42);',
  '  });',
  'if (err instanceof Error && "code" in err && err.code === "ENOENT") return [];',
  "  throw new Error(`unexpected record: ${JSON.stringify(value)}`);",
];

const POOL_CHARS = 1 << 16;

/**
 * Deterministic pools of prose and code-like text; slices of them make tool outputs and answers of any
 * size quickly (the corpus generator writes hundreds of MB).
 */
export class TextPool {
  private readonly proseText: string;
  private readonly codeText: string;

  constructor(private readonly rng: Rng) {
    let prose = '';
    while (prose.length < POOL_CHARS) {
      const n = rng.int(6, 18);
      const words: string[] = [];
      for (let i = 0; i < n; i++) words.push(rng.pick(WORDS));
      const first = words[0] ?? 'the';
      words[0] = first.charAt(0).toUpperCase() + first.slice(1);
      prose += `${words.join(' ')}${rng.chance(0.15) ? ':' : '.'}${rng.chance(0.25) ? '\n\n' : ' '}`;
      if (rng.chance(0.05)) prose += '- `reader.ts` keeps "offset" — ünïcödé ✓\n';
    }
    this.proseText = prose;
    let code = '';
    let lineNo = 1;
    while (code.length < POOL_CHARS) code += `${rng.pick(CODE_LINES)}\n`;
    this.codeText = code.split('\n').map((l) => `${String(lineNo++).padStart(5, ' ')}\t${l}`).join('\n');
  }

  private slice(pool: string, chars: number): string {
    if (chars <= 0) return '';
    let out = '';
    while (out.length < chars) {
      const want = Math.min(chars - out.length, pool.length - 1);
      let start = this.rng.int(0, pool.length - want - 1);
      const sep = pool === this.codeText ? '\n' : '. ';
      const boundary = pool.indexOf(sep, start);
      if (boundary !== -1 && boundary + sep.length + want <= pool.length) start = boundary + sep.length;
      let end = start + want;
      if (sep === '. ') {
        const space = pool.indexOf(' ', end);
        if (space !== -1 && space - end < 20) end = space;
      }
      out += pool.slice(start, end);
    }
    return out;
  }

  /** Prose of about `chars` characters, multi-line, with quotes and unicode. */
  prose(chars: number): string {
    return this.slice(this.proseText, chars).trim();
  }

  /** Numbered code-like lines (like a Read tool result) of about `chars` characters. */
  code(chars: number): string {
    return this.slice(this.codeText, chars);
  }

  /** Shell-like output for `command`. */
  shellOutput(command: string, chars: number): string {
    if (/^ls\b/.test(command)) {
      const names = ['README.md', 'package.json', 'src', 'test', 'tsconfig.json', 'node_modules', 'dist', '.git'];
      return names.map((n) => `drwxr-xr-x  5 user staff   160 Nov 21 17:02 ${n}`).join('\n');
    }
    if (/^git status/.test(command)) return ' M src/index.ts\n M src/reader.ts\n?? src/reader.test.ts';
    return this.code(chars);
  }

  word(): string {
    return this.rng.pick(WORDS);
  }
}

/** About 4 characters per token, at least 1. */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}
