#pragma once
// Secret environment variables of a run (#25): their values never rest in run.json, the store,
// sweep.json or a command line. A variable is secret when it was given with --secret-env (the
// estimator's "secret_environment_variables"), or when its name contains TOKEN, SECRET,
// PASSWORD or KEY (any case) and it was not given with --public-env
// ("public_environment_variables"). Everywhere else its value shows as "***"; the real values
// live in a file of their own beside the run, readable by its owner only (mode 0600), and reach
// the script through its environment.

#include <QMap>
#include <QString>

namespace lb {

struct Estimator;

// What is shown in place of a secret value.
inline const QString kMaskedSecret = QStringLiteral("***");

// The name contains TOKEN, SECRET, PASSWORD or KEY, in any case.
bool looksSecret(const QString& name);

// Name -> value of every secret variable of `e`.
QMap<QString, QString> secretValues(const Estimator& e);

// Writes `values` to `path` as JSON (values as JsonValues.h writes strings), created with mode
// 0600 and replaced atomically; writes nothing when there are none. Throws lb::Error.
void writeSecretsFile(const QString& path, const QMap<QString, QString>& values);

// Puts the real values from `path` back into `e` (stored estimators hold "***"). Throws
// lb::Error naming the variable when `e` has a secret variable the file does not hold.
void restoreSecrets(const QString& path, Estimator& e);

} // namespace lb
