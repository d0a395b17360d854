#include "core/live/DropPlan.h"

#include "core/util/Json.h"
#include "core/util/SafeFile.h"

#include <QDir>
#include <QFileInfo>

namespace lb {

QString guessEntryScript(const QString& folder) {
    const QDir dir(folder);
    for (const char* name : {"train.py", "main.py", "run.py"}) {
        if (QFileInfo(dir.filePath(QLatin1String(name))).isFile())
            return QLatin1String(name);
    }
    const QStringList scripts =
        dir.entryList({QStringLiteral("*.py")}, QDir::Files | QDir::Readable, QDir::Name);
    if (scripts.size() == 1)
        return scripts.front();
    for (const QString& s : scripts) {
        QByteArray text;
        try {
            text = readFileWithLimit(dir.filePath(s), 4 << 20); // no FIFO hangs the drop (#25)
        } catch (const Error&) {
            continue;
        }
        if (text.contains("__name__") && text.contains("__main__"))
            return s;
    }
    return {};
}

QStringList listScripts(const QString& folder) {
    const QDir dir(folder);
    QStringList result;
    for (const QFileInfo& f : dir.entryInfoList(QDir::Files | QDir::Readable, QDir::Name)) {
        const QString n = f.fileName();
        if (n.endsWith(QLatin1String(".py")) || n.endsWith(QLatin1String(".sh")) ||
            (f.isExecutable() && !n.contains(QLatin1Char('.'))))
            result.append(n);
    }
    return result;
}

bool looksLikeEstimatorJson(const QString& path) {
    try {
        const QByteArray text = readFileWithLimit(path, 1 << 20); // no FIFO hangs the drop (#25)
        const Json j = Json::parse(text.begin(), text.end());
        return j.is_object() && (j.contains("entry_script") || j.contains("source_directory"));
    } catch (const std::exception&) {
        return false;
    }
}

QList<DropAction> planDrop(const QStringList& paths) {
    QList<DropAction> actions;
    for (const QString& path : paths) {
        DropAction a;
        a.path = path;
        const QFileInfo info(path);
        const QString name = info.fileName();
        if (path.isEmpty() || !info.exists()) {
            a.reason = QStringLiteral("%1 does not exist; drop a local file or folder.")
                           .arg(path.isEmpty() ? QStringLiteral("The dropped item") : name);
        } else if (info.isDir()) {
            a.kind = DropAction::Kind::Folder;
            a.sourceDirectory = info.absoluteFilePath();
            a.entryScript = guessEntryScript(a.sourceDirectory);
        } else if (name.endsWith(QLatin1String(".py"), Qt::CaseInsensitive) ||
                   name.endsWith(QLatin1String(".sh")) ||
                   (info.isExecutable() && !name.contains(QLatin1Char('.')))) {
            a.kind = DropAction::Kind::Script;
            a.sourceDirectory = info.absolutePath();
            a.entryScript = name;
        } else if (name.endsWith(QLatin1String(".json"), Qt::CaseInsensitive)) {
            if (looksLikeEstimatorJson(path)) {
                a.kind = DropAction::Kind::Estimator;
            } else {
                a.reason = QStringLiteral("%1 is not an estimator (no entry_script or "
                                          "source_directory); drop an estimator JSON.")
                               .arg(name);
            }
        } else {
            a.reason = QStringLiteral("Cannot open %1: drop a Python script, a folder or an "
                                      "estimator JSON.")
                           .arg(name);
        }
        actions.append(a);
    }
    return actions;
}

} // namespace lb
