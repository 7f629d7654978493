import { TimeoutError } from '../errors/index.js';
import type { ProviderV1, SessionBackendV1 } from '../spec/index.js';
import type { TranscriptTracker } from './transcript-tracker.js';
import { normaliseForMatch } from './transcript-tracker.js';

/** Tuning of verified delivery. */
export interface SendTuning {
  /** Texts up to this many characters, on one line, are typed as literal keys; longer ones are pasted (default 200). */
  literalMaxChars?: number;
  /** Wait between typing and pressing Enter, so the app has taken the text in (default 15 ms; pastes: 25 ms). */
  settleMs?: number;
  /** Poll interval while confirming (default 10 ms; a poll reads only the transcript's new bytes). */
  pollMs?: number;
  /** Press Enter again when the text is still in the input box after this long (default 1500 ms). */
  enterRetryMs?: number;
  /** At most this many extra Enter presses (default 3). */
  maxEnterRetries?: number;
  /** Trust the screen (input box cleared) when no transcript turned up within this time (default 3000 ms). */
  transcriptGraceMs?: number;
  /** Give up confirming after this long (default 30000 ms). */
  timeoutMs?: number;
}

/** How a delivery was confirmed. */
export type ConfirmedBy = 'transcript' | 'screen' | 'none';

/** Result of one delivery. */
export interface DeliveryReport {
  /** How it was confirmed (`none` when `submit` was false: typed, not submitted). */
  confirmedBy: ConfirmedBy;
  /** Enter presses (1 = no retry). */
  enterPresses: number;
  /** `literal` keys or `paste`. */
  method: 'literal' | 'paste';
  /** Milliseconds from typing to confirmation. */
  ms: number;
  /** Index of the turn the message started, when confirmed by transcript. */
  turnIndex?: number;
}

/** What delivery needs. */
export interface DeliveryContext {
  backend: SessionBackendV1;
  name: string;
  provider: ProviderV1;
  tracker: TranscriptTracker;
  tuning: SendTuning;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A short, distinctive piece of the text's last line, to look for in the input box. */
export function screenMarker(text: string): string {
  const lines = normaliseForMatch(text).split('\n').map((l) => l.trim()).filter(Boolean);
  const last = lines[lines.length - 1] ?? '';
  return last.length > 24 ? last.slice(-24) : last;
}

/** The last non-blank lines of the screen, where input boxes live, with runs of whitespace collapsed. */
function inputRegion(screen: string, lines = 6): string {
  const rows = screen.replace(/\s+$/, '').split('\n');
  return rows.slice(Math.max(0, rows.length - lines)).join('\n').replace(/\s+/g, ' ');
}

/** Index of the lowest screen row holding `marker` (the input box is below the history), or -1. */
function markerRow(screen: string, marker: string): number {
  if (marker === '' || screen === '') return -1;
  const rows = screen.split('\n');
  const needle = marker.replace(/\s+/g, ' ');
  for (let i = rows.length - 1; i >= 0; i--) if ((rows[i] ?? '').replace(/\s+/g, ' ').includes(needle)) return i;
  return -1;
}

/**
 * Types `text` into the agent and, when `submit`, presses Enter and waits until the prompt is confirmed:
 * a new transcript turn holding the text (read through the provider's reader), or — when no transcript
 * is available — the text gone from the input box. Enter is pressed again while the text still sits in the
 * input box; the text is never typed twice.
 */
export async function deliverText(ctx: DeliveryContext, text: string, submit: boolean): Promise<DeliveryReport> {
  const { backend, name, tracker, tuning } = ctx;
  const literalMax = tuning.literalMaxChars ?? 200;
  const method: 'literal' | 'paste' =
    text.length <= literalMax && !text.includes('\n') && !text.includes('\t') ? 'literal' : 'paste';
  await tracker.poll().catch(() => undefined);
  const baseline = tracker.lastTurnIndex + 1;
  const marker = screenMarker(text);
  const started = Date.now();
  if (method === 'literal' || !backend.paste) await backend.sendText(name, text);
  else await backend.paste(name, text);
  if (!submit) return { confirmedBy: 'none', enterPresses: 0, method, ms: Date.now() - started };
  await sleep(tuning.settleMs ?? (method === 'paste' ? 25 : 15));
  // The screen before Enter only matters when no transcript confirms (screen fallback): skip the capture otherwise.
  const beforeScreen = tracker.file === null ? await backend.capture(name).catch(() => '') : '';
  const boxRow = markerRow(beforeScreen, marker);
  const boxText = boxRow >= 0 ? beforeScreen.split('\n')[boxRow] : undefined;
  await backend.sendKeys(name, ['Enter']);
  let presses = 1;
  let lastPress = Date.now();
  const timeoutMs = tuning.timeoutMs ?? 30_000;
  const graceMs = tuning.transcriptGraceMs ?? 3000;
  const retryMs = tuning.enterRetryMs ?? 1500;
  const maxRetries = tuning.maxEnterRetries ?? 3;
  for (;;) {
    await sleep(tuning.pollMs ?? 10);
    await tracker.poll().catch(() => undefined);
    const turn = tracker.findTurn(text, baseline);
    if (turn) return { confirmedBy: 'transcript', enterPresses: presses, method, ms: Date.now() - started, turnIndex: turn.index };
    const elapsed = Date.now() - started;
    const noTranscript = tracker.file === null && elapsed >= graceMs;
    const sinceEnter = Date.now() - lastPress;
    if (noTranscript || sinceEnter >= retryMs) {
      const screen = await backend.capture(name).catch(() => null);
      if (screen === null) {
        if (!(await backend.isAlive(name))) throw new TimeoutError(`send to ${name}`, elapsed, 'The agent exited before the message was confirmed; it stays queued for replay.');
      } else {
        const stillThere = marker !== '' && inputRegion(screen).includes(marker.replace(/\s+/g, ' '));
        // Without a transcript: the row that showed the text in the input box now shows something else
        // (cleared, or scrolled by the agent's output); when the text was not visible (a paste placeholder),
        // any change of the screen.
        const boxChanged = boxText !== undefined ? screen.split('\n')[boxRow] !== boxText : screen !== beforeScreen;
        if (noTranscript && boxChanged) {
          return { confirmedBy: 'screen', enterPresses: presses, method, ms: Date.now() - started };
        }
        const pane = ctx.provider.statusFromPane(screen);
        if (stillThere && sinceEnter >= retryMs && presses <= maxRetries && pane?.state !== 'waiting-permission') {
          await backend.sendKeys(name, ['Enter']);
          presses += 1;
          lastPress = Date.now();
        } else if (sinceEnter >= retryMs) {
          lastPress = Date.now();
        }
      }
    }
    if (elapsed >= timeoutMs) {
      throw new TimeoutError(`send to ${name}`, timeoutMs, 'The text was typed but no new turn appeared; it was not retyped. Check the agent with peek().');
    }
  }
}
