import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** `hooks.<Event>[]` of a settings file. */
interface HookMatcher {
  matcher?: string;
  hooks?: { type?: string; command?: string; timeout?: number }[];
}
type HooksConfig = Record<string, HookMatcher[]>;

function hooksOf(text: string): HooksConfig {
  try {
    const parsed = JSON.parse(text) as { hooks?: unknown };
    return typeof parsed.hooks === 'object' && parsed.hooks !== null ? (parsed.hooks as HooksConfig) : {};
  } catch {
    return {};
  }
}

/**
 * Claude Code hooks, read from `$CLAUDE_CONFIG_DIR/settings.json`, `<cwd>/.claude/settings.json`,
 * `<cwd>/.claude/settings.local.json` and `--settings <file-or-json>`. Each matching command runs as
 * `sh -c <command>` (the user's own configuration, as in the real CLI) with the JSON payload on stdin.
 */
export class ClaudeHooks {
  private readonly configs: HooksConfig[] = [];

  constructor(configDir: string, private readonly cwd: string, settingsFlag: string | undefined, private readonly base: () => Record<string, unknown>) {
    for (const file of [join(configDir, 'settings.json'), join(cwd, '.claude', 'settings.json'), join(cwd, '.claude', 'settings.local.json')]) {
      if (existsSync(file)) this.configs.push(hooksOf(readFileSync(file, 'utf8')));
    }
    if (settingsFlag !== undefined) {
      const text = settingsFlag.trimStart().startsWith('{') ? settingsFlag : existsSync(settingsFlag) ? readFileSync(settingsFlag, 'utf8') : '{}';
      this.configs.push(hooksOf(text));
    }
  }

  /** True when some hook is configured for `event`. */
  has(event: string): boolean {
    return this.configs.some((c) => Array.isArray(c[event]) && (c[event]?.length ?? 0) > 0);
  }

  /** Runs every hook of `event` whose matcher matches `target`, in order; failures are ignored. */
  async fire(event: string, fields: Record<string, unknown>, target?: string): Promise<void> {
    const payload = JSON.stringify({ ...this.base(), hook_event_name: event, ...fields });
    for (const config of this.configs) {
      const matchers = config[event];
      if (!Array.isArray(matchers)) continue;
      for (const m of matchers) {
        if (!matches(m.matcher, target)) continue;
        for (const hook of m.hooks ?? []) {
          if (typeof hook.command !== 'string' || (hook.type !== undefined && hook.type !== 'command')) continue;
          await runHook(hook.command, payload, this.cwd, typeof hook.timeout === 'number' ? hook.timeout : 60);
        }
      }
    }
  }
}

function matches(matcher: string | undefined, target: string | undefined): boolean {
  if (matcher === undefined || matcher === '' || matcher === '*' || target === undefined) return true;
  try {
    return new RegExp(`^(?:${matcher})$`).test(target);
  } catch {
    return matcher === target;
  }
}

function runHook(command: string, payload: string, cwd: string, timeoutSec: number): Promise<void> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve();
    };
    let child: ReturnType<typeof spawn>;
    try {
      // Own process group, so a timeout kills the hook's children too.
      child = spawn('sh', ['-c', command], { cwd, env: { ...process.env, CLAUDE_PROJECT_DIR: cwd }, stdio: ['pipe', 'ignore', 'ignore'], detached: true });
    } catch {
      resolve();
      return;
    }
    const timer = setTimeout(() => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
      finish();
    }, Math.max(0.1, timeoutSec) * 1000);
    child.on('error', finish);
    child.on('close', finish);
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(payload);
  });
}
