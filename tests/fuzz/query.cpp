// The runs search language (#17 item 2): parseQuery and parseKey on any text. QueryError is the
// documented failure; a crash, another exception or a hang is a finding.
#include "core/query/RunQuery.h"
#include "tests/fuzz/FuzzInput.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const QString text = QString::fromUtf8(lb::fuzz::bytes(data, size));
    try {
        const lb::query::ExprPtr e = lb::query::parseQuery(text);
        (void)e;
    } catch (const lb::query::QueryError&) {
    }
    try {
        const lb::query::Key k = lb::query::parseKey(text);
        // Key::text() is how a key is shown and written back into queries: it must parse to the
        // same key.
        const lb::query::Key again = lb::query::parseKey(k.text());
        if (again.kind != k.kind || again.name != k.name || again.attribute != k.attribute ||
            again.aggregate != k.aggregate)
            __builtin_trap();
    } catch (const lb::query::QueryError&) {
    }
    (void)lb::query::scriptParamPairs(text.split(QLatin1Char(' ')));
    return 0;
}
