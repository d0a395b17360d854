// Estimator: JSON round trip, Azure ML dict-form params, validation messages that name the field.

#include "core/estimator/Estimator.h"
#include "core/util/ByteStrings.h"
#include "core/util/Error.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using lb::Estimator;
using lb::Json;

namespace {

void writeFile(const QString& path, const QByteArray& text) {
    QFile f(path);
    QVERIFY2(f.open(QIODevice::WriteOnly | QIODevice::Truncate), qPrintable(path));
    f.write(text);
}

// The message of the lb::Error that `fn` throws, or "" when it throws nothing.
template <typename Fn>
QString errorOf(Fn fn) {
    try {
        fn();
    } catch (const lb::Error& e) {
        return e.message();
    }
    return QString();
}

} // namespace

class TestEstimator : public QObject {
    Q_OBJECT

    QTemporaryDir tmp;
    QString src;

    Estimator valid() const {
        Estimator e;
        e.origin = QStringLiteral("test.json");
        e.sourceDirectory = src;
        e.entryScript = QStringLiteral("train.py");
        return e;
    }

private slots:
    void initTestCase() {
        QVERIFY(tmp.isValid());
        src = tmp.filePath(QStringLiteral("src"));
        QVERIFY(QDir().mkpath(src + QStringLiteral("/pkg")));
        writeFile(src + QStringLiteral("/train.py"), "print('hi')\n");
        writeFile(src + QStringLiteral("/pkg/main.py"), "print('pkg')\n");
        writeFile(tmp.filePath(QStringLiteral("outside.py")), "print('out')\n");
    }

    void roundTripKeepsEveryField() {
        Estimator e = valid();
        e.scriptParams = {QStringLiteral("--lr"), QStringLiteral("0.01"), QStringLiteral("$(id)")};
        e.computeTarget = QStringLiteral("gpu-box");
        e.framework = QStringLiteral("pytorch");
        e.pipPackages = {QStringLiteral("numpy==1.26")};
        e.condaPackages = {QStringLiteral("scipy")};
        e.customDockerImage = QStringLiteral("pytorch/pytorch:latest");
        e.useGpu = true;
        e.nodeCount = 2;
        e.processCountPerNode = 4;
        e.distributedBackend = QStringLiteral("pytorch");
        e.environmentVariables = {{QStringLiteral("OMP_NUM_THREADS"), QStringLiteral("2")}};
        e.maxRunDurationSeconds = 3600;
        e.tags = {{QStringLiteral("team"), QStringLiteral("vision")}};
        e.python = QStringLiteral("/usr/bin/python3");
        e.experiment = QStringLiteral("mnist");

        const Json json = e.toJson();
        const Estimator back = Estimator::fromJson(Json::parse(json.dump()), QStringLiteral("x"));
        QVERIFY(back == e);
        QCOMPARE(back.toJson().dump(), json.dump());

        // Defaults round-trip too (no duration limit is written as null).
        const Estimator d = valid();
        QVERIFY(Estimator::fromJson(d.toJson(), QStringLiteral("x")) == d);
        QVERIFY(d.toJson()["max_run_duration_seconds"].is_null());
    }

    // #25: run.json, the store and sweep.json get "***" for secrets; the estimator itself keeps them.
    void secretValuesAreMaskedInStoredJsonOnly() {
        Estimator e = valid();
        e.environmentVariables = {{QStringLiteral("HF_TOKEN"), QStringLiteral("t0ken-value")},
                                  {QStringLiteral("db_password"), QStringLiteral("pw-value")},
                                  {QStringLiteral("MY_KEY"), QStringLiteral("visible")},
                                  {QStringLiteral("PLAIN"), QStringLiteral("hidden-value")},
                                  {QStringLiteral("OMP_NUM_THREADS"), QStringLiteral("2")}};
        e.secretVariables = {QStringLiteral("PLAIN")};
        e.publicVariables = {QStringLiteral("MY_KEY")};
        e.validate();
        const Json masked = e.toJson(Estimator::SecretValues::Masked);
        const std::string text = masked.dump();
        for (const char* secret : {"t0ken-value", "pw-value", "hidden-value"})
            QVERIFY2(text.find(secret) == std::string::npos, text.c_str());
        const Json& env = masked["environment_variables"];
        QCOMPARE(env["HF_TOKEN"].get<std::string>(), std::string("***"));
        QCOMPARE(env["db_password"].get<std::string>(), std::string("***"));
        QCOMPARE(env["PLAIN"].get<std::string>(), std::string("***"));
        QCOMPARE(env["MY_KEY"].get<std::string>(), std::string("visible"));
        QCOMPARE(env["OMP_NUM_THREADS"].get<std::string>(), std::string("2"));
        const Estimator back = Estimator::fromJson(Json::parse(text), QStringLiteral("x"));
        QVERIFY(back.isSecretVariable(QStringLiteral("PLAIN")) && !back.isSecretVariable(QStringLiteral("MY_KEY")));
        QVERIFY(Estimator::fromJson(e.toJson(), QStringLiteral("x")) == e); // Kept: every value
    }

