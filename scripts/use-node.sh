# Source this file (`. scripts/use-node.sh [major]`) to run suqiu on Node.js
# `major` (24 by default, the LTS suqiu targets) where the machine's own node
# is another version: the binary comes from the npm registry's node-linux-<arch>
# package, which also carries the headers node-gyp needs to build
# better-sqlite3 (npm_config_nodedir), so no other download is needed.
# Kept under ${SUQIU_NODE_CACHE:-~/.cache/suqiu-node}, once per version.

suqiu_use_node() {
  local major="${1:-24}"
  local have
  have="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
  if [ "$have" = "$major" ]; then
    return 0
  fi
  local arch
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) echo "use-node: no node-linux package for $(uname -m)" >&2; return 1 ;;
  esac
  local cache="${SUQIU_NODE_CACHE:-$HOME/.cache/suqiu-node}"
  local version
  version="$(npm view "node-linux-${arch}@${major}" version --json 2>/dev/null | tr -d '[]", ' | grep -E '^[0-9]' | sort -V | tail -1)"
  if [ -z "$version" ]; then
    echo "use-node: the npm registry has no node-linux-${arch}@${major}" >&2
    return 1
  fi
  local dir="$cache/node-v${version}-linux-${arch}"
  if [ ! -x "$dir/bin/node" ]; then
    mkdir -p "$cache"
    local work
    work="$(mktemp -d)"
    (cd "$work" && npm pack --silent "node-linux-${arch}@${version}" >/dev/null && tar xzf ./*.tgz) || { rm -rf "$work"; echo "use-node: could not fetch node-linux-${arch}@${version}" >&2; return 1; }
    rm -rf "$dir"
    mv "$work/package" "$dir"
    rm -rf "$work"
  fi
  export PATH="$dir/bin:$PATH"
  # node-gyp builds native addons against this node's own headers, shipped in the package.
  export npm_config_nodedir="$dir"
  hash -r
}

suqiu_use_node "$@"
