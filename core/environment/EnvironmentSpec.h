#pragma once
// What a run's environment is made of, reduced to a canonical form and a hash: two estimators
// that ask for the same interpreter and the same packages (in any order) share one environment.

#include "core/util/Json.h"

#include <QString>
#include <QStringList>

namespace lb {

struct Estimator;

struct EnvironmentSpec {
    enum class Kind { System, Venv, Conda, Container };

    Kind kind = Kind::System;
    QString python;                 // the interpreter as an absolute path (Venv, Conda: the base)
    QStringList pipPackages;        // sorted, without duplicates
    QStringList condaPackages;      // sorted, without duplicates
    QString image;                  // Container
    QString imageId;                // Container with pip packages: the image's id, in the hash
    bool systemSitePackages = true; // the interpreter's own packages stay importable (Venv)

    // The spec an estimator asks for. `defaultPython` is used when the estimator names none
    // (a compute target's python, else "python3"); a bare name is looked up on `searchPath`
    // (a PATH-style list; empty = this process's PATH). Throws lb::Error naming the field and
    // the fix for an interpreter that is not found, a package that looks like an option
    // ("-r", "--index-url=…"), or conda packages together with a container image.
    static EnvironmentSpec fromEstimator(const Estimator& estimator, const QString& defaultPython,
                                         const QString& searchPath = {});

    // The pip environment an estimator asks for on a remote target, where the interpreter is
    // looked up there (so `python` stays as named: the estimator's, else `targetPython`, else
    // "python3"). Packages pass the same checks as fromEstimator() and, as they travel in a
    // remote command line, must also be plain requirements (name, extras, version
    // specifiers): markers, URLs and shell characters are refused with lb::Error. Kind is
    // System when there are no pip packages. Conda packages and images are not looked at.
    static EnvironmentSpec forRemote(const Estimator& estimator, const QString& targetPython);

    // The canonical JSON the hash is computed from (stable key order, sorted lists).
    Json toJson() const;
    // 16 hex digits of SHA-256 over toJson(): the environment's folder name.
    QString hash() const;
    static QString kindName(Kind kind);
};

// Finds `program` (a bare name) on a PATH-style list, or checks an absolute or relative path;
// empty when not found or not executable. An empty `searchPath` means this process's PATH.
QString findProgram(const QString& program, const QString& searchPath = {});

} // namespace lb
