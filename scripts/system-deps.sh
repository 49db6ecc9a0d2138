#!/usr/bin/env bash
# System packages the test suite uses: Debian's Chromium (driven by Playwright for rendered
# lists and the console's browser tests), LibreOffice Writer (Word -> PDF checks), poppler
# (PDF -> PNG) and a CJK font (Chinese text in screenshots and PDFs).
# Installs only what is missing, and only where it can (root with apt-get); elsewhere it says
# what is missing and the tests that need it skip with that reason.
set -uo pipefail

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
fc-list 2>/dev/null | grep -qi "noto.*cjk" || need+=(fonts-noto-cjk)

[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "system-deps: not installing ${need[*]} (needs root and apt-get); tests that use them skip." >&2
    exit 0
fi
echo "system-deps: installing ${need[*]} ..." >&2
export DEBIAN_FRONTEND=noninteractive
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}"; } >/tmp/sitewatch-system-deps.log 2>&1; then
    echo "system-deps: apt-get failed (see /tmp/sitewatch-system-deps.log); tests that need ${need[*]} skip." >&2
fi
exit 0
