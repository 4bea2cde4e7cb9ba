import GRDB

/// Strict column reads. SQLite converts between types silently (the text "wide" read as an
/// integer is 0) and GRDB's non-throwing subscripts trap on NULL; a file damaged or written by
/// something else must give an error instead of either.
extension Row {
    /// The column's value, which must be present, not NULL and of `Value`'s type.
    func required<Value: DatabaseValueConvertible>(_ column: String, as type: Value.Type = Value.self) throws -> Value {
        let value = try decode(DatabaseValue.self, forColumn: column)
        guard let converted = Value.fromDatabaseValue(value) else {
            throw DamagedRow(message: "column \(column) holds \(value.isNull ? "NULL" : "a value of the wrong type")")
        }
        return converted
    }

    /// The column's value, nil for NULL; any other value must be of `Value`'s type.
    func optional<Value: DatabaseValueConvertible>(_ column: String, as type: Value.Type = Value.self) throws -> Value? {
        let value = try decode(DatabaseValue.self, forColumn: column)
        if value.isNull { return nil }
        guard let converted = Value.fromDatabaseValue(value) else {
            throw DamagedRow(message: "column \(column) holds a value of the wrong type")
        }
        return converted
    }
}
