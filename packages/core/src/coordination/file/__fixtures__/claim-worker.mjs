// Fault-test claimer: claims and completes tasks until the board stays empty; after each complete()
// RETURNS it appends "<id>\n" to the ack file (one write). argv: modulePath dir ackFile leaseMs workMs
import { closeSync, openSync, writeSync } from 'node:fs';

const [, , modulePath, dir, ackFile, leaseMs, workMs = '0'] = process.argv;
const { createFileCoordination } = await import(modulePath);
const backend = await createFileCoordination({ dir, recover: false });
const fd = openSync(ackFile, 'a');
process.send?.({ ready: true });
let idle = 0;
while (idle < 50) {
  const claim = await backend.board.claim({ worker: `w${process.pid}`, leaseMs: Number(leaseMs) });
  if (!claim) {
    idle += 1;
    await new Promise((r) => setTimeout(r, 20));
    continue;
  }
  idle = 0;
  if (Number(workMs) > 0) await new Promise((r) => setTimeout(r, Number(workMs) * (0.5 + Math.random())));
  try {
    await claim.complete({ by: process.pid });
    writeSync(fd, `${claim.task.id}\n`);
  } catch (error) {
    if (error?.code !== 'AGENTMUX_LEASE_LOST') throw error;
  }
}
closeSync(fd);
await backend[Symbol.asyncDispose]();
process.exit(0);
