import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  MessageInputSchema,
  ReceiveOptionsSchema,
  type InboxMessage,
  type InboxV1,
  type MessageInput,
  type ReceiveOptions,
} from '../../spec/coordination/inbox-v1.js';
import { listDir } from './board-store.js';
import type { FileContext } from './file-context.js';
import { ensureDir, errnoCode, moveIfPresent, safeUnlink, uniqueSuffix, writeFileAtomic } from './fs-utils.js';
import { checkName, parseOrThrow } from './validate.js';

const DEFAULT_MAX = 10;
const DEFAULT_VISIBILITY_MS = 30_000;

let idCounter = 0;
function newMessageId(): string {
  idCounter = (idCounter + 1) % 2_176_782_336; // 36^6
  return `${String(Date.now()).padStart(14, '0')}-${idCounter.toString(36).padStart(6, '0')}-${uniqueSuffix().replace(/-/g, '')}`;
}

/** `cur/` entry name: `<id>~<visibleAgainAtMs>~<deliveryCount>.json`. */
function curName(id: string, deadline: number, count: number): string {
  return `${id}~${deadline}~${count}.json`;
}
function parseCur(name: string): { id: string; deadline: number; count: number } | undefined {
  const m = /^(.+)~(\d+)~(\d+)\.json$/.exec(name);
  if (!m || !m[1] || !m[2] || !m[3]) return undefined;
  return { id: m[1], deadline: Number(m[2]), count: Number(m[3]) };
}

type Stored = Omit<InboxMessage, 'deliveryCount'>;

/**
 * File inboxes (maildir style): `inboxes/<agent>/new/<id>.json` queued, `cur/<id>~<deadline>~<n>.json`
 * handed out. Receive = rename new → cur (atomic: one receiver wins); redelivery = rename an expired cur
 * entry to a new deadline; ack = unlink. Message files are written once (temp + rename) and never rewritten.
 */
export class FileInbox implements InboxV1 {
  readonly specificationVersion = 'v1' as const;
  constructor(private readonly ctx: FileContext) {}

  private dirs(agent: string): { tmp: string; fresh: string; cur: string } {
    const base = join(this.ctx.root, 'inboxes', agent);
    return { tmp: join(base, 'tmp'), fresh: join(base, 'new'), cur: join(base, 'cur') };
  }

  async send(to: string, message: MessageInput): Promise<InboxMessage> {
    this.ctx.assertOpen();
    checkName(to, 'to');
    const input = parseOrThrow(MessageInputSchema, message, 'message', 'pass { body, from?, subject?, data? }');
    const d = this.dirs(to);
    ensureDir(d.tmp);
    ensureDir(d.fresh);
    const stored: Stored = { id: newMessageId(), to, ...input, sentAt: new Date().toISOString() };
    const tmp = join(d.tmp, `${stored.id}.json`);
    writeFileAtomic(tmp, `${JSON.stringify(stored)}\n`, this.ctx.fsyncLogs);
    if (!moveIfPresent(tmp, join(d.fresh, `${stored.id}.json`))) throw new Error(`inbox temp file vanished: ${tmp}`);
    return { ...stored, deliveryCount: 0 };
  }

  async receive(agent: string, options: ReceiveOptions = {}): Promise<InboxMessage[]> {
    this.ctx.assertOpen();
    checkName(agent, 'agent');
    const opts = parseOrThrow(ReceiveOptionsSchema, options, 'options', 'pass { max?: 1-1000, visibilityTimeoutMs?: ms }');
    const max = opts.max ?? DEFAULT_MAX;
    const visibility = opts.visibilityTimeoutMs ?? DEFAULT_VISIBILITY_MS;
    const d = this.dirs(agent);
    const now = Date.now();
    const out: InboxMessage[] = [];
    // Timed-out deliveries first (they are older).
    for (const name of listDir(d.cur).sort()) {
      if (out.length >= max) break;
      const parsed = parseCur(name);
      if (!parsed || parsed.deadline > now) continue;
      const next = curName(parsed.id, now + visibility, parsed.count + 1);
      if (!moveIfPresent(join(d.cur, name), join(d.cur, next))) continue;
      const msg = this.load(join(d.cur, next), parsed.count + 1);
      if (msg) out.push(msg);
    }
    if (out.length < max) {
      ensureDir(d.cur);
      for (const name of listDir(d.fresh).sort()) {
        if (out.length >= max) break;
        if (!name.endsWith('.json')) continue;
        const id = name.slice(0, -5);
        const next = curName(id, now + visibility, 1);
        if (!moveIfPresent(join(d.fresh, name), join(d.cur, next))) continue;
        const msg = this.load(join(d.cur, next), 1);
        if (msg) out.push(msg);
      }
    }
    return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  private load(path: string, deliveryCount: number): InboxMessage | undefined {
    try {
      const stored = JSON.parse(readFileSync(path, 'utf8')) as Stored;
      return { ...stored, deliveryCount };
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return undefined; // acked meanwhile
      throw error;
    }
  }

  async ack(agent: string, id: string): Promise<boolean> {
    this.ctx.assertOpen();
    checkName(agent, 'agent');
    const d = this.dirs(agent);
    let removed = false;
    for (const name of listDir(d.cur)) {
      if (name.startsWith(`${id}~`) && safeUnlink(join(d.cur, name))) removed = true;
    }
    return removed;
  }

  async pending(agent: string): Promise<{ queued: number; inFlight: number }> {
    this.ctx.assertOpen();
    checkName(agent, 'agent');
    const d = this.dirs(agent);
    const now = Date.now();
    let queued = listDir(d.fresh).filter((n) => n.endsWith('.json')).length;
    let inFlight = 0;
    for (const name of listDir(d.cur)) {
      const parsed = parseCur(name);
      if (!parsed) continue;
      if (parsed.deadline > now) inFlight += 1;
      else queued += 1;
    }
    return { queued, inFlight };
  }
}
