#pragma once
// What every fuzz target shares: the input as Qt bytes, and as a file for parsers whose real
// entry point reads one (IDX, config.json, estimator and sweep files, mirror records).

#include <QByteArray>
#include <QString>

#include <cstddef>
#include <cstdint>

namespace lb::fuzz {

inline QByteArray bytes(const std::uint8_t* data, std::size_t size) {
    return QByteArray(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
}

// Writes the input to this process's scratch file `name` (under $TMPDIR, one folder per process
// so that targets running side by side never share a file) and returns its path.
QString writeInputFile(const std::uint8_t* data, std::size_t size, const QString& name);

// The scratch folder writeInputFile uses (for parsers that take a workspace root).
QString scratchDir();

} // namespace lb::fuzz
