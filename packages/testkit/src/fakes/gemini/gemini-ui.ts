import type { PlannedError, ToolStep } from '../../plan.js';
import type { ProviderUi } from '../common/interactive-app.js';
import { fit, padTo } from '../common/screen.js';
import { inputPreview } from '../claude/claude-ui.js';
import { geminiErrorText, geminiTool } from './gemini-adapter.js';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

function box(inner: string[], width: number): string[] {
  const w = Math.max(10, Math.min(width, 120) - 2);
  return [`╭${'─'.repeat(w)}╮`, ...inner.map((l) => `│${padTo(l, w)}│`), `╰${'─'.repeat(w)}╯`];
}

/** Gemini CLI's terminal look. */
export function geminiUi(o: { cwd: string; model: string; version: string; branch: string; approvalMode: string; exitLines: () => string[] }): ProviderUi {
  const footer = (): string => {
    const where = `${o.cwd}${o.branch !== '' ? ` (${o.branch}*)` : ''}`;
    const mode = o.approvalMode === 'yolo' ? 'YOLO mode (ctrl + y to toggle)' : o.approvalMode === 'auto_edit' ? 'accepting edits (shift + tab to toggle)' : 'no sandbox (see /docs)';
    return `${where}    ${mode}    ${o.model} (100% context left)`;
  };
  return {
    permissionChoices: 3,
    banner: () => [' ███ GEMINI', '', 'Tips for getting started:', '1. Ask questions, edit files, or run commands.', '2. Be specific for the best results.', '3. /help for more information.', ''],
    userEcho: (prompt) => {
      const lines = prompt.split('\n');
      return ['', `> ${fit(lines[0] ?? '', 200)}${lines.length > 1 ? ` … (+${lines.length - 1} lines)` : ''}`];
    },
    toolLines: (tool: ToolStep) => {
      const t = geminiTool(tool, o.cwd);
      return ['', ` ✓  ${t.displayName} ${fit(t.label, 100)}`, `    ${fit(tool.output.split('\n')[0] ?? '', 100)}`];
    },
    answerLines: (text) => ['', ...text.split('\n').slice(0, 6).map((l, i) => `${i === 0 ? '✦' : ' '} ${fit(l, 200)}`)],
    interruptedLines: () => ['', 'ℹ Request cancelled.'],
    rejectedLines: () => ['', 'ℹ Request cancelled.'],
    errorLines: (err: PlannedError) => ['', `✕ ${geminiErrorText(err)}`],
    workingLine: (ms, _tokens, frame) => `${SPINNER[frame % SPINNER.length] ?? '⠋'} Thinking... (esc to cancel, ${Math.floor(ms / 1000)}s)`,
    inputArea: (buffer, width) => [
      ...box([buffer === '' ? ' >   Type your message or @path/to/file' : ` > ${inputPreview(buffer, Math.min(width, 120) - 7)}`], width),
      footer(),
    ],
    permissionArea: (tool, selected, width) => {
      const t = geminiTool(tool, o.cwd);
      const choices = ['Yes, allow once', `Yes, allow always ${t.name === 'run_shell_command' ? `"${t.label.split(' ')[0] ?? ''} ..."` : ''}`.trimEnd(), 'No, suggest changes (esc)'];
      return box([
        ` ? ${t.displayName} ${fit(t.label, 80)}`, '', `   ${fit(t.label, 100)}`, '', ' Allow execution?', '',
        ...choices.map((c, i) => ` ${selected === i + 1 ? '●' : ' '} ${i + 1}. ${c}`),
      ], width);
    },
    exitLines: o.exitLines,
  };
}
