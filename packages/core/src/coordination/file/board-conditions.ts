import type { JsonValue } from '../../spec/coordination/names.js';
import type { TaskCondition } from '../../spec/coordination/board-task.js';

/** The value at a dotted `path` in `value` (`''` = the value itself), or undefined. */
export function valueAtPath(value: JsonValue | undefined, path: string): JsonValue | undefined {
  if (path === '') return value;
  let current: JsonValue | undefined = value;
  for (const part of path.split('.')) {
    if (current === null || current === undefined || typeof current !== 'object') return undefined;
    if (Array.isArray(current)) {
      const index = Number(part);
      current = Number.isInteger(index) ? current[index] : undefined;
    } else {
      current = Object.prototype.hasOwnProperty.call(current, part) ? current[part] : undefined;
    }
  }
  return current;
}

/** Deep equality of JSON values (object key order ignored). */
export function jsonEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  }
  const ao = a as Record<string, JsonValue>;
  const bo = b as Record<string, JsonValue>;
  const keys = Object.keys(ao);
  if (keys.length !== Object.keys(bo).length) return false;
  return keys.every((k) => Object.prototype.hasOwnProperty.call(bo, k) && jsonEqual(ao[k], bo[k]));
}

/** Evaluates one condition against the earlier task's result; returns a reason when it does not hold. */
export function conditionFails(condition: TaskCondition, result: JsonValue | undefined): string | undefined {
  const value = valueAtPath(result, condition.path);
  const where = `${condition.task}${condition.path ? `.${condition.path}` : ''}`;
  if (condition.exists !== undefined) {
    const exists = value !== undefined;
    return exists === condition.exists ? undefined : `condition ${where} ${condition.exists ? 'exists' : 'is absent'} did not hold`;
  }
  if (condition.equals !== undefined) {
    return jsonEqual(value, condition.equals)
      ? undefined
      : `condition ${where} == ${JSON.stringify(condition.equals)} did not hold (got ${JSON.stringify(value ?? null)})`;
  }
  if (condition.notEquals !== undefined) {
    return jsonEqual(value, condition.notEquals) ? `condition ${where} != ${JSON.stringify(condition.notEquals)} did not hold` : undefined;
  }
  return undefined;
}
