# Build dist\actdesk\ and the per-user installer. Run in PowerShell from the repository root.
$ErrorActionPreference = "Stop"
python -m venv .venv
.\.venv\Scripts\python -m pip install -e ".[package]"
.\.venv\Scripts\python installers\make_icons.py
.\.venv\Scripts\python build_spec.py
.\dist\actdesk\actdesk.exe gui --smoke
if ($LASTEXITCODE -ne 0) { throw "smoke start failed" }
$version = (.\.venv\Scripts\python -c "import actdesk; print(actdesk.__version__)").Trim()
& "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe" "/DAppVersion=$version" installers\windows\actdesk.iss
