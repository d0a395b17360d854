#include "core/environment/EnvironmentSpec.h"

#include "core/estimator/Estimator.h"
#include "core/util/Error.h"
#include "core/util/JsonValues.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QStandardPaths>

namespace lb {

namespace {

// Trimmed, without empties and duplicates, sorted: the order packages were listed in does not
// change what gets installed (pip resolves them together).
QStringList canonicalPackages(const QStringList& packages, const QString& field) {
    QStringList out;
    for (const QString& raw : packages) {
        const QString p = raw.trimmed();
        if (p.isEmpty()) continue;
        // Packages go to pip/conda as separate argv words; a word starting with '-' would be
        // read as an option (-r FILE, --index-url URL), so it is refused rather than passed on.
        if (p.startsWith(QLatin1Char('-')))
            throw Error(
                QStringLiteral("%1 entry '%2' looks like an option, not a package; list package "
                               "requirements only (e.g. 'six' or 'tomli>=2').")
                    .arg(field, p));
        if (p.contains(QChar(0)) || p.contains(QLatin1Char('\n')))
            throw Error(QStringLiteral("%1 entry '%2' contains a control character; remove it.")
                            .arg(field, p));
        out.append(p);
    }
    out.sort();
    out.removeDuplicates();
    return out;
}

// A requirement as a remote target accepts it: a name, optional [extras] and version
// specifiers (PEP 508 without markers or URLs), so nothing a shell or pip would read
// otherwise can come through ("tomli; rm -rf ~", "pkg @ http://…", "$(id)").
void checkPlainRequirement(const QString& p) {
    static const QRegularExpression re(
        QStringLiteral("^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?"
                       "( *\\[ *[A-Za-z0-9._-]+( *, *[A-Za-z0-9._-]+)* *\\])?"
                       "( *(===|~=|==|!=|<=|>=|<|>) *[A-Za-z0-9.*+!_-]+"
                       "( *, *(===|~=|==|!=|<=|>=|<|>) *[A-Za-z0-9.*+!_-]+)*)?$"));
    if (!re.match(p).hasMatch())
        throw Error(
            QStringLiteral("pip_packages entry '%1' is not a plain requirement; remote targets "
                           "accept a package name with optional extras and versions only "
                           "(e.g. 'tomli', 'tomli>=2,<3', 'requests[socks]==2.31').")
                .arg(p));
}

} // namespace

QString findProgram(const QString& program, const QString& searchPath) {
    if (program.isEmpty()) return {};
    if (program.contains(QLatin1Char('/'))) {
        const QFileInfo info(program);
        return info.isFile() && info.isExecutable() ? info.absoluteFilePath() : QString();
    }
    const QString path = searchPath.isEmpty() ? qEnvironmentVariable("PATH") : searchPath;
    return QStandardPaths::findExecutable(program,
                                          path.split(QLatin1Char(':'), Qt::SkipEmptyParts));
}

EnvironmentSpec EnvironmentSpec::fromEstimator(const Estimator& e, const QString& defaultPython,
                                               const QString& searchPath) {
    EnvironmentSpec spec;
    spec.pipPackages = canonicalPackages(e.pipPackages, QStringLiteral("pip_packages"));
    spec.condaPackages = canonicalPackages(e.condaPackages, QStringLiteral("conda_packages"));
    spec.image = e.customDockerImage.trimmed();
    if (!spec.image.isEmpty()) {
        if (spec.image.startsWith(QLatin1Char('-')) || spec.image.contains(QLatin1Char(' ')))
            throw Error(
                QStringLiteral("custom_docker_image '%1' is not an image name; use a name like "
                               "'python:3.11-slim' or 'registry/name:tag'.")
                    .arg(spec.image));
        if (!spec.condaPackages.isEmpty())
            throw Error(
                QStringLiteral(
                    "conda_packages cannot be added to custom_docker_image '%1'; install them "
                    "in the image (a Dockerfile RUN conda install …) and drop --conda (pip "
                    "packages work: they go to a virtual environment built in the image).")
                    .arg(spec.image));
        spec.kind = Kind::Container;
        spec.python = e.python.isEmpty() ? QStringLiteral("python3") : e.python; // inside the image
        return spec;
    }
    const QString named = !e.python.isEmpty()        ? e.python
                          : !defaultPython.isEmpty() ? defaultPython
                                                     : QStringLiteral("python3");
    if (spec.pipPackages.isEmpty() && spec.condaPackages.isEmpty()) {
        spec.kind = Kind::System;
        spec.python = named;
        return spec;
    }
    if (!spec.condaPackages.isEmpty()) {
        spec.kind = Kind::Conda; // conda brings its own interpreter (add "python=3.11" to pin it)
        return spec;
    }
    spec.kind = Kind::Venv;
    spec.python = findProgram(named, searchPath);
    if (spec.python.isEmpty())
        throw Error(
            QStringLiteral(
                "The interpreter '%1' (field python) was not found%2; install it or name an "
                "existing one with --python.")
                .arg(named,
                     named.contains(QLatin1Char('/')) ? QString() : QStringLiteral(" on PATH")));
    return spec;
}

EnvironmentSpec EnvironmentSpec::forRemote(const Estimator& e, const QString& targetPython) {
    EnvironmentSpec spec;
    spec.pipPackages = canonicalPackages(e.pipPackages, QStringLiteral("pip_packages"));
    for (const QString& p : spec.pipPackages)
        checkPlainRequirement(p);
    spec.python = !e.python.isEmpty()       ? e.python
                  : !targetPython.isEmpty() ? targetPython
                                            : QStringLiteral("python3");
    spec.kind = spec.pipPackages.isEmpty() ? Kind::System : Kind::Venv;
    return spec;
}

QString EnvironmentSpec::kindName(Kind kind) {
    switch (kind) {
    case Kind::System:
        return QStringLiteral("system");
    case Kind::Venv:
        return QStringLiteral("venv");
    case Kind::Conda:
        return QStringLiteral("conda");
    case Kind::Container:
        return QStringLiteral("container");
    }
    return {};
}

Json EnvironmentSpec::toJson() const {
    Json j;
    j["kind"] = toStd(kindName(kind));
    j["python"] = toStd(python);
    j["pip_packages"] = jsonStringList(pipPackages);
    j["conda_packages"] = jsonStringList(condaPackages);
    j["image"] = toStd(image);
    if (!imageId.isEmpty()) // only for pip on an image, so other hashes stay as they were
        j["image_id"] = toStd(imageId);
    j["system_site_packages"] = systemSitePackages;
    return j;
}

QString EnvironmentSpec::hash() const {
    const QByteArray canonical = QByteArray::fromStdString(toJson().dump());
    return QString::fromLatin1(
        QCryptographicHash::hash(canonical, QCryptographicHash::Sha256).toHex().left(16));
}

} // namespace lb
