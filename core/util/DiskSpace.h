#pragma once
// How much room the file system holding a path has left, for the places that must behave
// differently on a full disk (#20 item 4): the store opens read-only, the supervisor holds the
// script's output and its exit until they can be written, and readers say why ingest paused.

#include <QString>

#include <cstdint>
#include <optional>

namespace lb {

// Bytes an ordinary user may still write on the file system holding `path` (a file or folder);
// nullopt when it cannot be asked.
std::optional<std::uint64_t> freeBytes(const QString& path);

// True when that file system has less than 64 KiB left: too little for SQLite's WAL files or an
// exit record.
bool diskIsFull(const QString& path);

// "The disk holding PATH is full (12 KiB free): …", the sentence readers show while it lasts.
QString diskFullReason(const QString& path);

} // namespace lb
