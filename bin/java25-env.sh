# shellcheck shell=bash
# Sourced by bin/test and .ci/run: selects a JDK 25 and exports JAVA_HOME and PATH.
#
# Order: $JAVA_HOME if it is a JDK 25, then /usr/lib/jvm/temurin-25-jdk-amd64, then any
# /usr/lib/jvm/*25*. Fails (returns 1, with a message) when there is none: the default
# java on our machines is 17, which cannot build Ferry.

ferry_is_jdk25() { # $1 = candidate JDK home
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  "$1/bin/java" -version 2>&1 | head -n 1 | grep -Eq 'version "25([."]|-)'
}

ferry_select_jdk25() {
  local candidate
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*25*; do
    [ -n "$candidate" ] && [ -d "$candidate" ] || continue
    if ferry_is_jdk25 "$candidate"; then
      JAVA_HOME="$(cd "$candidate" && pwd -P)"
      export JAVA_HOME
      export PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
  done
  echo "ERROR: no JDK 25 found (looked at \$JAVA_HOME='${JAVA_HOME:-}', /usr/lib/jvm/temurin-25-jdk-amd64, /usr/lib/jvm/*25*)." >&2
  echo "       Install one (for example Eclipse Temurin 25: 'apt-get install -y temurin-25-jdk' from the Adoptium" >&2
  echo "       apt repository) or set JAVA_HOME to a JDK 25." >&2
  return 1
}

ferry_select_jdk25
