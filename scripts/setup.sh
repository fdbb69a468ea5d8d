#!/usr/bin/env bash
# Installs everything AuthHub needs on a fresh Debian 12 machine, and nothing when it is already there:
# the system packages it lacks (through apt, with sudo when not root), then .venv with the pinned
# Python dependencies. A stamp of requirements/lock.txt makes the second run a no-op.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}
LOCK=requirements/lock.txt

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

if ! command -v "$PYTHON" >/dev/null; then
    say "AuthHub needs Python >= 3.11 ('$PYTHON' was not found). On Debian 12: apt-get install python3"
    exit 1
fi
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    say "AuthHub needs Python >= 3.11; $("$PYTHON" --version) found. Set PYTHON=/path/to/python3.11"
    exit 1
fi

# --- system packages ------------------------------------------------------------------------------
missing=()
if [ ! -x "$VENV/bin/python" ] && ! "$PYTHON" -c 'import ensurepip, venv' 2>/dev/null; then
    missing+=(python3-venv)
fi
chromium_bin=${AUTHHUB_CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium_bin" ]; then
    if grep -qi '^ID=ubuntu' /etc/os-release 2>/dev/null; then
        # Ubuntu's apt "chromium" is a stub that installs a snap, which headless services cannot use.
        say "Chromium is missing. On Ubuntu the apt package is a snap stub: install Debian's or Google's"
        say "Chromium/Chrome (e.g. from the xtradeb PPA or google-chrome-stable .deb) and set"
        say "AUTHHUB_CHROMIUM=/path/to/chrome. See README.md, 'Ubuntu'."
        exit 1
    fi
    missing+=(chromium)
fi
# ffmpeg turns login screencasts into mp4 replays.
command -v ffmpeg >/dev/null || missing+=(ffmpeg)
# The test suite also runs the scale-out parts for real: Redis (channel layer, job broker).
if [ "${1:-}" = "--test" ]; then
    command -v redis-server >/dev/null || missing+=(redis-server)
fi
for pkg in ${AUTHHUB_EXTRA_APT:-}; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done

if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ]; then
        sudo=()
    elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
        sudo=(sudo -n)
    else
        say "Missing system packages: ${missing[*]}. Run this, then run make again:"
        echo "    sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}"
        exit 1
    fi
    say "installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update -q >/dev/null
    "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- Python virtualenv ----------------------------------------------------------------------------
if [ ! -x "$VENV/bin/python" ]; then
    say "creating $VENV"
    "$PYTHON" -m venv "$VENV"
fi
want=$(sha256sum "$LOCK" | cut -d' ' -f1)
have=$(cat "$VENV/.lock-sha256" 2>/dev/null || true)
if [ "$want" != "$have" ]; then
    say "installing pinned Python dependencies ($LOCK)"
    log=$(mktemp)
    if ! "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$LOCK" >"$log" 2>&1; then
        grep -v '^WARNING: Location' "$log" >&2
        say "pip install failed (full log: $log)"
        exit 1
    fi
    rm -f "$log"
    "$VENV/bin/python" -m pip check >/dev/null
    echo "$want" > "$VENV/.lock-sha256"
fi
