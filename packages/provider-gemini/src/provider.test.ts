import { fileURLToPath } from 'node:url';
import { InvalidArgumentError, resolveModelPrice } from '@agentmux/core';
import { describe, expect, it } from 'vitest';
import { createGeminiProvider, gemini } from './index.js';
import { GEMINI_MODEL_PREFIXES, stripGeminiModelPrefix } from './pricing.js';

const HOME = fileURLToPath(new URL('./__fixtures__/home', import.meta.url));

describe('createGeminiProvider', () => {
  it('implements ProviderV1 and omits fork', () => {
    const p = createGeminiProvider();
    expect(p).toMatchObject({ specificationVersion: 'v1', id: 'gemini', displayName: 'Gemini CLI', binaryName: 'gemini' });
    for (const m of ['findBinary', 'matchProcess', 'transcriptRoots', 'listTranscripts', 'openTranscript', 'matchSession', 'buildSpawnCommand', 'buildResumeCommand', 'statusFromPane', 'telemetryEnv'] as const) {
      expect(typeof p[m]).toBe('function');
    }
    expect(p.buildForkCommand).toBeUndefined();
    expect(gemini.id).toBe('gemini');
  });

  it('honours configDirs over the env, and the env otherwise', async () => {
    expect(createGeminiProvider().transcriptRoots({ env: { GEMINI_CLI_HOME: '/x,/y' } })).toEqual(['/x/.gemini/tmp', '/y/.gemini/tmp']);
    const p = createGeminiProvider({ configDirs: [HOME] });
    expect(p.transcriptRoots({ env: { GEMINI_CLI_HOME: '/ignored' } })).toEqual([`${HOME}/.gemini/tmp`]);
    const files = await p.listTranscripts();
    expect(files).toHaveLength(4);
    const main = files.find((f) => f.sessionId === '5b2c1a9e-0f3d-4c1e-9a77-2f6e8d1b3c40');
    expect(main).toBeDefined();
    const delta = await p.openTranscript(main!).read();
    expect(delta.usage).toHaveLength(5);
  });

  it('passes settings through: binary path, output format, match window, line cap', async () => {
    const p = createGeminiProvider({ binaryPath: '/opt/gemini', nonInteractiveOutputFormat: 'stream-json', sessionMatchWindowMs: 1000 });
    expect(p.buildSpawnCommand({ cwd: '/w', prompt: 'x', nonInteractive: true })).toMatchObject({ command: '/opt/gemini', outputFormat: 'gemini-stream-json' });
    const proc = { pid: 1, ppid: 0, providerId: 'gemini', argv: ['gemini'], childPids: [], cwd: '/w', startedAt: '2026-01-01T00:00:00.000Z' };
    expect(p.matchSession({ process: proc }, [{ sessionId: 's', cwd: '/w', startedAt: '2026-01-01T00:00:05.000Z', path: '/p' }])).toBeNull();
    expect(createGeminiProvider().matchSession({ process: proc }, [{ sessionId: 's', cwd: '/w', startedAt: '2026-01-01T00:00:05.000Z', path: '/p' }])?.sessionId).toBe('s');
  });

  it('rejects invalid settings naming the field', () => {
    const field = (settings: unknown): string | undefined => {
      try {
        createGeminiProvider(settings as never);
      } catch (error) {
        return InvalidArgumentError.isInstance(error) ? error.field : 'other';
      }
      return undefined;
    };
    expect(field({ sessionMatchWindowMs: -1 })).toBe('gemini.settings.sessionMatchWindowMs');
    expect(field({ configDirs: 'not-an-array' })).toBe('gemini.settings.configDirs');
    expect(field({ maxLineBytes: 0 })).toBe('gemini.settings.maxLineBytes');
    expect(field({ nonInteractiveOutputFormat: 'xml' })).toBe('gemini.settings.nonInteractiveOutputFormat');
    expect(field({ confDirs: ['/x'] })).toBe('gemini.settings.confDirs');
    expect(field({})).toBeUndefined();
  });
});

describe('prices', () => {
  it('exposes only Gemini models of the core table, and they resolve from on-disk names', () => {
    const names = Object.keys(gemini.prices.models);
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((n) => stripGeminiModelPrefix(n).startsWith('gemini-'))).toBe(true);
    expect(names).toContain('gemini-2.5-pro');
    expect(names.some((n) => n.startsWith('claude') || n.startsWith('gpt'))).toBe(false);
    const pro = resolveModelPrice(gemini.prices, 'models/gemini-2.5-pro');
    expect(pro?.price.input_cost_per_token).toBeCloseTo(1.25e-6, 12);
    expect(resolveModelPrice(gemini.prices, 'gemini-2.5-flash')?.price.output_cost_per_token).toBeCloseTo(2.5e-6, 12);
  });

  it('strips the known prefixes', () => {
    expect(GEMINI_MODEL_PREFIXES).toContain('models/');
    expect(stripGeminiModelPrefix('models/gemini-2.5-pro')).toBe('gemini-2.5-pro');
    expect(stripGeminiModelPrefix('gemini/gemini-2.5-flash')).toBe('gemini-2.5-flash');
    expect(stripGeminiModelPrefix('gemini-2.5-pro')).toBe('gemini-2.5-pro');
  });
});
