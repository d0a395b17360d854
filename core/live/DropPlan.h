#pragma once
// What dropping files on the workbench means, decided without widgets: a script opens a
// prefilled estimator form, a folder the form with its likeliest entry script, an estimator
// JSON that estimator; anything else is refused with a reason for the status bar.

#include <QList>
#include <QString>
#include <QStringList>

namespace lb {

struct DropAction {
    enum class Kind { Script, Folder, Estimator, Refused };
    Kind kind = Kind::Refused;
    QString path;            // what was dropped
    QString sourceDirectory; // Script, Folder: the estimator's source_directory
    QString entryScript;     // Script, Folder: relative to sourceDirectory (Folder: may be empty)
    QString reason;          // Refused: one sentence
};

// One action per dropped path, in order. Reads only names and small JSON files.
QList<DropAction> planDrop(const QStringList& paths);

// The likeliest entry script of a folder: train.py, main.py, run.py, the only .py file, else a
// .py with `if __name__ == "__main__"` (alphabetically first); empty when there is none.
QString guessEntryScript(const QString& folder);

// The candidate entry scripts of a folder (*.py, *.sh, executables), by name.
QStringList listScripts(const QString& folder);

// True when `path` is a JSON object with estimator keys (entry_script or source_directory).
bool looksLikeEstimatorJson(const QString& path);

} // namespace lb
