import { closeSync, openSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BarrierBrokenError } from '../../errors/barrier-broken-error.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import { TimeoutError } from '../../errors/timeout-error.js';
import {
  BarrierOptionsSchema,
  BarrierWaitOptionsSchema,
  type BarrierArrival,
  type BarrierOptions,
  type BarrierServiceV1,
  type BarrierState,
  type BarrierV1,
  type BarrierWaitOptions,
} from '../../spec/coordination/barrier-v1.js';
import { Backoff } from './dir-watcher.js';
import type { FileContext } from './file-context.js';
import { throwIfAborted } from './file-context.js';
import {
  createFileExclusive,
  ensureDir,
  errnoCode,
  parseJsonOrUndefined,
  readTextIfExists,
  writeFileAtomic,
} from './fs-utils.js';
import { checkName, parseOrThrow } from './validate.js';

/** `g<gen>/outcome`: written once per generation by whoever decides it first. */
interface Outcome {
  tripped?: boolean;
  broken?: string;
  /** Broken by `reset()`: arrivals skip such a generation instead of failing. */
  reset?: boolean;
}

/**
 * File barriers: `barriers/<name>/config.json` (party count), `current` (generation hint),
 * `g<gen>/slot-<i>` (arrivals, exclusive create: slots always form a prefix 0..k) and `g<gen>/outcome`
 * (exclusive create; first of "tripped" or "broken" wins, so a trip and a timeout can never both count).
 */
export class FileBarrierService implements BarrierServiceV1 {
  readonly specificationVersion = 'v1' as const;
  constructor(private readonly ctx: FileContext) {}

  async get(name: string, options: BarrierOptions): Promise<BarrierV1> {
    this.ctx.assertOpen();
    checkName(name, 'name');
    const opts = parseOrThrow(BarrierOptionsSchema, options, 'options', 'pass { parties: <integer 1-10000> }');
    const dir = join(this.ctx.root, 'barriers', name);
    ensureDir(dir);
    const configPath = join(dir, 'config.json');
    if (!createFileExclusive(configPath, `${JSON.stringify({ parties: opts.parties })}\n`, this.ctx.fsyncLogs)) {
      const existing = parseJsonOrUndefined(readTextIfExists(configPath)) as { parties?: number } | undefined;
      if (existing?.parties !== opts.parties) {
        throw new InvalidArgumentError(
          'options.parties',
          `barrier "${name}" already exists with ${existing?.parties ?? '?'} parties, not ${opts.parties}`,
          'use the same party count, or a new barrier name',
        );
      }
    }
    return new FileBarrier(this.ctx, name, opts.parties, dir);
  }
}

class FileBarrier implements BarrierV1 {
  constructor(
    private readonly ctx: FileContext,
    readonly name: string,
    readonly parties: number,
    private readonly dir: string,
  ) {}

  private genDir(g: number): string {
    return join(this.dir, `g${g}`);
  }

  private outcome(g: number): Outcome | undefined {
    return parseJsonOrUndefined(readTextIfExists(join(this.genDir(g), 'outcome'))) as Outcome | undefined;
  }

  private readCurrent(): number {
    const value = parseJsonOrUndefined(readTextIfExists(join(this.dir, 'current')));
    return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : 0;
  }

  private writeCurrent(g: number): void {
    if (this.readCurrent() < g) writeFileAtomic(join(this.dir, 'current'), `${g}\n`);
  }

  /** The live generation: skips generations that tripped or were reset. */
  private live(): { g: number; outcome: Outcome | undefined } {
    let g = this.readCurrent();
    for (;;) {
      const o = this.outcome(g);
      if (o && (o.tripped || o.reset)) {
        g += 1;
        continue;
      }
      return { g, outcome: o };
    }
  }

  private slots(g: number): number {
    try {
      return readdirSync(this.genDir(g)).filter((n) => n.startsWith('slot-')).length;
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return 0;
      throw error;
    }
  }

