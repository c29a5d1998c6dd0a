#!/usr/bin/env bash
# Build the one-folder app and a tarball with a .desktop file, an icon and a per-user install script.
# Run from anywhere; needs the dev environment (pip install -e '.[package]').
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PYTHON:-python3}
VERSION=$("$PY" -c 'import re,pathlib;print(re.search(r"__version__ = \"(.+)\"", pathlib.Path("src/actdesk/__init__.py").read_text()).group(1))')
ARCH=$(uname -m)

"$PY" build_spec.py
NAME="actdesk-$VERSION-linux-$ARCH"
STAGE="installers/build/$NAME"
rm -rf "$STAGE" && mkdir -p "$STAGE"
cp -a dist/actdesk "$STAGE/app"
cp resources/app/actdesk.svg "$STAGE/actdesk.svg"
cp installers/linux/actdesk.desktop installers/linux/install.sh installers/linux/README.md "$STAGE/"
chmod +x "$STAGE/install.sh"
tar -C installers/build -czf "dist/$NAME.tar.gz" "$NAME"
echo "built dist/$NAME.tar.gz ($(du -sh dist/actdesk | cut -f1) unpacked)"
