# Expands the templates of templates/src/ (*.config.in, with @NAME@ references to the fragments of
# fragments.cmake) into templates/*.config. Only CMake, so the build needs nothing new.
#   cmake -DOUTPUT_DIR=<dir> -P generate.cmake   write <dir>/<name>.config
#   cmake -DCHECK_DIR=<dir> -P generate.cmake    fail unless <dir>/<name>.config is what it expands to
# The expanded templates are committed (templates/*.config); the xdt_templates_generated test runs
# the CHECK form against them, so an edit of one side alone fails.
cmake_minimum_required(VERSION 3.16)

set(PTVSD_FRAGMENTS "")

function(fragment name value)
  if(DEFINED "PTVSD_FRAGMENT_${name}")
    message(FATAL_ERROR "fragment ${name} is defined twice")
  endif()
  set("PTVSD_FRAGMENT_${name}" "${value}" PARENT_SCOPE)
  set(PTVSD_FRAGMENTS ${PTVSD_FRAGMENTS} ${name} PARENT_SCOPE)
endfunction()

# XPath 1.0 has no "X if it exists, else Y"; this location path is the templates' substitute.
# One path, not a union, because XDT appends child steps to it.
function(scratch_fallback name x)
  fragment(${name} "/descendant::*[count(.|${x})=count(${x}) or (self::ptvsd-publish-scratch and not(${x}))]")
  set("PTVSD_FRAGMENT_${name}" "${PTVSD_FRAGMENT_${name}}" PARENT_SCOPE)
  set(PTVSD_FRAGMENTS ${PTVSD_FRAGMENTS} PARENT_SCOPE)
endfunction()

# An XPath predicate true of an element with exactly the attributes of `attributes` (XML text:
# name="value" pairs; no value may hold a ' or a ") and no content.
function(exact_element_test name attributes)
  string(REGEX MATCHALL "[A-Za-z_:][-A-Za-z0-9_.:]*=\"[^\"]*\"" pairs "${attributes}")
  list(LENGTH pairs count)
  set(test "")
  foreach(pair IN LISTS pairs)
    string(REGEX REPLACE "^([^=]*)=\"([^\"]*)\"$" "@\\1='\\2'" condition "${pair}")
    string(APPEND test "${condition} and ")
  endforeach()
  fragment(${name} "${test}count(@*)=${count} and not(node())")
  set("PTVSD_FRAGMENT_${name}" "${PTVSD_FRAGMENT_${name}}" PARENT_SCOPE)
  set(PTVSD_FRAGMENTS ${PTVSD_FRAGMENTS} PARENT_SCOPE)
endfunction()

include(${CMAKE_CURRENT_LIST_DIR}/fragments.cmake)

# Replaces every @NAME@ until none is left; a reference to no fragment is an error.
function(expand text_var source)
  set(text "${${text_var}}")
  foreach(round RANGE 16)
    set(before "${text}")
    foreach(name IN LISTS PTVSD_FRAGMENTS)
      string(REPLACE "@${name}@" "${PTVSD_FRAGMENT_${name}}" text "${text}")
    endforeach()
    if(text STREQUAL before)
      break()
    endif()
  endforeach()
  string(REGEX MATCH "@[A-Z][A-Z0-9_]*@" unknown "${text}")
  if(unknown)
    message(FATAL_ERROR "${source}: ${unknown} names no fragment of fragments.cmake (or they refer to each other in a loop)")
  endif()
  set(${text_var} "${text}" PARENT_SCOPE)
endfunction()

file(GLOB sources ${CMAKE_CURRENT_LIST_DIR}/*.config.in)
if(NOT sources)
  message(FATAL_ERROR "no *.config.in in ${CMAKE_CURRENT_LIST_DIR}")
endif()
set(stale "")
foreach(source IN LISTS sources)
  get_filename_component(name ${source} NAME)
  string(REGEX REPLACE "\\.in$" "" name "${name}")
  file(READ ${source} text)
  expand(text ${source})
  if(DEFINED OUTPUT_DIR)
    file(WRITE ${OUTPUT_DIR}/${name}.tmp "${text}")
    file(RENAME ${OUTPUT_DIR}/${name}.tmp ${OUTPUT_DIR}/${name})
  elseif(DEFINED CHECK_DIR)
    set(committed "")
    if(EXISTS ${CHECK_DIR}/${name})
      file(READ ${CHECK_DIR}/${name} committed)
    endif()
    if(NOT committed STREQUAL text)
      list(APPEND stale ${CHECK_DIR}/${name})
    endif()
  else()
    message(FATAL_ERROR "usage: cmake -DOUTPUT_DIR=<dir> | -DCHECK_DIR=<dir> -P generate.cmake")
  endif()
endforeach()
if(stale)
  string(REPLACE ";" "\n  " stale "${stale}")
  message(FATAL_ERROR "not what templates/src/ expands to:\n  ${stale}\n"
                      "Edit templates/src/, then: cmake -DOUTPUT_DIR=templates -P templates/src/generate.cmake")
endif()
