# Sourced by mvnw. Tycho 5, Eclipse 4.40 and Jena 6 need Java 21 or newer;
# the machine's default java may be older, so pick a suitable JDK unless JAVA_HOME already is one.
loupe_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -n1
}
loupe_find_jdk() {
  local min=21 cand v noglob= found=
  case $- in *f*) noglob=1; set +f ;; esac
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    v=$(loupe_java_major "$JAVA_HOME")
    if [ "${v:-0}" -ge "$min" ] 2>/dev/null; then return 0; fi
  fi
  for cand in /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/*; do
    [ -x "$cand/bin/javac" ] || continue
    v=$(loupe_java_major "$cand")
    if [ "${v:-0}" -ge "$min" ] 2>/dev/null; then found=$cand; break; fi
  done
  [ -z "$noglob" ] || set -f
  if [ -n "$found" ]; then export JAVA_HOME="$found"; return 0; fi
  if command -v javac >/dev/null 2>&1; then
    cand=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    v=$(loupe_java_major "$cand")
    if [ "${v:-0}" -ge "$min" ] 2>/dev/null; then export JAVA_HOME="$cand"; return 0; fi
  fi
  echo "Loupe needs a JDK $min or newer; none found (looked at JAVA_HOME, /usr/lib/jvm, /opt). Install one, e.g. 'apt-get install openjdk-21-jdk', or set JAVA_HOME." >&2
  return 1
}

# The UI tests open a real SWT display. Without one, re-run this command under Xvfb when it is installed
# (run-tests installs it); otherwise the UI tests fail with "Cannot open display".
loupe_ensure_display() {
  if [ -z "${DISPLAY:-}" ] && [ -z "${LOUPE_UNDER_XVFB:-}" ] && command -v xvfb-run >/dev/null 2>&1; then
    LOUPE_UNDER_XVFB=1
    export LOUPE_UNDER_XVFB
    exec xvfb-run -a -s "-screen 0 1600x1000x24" "$@"
  fi
}
