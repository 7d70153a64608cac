#!/bin/sh
# The Linux tool in the NuGet package must run on any glibc system (ubuntu-latest as well as
# Debian 12): every shared library it needs must be one of glibc's, so pugixml, libsodium, Boost,
# OpenSSL and the C++ runtime are linked in (cmake -DPTVSD_STATIC=ON, and ptvsd-publish-static).
# Usage: needed_libraries.sh BINARY...   Exit 0 when every BINARY needs only the allowed libraries.
set -eu
allowed='^(libc\.so\.6|libm\.so\.6|libpthread\.so\.0|libdl\.so\.2|librt\.so\.1|ld-linux-x86-64\.so\.2)$'
status=0
for binary; do
  needed=$(objdump -p "$binary" | awk '$1 == "NEEDED" { print $2 }')
  if [ -z "$needed" ]; then
    echo "$binary: no NEEDED entries (not a dynamically linked ELF file?)"
    status=1
  fi
  for library in $needed; do
    if ! echo "$library" | grep -Eq "$allowed"; then
      echo "$binary: needs $library, which is not part of glibc"
      status=1
    fi
  done
  echo "$binary: needs" $needed
done
exit $status
