extension WidthTables {
    /// Whether `value` lies in one of `table`'s inclusive ranges (flattened `[lo, hi, ...]`,
    /// sorted): a binary search over the range pairs.
    static func contains(_ value: UInt32, in table: [UInt32]) -> Bool {
        guard table.count >= 2, value >= table[0], value <= table[table.count - 1] else { return false }
        var low = 0
        var high = table.count / 2 - 1
        while low <= high {
            let mid = (low + high) / 2
            if value < table[2 * mid] {
                high = mid - 1
            } else if value > table[2 * mid + 1] {
                low = mid + 1
            } else {
                return true
            }
        }
        return false
    }
}
