import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgumentError } from '../errors/index.js';
import { appendLineDurable, readJsonFile, writeJsonAtomic } from './atomic-file.js';
import { AgentRecordSchema, QueuedMessageSchema, type AgentRecord, type QueuedMessage } from './agent-record.js';

/**
 * On-disk state of a fleet under `stateDir`:
 * `agents/<name>.json` (the record), `agents/<name>/queue.json` (undelivered messages),
 * `agents/<name>/delivered-keys.jsonl` (idempotency keys, append + fsync), `agents/<name>/output.log`.
 */
export class AgentStore {
  constructor(readonly stateDir: string) {}

  /** Record path of an agent. */
  recordPath(name: string): string {
    return join(this.stateDir, 'agents', `${name}.json`);
  }

  /** Per-agent state directory. */
  agentDir(name: string): string {
    return join(this.stateDir, 'agents', name);
  }

  /** Output log path. */
  logPath(name: string): string {
    return join(this.agentDir(name), 'output.log');
  }

  /** Saves a record atomically. */
  async save(record: AgentRecord): Promise<void> {
    await writeJsonAtomic(this.recordPath(record.name), record);
  }

  /** Loads one record; `null` when absent. A corrupt file is an error naming the file. */
  async load(name: string): Promise<AgentRecord | null> {
    const path = this.recordPath(name);
    let raw: unknown;
    try {
      raw = await readJsonFile(path);
    } catch (error) {
      throw new InvalidArgumentError(path, 'is not valid JSON', 'restore or delete the file', { cause: error });
    }
    if (raw === null) return null;
    const parsed = AgentRecordSchema.safeParse(raw);
    if (!parsed.success) {
      throw new InvalidArgumentError(path, `does not hold an agent record (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message})`, 'restore or delete the file', { cause: parsed.error });
    }
    return parsed.data;
  }

  /** Names of all stored agents. */
  names(): string[] {
    const dir = join(this.stateDir, 'agents');
    if (!existsSync(dir)) return [];
    return readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
  }

  /** Deletes an agent's record and state directory. */
  async remove(name: string): Promise<void> {
    await rm(this.recordPath(name), { force: true });
    await rm(this.agentDir(name), { recursive: true, force: true });
  }

  /** The agent's undelivered messages, oldest first. */
  async queue(name: string): Promise<QueuedMessage[]> {
    const raw = await readJsonFile(join(this.agentDir(name), 'queue.json')).catch(() => null);
    const parsed = QueuedMessageSchema.array().safeParse(raw ?? []);
    return parsed.success ? parsed.data : [];
  }

  /** Replaces the queue atomically. */
  async saveQueue(name: string, queue: readonly QueuedMessage[]): Promise<void> {
    await writeJsonAtomic(join(this.agentDir(name), 'queue.json'), queue);
  }

  /** Reads the keys from disk every time: another process (the CLI) may have added some. */
  private loadKeys(name: string): Set<string> {
    const set = new Set<string>();
    const path = join(this.agentDir(name), 'delivered-keys.jsonl');
    if (existsSync(path)) {
      for (const line of readFileSync(path, 'utf8').split('\n')) {
        if (!line) continue;
        try {
          const key = (JSON.parse(line) as { key?: unknown }).key;
          if (typeof key === 'string') set.add(key);
        } catch {
          // a torn last line from a crash: ignore it
        }
      }
    }
    return set;
  }

  /** True when a message with this idempotency key was delivered. */
  hasDeliveredKey(name: string, key: string): boolean {
    return this.loadKeys(name).has(key);
  }

  /** Records a delivered key durably (append + fsync). */
  async addDeliveredKey(name: string, key: string, messageId: string): Promise<void> {
    await appendLineDurable(join(this.agentDir(name), 'delivered-keys.jsonl'), JSON.stringify({ key, messageId, at: new Date().toISOString() }));
  }
}
