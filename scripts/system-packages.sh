#!/usr/bin/env bash
# Debian packages the whole test suite uses beyond Python: Chromium (browser tests), nginx and
# redis-server (the scale-out cluster and its fault tests), a Chinese font (readable screenshots).
# Installs only what is missing; needs root or sudo.
set -euo pipefail
wanted=(chromium nginx redis-server fonts-wqy-zenhei)
missing=()
for package in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "installing Debian packages: ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
