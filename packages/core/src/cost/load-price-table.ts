import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PriceTableError } from '../errors/price-table-error.js';
import { PriceTableSchema, type PriceTable } from '../spec/model-price.js';

function looksLikeRawLiteLlm(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  if ('models' in v || 'asOf' in v) return false;
  const entries = Object.values(v);
  return entries.length > 0 && entries.every((e) => typeof e === 'object' && e !== null && !Array.isArray(e));
}

/**
 * Loads and validates a price table from a file path / `file:` URL (JSON) or an object. Accepts the agentmux
 * shape `{asOf, source, models}` and, for convenience, LiteLLM's raw `model_prices_and_context_window.json`
 * (a flat map of model name to prices; its `sample_spec` entry is ignored).
 * @throws PriceTableError naming the file and the offending field.
 */
export function loadPriceTable(fileOrObject: string | URL | unknown): PriceTable {
  let source = '<object>';
  let data: unknown = fileOrObject;
  if (typeof fileOrObject === 'string' || fileOrObject instanceof URL) {
    const path = fileOrObject instanceof URL ? fileURLToPath(fileOrObject) : fileOrObject;
    source = path;
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new PriceTableError(source, '', 'the file cannot be read', 'pass the path of an existing JSON price table', { cause: error });
    }
    try {
      data = JSON.parse(text) as unknown;
    } catch (error) {
      throw new PriceTableError(source, '', `not valid JSON (${(error as Error).message})`, 'write the table as JSON: {"asOf","source","models":{…}}', { cause: error });
    }
  }
  if (looksLikeRawLiteLlm(data)) {
    const { sample_spec: _ignored, ...models } = data;
    data = { asOf: new Date().toISOString().slice(0, 10), source: `LiteLLM model_prices_and_context_window.json (${source})`, models };
  }
  const parsed = PriceTableSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue ? issue.path.map(String).join('.') : '';
    throw new PriceTableError(
      source,
      field,
      issue?.message ?? 'does not match the price table schema',
      field.startsWith('models.')
        ? 'per-token prices must be non-negative numbers in USD per token (LiteLLM field names)'
        : 'the table needs "asOf" (ISO date), "source" (string) and "models" (model name to prices)',
    );
  }
  return parsed.data;
}