  async arrive(options: Omit<BarrierWaitOptions, 'timeoutMs' | 'signal'> = {}): Promise<BarrierArrival> {
    this.ctx.assertOpen();
    const opts = parseOrThrow(BarrierWaitOptionsSchema, options, 'options', 'pass { party?, timeoutMs? }');
    const party = opts.party ?? `pid:${process.pid}`;
    let { g, outcome } = this.live();
    for (;;) {
      if (outcome?.broken !== undefined && !outcome.reset) throw new BarrierBrokenError(this.name, g, outcome.broken);
      if (outcome?.tripped || outcome?.reset) {
        g += 1;
        outcome = this.outcome(g);
        continue;
      }
      const gdir = this.genDir(g);
      ensureDir(gdir);
      let index = -1;
      for (let i = this.slots(g); i < this.parties; i += 1) {
        try {
          const fd = openSync(join(gdir, `slot-${i}`), 'wx');
          closeSync(fd);
          index = i;
          break;
        } catch (error) {
          if (errnoCode(error) !== 'EEXIST') throw error;
        }
      }
      if (index === -1) {
        // Full: the last party is about to write the outcome; join the next generation.
        g += 1;
        outcome = this.outcome(g);
        continue;
      }
      writeFileAtomic(join(gdir, `party-${index}.json`), `${JSON.stringify({ party, at: new Date().toISOString() })}\n`);
      if (index === this.parties - 1) {
        if (!createFileExclusive(join(gdir, 'outcome'), `${JSON.stringify({ tripped: true })}\n`)) {
          const o = this.outcome(g);
          if (o?.broken !== undefined) throw new BarrierBrokenError(this.name, g, o.broken);
        }
        this.writeCurrent(g + 1);
        return { generation: g, index, last: true };
      }
      const after = this.outcome(g);
      if (after?.broken !== undefined) throw new BarrierBrokenError(this.name, g, after.broken);
      return { generation: g, index, last: false };
    }
  }

  async wait(options: BarrierWaitOptions & { arrival?: BarrierArrival } = {}): Promise<BarrierArrival> {
    const { arrival: given, signal, ...rest } = options;
    const opts = parseOrThrow(BarrierWaitOptionsSchema, rest, 'options', 'pass { party?, timeoutMs? }');
    const arrival = given ?? (await this.arrive(opts.party === undefined ? {} : { party: opts.party }));
    const deadline = opts.timeoutMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + opts.timeoutMs;
    const gdir = this.genDir(arrival.generation);
    const backoff = new Backoff(1, 50);
    const waitSignal = this.ctx.signal(signal);
    for (;;) {
      const o = this.outcome(arrival.generation);
      if (o?.tripped) return arrival;
      if (o?.broken !== undefined) throw new BarrierBrokenError(this.name, arrival.generation, o.broken);
      throwIfAborted(this.ctx, signal);
      const left = deadline - Date.now();
      if (left <= 0) {
        const reason = `party "${opts.party ?? `pid:${process.pid}`}" timed out after ${opts.timeoutMs} ms`;
        if (createFileExclusive(join(gdir, 'outcome'), `${JSON.stringify({ broken: reason })}\n`)) {
          throw new TimeoutError(`barrier:${this.name}`, opts.timeoutMs ?? 0, 'The generation is now broken for every party; call reset() before the next round.');
        }
        continue; // someone decided first: report their outcome
      }
      await this.ctx.watchers.nudge(gdir, (f) => f === 'outcome', Math.min(left, backoff.next()), waitSignal);
    }
  }

  async break(reason: string): Promise<void> {
    this.ctx.assertOpen();
    if (typeof reason !== 'string' || reason.length === 0) {
      throw new InvalidArgumentError('reason', 'must be a non-empty string', 'say why the barrier is broken');
    }
    for (;;) {
      const { g, outcome } = this.live();
      if (outcome?.broken !== undefined) return;
      ensureDir(this.genDir(g));
      if (createFileExclusive(join(this.genDir(g), 'outcome'), `${JSON.stringify({ broken: reason })}\n`)) return;
    }
  }

  async reset(): Promise<void> {
    this.ctx.assertOpen();
    for (;;) {
      const { g, outcome } = this.live();
      if (outcome === undefined) {
        ensureDir(this.genDir(g));
        if (!createFileExclusive(join(this.genDir(g), 'outcome'), `${JSON.stringify({ broken: 'reset', reset: true })}\n`)) continue;
      } else {
        // Broken: mark it as reset so arrivals skip it.
        writeFileAtomic(join(this.genDir(g), 'outcome'), `${JSON.stringify({ broken: outcome.broken ?? 'reset', reset: true })}\n`);
      }
      this.writeCurrent(g + 1);
      return;
    }
  }

  async state(): Promise<BarrierState> {
    this.ctx.assertOpen();
    const { g, outcome } = this.live();
    return {
      name: this.name,
      parties: this.parties,
      generation: g,
      arrived: this.slots(g),
      broken: outcome?.broken ?? null,
    };
  }
}
