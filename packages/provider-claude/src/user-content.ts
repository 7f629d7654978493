import { ClaudeToolResultBlockSchema } from './schema.js';

/** A `tool_result` block of a user line, validated. */
export interface ToolResultInfo {
  toolUseId: string;
  isError: boolean;
  content: unknown;
}

/** What a user line's content holds. */
export interface UserContent {
  /** Text of the string content or of the `text` blocks, joined with newlines. */
  text: string;
  /** Tool results carried by the line. */
  toolResults: ToolResultInfo[];
  /** Blocks that failed validation. */
  invalidBlocks: number;
}

/** Splits a user `message.content` into prompt text and tool results. */
export function readUserContent(content: string | readonly { type: string }[]): UserContent {
  if (typeof content === 'string') return { text: content, toolResults: [], invalidBlocks: 0 };
  const texts: string[] = [];
  const toolResults: ToolResultInfo[] = [];
  let invalidBlocks = 0;
  let attachments = 0;
  for (const block of content) {
    if (block.type === 'image' || block.type === 'document') attachments += 1;
    if (block.type === 'text') {
      const text = (block as { text?: unknown }).text;
      if (typeof text === 'string') texts.push(text);
      else invalidBlocks += 1;
    } else if (block.type === 'tool_result') {
      const parsed = ClaudeToolResultBlockSchema.safeParse(block);
      if (parsed.success) {
        toolResults.push({
          toolUseId: parsed.data.tool_use_id,
          isError: parsed.data.is_error === true,
          content: parsed.data.content,
        });
      } else invalidBlocks += 1;
    }
  }
  // A prompt that is only a pasted image or document is still a prompt.
  if (texts.length === 0 && toolResults.length === 0 && attachments > 0) texts.push(`[${attachments} attachment${attachments > 1 ? 's' : ''}]`);
  return { text: texts.join('\n'), toolResults, invalidBlocks };
}

/** How a user line's text is to be read. */
export type PromptKind = 'prompt' | 'interrupt' | 'command-output' | 'empty';

const INTERRUPT = /^\[Request interrupted by user/;
const LOCAL_OUTPUT = /^\s*<(local-command-stdout|local-command-stderr|local-command-caveat)>/;
const COMMAND_NAME = /<command-name>([^<]*)<\/command-name>/;
const COMMAND_ARGS = /<command-args>([^<]*)<\/command-args>/;

/** Classifies the text of a main-chain user line. */
export function classifyPrompt(text: string): PromptKind {
  if (text.trim().length === 0) return 'empty';
  if (INTERRUPT.test(text)) return 'interrupt';
  if (LOCAL_OUTPUT.test(text)) return 'command-output';
  return 'prompt';
}

/** The prompt as the user typed it: `<command-name>/x</command-name><command-args>y</command-args>` → `/x y`. */
export function promptText(text: string): string {
  const name = COMMAND_NAME.exec(text)?.[1];
  if (name === undefined) return text;
  const args = COMMAND_ARGS.exec(text)?.[1]?.trim();
  const command = name.trim();
  return args ? `${command} ${args}` : command;
}
