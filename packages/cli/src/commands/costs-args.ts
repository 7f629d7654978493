import { parseArgs } from 'node:util';
import type { AggregateBy, CostMode, TierMode } from '@agentmux/core';
import { UsageError } from '../command.js';

/** Parsed `agentmux costs` arguments. */
export interface CostsArgs {
  by: Extract<AggregateBy, 'session' | 'project' | 'model' | 'day'>;
  since?: Date;
  until?: Date;
  providers: string[];
  /** IANA zone; `undefined` = the process's local zone. */
  timeZone: string | undefined;
  mode: CostMode;
  tier: TierMode;
  pricesFile?: string;
  json: boolean;
  progress: boolean;
  workers?: number;
}

const BY = ['session', 'project', 'model', 'day'] as const;
const MODES = ['calculate', 'display', 'auto'] as const;
const TIERS = ['per-bucket', 'per-request'] as const;
export const PROVIDERS = ['claude', 'codex', 'gemini'] as const;

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${flag} must be one of ${allowed.join(', ')} (got "${value}")`);
}

/** Offset of `timeZone` from UTC at `ms`, in ms. */
function zoneOffset(ms: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(ms);
  const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - Math.floor(ms / 1000) * 1000;
}

/** Midnight at the start of `y-m-d` in `timeZone`. */
function zonedMidnight(y: number, m: number, d: number, timeZone: string | undefined): Date {
  if (timeZone === undefined) return new Date(y, m - 1, d);
  const guess = Date.UTC(y, m - 1, d);
  let ms = guess - zoneOffset(guess, timeZone);
  ms = guess - zoneOffset(ms, timeZone);
  return new Date(ms);
}

/**
 * `YYYY-MM-DD` (a calendar day in `timeZone`; as `--until` the whole day is included) or an ISO-8601 date-time.
 */
export function parseDateFlag(flag: string, value: string, timeZone: string | undefined, endOfDay: boolean): Date {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (day) {
    const [y, m, d] = [Number(day[1]), Number(day[2]), Number(day[3])];
    const check = new Date(Date.UTC(y, m - 1, d));
    if (check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) throw new UsageError(`--${flag} "${value}" is not a calendar date`);
    return endOfDay ? zonedMidnight(y, m, d + 1, timeZone) : zonedMidnight(y, m, d, timeZone);
  }
  const ms = /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw new UsageError(`--${flag} must be YYYY-MM-DD or an ISO-8601 date-time (got "${value}")`);
  return new Date(ms);
}

/** Parses `agentmux costs` arguments; throws `UsageError` (exit 2) on bad flags. */
export function parseCostsArgs(argv: string[], env: Readonly<Record<string, string | undefined>>): CostsArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        by: { type: 'string' },
        since: { type: 'string' },
        until: { type: 'string' },
        provider: { type: 'string', multiple: true },
        tz: { type: 'string' },
        mode: { type: 'string' },
        tier: { type: 'string' },
        prices: { type: 'string' },
        json: { type: 'boolean' },
        progress: { type: 'boolean' },
        workers: { type: 'string' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  // An explicit zone is validated; without one the process's zone is used (ICU is only loaded when needed). TZ from
  // the environment is only checked when days or dates use it (loading ICU's zone data costs ~15 ms).
  const explicitZone = values.tz ?? env['TZ'];
  const zoneUsed = values.tz !== undefined || (values.by ?? 'day') === 'day' || values.since !== undefined || values.until !== undefined;
  if (explicitZone !== undefined && explicitZone !== 'UTC' && zoneUsed) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: explicitZone });
    } catch {
      throw new UsageError(`--tz "${explicitZone}" is not an IANA time zone (e.g. UTC, Europe/Berlin)`);
    }
  }
  const timeZone = explicitZone;
  const providers = (values.provider ?? []).flatMap((p) => p.split(',')).map((p) => p.trim()).filter(Boolean);
  for (const p of providers) oneOf('provider', p, PROVIDERS, 'claude');
  let workers: number | undefined;
  if (values.workers !== undefined) {
    workers = Number(values.workers);
    if (!Number.isInteger(workers) || workers < 0 || workers > 64) throw new UsageError(`--workers must be an integer from 0 to 64 (got "${values.workers}")`);
  }
  const args: CostsArgs = {
    by: oneOf('by', values.by, BY, 'day'),
    providers: providers.length > 0 ? [...new Set(providers)] : [...PROVIDERS],
    timeZone,
    mode: oneOf('mode', values.mode, MODES, 'calculate'),
    tier: oneOf('tier', values.tier, TIERS, 'per-bucket'),
    json: values.json ?? false,
    progress: values.progress ?? false,
  };
  if (values.since !== undefined) args.since = parseDateFlag('since', values.since, timeZone, false);
  if (values.until !== undefined) args.until = parseDateFlag('until', values.until, timeZone, true);
  if (args.since && args.until && args.since >= args.until) throw new UsageError('--since must be before --until');
  if (values.prices !== undefined) args.pricesFile = values.prices;
  if (workers !== undefined) args.workers = workers;
  return args;
}
