import { existsSync, readFileSync } from 'node:fs';

/** Parsed lines of a JSONL file ([] when missing). */
export function readJsonl(path: string): Record<string, unknown>[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** A prompt that must survive typing/pasting byte-exact: ~10 KB, multi-line, quotes, shell syntax, unicode. */
export function nastyPrompt(): string {
  const lines = [
    `Fix the "parser" in src/reader.ts — it's broken; don't run $(rm -rf ~) or \`id\` ; rm -rf ~`,
    `  indented line with 'single' and "double" quotes, a tab\there, backslash \\ and %s %d`,
    'ünïcödé ✓ 日本語 emoji 🚀 and a trailing semicolon;',
    '{"json": [1, 2, {"k": "v"}]} && echo $HOME || true | cat > /dev/null',
  ];
  const out: string[] = [];
  let i = 0;
  while (out.join('\n').length < 10_000) out.push(`${i} ${lines[i++ % lines.length] ?? ''}`);
  return out.join('\n');
}
