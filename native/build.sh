#!/bin/sh
# Optional: build the OpenBLAS Node-API addon used by the native training path of src/nn.
# Needs a C compiler, Debian's libopenblas-dev (cblas.h) and node's headers (node_api.h).
# Never part of `npm ci`: when this is not built, src/nn uses the wasm engine instead.
set -e
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$here/build"
nodeinc=""
for d in "$(dirname "$(dirname "$(command -v node)")")/include/node" /usr/include/node /usr/local/include/node; do
  if [ -f "$d/node_api.h" ]; then nodeinc="$d"; break; fi
done
[ -n "$nodeinc" ] || { echo "native/build.sh: node_api.h not found (install node headers)" >&2; exit 1; }
blasinc=""
for d in /usr/include/x86_64-linux-gnu/openblas-pthread /usr/include/aarch64-linux-gnu/openblas-pthread /usr/include/openblas /usr/include; do
  if [ -f "$d/cblas.h" ]; then blasinc="$d"; break; fi
done
[ -n "$blasinc" ] || { echo "native/build.sh: cblas.h not found (apt-get install libopenblas-dev)" >&2; exit 1; }
${CC:-cc} -O3 -fPIC -shared -fno-math-errno -DNODE_GYP_MODULE_NAME=exafsnn_blas \
  -I"$nodeinc" -I"$blasinc" "$here/exafsnn_blas.c" -o "$here/build/exafsnn_blas.node.tmp" -lopenblas
mv "$here/build/exafsnn_blas.node.tmp" "$here/build/exafsnn_blas.node"
echo "built $here/build/exafsnn_blas.node (node headers $nodeinc, cblas $blasinc)"
