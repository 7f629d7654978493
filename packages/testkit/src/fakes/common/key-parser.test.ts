import { describe, expect, it } from 'vitest';
import { KeyParser } from './key-parser.js';

describe('KeyParser', () => {
  it('decodes typing, Enter, Backspace, Esc, Ctrl-C and ignores arrow keys', () => {
    const p = new KeyParser();
    expect(p.feed('ab\x7f\r')).toEqual([{ kind: 'text', text: 'ab' }, { kind: 'backspace' }, { kind: 'enter' }]);
    expect(p.feed('\x1b')).toEqual([{ kind: 'escape' }]);
    expect(p.feed('\x1b[A\x1bOBx\x03')).toEqual([{ kind: 'text', text: 'x' }, { kind: 'ctrl-c' }]);
  });

  it('keeps a bracketed paste literal (CR/CRLF → LF) even when split across chunks', () => {
    const p = new KeyParser();
    const events = [...p.feed('\x1b[20'), ...p.feed('0~line1\r\nline2\rend; $(x)\x1b[2'), ...p.feed('01~\r')];
    expect(events).toEqual([{ kind: 'paste', text: 'line1\nline2\nend; $(x)' }, { kind: 'enter' }]);
  });

  it('treats a literal LF as text (a newline in the input), not as Enter', () => {
    expect(new KeyParser().feed('a\nb')).toEqual([{ kind: 'text', text: 'a\nb' }]);
  });
});
