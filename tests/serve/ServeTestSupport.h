#pragma once
// Plain sockets for the endpoint tests: a free port, and a client that sends exactly the bytes it
// is given (a head without its body, half a body) and reads the raw answer, which cpp-httplib's
// client cannot be made to do.

#include <QByteArray>

#include <cerrno>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace lbtest {

inline int freePort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(fd);
    return ntohs(a.sin_port);
}

// A connected socket to 127.0.0.1:port whose reads give up after `waitSeconds` (-1 on failure).
inline int connectLoopback(int port, int waitSeconds = 30) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    const timeval wait{waitSeconds, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<uint16_t>(port));
    if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

inline bool sendAll(int fd, const QByteArray& bytes) {
    qsizetype sent = 0;
    while (sent < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.constData() + sent, size_t(bytes.size() - sent));
        if (n <= 0)
            return false;
        sent += n;
    }
    return true;
}

struct RawAnswer {
    QByteArray bytes;    // what arrived: status line, headers, body
    bool closed = false; // the server closed the connection (rather than our read giving up)
};

// Reads until the server closes the connection, an answer with a Content-Length is complete, or
// the socket's read time-out passes.
inline RawAnswer readAnswer(int fd) {
    RawAnswer a;
    char buffer[4096];
    for (;;) {
        const int headEnd = int(a.bytes.indexOf("\r\n\r\n"));
        if (headEnd >= 0) {
            const QByteArray head = a.bytes.left(headEnd).toLower();
            const int at = int(head.indexOf("content-length:"));
            if (at >= 0) {
                const int lineEnd = int(head.indexOf('\r', at));
                const long long length =
                    head.mid(at + 15, lineEnd < 0 ? -1 : lineEnd - at - 15).trimmed().toLongLong();
                if (a.bytes.size() >= headEnd + 4 + length)
                    return a;
            }
        }
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n == 0) {
            a.closed = true;
            return a;
        }
        if (n < 0) {
            a.closed = errno == ECONNRESET;
            return a;
        }
        a.bytes.append(buffer, int(n));
    }
}

// Sends `request` on a fresh connection and reads the answer.
inline QByteArray rawExchange(int port, const QByteArray& request, int waitSeconds = 30) {
    const int fd = connectLoopback(port, waitSeconds);
    if (fd < 0)
        return {};
    QByteArray answer;
    if (sendAll(fd, request))
        answer = readAnswer(fd).bytes;
    ::close(fd);
    return answer;
}

} // namespace lbtest
