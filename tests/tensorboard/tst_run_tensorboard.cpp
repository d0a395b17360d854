// Issue 4, TensorBoard files end to end: a script that writes TensorBoard scalars into ./logs
// (a writer done by hand in Python from the format's definition: TFRecord framing with masked
// CRC-32C, Event/Summary protobuf; simple_value and scalar tensors) shows them in
// `labbench metrics`.
#include "tests/support/RunAround.h"

#include <QTemporaryDir>
#include <QTest>

using namespace around;

namespace {
const char* kWriter = R"py(
import os, struct, time

def _table():
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ (0x82F63B78 if c & 1 else 0)
        table.append(c)
    return table
TABLE = _table()

def crc32c(data):
    c = 0xFFFFFFFF
    for x in data:
        c = (c >> 8) ^ TABLE[(c ^ x) & 0xFF]
    return c ^ 0xFFFFFFFF

def masked(c):
    return (((c >> 15) | (c << 17)) + 0xA282EAD8) & 0xFFFFFFFF

def varint(v):
    out = bytearray()
    while True:
        b, v = v & 0x7F, v >> 7
        out.append(b | 0x80 if v else b)
        if not v:
            return bytes(out)

def key(field, wire):
    return varint(field << 3 | wire)

def ld(field, data):
    return key(field, 2) + varint(len(data)) + data

def record(data):
    head = struct.pack('<Q', len(data))
    return head + struct.pack('<I', masked(crc32c(head))) + data + struct.pack('<I', masked(crc32c(data)))

def event(step, values):
    summary = b''.join(ld(1, v) for v in values)
    return key(1, 1) + struct.pack('<d', time.time()) + key(2, 0) + varint(step) + ld(5, summary)

def simple(tag, x):
    return ld(1, tag.encode()) + key(2, 5) + struct.pack('<f', x)

def tensor(tag, x):
    proto = key(1, 0) + varint(1) + ld(2, b'') + ld(5, struct.pack('<f', x))  # DT_FLOAT, shape [], float_val
    return ld(1, tag.encode()) + ld(8, proto)

os.makedirs('logs/train', exist_ok=True)
path = 'logs/train/events.out.tfevents.%d.%s' % (int(time.time()), 'host')
with open(path, 'wb') as f:
    f.write(record(key(1, 1) + struct.pack('<d', time.time()) + ld(3, b'brain.Event:2')))
    for step in range(5):
        f.write(record(event(step, [simple('loss', 1.0 / (step + 1)), tensor('accuracy', step / 4.0)])))
        f.flush()
        time.sleep(0.1)
print('wrote', path)
)py";
} // namespace

class RunTensorBoard : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;

private slots:
    void scalarsWrittenUnderLogsBecomeMetrics() {
        const QString ws = tmp_.filePath(QStringLiteral("ws"));
        QCOMPARE(runLabbench({QStringLiteral("workspace"), QStringLiteral("init"), ws}).exitCode, 0);
        const QString src = writeScript(tmp_.filePath(QStringLiteral("src")), QStringLiteral("tb.py"), kWriter);
        const CliResult r = lbIn(ws, {QStringLiteral("submit"), QStringLiteral("--source"), src, QStringLiteral("--entry"),
                                      QStringLiteral("tb.py"), QStringLiteral("--wait")});
        QVERIFY2(r.exitCode == 0, r.out.constData());
        const CliResult m = lbIn(ws, {QStringLiteral("metrics"), firstLine(r), QStringLiteral("--json")});
        QCOMPARE(m.exitCode, 0);
        const lb::Json points = lb::Json::parse(m.out.toStdString());
        QMap<QString, QList<QPair<qint64, double>>> series;
        for (const auto& p : points) {
            series[QString::fromStdString(p["name"].get<std::string>())].append({p["step"].get<qint64>(), p["value"].get<double>()});
            QVERIFY(p["time"].get<double>() > 1.6e9); // the event's wall time
        }
        QCOMPARE(series.keys(), (QStringList{QStringLiteral("accuracy"), QStringLiteral("loss")}));
        QCOMPARE(series[QStringLiteral("loss")].size(), 5);
        QCOMPARE(series[QStringLiteral("accuracy")].size(), 5);
        for (int step = 0; step < 5; ++step) {
            QCOMPARE(series[QStringLiteral("loss")][step].first, qint64(step));
            QCOMPARE(series[QStringLiteral("loss")][step].second, double(1.0f / float(step + 1)));
            QCOMPARE(series[QStringLiteral("accuracy")][step].second, step / 4.0);
        }
    }
};

QTEST_GUILESS_MAIN(RunTensorBoard)
#include "tst_run_tensorboard.moc"
