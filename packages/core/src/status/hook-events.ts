import type { AgentState, StatusEvidence } from '../spec/agent-status.js';

/**
 * One Claude Code hook event as recorded by the hook script: only the fields that carry status, never prompt
 * text, tool input/output or assistant messages (they may hold secrets).
 */
export interface ClaudeHookEvent {
  /** `hook_event_name`, e.g. `PreToolUse`. */
  event: string;
  /** `session_id`. */
  sessionId: string;
  /** ISO-8601 time the hook script ran. */
  receivedAt: string;
  /** `cwd` of the session. */
  cwd?: string;
  /** `transcript_path`. */
  transcriptPath?: string;
  /** `notification_type` (or one derived from the message by the script). */
  notificationType?: string;
  /** `tool_name` for tool events. */
  toolName?: string;
  /** `error_type` for `StopFailure`. */
  errorType?: string;
  /** `agent_id` inside subagents. */
  agentId?: string;
  /** `source` of `SessionStart`, `reason` of `SessionEnd`, `trigger` of `PreCompact`. */
  reason?: string;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v.slice(0, 200) : undefined;
}

/** Validates one recorded line; `null` for anything that is not a hook event with a session id. */
export function parseHookEventLine(line: string): ClaudeHookEvent | null {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  const event = str(r['hook_event_name']);
  const sessionId = str(r['session_id']);
  const receivedAt = str(r['received_at']);
  if (!event || !sessionId || !receivedAt || Number.isNaN(Date.parse(receivedAt))) return null;
  const out: ClaudeHookEvent = { event, sessionId, receivedAt };
  const optional: [keyof ClaudeHookEvent, string][] = [
    ['cwd', 'cwd'],
    ['transcriptPath', 'transcript_path'],
    ['notificationType', 'notification_type'],
    ['toolName', 'tool_name'],
    ['errorType', 'error_type'],
    ['agentId', 'agent_id'],
    ['reason', 'reason'],
  ];
  for (const [key, field] of optional) {
    const v = str(r[field]);
    if (v) out[key] = v;
  }
  return out;
}

/**
 * Maps a hook event to status evidence (all strong: hooks are the exact source), or `null` for events that say
 * nothing about the state (`SubagentStop`, unknown notifications, unknown events).
 */
export function evidenceFromHookEvent(e: ClaudeHookEvent): StatusEvidence | null {
  let state: AgentState | null = null;
  let rule = `claude.hook.${e.event}`;
  let detail: string | undefined;
  switch (e.event) {
    case 'SessionStart':
      state = 'idle';
      detail = e.reason ? `source ${e.reason}` : undefined;
      break;
    case 'UserPromptSubmit':
    case 'PreCompact':
      state = 'working';
      break;
    case 'PreToolUse':
    case 'PostToolUse':
    case 'PostToolUseFailure':
      state = 'working';
      detail = e.toolName ? `tool ${e.toolName}` : undefined;
      break;
    case 'PermissionRequest':
      state = 'waiting-permission';
      detail = e.toolName ? `tool ${e.toolName}` : undefined;
      break;
    case 'Notification':
      if (e.notificationType === 'permission_prompt') state = 'waiting-permission';
      else if (e.notificationType === 'idle_prompt') state = 'idle';
      rule = `claude.hook.Notification.${e.notificationType ?? 'unknown'}`;
      break;
    case 'Stop':
      state = 'idle';
      break;
    case 'StopFailure':
      state = 'error';
      detail = e.errorType ? `error ${e.errorType}` : undefined;
      break;
    case 'SessionEnd':
      state = 'exited';
      detail = e.reason ? `reason ${e.reason}` : undefined;
      break;
    default:
      state = null;
  }
  if (!state) return null;
  return { source: 'hook', state, rule, at: e.receivedAt, strength: 'strong', ...(detail ? { detail } : {}) };
}
