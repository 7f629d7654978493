#!/usr/bin/env node
// Writes {argv, cwd, env: {ARGV_DUMP_*}} to $ARGV_OUT, then waits (or exits with $ARGV_EXIT when set).
import { writeFileSync, renameSync } from 'node:fs';

const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('ARGV_DUMP_')));
const out = process.env.ARGV_OUT;
if (out) {
  writeFileSync(`${out}.tmp`, JSON.stringify({ argv: process.argv.slice(2), cwd: process.cwd(), env }));
  renameSync(`${out}.tmp`, out);
}
process.stdout.write('argv-dump ready\r\n');
if (process.env.ARGV_EXIT !== undefined) process.exit(Number(process.env.ARGV_EXIT));
if (process.env.ARGV_IGNORE_TERM === '1') process.on('SIGTERM', () => process.stdout.write('ignoring SIGTERM\r\n'));
setInterval(() => {}, 1 << 30);
