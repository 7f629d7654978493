import {
  createScanPool,
  defaultPriceTable,
  mergePriceTables,
  OneShotUsageDedup,
  UsageLedger,
  type ProviderV1,
  type TranscriptFile,
  type UsageScanResult,
} from '@agentmux/core/cost-engine';
import { listDefaultClaudeTranscripts } from '@agentmux/provider-claude/listing';
import { nativeClaudeScanStatus, scanClaudeCostsNative, type ClaudeCostScan } from '@agentmux/provider-claude/cost-scan';
import { listDefaultCodexTranscripts } from '@agentmux/provider-codex/listing';
import { listDefaultGeminiTranscripts } from '@agentmux/provider-gemini/listing';
import type { CliCommand, CommandIo } from '../command.js';
import { parseCostsArgs } from './costs-args.js';
import { costsJson, costsTable } from './costs-report.js';

// Only lean entries are imported up front (no zod, no execa): a provider is loaded when its files need its reader,
// so `agentmux costs` over Claude transcripts with the native scan starts in a few milliseconds.

/**
 * Skip reasons that mean "an unreadable line" and count in `skippedLines` (bad JSON/UTF-8, wrong shapes, over-long
 * lines). Bookkeeping reasons (duplicates, unknown record types, repeated token counts) do not.
 */
export function isUnreadableReason(reason: string): boolean {
  return /^(invalid-|not-an-object$|missing-type$|missing-timestamp$|too-long$)/.test(reason) && reason !== 'invalid-content-block';
}

/** Where `agentmux costs` finds one provider's transcripts, and how it loads the provider to read them. */
export interface CostSource {
  id: string;
  displayName: string;
  /** Lists the files; `stat: false` lets a source skip stat'ing them (no `size`, which only the progress line uses). */
  list(options: { env: Readonly<Record<string, string | undefined>>; since?: Date; stat?: boolean }): Promise<TranscriptFile[]>;
  /** The provider, loaded when a file needs its reader. */
  provider(): Promise<ProviderV1>;
  /** True when the native Claude scan may read this source's files (the stock Claude scan). */
  nativeClaude: boolean;
}

/** The transcripts `agentmux costs` reads by default: the three CLIs' own, found without loading their providers. */
export const defaultCostSources: readonly CostSource[] = [
  { id: 'claude', displayName: 'Claude Code', list: listDefaultClaudeTranscripts, provider: async () => (await import('@agentmux/provider-claude')).claude, nativeClaude: true },
  { id: 'codex', displayName: 'Codex CLI', list: listDefaultCodexTranscripts, provider: async () => (await import('@agentmux/provider-codex')).codex, nativeClaude: false },
  { id: 'gemini', displayName: 'Gemini CLI', list: listDefaultGeminiTranscripts, provider: async () => (await import('@agentmux/provider-gemini')).gemini, nativeClaude: false },
];

/** Sources for given providers (tests pass fixture-rooted ones). */
async function sourcesOf(providers: readonly ProviderV1[]): Promise<CostSource[]> {
  const { hasDefaultClaudeScan } = await import('./costs-pool-scan.js');
  return providers.map((p) => ({ id: p.id, displayName: p.displayName, list: (o) => p.listTranscripts(o), provider: async () => p, nativeClaude: hasDefaultClaudeScan(p) }));
}

function progressLine(io: CommandIo, enabled: boolean) {
  let last = 0;
  return (files: number, total: number, bytes: number, totalBytes: number, done = false): void => {
    if (!enabled) return;
    const now = Date.now();
    if (!done && now - last < 100) return;
    last = now;
    const mb = (n: number): string => (n / 1e6).toFixed(1);
    io.stderr(`\rscanning transcripts: ${files}/${total} files, ${mb(bytes)}/${mb(totalBytes)} MB${done ? '\n' : ''}`);
  };
}

