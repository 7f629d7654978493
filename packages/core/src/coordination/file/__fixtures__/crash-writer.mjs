// Fault-test writer: opens the file backend (transpiled module path in argv[2]) on argv[3] and writes
// forever: activity events, tasks, inbox messages, claims+completions. After each call RETURNS it appends
// "<kind> <key>\n" to the ack file argv[4] (one write, so a kill -9 never tears an ack). argv[5]: key prefix.
import { closeSync, openSync, writeSync } from 'node:fs';

const [, , modulePath, dir, ackFile, prefix] = process.argv;
const { createFileCoordination } = await import(modulePath);
const backend = await createFileCoordination({ dir, recover: false });
const fd = openSync(ackFile, 'a');
process.send?.({ ready: true });
try {
  for (let i = 0; ; i += 1) {
    const key = `${prefix}-${i}`;
    switch (i % 4) {
      case 0:
        await backend.activity.append({ actor: prefix, type: 'item-written', payload: { key } });
        writeSync(fd, `activity ${key}\n`);
        break;
      case 1:
        await backend.board.add({ id: key, title: key, payload: { key } });
        writeSync(fd, `task ${key}\n`);
        break;
      case 2: {
        const m = await backend.inboxes.send('crash-inbox', { body: key });
        writeSync(fd, `message ${m.id}\n`);
        break;
      }
      default: {
        const claim = await backend.board.claim({ worker: prefix, leaseMs: 60_000 });
        if (claim) {
          await claim.complete({ key });
          writeSync(fd, `done ${claim.task.id}\n`);
        }
      }
    }
  }
} finally {
  closeSync(fd);
}
