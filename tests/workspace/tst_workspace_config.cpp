// config.json validation: every problem names the file, the line and column, and the fix.
#include "core/util/Error.h"
#include "core/workspace/WorkspaceConfig.h"

#include <QTest>

using namespace lb;

namespace {
QString errorFor(const QByteArray& text) {
    try {
        WorkspaceConfig::parse(text, QStringLiteral("/ws/config.json"));
    } catch (const Error& e) {
        return e.message();
    }
    return {};
}

const QByteArray kValid = R"({
  "name": "demo",
  "id": "0b6f2c9e-1111-2222-3333-444455556666",
  "created": "2026-01-31T12:00:00.000Z",
  "schema_version": 1,
  "default_compute_target": "local",
  "data_folders": ["/data/mnist"]
}
)";
} // namespace

class WorkspaceConfigTest : public QObject {
    Q_OBJECT
private slots:
    void validConfigParsesAndRoundTrips() {
        const WorkspaceConfig c = WorkspaceConfig::parse(kValid, QStringLiteral("config.json"));
        QCOMPARE(c.name, QStringLiteral("demo"));
        QCOMPARE(c.dataFolders, QStringList{QStringLiteral("/data/mnist")});
        QCOMPARE(c.created.date().year(), 2026);
        const WorkspaceConfig again = WorkspaceConfig::parse(c.toJson(), QStringLiteral("config.json"));
        QCOMPARE(again.id, c.id);
        QCOMPARE(again.created, c.created);
        QCOMPARE(again.defaultComputeTarget, QStringLiteral("local"));
    }

    void syntaxErrorNamesFileLineAndColumn() {
        QByteArray text = kValid;
        text.replace("\"schema_version\": 1,", "\"schema_version\": 1,,");
        const QString message = errorFor(text);
        QVERIFY2(message.startsWith(QStringLiteral("/ws/config.json:5:23:")), qPrintable(message));
        QVERIFY(message.contains(QStringLiteral("invalid JSON")));
    }

    // #20 item 5 (fuzz_workspace_config): a number beyond a double escaped every JSON reader as
    // nlohmann's out_of_range instead of an lb::Error naming the file and the place.
    void numberTooLargeIsASyntaxErrorWithItsPlace() {
        QByteArray text = kValid;
        text.replace("\"schema_version\": 1,", "\"schema_version\": 1e400,");
        const QString message = errorFor(text);
        QVERIFY2(message.startsWith(QStringLiteral("/ws/config.json:5:21:")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("1e400 is too large")), qPrintable(message));
        // The same digits inside a string earlier on do not move the position.
        text.replace("\"name\": \"demo\"", "\"name\": \"1e400\"");
        QVERIFY2(errorFor(text).startsWith(QStringLiteral("/ws/config.json:5:21:")), qPrintable(errorFor(text)));
        QVERIFY2(errorFor("[-1e999]").startsWith(QStringLiteral("/ws/config.json:1:2:")), qPrintable(errorFor("[-1e999]")));
    }

    void truncatedFileIsASyntaxError() {
        const QString message = errorFor(kValid.left(40));
        QVERIFY2(message.startsWith(QStringLiteral("/ws/config.json:")), qPrintable(message));
        QVERIFY(message.contains(QStringLiteral("invalid JSON")));
    }

    void unknownKeyIsNamedWithItsLine() {
        QByteArray text = kValid;
        text.replace("\"default_compute_target\"", "\"default_compute\": 1,\n  \"default_compute_target\"");
        const QString message = errorFor(text);
        QVERIFY2(message.startsWith(QStringLiteral("/ws/config.json:6:3:")), qPrintable(message));
        QVERIFY(message.contains(QStringLiteral("unknown key \"default_compute\"")));
        QVERIFY(message.contains(QStringLiteral("Remove it")));
    }

    void missingKeyIsNamed() {
        QByteArray text = kValid;
        text.replace("\"id\": \"0b6f2c9e-1111-2222-3333-444455556666\",", "");
        const QString message = errorFor(text);
        QVERIFY2(message.contains(QStringLiteral("\"id\" is missing")), qPrintable(message));
    }

    void wrongTypeIsNamedWithTheFix() {
        QByteArray text = kValid;
        text.replace("\"schema_version\": 1", "\"schema_version\": \"1\"");
        const QString message = errorFor(text);
        QVERIFY2(message.startsWith(QStringLiteral("/ws/config.json:5:3:")), qPrintable(message));
        QVERIFY(message.contains(QStringLiteral("must be an integer, not a string")));

        text = kValid;
        text.replace("[\"/data/mnist\"]", "\"/data/mnist\"");
        QVERIFY(errorFor(text).contains(QStringLiteral("\"data_folders\" must be a list")));
    }

    void newerSchemaSaysUpgrade() {
        QByteArray text = kValid;
        text.replace("\"schema_version\": 1", "\"schema_version\": 99");
        QVERIFY(errorFor(text).contains(QStringLiteral("Upgrade Labbench")));
    }

    void badValuesAreRefused() {
        QByteArray text = kValid;
        text.replace("2026-01-31T12:00:00.000Z", "yesterday");
        QVERIFY(errorFor(text).contains(QStringLiteral("ISO 8601")));
        text = kValid;
        text.replace("\"demo\"", "\"a/b\"");
        QVERIFY(errorFor(text).contains(QStringLiteral("\"name\" must be")));
        QVERIFY(errorFor("[1, 2]").contains(QStringLiteral("must be a JSON object")));
    }
};

QTEST_GUILESS_MAIN(WorkspaceConfigTest)
#include "tst_workspace_config.moc"
