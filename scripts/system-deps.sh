#!/usr/bin/env bash
# System packages the test suite uses beyond Python: Dovecot (a real IMAP server for the
# IMAP channel tests) and Poppler (pdftoppm, pdftotext: reading rendered PDFs back).
# Idempotent: installs only what is missing, and only as root on a system with apt-get;
# otherwise it says what is missing and the tests that need it skip.
set -euo pipefail

# command -> Debian package providing it
declare -A packages=([dovecot]=dovecot-imapd [pdftoppm]=poppler-utils)

missing=()
for command in "${!packages[@]}"; do
  if ! command -v "$command" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$command" ]; then
    missing+=("${packages[$command]}")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing system packages: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "missing system packages (tests needing them will skip): ${missing[*]}" >&2
  echo "  install with: sudo apt-get install ${missing[*]}" >&2
fi
