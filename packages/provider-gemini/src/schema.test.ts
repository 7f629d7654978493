import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  GeminiJsonlLineSchema,
  GeminiLegacySessionSchema,
  GeminiMessageSchema,
  GeminiMetadataRecordSchema,
  GeminiProjectsFileSchema,
  GeminiTokensSchema,
} from './schema.js';

const HOME = fileURLToPath(new URL('./__fixtures__/home/.gemini/', import.meta.url));
const CHATS = join(HOME, 'tmp/demo-project/chats');

async function lines(path: string): Promise<unknown[]> {
  return (await readFile(path, 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as unknown);
}

describe('schemas of the on-disk format', () => {
  it('accept every line of the well-formed fixtures', async () => {
    const files = [
      join(CHATS, 'session-2026-11-21T10-00-5b2c1a9e.jsonl'),
      join(CHATS, '5b2c1a9e-0f3d-4c1e-9a77-2f6e8d1b3c40/7d0e2f10-aaaa-4bbb-8ccc-ddddeeeeffff.jsonl'),
      join(CHATS, 'session-2026-11-20T08-00-99990000.jsonl'),
      fileURLToPath(new URL('./__fixtures__/rewind.jsonl', import.meta.url)),
      fileURLToPath(new URL('./__fixtures__/checkpoint.jsonl', import.meta.url)),
      fileURLToPath(new URL('./__fixtures__/open-turns.jsonl', import.meta.url)),
    ];
    for (const file of files) {
      for (const line of await lines(file)) expect(GeminiJsonlLineSchema.safeParse(line).success, JSON.stringify(line)).toBe(true);
    }
    const first = (await lines(files[0] as string))[0];
    expect(GeminiMetadataRecordSchema.safeParse(first).success).toBe(true);
  });

  it('accept the legacy file and projects.json, keeping unknown fields', async () => {
    const legacy: unknown = JSON.parse(
      await readFile(join(HOME, 'tmp/25f319ba4ffbaf5a46961555a70aacdaf526734526432d258d6181957902b3df/chats/session-2025-08-01T09-30-0a1b2c3d.json'), 'utf8'),
    );
    const parsed = GeminiLegacySessionSchema.parse(legacy);
    expect(parsed.messages).toHaveLength(4);
    expect(GeminiProjectsFileSchema.parse(JSON.parse(await readFile(join(HOME, 'projects.json'), 'utf8'))).projects['/work/demo-project']).toBe('demo-project');
    const msg = GeminiMessageSchema.parse({ id: 'a', type: 'gemini', content: 'x', futureField: { deep: 1 } });
    expect((msg as Record<string, unknown>)['futureField']).toEqual({ deep: 1 });
  });

  it('allow null and missing optional fields but reject wrong token types', () => {
    expect(GeminiMessageSchema.safeParse({ id: 'a', type: 'gemini', tokens: null, toolCalls: null, model: null, timestamp: null }).success).toBe(true);
    expect(GeminiTokensSchema.safeParse({ input: 1, output: 2, cached: 0 }).success).toBe(true);
    expect(GeminiTokensSchema.safeParse({ input: '1', output: 2, cached: 0 }).success).toBe(false);
    expect(GeminiTokensSchema.safeParse({ input: -1, output: 2, cached: 0 }).success).toBe(false);
    expect(GeminiMessageSchema.safeParse({ type: 'user' }).success).toBe(false);
  });
});
