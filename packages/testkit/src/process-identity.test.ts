import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { isSameProcessAlive, processStartTicks } from './process-identity.js';

describe('process identity', () => {
  it('knows a live process by pid and start time, and sees it gone after it exits', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    const pid = child.pid as number;
    const ticks = processStartTicks(pid);
    expect(ticks).not.toBeNull();
    expect(isSameProcessAlive(pid, ticks)).toBe(true);
    expect(isSameProcessAlive(pid, (ticks as number) + 1)).toBe(false); // a reused pid has another start time
    child.kill('SIGKILL');
    await once(child, 'exit');
    expect(isSameProcessAlive(pid, ticks)).toBe(false);
    expect(processStartTicks(process.pid)).toBeGreaterThan(0);
  });
});
