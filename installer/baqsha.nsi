; Baqsha's Windows installer, built on Linux by Debian's NSIS: installer/build.sh runs
;   makensis -DVERSION=0.1.0 -DPAYLOAD=<folder with baqsha.exe> -DOUTFILE=<path> baqsha.nsi
;
; Per machine, into Program Files, with the region's server address for IT:
;   Baqsha-0.1.0-setup.exe /S /SERVER=https://baqsha.example.kz /D=C:\Program Files\Baqsha
; Exit codes: 0 installed; 2 bad command line; 3 a newer version is installed;
; 4 WebView2 Runtime missing; 740 not run as administrator. The reason of a refusal is also
; written to %TEMP%\baqsha-install.log.

Unicode true
Target amd64-unicode
ManifestDPIAware true
SetCompressor /SOLID lzma

!include MUI2.nsh
!include LogicLib.nsh
!include FileFunc.nsh
!include WordFunc.nsh
!include x64.nsh

!ifndef VERSION
  !error "VERSION is required (makensis -DVERSION=x.y.z)"
!endif
!ifndef PAYLOAD
  !error "PAYLOAD is required (the folder with baqsha.exe)"
!endif
!ifndef OUTFILE
  !define OUTFILE "Baqsha-${VERSION}-setup.exe"
!endif

!define PRODUCT "Baqsha"
!define PUBLISHER "Baqsha — балабақша кезегі"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Baqsha"
!define SETTINGS_KEY "Software\Baqsha"
; The app's data folder (database, seal key) under each user's %APPDATA%, and its logs under
; %LOCALAPPDATA%: Tauri's folders for the identifier kz.baqsha.desk.
!define DATA_DIR "kz.baqsha.desk"
!define WEBVIEW2_GUID "{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"
!define WEBVIEW2_SETUP "MicrosoftEdgeWebView2RuntimeInstallerX64.exe"
; Where a standalone WebView2 installer to bundle may be (build.sh: installer/).
!ifndef WEBVIEW2_DIR
  !define WEBVIEW2_DIR "."
!endif

Name "${PRODUCT}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${PRODUCT}"
RequestExecutionLevel admin
BrandingText "${PRODUCT} ${VERSION}"

VIProductVersion "${VERSION}.0"
VIFileVersion "${VERSION}.0"
VIAddVersionKey /LANG=0 "ProductName" "${PRODUCT}"
VIAddVersionKey /LANG=0 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=0 "FileDescription" "${PRODUCT} ${VERSION} setup"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "LegalCopyright" "MIT"

!define MUI_ICON "../icons/icon.ico"
!define MUI_UNICON "../icons/icon.ico"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\baqsha.exe"

!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

; The first language is the fallback; the system's UI language picks among them.
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "Russian"
!insertmacro MUI_LANGUAGEEX "lang" "Kazakh"
!include "lang/strings.nsh"

Var Server

; Says why the installer stops (a message box, skipped when silent; the log file), and quits
; with the code: nothing has been written yet.
!macro Refuse CODE TEXT
  Push "${TEXT}"
  Push ${CODE}
  !ifdef __UNINSTALL__
    Call un.Refuse
  !else
    Call Refuse
  !endif
!macroend
!macro RefuseFn PREFIX
Function ${PREFIX}Refuse
  Exch $0 ; code
  Exch
  Exch $1 ; text
  ; UTF-16 with a byte-order mark: Notepad shows the Kazakh letters.
  ClearErrors
  FileOpen $2 "$TEMP\baqsha-install.log" a
  ${IfNot} ${Errors}
    FileSeek $2 0 END $3
    ${If} $3 == 0
      FileWriteUTF16LE /BOM $2 ""
    ${EndIf}
    FileWriteUTF16LE $2 "${PRODUCT} ${VERSION}: $1 (exit code $0)$\r$\n"
    FileClose $2
  ${EndIf}
  MessageBox MB_OK|MB_ICONSTOP "$1" /SD IDOK
  SetErrorLevel $0
  Quit
FunctionEnd
!macroend
!insertmacro RefuseFn ""
!insertmacro RefuseFn "un."

; A server address IT may give: http:// or https://, a host, no spaces or quotes.
Function CheckServer
  StrCpy $0 $Server 8
  StrCpy $1 $Server 7
  ${If} $0 == "https://"
    StrCpy $2 $Server "" 8
  ${ElseIf} $1 == "http://"
    StrCpy $2 $Server "" 7
  ${Else}
    !insertmacro Refuse 2 "$(BadServer)"
  ${EndIf}
  StrCpy $3 $2 1
  ${If} $3 == ""
  ${OrIf} $3 == "/"
  ${OrIf} $3 == ":"
    !insertmacro Refuse 2 "$(BadServer)"
  ${EndIf}
  StrLen $4 $Server
  StrCpy $5 0
  ${DoWhile} $5 < $4
    StrCpy $6 $Server 1 $5
    ${If} $6 == " "
    ${OrIf} $6 == '"'
    ${OrIf} $6 == "<"
    ${OrIf} $6 == ">"
      !insertmacro Refuse 2 "$(BadServer)"
    ${EndIf}
    IntOp $5 $5 + 1
  ${Loop}
FunctionEnd

