import { fileURLToPath } from 'node:url';
import { InvalidArgumentError, type ProviderV1 } from '@agentmux/core';
import { describe, expect, it } from 'vitest';
import { claude, createClaudeProvider } from './index.js';

const config = fileURLToPath(new URL('./__fixtures__/config', import.meta.url));

describe('createClaudeProvider', () => {
  it('is a ProviderV1 with every ability the CLI has', () => {
    const p: ProviderV1 = claude;
    expect(p).toMatchObject({ specificationVersion: 'v1', id: 'claude', displayName: 'Claude Code', binaryName: 'claude' });
    expect(typeof p.buildResumeCommand).toBe('function');
    expect(typeof p.buildForkCommand).toBe('function');
    expect(typeof p.telemetryEnv).toBe('function');
    expect(Object.keys(p.prices.models).length).toBeGreaterThan(0);
  });

  it('reads roots from CLAUDE_CONFIG_DIR, or from the configDirs setting', async () => {
    expect(claude.transcriptRoots({ env: { HOME: '/h', CLAUDE_CONFIG_DIR: '/x,/y' } })).toEqual(['/x/projects', '/y/projects']);
    const p = createClaudeProvider({ configDirs: [config] });
    expect(p.transcriptRoots({ env: { CLAUDE_CONFIG_DIR: '/ignored' } })).toEqual([`${config}/projects`]);
    const files = await p.listTranscripts();
    expect(files.map((f) => f.kind)).toEqual(['main', 'subagent', 'main']);
    const reader = p.openTranscript(files[0]!);
    const delta = await reader.read();
    expect(delta.turns).toHaveLength(4);
    expect(reader.offset).toBe(delta.nextOffset);
  });

  it('applies maxLineBytes and sessionMatchWindowMs settings', async () => {
    const p = createClaudeProvider({ configDirs: [config], maxLineBytes: 64, sessionMatchWindowMs: 1000 });
    const [file] = await p.listTranscripts();
    const delta = await p.openTranscript(file!).read();
    expect(delta.skipped['too-long']).toBeGreaterThan(10);
    const match = { process: { pid: 1, ppid: 0, providerId: 'claude', argv: [], childPids: [], cwd: '/w', startedAt: '2026-11-20T10:00:00.000Z' } };
    expect(p.matchSession(match, [{ sessionId: 's', cwd: '/w', startedAt: '2026-11-20T10:00:02.000Z', path: '/p/s.jsonl' }])).toBeNull();
    expect(claude.matchSession(match, [{ sessionId: 's', cwd: '/w', startedAt: '2026-11-20T10:00:02.000Z', path: '/p/s.jsonl' }])?.sessionId).toBe('s');
  });

  it('uses binaryPath for commands', () => {
    const p = createClaudeProvider({ binaryPath: '/opt/claude/bin/claude' });
    expect(p.buildSpawnCommand({ cwd: '/w' }).command).toBe('/opt/claude/bin/claude');
    expect(claude.buildSpawnCommand({ cwd: '/w' }).command).toMatch(/claude$/);
  });

  it('rejects bad or unknown settings naming the field', () => {
    const bad = (settings: unknown) => {
      try {
        createClaudeProvider(settings as never);
      } catch (error) {
        return InvalidArgumentError.isInstance(error) ? error.field : 'wrong error';
      }
      return 'no error';
    };
    expect(bad({ sessionMatchWindowMs: -5 })).toBe('claudeProvider.settings.sessionMatchWindowMs');
    expect(bad({ configDirs: 'x' })).toBe('claudeProvider.settings.configDirs');
    expect(bad({ configDir: ['x'] })).toBe('claudeProvider.settings.configDir');
  });

  it('turns the telemetry of a request into environment on every built command', () => {
    const telemetry = { endpoint: 'http://127.0.0.1:4318', protocol: 'http/protobuf' as const };
    const p = createClaudeProvider({ telemetryIntervalMs: 500 });
    for (const spec of [
      p.buildSpawnCommand({ cwd: '/w', telemetry, env: { KEEP: '1' } }),
      p.buildResumeCommand({ cwd: '/w', telemetry }),
      p.buildForkCommand({ cwd: '/w', fromSessionId: '0b7e1c2a-5d3f-4e6a-9b8c-1d2e3f405162', telemetry }),
    ]) {
      expect(spec.env).toMatchObject({ CLAUDE_CODE_ENABLE_TELEMETRY: '1', OTEL_EXPORTER_OTLP_ENDPOINT: telemetry.endpoint, OTEL_LOGS_EXPORT_INTERVAL: '500' });
      expect(spec.args.join(' ')).not.toContain('OTEL');
    }
    expect(p.buildSpawnCommand({ cwd: '/w', telemetry }).env).not.toHaveProperty('OTEL_LOG_USER_PROMPTS');
    expect(p.buildSpawnCommand({ cwd: '/w', env: { KEEP: '1' } }).env).toEqual({ KEEP: '1' });
  });

  it('offers the headless parser and the usage scan, which agrees with the reader', async () => {
    const p = createClaudeProvider({ configDirs: [config] });
    expect(p.createHeadlessParser('claude-stream-json').skipped).toEqual({});
    expect(p.usageScanModule.exportName).toBe('scanClaudeUsage');
    for (const file of await p.listTranscripts()) {
      const scanned = await p.scanUsage(file);
      const read = await p.openTranscript(file).read();
      expect(scanned.records).toEqual(read.usage.map(({ turnIndex: _t, ...r }) => r));
      expect(scanned.nextOffset).toBe(read.nextOffset);
    }
  });
});
