#!/bin/sh
# Brings what the project needs onto this machine, quickly when it is already there:
# npm packages (which include Node 24, so the system Node is never touched), then the native prerequisites.
# Runs under whatever Node the machine has (20 here): nothing before `npm ci` may need Node 24.
set -eu
cd "$(dirname "$0")/.."

if ! command -v npm >/dev/null 2>&1; then
  echo "npm was not found: install Node.js 20 or later with npm, then run this again." >&2
  exit 1
fi

# node_modules/.afwd-lock is the lock file node_modules was installed from; any difference means reinstall.
if [ ! -x node_modules/.bin/node ] || ! cmp -s package-lock.json node_modules/.afwd-lock; then
  # Progress goes to stderr: stdout belongs to the command run after the bootstrap (`npm run backtest -- --json`).
  echo "Installing npm packages (Node 24 included)..." >&2
  # `npm install` from the lock file, not `npm ci`: this npm records no lock entries for other platforms'
  # optional packages (esbuild, swc, astro compiler bindings), and `npm ci` then refuses the lock as out of sync.
  # --no-save keeps the committed lock file untouched.
  npm install --no-save --no-audit --no-fund --loglevel=error >&2
  cp package-lock.json node_modules/.afwd-lock
fi

exec node_modules/.bin/node infra/bootstrap.ts "$@"
