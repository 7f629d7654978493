/** One accepted flag. */
export interface FlagSpec {
  /** All spellings, e.g. `['-m', '--model']`. */
  names: string[];
  /** Key in the result. */
  key: string;
  /** `none` (boolean), `required` (takes the next argument). */
  value: 'none' | 'required';
  /** Allowed values. */
  choices?: readonly string[];
}

export interface ParsedArgs {
  flags: Record<string, string | true>;
  positionals: string[];
}

/** Why parsing failed: an unknown flag, a missing value, or a value outside `choices`. */
export type ArgProblem =
  | { kind: 'unknown'; flag: string }
  | { kind: 'missing-value'; flag: string }
  | { kind: 'bad-choice'; flag: string; value: string; choices: readonly string[] };

/** Parses `argv` against `specs` (`--flag value`, `--flag=value`, `--` ends flags). */
export function parseArgs(argv: readonly string[], specs: readonly FlagSpec[]): ParsedArgs | ArgProblem {
  const flags: Record<string, string | true> = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq === -1 ? arg : arg.slice(0, eq);
    const spec = specs.find((s) => s.names.includes(name));
    if (!spec) return { kind: 'unknown', flag: name };
    if (spec.value === 'none') {
      flags[spec.key] = true;
      continue;
    }
    let value: string | undefined;
    if (eq !== -1) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      i++;
    }
    if (value === undefined) return { kind: 'missing-value', flag: name };
    if (spec.choices && !spec.choices.includes(value)) return { kind: 'bad-choice', flag: name, value, choices: spec.choices };
    flags[spec.key] = value;
  }
  return { flags, positionals };
}

export function isProblem(r: ParsedArgs | ArgProblem): r is ArgProblem {
  return 'kind' in r;
}

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
