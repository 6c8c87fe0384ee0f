#!/usr/bin/env bash
# System libraries that pip cannot install: Pango for WeasyPrint (PDF export) and, with
# --browser, Chromium for the headless-browser test of the HTML report; optionally a
# colour emoji font for the PDF (a training title or an OPD name pasted from a chat app
# holds emoji; without a font that has them the PDF shows empty boxes, while browsers and
# Excel bring their own).
# Installs only what is missing, and only where apt-get is available. A missing emoji
# font is never an error: it is installed on its own (a release without the package
# keeps the rest), and elsewhere only named.
set -euo pipefail
want=()
# grep reads all of ldconfig's list (not -q: with pipefail, ldconfig killed by SIGPIPE
# when grep stops at the first match would read as "Pango missing")
if ! ldconfig -p 2>/dev/null | grep 'libpango-1.0.so' >/dev/null; then
  want+=(libpango-1.0-0 libpangoft2-1.0-0)
fi
if [[ "${1:-}" == "--browser" ]] && ! command -v chromium >/dev/null 2>&1; then
  want+=(chromium)
fi
# fontconfig's fc-list answers which installed font has U+1F3E5 (hospital), an emoji
emoji=()
if ! command -v fc-list >/dev/null 2>&1; then
  emoji=(fontconfig fonts-noto-color-emoji)
elif [[ -z "$(fc-list ':charset=1f3e5' family 2>/dev/null)" ]]; then
  emoji=(fonts-noto-color-emoji)
fi
if ((${#want[@]} == 0 && ${#emoji[@]} == 0)); then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  if ((${#emoji[@]})); then
    echo "Note: no colour emoji font (e.g. Noto Color Emoji): emoji in the data print as" \
      "empty boxes in the PDF; install one with your package manager." >&2
  fi
  if ((${#want[@]})); then
    echo "Missing system packages (${want[*]}, Debian names); install them with your" \
      "package manager." >&2
    exit 1
  fi
  exit 0
fi
sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
echo "Installing system packages: ${want[*]} ${emoji[*]}"
$sudo apt-get update -qq
if ((${#want[@]})); then
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null
fi
if ((${#emoji[@]})); then
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${emoji[@]}" >/dev/null \
    || echo "Note: the emoji font could not be installed (${emoji[*]}): emoji in the data print as empty boxes in the PDF." >&2
fi
