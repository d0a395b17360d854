#pragma once
// A core check's message in a form's own words (#23 item 9). The core names a field by its JSON
// key ("the form: \"source_directory\" is missing. … e.g. \"source_directory\": \".\" (or
// --source DIR).") because the CLI and estimator files use those keys; a form names the field
// by the label it shows ("Source folder is missing. …"). The core's sentences stay as they are;
// only the keys, the JSON examples and the command-line hints are put in the form's terms.

#include <QList>
#include <QString>

namespace lb::ui {

struct FieldLabel {
    QString key;   // "source_directory"
    QString label; // "Source folder"
};

// The key of the field a core message is about: the quoted key right after its origin
// ("the form: \"entry_script\" …" → "entry_script"), else the first known key it holds.
QString fieldKeyOf(const QString& message, const QList<FieldLabel>& labels);

// The message with the origin dropped, each known key replaced by its label, JSON examples
// ("e.g. \"entry_script\": \"train.py\"") shortened to their value and "(or --entry FILE)"
// hints left out.
QString inFormWords(const QString& message, const QList<FieldLabel>& labels);

} // namespace lb::ui