/** `agentmux costs` with injectable providers (tests pass fixture-rooted ones). */
export async function runCosts(argv: string[], io: CommandIo, providers?: readonly ProviderV1[]): Promise<number> {
  const args = parseCostsArgs(argv, io.env);
  // A price file is validated with zod: the full core entry loads only then.
  const override = args.pricesFile ? (await import('@agentmux/core')).loadPriceTable(args.pricesFile) : undefined;
  const priceTable = override ? mergePriceTables(defaultPriceTable, override) : defaultPriceTable;
  const ledger = new UsageLedger({ priceTable, mode: args.mode, tier: args.tier, timeZone: args.timeZone, since: args.since, until: args.until, dimensions: [args.by], keepHistory: false });
  const sources = (providers ? await sourcesOf(providers) : defaultCostSources).filter((s) => args.providers.includes(s.id));
  // Claude transcripts go to the native scan when it is built (it also deduplicates them); `--workers 0` and
  // AGENTMUX_NATIVE=0 keep everything on the TypeScript scan.
  const native = args.workers !== 0 && nativeClaudeScanStatus().available;
  // Sizes are only needed for the progress line's total: without it, sources may skip stat'ing every file.
  const progressShown = args.progress || io.stderrIsTty;
  const listed: Array<{ source: CostSource; file: TranscriptFile }> = [];
  for (const source of sources) {
    try {
      const files = await source.list({ env: io.env, stat: progressShown, ...(args.since ? { since: args.since } : {}) });
      for (const file of files) listed.push({ source, file });
    } catch (error) {
      io.stderr(`agentmux costs: could not list ${source.displayName} transcripts: ${(error as Error).message}\n`);
    }
  }
  // Path order: results are added to the ledger in this order (so float sums do not depend on which scan finished
  // first), and dispatching in the same order lets them be added while the workers still scan.
  listed.sort((a, b) => (a.file.path < b.file.path ? -1 : a.file.path > b.file.path ? 1 : 0));
  const nativeFiles = listed.filter((j) => native && j.source.nativeClaude).map((j) => j.file);
  const rest = listed.filter((j) => !(native && j.source.nativeClaude));
  // Providers for the files the pool reads (loaded once per source; the stock Claude one gets the compact scan).
  const loaded = new Map<CostSource, ProviderV1>();
  for (const { source } of rest) {
    if (loaded.has(source)) continue;
    const { withUsageScan } = await import('./costs-pool-scan.js');
    loaded.set(source, withUsageScan(await source.provider()));
  }
  const poolJobs = rest.map((j) => ({ provider: loaded.get(j.source) as ProviderV1, file: j.file }));
  const totalBytes = listed.reduce((n, j) => n + (j.file.size ?? 0), 0);
  const progress = progressLine(io, progressShown);
  let skippedLines = 0;
  let filesDone = 0;
  let bytesDone = 0;
  let nativeFilesDone = 0;
  let nativeBytesDone = 0;
  let unreadableFiles = 0;
  const countSkipped = (skipped: Record<string, number>): void => {
    for (const [reason, n] of Object.entries(skipped)) if (isUnreadableReason(reason)) skippedLines += n;
  };
  const pool = createScanPool({ keepCompact: true, ...(args.workers === undefined ? {} : { workers: args.workers }) });
  const results: Array<UsageScanResult | null | undefined> = new Array<UsageScanResult | null | undefined>(poolJobs.length);
  // Candidates stay in their compact columns until every file is read; only the winners become records.
  const dedup = new OneShotUsageDedup(ledger);
  let added = 0;
  const drain = (): void => {
    for (; added < poolJobs.length && results[added] !== undefined; added += 1) {
      const result = results[added];
      if (result) dedup.add(result, (poolJobs[added] as (typeof poolJobs)[number]).file.path);
      results[added] = null;
    }
  };
  let claudeScan: ClaudeCostScan | null = null;
  try {
    const accept = (index: number, result: UsageScanResult | null): void => {
      results[index] = result;
      if (result) countSkipped(result.skipped);
      drain();
    };
    const limit = Math.max(2, pool.workers * 2);
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < poolJobs.length) {
        const index = next++;
        const job = poolJobs[index] as (typeof poolJobs)[number];
        try {
          accept(index, await pool.scan(job.provider, job.file));
        } catch {
          unreadableFiles += 1; // vanished or unreadable file: reported below, the rest still counts
          accept(index, null);
        }
        filesDone += 1;
        bytesDone += job.file.size ?? 0;
        progress(filesDone + nativeFilesDone, listed.length, bytesDone + nativeBytesDone, totalBytes);
      }
    };
    const scanNative = async (): Promise<void> => {
      if (nativeFiles.length === 0) return;
      claudeScan = await scanClaudeCostsNative(nativeFiles, {
        threads: Math.max(1, pool.workers), // the pool's thread count (its workers are not started for these files)
        onProgress: (files, bytes) => {
          nativeFilesDone = files;
          nativeBytesDone = bytes;
          progress(filesDone + nativeFilesDone, listed.length, bytesDone + nativeBytesDone, totalBytes);
        },
      });
    };
    await Promise.all([scanNative(), ...Array.from({ length: Math.min(limit, Math.max(1, poolJobs.length)) }, lane)]);
    progress(filesDone + nativeFilesDone, listed.length, bytesDone + nativeBytesDone, totalBytes, true);
  } finally {
    await pool.close();
  }
  // After every other file: the ledger sees the same order whichever scan finished first.
  const scanned = claudeScan as ClaudeCostScan | null;
  if (scanned) {
    for (const f of scanned.files) {
      if (f.ok) countSkipped(f.skipped);
      else unreadableFiles += 1;
    }
    for (const batch of scanned.batches({ reuse: true, keys: false })) ledger.addDeduplicated(batch);
  }
  dedup.finish();
  const doc = costsJson(ledger, args.by, skippedLines);
  io.stdout(args.json ? `${JSON.stringify(doc)}\n` : costsTable(doc, args.by));
  if (unreadableFiles > 0) io.stderr(`agentmux costs: ${unreadableFiles} transcript file(s) could not be read.\n`);
  return 0;
}

