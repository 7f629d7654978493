import { describe, expect, it } from 'vitest';
import { normaliseForMatch, userTextMatches } from './transcript-tracker.js';
import { screenMarker } from './verified-send.js';

describe('verified send helpers', () => {
  it('matches recorded prompts exactly, modulo line endings and outer whitespace', () => {
    expect(userTextMatches('hello\nworld', 'hello\r\nworld\n')).toBe(true);
    expect(userTextMatches('hello world', 'hello  world')).toBe(false);
    expect(normaliseForMatch('  a\r\nb  ')).toBe('a\nb');
  });

  it('accepts a truncated recording only when it is a long prefix', () => {
    const long = 'x'.repeat(5000);
    expect(userTextMatches(`${'x'.repeat(4095)}…`, long)).toBe(true);
    expect(userTextMatches('x…', long)).toBe(false);
  });

  it('looks for the end of the last non-empty line in the input box', () => {
    expect(screenMarker('first line\nsecond line\n\n')).toBe('second line');
    expect(screenMarker(`a\n${'y'.repeat(30)}z`)).toBe(`${'y'.repeat(23)}z`);
    expect(screenMarker('   ')).toBe('');
  });
});
