#include "core/runs/IgnoreRules.h"

#include "core/util/Error.h"
#include "core/util/SafeFile.h"

#include <QList>

namespace lb {

namespace {

using Iter = const QChar*;

// A POSIX class name inside a bracket expression, e.g. "alpha" in "[[:alpha:]]".
bool classMatches(QStringView name, QChar c) {
    if (name == u"alpha") return c.isLetter();
    if (name == u"digit") return c >= u'0' && c <= u'9';
    if (name == u"alnum") return c.isLetterOrNumber();
    if (name == u"space") return c.isSpace();
    if (name == u"upper") return c.isUpper();
    if (name == u"lower") return c.isLower();
    if (name == u"punct") return c.isPunct() || c.isSymbol();
    if (name == u"xdigit")
        return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F');
    if (name == u"blank") return c == u' ' || c == u'\t';
    return false;
}

// Matches the bracket expression starting at p ('[') against c. Returns the position just past
// its ']', or nullptr when the expression has no closing ']' (then '[' is a literal).
Iter matchBracket(Iter p, Iter pe, QChar c, bool& matched) {
    Iter j = p + 1;
    bool negate = false;
    if (j < pe && (*j == u'!' || *j == u'^')) {
        negate = true;
        ++j;
    }
    matched = false;
    bool first = true;
    while (true) {
        if (j >= pe)
            return nullptr;
        QChar ch = *j;
        if (ch == u']' && !first)
            break;
        first = false;
        if (ch == u'[' && j + 1 < pe && j[1] == u':') { // [:class:]
            Iter end = j + 2;
            while (end + 1 < pe && !(*end == u':' && end[1] == u']'))
                ++end;
            if (end + 1 >= pe)
                return nullptr;
            if (classMatches(QStringView(j + 2, end), c))
                matched = true;
            j = end + 2;
            continue;
        }
        if (ch == u'\\') {
            if (++j >= pe)
                return nullptr;
            ch = *j;
        }
        if (j + 2 < pe && j[1] == u'-' && j[2] != u']') { // a range lo-hi
            Iter hiAt = j + 2;
            if (*hiAt == u'\\' && hiAt + 1 < pe)
                ++hiAt;
            if (ch <= c && c <= *hiAt)
                matched = true;
            j = hiAt + 1;
        } else {
            if (ch == c)
                matched = true;
            ++j;
        }
    }
    if (negate)
        matched = !matched;
    return j + 1;
}

bool wildmatch(Iter start, Iter p, Iter pe, Iter t, Iter te) {
    while (p < pe) {
        const QChar c = *p;
        if (c == u'\\') {
            if (++p >= pe)
                return false; // a trailing backslash is an invalid pattern: it matches nothing
            if (t >= te || *t != *p)
                return false;
            ++p;
            ++t;
        } else if (c == u'?') {
            if (t >= te || *t == u'/')
                return false;
            ++p;
            ++t;
        } else if (c == u'*') {
            Iter q = p;
            while (q < pe && *q == u'*')
                ++q;
            const bool doubleStar = q - p >= 2;
            const bool atSegmentStart = p == start || p[-1] == u'/';
            const bool atSegmentEnd = q == pe || *q == u'/';
            if (doubleStar && atSegmentStart && atSegmentEnd) {
                if (q == pe)
                    return true; // "dir/**" or "**": everything below
                ++q;             // "**/": zero or more whole folders
                if (wildmatch(start, q, pe, t, te))
                    return true;
                for (Iter s = t; s < te; ++s)
                    if (*s == u'/' && wildmatch(start, q, pe, s + 1, te))
                        return true;
                return false;
            }
            // A single '*' (or a "**" inside a name, which git treats the same): no '/'.
            p = q;
            if (p == pe)
                return std::find(t, te, QChar(u'/')) == te;
            for (Iter s = t;; ++s) {
                if (wildmatch(start, p, pe, s, te))
                    return true;
                if (s >= te || *s == u'/')
                    return false;
            }
        } else if (c == u'[') {
            if (t >= te || *t == u'/')
                return false;
            bool matched = false;
            Iter next = matchBracket(p, pe, *t, matched);
            if (!next) { // no closing ']': a literal '['
                if (*t != u'[')
                    return false;
                ++p;
                ++t;
                continue;
            }
            if (!matched)
                return false;
            p = next;
            ++t;
        } else {
            if (t >= te || *t != c)
                return false;
            ++p;
            ++t;
        }
    }
    return t == te;
}

// A '/' at i that is not escaped by a backslash.
bool hasUnescapedSlash(const QString& s) {
    for (qsizetype i = 0; i < s.size(); ++i) {
        if (s[i] == u'\\')
            ++i;
        else if (s[i] == u'/')
            return true;
    }
    return false;
}

} // namespace

bool globMatches(QStringView glob, QStringView path) {
    return wildmatch(glob.begin(), glob.begin(), glob.end(), path.begin(), path.end());
}

QVector<IgnorePattern> parseIgnoreFile(const QByteArray& text) {
    QVector<IgnorePattern> out;
    const QList<QByteArray> lines = text.split('\n');
    for (qsizetype n = 0; n < lines.size(); ++n) {
        QString line = QString::fromUtf8(lines[n]);
        if (line.endsWith(u'\r'))
            line.chop(1);
        // Trailing spaces go unless the last one is escaped ("foo\ " keeps "foo ").
        while (line.endsWith(u' ') && !(line.size() >= 2 && line[line.size() - 2] == u'\\'))
            line.chop(1);
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;
        IgnorePattern p;
        p.line = int(n + 1);
        if (line.startsWith(u'!')) {
            p.negated = true;
            line.remove(0, 1);
        }
        if (line.endsWith(u'/') && !line.endsWith(QStringLiteral("\\/"))) {
            p.directoryOnly = true;
            while (line.endsWith(u'/'))
                line.chop(1);
        }
        p.anchored = hasUnescapedSlash(line);
        while (line.startsWith(u'/'))
            line.remove(0, 1);
        if (line.isEmpty())
            continue; // "/" or "!" alone match nothing
        p.glob = line;
        out.append(p);
    }
    return out;
}

const QStringList& IgnoreRules::fileNames() {
    static const QStringList names = {QStringLiteral(".amlignore"), QStringLiteral(".labbenchignore")};
    return names;
}

bool IgnoreRules::alwaysSkipped(QStringView name) {
    return name == u".git" || name == u"__pycache__";
}

void IgnoreRules::add(const QString& folder, const QVector<IgnorePattern>& patterns) {
    if (patterns.isEmpty())
        return;
    if (!levels_.isEmpty() && levels_.last().folder == folder)
        levels_.last().patterns += patterns; // later files of one folder come later in its list
    else
        levels_.append(Level{folder, patterns});
}

void IgnoreRules::addFolder(const QString& absoluteFolder, const QString& folder) {
    for (const QString& name : fileNames()) {
        QByteArray text;
        try {
            // Regular files only, and bounded: a FIFO here must not hang a submit (#25).
            text = readFileWithLimit(absoluteFolder + u'/' + name);
        } catch (const NotFoundError&) {
            continue;
        } catch (const FileRefusedError&) {
            throw; // its sentence says what the file is and what to do
        } catch (const Error& e) {
            throw Error(QStringLiteral("%1 Fix the ignore file's permissions or remove it.").arg(e.message()));
        }
        add(folder, parseIgnoreFile(text));
    }
}

bool IgnoreRules::isIgnored(const QString& path, bool isDirectory) const {
    for (qsizetype l = levels_.size() - 1; l >= 0; --l) {
        const Level& level = levels_[l];
        QStringView below(path);
        if (!level.folder.isEmpty()) {
            if (!path.startsWith(level.folder) || path.size() <= level.folder.size() ||
                path[level.folder.size()] != u'/')
                continue;
            below = below.mid(level.folder.size() + 1);
        }
        const qsizetype slash = below.lastIndexOf(u'/');
        const QStringView name = slash >= 0 ? below.mid(slash + 1) : below;
        for (qsizetype i = level.patterns.size() - 1; i >= 0; --i) {
            const IgnorePattern& p = level.patterns[i];
            if (p.directoryOnly && !isDirectory)
                continue;
            if (globMatches(p.glob, p.anchored ? below : name))
                return !p.negated;
        }
    }
    return false;
}

} // namespace lb
