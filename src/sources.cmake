# Every source file of the two programs, named once (absolute paths): src/CMakeLists.txt builds
# them all, and tests/fuzz, a project of its own, builds the *_FUZZED ones instrumented.

# The pure modules the fuzz targets reach: no disk, no command line, no sockets. They take their
# big buffers through core/platform.cpp (huge pages), which the fuzz build links without coverage.
set(PTVSD_CORE_FUZZED_SOURCES
  core/config_edit.cpp
  core/diagnostics.cpp
  core/secret.cpp
  core/transform_template.cpp
  core/xml_memory.cpp
  core/xml_text.cpp
)
set(PTVSD_CORE_PLATFORM_SOURCES core/platform.cpp)
set(PTVSD_PROXY_FUZZED_SOURCES
  proxy/auth.cpp
  proxy/client_address.cpp
  proxy/info_page.cpp
  proxy/rate_limit.cpp
  proxy/request_route.cpp
  proxy/responses.cpp
)

# ptvsd_core: the pure logic, the one I/O edge, what both programs' network code shares (net/)
# and attach's network side (tunnel/).
set(PTVSD_CORE_SOURCES
  ${PTVSD_CORE_FUZZED_SOURCES}
  core/debug_config.cpp
  core/debug_config_location.cpp
  core/executable_format.cpp
  core/files.cpp
  core/files_search.cpp
  core/option_text.cpp
  core/output.cpp
  core/package.cpp
  ${PTVSD_CORE_PLATFORM_SOURCES}
  core/site_check.cpp
  net/host_port.cpp
  net/listen.cpp
  tunnel/connection.cpp
  tunnel/endpoint.cpp
  tunnel/failure.cpp
  tunnel/http_proxy.cpp
  tunnel/system_roots.cpp
  tunnel/tls.cpp
  tunnel/tunnel.cpp
)
# ptvsd_commands: ptvsd-publish's commands, their table and command line.
set(PTVSD_COMMANDS_SOURCES
  commands/attach.cpp
  commands/check.cpp
  commands/command_line.cpp
  commands/commands.cpp
  commands/completion.cpp
  commands/delivery.cpp
  commands/executor.cpp
  commands/publish.cpp
  commands/rotate.cpp
  commands/url.cpp
)
# ptvsd_proxy_lib: ptvsd-proxy but its main.
set(PTVSD_PROXY_SOURCES
  ${PTVSD_PROXY_FUZZED_SOURCES}
  proxy/command_line.cpp
  proxy/connection.cpp
  proxy/context.cpp
  proxy/handshake_pool.cpp
  proxy/process_guard.cpp
  proxy/secret_source.cpp
  proxy/server.cpp
  proxy/session.cpp
)

foreach(list CORE_FUZZED CORE_PLATFORM CORE COMMANDS PROXY_FUZZED PROXY)
  list(TRANSFORM PTVSD_${list}_SOURCES PREPEND ${CMAKE_CURRENT_LIST_DIR}/)
endforeach()
