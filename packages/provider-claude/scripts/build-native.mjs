#!/usr/bin/env node
// Builds the native Claude usage scan (native/, C++ with simdjson) with node-gyp. It is optional: without a C++
// compiler or libsimdjson-dev the build says so and the TypeScript scan is used (`nativeClaudeScanStatus()` tells
// which one runs). AGENTMUX_NATIVE=0 skips it; AGENTMUX_NATIVE=1 makes a failed build an error (CI sets neither: the
// tests check the native scan whenever it is built).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const mode = process.env.AGENTMUX_NATIVE;
const skip = (why) => {
  console.warn(`provider-claude: native usage scan not built (${why}); the TypeScript scan will be used.`);
  process.exit(mode === '1' ? 1 : 0);
};
if (mode === '0') {
  console.warn('provider-claude: AGENTMUX_NATIVE=0: native usage scan not built.');
  process.exit(0);
}
const simdjson = ['/usr/include/simdjson.h', '/usr/local/include/simdjson.h'].find((p) => existsSync(p));
if (!simdjson) skip('simdjson.h not found: apt-get install libsimdjson-dev');
let gyp;
try {
  gyp = createRequire(join(root, 'package.json')).resolve('node-gyp/bin/node-gyp.js');
} catch {
  skip('node-gyp is not installed (pnpm install)');
}
// Node's own headers when the machine has them (Debian's nodejs, or a Node install with include/node); node-gyp
// would otherwise download them.
const prefix = dirname(dirname(process.execPath));
const args = [gyp, 'rebuild', '-C', join(root, 'native'), '--loglevel=warn'];
if (existsSync(join(prefix, 'include/node/node_api.h'))) args.push(`--nodedir=${prefix}`);
const r = spawnSync(process.execPath, [...args, '-j', 'max'], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
if (r.status !== 0) {
  process.stderr.write(r.stdout + r.stderr.split('\n').filter((l) => !/warning:|note:|^\s+\||In (file included|member function|function)|inlined from/.test(l)).join('\n'));
  skip(`node-gyp failed with exit code ${r.status}`);
}
console.log('provider-claude: native usage scan built (native/build/Release/claude_usage_scan.node)');
