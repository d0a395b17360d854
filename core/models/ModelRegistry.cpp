#include "core/models/ModelRegistry.h"

#include "core/models/ModelFiles.h"
#include "core/store/Database.h"
#include "core/store/Store.h"
#include "core/util/Error.h"
#include "core/workspace/Workspace.h"

#include <QDir>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <unistd.h>

namespace lb {

namespace {

QString versionDir(const Workspace& ws, const QString& name, int version) {
    return ws.modelsDir() + QLatin1Char('/') + name + QLatin1Char('/') + QString::number(version);
}

// Removes a version's folder, only ever below the models folder.
void removeVersionFolder(const Workspace& ws, const QString& name, int version) {
    const QString dir = versionDir(ws, name, version);
    const QString models = QFileInfo(ws.modelsDir()).canonicalFilePath();
    const QString canonical = QFileInfo(dir).canonicalFilePath();
    if (!canonical.isEmpty() && !models.isEmpty() &&
        canonical.startsWith(models + QLatin1Char('/')))
        QDir(canonical).removeRecursively();
    QDir().rmdir(ws.modelsDir() + QLatin1Char('/') + name); // only when empty
}

} // namespace

ModelRef ModelRef::parse(const QString& text, bool requireVersion) {
    ModelRef ref;
    const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
    ref.name = colon < 0 ? text : text.left(colon);
    if (colon >= 0) {
        bool ok = false;
        ref.version = text.mid(colon + 1).toInt(&ok);
        if (!ok || ref.version < 1)
            throw UsageError(
                QStringLiteral(
                    "'%1' has no valid version; write NAME:VERSION with a version of 1 or "
                    "more, like model:2.")
                    .arg(text));
    }
    if (ref.name.isEmpty())
        throw UsageError(
            QStringLiteral("'%1' names no model; write NAME or NAME:VERSION.").arg(text));
    if (requireVersion && ref.version < 0)
        throw UsageError(
            QStringLiteral("'%1' needs a version; write NAME:VERSION ('labbench models list' shows "
                           "them).")
                .arg(text));
    return ref;
}

QString ModelRef::toString() const {
    return version < 0 ? name : name + QLatin1Char(':') + QString::number(version);
}

ModelRegistry::ModelRegistry(Workspace& workspace)
    : ws_(workspace) {}

void ModelRegistry::validateName(const QString& name) {
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$"));
    if (!re.match(name).hasMatch() || name.contains(QLatin1String("..")))
        throw UsageError(
            QStringLiteral("'%1' is not a valid model name; use letters, digits, '.', '_' and '-', "
                           "starting with a letter or digit (like mnist-mlp).")
                .arg(name));
}

QMap<QString, QString> ModelRegistry::parsePairs(const QStringList& words, const QString& option) {
    QMap<QString, QString> pairs;
    for (const QString& w : words) {
        const qsizetype eq = w.indexOf(QLatin1Char('='));
        if (eq <= 0)
            throw UsageError(
                QStringLiteral("%1 '%2' is not KEY=VALUE; write it like %1 framework=pytorch.")
                    .arg(option, w));
        pairs.insert(w.left(eq), w.mid(eq + 1));
    }
    return pairs;
}

ModelVersion ModelRegistry::registerModel(const ModelRegistration& r) {
    validateName(r.name);
    const auto run = ws_.store().runs().find(r.runId);
    if (!run)
        throw NotFoundError(
            QStringLiteral("There is no run '%1' in this workspace; 'labbench runs list' shows "
                           "them.")
                .arg(r.runId));
    if (run->status != RunStatus::Completed && !r.force)
        throw Error(
            QStringLiteral(
                "Run %1 is %2, not Completed; register from a completed run, or pass --force "
                "to register this one anyway.")
                .arg(r.runId, lb::toString(run->status)));
    const QString snapshot = run->runDir + QStringLiteral("/snapshot");
    const QString source = resolveInside(snapshot, r.path);
    const QString fileName = QFileInfo(QDir::cleanPath(r.path)).fileName();

    // Copy first, outside the transaction (a large model must not hold the store's write lock),
    // into a staging folder that becomes models/<name>/<version> only once the version is known.
    const QString staging =
        ws_.modelsDir() + QStringLiteral("/.staging-%1-%2")
                              .arg(::getpid())
                              .arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
    if (!QDir().mkpath(staging))
        throw Error(
            QStringLiteral("Cannot create %1; check the workspace's permissions and free space.")
                .arg(staging));
    ModelVersion model;
    try {
        model.size = copyTree(source, staging + QLatin1Char('/') + fileName, snapshot);
        Transaction tx(ws_.store().database());
        auto models = ws_.store().models();
        model.name = r.name;
        model.version = models.nextVersion(r.name);
        model.runId = r.runId;
        model.sourcePath = QDir::cleanPath(r.path);
        model.description = r.description;
        model.created = QDateTime::currentDateTimeUtc();
        model.tags = r.tags;
        model.properties = r.properties;
        const QString target = versionDir(ws_, r.name, model.version);
        model.path = target + QLatin1Char('/') + fileName;
        // A folder left by a registration that died before its commit holds no recorded model.
        if (QFileInfo::exists(target)) QDir(target).removeRecursively();
        QDir().mkpath(ws_.modelsDir() + QLatin1Char('/') + r.name);
        if (!QDir().rename(staging, target))
            throw Error(
                QStringLiteral("Cannot move the model into %1; check the workspace's permissions.")
                    .arg(target));
        try {
            models.add(model);
            tx.commit();
        } catch (...) {
            QDir(target).removeRecursively();
            throw;
        }
    } catch (...) {
        QDir(staging).removeRecursively();
        throw;
    }
    return model;
}

ModelVersion ModelRegistry::get(const ModelRef& ref) {
    validateName(ref.name);
    const auto model = ws_.store().models().find(ref.name, ref.version);
    if (!model)
        throw NotFoundError(
            QStringLiteral("There is no model %1 in this workspace; 'labbench models list' shows "
                           "them.")
                .arg(ref.toString()));
    return *model;
}

QList<ModelVersion> ModelRegistry::list(const QString& name) {
    return ws_.store().models().list(name);
}

QString ModelRegistry::download(const ModelRef& ref, const QString& toDir) {
    const ModelVersion model = get(ref);
    const QString fileName = QFileInfo(model.path).fileName();
    if (fileName.isEmpty() || fileName == QLatin1String("..") || fileName == QLatin1String("."))
        throw Error(QStringLiteral("The model %1 has no file name; register it again.")
                        .arg(ref.toString()));
    if (!QFileInfo::exists(model.path))
        throw Error(
            QStringLiteral("The files of model %1:%2 are missing from %3; register it again.")
                .arg(model.name)
                .arg(model.version)
                .arg(model.path));
    if (!QDir().mkpath(toDir))
        throw Error(QStringLiteral("Cannot create %1; check its permissions.").arg(toDir));
    const QString destination = QDir(toDir).absoluteFilePath(fileName);
    if (QFileInfo::exists(destination) || QFileInfo(destination).isSymLink())
        throw Error(QStringLiteral("%1 already exists; remove it or choose another --to folder.")
                        .arg(destination));
    copyTree(model.path, destination, versionDir(ws_, model.name, model.version));
    return destination;
}

ModelVersion ModelRegistry::tag(const ModelRef& ref, const QMap<QString, QString>& tags) {
    ModelVersion model = get(ref);
    Transaction tx(ws_.store().database());
    for (auto it = tags.begin(); it != tags.end(); ++it)
        ws_.store().models().setLabel(model.name, model.version, QStringLiteral("tag"), it.key(),
                                      it.value());
    tx.commit();
    return get(ref);
}

void ModelRegistry::remove(const ModelRef& ref) {
    const ModelVersion model = get(ref);
    if (!ws_.store().models().remove(model.name, model.version))
        throw NotFoundError(
            QStringLiteral("There is no model %1 in this workspace.").arg(ref.toString()));
    removeVersionFolder(ws_, model.name, model.version);
}

} // namespace lb
