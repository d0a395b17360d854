// Bytes that are not UTF-8 (arguments, file names) kept exactly through QString, JSON and a
// remote shell's command line; NaN and the infinities kept through JSON (#25).

#include "core/remote/ShellQuote.h"
#include "core/util/ByteStrings.h"
#include "core/util/JsonValues.h"

#include <QProcess>
#include <QTest>
#include <cmath>

using namespace lb;

class TestByteStrings : public QObject {
    Q_OBJECT

    // Byte strings that are not valid UTF-8, each a different way of being invalid.
    static QList<QByteArray> invalidSamples() {
        return {QByteArray("\xff\xfe\x80"
                           "bad"),                      // bytes that never start a character
                QByteArray("caf\xe9"),                  // Latin-1
                QByteArray("a\xe2\x82"),                // a character cut short at the end
                QByteArray("\xed\xb2\x80"),             // U+DC80 itself, encoded: a surrogate
                QByteArray("\xc0\xaf"),                 // an overlong '/'
                QByteArray("ok \xf0\x9f\x92\x80 \xff"), // U+1F480 (low half DC80) then a bad byte
                QByteArray("\xf4\x90\x80\x80")};        // past U+10FFFF
    }

private slots:
    void everyByteSurvivesDecodeAndEncode() { // #25
        for (const QByteArray& bytes : invalidSamples()) {
            const QString text = decodeBytes(bytes);
            QVERIFY2(hasEscapedBytes(text), bytes.toHex().constData());
            QCOMPARE(encodeBytes(text).toHex(), bytes.toHex());
        }
        QByteArray all;
        for (int b = 0; b < 256; ++b)
            all += char(b);
        QCOMPARE(encodeBytes(decodeBytes(all)), all);
    }

    void validUtf8StaysOrdinaryText() { // #25
        const QString text = QStringLiteral("ünï \U0001F480 *");
        QCOMPARE(decodeBytes(text.toUtf8()), text);
        QVERIFY(!hasEscapedBytes(text)); // U+1F480's low half is DC80: not an escaped byte
        QCOMPARE(encodeBytes(text), text.toUtf8());
        QCOMPARE(displayText(decodeBytes(QByteArray("\xff\xfe\x80"
                                                    "bad"))),
                 QStringLiteral("\\xff\\xfe\\x80bad"));
    }

    void jsonWritesInvalidBytesAsBase64AndReadsThemBack() { // #25
        const QString name = decodeBytes(QByteArray("outputs/\xff\xfe\x80"
                                                    "bad.bin"));
        const Json j = jsonString(name);
        QVERIFY(j.is_object());
        QCOMPARE(QString::fromStdString(j["b64"].get<std::string>()),
                 QString::fromLatin1(QByteArray("outputs/\xff\xfe\x80"
                                                "bad.bin")
                                         .toBase64()));
        QCOMPARE(encodeBytes(*stringFromJson(Json::parse(j.dump()))),
                 QByteArray("outputs/\xff\xfe\x80"
                            "bad.bin"));
        QVERIFY(jsonString(QStringLiteral("plain ü")).is_string());
        QCOMPARE(*stringFromJson(Json("plain ü")), QStringLiteral("plain ü"));
        QVERIFY(!stringFromJson(Json{{"b64", "not base64!"}}));
        QVERIFY(!stringFromJson(Json{{"b64", "AA=="}, {"extra", 1}}));
        QVERIFY(!stringFromJson(Json(3)));
    }

    // Lists of names (pip packages, endpoint models, script arguments) keep every byte too.
    void stringListsRoundTripThroughJson() {
        const QStringList list = {QStringLiteral("numpy"), decodeBytes(QByteArray("\xff-arg")), QString()};
        const Json j = jsonStringList(list);
        QVERIFY(j.is_array());
        QCOMPARE(j.size(), std::size_t(3));
        QVERIFY(j[1].is_object());
        QCOMPARE(*stringListFromJson(Json::parse(j.dump())), list);
        QCOMPARE(stringListFromJson(Json::array())->size(), 0);
        QVERIFY(!stringListFromJson(Json::parse(R"(["a", 2])")));
        QVERIFY(!stringListFromJson(Json("a")));
    }

    void jsonWritesNonFiniteNumbersAsStrings() { // #25
        QCOMPARE(jsonNumber(std::nan("")).dump(), std::string("\"NaN\""));
        QCOMPARE(jsonNumber(INFINITY).dump(), std::string("\"Infinity\""));
        QCOMPARE(jsonNumber(-INFINITY).dump(), std::string("\"-Infinity\""));
        QCOMPARE(jsonNumber(0.25).dump(), std::string("0.25"));
        QVERIFY(std::isnan(*numberFromJson(Json::parse("\"NaN\""))));
        QCOMPARE(*numberFromJson(Json::parse("\"Infinity\"")), double(INFINITY));
        QCOMPARE(*numberFromJson(Json::parse("\"-Infinity\"")), double(-INFINITY));
        QCOMPARE(*numberFromJson(Json::parse("3")), 3.0);
        QVERIFY(!numberFromJson(Json::parse("\"nan\"")));
        QVERIFY(!numberFromJson(Json::parse("null")));
    }

    // What a remote shell rebuilds from the command line: a real sh, through printf.
    void shellQuotingRebuildsTheExactBytes() { // #25
        for (const QByteArray& bytes :
             invalidSamples() + QList<QByteArray>{"it's \"q\" $(id)", ""}) {
            const QString quoted = shellQuote(decodeBytes(bytes));
            QVERIFY(!hasEscapedBytes(quoted)); // the command line itself is plain text
            QProcess sh;
            sh.start(QStringLiteral("sh"),
                     {QStringLiteral("-c"), QStringLiteral("printf '%s' ") + quoted});
            QVERIFY(sh.waitForFinished());
            QCOMPARE(sh.readAllStandardOutput().toHex(), bytes.toHex());
        }
    }
};

QTEST_GUILESS_MAIN(TestByteStrings)
#include "tst_byte_strings.moc"
