import { describe, expect, it } from 'vitest';
import { redactSecrets, summarizeToolInput, toolResultText } from './tool-summary.js';

describe('tool input summaries', () => {
  it('summarises the common tools by their main argument', () => {
    expect(summarizeToolInput('Bash', { command: 'npm test', description: 'x' })).toBe('npm test');
    expect(summarizeToolInput('Edit', { file_path: '/w/a.ts', old_string: 'SECRET', new_string: 'x' })).toBe('/w/a.ts');
    expect(summarizeToolInput('Grep', { pattern: 'TODO', path: 'src' })).toBe('TODO in src');
    expect(summarizeToolInput('WebFetch', { url: 'https://example.com/x', prompt: 'p' })).toBe('https://example.com/x');
    expect(summarizeToolInput('Task', { description: 'Find files', prompt: 'long' })).toBe('Find files');
    expect(summarizeToolInput('TodoWrite', { todos: [1, 2, 3] })).toBe('3 todos');
  });

  it('lists only the keys of unknown tools, never their values', () => {
    expect(summarizeToolInput('mcp__db__query', { sql: 'select password from users', token: 'abc' })).toBe('{sql, token}');
    expect(summarizeToolInput('X', null)).toBe('');
  });

  it('masks secrets and caps the length at 200', () => {
    expect(summarizeToolInput('Bash', { command: 'GITHUB_TOKEN=ghp_abcdefghijklmnop git push https://me:hunter2@github.com/x' }))
      .toBe('GITHUB_TOKEN=*** git push https://me:***@github.com/x');
    expect(redactSecrets('curl -H "Authorization: Bearer abc.def" --api-key=xyz123 sk-ant-api03-abcdefgh'))
      .toBe('curl -H "Authorization: ***" --api-key=*** sk-ant-***');
    expect(summarizeToolInput('Bash', { command: 'x'.repeat(500) })).toHaveLength(200);
  });

  it('flattens tool result blocks for error messages', () => {
    expect(toolResultText([{ type: 'text', text: 'line 1\nline 2' }, { type: 'image' }])).toBe('line 1 line 2');
    expect(toolResultText('y'.repeat(900))).toHaveLength(500);
  });
});
