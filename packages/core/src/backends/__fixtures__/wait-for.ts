/** Polls `check` until it returns a truthy value or `timeoutMs` passes; then throws with `what`. */
export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = 10_000, pollMs = 25): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** Every line of the fake agent's transcript with `type: "user"`, as submitted text. */
export function userTexts(jsonl: string): string[] {
  return jsonl
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { type: string; text?: string })
    .filter((r) => r.type === 'user')
    .map((r) => r.text ?? '');
}

/** Awkward texts every backend must deliver byte-exact (nothing may execute). */
export function nastyTexts(canary: string): string[] {
  return [
    `$(touch ${canary})`,
    `\`touch ${canary}\``,
    `; touch ${canary}; rm -rf ~`,
    `'single' "double" \\backslash\\ $HOME %s %n {} ;`,
    'ends with semicolon;',
    'ends with escaped semicolon\\;',
    '-starts-with-dash',
    'unicode: héllo 世界 🚀 ∑',
    'escape-like: \\x1b[31m red \\e[0m ^[ ^C \\u0000',
    'line one\nline two\n  indented line three',
    'tab\tseparated\tvalues',
    `#{pane_pid} #S #(touch ${canary})`,
    'x'.repeat(3000),
  ];
}
