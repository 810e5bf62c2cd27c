# Sourced by scripts/test.sh and .ci/run: the Debian packages the tests run as real processes, installed
# when missing — Chromium for the portal's browser tests (Playwright cannot download its own browser
# here), DejaVu fonts for Kazakh and Kyrgyz letters, poppler's pdftoppm for printed documents, SoftHSM for
# the signing key held on a PKCS#11 token.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
[ -e /usr/lib/softhsm/libsofthsm2.so ] || missing+=(softhsm2)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  as_root=()
  [ "$(id -u)" = 0 ] || as_root=(sudo)
  "${as_root[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi
