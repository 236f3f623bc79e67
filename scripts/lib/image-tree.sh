# Lays out the production image's file tree (packages/backend/Dockerfile) in a directory,
# without Docker: the same skeleton, the same `yarn workspaces focus --all --production`, the
# same bundle and the same files, so scripts/test.sh runs exactly what the image runs.
# Needs `yarn build:all` first (packages/backend/dist/{skeleton,bundle}.tar.gz).
# shellcheck shell=bash

# What the Dockerfile COPYs besides the skeleton and the bundle, relative to the repository root:
# before the dependency install, and after it. packages/backend/src/productionConfig.test.ts
# checks that the Dockerfile copies exactly these.
IMAGE_YARN_FILES=(.yarnrc.yml backstage.json yarn.lock package.json)
IMAGE_FILES=(catalog-info.yaml K8s templates app-config.yaml app-config.production.yaml)

# image_tree_lay_out DEST: DEST must not exist; prints nothing but yarn's output
image_tree_lay_out() {
  local dest="$1" root="${REPO_ROOT:?source scripts/env.sh first}" item
  local dist="$root/packages/backend/dist"
  if [ ! -f "$dist/skeleton.tar.gz" ] || [ ! -f "$dist/bundle.tar.gz" ]; then
    echo "[image-tree] $dist has no skeleton.tar.gz/bundle.tar.gz: run yarn build:all first" >&2
    return 1
  fi
  mkdir -p "$dest"
  for item in "${IMAGE_YARN_FILES[@]}"; do
    cp "$root/$item" "$dest/"
  done
  tar xzf "$dist/skeleton.tar.gz" -C "$dest"
  # NODE_ENV=production as in the image; Yarn's global cache is shared with the workspace install
  (cd "$dest" && NODE_ENV=production yarn workspaces focus --all --production)
  for item in "${IMAGE_FILES[@]}"; do
    cp -R "$root/$item" "$dest/"
  done
  tar xzf "$dist/bundle.tar.gz" -C "$dest"
}
