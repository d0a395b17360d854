#include "ui/common/FormWords.h"

#include <QRegularExpression>

namespace lb::ui {

QString fieldKeyOf(const QString& message, const QList<FieldLabel>& labels) {
    static const QRegularExpression lead(QStringLiteral("^[^\"]*?: \"([A-Za-z_.]+)\""));
    const QRegularExpressionMatch m = lead.match(message);
    if (m.hasMatch())
        for (const FieldLabel& f : labels)
            if (f.key == m.captured(1))
                return f.key;
    // No leading key: the key named earliest in the message, not the first one in the list
    // (an entry-script message also mentions source_directory, #23 item 6).
    qsizetype best = -1;
    QString key;
    for (const FieldLabel& f : labels) {
        const qsizetype at = message.indexOf(f.key);
        if (at >= 0 && (best < 0 || at < best)) {
            best = at;
            key = f.key;
        }
    }
    return key;
}

QString inFormWords(const QString& message, const QList<FieldLabel>& labels) {
    QString text = message;
    // "the form: \"key\" …" → "\"key\" …": the origin names the form the user is looking at.
    static const QRegularExpression origin(QStringLiteral("^[^\"]*?: (?=\")"));
    text.remove(origin);
    // Hints for the command line mean nothing in a form.
    static const QRegularExpression cliHint(QStringLiteral(" \\(or --[^)]*\\)"));
    text.remove(cliHint);
    // What stands for a key in running text: "remove parameter_server_count" means setting it
    // to nothing, which in a spin box is 0.
    text.replace(QStringLiteral("or remove parameter_server_count"),
                 QStringLiteral("or set parameter_server_count to 0"));
    for (const FieldLabel& f : labels) {
        const QString quoted = QLatin1Char('"') + f.key + QLatin1Char('"');
        // e.g. "entry_script": "train.py" → e.g. "train.py"
        text.replace(QStringLiteral("e.g. ") + quoted + QStringLiteral(": "), QStringLiteral("e.g. "));
        // Set "parameter_server_count": 1 → Set Parameter servers to 1
        text.replace(quoted + QStringLiteral(": "), f.label + QStringLiteral(" to "));
        text.replace(quoted, f.label);
        // A bare key ("relative to source_directory"); only keys with an underscore or a dot, so that
        // words such as "experiment" in a sentence stay words.
        if (f.key.contains(QLatin1Char('_')) || f.key.contains(QLatin1Char('.')))
            text.replace(QRegularExpression(QStringLiteral("\\b%1\\b")
                                                .arg(QRegularExpression::escape(f.key))),
                         f.label);
    }
    if (!text.isEmpty())
        text[0] = text[0].toUpper();
    return text;
}

} // namespace lb::ui
