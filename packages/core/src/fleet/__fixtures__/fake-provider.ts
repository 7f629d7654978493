import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { defaultPriceTable } from '../../cost/price-table.js';
import type { ProcessInfo } from '../../spec/agent-process.js';
import type { ProcessMatch, ProviderV1, SessionCandidate } from '../../spec/provider-v1.js';
import type { TranscriptDelta, TranscriptFile, TranscriptReaderV1 } from '../../spec/transcript.js';
import type { Turn } from '../../spec/turn.js';
import { emptyUsage } from '../../spec/usage.js';

/**
 * A tiny provider for fleet tests. Processes: argv contains `marker` (`--session-id X` names the session).
 * Transcripts: `<dir>/<sessionId>.jsonl` (subagents: `<dir>/<parent>/<sub>.jsonl`), one JSON object a line:
 * `{t:'meta', cwd, at}`, `{t:'usage', at, model, input, output, key?}`, `{t:'signal', state, at}`,
 * `{t:'turn', index, at, endedAt?}`.
 */
export function fakeProvider(id: string, marker: string, dir: string): ProviderV1 {
  const list = (): TranscriptFile[] => {
    const out: TranscriptFile[] = [];
    let entries: string[] = [];
    try {
      entries = readdirSync(dir);
    } catch {
      return out;
    }
    for (const name of entries) {
      const path = join(dir, name);
      const st = statSync(path);
      if (st.isDirectory()) {
        for (const sub of readdirSync(path)) {
          const p = join(path, sub);
          const s = statSync(p);
          out.push({ path: p, providerId: id, sessionId: sub.replace(/\.jsonl$/, ''), parentSessionId: name, kind: 'subagent', size: s.size, mtime: s.mtime.toISOString() });
        }
      } else if (name.endsWith('.jsonl')) {
        out.push({ path, providerId: id, sessionId: name.replace(/\.jsonl$/, ''), kind: 'main', size: st.size, mtime: st.mtime.toISOString() });
      }
    }
    return out;
  };
  return {
    specificationVersion: 'v1',
    id,
    displayName: `Fake ${id}`,
    binaryName: id,
    prices: defaultPriceTable,
    findBinary: async () => null,
    transcriptRoots: () => [dir],
    listTranscripts: async (o) => list().filter((f) => !o?.since || Date.parse(f.mtime ?? '') >= o.since.getTime()),
    matchProcess(proc: ProcessInfo): ProcessMatch | null {
      if (!proc.argv.includes(marker)) return null;
      const i = proc.argv.indexOf('--session-id');
      const sessionId = i >= 0 ? proc.argv[i + 1] : undefined;
      return {
        process: { pid: proc.pid, ppid: proc.ppid, providerId: id, argv: proc.argv, ...(proc.cwd ? { cwd: proc.cwd } : {}), ...(proc.startedAt ? { startedAt: proc.startedAt } : {}), childPids: [] },
        ...(sessionId ? { sessionId } : {}),
      };
    },
    matchSession(match: ProcessMatch, candidates: readonly SessionCandidate[]): SessionCandidate | null {
      return candidates.find((c) => c.cwd === match.process.cwd) ?? null;
    },
    openTranscript(file: TranscriptFile, fromOffset = 0): TranscriptReaderV1 {
      let offset = fromOffset;
      const sessionId = file.kind === 'main' ? file.sessionId : (file.parentSessionId as string);
      return {
        file,
        get offset() {
          return offset;
        },
        async read(): Promise<TranscriptDelta> {
          const buf = readFileSync(file.path);
          const text = buf.subarray(offset).toString('utf8');
          const cut = text.lastIndexOf('\n');
          const delta: TranscriptDelta = { fromOffset: offset, nextOffset: offset, session: { models: [] }, turns: [], usage: [], retractedKeys: [], signals: [], skipped: {}, unknownTypes: {} };
          if (cut < 0) return delta;
          for (const line of text.slice(0, cut).split('\n')) {
            const r = JSON.parse(line) as Record<string, string | number>;
            const at = String(r['at']);
            delta.session.lastActivityAt = at;
            if (r['t'] === 'meta') Object.assign(delta.session, { id: file.sessionId, cwd: r['cwd'], startedAt: at });
            if (r['t'] === 'usage') {
              const model = String(r['model']);
              if (!delta.session.models.includes(model)) delta.session.models.push(model);
              delta.usage.push({
                timestamp: at,
                sessionId,
                providerId: id,
                model,
                ...(r['cwd'] ? { cwd: String(r['cwd']) } : {}),
                usage: { ...emptyUsage(), input: Number(r['input']), output: Number(r['output']) },
                ...(r['key'] ? { dedupKey: String(r['key']), dedupPolicy: 'max-total' as const } : {}),
              });
            }
            if (r['t'] === 'signal') delta.signals.push({ state: r['state'] as 'working', rule: `fake.${String(r['state'])}`, at });
            if (r['t'] === 'turn') {
              const turn: Turn = { index: Number(r['index']), sessionId, startedAt: at, userText: 'u', assistantText: 'a', tools: [], usage: emptyUsage(), ...(r['endedAt'] ? { endedAt: String(r['endedAt']) } : {}) };
              delta.turns.push(turn);
            }
          }
          offset += Buffer.byteLength(text.slice(0, cut + 1));
          delta.nextOffset = offset;
          return delta;
        },
      };
    },
    buildSpawnCommand: (r) => ({ command: id, args: [], env: {}, cwd: r.cwd }),
    statusFromPane: () => null,
  };
}
