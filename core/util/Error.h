#pragma once
// Error types shared by the core: one clear sentence for the user, and the exit code it maps to.

#include <QString>

#include <stdexcept>

namespace lb {

// A failure the user can act on; what() is a complete sentence that says what is wrong and how
// to fix it. The CLI prints it to stderr and exits 1.
class Error : public std::runtime_error {
public:
    explicit Error(const QString& message) : std::runtime_error(message.toStdString()) {}
    QString message() const { return QString::fromStdString(what()); }
};

// Wrong command-line usage (unknown option, missing argument). The CLI exits 2.
class UsageError : public Error {
public:
    using Error::Error;
};

// A name (run id, model, compute target) that does not exist.
class NotFoundError : public Error {
public:
    using Error::Error;
};

} // namespace lb
