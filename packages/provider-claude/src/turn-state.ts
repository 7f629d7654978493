import { addUsage, emptyUsage, type ToolSpan, type Turn, type Usage } from '@agentmux/core';

/** Longest user or assistant text kept on a turn (characters). */
export const MAX_TURN_TEXT = 4096;

/** Appends `part` to `text` (newline-separated), keeping at most `MAX_TURN_TEXT` characters. */
export function appendCapped(text: string, part: string): string {
  if (part.length === 0 || text.length >= MAX_TURN_TEXT) return text;
  const joined = text.length === 0 ? part : `${text}\n${part}`;
  return joined.length <= MAX_TURN_TEXT ? joined : `${joined.slice(0, MAX_TURN_TEXT - 1)}…`;
}

/** One deduplicated API response (usage kept at its largest total). */
export interface ResponseUsage {
  turnIndex: number | undefined;
  usage: Usage;
  total: number;
  sidechain: boolean;
}

/** A turn being assembled. */
export class TurnState {
  readonly index: number;
  readonly sessionId: string;
  readonly startedAt: string;
  endedAt: string | undefined;
  /** Latest record time inside the turn. */
  lastAt: string;
  userText: string;
  assistantText = '';
  readonly tools: ToolSpan[] = [];
  /** Dedup keys of the responses counted in this turn. */
  readonly responseKeys = new Set<string>();
  /** Usage of lines without `message.id` (never deduplicated). */
  readonly unkeyedUsage: Usage = emptyUsage();
  model: string | undefined;
  failed = false;

  constructor(index: number, sessionId: string, startedAt: string, userText: string) {
    this.index = index;
    this.sessionId = sessionId;
    this.startedAt = startedAt;
    this.lastAt = startedAt;
    this.userText = appendCapped('', userText);
  }

  /** A plain copy in the core `Turn` shape, usage summed from the deduplicated responses. */
  snapshot(responses: ReadonlyMap<string, ResponseUsage>): Turn {
    const usage = addUsage(emptyUsage(), this.unkeyedUsage);
    for (const key of this.responseKeys) {
      const response = responses.get(key);
      if (response) addUsage(usage, response.usage);
    }
    const turn: Turn = {
      index: this.index,
      sessionId: this.sessionId,
      startedAt: this.startedAt,
      userText: this.userText,
      assistantText: this.assistantText,
      tools: this.tools.map((t) => ({ ...t })),
      usage,
    };
    if (this.endedAt !== undefined) turn.endedAt = this.endedAt;
    if (this.model !== undefined) turn.model = this.model;
    if (this.failed) turn.failed = true;
    return turn;
  }
}
