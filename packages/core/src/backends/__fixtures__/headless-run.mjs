#!/usr/bin/env node
// A fake non-interactive run: prints JSON lines about one turn for the prompt in argv[2], then exits
// with $HEADLESS_EXIT (default 0). A line that is not JSON is printed too, to be skipped.
const prompt = process.argv[2] ?? '';
const say = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);
say({ event: 'start', session: 'headless-1' });
process.stdout.write('not json\n');
say({ event: 'tool', id: 't1', name: 'Bash' });
process.stderr.write('some stderr\n');
setTimeout(() => {
  say({ event: 'done', prompt, tokens: 42 });
  process.exit(Number(process.env.HEADLESS_EXIT ?? 0));
}, Number(process.env.HEADLESS_DELAY_MS ?? 50));
