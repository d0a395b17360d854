// The argparse reader parses scripts with ast in a child python3 and never runs them: flags,
// types, store_true, choices, required, defaults from constants, subparsers, argument groups;
// a script with side effects at import must not run; a syntax error and a hung interpreter give
// one clear sentence.
#include "tests/ui/UiTestSupport.h"
#include "core/argparse/ArgparseReader.h"
#include "core/util/Error.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QElapsedTimer>
#include <QTest>

using namespace lb;

namespace {

const ScriptArgument* find(const ScriptArguments& a, const QString& flag) {
    for (const ScriptArgument& arg : a.arguments)
        if (arg.flag == flag)
            return &arg;
    return nullptr;
}

} // namespace

class TestArgparseReader : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void trickyScript();
    void scriptIsNeverExecuted();
    void subparsers();
    void defaultParamsForTheForm();
    void syntaxErrorIsOneSentence();
    void hungInterpreterTimesOut();
    void asynchronousRead();

private:
    QString script(const QString& name, const QByteArray& text);
    QTemporaryDir dir_;
};

void TestArgparseReader::initTestCase() {
    QVERIFY2(QFileInfo::exists(ArgparseReader::readerScript()),
             qPrintable(ArgparseReader::readerScript()));
}

QString TestArgparseReader::script(const QString& name, const QByteArray& text) {
    const QString path = dir_.filePath(name);
    test::writeFile(path, text);
    return path;
}

void TestArgparseReader::trickyScript() {
    const QString path = script(QStringLiteral("train.py"), R"py(
import argparse
from argparse import ArgumentParser
DEFAULT_LR = 1e-3
HIDDEN = [128, 64]
BATCH: int = 2 ** 6

def build():
    p = ArgumentParser(description="train")
    p.add_argument("--lr", "--learning-rate", type=float, default=DEFAULT_LR,
                   help="learning rate")
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("-v", "--verbose", action="store_true", help="chatty")
    p.add_argument("--no-shuffle", dest="shuffle", action="store_false")
    p.add_argument("--optimizer", choices=["sgd", "adam"], default="adam")
    p.add_argument("--data-dir", required=True, help="where MNIST lives")
    p.add_argument("--hidden", type=int, nargs="+", default=HIDDEN)
    p.add_argument("--batch-size", type=int, default=BATCH)
    p.add_argument("--seed", type=int)
    p.add_argument("output")
    g = p.add_argument_group("logging")
    g.add_argument("--log-every", type=int, default=-5)
    return p

if __name__ == "__main__":
    args = build().parse_args()
)py");
    const ScriptArguments a = ArgparseReader::read(path);
    QCOMPARE(a.arguments.size(), 11);
    const ScriptArgument* lr = find(a, QStringLiteral("--lr"));
    QVERIFY(lr);
    QCOMPARE(lr->type, QStringLiteral("float"));
    QCOMPARE(lr->defaultText, QStringLiteral("0.001"));
    QCOMPARE(lr->help, QStringLiteral("learning rate"));
    QCOMPARE(lr->flags, (QStringList{"--lr", "--learning-rate"}));
    const ScriptArgument* verbose = find(a, QStringLiteral("--verbose"));
    QVERIFY(verbose && verbose->isFlag());
    QCOMPARE(verbose->type, QStringLiteral("bool"));
    QCOMPARE(verbose->defaultText, QStringLiteral("False"));
    const ScriptArgument* shuffle = find(a, QStringLiteral("--no-shuffle"));
    QVERIFY(shuffle);
    QCOMPARE(shuffle->dest, QStringLiteral("shuffle"));
    QCOMPARE(shuffle->defaultText, QStringLiteral("True"));
    const ScriptArgument* opt = find(a, QStringLiteral("--optimizer"));
    QCOMPARE(opt->choices, (QStringList{"sgd", "adam"}));
    QCOMPARE(opt->defaultText, QStringLiteral("adam"));
    const ScriptArgument* data = find(a, QStringLiteral("--data-dir"));
    QVERIFY(data->required);
    QVERIFY(!data->hasDefault);
    QCOMPARE(find(a, QStringLiteral("--hidden"))->defaultText, QStringLiteral("128 64"));
    QCOMPARE(find(a, QStringLiteral("--hidden"))->nargs, QStringLiteral("+"));
    QCOMPARE(find(a, QStringLiteral("--batch-size"))->defaultText, QStringLiteral("64"));
    QVERIFY(!find(a, QStringLiteral("--seed"))->hasDefault);
    const ScriptArgument* output = find(a, QStringLiteral("output"));
    QVERIFY(output && output->positional && output->required);
    QCOMPARE(find(a, QStringLiteral("--log-every"))->defaultText, QStringLiteral("-5"));
}

