#!/usr/bin/env bash
# macOS recipe: Impasto.app and a .dmg. UNTESTED: no Mac was available to the project when it
# was written. Run on macOS 13+ (Apple silicon or Intel) from the repository root:
#
#   python3.11 -m venv .venv && . .venv/bin/activate
#   pip install torch==2.14.1 torchvision==0.29.1 && pip install -e ".[package]"
#   bash packaging/macos/build_app.sh
#
# The engine picks Apple's MPS GPU automatically where it is available.
set -euo pipefail
version=$(python -c 'import tomllib;print(tomllib.load(open("pyproject.toml","rb"))["project"]["version"])')
pyinstaller --noconfirm --distpath build/pyinstaller-dist --workpath build/pyinstaller-work packaging/impasto.spec

app=build/Impasto.app
rm -rf "$app" && mkdir -p "$app/Contents/MacOS" "$app/Contents/Resources"
cp -R build/pyinstaller-dist/impasto/ "$app/Contents/MacOS/"
sips -s format icns resources/icons/impasto.png --out "$app/Contents/Resources/impasto.icns" >/dev/null
cat > "$app/Contents/Info.plist" <<PLIST
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0"><dict>
  <key>CFBundleName</key><string>Impasto</string>
  <key>CFBundleIdentifier</key><string>org.impasto.app</string>
  <key>CFBundleVersion</key><string>${version}</string>
  <key>CFBundleShortVersionString</key><string>${version}</string>
  <key>CFBundleExecutable</key><string>impasto</string>
  <key>CFBundleIconFile</key><string>impasto.icns</string>
  <key>NSHighResolutionCapable</key><true/>
</dict></plist>
PLIST
mkdir -p dist
hdiutil create -volname Impasto -srcfolder "$app" -ov -format UDZO "dist/impasto-${version}-macos.dmg"
echo "built dist/impasto-${version}-macos.dmg (unsigned: sign and notarise before distributing)"
