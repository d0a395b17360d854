#pragma once
// A problem with one named field of something a user fills in (command-line options or a
// dialog's fields): the CLI prints the first one, a form marks each field with its own.

#include "core/util/Error.h"

#include <QList>
#include <QString>

namespace lb {

struct FieldProblem {
    QString field;   // the option's name without dashes: "port", "remote-dir", "name"
    QString message; // one sentence: what is wrong and how to fix it
};

using FieldProblems = QList<FieldProblem>;

// Throws lb::UsageError with the first problem's message; does nothing when there is none.
inline void throwFirstProblem(const FieldProblems& problems) {
    if (!problems.isEmpty()) throw UsageError(problems.first().message);
}

} // namespace lb
