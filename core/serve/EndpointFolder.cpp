#include "core/serve/EndpointFolder.h"

#include "core/util/Error.h"
#include "core/workspace/mirror/EndpointFile.h"

#include <QRegularExpression>

namespace lb {

EndpointFolder::EndpointFolder(const QString& workspaceRoot, const QString& name)
    : dir(endpointsDir(workspaceRoot) + QLatin1Char('/') + name) {}

void validateEndpointName(const QString& name) {
    static const QRegularExpression valid(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"));
    if (!valid.match(name).hasMatch())
        throw UsageError(QStringLiteral("'%1' is not a valid endpoint name: use letters, digits, "
                                        "'.', '_' and '-', starting with a letter or digit, at "
                                        "most 64 characters.")
                             .arg(name));
}

} // namespace lb
