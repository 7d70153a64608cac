// Realistic web.configs of a chosen size for the benchmarks, the same bytes for the micro-benchmarks
// and for compare.sh (through bench_inputs), so the two measure one input.
//
// The shape is a wfastcgi site's (tests/xdt/configs/wfastcgi.config and rewrite.config) grown the
// way large real configs grow: more app settings, URL Rewrite rules, MIME maps and <location>
// sections, with comments, CRLF line endings and the usual attribute quoting. The one
// WSGI_PTVSD_SECRET setting sits in the top <appSettings>, as a publish leaves it; the content is
// deterministic (no clock, no randomness), so every run sees the same input.
#pragma once

#include <cstddef>
#include <string>

namespace ptvsd::bench {

// A well-formed web.config of at least `min_bytes` bytes (and at most one section, under 1.3 KB,
// more; never under about 4 KB), holding exactly one WSGI_PTVSD_SECRET setting. `variant` changes names and values so
// that many small files are not byte-identical.
std::string make_web_config(std::size_t min_bytes, unsigned variant = 0);

}  // namespace ptvsd::bench
