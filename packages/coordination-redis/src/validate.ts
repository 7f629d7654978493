import type { z } from 'zod';
import { CoordinationNameSchema, InvalidArgumentError } from '@agentmux/core';

const NAME_FIX = 'use 1-128 characters from [A-Za-z0-9_.:-], not starting with "." or "-"';

/** Parses `value` with `schema`, or throws `InvalidArgumentError` naming the first bad field. */
export function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, field: string, fix: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue && issue.path.length > 0 ? `${field}.${issue.path.map(String).join('.')}` : field;
  throw new InvalidArgumentError(path, issue?.message ?? 'invalid value', fix);
}

/** Validates a coordination name (lock, barrier, task id, agent, role, label). */
export function checkName(value: unknown, field: string): string {
  return parseOrThrow(CoordinationNameSchema, value, field, NAME_FIX);
}

/** Parses an ISO-8601 time filter into epoch ms, or throws naming the field. */
export function parseTime(value: string | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new InvalidArgumentError(field, `"${value}" is not an ISO-8601 time`, 'pass a time like 2026-01-31T12:00:00Z');
  return ms;
}

/** ISO-8601 text of epoch ms. */
export const iso = (ms: number): string => new Date(ms).toISOString();
