# The ctest entry `subproject`: configures tests/subproject (ptvsd-publish added with
# add_subdirectory) in BUILD_DIR, builds the tool's templates there, and checks that they sit
# where the tool will look for them (<bin>/../share/ptvsd-publish/templates) inside
# ptvsd-publish's own binary folder. Compiling the tool itself would take minutes: not here.
#   cmake -DROOT=<checkout> -DBUILD_DIR=<dir> -DGENERATOR=<generator> -DCXX=<compiler> -P check.cmake
function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    list(JOIN ARGN " " command)
    message(FATAL_ERROR "failed (${status}): ${command}")
  endif()
endfunction()

run(${CMAKE_COMMAND} -S ${ROOT}/tests/subproject -B ${BUILD_DIR} -G ${GENERATOR}
    -DCMAKE_CXX_COMPILER=${CXX} -DPTVSD_ROOT=${ROOT})
run(${CMAKE_COMMAND} --build ${BUILD_DIR} --target ptvsd_templates)
file(READ ${BUILD_DIR}/tool-path.txt tool)
get_filename_component(bin ${tool} DIRECTORY)
string(FIND "${bin}/" "${BUILD_DIR}/ptvsd/" at)
if(NOT at EQUAL 0)
  message(FATAL_ERROR "the tool is built in ${bin}, outside ptvsd-publish's binary folder ${BUILD_DIR}/ptvsd")
endif()
foreach(template native classic)
  if(NOT EXISTS ${bin}/../share/ptvsd-publish/templates/${template}.config)
    message(FATAL_ERROR "no ${template}.config in ${bin}/../share/ptvsd-publish/templates")
  endif()
endforeach()
message(STATUS "subproject: configured; the tool in ${bin}, its templates beside it")
