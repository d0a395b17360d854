#pragma once
// Reads a script's argparse flags by running the shipped reader (python3 + ast, never the script
// itself) in a child process with a timeout. Asynchronous for the UI; read() blocks for tests
// and background threads.

#include "core/argparse/ScriptArguments.h"

#include <QObject>
#include <QPointer>
#include <QProcess>
#include <QTimer>

namespace lb {

class ArgparseReader : public QObject {
    Q_OBJECT
public:
    explicit ArgparseReader(QObject* parent = nullptr);
    ~ArgparseReader() override;

    // <program dir>/../share/labbench/python/labbench_argparse_reader.py, or under
    // $LABBENCH_SHARE_DIR/python when set.
    static QString readerScript();

    void setPython(const QString& python) { python_ = python; }
    void setTimeoutMs(int ms) { timeoutMs_ = ms; }

    // Starts reading `script`; finished() or failed() follows (a newer start() wins).
    void start(const QString& script);

    // Blocking read; throws lb::Error with the reason (timeout, no python3, syntax error).
    static ScriptArguments read(const QString& script, int timeoutMs = 5000,
                                const QString& python = QStringLiteral("python3"));

signals:
    void finished(const QString& script, const lb::ScriptArguments& arguments);
    void failed(const QString& script, const QString& message);

private:
    void onFinished();
    QString python_ = QStringLiteral("python3");
    int timeoutMs_ = 5000;
    QProcess* process_ = nullptr;
    QTimer timer_;
    QString script_;
};

} // namespace lb
