import { describe, expect, it } from 'vitest';
import { OutputRingBuffer } from './ring-buffer.js';

describe('OutputRingBuffer', () => {
  it('keeps the most recent bytes within the limit', () => {
    const ring = new OutputRingBuffer(10);
    ring.push('abcd');
    ring.push('efgh');
    ring.push('ijkl');
    expect(ring.size).toBeLessThanOrEqual(10);
    expect(ring.toString()).toBe('efghijkl');
    expect(ring.totalWritten).toBe(12);
  });

  it('keeps the tail of a chunk larger than the limit', () => {
    const ring = new OutputRingBuffer(5);
    ring.push('0123456789');
    expect(ring.toString()).toBe('56789');
  });

  it('returns the last lines', () => {
    const ring = new OutputRingBuffer();
    ring.push('a\r\nb\nc\nd');
    expect(ring.lastLines(2)).toEqual(['c', 'd']);
  });

  it('rejects a non-positive limit', () => {
    expect(() => new OutputRingBuffer(0)).toThrow(RangeError);
  });
});
