; Stands in for Microsoft's standalone WebView2 installer in the Wine test: run with
; /silent /install it registers the runtime as the real one does, so the bundled path of
; Baqsha's installer can be tried without the real 180 MB file.
Unicode true
Target amd64-unicode
RequestExecutionLevel admin
SilentInstall silent
OutFile "${OUTFILE}"
Section
  SetRegView 32
  WriteRegStr HKLM "SOFTWARE\Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}" "pv" "131.0.2903.70"
  WriteRegStr HKLM "SOFTWARE\Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}" "name" "Microsoft Edge WebView2 Runtime (test stand-in)"
SectionEnd
