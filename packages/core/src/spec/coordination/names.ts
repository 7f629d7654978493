import { z } from 'zod';

/**
 * A coordination name: lock names, barrier names, task ids, agent (inbox) names, roles and labels.
 * 1–128 characters from `[A-Za-z0-9_.:-]`, not starting with `.` or `-`. The rule keeps names usable as file
 * names and Redis key parts on every backend without escaping (`~`, `@`, `/` and spaces are reserved).
 */
export const CoordinationNameSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9_:][A-Za-z0-9_.:-]{0,127}$/,
    'use 1-128 characters from [A-Za-z0-9_.:-], not starting with "." or "-"',
  );
export type CoordinationName = z.infer<typeof CoordinationNameSchema>;

/** A JSON value (payloads, results, message data). Backends store it as JSON; `undefined` is dropped. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Zod schema accepting any JSON-serialisable value (no functions, symbols, bigints, NaN or cycles). */
export const JsonValueSchema: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number().refine(Number.isFinite, 'numbers must be finite'),
    z.boolean(),
    z.null(),
    z.array(JsonValueSchema),
    z.record(z.string(), JsonValueSchema),
  ]),
);
