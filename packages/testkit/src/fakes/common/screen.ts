/** Visible-width truncation (code points; the fakes only draw width-1 characters in the live region). */
export function fit(line: string, width: number): string {
  const cps = Array.from(line);
  return cps.length <= width ? line : `${cps.slice(0, Math.max(0, width - 1)).join('')}…`;
}

/** Pads `line` to `width` code points. */
export function padTo(line: string, width: number): string {
  const n = Array.from(line).length;
  return n >= width ? fit(line, width) : line + ' '.repeat(width - n);
}

/**
 * An Ink-like renderer: finished output ("history") scrolls above a live region at the bottom that is
 * redrawn in place (cursor up, clear to end of screen, draw).
 */
export class Screen {
  private liveCount = 0;
  private last: string[] = [];

  constructor(private readonly out: NodeJS.WriteStream) {}

  get width(): number {
    return Math.max(20, (this.out.columns || 100) - 1);
  }

  /** Redraws the live region, first printing `history` lines above it. */
  render(live: string[], history: string[] = []): void {
    const lines = live.map((l) => fit(l, this.width));
    if (history.length === 0 && lines.length === this.last.length && lines.every((l, i) => l === this.last[i])) return;
    let s = '\r';
    if (this.liveCount > 1) s += `\x1b[${this.liveCount - 1}A`;
    s += '\x1b[J';
    for (const h of history) s += `${h.replace(/\n/g, '\r\n')}\r\n`;
    s += lines.join('\r\n');
    this.out.write(s);
    this.liveCount = lines.length;
    this.last = lines;
  }

  /** Forgets the live region (after exit messages). */
  release(): void {
    this.out.write('\r\n');
    this.liveCount = 0;
    this.last = [];
  }
}
