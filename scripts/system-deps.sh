#!/usr/bin/env bash
# System packages the test suite uses beyond Python: Dovecot (a real IMAP server for the
# IMAP channel tests), Poppler (pdftoppm, pdftotext: reading rendered PDFs back),
# HarfBuzz's subsetter (WeasyPrint embeds font subsets with it) and PostgreSQL 15 (the
# tests start a throwaway cluster from its binaries; see feedbackkit.testing.postgres).
# Idempotent: installs only what is missing, and only as root on a system with apt-get;
# otherwise it says what is missing: the tests that need Dovecot or Poppler skip, the
# PostgreSQL tests fail saying what to install, WeasyPrint subsets fonts with fontTools
# instead (and warns).
set -euo pipefail

# command (on PATH or in /usr/sbin), absolute path, or lib:NAME (a shared library the
# dynamic linker knows) -> Debian package providing it
declare -A packages=(
  [dovecot]=dovecot-imapd
  [pdftoppm]=poppler-utils
  [/usr/lib/postgresql/15/bin/initdb]=postgresql-15
  [lib:libharfbuzz-subset.so.0]=libharfbuzz-subset0  # WeasyPrint subsets fonts with it
)

present() {
  if [[ $1 == lib:* ]]; then
    /sbin/ldconfig -p 2>/dev/null | grep -F "${1#lib:}" >/dev/null  # no -q: no SIGPIPE
  elif [[ $1 == /* ]]; then
    [ -x "$1" ]
  else
    command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ]
  fi
}

missing=()
for command in "${!packages[@]}"; do
  present "$command" || missing+=("${packages[$command]}")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing system packages: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "missing system packages (tests needing them skip; PostgreSQL's fail): ${missing[*]}" >&2
  echo "  install with: sudo apt-get install ${missing[*]}" >&2
fi