    // #25: argv words and file names that are not UTF-8 survive as {"b64": ...}.
    void bytesThatAreNotUtf8RoundTripAsBase64() {
        Estimator e = valid();
        e.scriptParams = {lb::decodeBytes(QByteArray("\xff\xfe\x80" "bad")), QStringLiteral("ok")};
        e.entryScript = lb::decodeBytes(QByteArray("tr\xe9in.py"));
        const Json j = Json::parse(e.toJson().dump());
        QCOMPARE(j["script_params"][0]["b64"].get<std::string>(), std::string("//6AYmFk"));
        QCOMPARE(j["script_params"][1].get<std::string>(), std::string("ok"));
        QVERIFY(j["entry_script"].is_object());
        const Estimator back = Estimator::fromJson(j, QStringLiteral("x"));
        QVERIFY(back == e);
        QCOMPARE(lb::encodeBytes(back.scriptParams[0]), QByteArray("\xff\xfe\x80" "bad"));
    }

    void onlyRequiredFieldsGiveDefaults() {
        const Estimator e = Estimator::fromJson(
            Json::parse(R"({"source_directory": "s", "entry_script": "t.py"})"), QStringLiteral("x"));
        QCOMPARE(e.framework, QStringLiteral("generic"));
        QCOMPARE(e.distributedBackend, QStringLiteral("none"));
        QCOMPARE(e.nodeCount, 1);
        QCOMPARE(e.processCountPerNode, 1);
        QVERIFY(!e.maxRunDurationSeconds);
        QVERIFY(e.scriptParams.isEmpty());
    }

    void scriptParamsListKeepsOrderAndStringifiesNumbers() {
        const Estimator e = Estimator::fromJson(
            Json::parse(R"({"script_params": ["--b", 2, "--a", 0.5, "--c", "x y"]})"),
            QStringLiteral("x"));
        QCOMPARE(e.scriptParams, (QStringList{"--b", "2", "--a", "0.5", "--c", "x y"}));
    }

