import type { PlannedError, ToolStep } from '../../plan.js';
import type { ProviderUi } from '../common/interactive-app.js';
import { fit, padTo } from '../common/screen.js';
import { inputPreview } from '../claude/claude-ui.js';
import { codexCommand, codexErrorMessage } from './codex-adapter.js';

/** Codex CLI's terminal look. */
export function codexUi(o: { cwd: string; model: string; version: string; exitLines: () => string[] }): ProviderUi {
  const w = 56;
  return {
    permissionChoices: 3,
    permissionKeys: { y: 1, a: 2, n: 3 },
    banner: () => [
      `╭${'─'.repeat(w)}╮`,
      `│${padTo(` >_ OpenAI Codex (v${o.version})`, w)}│`,
      `│${padTo('', w)}│`,
      `│${padTo(` model:     ${o.model}   /model to change`, w)}│`,
      `│${padTo(` directory: ${o.cwd}`, w)}│`,
      `╰${'─'.repeat(w)}╯`,
      '',
      '  To get started, describe a task or try one of these commands:',
      '',
    ],
    userEcho: (prompt) => {
      const lines = prompt.split('\n');
      return ['', `› ${fit(lines[0] ?? '', 200)}${lines.length > 1 ? ` … (+${lines.length - 1} lines)` : ''}`];
    },
    toolLines: (tool: ToolStep) => ['', `• Ran ${fit(codexCommand(tool), 100)}`, `  └ ${fit(tool.output.split('\n')[0] ?? '', 100)}`],
    answerLines: (text) => ['', ...text.split('\n').slice(0, 6).map((l, i) => `${i === 0 ? '•' : ' '} ${fit(l, 200)}`)],
    interruptedLines: () => ['', '■ Conversation interrupted - tell the model what to do differently'],
    rejectedLines: () => ['', '✗ You did not approve the command; tell the model what to do differently'],
    errorLines: (err: PlannedError) => ['', `■ ${codexErrorMessage(err)}`],
    workingLine: (ms, _tokens, frame) => `${frame % 2 === 0 ? '•' : '◦'} Working (${Math.floor(ms / 1000)}s • esc to interrupt)`,
    inputArea: (buffer, width) => [
      `▌ ${buffer === '' ? 'Ask Codex to do anything' : inputPreview(buffer, Math.min(width, 120) - 4)}`,
      '',
      ' ⏎ send   ⌃J newline   ⌃T transcript   ⌃C quit',
    ],
    permissionArea: (tool, selected) => {
      const choices = ['Yes, proceed (y)', "Yes, and don't ask again for this command (a)", 'No, and tell Codex what to do differently (esc)'];
      return [
        'Allow command?', '',
        `  $ ${fit(codexCommand(tool), 100)}`, '',
        ...choices.map((c, i) => `${selected === i + 1 ? '›' : ' '} ${i + 1}. ${c}`),
      ];
    },
    exitLines: o.exitLines,
  };
}
