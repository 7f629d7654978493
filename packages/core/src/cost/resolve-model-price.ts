import type { ModelPrice, PriceTable } from '../spec/model-price.js';

/** How a model name on disk was matched to a price-table entry. */
export type PriceMatch = 'exact' | 'prefix' | 'date' | 'closest';

/** A resolved price: the table's name for the model, its prices, and how it was found. */
export interface ResolvedPrice {
  /** The price table's model name. */
  name: string;
  /** Its prices. */
  price: ModelPrice;
  /** `exact`; `prefix` (provider prefix stripped/added); `date` (date suffix stripped/added); `closest`. */
  how: PriceMatch;
}

/** Provider prefixes tried when stripping and adding (`anthropic/claude-…`, `gemini/gemini-…`). */
const KNOWN_PREFIXES = ['anthropic', 'openai', 'gemini', 'models', 'vertex_ai', 'bedrock', 'azure', 'openrouter'];
/** Variant words that change the price: `gpt-5-mini` must not be priced as `gpt-5`. */
const PRICE_CHANGING_WORDS = new Set(['mini', 'nano', 'lite', 'micro', 'small', 'tiny', 'haiku', 'flash', 'pro', 'opus', 'sonnet']);

const DATE_SUFFIX = /(?:[-@](?:20\d{6}|20\d\d-\d\d-\d\d))$/;

/** Strips routing prefixes: `bedrock/us.anthropic.claude-x-v1:0` → `claude-x`, `models/gemini-2.5-pro` → `gemini-2.5-pro`. */
function stripPrefixes(name: string): string {
  let n = name;
  const slash = n.lastIndexOf('/');
  if (slash >= 0) n = n.slice(slash + 1);
  n = n.replace(/^(?:us|eu|apac|global|jp|au)\./, '').replace(/^anthropic\./, '');
  n = n.replace(/-v\d+(?::\d+)?$/, '');
  return n;
}

function tokens(name: string): string[] {
  return name.split(/[-_.@:/ ]+/).filter((t) => t.length > 0);
}

const isVersion = (t: string): boolean => /^\d+$/.test(t) && t.length < 8;

interface TableIndex {
  /** Lower-cased name → table name. */
  lower: Map<string, string>;
  /** Bare name (prefixes and date stripped, lower case) → table names, undated first. */
  bare: Map<string, string[]>;
  /** Bare token lists for closest matching. */
  bareTokens: Array<{ name: string; tokens: string[] }>;
  /** Resolution cache. */
  cache: Map<string, ResolvedPrice | null>;
}

const indexes = new WeakMap<PriceTable, TableIndex>();

function indexOf(table: PriceTable): TableIndex {
  let idx = indexes.get(table);
  if (idx) return idx;
  idx = { lower: new Map(), bare: new Map(), bareTokens: [], cache: new Map() };
  const names = Object.keys(table.models).sort((a, b) => a.length - b.length || a.localeCompare(b));
  for (const name of names) {
    const lower = name.toLowerCase();
    if (!idx.lower.has(lower)) idx.lower.set(lower, name);
    const bare = stripPrefixes(lower).replace(DATE_SUFFIX, '');
    const list = idx.bare.get(bare) ?? [];
    list.push(name);
    idx.bare.set(bare, list);
    idx.bareTokens.push({ name, tokens: tokens(bare) });
  }
  indexes.set(table, idx);
  return idx;
}

function pick(table: PriceTable, name: string, how: PriceMatch): ResolvedPrice | null {
  const price = table.models[name];
  return price ? { name, price, how } : null;
}

/** Prefers a table name with no provider prefix (`claude-x` over `anthropic/claude-x`), then the shortest. */
function preferUnprefixed(names: readonly string[]): string | undefined {
  return names.find((n) => !n.includes('/')) ?? names[0];
}

function resolveUncached(table: PriceTable, idx: TableIndex, model: string): ResolvedPrice | null {
  if (table.models[model]) return pick(table, model, 'exact');
  const lower = model.toLowerCase().trim();
  const exactLower = idx.lower.get(lower);
  if (exactLower) return pick(table, exactLower, 'exact');

  // Prefix: strip the routing prefix, or add a known one.
  const stripped = stripPrefixes(lower);
  const candidates = [stripped, ...KNOWN_PREFIXES.map((p) => `${p}/${stripped}`)];
  for (const c of candidates) {
    const hit = idx.lower.get(c);
    if (hit) return pick(table, hit, 'prefix');
  }

  // Date: the same model with the date suffix stripped, or a dated table entry of the undated name.
  const bare = stripped.replace(DATE_SUFFIX, '');
  const sameBare = idx.bare.get(bare);
  if (sameBare && sameBare.length > 0) {
    const name = preferUnprefixed(sameBare);
    if (name) return pick(table, name, 'date');
  }

  // Closest: the table name whose tokens are the longest token-prefix of the model's, where the model's next
  // token is neither a version digit (claude-sonnet-4-5 must not become claude-sonnet-4) nor a price-changing
  // variant word (gpt-5-mini must not become gpt-5).
  const want = tokens(bare).filter((t) => !/^20\d{6}$/.test(t));
  let best: { name: string; len: number; prefixed: boolean } | null = null;
  for (const entry of idx.bareTokens) {
    const t = entry.tokens;
    if (t.length < 2 || t.length >= want.length) continue;
    let ok = true;
    for (let i = 0; i < t.length; i += 1) {
      if (t[i] !== want[i]) {
        ok = false;
        break;
      }
    }
    if (!ok) continue;
    const next = want[t.length];
    if (next === undefined || isVersion(next) || PRICE_CHANGING_WORDS.has(next)) continue;
    if (!t.some(isVersion)) continue; // the family and its version must be named
    const prefixed = entry.name.includes('/');
    if (!best || t.length > best.len || (t.length === best.len && best.prefixed && !prefixed)) {
      best = { name: entry.name, len: t.length, prefixed };
    }
  }
  return best ? pick(table, best.name, 'closest') : null;
}

/**
 * Finds the price of `model` in `table`: exact name (also case-insensitive); then with provider prefixes
 * stripped or added (`anthropic/`, `openai/`, `gemini/`, `models/`, `vertex_ai/`, `bedrock/` incl. region and
 * `-v1:0` forms); then with a date suffix (`-20250929`, `@20250929`, `-2025-08-07`) stripped or added; then the
 * closest match: the table model whose name tokens are the longest token-prefix of the model's, where the model's
 * next token is neither a version number nor a price-changing variant word (`mini`, `nano`, `lite`, …). So
 * `claude-sonnet-4-5-x` → `claude-sonnet-4-5`, never `claude-sonnet-4`. Returns `null` when nothing fits.
 * Results are cached per table object.
 */
let lastTable: PriceTable | undefined;
let lastModel: string | undefined;
let lastResult: ResolvedPrice | null = null;

export function resolveModelPrice(table: PriceTable, model: string): ResolvedPrice | null {
  // Records come in runs of one model: the last answer is checked first.
  if (model === lastModel && table === lastTable) return lastResult;
  const idx = indexOf(table);
  const cached = idx.cache.get(model);
  const result = cached !== undefined ? cached : model.trim() === '' ? null : resolveUncached(table, idx, model);
  if (cached === undefined) idx.cache.set(model, result);
  lastTable = table;
  lastModel = model;
  lastResult = result;
  return result;
}
