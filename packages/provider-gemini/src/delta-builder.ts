import type { SkipCounts, TranscriptSignal, Turn, UsageRecord } from '@agentmux/core';

/** At most this many signals are kept per read (the freshest); a first read of a long session would emit one per message. */
export const MAX_SIGNALS_PER_READ = 256;

/**
 * Collects one read's output. Usage is kept per dedup key (the last emission in a read wins), and a key is
 * never both in `usage` and `retractedKeys` of the same delta: retracting drops the key's record from this
 * read, and re-emitting after a retraction cancels the retraction (last-wins replaces older records anyway).
 * So consumers may apply the two lists in either order.
 */
export class DeltaBuilder {
  readonly usage = new Map<string, UsageRecord>();
  readonly retracted = new Set<string>();
  private signalList: TranscriptSignal[] = [];
  readonly skipped: SkipCounts = {};
  readonly unknownTypes: SkipCounts = {};
  readonly dirtyTurns = new Set<number>();
  readonly models: string[] = [];
  turns: Turn[] = [];

  emitUsage(key: string, record: UsageRecord): void {
    this.usage.delete(key);
    this.usage.set(key, record);
    this.retracted.delete(key);
  }

  retract(key: string): void {
    this.usage.delete(key);
    this.retracted.add(key);
  }

  signal(s: TranscriptSignal): void {
    this.signalList.push(s);
    if (this.signalList.length > 2 * MAX_SIGNALS_PER_READ) this.signalList = this.signalList.slice(-MAX_SIGNALS_PER_READ);
  }

  /** The freshest `MAX_SIGNALS_PER_READ` signals, in file order. */
  get signals(): TranscriptSignal[] {
    return this.signalList.slice(-MAX_SIGNALS_PER_READ);
  }

  skip(reason: string): void {
    this.skipped[reason] = (this.skipped[reason] ?? 0) + 1;
  }

  unknown(type: string): void {
    this.unknownTypes[type] = (this.unknownTypes[type] ?? 0) + 1;
  }
}
