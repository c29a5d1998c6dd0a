; Inno Setup script for actdesk: per-user install without admin rights, Start-menu and desktop shortcuts,
; uninstaller. Build: see README.md in this folder. The version comes from the command line (/DAppVersion=...).
#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif

[Setup]
AppId={{6A1F3C52-2B7E-4E0B-9C1D-5D0B7A3E8F21}
AppName=actdesk
AppVersion={#AppVersion}
AppPublisher=actdesk
DefaultDirName={autopf}\actdesk
DefaultGroupName=actdesk
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
DisableProgramGroupPage=yes
OutputDir=..\..\dist
OutputBaseFilename=actdesk-{#AppVersion}-windows-setup
SetupIconFile=..\build\icons\actdesk.ico
UninstallDisplayIcon={app}\actdesk.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesInstallIn64BitMode=x64compatible

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "spanish"; MessagesFile: "compiler:Languages\Spanish.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "..\..\dist\actdesk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\actdesk"; Filename: "{app}\actdesk.exe"
Name: "{autodesktop}\actdesk"; Filename: "{app}\actdesk.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\actdesk.exe"; Description: "{cm:LaunchProgram,actdesk}"; Flags: nowait postinstall skipifsilent

; The book and settings live in the user's data folders and are kept on uninstall on purpose:
; an advisor's book must never disappear with the program.
