#!/usr/bin/env bash
# Installs oplatomat on a Debian 12/13 kiosk: users, directories, the application, systemd units,
# udev rules, Chromium policies, module preloading and a journald cap. Idempotent: files are only
# replaced when their content differs and existing users, configuration and data are kept.
#
#   scripts/install.sh [--dry-run] [--root DIR] [--no-npm] [--no-enable]
#
#   --dry-run    list every action without doing anything
#   --root DIR   install files under DIR instead of / (packaging, tests); users and systemctl are skipped
#   --no-npm     do not run `npm ci --omit=dev` in the application directory
#   --no-enable  install the units but do not enable or start them
set -euo pipefail

DRY_RUN=0
ROOT=""
NPM=1
ENABLE=1
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY_RUN=1 ;;
    --root) ROOT="${2:?--root needs a directory}"; shift ;;
    --root=*) ROOT="${1#--root=}" ;;
    --no-npm) NPM=0 ;;
    --no-enable) ENABLE=0 ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
ROOT="${ROOT%/}"

SRC="$(cd "$(dirname "$0")/.." && pwd)"
APP_DIR=/opt/oplatomat
CONF_DIR=/etc/oplatomat
DATA_DIR=/var/lib/oplatomat
USER_NAME=oplatomat
SCREEN_USER=oplatomat-screen
CHANGES=0

say() { printf '%s\n' "$*"; }

# Runs a command, or only lists it in a dry run.
run() {
  if [ "$DRY_RUN" = 1 ]; then say "would run: $*"; else say "run: $*"; "$@"; fi
}

