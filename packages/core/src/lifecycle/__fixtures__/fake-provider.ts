// A ProviderV1 for backends/__fixtures__/fake-agent.mjs, used by the lifecycle tests (core may not import
// the real providers). Transcripts: $FAKE_HOME/sessions/<sessionId>.jsonl.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProviderV1, StatusEvidence, TranscriptDelta, TranscriptFile, TranscriptReaderV1, Turn } from '../../spec/index.js';
import { emptyUsage } from '../../spec/index.js';

export const FAKE_AGENT = fileURLToPath(new URL('../../backends/__fixtures__/fake-agent.mjs', import.meta.url));

interface Rec { type: string; text?: string; cwd?: string; model?: string; name?: string; input?: string; tokens?: number; context?: number; ts: string; sessionId: string }

function openReader(file: TranscriptFile, fromOffset = 0): TranscriptReaderV1 {
  let offset = fromOffset;
  let index = -1;
  let current: Turn | null = null;
  let toolN = 0;
  return {
    file,
    get offset() {
      return offset;
    },
    async read(): Promise<TranscriptDelta> {
      const handle = await open(file.path, 'r');
      const size = (await handle.stat()).size;
      const buf = Buffer.alloc(Math.max(0, size - offset));
      await handle.read(buf, 0, buf.length, offset);
      await handle.close();
      const text = buf.toString('utf8');
      const end = text.lastIndexOf('\n') + 1;
      const delta: TranscriptDelta = {
        fromOffset: offset, nextOffset: offset + Buffer.byteLength(text.slice(0, end)), session: { models: [] },
        turns: [], usage: [], retractedKeys: [], signals: [], skipped: {}, unknownTypes: {},
      };
      for (const line of text.slice(0, end).split('\n')) {
        if (!line) continue;
        const r = JSON.parse(line) as Rec;
        delta.session.id = r.sessionId;
        if (r.type === 'meta') {
          delta.session.cwd = r.cwd;
          if (r.model) delta.session.models.push(r.model);
        } else if (r.type === 'user') {
          index += 1;
          current = { index, sessionId: r.sessionId, startedAt: r.ts, userText: r.text ?? '', assistantText: '', tools: [], usage: emptyUsage() };
          delta.turns.push(current);
          delta.signals.push({ state: 'working', rule: 'fake.user', at: r.ts });
        } else if (r.type === 'tool' && current) {
          current.tools.push({ id: `tool-${toolN++}`, name: r.name ?? 'tool', inputSummary: r.input ?? '', outcome: 'ok' });
          if (!delta.turns.includes(current)) delta.turns.push(current);
        } else if (r.type === 'assistant' && current) {
          current.endedAt = r.ts;
          current.assistantText = r.text ?? '';
          current.usage = { ...emptyUsage(), output: r.tokens ?? 0 };
          if (!delta.turns.includes(current)) delta.turns.push(current);
          delta.usage.push({ timestamp: r.ts, sessionId: r.sessionId, providerId: 'fake', usage: { ...emptyUsage(), input: r.context ?? 0, output: r.tokens ?? 0 } });
          delta.signals.push({ state: 'idle', rule: 'fake.assistant', at: r.ts });
        }
      }
      delta.turns = delta.turns.map((t) => ({ ...t, tools: [...t.tools] }));
      offset = delta.nextOffset;
      return delta;
    },
  };
}

/** Builds the fake provider. `resume: false` drops buildResumeCommand. */
export function createFakeProvider(options: { resume?: boolean; presetSessionId?: boolean } = {}): ProviderV1 {
  const presetSessionId = options.presetSessionId ?? true;
  const provider: ProviderV1 = {
    specificationVersion: 'v1',
    id: 'fake',
    displayName: 'Fake Agent',
    binaryName: 'node',
    async findBinary() {
      return { path: process.execPath, version: process.version };
    },
    matchProcess: () => null,
    transcriptRoots: (o) => (o?.env?.FAKE_HOME ? [join(o.env.FAKE_HOME, 'sessions')] : []),
    async listTranscripts(o) {
      const out: TranscriptFile[] = [];
      for (const root of provider.transcriptRoots(o)) {
        if (!existsSync(root)) continue;
        for (const f of readdirSync(root)) {
          if (!f.endsWith('.jsonl')) continue;
          const st = statSync(join(root, f));
          if (o?.since && st.mtime < o.since) continue;
          out.push({ path: join(root, f), providerId: 'fake', sessionId: f.slice(0, -6), kind: 'main', size: st.size, mtime: st.mtime.toISOString() });
        }
      }
      return out;
    },
    openTranscript: openReader,
    matchSession: () => null,
    buildSpawnCommand: (r) => ({
      command: process.execPath,
      args: [FAKE_AGENT, ...(presetSessionId && r.sessionId ? ['--session-id', r.sessionId] : []), ...(r.model ? ['--model', r.model] : [])],
      env: {},
      cwd: r.cwd,
      ...(presetSessionId && r.sessionId ? { sessionId: r.sessionId } : {}),
    }),
    buildForkCommand: (r) => ({
      command: process.execPath,
      args: [FAKE_AGENT, '--fork-from', r.fromSessionId, '--session-id', r.newSessionId ?? 'fork-id'],
      env: {},
      cwd: r.cwd,
      sessionId: r.newSessionId ?? 'fork-id',
    }),
    statusFromPane(text: string, at = new Date()): StatusEvidence | null {
      const lines = text.split('\n').filter((l) => l.trim() !== '');
      const last = lines[lines.length - 1] ?? '';
      if (last.includes('* Working...')) return { source: 'pane', state: 'working', rule: 'fake.pane.working', at: at.toISOString(), strength: 'weak' };
      if (/^>( |$)/.test(last)) return { source: 'pane', state: 'idle', rule: 'fake.pane.prompt', at: at.toISOString(), strength: 'weak' };
      return null;
    },
    prices: { asOf: '2026-01-01', source: 'test', models: {} },
  };
  if (options.resume !== false) {
    provider.buildResumeCommand = (r) => ({
      command: process.execPath,
      args: [FAKE_AGENT, ...(r.sessionId ? ['--resume', r.sessionId] : [])],
      env: {},
      cwd: r.cwd,
      ...(r.sessionId ? { sessionId: r.sessionId } : {}),
    });
  }
  return provider;
}