export const costsCommand: CliCommand = {
  name: 'costs',
  summary: 'Token usage and exact cost from the transcripts on disk, by session, project, model or day',
  usage: `Usage: agentmux costs [options]

Reads every Claude Code, Codex and Gemini CLI transcript on this machine (CLAUDE_CONFIG_DIR, CODEX_HOME,
GEMINI_CLI_HOME, HOME, as the CLIs resolve them), deduplicates streamed and replayed responses, and prices
each response with LiteLLM prices. Unknown models cost "?" (never 0) and are named in a footnote.

Options:
  --by session|project|model|day   grouping (default day; project = the working directory)
  --since D, --until D             YYYY-MM-DD (a day in --tz; --until includes that day) or ISO date-time
  --provider P                     claude, codex or gemini (repeat or comma-separate; default all)
  --tz Z                           IANA time zone for days and dates (default: TZ or the system zone)
  --mode calculate|display|auto    calculate from tokens (default); display = costUSD written in the
                                   transcript only; auto = costUSD when present, else calculated
  --tier per-bucket|per-request    200k-token tier per token bucket (default, as ccusage) or per request
  --prices FILE                    JSON price table (agentmux or LiteLLM format) over the bundled one
  --json                           print {"rows":[…],"totals":{…},"skippedLines":n}
  --progress                       progress on stderr even when it is not a terminal
  --workers N                      scan threads (default: min(2, cores)); 0 = the TypeScript scan in-process

Claude transcripts are read by the native scan (C++ with simdjson) when it is built, else by the TypeScript
scan; both give the same results (AGENTMUX_NATIVE=0 forces the TypeScript scan).`,
  run: (argv, io) => runCosts(argv, io),
};
