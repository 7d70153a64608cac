# The win-x64 tests run under Wine (Debian's wine64), in a Wine prefix of this build tree's own:
# the GoogleTest suites through the emulator (listed when ctest runs: tests/CMakeLists.txt), and
# the Python suites of this folder, which start the built programs under Wine themselves. Included by tests/CMakeLists.txt when
# cross-compiling for Windows.
set(PTVSD_WINE ${CMAKE_CROSSCOMPILING_EMULATOR})
get_filename_component(wine_folder ${PTVSD_WINE} DIRECTORY)
find_program(PTVSD_WINESERVER wineserver PATHS ${wine_folder} NO_DEFAULT_PATH REQUIRED)
# Debian's python3, which has python3-debugpy and python3-websockets (tests/proxy says why).
find_program(PTVSD_SYSTEM_PYTHON3 python3 PATHS /usr/bin NO_DEFAULT_PATH REQUIRED)
set(PTVSD_WINEPREFIX ${PROJECT_BINARY_DIR}/wine-prefix)
# No X display: console programs need none, and without it Wine shows no dialogs either.
set(PTVSD_WINE_ENV WINEPREFIX=${PTVSD_WINEPREFIX} WINEDEBUG=-all DISPLAY=)
set(CMAKE_CROSSCOMPILING_EMULATOR ${CMAKE_COMMAND} -E env ${PTVSD_WINE_ENV} ${PTVSD_WINE})

# Creating a prefix takes Wine tens of seconds; done once, by the build, so that no test (and no
# test discovery, which has a timeout) pays for it.
add_custom_command(OUTPUT ${PTVSD_WINEPREFIX}/system.reg
                   COMMAND ${CMAKE_COMMAND} -E env ${PTVSD_WINE_ENV} ${PTVSD_WINE} wineboot --init
                   COMMAND ${CMAKE_COMMAND} -E env ${PTVSD_WINE_ENV} ${PTVSD_WINESERVER} -w
                   COMMENT "Creating the Wine prefix for the tests")
add_custom_target(wine_prefix ALL DEPENDS ${PTVSD_WINEPREFIX}/system.reg)

foreach(suite cli proxy)
  add_test(NAME wine_${suite} COMMAND ${PTVSD_SYSTEM_PYTHON3} -m unittest -v test_${suite}_wine
           WORKING_DIRECTORY ${CMAKE_CURRENT_LIST_DIR})
  set_tests_properties(wine_${suite} PROPERTIES TIMEOUT 600 ENVIRONMENT
    "${PTVSD_WINE_ENV};PTVSD_WINE=${PTVSD_WINE};PTVSD_PUBLISH_EXE=$<TARGET_FILE:ptvsd-publish>;PTVSD_PROXY=$<TARGET_FILE:ptvsd-proxy>;PYTHONDONTWRITEBYTECODE=1")
endforeach()
