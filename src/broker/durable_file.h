// Small metadata files the broker keeps (topic.properties, producer_ids,
// meta.properties), written so that a crash leaves the old or the new one.
#pragma once

#include <filesystem>
#include <string>

#include "common/status.h"

namespace runnel::broker {

// A temporary file, fdatasync, rename over `path`, fsync of the directory.
Status write_file_atomically(const std::filesystem::path& path, const std::string& contents);

// Makes a directory's entries (files created, renamed or removed in it)
// durable. Best effort: a directory that cannot be opened is not synced.
void sync_directory(const std::filesystem::path& dir);

}  // namespace runnel::broker
