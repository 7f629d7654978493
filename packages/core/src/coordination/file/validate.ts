import type { z } from 'zod';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import { CoordinationNameSchema } from '../../spec/coordination/names.js';

/** Parses `value` with `schema`, or throws `InvalidArgumentError` naming the first bad field. */
export function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, field: string, fix: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue && issue.path.length > 0 ? `${field}.${issue.path.map(String).join('.')}` : field;
  throw new InvalidArgumentError(path, issue?.message ?? 'invalid value', fix);
}

const NAME_RE = /^[A-Za-z0-9_:][A-Za-z0-9_.:-]{0,127}$/;

/** Validates a coordination name (lock, barrier, task id, agent, role, label). */
export function checkName(value: unknown, field: string): string {
  if (typeof value === 'string' && NAME_RE.test(value)) return value; // hot path: no zod
  return parseOrThrow(
    CoordinationNameSchema,
    value,
    field,
    'use 1-128 characters from [A-Za-z0-9_.:-], not starting with "." or "-"',
  );
}
