#!/usr/bin/env bash
# Build dist/actdesk.app and a compressed, drag-to-Applications disk image. Run on macOS from the repo root.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PYTHON:-python3}
VERSION=$("$PY" -c 'import re,pathlib;print(re.search(r"__version__ = \"(.+)\"", pathlib.Path("src/actdesk/__init__.py").read_text()).group(1))')

"$PY" installers/make_icons.py
ICONSET=installers/build/icons/actdesk.iconset
mkdir -p "$ICONSET"
for s in 16 32 128 256 512; do
  cp "installers/build/icons/actdesk-$s.png" "$ICONSET/icon_${s}x${s}.png"
  cp "installers/build/icons/actdesk-$((s * 2)).png" "$ICONSET/icon_${s}x${s}@2x.png"
done
iconutil -c icns "$ICONSET" -o installers/build/icons/actdesk.icns

"$PY" build_spec.py
dist/actdesk.app/Contents/MacOS/actdesk gui --smoke

# Signing and notarisation, once a Developer ID certificate exists (see README.md in this folder):
if [ -n "${ACTDESK_SIGN_IDENTITY:-}" ]; then
  codesign --force --deep --options runtime --timestamp --sign "$ACTDESK_SIGN_IDENTITY" dist/actdesk.app
fi

STAGE=installers/build/dmg
rm -rf "$STAGE" && mkdir -p "$STAGE"
cp -R dist/actdesk.app "$STAGE/"
ln -s /Applications "$STAGE/Applications"
DMG="dist/actdesk-$VERSION-macos.dmg"
rm -f "$DMG"
hdiutil create -volname "actdesk $VERSION" -srcfolder "$STAGE" -ov -format UDZO "$DMG"

if [ -n "${ACTDESK_SIGN_IDENTITY:-}" ] && [ -n "${ACTDESK_NOTARY_PROFILE:-}" ]; then
  codesign --sign "$ACTDESK_SIGN_IDENTITY" --timestamp "$DMG"
  xcrun notarytool submit "$DMG" --keychain-profile "$ACTDESK_NOTARY_PROFILE" --wait
  xcrun stapler staple "$DMG"
fi
echo "built $DMG"
