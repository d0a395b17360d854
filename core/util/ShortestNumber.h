#pragma once
// Numbers as people read them: the shortest decimal text that reads back to exactly the same
// double (0.179067235, not 0.17906723499999999), as std::to_chars gives it.

#include <QString>

namespace lb {

// "nan", "inf" and "-inf" for the values that have no digits; otherwise the shortest text that
// round-trips (std::from_chars or strtod give `v` back bit for bit).
QString shortestNumber(double v);
// The same for a float (what live chart buffers hold): 0.1f is "0.1", not 0.10000000149011612.
QString shortestNumber(float v);

} // namespace lb
