#!/usr/bin/env bash
# A service's production bundle, the same commands in the image's build stage and in CI
# (deploy/verify-bundles.sh): `turbo prune <package> --docker`, a clean install from the pruned
# lockfile (better-sqlite3 compiles here), a build of the package and its workspace dependencies,
# then only production dependencies kept and build-only files removed. The bundle is self-contained:
# `<out-dir>/start` runs the service from anywhere.
#
#   deploy/bundle.sh <workspace-package> <out-dir>     e.g. deploy/bundle.sh @supergraph/router /tmp/router
set -euo pipefail

usage() { echo "usage: deploy/bundle.sh <workspace-package> <out-dir> (e.g. @supergraph/users /tmp/users)" >&2; exit 2; }
[[ $# -eq 2 ]] || usage
package="$1"
out="$2"
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if [[ -e "$out" && -n "$(ls -A "$out" 2>/dev/null)" ]]; then
  echo "bundle.sh: $out is not empty; give a new or empty directory" >&2
  exit 2
fi
package_dir="$(cd "$repo" && node -e '
  const [name] = process.argv.slice(1);
  const lock = require("./package-lock.json");
  const entry = Object.entries(lock.packages).find(([path, meta]) => !path.includes("node_modules") && meta.name === name);
  if (!entry) { console.error(`bundle.sh: no workspace package is named ${name}`); process.exit(2); }
  console.log(entry[0]);
' "$package")"

# The repository's turbo when it is installed (CI, a developer); otherwise (the image's build stage,
# which copies sources only) the exact version the lockfile pins.
turbo=("$repo/node_modules/.bin/turbo")
if [[ ! -x "${turbo[0]}" ]]; then
  turbo=(npx --yes "turbo@$(cd "$repo" && node -p 'require("./package-lock.json").packages["node_modules/turbo"].version')")
fi
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1

mkdir -p "$out"
out="$(cd "$out" && pwd)"
pruned="$(mktemp -d)"
trap 'rm -rf "$pruned"' EXIT

(cd "$repo" && "${turbo[@]}" prune "$package" --docker --out-dir "$pruned" >/dev/null)
cp -a "$pruned/full/." "$out/"
cp "$pruned/package-lock.json" "$out/package-lock.json"
# Install and build inputs turbo prune leaves out: the patches the root package's postinstall
# applies (patch-package; docs/decisions/029-node-versions.md) and the shared compiler settings.
cp -a "$repo/patches" "$out/patches"
cp "$repo/tsconfig.base.json" "$out/"

cd "$out"
npm ci --no-audit --no-fund --loglevel=error
node -e "new (require('better-sqlite3'))(':memory:').prepare('select 1').get()" \
  || { echo "bundle.sh: better-sqlite3 did not build during npm ci" >&2; exit 1; }
"$out/node_modules/.bin/turbo" run build --filter="$package" --output-logs=errors-only

# What the service reads at run time besides its package: the router's supergraph and the persisted
# query list it serves in safelist mode (their default paths, relative to the bundle's root).
if [[ "$package" == "@supergraph/router" ]]; then
  cp "$repo/supergraph.graphql" "$out/supergraph.graphql"
  mkdir -p "$out/operations/__generated__"
  cp "$repo/operations/__generated__/persisted-query-manifest.json" "$out/operations/__generated__/"
fi

npm prune --omit=dev --no-audit --no-fund --loglevel=error
# Sources, tests and build settings stay behind: the service runs from dist/ (schema.graphql and
# migrations/ of a subgraph stay beside it).
rm -rf .turbo node_modules/.cache tsconfig.base.json turbo.json patches
for dir in packages/* subgraphs/* router; do
  [[ -d "$dir" ]] || continue
  rm -rf "$dir"/{src,test,.turbo} "$dir"/tsconfig*.json "$dir"/vitest.config.ts "$dir"/drizzle.*.config.ts
  find "$dir/dist" -name '*.map' -delete 2>/dev/null || true
done

# The package's own start script, its last command exec'd so the service is the process that
# receives signals (subgraphs: `node dist/cli.js setup && exec node dist/index.js`).
start_script="$(node -p 'require(process.argv[1]).scripts.start' "$out/$package_dir/package.json")"
cat >"$out/start" <<START
#!/bin/sh
# Starts $package from this bundle: $start_script
cd "\$(dirname "\$0")/$package_dir" || exit 1
$(echo "$start_script" | sed -E 's/(^|&& )node ([^&]*)$/\1exec node \2/')
START
chmod +x "$out/start"
echo "bundle.sh: $package in $out ($(du -sh "$out" | cut -f1))"
