#!/usr/bin/env bash
# Refreshes types/electron/electron.d.ts from the Electron version pinned in package.json.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(node -p "require('./package.json').optionalDependencies.electron")
tmp=$(mktemp -d)
(cd "$tmp" && npm pack "electron@$version" >/dev/null && tar xzf "electron-$version.tgz" package/electron.d.ts)
cp "$tmp/package/electron.d.ts" types/electron/electron.d.ts
rm -rf "$tmp"
echo "types/electron/electron.d.ts <- electron@$version"
