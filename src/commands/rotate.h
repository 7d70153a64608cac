// What a rotation decides, from values only: the pure half of `rotate` (rotate.cpp expands the
// arguments and reads each file under its folder's lock), tested without a disk in
// tests/unit/plan_test.cpp.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "commands/plan.h"
#include "core/files.h"
#include "core/secret.h"

namespace ptvsd {

// How the plan gets each config, in order: read from the disk (files::read_contents), or from
// memory in a test. Reading, parsing and splicing go file by file, so the first file that fails is
// the one reported.
using ReadConfig = std::function<files::Contents(const std::string& path)>;

// The secret for the next file: a new one each time, or with --same-secret the run's one secret
// (shared by the steps of --keep-going too).
using NextSecret = std::function<const Secret&()>;

// Each config with a new WSGI_PTVSD_SECRET value spliced in (every other byte kept), replaced only
// if unchanged since it was read; the report records each secret (one shared secret once, for "all
// files"), what was written and the secrets' strength. Throws for a config that cannot be read,
// parsed or spliced.
Plan plan_rotation(const std::vector<std::string>& paths, const ReadConfig& read, bool same_secret,
                   const NextSecret& next_secret);

// The summary after `files` (at least one) were rotated with `bits`-bit secrets.
std::string rotation_summary(std::size_t files, std::size_t bits, bool same_secret);

}  // namespace ptvsd
