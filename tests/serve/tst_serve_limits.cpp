// An endpoint's limits (issue 18, "safe by default"), on real labbench-serve processes and real
// sockets: a score.py run() that outlives --run-timeout gets a 504 sentence while the other worker
// keeps answering; clients that send half a body and stall neither hold up the others nor keep
// their connection past --request-timeout; a body over the size limit gets a 413 sentence.
#include "tests/sdk/SdkTestSupport.h"
#include "tests/serve/ServeTestSupport.h"

#include <httplib.h>

#include <QTemporaryDir>

#include <optional>
#include <thread>

using lbtest::CliResult;
using lbtest::freePort;
using lbtest::runCli;
using lbtest::writeFile;
using Json = lb::Json;

namespace {

// run() sleeps far past any limit the test sets when told to, and echoes anything else.
const char* kSleepyPy = R"(import json
import time


def init():
    pass


def run(raw_data):
    data = json.loads(raw_data)["data"]
    if data == "sleep":
        time.sleep(60)
    return {"echo": data}
)";

QString qs(const char* s) { return QString::fromUtf8(s); }

struct Answer {
    int status = 0; // 0: no answer
    std::string body;
    qint64 ms = 0;  // how long it took
};

Answer postScore(int port, const std::string& body) {
    QElapsedTimer t;
    t.start();
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(60, 0);
    const auto r = client.Post("/score", body, "application/json");
    Answer a;
    a.ms = t.elapsed();
    if (r) {
        a.status = r->status;
        a.body = r->body;
    }
    return a;
}

std::string errorOf(const Answer& a) {
    const Json j = Json::parse(a.body, nullptr, false);
    return j.is_object() && j.contains("error") ? j["error"].get<std::string>() : a.body;
}

} // namespace

class TestServeLimits : public QObject {
    Q_OBJECT

    QTemporaryDir tmp;
    QString ws;

    CliResult cli(const QStringList& args, int timeoutMs = 120000) { return runCli(ws, args, timeoutMs); }

    CliResult deploy(const QString& name, const QStringList& extra, int port) {
        return cli(QStringList{qs("endpoints"), qs("deploy"), name, qs("--port"),
                               QString::number(port), qs("--json")} +
                   extra);
    }

    // 784 pixels of 0.5, as {"data": [[...]]}.
    static std::string oneRow() {
        return Json{{"data", Json::array({Json(std::vector<double>(784, 0.5))})}}.dump();
    }

private slots:
    void initTestCase() {
        QVERIFY(tmp.isValid());
        ws = tmp.filePath(qs("ws"));
        QCOMPARE(runCli(tmp.path(), {qs("workspace"), qs("init"), ws}).code, 0);
        const QString empty = tmp.filePath(qs("empty"));
        QDir().mkpath(empty);
        const CliResult run = cli({qs("submit"), qs("--source"), empty, qs("--framework"),
                                   qs("builtin-mnist"), qs("--wait"), qs("--"), qs("--data"),
                                   qs(LABBENCH_MNIST_DIR), qs("--epochs"), qs("1"), qs("--hidden"),
                                   qs("16"), qs("--threads"), qs("1")},
                                  280000);
        QVERIFY2(run.code == 0, (run.out + run.err).constData());
        const CliResult reg = cli({qs("models"), qs("register"), qs("--run"), run.firstLine(),
                                   qs("--name"), qs("mnist"), qs("--path"), qs("outputs/model.npz")});
        QVERIFY2(reg.code == 0, (reg.out + reg.err).constData());
        writeFile(tmp.filePath(qs("sleepy/score.py")), kSleepyPy);
    }

    void cleanupTestCase() {
        const CliResult list = cli({qs("endpoints"), qs("list"), qs("--json")});
        if (list.code == 0)
            for (const Json& e : list.json())
                cli({qs("endpoints"), qs("stop"), QString::fromStdString(e["name"])});
    }

