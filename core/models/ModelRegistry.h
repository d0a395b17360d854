#pragma once
// The workspace's model registry: a file or folder a run left in its snapshot, copied into
// models/<name>/<version>/ with an auto-incremented version per name, tags and properties, so
// the model outlives the run it came from (Azure ML's Model.register / run.register_model).

#include "core/store/Entities.h"

#include <QMap>
#include <QString>
#include <optional>

namespace lb {

class Workspace;

// "NAME" or "NAME:VERSION" as the command line writes a model.
struct ModelRef {
    QString name;
    int version = -1; // -1: the latest
    // Throws lb::UsageError for an empty name, a version that is not a positive number, or (with
    // `requireVersion`) a missing version.
    static ModelRef parse(const QString& text, bool requireVersion);
    QString toString() const;
};

struct ModelRegistration {
    QString runId;
    QString name;
    QString path; // relative to the run's snapshot: "outputs/model.npz"
    QMap<QString, QString> tags;
    QMap<QString, QString> properties;
    QString description;
    bool force = false; // allow a run that is not Completed
};

class ModelRegistry {
public:
    explicit ModelRegistry(Workspace& workspace);

    // Copies the file or folder and records the next version of the name in one transaction.
    // Refuses (lb::Error, one sentence naming the fix): an invalid name, an unknown run, a run
    // that is not Completed without `force`, a path that is absolute, contains "..", is missing,
    // or leaves the run's snapshot (itself or through a symbolic link inside a folder).
    ModelVersion registerModel(const ModelRegistration& registration);

    // The version `ref` names (latest without a version); lb::NotFoundError when there is none.
    ModelVersion get(const ModelRef& ref);
    QList<ModelVersion> list(const QString& name = {});

    // Copies the model's file or folder into `toDir` (created if needed) under its own name and
    // returns the path written. Writes nothing outside `toDir`, and refuses to overwrite.
    QString download(const ModelRef& ref, const QString& toDir);

    // Sets tags on one version (`ref` must carry a version).
    ModelVersion tag(const ModelRef& ref, const QMap<QString, QString>& tags);

    // Removes one version and its files (`ref` must carry a version).
    void remove(const ModelRef& ref);

    // Names become folder names: letters, digits, '.', '_' and '-', starting with a letter or
    // digit, at most 255 characters. Throws lb::UsageError otherwise.
    static void validateName(const QString& name);

    // "key=value" words into a map; throws lb::UsageError naming `option` for a word without '='
    // or with an empty key.
    static QMap<QString, QString> parsePairs(const QStringList& words, const QString& option);

private:
    Workspace& ws_;
};

} // namespace lb
