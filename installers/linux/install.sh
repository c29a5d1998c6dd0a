#!/usr/bin/env bash
# Per-user install of an unpacked actdesk tarball: no root needed. Run ./install.sh from the unpacked folder.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
PREFIX=${XDG_DATA_HOME:-$HOME/.local/share}
TARGET="$PREFIX/actdesk-app"
rm -rf "$TARGET"
mkdir -p "$TARGET" "$PREFIX/applications" "$PREFIX/icons/hicolor/scalable/apps" "$HOME/.local/bin"
cp -a "$HERE/app/." "$TARGET/"
cp "$HERE/actdesk.svg" "$PREFIX/icons/hicolor/scalable/apps/actdesk.svg"
sed "s#@BINDIR@#$TARGET#" "$HERE/actdesk.desktop" > "$PREFIX/applications/actdesk.desktop"
ln -sf "$TARGET/actdesk" "$HOME/.local/bin/actdesk"
command -v update-desktop-database >/dev/null && update-desktop-database "$PREFIX/applications" || true
echo "actdesk installed in $TARGET; find it in your applications menu or run 'actdesk'."
echo "To remove it: rm -rf '$TARGET' '$PREFIX/applications/actdesk.desktop' ~/.local/bin/actdesk (your book is kept)."
