#!/bin/sh
# Usage: wasock-prune <package name> <out dir>
# Copies the root manifests, the root node_modules (after a filtered --prod install it holds only
# that app's production dependencies), the app and the workspace packages it depends on into
# <out dir>, without their tests. The node_modules links of each package are kept, so imports
# resolve exactly as in the repository.
set -eu
pkg="$1"
out="$2"
mkdir -p "$out"
cp -a package.json pnpm-workspace.yaml node_modules "$out/"
pnpm ls --filter-prod "${pkg}..." --depth -1 --parseable | while read -r dir; do
  rel="${dir#"$PWD"/}"
  cp -a --parents "$rel" "$out/"
done
find "$out" -path "$out/node_modules" -prune -o -type f \( -name '*.test.ts' -o -name 'tsconfig.json' \) -print \
  | xargs -r rm -f
test -n "$(ls "$out/apps" "$out/packages" 2>/dev/null)" || { echo "wasock-prune: nothing selected by ${pkg}" >&2; exit 1; }
