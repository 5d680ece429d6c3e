#!/usr/bin/env bash
# run.sh LIBHEARTH CONFIG_SOURCE [JNA_JAR]: compiles EarlyWarningEmbed.java into a scratch
# folder with javac and runs it with java (JNA from Debian's libjna-java by default).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
jna=${3:-/usr/share/java/jna.jar}
classes=$(mktemp -d "${TMPDIR:-/tmp}/hearth-java-classes.XXXXXX")
trap 'rm -rf "$classes"' EXIT
javac -Xlint:all -Werror -cp "$jna" -d "$classes" "$here/EarlyWarningEmbed.java"
java -cp "$jna:$classes" EarlyWarningEmbed "$1" "$2"
