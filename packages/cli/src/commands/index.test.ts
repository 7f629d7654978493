import { describe, expect, it } from 'vitest';
import type { CommandIo } from '../command.js';
import { main } from '../main.js';
import { commands } from './index.js';

describe('the lazy command list', () => {
  it('names and summarises each command as its module does', async () => {
    expect(new Set(commands.map((c) => c.name)).size).toBe(commands.length);
    for (const entry of commands) {
      const loaded = await entry.load();
      expect({ name: loaded.name, summary: loaded.summary }).toEqual({ name: entry.name, summary: entry.summary });
      expect(typeof loaded.run).toBe('function');
    }
  });

  it('prints a command\'s usage from its loaded module', async () => {
    let out = '';
    const io: CommandIo = { stdout: (t) => void (out += t), stderr: () => {}, stderrIsTty: false, stdoutIsTty: false, env: {}, cwd: '/' };
    expect(await main(['costs', '--help'], io)).toBe(0);
    expect(out).toMatch(/^Usage: agentmux costs/);
  });
});
