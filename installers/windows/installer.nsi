; Intacct Setup Wizard: per-user Windows installer (NSIS 3, Modern UI 2).
;
; Built by installers/build_windows.py, which passes:
;   -DVERSION=0.1.0            version from pyproject.toml
;   -DFILE_VERSION=0.1.0.0     the same as four numbers (Windows version resource)
;   -DPAYLOAD=<folder>         the PyInstaller one-folder app (dist/IntacctSetupWizard)
;   -DOUTFILE=<file>           where to write IntacctSetupWizard-<version>-setup.exe
;   -DAPP_ICON=<file.ico>      optional: installer and uninstaller icon
;   -DLICENSE_FILE=<file>      optional: shows the licence page
;   -DCOMPRESSOR=lzma|zlib     optional: lzma (default, releases) or zlib (fast checks)
;
; Installs for the current user only, without administrator rights, into
; %LOCALAPPDATA%\Programs\Intacct Setup Wizard. The uninstaller keeps settings, data and
; saved passwords unless "Remove my settings, data and saved passwords" is ticked
; (or /REMOVEDATA is given to a silent uninstall).

Unicode true
ManifestDPIAware true
RequestExecutionLevel user

!ifndef VERSION
  !error "Pass -DVERSION=<version> (installers/build_windows.py does this)."
!endif
!ifndef PAYLOAD
  !error "Pass -DPAYLOAD=<the PyInstaller app folder>."
!endif
!ifndef OUTFILE
  !define OUTFILE "IntacctSetupWizard-${VERSION}-setup.exe"
!endif
!ifndef FILE_VERSION
  !define FILE_VERSION "0.0.0.0"
!endif
!ifndef COMPRESSOR
  !define COMPRESSOR lzma
!endif

SetCompressor /SOLID ${COMPRESSOR}

!define APP_NAME "Intacct Setup Wizard"
!define APP_ID "IntacctSetupWizard"
!define GUI_EXE "IntacctSetupWizard.exe"
!define CLI_EXE "intacct-wizard.exe"
!define PUBLISHER "Intacct Setup Wizard contributors"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_ID}"
!define SHORTCUT "$SMPROGRAMS\${APP_NAME}.lnk"

Name "${APP_NAME}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${APP_NAME}"
InstallDirRegKey HKCU "${UNINSTALL_KEY}" "InstallLocation"
BrandingText "${APP_NAME} ${VERSION}"
ShowInstDetails hide
ShowUninstDetails show

VIProductVersion "${FILE_VERSION}"
VIAddVersionKey /LANG=1033 "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=1033 "FileDescription" "${APP_NAME} installer"
VIAddVersionKey /LANG=1033 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=1033 "LegalCopyright" "Apache License 2.0"

!include "MUI2.nsh"
!include "FileFunc.nsh"
!include "LogicLib.nsh"

!ifdef APP_ICON
  !define MUI_ICON "${APP_ICON}"
  !define MUI_UNICON "${APP_ICON}"
!endif
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${GUI_EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "Open ${APP_NAME} now"

!insertmacro MUI_PAGE_WELCOME
!ifdef LICENSE_FILE
  !insertmacro MUI_PAGE_LICENSE "${LICENSE_FILE}"
!endif
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!define MUI_COMPONENTSPAGE_TEXT_TOP "Your connection settings, sync data and saved passwords \
are kept unless you tick the box below, so a later install carries on where you left off."
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "English"

Section "Install"
  SetShellVarContext current
  SetOutPath "$INSTDIR"
  ; Replace an earlier version's libraries rather than mixing old and new files.
  RMDir /r "$INSTDIR\_internal"
  File /r "${PAYLOAD}\*"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateShortcut "${SHORTCUT}" "$INSTDIR\${GUI_EXE}" "" "$INSTDIR\${GUI_EXE}" 0

  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${GUI_EXE}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" "$0"
SectionEnd

; Runs first when ticked, while the program is still there to clear its keyring entries.
Section /o "un.Remove my settings, data and saved passwords" SecRemoveData
  SetShellVarContext current
  ; The app deletes every "Intacct Setup Wizard: <profile>" keyring entry it made, the saved
  ; connections, the sync data and the logs (exit 1 names what it could not delete).
  DetailPrint "Removing saved passwords from Windows Credential Manager..."
  ExecWait '"$INSTDIR\${CLI_EXE}" forget-all --yes' $0
  DetailPrint "forget-all finished with exit code $0"
  ; platformdirs folders (settings, sync database, logs) under both spellings the app uses,
  ; and the window settings Qt keeps in the registry.
  RMDir /r "$APPDATA\${APP_ID}"
  RMDir /r "$LOCALAPPDATA\${APP_ID}"
  RMDir /r "$APPDATA\${APP_NAME}"
  RMDir /r "$LOCALAPPDATA\${APP_NAME}"
  DeleteRegKey HKCU "Software\${APP_ID}"
SectionEnd

Section "-un.Program"
  SetShellVarContext current
  Delete "${SHORTCUT}"
  ; Remove only what the installer put there, so a hand-picked folder is never emptied.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${GUI_EXE}"
  Delete "$INSTDIR\${CLI_EXE}"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
SectionEnd

Function un.onInit
  ; A silent uninstall (/S) keeps user data unless /REMOVEDATA is given too.
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/REMOVEDATA" $R1
  ${IfNot} ${Errors}
    SectionSetFlags ${SecRemoveData} ${SF_SELECTED}
  ${EndIf}
FunctionEnd
