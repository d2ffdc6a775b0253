#!/usr/bin/env bash
# Installs what MnistMl's tests use beyond the .NET SDK and NuGet, when it is missing: Debian's
# chromium (the report test renders the HTML report headless) and python3-onnx (the ONNX checker
# validates every exported model). Installs nothing when all is there; the README's test command
# runs it first, so a fresh machine needs no step of its own.
set -euo pipefail

packages=(chromium python3-onnx)
missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$package")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  echo "install-prerequisites: the tests need Debian's ${missing[*]}: run 'apt-get install -y ${missing[*]}' as root, then the tests again." >&2
  exit 1
fi

echo "install-prerequisites: installing ${missing[*]} (Debian packages the tests use)"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
