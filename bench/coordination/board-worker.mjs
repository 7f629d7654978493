// One worker process of board-bench.mjs / the kill test: claims and completes tasks until the board is empty.
import { fileBackendModule } from './bench-util.mjs';

const { createFileCoordination } = await import(fileBackendModule);

process.on('message', async (msg) => {
  if (!msg?.go) return;
  try {
    const backend = await createFileCoordination({ dir: msg.dir, recover: false });
    const done = [];
    let empty = 0;
    while (empty < 3) {
      const claim = await backend.board.claim({ worker: `w${process.pid}`, leaseMs: 60_000 });
      if (!claim) {
        empty += 1;
        await new Promise((r) => setTimeout(r, 10));
        continue;
      }
      empty = 0;
      await claim.complete({ ok: true });
      done.push(claim.task.id);
    }
    await backend[Symbol.asyncDispose]();
    process.send({ done: true, ids: done });
  } catch (error) {
    process.send({ error: String(error?.stack ?? error) });
  }
});
process.on('disconnect', () => process.exit(0));
process.send({ ready: true });
