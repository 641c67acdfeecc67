#!/usr/bin/env bash
# Installs what the browser tests need from Debian's packages: the chromium
# browser (driven by playwright-core; we never download a browser of our own)
# and a CJK font (without one every Chinese character renders as a box).
# Idempotent: does nothing when both are already installed. Needs root.
set -euo pipefail

packages=(chromium fonts-wqy-microhei)
missing=()
for p in "${packages[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done

if [ ${#missing[@]} -eq 0 ]; then
	echo "e2e deps: ${packages[*]} already installed"
	exit 0
fi

echo "e2e deps: installing ${missing[*]} (Debian packages)"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
echo "e2e deps: installed ${missing[*]}"
