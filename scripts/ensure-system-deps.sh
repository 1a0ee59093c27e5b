#!/usr/bin/env bash
# Installs the Debian packages the tests need, if any is missing. Needs root (or passwordless sudo).
set -euo pipefail
need=()
command -v socat >/dev/null || need+=(socat)
command -v chromium >/dev/null || need+=(chromium)
command -v espeak-ng >/dev/null || need+=(espeak-ng)
command -v promtool >/dev/null || need+=(prometheus)
command -v pdftotext >/dev/null || need+=(poppler-utils)
command -v systemd-analyze >/dev/null || need+=(systemd)
[ -x /usr/lib/postgresql/15/bin/initdb ] || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
ldconfig -p 2>/dev/null | grep -q libusb-1.0 || need+=(libusb-1.0-0)
[ ${#need[@]} -eq 0 ] && exit 0
echo "installing Debian packages: ${need[*]}" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