Function HasWebView2
  StrCpy $0 ""
  SetRegView 32
  ReadRegStr $0 HKLM "SOFTWARE\Microsoft\EdgeUpdate\Clients\${WEBVIEW2_GUID}" "pv"
  ${If} $0 == ""
    ReadRegStr $0 HKCU "Software\Microsoft\EdgeUpdate\Clients\${WEBVIEW2_GUID}" "pv"
  ${EndIf}
  SetRegView 64
  ${If} $0 == ""
    ReadRegStr $0 HKLM "SOFTWARE\Microsoft\EdgeUpdate\Clients\${WEBVIEW2_GUID}" "pv"
  ${EndIf}
  ${If} $0 == "0.0.0.0"
    StrCpy $0 ""
  ${EndIf}
FunctionEnd


Section "-${PRODUCT}" SecApp
  SectionIn RO
  SetOutPath "$INSTDIR"
  File "${PAYLOAD}\baqsha.exe"
  File "/oname=LICENSE.txt" "${PAYLOAD}\LICENSE.txt"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  ${If} $Server != ""
    ; Read by the app on its first start; an upgrade without /SERVER keeps the old one.
    WriteRegStr HKLM "${SETTINGS_KEY}" "Server" "$Server"
  ${EndIf}
  WriteRegStr HKLM "${SETTINGS_KEY}" "InstallDir" "$INSTDIR"
  CreateShortCut "$SMPROGRAMS\${PRODUCT}.lnk" "$INSTDIR\baqsha.exe" "" "$INSTDIR\baqsha.exe" 0

  WriteRegStr HKLM "${UNINST_KEY}" "DisplayName" "${PRODUCT}"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINST_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\baqsha.exe,0"
  WriteRegStr HKLM "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKLM "${UNINST_KEY}" "EstimatedSize" "$0"
SectionEnd

Section "$(SecDesktopName)" SecDesktop
  CreateShortCut "$DESKTOP\${PRODUCT}.lnk" "$INSTDIR\baqsha.exe" "" "$INSTDIR\baqsha.exe" 0
SectionEnd

!insertmacro MUI_FUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${SecDesktop} "$(SecDesktopText)"
!insertmacro MUI_FUNCTION_DESCRIPTION_END

; Every check comes before anything is written: a refusal leaves the PC as it was.
Function .onInit
  SetRegView 64
  SetShellVarContext all
  ${IfNot} ${RunningX64}
    !insertmacro Refuse 2 "$(NeedsX64)"
  ${EndIf}
  UserInfo::GetAccountType
  Pop $0
  ${If} $0 != "admin"
    !insertmacro Refuse 740 "$(NeedsAdmin)"
  ${EndIf}

  ${GetParameters} $R0
  ; Not ${GetOptions}: it splits at every "/", and an address has some.
  ClearErrors
  ${WordFind} "$R0" "/SERVER=" "E+1}" $R1
  ${IfNot} ${Errors}
    ${WordFind} "$R1" " " "+1{" $Server
    ${WordFind} "$Server" '"' "+1{" $Server
    Call CheckServer
  ${EndIf}
  ClearErrors
  ${GetOptions} $R0 "/NODESKTOP" $R1
  ${IfNot} ${Errors}
    SectionSetFlags ${SecDesktop} 0
  ${EndIf}

  ReadRegStr $0 HKLM "${UNINST_KEY}" "DisplayVersion"
  ${If} $0 != ""
    ${VersionCompare} "$0" "${VERSION}" $1
    ${If} $1 == 1
      !insertmacro Refuse 3 "$(Downgrade)"
    ${EndIf}
  ${EndIf}

  Call HasWebView2
  ${If} $0 == ""
    !if /FileExists "${WEBVIEW2_DIR}/${WEBVIEW2_SETUP}"
      InitPluginsDir
      File "/oname=$PLUGINSDIR\${WEBVIEW2_SETUP}" "${WEBVIEW2_DIR}/${WEBVIEW2_SETUP}"
      ExecWait '"$PLUGINSDIR\${WEBVIEW2_SETUP}" /silent /install' $1
      Call HasWebView2
      ${If} $0 == ""
        !insertmacro Refuse 4 "$(WebView2Failed)"
      ${EndIf}
    !else
      !insertmacro Refuse 4 "$(WebView2Missing)"
    !endif
  ${EndIf}
FunctionEnd

Function un.onInit
  SetRegView 64
  SetShellVarContext all
  UserInfo::GetAccountType
  Pop $0
  ${If} $0 != "admin"
    !insertmacro Refuse 740 "$(NeedsAdmin)"
  ${EndIf}
FunctionEnd

Section "Uninstall"
  Delete "$INSTDIR\baqsha.exe"
  Delete "$INSTDIR\LICENSE.txt"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${PRODUCT}.lnk"
  Delete "$DESKTOP\${PRODUCT}.lnk"
  DeleteRegKey HKLM "${UNINST_KEY}"
  DeleteRegKey HKLM "${SETTINGS_KEY}"

  ; The office's database and seal key stay unless the person says otherwise (silent: kept).
  SetShellVarContext current
  ${If} ${FileExists} "$APPDATA\${DATA_DIR}\*.*"
    MessageBox MB_YESNO|MB_ICONQUESTION|MB_DEFBUTTON2 "$(RemoveData)" /SD IDNO IDNO keep
      RMDir /r "$APPDATA\${DATA_DIR}"
      RMDir /r "$LOCALAPPDATA\${DATA_DIR}"
    keep:
  ${EndIf}
SectionEnd
