#!/usr/bin/env bash
# System libraries that pip cannot install: Pango for WeasyPrint (PDF export), a colour
# emoji font for the PDF (a training title or an OPD name pasted from a chat app holds
# emoji; without a font that has them the PDF shows empty boxes, while browsers and Excel
# bring their own) and, with --browser, Chromium for the headless-browser test of the
# HTML report.
# Installs only what is missing, and only where apt-get is available.
set -euo pipefail
want=()
if ! ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so'; then
  want+=(libpango-1.0-0 libpangoft2-1.0-0)
fi
# fontconfig's fc-list answers which installed font has U+1F3E5 (hospital), an emoji
if ! command -v fc-list >/dev/null 2>&1; then
  want+=(fontconfig fonts-noto-color-emoji)
elif [[ -z "$(fc-list ':charset=1f3e5' family 2>/dev/null)" ]]; then
  want+=(fonts-noto-color-emoji)
fi
if [[ "${1:-}" == "--browser" ]] && ! command -v chromium >/dev/null 2>&1; then
  want+=(chromium)
fi
if ((${#want[@]} == 0)); then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "Missing system packages (${want[*]}); install them with your package manager." >&2
  exit 1
fi
sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
echo "Installing system packages: ${want[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null
