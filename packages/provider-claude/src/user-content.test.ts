import { describe, expect, it } from 'vitest';
import { classifyPrompt, promptText, readUserContent } from './user-content.js';

describe('user line content', () => {
  it('splits prompt text from tool results and counts bad blocks', () => {
    const blocks: { type: string }[] = [
      { type: 'text', text: 'a' },
      { type: 'tool_result', tool_use_id: 'toolu_1', content: 'ok' },
      { type: 'tool_result' },
      { type: 'text', text: 'b' },
    ] as { type: string }[];
    const c = readUserContent(blocks);
    expect(c).toEqual({ text: 'a\nb', toolResults: [{ toolUseId: 'toolu_1', isError: false, content: 'ok' }], invalidBlocks: 1 });
  });

  it('treats an image-only prompt as a prompt', () => {
    expect(readUserContent([{ type: 'image' }]).text).toBe('[1 attachment]');
    expect(classifyPrompt(readUserContent([{ type: 'image' }, { type: 'image' }]).text)).toBe('prompt');
  });

  it('classifies interruptions, command output and empty text', () => {
    expect(classifyPrompt('[Request interrupted by user]')).toBe('interrupt');
    expect(classifyPrompt('<local-command-stdout>ok</local-command-stdout>')).toBe('command-output');
    expect(classifyPrompt('  \n')).toBe('empty');
    expect(classifyPrompt('fix it')).toBe('prompt');
  });

  it('renders slash commands as typed', () => {
    expect(promptText('<command-name>/model</command-name>\n<command-message>model</command-message>\n<command-args>opus</command-args>')).toBe('/model opus');
    expect(promptText('<command-name>/clear</command-name><command-args></command-args>')).toBe('/clear');
    expect(promptText('plain')).toBe('plain');
  });
});
