#pragma once
// The sweep form's parameter space: one row per hyperparameter with its name ("--lr"), one of
// HyperDrive's ten expressions and its arguments ("-6, -1"); rows can be added and removed, and
// a row the core parser refuses is marked with the reason.

#include "core/live/SweepFormSpec.h"

#include <QWidget>

class QLabel;
class QTableWidget;

namespace lb::ui {

class ParameterSpaceTable : public QWidget {
    Q_OBJECT
public:
    explicit ParameterSpaceTable(QWidget* parent = nullptr);

    QList<SweepFormData::Row> rows() const;
    void setRows(const QList<SweepFormData::Row>& rows);
    void addRow(const SweepFormData::Row& row = {QString(), QStringLiteral("choice"), QString()});
    void removeRow(int row);
    // Marks the cell at fault in each row (row → reason; `fields`: row → "name", "expression"
    // or "arguments", the last when not given); every other cell is cleared.
    void setRowErrors(const QMap<int, QString>& errors, const QMap<int, QString>& fields = {});
    QTableWidget* table() const { return table_; }
    // What the arguments of each expression are ("uniform: low, high").
    static QString argumentsHint(const QString& expression);

signals:
    void changed();

private:
    QTableWidget* table_ = nullptr;
    QLabel* hint_ = nullptr;
};

} // namespace lb::ui
