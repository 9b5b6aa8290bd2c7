#!/usr/bin/env bash
# Installs everything scapkit needs on a fresh Debian machine and builds it:
# system packages (when root and missing), npm packages, the TypeScript build.
# Idempotent: a second run only rebuilds what changed.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: a C++ toolchain and python3 build zstd-napi from source;
# netbase gives /etc/services, the port names of filters and of -R;
# clang, llvm, bpftool, libbpf-dev, libelf-dev, zlib1g-dev, libdeflate-dev, libzstd-dev and
# pkg-config build the eBPF driver and scap-capture (native/capture); cmake
# builds the live-mode addon (native/addon).
APT_PACKAGES=(build-essential python3 ca-certificates netbase clang llvm libbpf-dev bpftool libelf-dev zlib1g-dev libdeflate-dev libzstd-dev pkg-config cmake)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  else
    echo "install.sh: missing Debian packages: ${missing[*]} (run as root to install them)" >&2
  fi
fi

# npm packages exactly as locked; zstd-napi's build script is allowed in package.json.
if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi

npm run build

# The eBPF driver and scap-capture (make rebuilds only what changed). It needs
# the running kernel's BTF for vmlinux.h; without it the TypeScript side still works.
# The live-mode addon (native/addon) builds on the same prerequisites plus
# cmake; cmake-js takes the Node-API headers from node_modules, nothing is downloaded.
if [ -r /sys/kernel/btf/vmlinux ] && command -v clang >/dev/null && command -v bpftool >/dev/null; then
  npm run build:native
  if command -v cmake >/dev/null; then
    npm run build:addon
  else
    echo "install.sh: skipping the live-mode addon (needs cmake)" >&2
  fi
else
  echo "install.sh: skipping the native build and the live-mode addon (needs /sys/kernel/btf/vmlinux, clang and bpftool)" >&2
fi
