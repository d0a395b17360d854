#include "tests/fuzz/FuzzInput.h"

#include <QDir>
#include <QFile>

#include <cstdlib>
#include <unistd.h>

namespace lb::fuzz {

QString scratchDir() {
    static const QString dir = [] {
        const QString d = QDir::tempPath() + QStringLiteral("/labbench-fuzz-%1").arg(::getpid());
        QDir().mkpath(d);
        // Leave no scratch folder behind when the fuzzer exits normally.
        std::atexit([] { QDir(QDir::tempPath() + QStringLiteral("/labbench-fuzz-%1").arg(::getpid())).removeRecursively(); });
        return d;
    }();
    return dir;
}

QString writeInputFile(const std::uint8_t* data, std::size_t size, const QString& name) {
    const QString path = scratchDir() + QLatin1Char('/') + name;
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
        f.write(reinterpret_cast<const char*>(data), qint64(size)) != qint64(size))
        std::abort(); // the harness itself is broken: say so loudly rather than fuzz nothing
    return path;
}

} // namespace lb::fuzz
