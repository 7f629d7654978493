/** Fields of a hook's stdin JSON kept by the script: status only, never prompts, tool input/output or messages. */
export const KEPT_HOOK_FIELDS = [
  'session_id',
  'hook_event_name',
  'cwd',
  'transcript_path',
  'notification_type',
  'tool_name',
  'tool_use_id',
  'error_type',
  'agent_id',
  'agent_type',
  'source',
  'reason',
  'trigger',
  'permission_mode',
] as const;

/**
 * Source of the hook script: reads one JSON object from stdin, keeps `KEPT_HOOK_FIELDS`, derives a
 * `notification_type` from a notification's message when missing (the message itself is dropped), stamps
 * `received_at`, appends one line with a single `write` on an `O_APPEND` descriptor, fsyncs, and exits 0 whatever
 * happens (a hook must never block the agent). `source` and `reason` are folded into `reason`.
 */
export function hookScriptSource(eventsPath: string, nodePath: string): string {
  return `#!${nodePath}
// agentmux: records Claude Code hook events for live status. Generated; do not edit.
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
const OUT = ${JSON.stringify(eventsPath)};
const KEEP = ${JSON.stringify(KEPT_HOOK_FIELDS)};
let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => { if (input.length < 8_000_000) input += chunk; });
process.stdin.on('end', () => {
  try {
    const ev = JSON.parse(input);
    const rec = {};
    for (const k of KEEP) if (typeof ev[k] === 'string' || typeof ev[k] === 'boolean') rec[k] = ev[k];
    if (rec.source !== undefined && rec.reason === undefined) rec.reason = rec.source;
    if (rec.trigger !== undefined && rec.reason === undefined) rec.reason = rec.trigger;
    if (rec.notification_type === undefined && typeof ev.message === 'string') {
      if (/permission/i.test(ev.message)) rec.notification_type = 'permission_prompt';
      else if (/waiting for your input/i.test(ev.message)) rec.notification_type = 'idle_prompt';
    }
    rec.received_at = new Date().toISOString();
    const fd = openSync(OUT, 'a', 0o600);
    try { writeSync(fd, JSON.stringify(rec) + '\\n'); fsyncSync(fd); } finally { closeSync(fd); }
  } catch {}
  process.exit(0);
});
`;
}
