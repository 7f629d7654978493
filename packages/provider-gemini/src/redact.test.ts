import { describe, expect, it } from 'vitest';
import { redactSecrets, summarizeToolArgs, truncate } from './redact.js';

describe('redaction of tool input summaries', () => {
  it('masks secret-looking values in commands', () => {
    expect(redactSecrets('API_TOKEN=abc123 npm test')).toBe('API_TOKEN=*** npm test');
    expect(redactSecrets('curl -H "Authorization: Bearer sk-abcdefghijklmnopqrstuvwx" https://x')).not.toMatch(/sk-abcdefghijklmnop/);
    expect(redactSecrets('git clone https://user:hunter2@github.com/x.git')).toBe('git clone https://***:***@github.com/x.git');
    expect(redactSecrets('export GEMINI_API_KEY="AIzaSyA1234567890abcdefghijklmnop"')).not.toContain('AIzaSyA1234567890');
    expect(redactSecrets('gh auth ghp_abcdefghijklmnopqrstuvwxyz0123')).not.toContain('ghp_abcdefghij');
    expect(redactSecrets('ls -la src')).toBe('ls -la src');
  });

  it('summarises the primary argument, masks secret keys and env maps, and caps at 200 chars', () => {
    expect(summarizeToolArgs({ command: 'ls -la', description: 'list' })).toBe('ls -la');
    expect(summarizeToolArgs({ absolute_path: '/w/a.ts', offset: 3 })).toBe('/w/a.ts');
    expect(summarizeToolArgs({ name: 'deploy', token: 'xyz', env: { SECRET: 's3cr3t' } })).toBe('name=deploy token=*** env=***');
    expect(summarizeToolArgs({ command: 'x'.repeat(500) })).toHaveLength(200);
    expect(summarizeToolArgs(null)).toBe('');
  });

  it('truncates with an ellipsis and collapses whitespace', () => {
    expect(truncate('a\n  b', 10)).toBe('a b');
    expect(truncate('abcdef', 4)).toBe('abc…');
  });
});
