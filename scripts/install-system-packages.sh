#!/usr/bin/env bash
# Install the system packages that the PDF, browser and workbook tests use (Debian/Ubuntu, as
# root): LibreOffice Writer and Calc without GUI, python3-uno (docgen's warm PDF workers talk to
# LibreOffice through it, under the system Python), CJK and metric-compatible fonts, poppler and
# Chromium. `make system-packages` and .ci/run call it.
set -euo pipefail
if ! command -v apt-get >/dev/null 2>&1; then
echo "no apt-get here: install LibreOffice (with its Python UNO bridge), fonts-noto-cjk, poppler-utils and Chromium yourself" >&2
exit 0
fi
if [ "$(id -u)" != "0" ]; then
echo "run as root (sudo make system-packages)" >&2
exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
packages=(make python3-venv python3-uno curl fonts-noto-cjk fonts-liberation poppler-utils chromium)
# LibreOffice Writer without its GUI, unless some LibreOffice is there already (installing
# -nogui would remove a full libreoffice-writer: the two packages conflict).
if ! command -v soffice >/dev/null 2>&1 && ! command -v libreoffice >/dev/null 2>&1; then
  if apt-cache show libreoffice-writer-nogui >/dev/null 2>&1; then
    packages+=(libreoffice-writer-nogui libreoffice-calc-nogui)
  else
    packages+=(libreoffice-writer)
  fi
fi
apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