void TestArgparseReader::scriptIsNeverExecuted() {
    const QString marker = dir_.filePath(QStringLiteral("ran"));
    const QString path = script(
        QStringLiteral("evil.py"),
        "import argparse, pathlib\n"
        "pathlib.Path(" + ('"' + marker + '"').toUtf8() + ").write_text('x')\n"
        "import sys; sys.exit(3)\n"
        "p = argparse.ArgumentParser()\n"
        "p.add_argument('--ok', default=1)\n"
        "p.add_argument('--computed', default=__import__('os').system('touch " +
            marker.toUtf8() + "2'))\n");
    const ScriptArguments a = ArgparseReader::read(path);
    QVERIFY(!QFileInfo::exists(marker));
    QVERIFY(!QFileInfo::exists(marker + QLatin1Char('2')));
    QVERIFY(find(a, QStringLiteral("--ok")));
    const ScriptArgument* computed = find(a, QStringLiteral("--computed"));
    QVERIFY(computed);
    QVERIFY(computed->defaultText.isEmpty()); // not evaluated
}

void TestArgparseReader::subparsers() {
    const QString path = script(QStringLiteral("cli.py"), R"py(
import argparse
parser = argparse.ArgumentParser()
parser.add_argument("--config", default="c.yaml")
sub = parser.add_subparsers(dest="command", required=True)
train = sub.add_parser("train", help="train a model")
train.add_argument("--epochs", type=int, default=3)
evaluate = sub.add_parser("eval")
evaluate.add_argument("--checkpoint", required=True)
)py");
    const ScriptArguments a = ArgparseReader::read(path);
    QCOMPARE(a.subcommands, (QStringList{"train", "eval"}));
    QCOMPARE(find(a, QStringLiteral("--config"))->subcommand, QString());
    QCOMPARE(find(a, QStringLiteral("--epochs"))->subcommand, QStringLiteral("train"));
    QCOMPARE(find(a, QStringLiteral("--checkpoint"))->subcommand, QStringLiteral("eval"));
}

void TestArgparseReader::defaultParamsForTheForm() {
    const QString path = script(QStringLiteral("p.py"), R"py(
import argparse
p = argparse.ArgumentParser()
p.add_argument("--lr", type=float, default=0.1)
p.add_argument("--fast", action="store_true")
p.add_argument("--name", required=True)
p.add_argument("--unset")
)py");
    QCOMPARE(ArgparseReader::read(path).defaultParams(),
             (QStringList{"--lr", "0.1", "--name", ""}));
}

void TestArgparseReader::syntaxErrorIsOneSentence() {
    const QString path = script(QStringLiteral("broken.py"), "def f(:\n  pass\n");
    try {
        ArgparseReader::read(path);
        QFAIL("a syntax error must throw");
    } catch (const Error& e) {
        QVERIFY2(e.message().contains(QStringLiteral("broken.py:1")), qPrintable(e.message()));
    }
}

void TestArgparseReader::hungInterpreterTimesOut() {
    // An "interpreter" that never answers stands in for a stuck python3.
    const QString fake = script(QStringLiteral("slow-python"), "#!/bin/sh\nexec sleep 30\n");
    QFile::setPermissions(fake, QFile::ReadOwner | QFile::ExeOwner | QFile::WriteOwner);
    const QString path = script(QStringLiteral("ok.py"), "import argparse\n");
    QElapsedTimer t;
    t.start();
    try {
        ArgparseReader::read(path, 500, fake);
        QFAIL("a hung interpreter must time out");
    } catch (const Error& e) {
        QVERIFY2(e.message().contains(QStringLiteral("longer than")), qPrintable(e.message()));
    }
    QVERIFY(t.elapsed() < 5000);
    try {
        ArgparseReader::read(path, 2000, dir_.filePath(QStringLiteral("no-such-python")));
        QFAIL("a missing interpreter must fail");
    } catch (const Error& e) {
        QVERIFY2(e.message().contains(QStringLiteral("Cannot start")), qPrintable(e.message()));
    }
}

void TestArgparseReader::asynchronousRead() {
    const QString path = script(QStringLiteral("a.py"),
                                "import argparse\np = argparse.ArgumentParser()\n"
                                "p.add_argument('--x', type=int, default=3)\n");
    ArgparseReader reader;
    QSignalSpy done(&reader, &ArgparseReader::finished);
    QSignalSpy failed(&reader, &ArgparseReader::failed);
    reader.start(path);
    QVERIFY(done.wait(10000));
    QCOMPARE(failed.size(), 0);
    const auto args = done.first().at(1).value<ScriptArguments>();
    QCOMPARE(args.arguments.size(), 1);
    QCOMPARE(args.arguments.front().defaultText, QStringLiteral("3"));

    const QString fake = script(QStringLiteral("slow2"), "#!/bin/sh\nexec sleep 30\n");
    QFile::setPermissions(fake, QFile::ReadOwner | QFile::ExeOwner | QFile::WriteOwner);
    reader.setPython(fake);
    reader.setTimeoutMs(300);
    reader.start(path);
    QVERIFY(failed.wait(5000));
    QVERIFY(failed.first().at(1).toString().contains(QStringLiteral("longer than")));
}

QTEST_GUILESS_MAIN(TestArgparseReader)
#include "tst_argparse_reader.moc"