    void runPastTheLimitGetsA504AndTheOtherWorkerKeepsAnswering() {
        const int port = freePort();
        const CliResult r = deploy(qs("sleepy"),
                                   {qs("--model"), qs("mnist"), qs("--entry"), qs("score.py"),
                                    qs("--source"), tmp.filePath(qs("sleepy")), qs("--workers"),
                                    qs("2"), qs("--run-timeout"), qs("2")},
                                   port);
        QVERIFY2(r.code == 0, (r.out + r.err).constData());
        QCOMPARE(r.json()["run_timeout_s"].get<int>(), 2);

        std::optional<Answer> slow;
        std::thread sleeper([&] { slow = postScore(port, R"({"data": "sleep"})"); });
        QThread::msleep(300); // the sleeper holds one worker now
        std::vector<Answer> others;
        for (int i = 0; i < 5; ++i)
            others.push_back(postScore(port, "{\"data\": " + std::to_string(i) + "}"));
        sleeper.join();
        for (int i = 0; i < 5; ++i) {
            QVERIFY2(others[i].status == 200, others[i].body.c_str());
            QCOMPARE(Json::parse(others[i].body)["echo"].get<int>(), i);
            QVERIFY2(others[i].ms < 1500, std::to_string(others[i].ms).c_str()); // not behind it
        }
        QVERIFY(slow.has_value());
        QCOMPARE(slow->status, 504);
        QVERIFY2(errorOf(*slow).find("run() took longer than 2 s; its worker was stopped") !=
                     std::string::npos,
                 slow->body.c_str());
        QVERIFY2(slow->ms >= 1900 && slow->ms < 15000, std::to_string(slow->ms).c_str());

        // Both workers answer again (the stopped one is started anew).
        std::vector<Answer> after(4);
        std::vector<std::thread> threads;
        for (int i = 0; i < 4; ++i)
            threads.emplace_back([&, i] { after[i] = postScore(port, R"({"data": "again"})"); });
        for (auto& t : threads)
            t.join();
        for (const Answer& a : after)
            QVERIFY2(a.status == 200 && Json::parse(a.body)["echo"] == "again", a.body.c_str());
    }

    void stalledClientsHoldUpNoOneAndAreCutOffAtTheRequestTimeout() {
        const int port = freePort();
        const CliResult r = deploy(qs("patient"),
                                   {qs("--model"), qs("mnist"), qs("--request-timeout"), qs("4")}, port);
        QVERIFY2(r.code == 0, (r.out + r.err).constData());
        QCOMPARE(r.json()["request_timeout_s"].get<int>(), 4);

        // 16 clients announce a whole body, send half of it and stall.
        const QByteArray body = QByteArray::fromStdString(oneRow());
        const QByteArray head = "POST /score HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                                "application/json\r\nContent-Length: " +
                                QByteArray::number(body.size()) + "\r\n\r\n";
        QElapsedTimer sinceStall;
        sinceStall.start();
        std::vector<int> stalled;
        for (int i = 0; i < 16; ++i) {
            const int fd = lbtest::connectLoopback(port, 20);
            QVERIFY(fd >= 0);
            QVERIFY(lbtest::sendAll(fd, head + body.left(body.size() / 2)));
            stalled.push_back(fd);
        }
        // Meanwhile everyone else is answered at once, well inside the stalled ones' time limit.
        QElapsedTimer others;
        others.start();
        for (int i = 0; i < 8; ++i) {
            const Answer a = postScore(port, oneRow());
            QVERIFY2(a.status == 200, a.body.c_str());
        }
        QVERIFY2(others.elapsed() < 2000, std::to_string(others.elapsed()).c_str());
        // And each stalled connection is ended by the server once the limit passes.
        for (int fd : stalled) {
            const lbtest::RawAnswer a = lbtest::readAnswer(fd);
            ::close(fd);
            QVERIFY2(a.closed || a.bytes.startsWith("HTTP/1.1 4"), a.bytes.constData());
            QVERIFY2(!a.bytes.startsWith("HTTP/1.1 200"), a.bytes.constData());
        }
        // At the 4 s asked for, not the default 10 s.
        QVERIFY2(sinceStall.elapsed() >= 3500 && sinceStall.elapsed() < 9000,
                 std::to_string(sinceStall.elapsed()).c_str());
        // The server is still fine.
        QCOMPARE(postScore(port, oneRow()).status, 200);
    }

    void bodyOverTheSizeLimitGetsA413Sentence() {
        const int port = cli({qs("endpoints"), qs("show"), qs("patient"), qs("--json")}).json()["port"];
        // The head promises 33 MiB (the limit is 32); the server refuses without reading it whole.
        const QByteArray answer = lbtest::rawExchange(
            port, "POST /score HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                  "Content-Length: " + QByteArray::number(33 << 20) + "\r\n\r\n" + QByteArray(4096, ' '));
        QVERIFY2(answer.startsWith("HTTP/1.1 413"), answer.constData());
        QVERIFY2(answer.contains("The body is larger than 32 MiB; send fewer rows per request."),
                 answer.constData());
        QCOMPARE(postScore(port, oneRow()).status, 200);
    }
};

QTEST_GUILESS_MAIN(TestServeLimits)
#include "tst_serve_limits.moc"
