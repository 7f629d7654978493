/** A decoded key press or paste. */
export type KeyEvent =
  | { kind: 'text'; text: string }
  | { kind: 'paste'; text: string }
  | { kind: 'enter' }
  | { kind: 'backspace' }
  | { kind: 'escape' }
  | { kind: 'ctrl-c' }
  | { kind: 'ctrl-d' };

const PASTE_START = '\x1b[200~';
const PASTE_END = '\x1b[201~';

/**
 * Decodes raw-mode terminal input into key events. Handles bracketed paste (`ESC[200~ … ESC[201~`, whose
 * content is literal: CR and CRLF become LF, nothing submits), a lone ESC (interrupt), CSI/SS3 sequences
 * (ignored), Enter (CR), literal LF (a newline in the input), Backspace, Ctrl-C and Ctrl-D.
 */
export class KeyParser {
  private pasting = false;
  private pasteBuf = '';
  private pending = '';

  feed(chunk: string): KeyEvent[] {
    const events: KeyEvent[] = [];
    let s = this.pending + chunk;
    this.pending = '';
    let text = '';
    const flushText = (): void => {
      if (text !== '') events.push({ kind: 'text', text });
      text = '';
    };
    while (s.length > 0) {
      if (this.pasting) {
        const end = s.indexOf(PASTE_END);
        if (end === -1) {
          // Keep a tail that could be the start of the end marker.
          let keep = 0;
          for (let k = Math.min(PASTE_END.length - 1, s.length); k > 0; k--) {
            if (PASTE_END.startsWith(s.slice(s.length - k))) {
              keep = k;
              break;
            }
          }
          this.pasteBuf += s.slice(0, s.length - keep);
          this.pending = s.slice(s.length - keep);
          return events;
        }
        this.pasteBuf += s.slice(0, end);
        events.push({ kind: 'paste', text: this.pasteBuf.replace(/\r\n?/g, '\n') });
        this.pasteBuf = '';
        this.pasting = false;
        s = s.slice(end + PASTE_END.length);
        continue;
      }
      const ch = s[0] ?? '';
      if (ch === '\x1b') {
        if (s.startsWith(PASTE_START)) {
          flushText();
          this.pasting = true;
          s = s.slice(PASTE_START.length);
          continue;
        }
        if (s.length === 1) {
          flushText();
          events.push({ kind: 'escape' });
          s = '';
          continue;
        }
        if (PASTE_START.startsWith(s)) {
          // A split marker: wait for more input.
          this.pending = s;
          break;
        }
        // eslint-disable-next-line no-control-regex -- matching terminal escape sequences is the point
        const csi = /^\x1b(?:\[[0-9;?]*[ -/]*[@-~]|O[@-~])/.exec(s);
        if (csi) {
          s = s.slice(csi[0].length);
          continue;
        }
        flushText();
        events.push({ kind: 'escape' });
        s = s.slice(1);
        continue;
      }
      s = s.slice(ch.length);
      if (ch === '\r') {
        flushText();
        events.push({ kind: 'enter' });
      } else if (ch === '\x7f' || ch === '\b') {
        flushText();
        events.push({ kind: 'backspace' });
      } else if (ch === '\x03') {
        flushText();
        events.push({ kind: 'ctrl-c' });
      } else if (ch === '\x04') {
        flushText();
        events.push({ kind: 'ctrl-d' });
      } else if (ch === '\n' || ch === '\t' || ch >= ' ') {
        text += ch;
      }
    }
    flushText();
    return events;
  }
}
