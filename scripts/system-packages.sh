#!/usr/bin/env bash
# Installs the Debian packages the test suite drives for real (a browser, Redis, nginx),
# when they are missing. Run by `make test`; needs root (or sudo) and apt-get.
# Tests that need a missing program are skipped with the reason, so a machine without
# root can still run the rest; with REQUIRE_SYSTEM_PACKAGES=1 (CI) a missing one is fatal.
set -euo pipefail

# program -> Debian package
declare -A NEEDED=(
  [chromium]=chromium
  [redis-server]=redis-server
  [nginx]=nginx
  [rsync]=rsync
  [node]=nodejs
  [npm]=npm
  [ssh]=openssh-client
  [sshd]=openssh-server
)

missing=()
for program in "${!NEEDED[@]}"; do
  command -v "$program" >/dev/null 2>&1 || missing+=("${NEEDED[$program]}")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO="sudo -n"
else
  echo "Missing programs for some tests: ${missing[*]}." >&2
  echo "Install them with: sudo apt-get install -y ${missing[*]} (those tests are skipped)." >&2
  exit "${REQUIRE_SYSTEM_PACKAGES:-0}"
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "No apt-get here; install ${missing[*]} by hand (those tests are skipped)." >&2
  exit "${REQUIRE_SYSTEM_PACKAGES:-0}"
fi
echo "Installing ${missing[*]} (Debian packages) for the browser, Redis and nginx tests..."
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian starts services it installs; the tests start their own on loopback ports.
for service in redis-server nginx ssh; do
  if command -v service >/dev/null 2>&1; then $SUDO service "$service" stop >/dev/null 2>&1 || true; fi
done
