import { InvalidArgumentError, checkCoordinationName, parseOrThrow } from '@agentmux/core';

/** The same validation as the file backend: names and zod-checked inputs, errors naming the field. */
export { checkCoordinationName as checkName, parseOrThrow };

/** Parses an ISO-8601 time filter into epoch ms, or throws naming the field. */
export function parseTime(value: string | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new InvalidArgumentError(field, `"${value}" is not an ISO-8601 time`, 'pass a time like 2026-01-31T12:00:00Z');
  return ms;
}

/** ISO-8601 text of epoch ms. */
export const iso = (ms: number): string => new Date(ms).toISOString();
