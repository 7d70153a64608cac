// What a command that changes files (publish, rotate, url) decides, and hands to the one executor
// (commands/executor.h), which acts on it. debug_config.h's rule ("decided without the disk")
// one level up: a plan is a value, so a whole command's decision is tested without a disk
// (tests/unit/plan_test.cpp), and the secret flows one way, from the plan into the files.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <variant>
#include <vector>

#include "core/files.h"
#include "core/output.h"
#include "core/secret.h"

namespace ptvsd {

// One file a plan replaces (or creates), with what files::Replacement needs.
struct PlannedFile {
  std::filesystem::path path;
  // Bytes the plan made, or a file copied as it is (the packaged proxy: files::FileVersion).
  std::variant<SensitiveString, files::FileVersion> contents;
  std::filesystem::perms new_file_mode = files::owner_only;
  bool must_be_new = false;  // files::AtomicFile
  std::optional<platform::FileIdentity> unchanged_since = std::nullopt;
};

// Every file a step replaces, together and all or nothing (one files::replace_all), the folders
// they need, and what the run reports. The executor puts the delivery files (--secret-file,
// $GITHUB_OUTPUT: with_delivery) first, so that a kill between two renames leaves a secret
// delivered but not yet in use, never one in use that nobody received.
struct Plan {
  std::vector<std::filesystem::path> new_folders;  // created (with parents) just before the files,
                                                   // removed again if replacing them fails
  std::vector<PlannedFile> files;
  // Merged into the run's report before the files are replaced: what was decided (template,
  // details, warnings about the inputs) still shows if replacing fails, and the secrets are
  // masked before any file holds them.
  Report decided;
  // Merged once the files are replaced: what was written, the summary, warnings about what was
  // done, the strength of the secrets written.
  Report done;
};

// One all-or-nothing step: the executor creates the missing lock folders (when asked), takes the
// folders' locks, and only then asks for the plan, since a command reads the files it replaces
// under their locks: concurrent runs on one file take turns instead of failing with
// Error(changed_meanwhile). Functions, not values, because both may fail, and a failure belongs
// to its step (rotate --keep-going reports it and goes on with the next).
struct Step {
  std::function<std::vector<std::filesystem::path>()> folders_to_lock = [] {
    return std::vector<std::filesystem::path>{};  // none (url)
  };
  bool create_lock_folders = false;  // publish --debug-config-dir: the lock goes with the new file
  std::function<Plan()> decide;
};

// What a command that changes files returns to the executor.
struct Work {
  std::vector<Step> steps;
  // A step that fails is reported as an error and the next one runs; the run exits with the first
  // failure's code (rotate --keep-going). Otherwise the first failure ends the run.
  bool keep_going = false;
  // After the steps, given how many files of their plans were replaced (the delivery files not
  // counted): a summary over all of them (rotate's count of files).
  std::function<void(Report& report, std::size_t files_replaced)> summarize = nullptr;
};

}  // namespace ptvsd
