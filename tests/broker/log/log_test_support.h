// Helpers for the log's tests: a temporary directory removed afterwards, and
// the batch headers of a read's bytes.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <vector>

#include "broker/log/record_batch.h"

namespace runnel::broker {

class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("runnel-log-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// The headers of whole batches; fails the test if `records` is not that.
inline std::vector<BatchHeader> headers_of(const std::string& records) {
  if (records.empty()) return {};
  auto split = split_batches(records);
  EXPECT_TRUE(split.is_ok()) << split.status().to_string();
  return split.is_ok() ? *split : std::vector<BatchHeader>{};
}

inline std::vector<std::filesystem::path> files_with_extension(const std::filesystem::path& dir,
                                                                const std::string& extension) {
  std::vector<std::filesystem::path> out;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == extension) out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace runnel::broker
