#pragma once
// Comparing Labbench's value types in QtTest so that a failure prints readable values.

#include "core/store/RunStatus.h"

#include <QTest>

// QCOMPARE cannot print enum classes in Qt 6.4; compare their names instead.
#define QCOMPARE_STATUS(actual, expected) QCOMPARE(lb::toString(actual), lb::toString(expected))