# Installs one file with mode and owner when its content differs.
put() {
  local src="$1" dest="$ROOT$2" mode="$3" owner="${4:-root:root}"
  if [ -f "$dest" ] && cmp -s "$src" "$dest"; then
    say "unchanged: $2"
    return
  fi
  CHANGES=$((CHANGES + 1))
  if [ "$DRY_RUN" = 1 ]; then
    local origin="generated"
    case "$src" in "$SRC"/*) origin="${src#"$SRC"/}" ;; esac
    say "would install: $2 (mode $mode, $owner) from $origin"
    return
  fi
  mkdir -p "$(dirname "$dest")"
  install -m "$mode" "$src" "$dest"
  if [ -z "$ROOT" ]; then chown "$owner" "$dest"; fi
  say "installed: $2"
}

# Installs text given on stdin as a file (generated configuration).
put_text() {
  local tmp
  tmp="$(mktemp)"
  cat > "$tmp"
  put "$tmp" "$@"
  rm -f "$tmp"
}

# Creates a directory with mode and owner if missing.
dir() {
  local path="$ROOT$1" mode="$2" owner="${3:-root:root}"
  if [ -d "$path" ]; then say "exists: $1/"; return; fi
  CHANGES=$((CHANGES + 1))
  if [ "$DRY_RUN" = 1 ]; then say "would create directory: $1/ (mode $mode, $owner)"; return; fi
  mkdir -p "$path"
  chmod "$mode" "$path"
  if [ -z "$ROOT" ]; then chown "$owner" "$path"; fi
  say "created directory: $1/"
}

# Creates a system user (and its group) if missing; adds it to supplementary groups that exist.
system_user() {
  local name="$1" home="$2"; shift 2
  if [ -n "$ROOT" ]; then say "skipped (--root): system user $name"; return; fi
  if id -u "$name" >/dev/null 2>&1; then
    say "exists: user $name"
  else
    CHANGES=$((CHANGES + 1))
    run useradd --system --user-group --home-dir "$home" --no-create-home --shell /usr/sbin/nologin "$name"
  fi
  local group
  for group in "$@"; do
    if ! getent group "$group" >/dev/null; then say "no group $group on this system, not adding $name"; continue; fi
    if id -nG "$name" 2>/dev/null | tr ' ' '\n' | grep -qx "$group"; then say "exists: $name in group $group"; continue; fi
    CHANGES=$((CHANGES + 1))
    run usermod --append --groups "$group" "$name"
  done
}

systemctl_do() {
  if [ -n "$ROOT" ]; then say "skipped (--root): systemctl $*"; return; fi
  run systemctl "$@"
}

# ── checks ───────────────────────────────────────────────────────────────────
if [ "$DRY_RUN" = 0 ] && [ -z "$ROOT" ] && [ "$(id -u)" -ne 0 ]; then
  echo "install.sh: run as root (or try --dry-run)" >&2
  exit 1
fi
if [ -r /etc/os-release ]; then
  # shellcheck disable=SC1091
  . /etc/os-release
  case "${ID:-}:${VERSION_ID:-}" in
    debian:12|debian:13) say "system: Debian ${VERSION_ID}" ;;
    *) say "warning: tested on Debian 12 and 13 only, this is ${PRETTY_NAME:-unknown}" ;;
  esac
fi
# package.json's engines: @fastify/static needs require(esm), which Node 20 has from 20.19 on.
NODE_VERSION="$(node -p 'process.versions.node' 2>/dev/null || echo 0.0.0)"
node_at_least() { # major minor
  local major minor
  IFS=. read -r major minor _ <<< "$NODE_VERSION"
  [ "${major:-0}" -gt "$1" ] || { [ "${major:-0}" -eq "$1" ] && [ "${minor:-0}" -ge "$2" ]; }
}
if ! node_at_least 20 19; then
  echo "install.sh: Node.js 20.19 or newer is needed at /usr/bin/node (found ${NODE_VERSION})" >&2
  [ "$DRY_RUN" = 1 ] || exit 1
fi
for tool in cage chromium systemd-notify; do
  command -v "$tool" >/dev/null || say "warning: $tool is missing (apt-get install ${tool/systemd-notify/systemd})"
done
if [ "$DRY_RUN" = 1 ]; then say "dry run: nothing will be changed"; fi

# ── users ────────────────────────────────────────────────────────────────────
# Not input: the udev rules give the daemon's group the one input device it reads (gpio-keys).
system_user "$USER_NAME" "$DATA_DIR" dialout plugdev lp
system_user "$SCREEN_USER" /run/oplatomat-screen video render input audio

# ── directories ──────────────────────────────────────────────────────────────
dir "$APP_DIR" 0755
dir "$CONF_DIR" 0750 "root:$USER_NAME"
dir "$DATA_DIR" 0750 "$USER_NAME:$USER_NAME"
dir "$DATA_DIR/backups" 0750 "$USER_NAME:$USER_NAME"

# ── application ──────────────────────────────────────────────────────────────
# Never the demo office: config/demo-keys holds a private slip key and the demo admin token, which
# anyone can read in the repository.
while IFS= read -r file; do
  put "$SRC/$file" "$APP_DIR/$file" 0644
done < <(cd "$SRC" && find package.json package-lock.json npm-shrinkwrap.json README.md bin dist kiosk devices contracts config ui/dist \
  -path config/demo-keys -prune -o -path config/demo.yaml -prune -o -type f -print 2>/dev/null | sort)
if [ "$DRY_RUN" = 0 ] && [ -f "$ROOT$APP_DIR/bin/oplatomat.mjs" ]; then chmod 0755 "$ROOT$APP_DIR/bin/oplatomat.mjs"; fi
if [ "$NPM" = 1 ]; then
  if [ -n "$ROOT" ]; then say "skipped (--root): npm ci --omit=dev in $APP_DIR"; else run npm --prefix "$APP_DIR" ci --omit=dev --no-audit --no-fund; fi
fi

# The configuration is the office's: installed once from the example, never overwritten.
if [ -f "$ROOT$CONF_DIR/config.yaml" ]; then
  say "kept: $CONF_DIR/config.yaml"
else
  put "$SRC/config/examples/serial-terminal.yaml" "$CONF_DIR/config.yaml" 0640 "root:$USER_NAME"
  # It trusts no slip key as shipped: config check (and the daemon) refuse it until one is set.
  say "edit $CONF_DIR/config.yaml (set the office system's public slip key under slips.trustedKeys),"
  say "then: oplatomat config check $CONF_DIR/config.yaml"
fi

# Speech is optional: without espeak-ng the kiosk simply does not offer it (README "Speech").
if command -v espeak-ng >/dev/null 2>&1; then
  say "found: espeak-ng (speech offered in pl, en, uk)"
else
  say "warning: espeak-ng is not installed: the kiosk will not offer speech (apt-get install espeak-ng)"
fi

# ── system integration ───────────────────────────────────────────────────────
put "$SRC/systemd/oplatomat.service" /etc/systemd/system/oplatomat.service 0644
put "$SRC/systemd/oplatomat-kiosk.service" /etc/systemd/system/oplatomat-kiosk.service 0644
put "$SRC/systemd/70-oplatomat.rules" /etc/udev/rules.d/70-oplatomat.rules 0644
put "$SRC/systemd/chromium-policies/oplatomat.json" /etc/chromium/policies/managed/oplatomat.json 0644
# DeviceAllow=char-… matches only drivers loaded when the daemon starts: load them at boot.
put_text /etc/modules-load.d/oplatomat.conf 0644 <<'EOF'
# oplatomat: USB serial PIN pads and USB receipt printers
usbserial
ftdi_sio
pl2303
ch341
cp210x
cdc_acm
usblp
EOF
# Logs go to journald only; cap them so an SD card or small eMMC does not fill up.
put_text /etc/systemd/journald.conf.d/oplatomat.conf 0644 <<'EOF'
[Journal]
SystemMaxUse=200M
MaxRetentionSec=90day
EOF

if [ "$CHANGES" -gt 0 ] || [ "$DRY_RUN" = 1 ]; then
  if [ -n "$ROOT" ]; then
    say "skipped (--root): udevadm control --reload, udevadm trigger"
  else
    run udevadm control --reload
    run udevadm trigger --subsystem-match=tty --subsystem-match=usbmisc --subsystem-match=hidraw --subsystem-match=input
  fi
  systemctl_do daemon-reload
fi
if [ "$ENABLE" = 1 ]; then
  systemctl_do disable getty@tty1.service
  systemctl_do enable oplatomat.service oplatomat-kiosk.service
fi

if [ "$DRY_RUN" = 1 ]; then
  say "dry run finished: $CHANGES change(s) would be made"
else
  say "done: $CHANGES change(s)"
fi
