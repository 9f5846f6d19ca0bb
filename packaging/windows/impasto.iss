; Inno Setup recipe for Impasto on Windows. UNTESTED: no Windows machine was available to the
; project when it was written. Steps, in a "Developer PowerShell" on Windows 10/11 x64:
;
;   py -3.11 -m venv .venv ; .venv\Scripts\activate
;   pip install torch==2.14.1 torchvision==0.29.1   # or the CPU wheels, for a ~0.7 GB bundle
;   pip install -e .[package]
;   pyinstaller --noconfirm --distpath build\pyinstaller-dist --workpath build\pyinstaller-work packaging\impasto.spec
;   "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" packaging\windows\impasto.iss
;
; The installer lands in dist\. Settings and user styles go to %APPDATA%\Impasto, never to the
; install folder.

#define AppName "Impasto"
#define AppVersion "0.1.0"

[Setup]
AppId={{6C2E7C2A-4D5B-4C1E-9E7B-IMPASTO00001}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=Impasto developers
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
OutputDir=..\..\dist
OutputBaseFilename=impasto-{#AppVersion}-windows-x64-setup
Compression=lzma2/fast
SolidCompression=no
ArchitecturesInstallIn64BitMode=x64compatible
PrivilegesRequiredOverridesAllowed=dialog
WizardStyle=modern

[Files]
Source: "..\..\build\pyinstaller-dist\impasto\*"; DestDir: "{app}"; Flags: recursesubdirs createallsubdirs ignoreversion

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\impasto.exe"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\impasto.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "Create a desktop shortcut"; Flags: unchecked

[Run]
Filename: "{app}\impasto.exe"; Description: "Start Impasto"; Flags: nowait postinstall skipifsilent
