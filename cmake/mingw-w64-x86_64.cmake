# Cross build for win-x64 with Debian's MinGW-w64 (g++-mingw-w64-x86-64-posix). The dependencies
# come from PTVSD_WIN64_PREFIX, which .ci/win64-deps.sh builds from Debian's own source packages;
# .ci/build.sh --win64 passes it. Programs link statically, so they import only Windows' own DLLs and
# run from a bare bin/ folder on IIS.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(CMAKE_C_COMPILER x86_64-w64-mingw32-gcc-posix)
set(CMAKE_CXX_COMPILER x86_64-w64-mingw32-g++-posix)
set(CMAKE_RC_COMPILER x86_64-w64-mingw32-windres)

# try_compile projects see only the variables named here.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES PTVSD_WIN64_PREFIX)
if(NOT PTVSD_WIN64_PREFIX)
  message(FATAL_ERROR "Set PTVSD_WIN64_PREFIX to the dependencies built by .ci/win64-deps.sh")
endif()
set(CMAKE_FIND_ROOT_PATH /usr/x86_64-w64-mingw32 ${PTVSD_WIN64_PREFIX})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# pkg-config (libsodium) must see the target's .pc files only, never the build machine's.
set(ENV{PKG_CONFIG_LIBDIR} ${PTVSD_WIN64_PREFIX}/lib/pkgconfig)
set(ENV{PKG_CONFIG_PATH} "")
set(ENV{PKG_CONFIG_SYSROOT_DIR} "")

# Boost: Debian's headers (platform-neutral) through the prefix, and the Program_options library
# built for the target; FindBoost, not the build machine's BoostConfig.cmake.
set(Boost_NO_BOOST_CMAKE ON)
set(Boost_USE_STATIC_LIBS ON)
set(BOOST_ROOT ${PTVSD_WIN64_PREFIX})
set(OPENSSL_ROOT_DIR ${PTVSD_WIN64_PREFIX})
set(OPENSSL_USE_STATIC_LIBS ON)

set(CMAKE_EXE_LINKER_FLAGS_INIT "-static -static-libgcc -static-libstdc++")
# Tests built for the target run under Wine, through ctest and gtest_discover_tests alike.
set(CMAKE_CROSSCOMPILING_EMULATOR /usr/lib/wine/wine64)
