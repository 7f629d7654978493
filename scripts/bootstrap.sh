#!/usr/bin/env bash
# Sets up a fresh machine (Node 20 + npm) for agentmux: pnpm, tmux, redis-server, simdjson, dependencies, build.
# Idempotent: re-running only does what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v tmux >/dev/null 2>&1 || need_apt+=(tmux)
command -v redis-server >/dev/null 2>&1 || need_apt+=(redis-server)
# simdjson for the native Claude usage scan (packages/provider-claude/native); without it the TypeScript scan runs.
[ -f /usr/include/simdjson.h ] || need_apt+=(libsimdjson-dev)
command -v g++ >/dev/null 2>&1 || need_apt+=(g++ make python3)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "bootstrap: installing ${need_apt[*]} (Debian packages)" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
  # The Debian package may start a system redis; tests start their own on private ports.
fi

if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null | cut -d. -f1)" != "9" ]; then
  echo "bootstrap: installing pnpm 9 with npm" >&2
  npm install -g pnpm@9.15.9 >/dev/null
fi

pnpm install --frozen-lockfile
pnpm build
