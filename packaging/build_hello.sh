#!/bin/sh
# Rebuild the static FROM-scratch greeters in resources/bin (committed, so users need no compiler).
# Needs gcc and, for arm64, gcc-aarch64-linux-gnu (Debian). No libc: see resources/bin/hello.c.
set -eu
cd "$(dirname "$0")/../resources/bin"
flags="-Os -static -nostdlib -fno-asynchronous-unwind-tables -fno-stack-protector -Wl,--build-id=none -Wl,-n -s"
# shellcheck disable=SC2086
gcc $flags -o hello-x86_64 hello.c
# shellcheck disable=SC2086
aarch64-linux-gnu-gcc $flags -o hello-aarch64 hello.c
ls -l hello-x86_64 hello-aarch64