    void scriptParamsDictForm() {
        const Estimator e = Estimator::fromJson(
            Json::parse(R"({"script_params": {"--lr": 0.01, "--epochs": 5, "--flag": "",
                          "--on": true, "--off": false, "--none": null, "--data": "/d",
                          "--layers": [100, 50]}})"),
            QStringLiteral("x"));
        QCOMPARE(e.scriptParams, (QStringList{"--lr", "0.01", "--epochs", "5", "--flag", "--on",
                                              "--none", "--data", "/d", "--layers", "100", "50"}));
    }

    void unknownKeyAndWrongTypeNameTheField_data() {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("field");
        QTest::newRow("unknown") << QByteArray(R"({"entry_scrpt": "t.py"})") << "entry_scrpt";
        QTest::newRow("source") << QByteArray(R"({"source_directory": 1})") << "source_directory";
        QTest::newRow("entry") << QByteArray(R"({"entry_script": ["a"]})") << "entry_script";
        QTest::newRow("params") << QByteArray(R"({"script_params": "--lr 1"})") << "script_params";
        QTest::newRow("params-item") << QByteArray(R"({"script_params": [{}]})") << "script_params";
        QTest::newRow("params-dict") << QByteArray(R"({"script_params": {"--a": {}}})")
                                     << "script_params";
        QTest::newRow("gpu") << QByteArray(R"({"use_gpu": "yes"})") << "use_gpu";
        QTest::newRow("nodes") << QByteArray(R"({"node_count": 1.5})") << "node_count";
        QTest::newRow("pip") << QByteArray(R"({"pip_packages": "numpy"})") << "pip_packages";
        QTest::newRow("env") << QByteArray(R"({"environment_variables": {"A": []}})")
                             << "environment_variables";
        QTest::newRow("tags") << QByteArray(R"({"tags": ["a"]})") << "tags";
        QTest::newRow("duration") << QByteArray(R"({"max_run_duration_seconds": "1h"})")
                                  << "max_run_duration_seconds";
        QTest::newRow("huge") << QByteArray(R"({"node_count": 99999999999})") << "node_count";
        QTest::newRow("not-object") << QByteArray(R"([1, 2])") << "JSON object";
    }

    void unknownKeyAndWrongTypeNameTheField() {
        QFETCH(QByteArray, json);
        QFETCH(QString, field);
        const QString message = errorOf(
            [&] { Estimator::fromJson(Json::parse(json.toStdString()), QStringLiteral("est.json")); });
        QVERIFY2(message.startsWith(QStringLiteral("est.json")), qPrintable(message));
        QVERIFY2(message.contains(field), qPrintable(message));
    }

    void loadReportsLineAndColumn() {
        const QString path = tmp.filePath(QStringLiteral("bad.json"));
        writeFile(path, "{\n  \"source_directory\": \".\",\n  \"entry_script\" \"t.py\"\n}\n");
        const QString syntax = errorOf([&] { Estimator::load(path); });
        QVERIFY2(syntax.startsWith(path + QStringLiteral(":3:")), qPrintable(syntax));

        writeFile(path, "{\n  \"source_directory\": \".\",\n    \"node_count\": \"2\"\n}\n");
        const QString field = errorOf([&] { Estimator::load(path); });
        QVERIFY2(field.startsWith(path + QStringLiteral(":3:5:")), qPrintable(field));
        QVERIFY2(field.contains(QStringLiteral("node_count")), qPrintable(field));

        const QString missing = errorOf([&] { Estimator::load(tmp.filePath("nope.json")); });
        QVERIFY2(missing.contains(QStringLiteral("nope.json")), qPrintable(missing));
    }

    void loadResolvesSourceRelativeToTheFile() {
        const QString path = tmp.filePath(QStringLiteral("est.json"));
        writeFile(path, R"({"source_directory": "src", "entry_script": "train.py"})");
        Estimator e = Estimator::load(path);
        QCOMPARE(e.sourceDirectory, QDir::cleanPath(src));
        QCOMPARE(e.origin, path);
        e.validate();
    }

    void validEstimatorPasses() {
        valid().validate();
        Estimator e = valid();
        e.entryScript = QStringLiteral("pkg/main.py");
        e.validate();
    }

    void validationNamesTheField_data() {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("fragment"); // part of the fix or the problem
        QTest::addColumn<int>("which");
        const QStringList cases = {
            "source_directory|is missing",        "source_directory|does not exist",
            "source_directory|not a folder",      "entry_script|is missing",
            "entry_script|not found",             "entry_script|absolute",
            "entry_script|\"..\"",                "entry_script|not a file",
            "entry_script|leads outside",         "node_count|or more",
            "process_count_per_node|or more",     "worker_count|parameter_server",
            "parameter_server_count|needs at least", "parameter_server_count|distributed_backend",
            "distributed_backend|not a known",    "distributed_backend|mpi",
            "framework|not a known",              "environment_variables|invalid name",
            "environment_variables|set by Labbench", "max_run_duration_seconds|more than 0",
            "pip_packages|installer option",      "conda_packages|empty package",
            "custom_docker_image|image reference", "compute_target|compute target name",
            "script_params|NUL",                  "python|blank",
            "tags|empty tag",                     "experiment|blank",
            "environment_variables|the mask",     "secret_environment_variables|not in environment",
            "secret_environment_variables|public_environment_variables too",
            "public_environment_variables|not in environment",
        };
        for (int i = 0; i < cases.size(); ++i) {
            const QStringList parts = cases[i].split(QLatin1Char('|'));
            QTest::newRow(qPrintable(cases[i])) << parts[0] << parts[1] << i;
        }
    }

    void validationNamesTheField() {
        QFETCH(QString, field);
        QFETCH(QString, fragment);
        QFETCH(int, which);
        Estimator e = valid();
        QVERIFY(QFile::link(tmp.filePath(QStringLiteral("outside.py")),
                            src + QStringLiteral("/link.py")) ||
                QFileInfo::exists(src + QStringLiteral("/link.py")));
        switch (which) {
        case 0: e.sourceDirectory.clear(); break;
        case 1: e.sourceDirectory = tmp.filePath(QStringLiteral("missing")); break;
        case 2: e.sourceDirectory = src + QStringLiteral("/train.py"); break;
        case 3: e.entryScript.clear(); break;
        case 4: e.entryScript = QStringLiteral("nope.py"); break;
        case 5: e.entryScript = src + QStringLiteral("/train.py"); break;
        case 6: e.entryScript = QStringLiteral("pkg/../../outside.py"); break;
        case 7: e.entryScript = QStringLiteral("pkg"); break;
        case 8: e.entryScript = QStringLiteral("link.py"); break;
        case 9: e.nodeCount = 0; break;
        case 10: e.processCountPerNode = -1; break;
        case 11: e.workerCount = 3; break;
        case 12: e.distributedBackend = QStringLiteral("parameter_server"); break;
        case 13: e.parameterServerCount = 2; break;
        case 14: e.distributedBackend = QStringLiteral("horovod"); break;
        case 15: e.nodeCount = 2; break;
        case 16: e.framework = QStringLiteral("keras"); break;
        case 17: e.environmentVariables.insert(QStringLiteral("1BAD"), QStringLiteral("x")); break;
        case 18: e.environmentVariables.insert(QStringLiteral("LABBENCH_RUN_ID"), QStringLiteral("x")); break;
        case 19: e.maxRunDurationSeconds = 0; break;
        case 20: e.pipPackages = {QStringLiteral("--index-url=http://evil")}; break;
        case 21: e.condaPackages = {QStringLiteral(" ")}; break;
        case 22: e.customDockerImage = QStringLiteral("a b"); break;
        case 23: e.computeTarget = QStringLiteral("../x"); break;
        case 24: e.scriptParams = {QString(QChar(0))}; break;
        case 25: e.python = QStringLiteral("  "); break;
        case 26: e.tags.insert(QString(), QStringLiteral("v")); break;
        case 27: e.experiment = QStringLiteral(" "); break;
        case 28: e.environmentVariables.insert(QStringLiteral("HF_TOKEN"), QStringLiteral("***")); break;
        case 29: e.secretVariables = {QStringLiteral("UNSET")}; break;
        case 30:
            e.environmentVariables.insert(QStringLiteral("X"), QStringLiteral("1"));
            e.secretVariables = {QStringLiteral("X")};
            e.publicVariables = {QStringLiteral("X")};
            break;
        case 31: e.publicVariables = {QStringLiteral("UNSET")}; break;
        }
        const QString message = errorOf([&] { e.validate(); });
        QVERIFY2(message.startsWith(QStringLiteral("test.json: \"") + field + QLatin1Char('"')),
                 qPrintable(message));
        QVERIFY2(message.contains(fragment), qPrintable(message));
        QVERIFY2(message.endsWith(QLatin1Char('.')), qPrintable(message));
    }

    void frameworkPresets() {
        Estimator p = valid();
        p.framework = QStringLiteral("pytorch");
        p.applyFrameworkDefaults();
        QCOMPARE(p.distributedBackend, QStringLiteral("none")); // one process: nothing to do
        p.processCountPerNode = 2;
        p.applyFrameworkDefaults();
        QCOMPARE(p.distributedBackend, QStringLiteral("pytorch"));
        p.validate();

        Estimator t = valid();
        t.framework = QStringLiteral("tensorflow");
        t.nodeCount = 3;
        t.applyFrameworkDefaults();
        QCOMPARE(t.distributedBackend, QStringLiteral("parameter_server"));
        QCOMPARE(t.workerCount, 3);
        QCOMPARE(t.parameterServerCount, 1);
        t.validate();

        Estimator c = valid();
        c.framework = QStringLiteral("chainer");
        c.nodeCount = 2;
        c.applyFrameworkDefaults();
        QCOMPARE(c.distributedBackend, QStringLiteral("mpi"));
        c.validate();

        // An explicit backend is never overridden.
        Estimator m = valid();
        m.framework = QStringLiteral("pytorch");
        m.nodeCount = 2;
        m.distributedBackend = QStringLiteral("mpi");
        m.applyFrameworkDefaults();
        QCOMPARE(m.distributedBackend, QStringLiteral("mpi"));

        Estimator b = valid();
        b.framework = QStringLiteral("builtin-mnist");
        b.entryScript.clear();
        b.applyFrameworkDefaults();
        QCOMPARE(b.entryScript, Estimator::kBuiltinTrainer);
        QVERIFY(b.runsBuiltinTrainer());
        b.validate(); // no labbench-train file in the source folder, and none needed

        Estimator g = valid();
        g.entryScript = QStringLiteral("labbench-train"); // only builtin-mnist means the trainer
        QVERIFY(errorOf([&] { g.validate(); }).contains(QStringLiteral("entry_script")));
    }
};

QTEST_GUILESS_MAIN(TestEstimator)
#include "tst_estimator.moc"
