import type { PlannedError, ToolStep } from '../../plan.js';
import { apiErrorBody } from '../../plan.js';
import type { ProviderUi } from '../common/interactive-app.js';
import { fit, padTo } from '../common/screen.js';
import { claudeTool } from './claude-adapter.js';

const SPINNER = ['·', '✢', '✳', '✶', '✻', '✽', '✻', '✶', '✳', '✢'];

function box(inner: string[], width: number): string[] {
  const w = Math.max(10, Math.min(width, 120) - 2);
  return [`╭${'─'.repeat(w)}╮`, ...inner.map((l) => `│${padTo(l, w)}│`), `╰${'─'.repeat(w)}╯`];
}

/** What the input line shows for a (possibly long, multi-line) buffer. */
export function inputPreview(buffer: string, room: number): string {
  const lines = buffer.split('\n');
  const last = lines[lines.length - 1] ?? '';
  const prefix = lines.length > 1 ? `[Pasted text +${lines.length - 1} lines] ` : '';
  const cps = Array.from(last);
  const tail = cps.length > room - prefix.length ? cps.slice(cps.length - Math.max(0, room - prefix.length)).join('') : last;
  return prefix + tail;
}

const MODE_HINT: Record<string, string> = {
  default: '  ? for shortcuts',
  acceptEdits: '  ⏵⏵ accept edits on (shift+tab to cycle)',
  plan: '  ⏸ plan mode on (shift+tab to cycle)',
  bypassPermissions: '  ⏵⏵ bypass permissions on (shift+tab to cycle)',
};

/** Claude Code's terminal look. */
export function claudeUi(cwd: string, permissionMode: () => string): ProviderUi {
  return {
    permissionChoices: 3,
    banner: () => box(['', ' ✻ Welcome to Claude Code!', '', '   /help for help, /status for your current setup', '', `   cwd: ${cwd}`, ''], 60),
    userEcho: (prompt) => {
      const lines = prompt.split('\n');
      return ['', `> ${fit(lines[0] ?? '', 200)}${lines.length > 1 ? ` … (+${lines.length - 1} lines)` : ''}`];
    },
    toolLines: (tool) => {
      const { name, input } = claudeTool(tool, cwd);
      const arg = String(input.command ?? input.file_path ?? input.description ?? '');
      return ['', `⏺ ${name}(${fit(arg, 100)})`, `  ⎿  ${fit(tool.output.split('\n')[0] ?? '', 100)}`];
    },
    answerLines: (text) => ['', ...text.split('\n').slice(0, 6).map((l, i) => `${i === 0 ? '⏺' : ' '} ${fit(l, 200)}`)],
    interruptedLines: () => ['  ⎿  Interrupted · What should Claude do instead?'],
    rejectedLines: () => ['  ⎿  User rejected tool use'],
    errorLines: (err: PlannedError) => [`  ⎿  API Error: ${err.status} ${apiErrorBody(err)}`],
    workingLine: (ms, tokens, frame) => `${SPINNER[frame % SPINNER.length] ?? '✻'} Thinking… (${Math.floor(ms / 1000)}s · ↑ ${tokens} tokens · esc to interrupt)`,
    inputArea: (buffer, width) => [...box([` > ${inputPreview(buffer, Math.min(width, 120) - 7)}`], width), MODE_HINT[permissionMode()] ?? MODE_HINT.default ?? ''],
    permissionArea: (tool: ToolStep, selected, width) => {
      const { name, input } = claudeTool(tool, cwd);
      const title = name === 'Bash' ? 'Bash command' : name === 'Read' ? 'Read file' : name;
      const detail = String(input.command ?? input.file_path ?? input.description ?? '');
      const second = name === 'Bash' ? "Yes, and don't ask again for this command" : "Yes, and don't ask again this session";
      const choices = ['Yes', second, 'No, and tell Claude what to do differently (esc)'];
      return box([
        ` ${title}`, '', `   ${fit(detail, 100)}`, `   ${tool.description}`, '', ' Do you want to proceed?',
        ...choices.map((c, i) => ` ${selected === i + 1 ? '❯' : ' '} ${i + 1}. ${c}`),
      ], width);
    },
    exitLines: () => [],
  };
}
