/// Unix seconds as ISO 8601 UTC text ("2024-05-01T12:34:56Z"), without Foundation.
enum ISODate {
    /// Whole seconds (fractions dropped, toward the past); values that are not finite count as 0 and
    /// the rest are clamped to the years 0001–9999, so any Double gives a valid date.
    static func string(fromUnixSeconds seconds: Double) -> String {
        let parts = components(fromUnixSeconds: seconds)
        return "\(pad(parts.year, 4))-\(pad(parts.month, 2))-\(pad(parts.day, 2))"
            + "T\(pad(parts.hour, 2)):\(pad(parts.minute, 2)):\(pad(parts.second, 2))Z"
    }

    /// "2024-05-01 12:34 UTC", for people.
    static func readable(fromUnixSeconds seconds: Double) -> String {
        let parts = components(fromUnixSeconds: seconds)
        return "\(pad(parts.year, 4))-\(pad(parts.month, 2))-\(pad(parts.day, 2))"
            + " \(pad(parts.hour, 2)):\(pad(parts.minute, 2)) UTC"
    }

    static let earliest: Double = -62_135_596_800  // 0001-01-01T00:00:00Z
    static let latest: Double = 253_402_300_799  // 9999-12-31T23:59:59Z

    static func components(fromUnixSeconds seconds: Double)
        -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int)
    {
        let clamped = seconds.isFinite ? min(max(seconds.rounded(.down), earliest), latest) : 0
        let total = Int(clamped)
        let days = total >= 0 ? total / 86_400 : (total - 86_399) / 86_400
        let secondOfDay = total - days * 86_400
        // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm, proleptic Gregorian).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day, secondOfDay / 3_600, secondOfDay % 3_600 / 60, secondOfDay % 60)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
