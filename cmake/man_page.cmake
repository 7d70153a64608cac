# Writes a man page (section 1) from a program's own --help, so the two never disagree: the build
# reruns this whenever the program changes (cmake/man_pages.cmake).
# cmake -DPROGRAM=<exe> -DNAME=<name> -DSUMMARY=<one line> -DVERSION=<x.y.z> -DOUTPUT=<file.1>
#       -P man_page.cmake
# A program whose --help has a "Commands:" list gets a COMMANDS section with each command's --help.

# roff: a backslash is \e, a hyphen \- (so options copy and search as typed), and a line starting
# with . or ' is text, not a request.
function(roff_text text out)
  string(REPLACE "\\" "\\e" text "${text}")
  string(REPLACE "-" "\\-" text "${text}")
  string(REGEX REPLACE "\n([.'])" "\n\\\\&\\1" text "\n${text}")
  string(SUBSTRING "${text}" 1 -1 text)
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

function(help_of out)
  execute_process(COMMAND ${PROGRAM} ${ARGN} --help OUTPUT_VARIABLE help RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "${PROGRAM} ${ARGN} --help failed (${status})")
  endif()
  string(STRIP "${help}" help)
  roff_text("${help}" help)
  set(${out} ".nf\n${help}\n.fi\n" PARENT_SCOPE)
endfunction()

help_of(help)
roff_text("${SUMMARY}" summary)
set(page ".TH ${NAME} 1 \"\" \"${NAME} ${VERSION}\" \"User Commands\"\n")
string(APPEND page ".SH NAME\n${NAME} \\- ${summary}\n.SH DESCRIPTION\n${help}")

execute_process(COMMAND ${PROGRAM} --help OUTPUT_VARIABLE raw)
if(raw MATCHES "\nCommands:\n(.*)\n\n")
  string(REGEX MATCHALL "(^|\n)  [a-z][a-z-]*" commands "${CMAKE_MATCH_1}")
  string(APPEND page ".SH COMMANDS\n")
  foreach(command ${commands})
    string(STRIP "${command}" command)
    help_of(command_help ${command})
    string(APPEND page ".SS ${command}\n${command_help}")
  endforeach()
endif()
file(WRITE "${OUTPUT}.tmp" "${page}")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
