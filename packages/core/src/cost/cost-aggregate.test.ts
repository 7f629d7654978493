import { describe, expect, it } from 'vitest';
import { createDayKey } from './cost-aggregate.js';

describe('createDayKey', () => {
  it('gives the same UTC days without zone data as the formatter does', () => {
    const fast = createDayKey('UTC');
    const viaIntl = createDayKey('Etc/UTC');
    const stamps = ['2026-11-20T23:59:59.999Z', '2026-11-21T00:00:00.000Z', '2026-02-28T22:30:00-02:00', '2024-02-29T12:00:00+14:00', '1999-12-31T23:00:00.5-01:00', 'not a time'];
    for (const t of stamps) expect(fast(t), t).toBe(viaIntl(t));
    expect(fast('2026-02-28T22:30:00-02:00')).toBe('2026-03-01');
    expect(fast('not a time')).toBe('invalid-date');
  });

  it('rejects an unknown zone at once', () => {
    expect(() => createDayKey('Mars/Olympus')).toThrow();
  });
});
