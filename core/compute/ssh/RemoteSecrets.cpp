#include "core/compute/ssh/RemoteSecrets.h"

#include "core/estimator/Estimator.h"
#include "core/estimator/SecretVariables.h"
#include "core/remote/RemoteShell.h"
#include "core/remote/ShellQuote.h"
#include "core/util/ByteStrings.h"

namespace lb {

QByteArray secretsShellScript(const QMap<QString, QString>& values) {
    QByteArray script;
    for (auto it = values.cbegin(); it != values.cend(); ++it)
        // Names were validated as [A-Za-z_][A-Za-z0-9_]*; the value is one quoted word.
        script += "export " + it.key().toUtf8() + '=' + encodeBytes(shellQuote(it.value())) + '\n';
    return script;
}

void storeRemoteSecrets(RemoteShell& shell, const RemoteLayout& layout, const QString& runId,
                        const Estimator& e) {
    const QMap<QString, QString> values = secretValues(e);
    if (values.isEmpty()) return;
    shell.check(
        {QStringLiteral("sh"), layout.helper(), QStringLiteral("secrets"), layout.runDir(runId)},
        QStringLiteral("store the run's secret variables"), secretsShellScript(values));
}

} // namespace lb
