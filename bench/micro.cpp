// Micro-benchmarks of the in-memory work behind each command, linked against ptvsd_core exactly as
// the tool is. Run by compare.sh; alone: build-bench/bench_micro [--benchmark_filter=REGEX].
//
// Inputs are built in memory (web_config.h, templates/classic.config); the only disk access is
// BM_ReadFile, on a temp file in the page cache, to separate reading from parsing.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include <benchmark/benchmark.h>
#ifdef PTVSD_BENCH_OPENSSL
#include <openssl/evp.h>
#endif

#include "core/config_edit.h"
#include "core/files.h"
#include "core/package.h"
#include "core/secret.h"
#include "core/transform_template.h"
#include "core/xml_memory.h"
#include "core/xml_text.h"
#include "web_config.h"

namespace {

using ptvsd::Secret;
using ptvsd::XmlText;

constexpr std::int64_t KB = 1024;
constexpr std::int64_t MB = 1024 * 1024;

const std::string& template_bytes() {
  static const std::string bytes = ptvsd::files::read(PTVSD_BENCH_TEMPLATE);
  return bytes;
}

const std::string& config_of(std::int64_t size) {
  static std::map<std::int64_t, std::string> cache;
  auto& text = cache[size];
  if (text.empty()) text = ptvsd::bench::make_web_config(static_cast<std::size_t>(size));
  return text;
}

void BM_SecretGenerate(benchmark::State& state) {
  for (auto _ : state) {
    auto secret = Secret::generate(state.range(0));
    benchmark::DoNotOptimize(secret.reveal().data());
  }
}
BENCHMARK(BM_SecretGenerate)->Arg(32);

// What publish does with the template: parse it (whitespace kept) and fill it.
void BM_TemplateParseAndRender(benchmark::State& state) {
  const auto secret = Secret::generate(32);
  for (auto _ : state) {
    const XmlText source(template_bytes(), "classic.config", XmlText::Whitespace::keep);
    auto rendered = ptvsd::render_template(source, secret);
    benchmark::DoNotOptimize(rendered.str().data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(template_bytes().size()));
}
BENCHMARK(BM_TemplateParseAndRender);

void BM_TemplateRender(benchmark::State& state) {
  const auto secret = Secret::generate(32);
  const XmlText source(template_bytes(), "classic.config", XmlText::Whitespace::keep);
  for (auto _ : state) {
    auto rendered = ptvsd::render_template(source, secret);
    benchmark::DoNotOptimize(rendered.str().data());
  }
}
BENCHMARK(BM_TemplateRender);

// What rotate does to one file in memory: parse with the shared rules, find the one setting, copy
// the bytes around the new value.
void BM_Splice(benchmark::State& state) {
  const auto& text = config_of(state.range(0));
  const auto secret = Secret::generate(32);
  for (auto _ : state) {
    const XmlText config(text, "web.config");
    auto spliced = ptvsd::splice_secret(config, secret);
    benchmark::DoNotOptimize(spliced.str().data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}
BENCHMARK(BM_Splice)->Arg(10 * KB)->Arg(1 * MB)->Arg(10 * MB)->Unit(benchmark::kMicrosecond);

// The parts of BM_Splice, to see where its time goes.
void BM_SpliceParseOnly(benchmark::State& state) {
  const auto& text = config_of(state.range(0));
  for (auto _ : state) {
    const XmlText config(text, "web.config");
    benchmark::DoNotOptimize(&config);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}
BENCHMARK(BM_SpliceParseOnly)->Arg(10 * KB)->Arg(1 * MB)->Arg(10 * MB)->Unit(benchmark::kMicrosecond);

void BM_SpliceFindAndCopyOnly(benchmark::State& state) {
  const auto& text = config_of(state.range(0));
  const auto secret = Secret::generate(32);
  const XmlText config(text, "web.config");
  for (auto _ : state) {
    auto spliced = ptvsd::splice_secret(config, secret);
    benchmark::DoNotOptimize(spliced.str().data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}
BENCHMARK(BM_SpliceFindAndCopyOnly)->Arg(10 * KB)->Arg(1 * MB)->Arg(10 * MB)->Unit(benchmark::kMicrosecond);

// The raw pugixml parse with the same options, without the shared rules' extra passes: the floor
// for any parse-based splice.
void BM_PugixmlParseFloor(benchmark::State& state) {
  const auto& text = config_of(state.range(0));
  constexpr unsigned options = pugi::parse_default | pugi::parse_comments | pugi::parse_declaration |
                               pugi::parse_doctype | pugi::parse_pi | pugi::parse_fragment;
  for (auto _ : state) {
    pugi::xml_document document;
    auto result = document.load_buffer(text.data(), text.size(), options, pugi::encoding_utf8);
    benchmark::DoNotOptimize(result.status);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}
BENCHMARK(BM_PugixmlParseFloor)->Arg(10 * KB)->Arg(1 * MB)->Arg(10 * MB)->Unit(benchmark::kMicrosecond);

// The manifest of the packaged proxy.
void BM_Sha256(benchmark::State& state) {
  const std::string bytes(static_cast<std::size_t>(state.range(0)), '\x5a');
  for (auto _ : state) {
    auto hex = ptvsd::sha256_hex(bytes);
    benchmark::DoNotOptimize(hex.data());
  }
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Sha256)->Arg(2 * MB)->Unit(benchmark::kMicrosecond);

#ifdef PTVSD_BENCH_OPENSSL
// Not what the tool uses: the same digest through OpenSSL, for the comparison in bench/README.md.
void BM_Sha256_OpenSSL_reference(benchmark::State& state) {
  const std::string bytes(static_cast<std::size_t>(state.range(0)), '\x5a');
  unsigned char digest[EVP_MAX_MD_SIZE];
  for (auto _ : state) {
    unsigned int size = 0;
    EVP_Digest(bytes.data(), bytes.size(), digest, &size, EVP_sha256(), nullptr);
    benchmark::DoNotOptimize(digest);
  }
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Sha256_OpenSSL_reference)->Arg(2 * MB)->Unit(benchmark::kMicrosecond);
#endif

// files::read from the page cache: the proxy (2 MB) and a big config (10 MB).
void BM_ReadFile(benchmark::State& state) {
  const auto path =
      std::filesystem::temp_directory_path() / ("ptvsd-bench-read-" + std::to_string(::getpid()) + ".bin");
  {
    std::ofstream out(path, std::ios::binary);
    const std::string bytes(static_cast<std::size_t>(state.range(0)), 'x');
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  for (auto _ : state) {
    auto bytes = ptvsd::files::read(path);
    benchmark::DoNotOptimize(bytes.data());
  }
  state.SetBytesProcessed(state.iterations() * state.range(0));
  std::error_code ignored;
  std::filesystem::remove(path, ignored);
}
BENCHMARK(BM_ReadFile)->Arg(2 * MB)->Arg(10 * MB)->Unit(benchmark::kMicrosecond);

}  // namespace

int main(int argc, char** argv) {
  ptvsd::wipe_xml_memory_on_free();  // as the tool's main() does: it is part of the cost
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
