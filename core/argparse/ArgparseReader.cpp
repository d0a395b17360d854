#include "core/argparse/ArgparseReader.h"

#include "core/util/Error.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace lb {

namespace {

QString timeoutMessage(const QString& script, int ms) {
    return QStringLiteral("Reading the arguments of %1 took longer than %2 s; fill the parameters "
                          "by hand.")
        .arg(QFileInfo(script).fileName())
        .arg(ms / 1000.0);
}

QString startMessage(const QString& python) {
    return QStringLiteral("Cannot start %1 to read the script's arguments; install Python 3 or "
                          "fill the parameters by hand.")
        .arg(python);
}

} // namespace

ArgparseReader::ArgparseReader(QObject* parent) : QObject(parent) {
    timer_.setSingleShot(true);
    connect(&timer_, &QTimer::timeout, this, [this] {
        if (!process_)
            return;
        QProcess* p = process_;
        process_ = nullptr;
        p->disconnect(this);
        p->kill();
        connect(p, &QProcess::finished, p, &QObject::deleteLater);
        emit failed(script_, timeoutMessage(script_, timeoutMs_));
    });
}

ArgparseReader::~ArgparseReader() {
    if (process_) {
        process_->disconnect(this);
        process_->kill();
        process_->waitForFinished(1000);
    }
}

QString ArgparseReader::readerScript() {
    const QString name = QStringLiteral("python/labbench_argparse_reader.py");
    const QString env = qEnvironmentVariable("LABBENCH_SHARE_DIR");
    if (!env.isEmpty())
        return QDir(env).filePath(name);
    return QDir(QCoreApplication::applicationDirPath())
        .filePath(QStringLiteral("../share/labbench/") + name);
}

void ArgparseReader::start(const QString& script) {
    if (process_) {
        process_->disconnect(this);
        process_->kill();
        connect(process_, &QProcess::finished, process_, &QObject::deleteLater);
        process_ = nullptr;
    }
    script_ = script;
    process_ = new QProcess(this);
    process_->setProgram(python_);
    // -I: isolated mode, so nothing from the script's folder or the user's site is imported.
    process_->setArguments({QStringLiteral("-I"), readerScript(), script});
    process_->setProcessChannelMode(QProcess::SeparateChannels);
    QProcess* p = process_;
    connect(p, &QProcess::finished, this, [this, p] {
        if (p == process_)
            onFinished();
    });
    connect(p, &QProcess::errorOccurred, this, [this, p](QProcess::ProcessError error) {
        if (p != process_ || error != QProcess::FailedToStart)
            return;
        timer_.stop();
        process_ = nullptr;
        p->deleteLater();
        emit failed(script_, startMessage(python_));
    });
    timer_.start(timeoutMs_);
    p->start();
}

void ArgparseReader::onFinished() {
    timer_.stop();
    QProcess* p = process_;
    process_ = nullptr;
    p->deleteLater();
    const QByteArray out = p->readAllStandardOutput();
    try {
        if (out.trimmed().isEmpty())
            throw Error(QStringLiteral("The argparse reader failed for %1: %2")
                            .arg(QFileInfo(script_).fileName(),
                                 QString::fromUtf8(p->readAllStandardError()).trimmed()));
        emit finished(script_, ScriptArguments::fromJson(out, script_));
    } catch (const Error& e) {
        emit failed(script_, e.message());
    }
}

ScriptArguments ArgparseReader::read(const QString& script, int timeoutMs, const QString& python) {
    QProcess p;
    p.start(python, {QStringLiteral("-I"), readerScript(), script});
    if (!p.waitForStarted(timeoutMs))
        throw Error(startMessage(python));
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(1000);
        throw Error(timeoutMessage(script, timeoutMs));
    }
    const QByteArray out = p.readAllStandardOutput();
    if (out.trimmed().isEmpty())
        throw Error(QStringLiteral("The argparse reader failed for %1: %2")
                        .arg(QFileInfo(script).fileName(),
                             QString::fromUtf8(p.readAllStandardError()).trimmed()));
    return ScriptArguments::fromJson(out, script);
}

} // namespace lb
