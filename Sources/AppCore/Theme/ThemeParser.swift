/// Reads theme files.
///
/// ```toml
/// name = "dark"
/// [colors]
/// text = { fg = "#d0d0d0", bg = "#1c1c1c" }
/// dim = "#808080"                 # a string sets the foreground only
/// [colors.heading]
/// fg = "bright-yellow"
/// bold = true
/// ```
///
/// Style keys are `fg`/`foreground`, `bg`/`background` (colours as `ThemeColor(name:)` reads them)
/// and `bold`, `italic`, `underline`, `reverse` (true/false). A colour a role leaves out is the
/// `text` role's, and the `text` role's are the terminal's defaults. A missing `name` is the file
/// name without ".toml".
public enum ThemeParser {
    public static func parse(_ source: String, fileName: String) throws(ThemeError) -> Theme {
        let items: [TOMLSubset.Item]
        do {
            items = try TOMLSubset.parse(source)
        } catch {
            throw ThemeError(fileName: fileName, line: error.line, message: error.message)
        }
        func fail(_ line: Int, _ message: String) -> ThemeError {
            ThemeError(fileName: fileName, line: line, message: message)
        }

        var name: String?
        var partial: [ColorRole: PartialStyle] = [:]
        for item in items {
            switch item {
            case .table(let path, let line):
                switch path.count {
                case 1 where path[0] == "colors":
                    break
                case 2 where path[0] == "colors":
                    guard let role = ColorRole(rawValue: path[1]) else { throw fail(line, unknownRole(path[1])) }
                    partial[role, default: PartialStyle()].given = true
                default:
                    throw fail(line, "unknown table [\(path.joined(separator: "."))]; expected [colors] or [colors.ROLE]")
                }
            case .pair(let table, let key, let value, let line):
                switch table.count {
                case 0:
                    guard key == "name" else { throw fail(line, "unknown key '\(key)'; expected name or a [colors] table") }
                    guard case .string(let s) = value else { throw fail(line, "name must be a string in quotes") }
                    name = s
                case 1 where table[0] == "colors":
                    guard let role = ColorRole(rawValue: key) else { throw fail(line, unknownRole(key)) }
                    var style = PartialStyle()
                    style.given = true
                    switch value {
                    case .string(let colorName):
                        style.foreground = try color(colorName, line: line, fail: fail)
                    case .inlineTable(let pairs):
                        for pair in pairs {
                            try style.set(pair.key, pair.value, role: role, line: line, fail: fail)
                        }
                    case .bool:
                        throw fail(line, "'\(key)' must be a colour in quotes or { fg = \"…\", … }")
                    }
                    partial[role] = style
                case 2:
                    // The header check above has validated the role.
                    guard let role = ColorRole(rawValue: table[1]) else { throw fail(line, unknownRole(table[1])) }
                    try partial[role, default: PartialStyle()].set(key, value, role: role, line: line, fail: fail)
                default:
                    throw fail(line, "unexpected key '\(key)'")
                }
            }
        }
        return Theme(name: name ?? defaultName(fileName), styles: resolve(partial))
    }

    private static func unknownRole(_ role: String) -> String {
        "unknown role '\(role)'; roles are " + ColorRole.allCases.map(\.rawValue).joined(separator: ", ")
    }

    private static func defaultName(_ fileName: String) -> String {
        let base = fileName.split(separator: "/").last.map(String.init) ?? fileName
        return base.hasSuffix(".toml") ? String(base.dropLast(5)) : base
    }

    static func color(_ name: String, line: Int, fail: (Int, String) -> ThemeError) throws(ThemeError) -> ThemeColor {
        guard let color = ThemeColor(name: name) else { throw fail(line, "unknown colour '\(name)'") }
        return color
    }

    /// Fills in colours a role left out from the `text` role.
    private static func resolve(_ partial: [ColorRole: PartialStyle]) -> [ColorRole: ThemeStyle] {
        let text = partial[.text]
        let baseForeground = text?.foreground ?? .terminalDefault
        let baseBackground = text?.background ?? .terminalDefault
        var styles: [ColorRole: ThemeStyle] = [:]
        for (role, p) in partial where p.given {
            styles[role] = ThemeStyle(
                foreground: p.foreground ?? baseForeground, background: p.background ?? baseBackground,
                bold: p.bold, italic: p.italic, underline: p.underline, reverse: p.reverse)
        }
        return styles
    }

    /// A role's style as the file gives it, before inheriting from `text`.
    private struct PartialStyle {
        var given = false
        var foreground: ThemeColor?
        var background: ThemeColor?
        var bold = false
        var italic = false
        var underline = false
        var reverse = false

        mutating func set(
            _ key: String, _ value: TOMLSubset.Value, role: ColorRole, line: Int, fail: (Int, String) -> ThemeError
        ) throws(ThemeError) {
            switch key {
            case "fg", "foreground", "bg", "background":
                guard case .string(let name) = value else {
                    throw fail(line, "'\(key)' of \(role.rawValue) must be a colour in quotes, not \(value.kind)")
                }
                let c = try ThemeParser.color(name, line: line, fail: fail)
                if key.hasPrefix("f") { foreground = c } else { background = c }
            case "bold", "italic", "underline", "reverse":
                guard case .bool(let flag) = value else {
                    throw fail(line, "'\(key)' of \(role.rawValue) must be true or false, not \(value.kind)")
                }
                switch key {
                case "bold": bold = flag
                case "italic": italic = flag
                case "underline": underline = flag
                default: reverse = flag
                }
            default:
                throw fail(line, "unknown key '\(key)' for \(role.rawValue); expected fg, bg, bold, italic, underline or reverse")
            }
        }
    }
}
