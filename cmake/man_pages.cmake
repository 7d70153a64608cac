# A man page for each program, written from its --help by cmake/man_page.cmake whenever the
# program is rebuilt, so wording changes reach the page without anyone editing it. Built only
# where the programs run (not in a cross build); installed to share/man/man1.
set(PTVSD_MAN_DIR ${PROJECT_BINARY_DIR}/${CMAKE_INSTALL_MANDIR}/man1)
set(PTVSD_MAN_PAGES "")
foreach(program_summary
    "ptvsd-publish|keep a Python web app's remote-debugging secret and web.debug.config fresh"
    "ptvsd-proxy|the remote-debugging WebSocket endpoint of a Python web app on IIS")
  string(REPLACE "|" ";" program_summary "${program_summary}")
  list(GET program_summary 0 program)
  list(GET program_summary 1 summary)
  set(page ${PTVSD_MAN_DIR}/${program}.1)
  add_custom_command(OUTPUT ${page}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${PTVSD_MAN_DIR}
    COMMAND ${CMAKE_COMMAND} -DPROGRAM=$<TARGET_FILE:${program}> -DNAME=${program}
            "-DSUMMARY=${summary}" -DVERSION=${PROJECT_VERSION} -DOUTPUT=${page}
            -P ${PROJECT_SOURCE_DIR}/cmake/man_page.cmake
    DEPENDS ${program} ${PROJECT_SOURCE_DIR}/cmake/man_page.cmake
    COMMENT "Writing ${program}.1 from ${program} --help" VERBATIM)
  list(APPEND PTVSD_MAN_PAGES ${page})
endforeach()
add_custom_target(ptvsd_man_pages ALL DEPENDS ${PTVSD_MAN_PAGES})
install(FILES ${PTVSD_MAN_PAGES} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
